"""The build's fast paths give exactly what the plain way gives.

Each fast path (YAML values built in one walk, Jinja calls and escapes without the
per-call questions, person links found with one search per spelling, echo lists cut by
slicing, related articles ranked among the few that can win) is checked against the
straightforward version on hand-picked edge cases and on seeded random inputs."""
from __future__ import annotations

import heapq
import math
import random
from collections import defaultdict

import jinja2
import pytest
import yaml
from markupsafe import Markup, escape

from generator.build.body import _TAG, link_people, spelling_needles
from generator.build.pages import echoes_of
from generator.build.templates import _escape_output
from generator.build.templates import environment
from generator.model import related as rel
from generator.model.types import Quote
from generator.yamlutil import Loader, safe_load

# --- YAML ---------------------------------------------------------------------------------

EDGE_DOCS = [
    "a: yes\nb: no\nc: on\nd: Off\ne: y\nf: n\ng: TRUE\nh: false\n",
    "d: 2011-12-06\nt: 2009-09-18T16:49\nu: 2009-09-18 16:49:00\nz: 2001-12-14t21:59:43.10-05:00\n",
    "o: 010\nx: 0x1F\nu: 1_000\ns: 1:20\nb: 0b101\nq: 0o17\nf: 1e3\ng: .inf\nn: -.NaN\nm: 3.0\np: +12\n",
    "n: ~\nm: null\nk: Null\ne:\nq: ''\nr: \"\"\n",
    "q: 'it''s'\nr: \"tab\\tx \\u00e9\"\nlong: >\n  folded\n  text\nlit: |\n  keep\n  lines\n",
    "dup: 1\ndup: 2\n", "- 1\n- [a, {b: c, 'd': [yes, 'no', \"on\"]}]\n- {}\n- []\n",
    "null: 1\nyes: 2\n3: three\n1.5: x\n2011-01-01: d\n", "k: 'été – “quoted”'\nplain: été\n",
    "multi: this is\n  a plain scalar\n  over lines\n", "# only a comment\n", "", "---\n", "just a string",
    "a: 12:30\nb: 190:20:30\nc: -1_2\nd: 0.\ne: .5\nf: 1.2e+3\n", "- - - deep\n    - x\n",
    # fall back to the full loader: tags, merges, aliases, odd keys, errors
    "a: !!str 12\nb: !!int '7'\n", "<<: {a: 1}\nb: 2\n", "a: &x [1, 2]\nb: *x\n", "? [a, b]\n: c\n",
    "k: =\n", "= : v\n", "a: [1, 2\n", "a: b: c\n", "- x\n y: z\n", "a: 'open\n", "a: 1\n---\nb: 2\n",
    "\tx: 1\n", "a: @x\n",
]


def _load(text):
    try:
        return "ok", yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        return "error", str(exc)


def _fast(text):
    try:
        return "ok", safe_load(text)
    except yaml.YAMLError as exc:
        return "error", str(exc)


def _same(a, b) -> bool:
    # repr too: True == 1 and 1.0 == 1, but YAML typing must match exactly
    return a == b and repr(a) == repr(b)


@pytest.mark.parametrize("text", EDGE_DOCS)
def test_safe_load_types_and_fails_exactly_like_safeloader(text):
    assert _same(_fast(text), _load(text))


WORDS = ["yes", "No", "on", "OFF", "y", "null", "~", "", "0", "010", "0x1f", "0b11", "0o7", "1_000", "-5", "+5",
         "3.14", "1e3", ".inf", "-.Inf", ".nan", "1:30", "2011-12-06", "2011-12-06 10:00", "2011-12-06T10:00:00Z",
         "true", "False", "word", "two words", "é", "a-b", "q-1a2b3c4d", "-", "x:y", "#no", "'quoted'", '"dq"',
         "some: colon", "[x]", "{y}", "a, b", "=", "<<", "@", "`", "%", "&a", "*b", "!c", "|", ">"]


def _random_doc(rng: random.Random, depth: int = 0) -> str:
    lines = []
    for i in range(rng.randint(1, 6)):
        key = rng.choice(WORDS[:30] + ["title", "date", "words", f"k{i}"])
        kind = rng.random()
        if kind < 0.6 or depth > 1:
            lines.append(f"{key}: {rng.choice(WORDS)}")
        elif kind < 0.8:
            lines.append(f"{key}:")
            lines += [f"- {rng.choice(WORDS)}" for _ in range(rng.randint(0, 3))]
        else:
            lines.append(f"{key}: [{', '.join(rng.choice(WORDS[:33]) for _ in range(rng.randint(0, 3)))}]")
    return "\n".join(lines) + "\n"


def test_safe_load_matches_safeloader_on_random_documents():
    rng = random.Random(7)
    for _ in range(3000):
        text = _random_doc(rng)
        assert _same(_fast(text), _load(text)), text


def test_safe_load_matches_safeloader_on_what_ingest_writes():
    from generator.frontmatter import dump_yaml
    rng = random.Random(11)
    for _ in range(300):
        data = {"title": rng.choice(WORDS), "date": rng.choice([None, "2011-12-06", "2009-09-18T16:49"]),
                "words": rng.randint(0, 5000), "partial": rng.choice([True, False]),
                "quotes": [{"id": f"q-{rng.getrandbits(32):08x}", "text": " ".join(rng.sample(WORDS, 4))}
                           for _ in range(rng.randint(0, 4))],
                "speakers": rng.sample(WORDS, 3), "note": "line one\nline two"}
        text = dump_yaml(data)
        assert _same(safe_load(text), yaml.load(text, Loader=Loader))


