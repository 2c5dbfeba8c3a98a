"""Pure pieces of the builder: speaker spellings and links, page-relative URLs, the
Markdown renderers, and the CBOR codec behind the reproducible search index."""
from __future__ import annotations

import gzip
import random

import pytest

from generator.build import cbor, search
from generator.build.body import link_people, spellings
from generator.build.markdown import PlainFirst, is_plain, markdown, markdown_py, markdown_rs
from generator.build.urls import Urls

MEDVEDEV = spellings("Dmitry Medvedev", "Russian President", ["Medvedev", "Russian President"])


def test_role_and_title_aliases_are_not_spellings_worth_a_link():
    assert MEDVEDEV == ["Dmitry Medvedev", "Medvedev"]
    assert spellings("Anders Fogh Rasmussen", "NATO Secretary General",
                     ["Rasmussen", "NATO Secretary-General", "former Danish premier"]) == \
        ["Anders Fogh Rasmussen", "Rasmussen"]
    assert spellings("Russian Foreign Ministry", "ministry", ["Foreign Ministry", "the ministry"],
                     "organization") == ["Russian Foreign Ministry", "Foreign Ministry"]


def href(slug: str) -> str:
    return f"../../speakers/{slug}/"


def test_the_full_name_is_linked_not_the_role_in_front_of_it():
    html = "<p>Russian President Dmitry Medvedev said so. Medvedev added more.</p>"
    out = link_people(html, [("dmitry-medvedev", MEDVEDEV)], href)
    assert out == ('<p>Russian President <a class="person" href="../../speakers/dmitry-medvedev/">'
                   'Dmitry Medvedev</a> said so. Medvedev added more.</p>')


def test_the_full_name_wins_over_an_earlier_surname_and_links_are_never_nested():
    html = '<p>Medvedev spoke first. <a href="x">Vladimir Putin</a> and later Dmitry Medvedev.</p>'
    out = link_people(html, [("dmitry-medvedev", MEDVEDEV), ("vladimir-putin", ["Vladimir Putin", "Putin"])], href)
    assert out.count('class="person"') == 1
    assert 'later <a class="person" href="../../speakers/dmitry-medvedev/">Dmitry Medvedev</a>' in out
    assert '<a href="x">Vladimir Putin</a>' in out


def test_a_surname_is_linked_when_the_full_name_never_appears_and_only_as_a_whole_word():
    html = "<p>Medvedevism is a word. Medvedev said it.</p>"
    out = link_people(html, [("dmitry-medvedev", MEDVEDEV)], href)
    assert out == '<p>Medvedevism is a word. <a class="person" href="../../speakers/dmitry-medvedev/">Medvedev</a> said it.</p>'


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script> and <b>not bold</b>\n\n**RT:** x & y \"quoted\" it's",
    "![img](http://x/y.png) [link](javascript:alert(1)) `co<de>`",
    "<div>\nblock html\n</div>\n\npara",
    "# H\n\n> q\n\n- a\n- b\n\n1. x\n\n    code\n\n```\nf<\n```\n\n***\n\nSetext\n---\n\n[r]: http://x\n\n"
    "[r] <http://auto.link> a\\*b &amp; &copy; *em* _u_ line  \nbreak",
])
def test_the_fast_renderer_matches_markdown_it_py_and_never_passes_raw_html(text):
    fast = markdown().render(text)
    assert fast == markdown_py().render(text)
    assert "<script>" not in fast and "<b>" not in fast and "<img" not in fast and "<div>" not in fast


# Plain bodies (no < [ ` ~, tab or NUL) go to pulldown-cmark.
PLAIN = [
    '# Talks "resume"\n\nHe said: "We will *not* yield," it\'s said &amp; &copy; &#8212; **done**.\n',
    "> quoted\n> on two lines\n\n- a\n- b\n\n3. starts at three\n4. four\n\n***\n\nSetext\n---",
    "Windows\r\nline endings\r\n\r\nand old Mac\rones, a hard  \nbreak, a\\\nbackslash one, a \\* b",
    "text then\n\n    indented code at the very end",
    "para\r\n\r\n    code, an old Mac line end\rand a paragraph",
]

NEWS_WORDS = ["the", "minister", "said", "Moscow", "“curly”", '"straight"', "it's", "O'Neil", "&amp;", "&copy;",
              "&#8212;", "3.5", "1.", "2)", "*em*", "**strong**", "_u_", "__b__", "a\\*b", "x*y", "snake_case",
              "é", "—", "#", "+", "-", "=", "(", ")", "!", "?", "…", "100%", "|", "{x}", "*", "_"]


def _news_like(rng: random.Random) -> str:
    """A random body made of what ingested articles hold: paragraphs with emphasis, quotes
    and entities, headings, lists, block quotes, rules, indented code, hard breaks."""
    def line() -> str:
        return " ".join(rng.choice(NEWS_WORDS) for _ in range(rng.randint(1, 12)))

    def block() -> str:
        k = rng.random()
        if k < 0.5:
            return "\n".join(line() + rng.choice(["", "", "  ", "\\"]) for _ in range(rng.randint(1, 3))).rstrip("\\ ")
        if k < 0.6:
            return rng.choice(["#", "##", "###"]) + " " + line()
        if k < 0.7:
            return "\n".join(rng.choice("-*+") + " " + line() for _ in range(rng.randint(1, 4)))
        if k < 0.8:
            start, delim = rng.randint(1, 12), rng.choice(".)")
            return "\n".join(f"{start + i}{delim} {line()}" for i in range(rng.randint(1, 3)))
        if k < 0.9:
            return "\n".join("> " + line() for _ in range(rng.randint(1, 3)))
        if k < 0.95:
            return rng.choice(["***", "---", "___", "Setext\n===", "Setext\n---"])
        return "    " + line()
    text = "\n\n".join(block() for _ in range(rng.randint(1, 8)))
    text = text.replace("\n", "\r\n") if rng.random() < 0.2 else text
    return text + "\n" if rng.random() < 0.5 else text


def _through_pulldown_cmark(general) -> tuple[PlainFirst, list[str]]:
    """A PlainFirst over the real pulldown-cmark, and the texts it was given."""
    pyromark = pytest.importorskip("pyromark")
    plain: list[str] = []
    return PlainFirst(lambda t: plain.append(t) or pyromark.html(t), general), plain


def test_plain_bodies_render_through_pulldown_cmark_as_markdown_it_py_renders_them():
    reference = markdown_py()
    renderer, plain = _through_pulldown_cmark(reference)
    texts = PLAIN + [_news_like(random.Random(seed)) for seed in range(400)]
    for text in texts:
        assert is_plain(text), text
        assert renderer.render(text) == reference.render(text), text
    assert len(plain) == len(texts), "every plain body goes to pulldown-cmark"


@pytest.mark.parametrize("text", ["\xa0Indented by a no-break space\xa0\nand\u3000ideographic\u2003spaces\u202f",
                                  "> \xa0quoted\xa0\n\n- \xa0item\n\n#\xa0Heading\xa0\n\n\xa0\n\npara"])
def test_spaces_beyond_ascii_are_kept_as_markdown_it_rs_keeps_them(text):
    pytest.importorskip("markdown_it_pyrs")
    general = markdown_rs()
    renderer, plain = _through_pulldown_cmark(general)
    assert renderer.render(text) == general.render(text) and plain


@pytest.mark.parametrize("text", ["a <b>bold</b> claim", "[a link](http://x)", "![img](http://x/y.png)",
                                  "`code`", "~~~\nfence\n~~~", "a\ttab", "a\x00nul"])
def test_bodies_pulldown_cmark_may_render_otherwise_go_to_markdown_it(text):
    renderer, plain = _through_pulldown_cmark(markdown_py())
    out = renderer.render(text)
    assert not plain
    assert out == markdown_py().render(text) and "<b>" not in out and "<img" not in out