BLOCK_DOCS = [     # read line by line (_block_load) or handed on; the same values either way
    "title: 'Abbasi: ready'\nwords: 660\nmentions: []\nterms: {}\nquotes:\n- id: q-1\n  text: It's x\n  partial: false\n",
    "a:\n  b:\n  - 1\n  - - x\n    - y\n  c: d\n", "a:\n  - x\n  -\n  - z\n", "a:\nb: ~\n", "a:\n  plain\n",
    "- a\n- b\n", "  a: 1\n  b: 2\n", "a: 1\n b: 2\n", "a:\n  - x\n  b: 1\n", "a: x\n  y\n", "a: -1\n",
    "a: 'it''s'\nb: ''''\nc: '''\n", 'a: "x"\nb: ""\nc: "a\\"b"\nd: "a"b"\n', "a: x # c\n", "# c\na: 1\n",
    "a: 1\n\n\nb:\n\n- 2\n", "a: b\r\nc: d\r\n", "a: x\u2028y\n", "a: \ufeffx\n", "a:  two spaces\n",
    "a: trailing \n", "a: http://x.org/a:b\n", "- x:y\n", "1_000: a\n0x1f: b\nyes: c\n~: d\n", "a: 1:30\n",
    "a: [x]\n", "a: {b: c}\n", "a-b_c: 2011-12-06\nd: 2001-12-14 21:59:43.10 -5\n", "a: é – “x”\n",
    "a:\n- b: 1\n  c:\n  - 2\n- 3\n", "a: 'x'y'\n", "a: 'x' \n", "a:\n  -  two\n  -   k: v\n      j: w\n",
    "a: 'it''s'\nb: ''''\nc: ''\n", 'a: "x"\nb: ""\n', "1_000: a\n0x1f: b\nyes: c\nnull: d\n1.5: e\n",
    # scalars over several lines, as the dumper wraps them
    "a: one two\n  three\n   four\nb: 1\n", "a: 'x: y\n  z'' #w'\nb: \"p\n  q\"\n", "- a b\n  c\n- d\n",
    "k:\n- id: 1\n  text: long\n    longer\n  partial: no\n", "a: 1\n  2\n", "a:\n  x\n  y\nb: 2\n",
    "a: x\n\n  y\n", "a: 'x\n\n  y'\n", "a: x \n  y\n", "a: x\n  y: z\n", "a: x\n  - y\n", "a: x\n  #y\n",
    "a: x\n  [y]\n", "a: x\n  y #z\n", "a: 'x\n  - y'\n", "a: x\n y\nb: 2\n", "- x\n y\n", "a: 'x\n  y\n",
]


@pytest.mark.parametrize("text", BLOCK_DOCS)
def test_block_reader_reads_what_safeloader_reads(text):
    assert _same(_fast(text), _load(text))


def _mutated(rng: random.Random, text: str) -> str:
    pieces = WORDS + ["a: b", "- x", "  ", ":", "-", "'", "''", '"', " #x", "k:", "- k: v", "[]", "{}", "  - z"]
    lines = text.split("\n")
    for _ in range(rng.randint(0, 3)):
        i = rng.randrange(len(lines))
        op = rng.random()
        if op < 0.25:
            lines[i] = " " * rng.randint(1, 3) + lines[i]
        elif op < 0.4:
            lines[i] = lines[i][rng.randint(0, 2):]
        elif op < 0.7:
            j = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:j] + rng.choice(pieces) + lines[i][j:]
        else:
            lines.insert(i, rng.choice(pieces))
    return "\n".join(lines)