def test_links_are_relative_to_the_page_and_absolute_where_asked():
    urls = Urls("/repo/", "https://example.org/repo/")
    assert urls.at("articles/x/").speaker("y") == "../../speakers/y/"
    assert urls.at("articles/x/")() == "../../"
    assert urls.at("")("") == "./" and urls.at("")("topics/") == "topics/"
    assert urls.at("speakers/")("static/style.css") == "../static/style.css"
    assert urls.at("404.html", absolute=True)("speakers/") == "/repo/speakers/"
    assert urls.absolute("feed.xml") == "https://example.org/repo/feed.xml"
    assert urls.at("articles/x/").quote(type("Q", (), {"article": "x", "id": "q-1"})) == "../../articles/x/#q-1"


@pytest.mark.parametrize("rel,absolute", [("", False), ("articles/x/", False), ("archive/2020/01/", False),
                                          ("404.html", True), ("feed.xml", False)])
def test_each_link_method_is_the_page_relative_link_of_its_path(rel, absolute):
    urls = Urls("/repo/", "https://example.org/repo/").at(rel, absolute)
    q = type("Q", (), {"article": "a-1", "id": "q-0000abcd"})
    assert urls.article("a-1") == urls(urls.rel_article("a-1"))
    assert urls.speaker("s") == urls(urls.rel_speaker("s")) and urls.topic("t") == urls(urls.rel_topic("t"))
    assert urls.source("o") == urls(urls.rel_source("o"))
    assert urls.quote(q) == urls(urls.rel_article("a-1")) + "#q-0000abcd"
    assert urls.speaker_topic("s", "t") == urls(urls.rel_speaker("s")) + "#on-t"


@pytest.mark.parametrize("value", [0, 23, 24, 255, 256, 70000, 2 ** 40, -1, -500, "", "é" * 30, b"\x00\x01",
                                   [], [1, ["a", [2, 3]]], {"k": [1, "v"]}])
def test_cbor_round_trips(value):
    data = cbor.encode(value)
    assert cbor.decode(data) == (value, len(data))


def test_normalising_sorts_filter_values_and_renames_references(tmp_path):
    folder = tmp_path / "pagefind"
    (folder / "filter").mkdir(parents=True)

    def write(path, value):
        path.write_bytes(gzip.compress(search.SIGNATURE + cbor.encode(value), mtime=0))

    write(folder / "filter" / "en_1111111.pf_filter", ["speaker", [["Zed", [1]], ["Ann", [0, 2]]]])
    write(folder / "filter" / "en_2222222.pf_filter", ["topic", [["Trade", [0]]]])
    # Pagefind lists filters as [name, file hash] in hash-map order.
    write(folder / "pagefind.en_aaaaaaaaaa.pf_meta", ["1.5.2", [["topic", "en_2222222"], ["speaker", "en_1111111"]]])
    (folder / "pagefind-entry.json").write_text('{"version":"1.5.2","languages":{"en":{"hash":"en_aaaaaaaaaa"}}}')
    assert search.normalise(folder)
    files = {search._read(f)[0]: f for f in (folder / "filter").iterdir()}
    assert search._read(files["speaker"]) == ["speaker", [["Ann", [0, 2]], ["Zed", [1]]]]
    [meta] = folder.glob("*.pf_meta")
    assert search._read(meta) == ["1.5.2", [[name, files[name].name[:-len(".pf_filter")]]
                                            for name in ("speaker", "topic")]]
    assert meta.name[len("pagefind."):-len(".pf_meta")] in (folder / "pagefind-entry.json").read_text()


def test_an_unknown_bundle_is_left_alone(tmp_path):
    (tmp_path / "pagefind-entry.json").write_text("{not json")
    assert search.normalise(tmp_path) is False


def test_cached_fragments_render_once_per_link_root_and_arguments():
    import jinja2
    from generator.build.templates import Fragments
    calls = []
    env = jinja2.Environment(autoescape=True)
    urls = Urls("/", "https://example.org/")
    env.globals.update(cached=Fragments(urls), url=urls, note=calls.append)
    tpl = env.from_string('{% macro card(x, big=false) %}{{ note(x) or "" }}<a href="{{ url("p/") }}">{{ x.name }}'
                          '{{ "!" if big }}</a>{% endmacro %}'
                          '{{ cached(card, a) }}{{ cached(card, a) }}{{ cached(card, a, big=true) }}{{ cached(card, b) }}')

    class Thing:
        def __init__(self, name):
            self.name = name
    a, b = Thing("<A>"), Thing("B")
    urls.at("speakers/x/")
    html = tpl.render(a=a, b=b)
    assert html == ('<a href="../../p/">&lt;A&gt;</a>' * 2 + '<a href="../../p/">&lt;A&gt;!</a>'
                    + '<a href="../../p/">B</a>')
    assert len(calls) == 3                       # a, a with big=true, b
    urls.at("archive/2024/05/")                  # another depth: links differ, so rendered again
    assert tpl.render(a=a, b=b).startswith('<a href="../../../p/">')
    assert len(calls) == 6


def test_fragments_cached_anywhere_render_once_for_every_depth():
    import jinja2
    from markupsafe import Markup
    from generator.build.templates import Fragments
    calls = []
    env = jinja2.Environment(autoescape=True)
    urls = Urls("/repo/", "https://example.org/repo/")
    fragments = Fragments(urls)
    env.globals.update(cached=fragments, cached_anywhere=fragments.anywhere, url=urls, note=calls.append)
    # imported macros, as pages use them: the same objects on every page
    macros = env.from_string('{% macro home() %}<a href="{{ url() }}">home</a>{% endmacro %}'
                             '{% macro line(t) %}{{ note(t) or "" }}<li>{{ cached(home) }} '
                             '<a href="{{ url.article(t) }}">{{ t }}</a></li>{% endmacro %}').module
    tpl = env.from_string('{{ cached_anywhere(line, title) }}', globals={"line": macros.line})
    for rel, root in (("articles/a/", "../../"), ("archive/2024/05/", "../../../"), ("sources/b/", "../../")):
        urls.at(rel)
        html = tpl.render(title="x\x01<y>")
        assert html == (f'<li><a href="{root}">home</a> <a href="{root}articles/x\x01&lt;y&gt;/">'
                        'x\x01&lt;y&gt;</a></li>')
    assert len(calls) == 1                       # one rendering for three pages at two depths
    urls.at("")                                  # the site root, where url() is "./": its own
    assert tpl.render(title="x").startswith('<li><a href="./">home</a> <a href="articles/x/">')
    urls.at("robots.txt", absolute=True)         # absolute links under the base path
    assert tpl.render(title="x").startswith('<li><a href="/repo/">home</a> <a href="/repo/articles/x/">')
    assert len(calls) == 3 and isinstance(fragments.anywhere(macros.line, "x"), Markup)
    urls.at("articles/a/")                       # text that holds a NUL (YAML's "\0") stays as it is
    assert tpl.render(title="a\x00b").endswith('<a href="../../articles/a\x00b/">a\x00b</a></li>')
    assert Fragments().anywhere(lambda x: x * 2, 21) == 42


def test_fragments_without_a_build_just_call_the_macro():
    from generator.build.templates import Fragments
    assert Fragments()(lambda x: x * 2, 21) == 42


def test_quotes_are_grouped_by_consecutive_article():
    from types import SimpleNamespace as Q
    from generator.build.templates import by_article
    qs = [Q(article="a", id=1), Q(article="a", id=2), Q(article="b", id=3), Q(article="a", id=4)]
    assert [(slug, [q.id for q in g]) for slug, g in by_article(qs)] == [("a", [1, 2]), ("b", [3]), ("a", [4])]