def _random_data(rng: random.Random, depth: int = 0):
    r = rng.random()
    if depth > 3 or r < 0.5:
        return rng.choice([rng.choice(WORDS), " ".join(rng.sample(WORDS, 3)), rng.randint(-5, 5000), None,
                           True, 1.5, "it's", 'say "x"',
                           " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 45)))])   # wrapped
    if r < 0.75:
        return [_random_data(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(WORDS[:30] + ["id", "text"]): _random_data(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def test_printable_text_holds_no_character_the_block_reader_refuses():
    """_block_load skips its odd-character regex for text that is printable but for newlines."""
    from generator.yamlutil import _ODD
    assert not [c for c in map(chr, range(0x110000)) if c != "\n" and c.isprintable() and _ODD.match(c)]


def test_block_reader_matches_safeloader_on_dumped_and_damaged_documents():
    """Nested data as ingest dumps it, four in five then damaged (indents, dashes, colons,
    quotes inserted): whatever the block reader accepts it must read as SafeLoader does,
    and it must accept most undamaged dumps (else the fast path silently never runs)."""
    from generator.frontmatter import dump_yaml
    from generator.yamlutil import _NOT_BLOCK, _block_load
    rng = random.Random(3)
    read = clean = 0
    for _ in range(4000):
        text = dump_yaml({rng.choice(WORDS[:30] + ["title"]): _random_data(rng) for _ in range(rng.randint(1, 5))})
        damaged = rng.random() < 0.8
        if damaged:
            text = _mutated(rng, text)
        if _block_load(text) is not _NOT_BLOCK:
            read += 1
            clean += not damaged
        a, b = _fast(text), _load(text)
        assert _same(a, b) or repr(a) == repr(b), text      # repr: nan != nan
    assert read > 1000 and clean > 500


def test_block_reader_takes_the_front_matter_ingest_writes():
    """Including long values, which the dumper wraps over several lines (width 100)."""
    from generator.frontmatter import dump_yaml
    from generator.yamlutil import _NOT_BLOCK, _block_load
    summary = ("NATO sees Russia as a partner rather than an adversary, but the alliance still argues " * 3).strip()
    said = ("The figures speak for themselves: we have cut costs by 61 percent in two years, " * 3).strip()
    wrapped = dump_yaml({"summary": summary, "quotes": [{"id": "q-1", "text": said}]})
    assert wrapped.count("\n") > 6          # both values wrapped, the second one quoted
    assert _block_load(wrapped) == yaml.load(wrapped, Loader=Loader) == {
        "summary": summary, "quotes": [{"id": "q-1", "text": said}]}
    text = ("title: 'Abbasi: Belmaria ready'\ndate: 2014-11-17T16:42\ndate_note: null\nwords: 660\nspeakers:\n"
            "- amir-abbasi\nquotes:\n- id: q-8641e3d1\n  speaker: amir-abbasi\n  text: We will, and we can\n"
            "  partial: false\nmentions: []\ntopic_terms:\n  rail-transport:\n  - rail transport\n")
    assert _block_load(text) == yaml.load(text, Loader=Loader)


def test_the_closing_fence_is_found_where_the_fence_pattern_finds_it():
    import random
    from generator import frontmatter
    rng = random.Random(11)
    pieces = ["---", "--- ", "---\t", "----", "-- -", "x", "\r", "\n", " ", "a: b", "---\r"]
    checked = 0
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        first = frontmatter._FENCE.match(text)
        if first:
            m = frontmatter._FENCE.search(text, first.end())
            assert frontmatter._closing_fence(text, first.end()) == ((m.start(), m.end()) if m else None), repr(text)
            checked += 1
    assert checked > 1000
    assert frontmatter.parse("---\r\ntitle: x\r\n--- \r\n\r\nBody\r\n") == ({"title": "x"}, "Body\r\n", 3)


def test_plain_scalars_are_typed_once_and_the_memo_stays_bounded(monkeypatch):
    from generator import yamlutil
    monkeypatch.setattr(yamlutil, "PLAIN_MAX", 16)
    monkeypatch.setattr(yamlutil, "_PLAIN", {})
    assert safe_load("a: 010\nb: [010, yes]\n") == {"a": 8, "b": [8, True]}
    assert yamlutil._PLAIN["010"] == 8 and yamlutil._PLAIN["yes"] is True
    rng = random.Random(5)
    for _ in range(500):        # the same words again and again: typed from the memo
        text = _random_doc(rng)
        assert _same(_fast(text), _load(text)), text
        assert len(yamlutil._PLAIN) <= 16
    assert all(v.__class__ in yamlutil._IMMUTABLE for v in yamlutil._PLAIN.values())


# --- Jinja: escapes and calls ----------------------------------------------------------------

class Html:
    def __html__(self):
        return "<b>safe</b>"


class SubMarkup(Markup):
    pass


@pytest.mark.parametrize("value", ["", "plain", "<a href='x'>&amp;\"</a>", Markup("<i>kept</i>"),
                                   SubMarkup("<s>"), 12, -7, 10**30, 1.5, None, True, Html(), ["<x>"]])
def test_the_fast_escape_equals_markupsafe(value):
    out = _escape_output(value)
    assert out == escape(value)         # the same text; a plain str or int gives a plain str
    assert type(out) is (str if type(value) in (str, int) else type(escape(value)))


def test_calls_from_templates_still_pass_context_and_environment_where_asked():
    env = environment(None)

    @jinja2.pass_context
    def who(ctx, suffix):
        return ctx["name"] + suffix

    @jinja2.pass_environment
    def env_kind(e):
        return type(e).__name__

    class Shout:
        def __call__(self, text):
            return text.upper()

    def boom():
        raise StopIteration

    tpl = env.from_string("{% for i in [1] %}{{ who('!') }}{% endfor %} {{ env_kind() }} {{ shout('a') }}"
                          " {{ plain(2) }} [{{ boom() is undefined }}] {% macro m(x, y=3) %}{{ x }}{{ y }}"
                          "{% endmacro %}{{ m(1) }}{{ m(1, y=4) }}{{ m(x=5) }}")
    out = tpl.render(name="Ann", who=who, env_kind=env_kind, shout=Shout(), plain=lambda n: n * 2, boom=boom)
    assert out == "Ann! FastEnvironment A 4 [True] 131453"
    # the answer is cached per function: asking again with the same function changes nothing
    assert tpl.render(name="Bo", who=who, env_kind=env_kind, shout=Shout(), plain=str, boom=boom) \
        .startswith("Bo! FastEnvironment A 2")


def test_a_callable_object_marked_to_take_the_context_gets_it():
    env = environment(None)

    class Greeter:
        @jinja2.pass_context
        def __call__(self, ctx):
            return "hi " + ctx["name"]

    g = Greeter()
    assert env.from_string("{{ g() }}").render(g=g, name="Cy") == "hi Cy"


def test_direct_calls_give_what_jinja_gives_every_time():
    """Calls compiled to the direct-call table (``FastCode.visit_Call``) give Jinja's
    results on the first render (through ``context.call``, which fills the table) and on
    later ones (from the table): plain and foreign functions, one raising StopIteration,
    context-taking ones inside loops, an unhashable callable, built-in methods, bound
    methods, macros with and without a caller, and a call of something undefined."""
    import dataclasses

    @jinja2.pass_context
    def seen(ctx, name):
        return f"{name}={ctx.get(name, '-')}"

    @dataclasses.dataclass
    class Unhashable:
        n: int = 1

        def __call__(self, x):
            return x * self.n

    class Obj:
        def twice(self, x):
            return x * 2

    def stop():
        raise StopIteration

    values = dict(seen=seen, u=Unhashable(3), obj=Obj(), stop=stop, plain=lambda x: f"<{x}>", words="a b")
    src = ("{% macro m(x) %}[{{ x }}]{% endmacro %}{% macro wrap() %}({{ caller() }}){% endmacro %}"
           "{% for i in [1, 2] %}{% set j = i * 10 %}{{ seen('j') }},{{ seen('i') }},{{ plain(i) }};{% endfor %}"
           "{{ u(2) }} {{ obj.twice(4) }} {{ words.split() | join('+') }} {{ stop() is undefined }}"
           " {{ m(plain('&')) }} {% call wrap() %}{{ m(1) }}{% endcall %} {{ seen('words') }}")
    fast = environment(None)
    plain = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    want = plain.from_string(src).render(values)
    tpl = fast.from_string(src)
    assert [tpl.render(values) for _ in range(3)] == [want] * 3
    for env in (fast, plain):
        for _ in range(2):
            with pytest.raises(jinja2.UndefinedError, match="'nope' is undefined"):
                env.from_string("{{ nope(1) }}").render()


def test_the_direct_call_table_keeps_jinja_s_stopiteration_rule_and_stays_bounded(monkeypatch):
    from generator.build import templates
    from generator.build.urls import Urls

    def foreign():
        return 1

    urls = Urls("/", "")
    env = environment(None)
    tpl = env.from_string("{{ f() }}{{ u.article('x') }}")
    monkeypatch.setattr(templates, "_DIRECT", {})
    tpl = env.from_string("{{ f() }}{{ u.article('x') }}")    # compiled after: sees the new table
    tpl.render(f=foreign, u=urls)
    assert templates._DIRECT[urls.article] == urls.article      # digest's own: called bare
    assert templates._DIRECT[foreign] is not foreign            # anything else: guarded
    monkeypatch.setattr(templates, "DIRECT_MAX", 4)
    for i in range(20):
        env.from_string("{{ f() }}").render(f=lambda: i)
        assert len(templates._DIRECT) <= 4


MACROS = """{% macro m(x, y=3, z="z") %}[{{ x }}|{{ y }}|{{ z }}]{% endmacro %}
{% macro nodefault(a, b) %}<{{ a }},{{ b is defined }}>{% endmacro %}
{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}
{% macro many() %}{{ varargs | length }}:{{ kwargs | dictsort | join(",") }}{% endmacro %}
{% macro amp(t="&") %}{{ t }}{% endmacro %}"""

CALLS = ["m(1)", "m(1, 2)", "m(1, 2, 3)", "m(x=5)", "m(1, z=9)", "m(1, y=none)", "m(y=2, x=1)",
         "nodefault(1)", "nodefault('<b>')", "amp()", "amp('<i>')", "many(1, 2, k=3)",
         "m(*[7, 8])", "m(**{'x': 1, 'z': 2})",
         "{% for i in [1, 2] %}{{ m(i, y=loop.index) }}{% endfor %}",
         "{% set v %}{{ m('blk') }}{% endset %}{{ v }}",
         "{% call wrap('b') %}{{ m(0) }}{% endcall %}", "cached(m, 1, z=2)", "cached(amp)"]
WRONG = ["m(1, 2, 3, 4)", "m(1, w=2)", "m(1, x=2)", "m()", "nodefault(1, 2, b=3)"]
WARM = "{{ m(0) }}{{ nodefault(0) }}{{ amp() }}{{ many() }}{{ m(0, z=1) }}"


def _expr(call):
    return call if call.startswith("{%") else "{{ " + call + " }}"


@pytest.mark.parametrize("autoescape", [True, False])
def test_macro_calls_bind_and_escape_like_jinja(autoescape):
    """The fast macro path (plain arguments, keywords, defaults, calls in loops and blocks,
    through cached()) gives Jinja's output; the cases it leaves to Jinja (caller, varargs,
    kwargs, bad arguments) still work, or fail with Jinja's own error."""
    from generator.build.templates import Fragments, FastCallContext

    fast = environment(None)
    fast.autoescape = autoescape
    fast.globals["cached"] = Fragments(type("U", (), {"root": ""})())
    plain = jinja2.Environment(autoescape=autoescape, undefined=jinja2.StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    plain.globals["cached"] = lambda macro, *a, **k: macro(*a, **k)
    assert fast.context_class is FastCallContext
    # WARM calls each macro once first: the call under test then takes the direct path
    # (the compiled call site's _macro_call binder), not FastCallContext.call.
    for warm in ("", WARM):
        for call in CALLS:
            src = MACROS + warm + _expr(call)
            assert fast.from_string(src).render() == plain.from_string(src).render(), (warm, call)
        for call in WRONG:
            src = MACROS + warm + _expr(call)
            with pytest.raises(Exception) as expected:
                plain.from_string(src).render()
            with pytest.raises(Exception) as got:
                fast.from_string(src).render()
            assert (type(got.value), str(got.value)) == (type(expected.value), str(expected.value)), (warm, call)


LAYOUTS = {
    "base.html": "<title>{% block title %}T{% endblock %}</title>{{ site }}|{% block main %}{% endblock %}"
                 "{% if flag %}<i>{{ flag }}</i>{% endif %}{% include 'part.html' %}",
    "part.html": "<p>{{ site }} {{ '<&>' }}</p>{% for x in items %}<b>{{ x }}</b>,{{ loop.index }}{% endfor %}",
    "page.html": "{% extends 'base.html' %}{% block title %}{{ super() }}+{{ t }}{% endblock %}"
                 "{% block main %}{% for x in items %}<li>{{ x }}</li>{{ x * 2 }}{% else %}none{% endfor %}"
                 "{% set s %}<s>{{ t }}</s>{% endset %}{{ s }}{% filter upper %}a{{ t }}b{% endfilter %}"
                 "{% with y = t %}{{ y }}{{ y }}{% endwith %}{% if t %}{{ t }}!{{ t }}{% endif %}{% endblock %}",
    "dynamic.html": "{% if parent %}{% extends parent %}{% endif %}{% block main %}[{{ t }}|{{ t }}]{% endblock %}"
                    "outside {{ t }}",
    "broken.html": "<p>{{ t }}</p>\n<p>{{ t.missing.deeper }}</p>",
}


@pytest.mark.parametrize("autoescape", [True, False])
def test_fast_code_renders_what_jinja_renders(autoescape):
    """Pages yield each root and block function's output as one string (``FastCode``): the
    same text as Jinja's piece-by-piece yields, through extends, blocks, super(), includes,
    loops, set and filter blocks, dynamic extends and errors (same message, same line)."""
    from generator.build.templates import FastCode
    fast = environment(None)
    assert fast.code_generator_class is FastCode
    plain = jinja2.Environment(undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True)
    for env in (fast, plain):
        env.loader = jinja2.DictLoader(LAYOUTS)
        env.autoescape = autoescape
    for name, ctx in (("page.html", {"t": "<x>", "items": [1, 2], "site": "S", "flag": 0}),
                      ("page.html", {"t": "", "items": [], "site": "&", "flag": "<f>"}),
                      ("dynamic.html", {"t": 1, "parent": "base.html", "items": [3], "site": "S", "flag": 1}),
                      ("dynamic.html", {"t": 1, "parent": None})):
        want = plain.get_template(name).render(ctx)
        assert fast.get_template(name).render(ctx) == want
        assert "".join(fast.get_template(name).generate(ctx)) == want
    # However often the loops run, the pieces are the same few: one per function.
    for env in (fast, plain):
        pieces = [len(list(env.get_template("page.html").generate(t="x", items=items, site="S", flag=1)))
                  for items in ([1], list(range(40)))]
        assert (pieces[0] == pieces[1] <= 6) if env is fast else pieces[1] > pieces[0]
    errors = []
    for env in (fast, plain):
        with pytest.raises(jinja2.UndefinedError) as exc:
            env.get_template("broken.html").render(t="x")
        tb, lines = exc.value.__traceback__, []
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "<template>":
                lines.append(tb.tb_lineno)
            tb = tb.tb_next
        errors.append((str(exc.value), lines))
    assert errors[0] == errors[1] and errors[0][1] == [2]


class _Slotted:
    __slots__ = ("title", "html")

    def __init__(self):
        self.title, self.html = "<T>", Markup("<b>ok</b>")


class _Dynamic:
    def __getattr__(self, name):
        if name == "made":
            return "M&"
        raise AttributeError(name)

    def __getitem__(self, key):
        return f"item:{key}"


class _Failing:
    @property
    def broken(self):
        raise AttributeError("inside")

    def __getitem__(self, key):
        raise KeyError(key)


ATTRS = ("{{ d.k }}|{{ d.items is callable }}|{{ d.get('k') }}|{{ o.title }}|{{ o.html }}|{{ o.html ~ '<' }}"
         "|{{ dyn.made }}|{{ dyn.other }}|{{ r.broken is defined }}|{{ n }}|{{ f }}|{{ none }}|{{ t.0 }}"
         "|{{ u is defined }}|{{ d.nothing is defined }}|{% for x in [o, d] %}{{ x.title }}{{ loop.index }}{% endfor %}"
         "|{{ ('<' ~ d.k) | upper }}|{{ s.upper() }}|{{ nested.a.b.c }}|{{ m }}")


@pytest.mark.parametrize("autoescape", [True, False])
def test_inline_attribute_lookups_and_escapes_match_jinja(autoescape):
    """FastCode writes ``x.name`` and the escape of ``{{ … }}`` inline for their usual case:
    the same text as Jinja for dict keys and dict methods, slotted objects, ``__getattr__``,
    properties that raise AttributeError, tuples, undefined values, Markup, numbers and
    None, and the same error for a missing attribute or an attribute of an undefined value."""
    fast = environment(None)
    plain = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=autoescape)
    fast.autoescape = autoescape
    ctx = {"d": {"k": "<v>", "items": "shadowed", "title": "dn"}, "o": _Slotted(), "dyn": _Dynamic(),
           "r": _Failing(), "n": 3, "f": 1.5, "none": None, "t": ("<t>",), "s": "a&b",
           "u": jinja2.Undefined(), "nested": {"a": {"b": {"c": "<c>"}}}, "m": Markup("<i>m</i>")}
    code = fast.compile(ATTRS, raw=True)
    assert "_getattr(" in code and ("_escape_str(" in code) == autoescape
    assert fast.from_string(ATTRS).render(ctx) == plain.from_string(ATTRS).render(ctx)
    for src in ("{{ o.nothing }}", "{{ d.nothing.deeper }}", "{{ none.x }}", "{{ r.broken }}", "{{ u.x }}"):
        with pytest.raises(jinja2.UndefinedError) as expected:
            plain.from_string(src).render(ctx)
        with pytest.raises(jinja2.UndefinedError) as got:
            fast.from_string(src).render(ctx)
        assert str(got.value) == str(expected.value), src


def test_the_default_theme_renders_the_same_with_fast_code(tmp_path, monkeypatch):
    """The shipped templates, compiled with and without FastCode, give the same site."""
    import jinja2.compiler
    from conftest import copy_fixture
    from generator.build import Builder, NullReporter, templates
    from generator.config import load_config

    def site(name):
        config = load_config(copy_fixture(tmp_path / name))
        config.search["enabled"] = False
        Builder(config, reporter=NullReporter()).build()
        out = config.paths["output"]
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    class Plain(jinja2.compiler.CodeGenerator):
        used = 0

        def __init__(self, *args, **kwargs):
            Plain.used += 1
            super().__init__(*args, **kwargs)

    joined = site("joined")
    monkeypatch.setattr(templates, "FastCode", Plain)
    plain = site("plain")
    assert Plain.used and len(joined) > 30 and joined == plain


def test_imports_see_the_globals_jinja_gives_them():
    """``{% from … import %}`` reuses the imported template's module when the importer has
    no globals of its own, and builds one with them when it has, as Jinja does."""
    from generator.build.templates import FastEscapeTemplate

    files = {"m.html": "{% macro show() %}{{ who }}/{{ extra is defined }}{% endmacro %}",
             "page.html": "{% from 'm.html' import show %}{{ show() }}"}
    fast = environment(None)
    fast.loader = jinja2.DictLoader(files)
    plain = jinja2.Environment(loader=jinja2.DictLoader(files))
    for env in (fast, plain):
        env.globals["who"] = "env"
    assert fast.template_class is FastEscapeTemplate
    for extra in (None, {"extra": 1, "who": "template"}):
        got = [fast.get_template("page.html", globals=extra).render() for _ in range(2)]
        want = [plain.get_template("page.html", globals=extra).render() for _ in range(2)]
        assert got == want, extra
    assert got == ["env/True"] * 2        # "extra" reached the import through a module of its own
    fast.loader.mapping["other.html"] = files["page.html"]
    module = fast.get_template("m.html")._get_default_module(fast.get_template("other.html").new_context())
    assert module is fast.get_template("m.html").module      # no globals of its own: the cached module


def test_macros_resolve_names_as_jinja_does():
    """A finished module's macros look names up in one dict (``FastEscapeTemplate.make_module``):
    globals, the module's own top-level names first (one shadows a global), its other
    macros, the importer's variables through ``with context``, and an undefined name
    raising the same error."""
    files = {"m.html": "{% set shade = 'module' %}{% macro inner(x) %}<{{ x }}>{% endmacro %}"
                       "{% macro show() %}{{ who }}/{{ shade }}/{{ inner(who) }}/{{ page is defined }}{% endmacro %}"
                       "{% macro broken() %}{{ nothing.at_all }}{% endmacro %}",
             "page.html": "{% from 'm.html' import show %}{{ show() }}|{{ show() }}",
             "ctx.html": "{% set page = 1 %}{% from 'm.html' import show with context %}{{ show() }}",
             "bad.html": "{% from 'm.html' import broken %}{{ broken() }}"}
    fast = environment(None)
    fast.loader = jinja2.DictLoader(files)
    plain = jinja2.Environment(loader=jinja2.DictLoader(files), undefined=jinja2.StrictUndefined)
    for env in (fast, plain):
        env.globals.update(who="env", shade="global")
    for name in ("page.html", "ctx.html"):
        assert fast.get_template(name).render() == plain.get_template(name).render(), name
    assert fast.get_template("page.html").render() == "env/module/<env>/False|env/module/<env>/False"
    with pytest.raises(jinja2.UndefinedError) as expected:
        plain.get_template("bad.html").render()
    with pytest.raises(jinja2.UndefinedError) as got:
        fast.get_template("bad.html").render()
    assert str(got.value) == str(expected.value)


def test_page_contexts_hold_what_jinja_puts_in_them():
    """FastEscapeTemplate.new_context merges the globals by dict.update and FastCallContext
    takes their keys from the ChainMap's dicts: the same parent (keys, order, values: the
    template's own globals over the environment's, the page's variables over both) and
    the same global keys as Jinja's, and environment globals set after the template was
    loaded still show."""
    from jinja2.runtime import new_context
    fast = environment(None)
    fast.loader = jinja2.DictLoader({"p.html": "{{ a }}|{{ b }}|{{ c }}|{{ late }}"})
    fast.globals.update(a="env-a", b="env-b")
    tpl = fast.get_template("p.html", globals={"b": "tpl-b", "c": "tpl-c"})
    fast.globals["late"] = "set later"
    for page_vars in ({}, {"c": "page-c", "z": 1}):
        got = tpl.new_context(dict(page_vars))
        want = new_context(fast, tpl.name, tpl.blocks, dict(page_vars), False, tpl.globals, None)
        assert list(got.parent.items()) == list(want.parent.items())
        assert got.globals_keys == set(tpl.globals) and got.blocks == want.blocks
    assert tpl.render(c="page-c") == "env-a|tpl-b|page-c|set later"


def test_macro_arguments_leaves_every_unusual_call_to_jinja():
    from generator.build.templates import macro_arguments
    env = jinja2.Environment()
    mod = env.from_string(MACROS).module
    assert macro_arguments(mod.m, (1,), {}) == [1, jinja2.runtime.missing, jinja2.runtime.missing]
    assert macro_arguments(mod.m, (1,), {"z": 2}) == [1, jinja2.runtime.missing, 2]
    assert macro_arguments(mod.m, (), {"x": 1, "y": 2, "z": 3}) == [1, 2, 3]
    for macro, args, kwargs in ((mod.m, (1, 2, 3, 4), {}), (mod.m, (1,), {"w": 2}), (mod.m, (1,), {"x": 2}),
                                (mod.m, (1, 2, 3), {"y": 1}), (mod.wrap, ("b",), {}), (mod.many, (), {})):
        assert macro_arguments(macro, args, kwargs) is None


# --- person links -------------------------------------------------------------------------------

def _link_people_reference(body_html, people, href):
    """The straightforward version: split at tags and search every text run for every spelling."""
    needles = spelling_needles(people)
    if not needles:
        return body_html
    parts = _TAG.split(body_html)
    in_link, chosen = 0, {}
    for p, part in enumerate(parts):
        if p % 2:
            if part.startswith("<a ") or part == "<a>":
                in_link += 1
            elif part == "</a>":
                in_link = max(0, in_link - 1)
            continue
        if in_link or not part:
            continue
        found = []
        for needle, (slug, is_name) in needles.items():
            i = part.find(needle)
            while i != -1:
                j = i + len(needle)
                if (i == 0 or not _wordch(part[i - 1])) and (j == len(part) or not _wordch(part[j])):
                    found.append((i, -len(needle), j, slug, is_name))
                i = part.find(needle, i + 1)
        end = 0
        for i, _, j, slug, is_name in sorted(found):
            if i >= end:
                end = j
                have = chosen.get(slug)
                if have is None or (is_name and not have[3]):
                    chosen[slug] = (p, i, j, is_name)
    for slug, (p, i, j, _) in sorted(chosen.items(), key=lambda kv: (kv[1][0], -kv[1][1])):
        part = parts[p]
        parts[p] = f'{part[:i]}<a class="person" href="{href(slug)}">{part[i:j]}</a>{part[j:]}'
    return "".join(parts)


def _wordch(c: str) -> bool:
    return c.isalnum() or c in "_-"


PEOPLE = [("ann-lee", ["Ann Lee", "Lee"]), ("bo-ek", ["Bo Ek", "Ek", "Bo"]), ("lee-corp", ["Lee Corp"]),
          ("o-neil", ["Sam O'Neil", "O'Neil"]), ("jo-lee", ["Jo Ann Lee", "Ann Lee"]), ("ek-bo", ["Ek Bo"])]
PIECES = ["Ann Lee", "Lee", "Lee Corp", "Bo Ek", "Ek", "Bo", "Sam O'Neil", "O'Neil", "Leeds", "Bob", "-Lee",
          "Lee-", "Jo Ann Lee", "Ek Bo", "xAnn Lee", " ", " said ", ", ", ". ", "<p>", "</p>", "<em>", "</em>", '<a href="x">', "</a>",
          '<span class="q" id="q-1" data-speaker="Lee">', "</span>", "<a>", "&amp;", "Ann\nLee"]


def test_person_links_match_the_straightforward_search_on_random_bodies():
    rng = random.Random(3)
    for _ in range(4000):
        html = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14)))
        people = rng.sample(PEOPLE, rng.randint(1, len(PEOPLE)))
        assert link_people(html, people, lambda s: f"../../speakers/{s}/") == \
            _link_people_reference(html, people, lambda s: f"../../speakers/{s}/"), html


# --- echoes and related articles --------------------------------------------------------------

class _Site:
    def __init__(self, groups):
        self.echo_groups = groups
        self.echoes = {f"{q.article}#{q.id}": gi for gi, g in enumerate(groups) for q in g}

    @staticmethod
    def quote_key(q):
        return f"{q.article}#{q.id}"


def _echo_groups_reference(quotes, common):
    """Echo groups the straightforward way: every pair of quotes from different articles
    that shares a shingle used by at most ``common`` quotes and is ``similar``."""
    from generator.model.echoes import shingles, similar
    sets = [shingles(q.text) for q in quotes]
    uses = defaultdict(int)
    for st in sets:
        for sh in st:
            uses[sh] += 1
    parent = list(range(len(quotes)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(quotes)):
        for j in range(i + 1, len(quotes)):
            if (quotes[i].article != quotes[j].article and any(uses[sh] <= common for sh in sets[i] & sets[j])
                    and similar(sets[i], sets[j])):
                a, b = find(i), find(j)
                parent[max(a, b)] = min(a, b)
    out = defaultdict(list)
    for i, q in enumerate(quotes):
        out[find(i)].append(q)
    return [g for _, g in sorted(out.items()) if len({q.article for q in g}) > 1]


WORDS = "we will not accept this deal the talks go on and the ceasefire must hold".split()


@pytest.mark.parametrize("common", [3, 64])
def test_echo_groups_equal_a_comparison_of_every_pair(common, monkeypatch):
    """Grouping by distinct shingle sets finds the groups a comparison of every pair of
    quotes finds: repeated words within and across articles, near copies, stock phrases
    (shingles of more than COMMON quotes), one- and two-word quotes and empty ones."""
    from generator.model import echoes
    monkeypatch.setattr(echoes, "COMMON", common)
    rng = random.Random(11)
    for _ in range(300):
        texts = [" ".join(rng.choice(WORDS) for _ in range(rng.choice([0, 1, 2, 5, 8, 12])))
                 for _ in range(rng.randint(1, 6))]
        quotes = []
        for n in range(rng.randint(2, 40)):
            text = rng.choice(texts)
            if rng.random() < 0.3:       # a near copy: one word changed or dropped
                words = text.split()
                if words:
                    words[rng.randrange(len(words))] = rng.choice(WORDS + [""])
                text = " ".join(words)
            quotes.append(Quote(f"q{n}", "s", text, False, f"a{rng.randint(0, 5)}", n))
        assert echoes.groups(quotes) == _echo_groups_reference(quotes, common)


def test_echo_lists_equal_the_group_minus_the_quote_s_own_article():
    rng = random.Random(5)
    for _ in range(200):
        groups, n = [], 0
        for _g in range(rng.randint(1, 4)):
            group = []
            for _q in range(rng.randint(2, 12)):
                n += 1
                group.append(Quote(id=f"q-{n:08x}", speaker="s", text="t", partial=False,
                                   article=f"a{rng.randint(1, 6)}", position=0, topics=()))
            groups.append(group)
        others = echoes_of(_Site(groups))
        for g in groups:
            for q in g:
                assert others(q) == [o for o in g if o.article != q.article]
                assert others(q) is others(q)       # once per group and article


def _related_reference(order, postings, memberships, limit=rel.LIMIT):
    rank = {slug: i for i, slug in enumerate(order)}
    position = {key: {s: i for i, s in enumerate(slugs)} for key, slugs in postings.items()
                if len(slugs) > 2 * rel.WINDOW + 1}
    out = {}
    for slug in order:
        scores = defaultdict(int)
        for key in memberships.get(slug, ()):
            slugs = postings[key]
            if len(slugs) < 2:
                continue
            weight = round(rel.SCALE * rel.WEIGHTS[key[0]] / math.log2(1 + len(slugs)))
            if key in position:
                i = position[key][slug]
                slugs = slugs[max(0, i - rel.WINDOW): i + rel.WINDOW + 1]
            for other in slugs:
                if other != slug:
                    scores[other] += weight
        me = rank[slug]
        out[slug] = heapq.nsmallest(limit, scores, key=lambda o: (-scores[o], abs(rank[o] - me), o))
    return out


def test_related_articles_equal_a_full_ranking_of_every_candidate():
    rng = random.Random(9)
    for _ in range(30):
        order = [f"a{i:03d}" for i in range(rng.randint(1, 120))]
        postings = {}
        for kind, count in (("speaker", 15), ("topic", 4), ("echo", 6)):
            for k in range(count):
                members = sorted(rng.sample(order, rng.randint(1, len(order))), key=order.index)
                postings[(kind, str(k))] = members
        memberships = defaultdict(list)
        for key, slugs in postings.items():
            for s in slugs:
                memberships[s].append(key)
        assert rel.related(order, postings, memberships) == _related_reference(order, postings, memberships)


def test_related_articles_ranked_in_forked_workers_equal_one_process():
    from generator import parallel
    rng = random.Random(4)
    order = [f"a{i:05d}" for i in range(rel.PARALLEL_MIN + 500)]
    postings = {(kind, str(k)): sorted(rng.sample(order, rng.randint(2, 300)))
                for kind, count in (("speaker", 300), ("topic", 20), ("echo", 100)) for k in range(count)}
    memberships = defaultdict(list)
    for key, slugs in postings.items():
        for s in slugs:
            memberships[s].append(key)
    assert parallel.forks(len(order), 2, rel.PARALLEL_MIN)
    forked = rel.related(order, postings, memberships, workers=2)
    assert list(forked) == order and forked == rel.related(order, postings, memberships, workers=1)


def test_the_call_cache_holds_no_strings_and_stays_bounded():
    from generator.build.templates import FastCallContext
    env = environment(None)
    FastCallContext._plain.clear()
    tpl = env.from_string("{% for t in texts %}{{ t.upper() }}{{ f(t) }}{% endfor %}")
    texts = [f"text {i}" for i in range(50)]
    assert tpl.render(texts=texts, f=len) == "".join(f"{t.upper()}{len(t)}" for t in texts)
    assert not FastCallContext._plain      # built-ins (str methods, len) are never remembered
    for i in range(FastCallContext.PLAIN_MAX + 10):     # a closure per build, as serve makes them
        env.from_string("{{ g() }}").render(g=lambda i=i: i)
    assert len(FastCallContext._plain) <= FastCallContext.PLAIN_MAX


def test_cached_fragments_come_from_imported_macros_so_they_are_reused(project):
    """A macro defined in the page template itself is a new object on every page: cached()
    would then never hit and would keep each page's context alive."""
    from generator.build import Builder, NullReporter
    from generator.config import load_config
    builder = Builder(load_config(project), reporter=NullReporter())
    result = builder.build(search_index=False)
    memo = builder._templates[0].globals["cached"].memo
    macros = {key[0] for key in memo}
    assert result.rendered > 30 and memo
    assert len(macros) <= 12, sorted(m.name for m in macros)
    assert {m.name for m in macros} >= {"site_header", "site_footer", "article_line"}


def test_attribute_lookup_gives_what_jinjas_does():
    """``x.name`` in a template: attribute first, then item, else undefined, exactly as
    Jinja's ``Environment.getattr``, for dicts (whose methods win over keys), objects,
    ``__getattr__`` and properties that raise AttributeError, and missing names."""
    from generator.build.templates import FastEnvironment

    Slotted, Dynamic, Failing = _Slotted, _Dynamic, _Failing
    fast = environment(None)
    assert isinstance(fast, FastEnvironment)
    plain = jinja2.Environment(undefined=jinja2.StrictUndefined)
    cases = [({"title": "D", "items": 1}, "title"), ({"title": "D", "items": 1}, "items"), ({}, "nope"),
             (Slotted(), "title"), (Slotted(), "nope"), (Dynamic(), "made"), (Dynamic(), "other"),
             (Failing(), "broken"), (Failing(), "nope"), ([1, 2], "append"), ([1, 2], "nope"), (None, "x"), ("s", "upper")]
    for obj, name in cases:
        got, want = fast.getattr(obj, name), plain.getattr(obj, name)
        assert type(got) is type(want), (obj, name)
        if isinstance(want, jinja2.Undefined):
            assert got._undefined_name == want._undefined_name and got._undefined_obj is want._undefined_obj
        else:
            assert got == want, (obj, name)