@pytest.mark.parametrize("summary, body, expected", [
    ("Talks resumed on Monday.", "Talks resumed on Monday.\n\nMore.", True),
    ("Talks  resumed\non Monday.", "**Talks** resumed on _Monday_.\n\nMore.", True),      # emphasis, spaces
    ("Officials said talks resumed.", "Dateline line.\n\nOfficials said talks resumed.", True),  # 2nd paragraph
    ("Officials said talks resumed.", "One.\n\nTwo.\n\nOfficials said talks resumed.", False),  # too late
    ("Talks resumed on Monday.", "Talks stalled on Monday.", False),
    ("", "Anything.", False),
])
def test_the_summary_leads_the_body_when_its_words_open_it(summary, body, expected):
    from types import SimpleNamespace
    from generator.build.pages import lede_in_body
    assert lede_in_body(SimpleNamespace(summary=summary, body=body)) is expected


def test_newest_first_keeps_undated_articles_last():
    from datetime import datetime
    from types import SimpleNamespace as A
    from generator.build.pages import newest_first
    old, new = A(slug="old", date=datetime(2020, 1, 1)), A(slug="new", date=datetime(2021, 1, 1))
    u1, u2 = A(slug="u1", date=None), A(slug="u2", date=None)
    # Chronological order, as the model keeps it: undated last, by slug.
    assert [a.slug for a in newest_first([old, new, u1, u2])] == ["new", "old", "u2", "u1"]
    assert newest_first([]) == []


def test_pages_sharing_fragments_render_in_one_chunk_unless_they_are_most_of_the_work():
    from types import SimpleNamespace as P
    from generator.build.builder import render_chunks
    kinds = ["speaker", "topic", "month", "speaker_feed", "feed"] * 4 + ["article"] * 60
    todo = [P(kind=k) for k in kinds]
    chunks = render_chunks(todo, 2, max_chunk=8)
    assert [kinds[i] for i in chunks[0]] == ["speaker", "topic"] * 4
    assert [kinds[i] for i in chunks[1]] == ["speaker_feed", "feed"] * 4
    assert all(len(c) <= 8 for c in chunks[2:])
    assert sorted(i for c in chunks for i in c) == list(range(len(todo)))      # each page once
    shared = ("speaker", "topic", "speaker_feed", "feed")
    assert [i for c in chunks[2:] for i in c] == [i for i, k in enumerate(kinds) if k not in shared]
    many = [P(kind="speaker")] * 17 + [P(kind="feed")] * 4 + [P(kind="article")] * 43
    chunks = render_chunks(many, 2, max_chunk=8)        # speakers: more than half a worker's share
    assert chunks[0] == [17, 18, 19, 20] and all(len(c) <= 8 for c in chunks[1:])


def test_write_new_makes_the_folders_it_needs_and_replaces_a_file(tmp_path):
    from generator.build.output import write_new
    write_new(f"{tmp_path}/a/b/index.html", b"one")
    write_new(f"{tmp_path}/a/b/feed.xml", b"x" * 300_000)       # the folder exists already
    write_new(f"{tmp_path}/a/b/index.html", b"2")               # shorter: truncated, not patched
    write_new(f"{tmp_path}/top.html", b"t")
    assert (tmp_path / "a/b/index.html").read_bytes() == b"2"
    assert (tmp_path / "a/b/feed.xml").read_bytes() == b"x" * 300_000
    assert (tmp_path / "top.html").read_bytes() == b"t"


RUN = """
import atexit, sys, threading, time
from generator import cli
atexit.register(lambda: print("exit handler ran", flush=True))
if "--thread" in sys.argv:
    sys.argv.remove("--thread")
    threading.Thread(target=lambda: (time.sleep(0.3), print("thread finished", flush=True))).start()
cli.run()
"""


@pytest.mark.parametrize("thread", [False, True])
def test_the_command_exits_at_once_but_runs_exit_handlers_and_flushes(project, thread):
    import subprocess
    import sys
    args = [sys.executable, "-c", RUN, "-C", str(project), "build", "--no-ingest", "--no-search"]
    done = subprocess.run(args + (["--thread"] if thread else []), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "built " in done.stdout and "exit handler ran" in done.stdout
    assert ("thread finished" in done.stdout) is thread
    (project / "content" / "articles" / "broken.md").write_text("---\ntitle: [unclosed\n---\nx\n")
    failed = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1 and "broken.md" in failed.stderr


def test_lazy_json_ld_is_built_only_when_shown_and_encodes_like_its_dict():
    from generator.build.jsonld import LazyJSON as Lazy, script_json as jsonld
    from generator.build.templates import environment
    built = []

    def make():
        built.append(1)
        return {"@type": "NewsArticle", "headline": "</script><b>", "about": [{"name": "x"}]}

    env = environment(None)
    page = {"jsonld": Lazy(make)}
    assert env.from_string("<title>{{ page.get('x') }}</title>").render(page=page) == "<title>None</title>"
    assert built == []                                   # a theme that does not show it never builds it
    shown = env.from_string("{% if page.jsonld %}{{ page.jsonld | jsonld }}{% endif %}").render(page=page)
    assert shown == str(jsonld(make())) and "</script>" not in shown
    assert page["jsonld"]["headline"] == "</script><b>" and len(built) == 2     # built once, then kept


PLAIN_JSON = [
    "".join(chr(c) for c in range(0xD800)),                  # every control, quote and BMP character
    "".join(chr(c) for c in range(0xE000, 0x10000, 7)) + "\U0001F600\U0010FFFF",
    {"@type": "Quotation", "text": "</script><!-- \u2028\u2029 & \"q\" \\ \x00\x1f\x7f",
     "n": [0, -1, 2**63 - 1, -2**63, True, False, None], "nested": [{"a": [[], {}]}, "é"]},
    {"big": 2**64}, "lone \ud800 surrogate",               # orjson refuses these: json's text
]


@pytest.mark.parametrize("data", PLAIN_JSON)
def test_plain_json_is_encoded_exactly_as_json_dumps(data):
    pytest.importorskip("orjson")
    from generator.build import jsonld
    assert jsonld.orjson is not None
    assert jsonld._dumps_plain(data) == jsonld.dumps(data)
    assert jsonld.script_json(jsonld.LazyJSON(lambda: {"x": data})) == jsonld.script_json({"x": data})


def test_every_article_json_ld_of_the_fixture_encodes_as_json_dumps():
    from pathlib import Path
    from generator.build import jsonld
    from generator.build.pages import Contexts, plan
    from generator.config import load_config
    from generator.model import load_site
    config = load_config(Path(__file__).parent / "fixtures" / "digest")
    site, urls = load_site(config.paths["content"]), Urls(config.base_path, config.base_url)
    contexts = Contexts(site, config, urls, markdown())
    pages = [p for p in plan(site, config, urls, {}) if p.kind == "article"]
    assert len(pages) == len(site.articles) > 3
    for page in pages:
        urls.at(page.rel)
        lazy = contexts(page)["page"]["jsonld"]
        assert isinstance(lazy, jsonld.LazyJSON)
        assert jsonld._dumps_plain(lazy.resolve()) == jsonld.dumps(dict(lazy))


def test_json_ld_without_orjson_falls_back_to_json(monkeypatch):
    from generator.build import jsonld
    monkeypatch.setattr(jsonld, "orjson", None)          # a platform with no orjson wheel
    data = {"headline": "</script> & é", "n": [1, None, True]}
    assert jsonld.script_json(jsonld.LazyJSON(lambda: data)) == jsonld.script_json(dict(data))
    assert "</script>" not in jsonld.script_json(data)


def test_date_filters_write_iso_8601_with_four_digit_years():
    from datetime import date, datetime, timedelta, timezone
    from generator.build.templates import atomdate, isodate, longdate
    from generator.model.types import Article
    when = datetime(2009, 9, 18, 16, 49, 5)
    assert (isodate(when), isodate(when, False), atomdate(when)) == ("2009-09-18T16:49", "2009-09-18", "2009-09-18T16:49:05Z")
    assert (longdate(when), longdate(when, False)) == ("18 September 2009, 16:49", "18 September 2009")
    old = datetime(999, 1, 2, 3, 4)
    assert (isodate(old), isodate(old, False), atomdate(old)) == ("0999-01-02T03:04", "0999-01-02", "0999-01-02T03:04:00Z")
    assert atomdate(None) == "1970-01-01T00:00:00Z" and atomdate(None, "x") == "x"
    # Not the model's naive datetimes (a theme may pass others): formatted as before.
    aware = datetime(2009, 9, 18, 16, 49, tzinfo=timezone(timedelta(hours=2)))
    assert (isodate(aware), atomdate(aware), isodate(date(2009, 9, 18))) == ("2009-09-18T16:49", "2009-09-18T16:49:00Z", "2009-09-18T00:00")
    assert Article.month.fget(type("A", (), {"date": old})()) == "0999-01"


def test_the_manifest_is_read_again_whenever_the_file_changes(tmp_path):
    from generator.build import output
    assert output.read_manifest(tmp_path) == []
    (tmp_path / output.MANIFEST).write_bytes(output.manifest_bytes(["a.html", "b/index.html"]))
    assert output.read_manifest(tmp_path) == ["a.html", "b/index.html"]
    assert output.read_manifest(tmp_path) is output.read_manifest(tmp_path)     # parsed once
    (tmp_path / output.MANIFEST).write_bytes(output.manifest_bytes(["c.html", "d/index.html"]))   # same size
    assert output.read_manifest(tmp_path) == ["c.html", "d/index.html"]
    (tmp_path / output.MANIFEST).write_text("not json")
    assert output.read_manifest(tmp_path) == []


def test_builds_overlapping_in_threads_leave_the_collector_as_they_found_it():
    import gc
    from generator.build.builder import _no_collections
    assert gc.isenabled()
    first, second = _no_collections(), _no_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)        # the first ends while the second still runs
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()
    gc.disable()                            # a caller who had it off keeps it off
    try:
        with _no_collections():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_build_leaves_nothing_frozen_and_no_scan_of_its_objects_pending():
    # The builder freezes the model; afterwards everything is collectable again (serve
    # lives on), and re-enabling the collector must not start a scan of all the build made.
    import gc
    from generator.build.builder import _no_collections
    with _no_collections():
        model = [[i] for i in range(20_000)]
        gc.freeze()
        pages = [[i] for i in range(50_000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 1_000
    del model, pages


def test_card_lists_are_the_cards_one_by_one_and_follow_a_changed_article():
    """``Digests.cards``/``auxes`` look known cards up in C: the same digests as asking
    for each card, for articles not asked about yet too; an article replaced by a changed
    one gets a new card, though the carried cache still holds the old one."""
    import dataclasses
    from pathlib import Path
    from generator.build.pages import Digests
    from generator.config import load_config
    from generator.model import load_site
    config = load_config(Path(__file__).parent / "fixtures" / "digest")
    site = load_site(config.paths["content"])
    slugs = list(site.chronological)
    one_by_one = Digests(site)
    want_cards, want_auxes = [one_by_one.card(s) for s in slugs], [one_by_one.aux(s) for s in slugs]
    fresh = Digests(site)
    assert fresh.cards(slugs[:2]) == want_cards[:2]         # unseen: computed
    assert fresh.cards(slugs) == want_cards                 # partly seen
    assert fresh.auxes(slugs) == want_auxes and fresh.auxes(slugs) == want_auxes
    cache: dict = {}
    Digests(site, cache).cards(slugs)
    first = site.articles[slugs[0]]
    edited = dataclasses.replace(site, articles={**site.articles, first.slug: dataclasses.replace(first, title="Other")})
    again = Digests(edited, cache).cards(slugs)
    assert again[0] != want_cards[0] and again[1:] == want_cards[1:]
