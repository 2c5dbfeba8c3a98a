"""The content model: loading, indexes, echoes, related articles and error reporting."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.model import ContentErrors, load_site
from generator.model.articles import parse_date, quote_topics
from generator.model.echoes import groups, shingles, similar
from generator.model.types import Quote, Topic, canonical_bytes

FIXTURE = Path(__file__).parent / "fixtures" / "digest" / "content"


@pytest.fixture(scope="module")
def site():
    return load_site(FIXTURE)


def test_articles_load_in_time_order_with_undated_last(site):
    assert site.chronological[0] == "lindqvist-offers-joint-shield"
    assert site.chronological[-1] == "undated-ministry-note"
    assert site.undated == ["undated-ministry-note"]
    assert site.by_month["2019-03"] == ["lindqvist-offers-joint-shield"]


def test_indexes_by_speaker_topic_and_source(site):
    assert site.by_speaker["tomas-berg"] == ["lindqvist-offers-joint-shield", "berg-interview-on-trade"]
    assert site.mentioned_in["tomas-berg"] == ["lindqvist-repeats-pledge"]
    assert "ilse-kramer" in site.speakers and "unused-person" not in site.speakers
    assert set(site.by_topic) == {"air-defense", "alliance-relations", "trade"}
    # source aliases resolve to the registry's canonical name
    assert site.articles["berg-interview-on-trade"].source == "Freedonia Times"
    assert site.articles["lindqvist-repeats-pledge"].source == "Northern Wire"
    assert site.by_source["northern-wire"][-1] == "lindqvist-repeats-pledge"


def test_quotes_are_indexed_by_speaker_in_time_order(site):
    ids = [q.id for q in site.quotes_by_speaker["mara-lindqvist"]]
    assert ids == ["q-0a000001", "q-0a000002", "q-0e000001", "q-0c000001", "q-0c000002"]


def test_prev_next_and_related(site):
    assert site.prev_next["berg-interview-on-trade"] == ("lindqvist-offers-joint-shield", "lindqvist-on-trade")
    assert site.prev_next["lindqvist-offers-joint-shield"][0] is None
    # the article repeating the same statement is the most related one
    assert site.related["lindqvist-offers-joint-shield"][0] == "lindqvist-repeats-pledge"


def test_repeated_statement_forms_one_echo_group(site):
    assert len(site.echo_groups) == 1
    assert {q.article for q in site.echo_groups[0]} == {"lindqvist-offers-joint-shield", "lindqvist-repeats-pledge"}


def test_similarity_handles_partial_reuse_but_not_stock_words():
    a = shingles("NATO will never attack Russia, and we do not think Russia will attack NATO")
    b = shingles("NATO will never attack Russia and we do not think Russia will attack NATO either way")
    c = shingles("We will study the offer carefully")
    assert similar(a, b)
    assert not similar(a, c)
    q = lambda art, text: Quote("q-00000000", "x", text, False, art, 0)  # noqa: E731
    assert groups([q("a", "the same long statement made twice here"),
                   q("a", "the same long statement made twice here")]) == []  # one article only


def test_quote_topics_follow_the_terms_in_the_statement():
    reg = {"trade": Topic("trade", "Trade", keywords=("tariff",)), "air": Topic("air", "Air", keywords=("radar",))}
    assert quote_topics("the radar question", ("trade", "air"), {}, reg) == ("air",)
    assert quote_topics("nothing relevant", ("trade", "air"), {}, reg) == ("trade",)


def test_quote_topics_search_fewer_terms_with_the_same_answers():
    """Terms holding a shorter term of the same topic are dropped from the search; the
    topics found are those any of the full list of terms would give."""
    import random
    from generator.model.articles import _needles
    assert _needles(("Missile defense talks",), ("missile defense", "radar"), "Missile Defense") == \
        ("radar", "missile defense")
    vocab = ["arms", "arms control", "control", "Arms Control talks", "gas", "gas pipelines", "ß", "ss", "talks"]
    rng = random.Random(4)
    for _ in range(300):
        reg = {t: Topic(t, rng.choice(vocab), keywords=tuple(rng.sample(vocab, 3))) for t in ("a", "b", "c")}
        terms = {t: tuple(rng.sample(vocab, rng.randint(0, 2))) for t in ("a", "c")}
        text = " ".join(rng.sample(vocab, 2))
        every = [t for t in reg if any(w.casefold() in text.casefold()
                                       for w in (*terms.get(t, ()), *reg[t].keywords, reg[t].name) if w)]
        assert quote_topics(text, ("a", "b", "c"), terms, reg) == (tuple(every) or ("a",))


def test_parse_date_forms():
    assert parse_date("2011-12-06") [1] is False
    assert parse_date("2009-09-18T16:49")[0].hour == 16
    assert parse_date(None) == (None, False)
    with pytest.raises(ValueError):
        parse_date("18 Sep 2009")


# --- errors: every kind gives file:line, all of them in one pass ------------------------------

def _write(root: Path, name: str, text: str) -> Path:
    path = root / "articles" / name
    path.write_text(text, encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    """1-based line of the first line containing ``needle``: tests never hard-code offsets."""
    return next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in l)


def _errors(content: Path) -> list[ContentError]:
    with pytest.raises(ContentErrors) as info:
        load_site(content)
    return info.value.errors


@pytest.fixture
def content(tmp_path):
    import shutil
    return Path(shutil.copytree(FIXTURE, tmp_path / "content"))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_error_kind_has_file_and_line_and_all_are_reported(content):
    arts = content / "articles"
    _replace(arts / "lindqvist-on-trade.md", "date: '2019-11-12'", "date: 'Tuesday 12th'")              
    _replace(arts / "berg-interview-on-trade.md", "speakers: [tomas-berg]", "speakers: [tomas-berk]")  
    _replace(arts / "undated-ministry-note.md", "topics: [trade]", "topics: [trades]")                 
    _replace(arts / "lindqvist-repeats-pledge.md", 'title: "', 'title: "broken: [')                     
    _replace(arts / "lindqvist-repeats-pledge.md", "summary: \"Two", "summary: \"Two\" extra\"")
    dup = (arts / "lindqvist-offers-joint-shield.md").read_text(encoding="utf-8")
    (arts / "zz-copy.md").write_text(dup, encoding="utf-8")
    errors = _errors(content)
    by_file = {Path(e.path).name: e for e in errors}
    assert by_file["lindqvist-on-trade.md"].line == _line(arts / "lindqvist-on-trade.md", "date:") and "bad date" in by_file["lindqvist-on-trade.md"].message
    assert by_file["berg-interview-on-trade.md"].line == _line(arts / "berg-interview-on-trade.md", "tomas-berk")
    assert "tomas-berg" in by_file["berg-interview-on-trade.md"].hint   # did-you-mean
    assert by_file["undated-ministry-note.md"].line == _line(arts / "undated-ministry-note.md", "trades") and "trades" in by_file["undated-ministry-note.md"].message
    assert "invalid YAML" in by_file["lindqvist-repeats-pledge.md"].message
    assert by_file["lindqvist-repeats-pledge.md"].line in (_line(arts / "lindqvist-repeats-pledge.md", "broken"),
                                                            _line(arts / "lindqvist-repeats-pledge.md", "summary:"))
    assert "duplicate slug" in by_file["zz-copy.md"].message and by_file["zz-copy.md"].line == _line(arts / "zz-copy.md", "slug:")
    assert all(e.hint for e in errors)
    text = str(ContentErrors("x", errors=errors))
    assert f"zz-copy.md:{_line(arts / 'zz-copy.md', 'slug:')}:" in text and "lindqvist-on-trade.md:" in text


def test_unknown_quote_speaker_points_at_the_quote_line(content):
    path = content / "articles" / "lindqvist-on-trade.md"
    _replace(path, "speaker: mara-lindqvist", "speaker: mara-lindquist")
    [err] = _errors(content)
    assert err.line == _line(path, "mara-lindquist") and "mara-lindquist" in err.message


def test_broken_registry_yaml_has_a_line(content):
    (content / "topics.yaml").write_text("trade:\n  name: Trade\n  keywords: [a, b\n", encoding="utf-8")
    errors = _errors(content)
    assert errors[0].path.name == "topics.yaml" and errors[0].line and errors[0].line >= 3


def test_echoes_and_related_are_reused_only_while_their_inputs_hold(site):
    import dataclasses
    from generator.model.load import index
    arts = site.articles
    memo: dict = {}
    fresh = index(arts, site.speakers, site.topics, {}, memo)
    assert memo["key"] and memo["related"] == fresh.related
    reused = index(arts, site.speakers, site.topics, {}, memo)
    assert reused.related == fresh.related
    assert [[site.quote_key(q) for q in g] for g in reused.echo_groups] == \
        [[site.quote_key(q) for q in g] for g in fresh.echo_groups]
    # The reused groups hold this load's Quote objects, not copies.
    assert all(q is reused.quote_index[site.quote_key(q)] for g in reused.echo_groups for q in g)
    # A body edit keeps the key; a quote edit changes it and the groups are recomputed.
    slug = next(s for s in arts if arts[s].quotes)
    body_edit = {**arts, slug: dataclasses.replace(arts[slug], body=arts[slug].body + " More.")}
    key = memo["key"]
    index(body_edit, site.speakers, site.topics, {}, memo)
    assert memo["key"] == key
    quotes = (dataclasses.replace(arts[slug].quotes[0], text="An entirely different statement was made here today"),
              *arts[slug].quotes[1:])
    quote_edit = {**arts, slug: dataclasses.replace(arts[slug], quotes=quotes)}
    index(quote_edit, site.speakers, site.topics, {}, memo)
    assert memo["key"] != key


def test_article_names_lists_markdown_files_only_sorted(tmp_path):
    from generator.model.load import article_files, article_names
    assert article_names(tmp_path) == []                        # no articles folder
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("b.md", "a.md", "B.md", ".a.md.swp", ".hidden.md", "notes.txt", "a.md~"):
        (folder / name).write_text("x")
    (folder / "dir.md").mkdir()                                 # a folder is not an article
    (folder / "link.md").symlink_to(folder / "a.md")            # a link to a file is
    expected = sorted(str(p) for p in folder.glob("*.md") if p.is_file() and not p.name.startswith("."))
    assert article_names(tmp_path) == expected
    assert [Path(n).name for n in expected] == ["B.md", "a.md", "b.md", "link.md"]
    assert article_files(tmp_path) == [Path(n) for n in expected]


def test_the_model_pickles_to_equal_records(site):
    """Workers send loaded articles back pickled and the parse cache is a pickle: every
    record must come back equal, the article's path as a Path again."""
    import pickle
    for a in site.articles.values():
        b = pickle.loads(pickle.dumps(a, pickle.HIGHEST_PROTOCOL))
        assert b == a and type(b.path) is type(a.path) and b.quotes == a.quotes
    for record in (*site.speakers.values(), *site.topics.values(), *site.sources.values()):
        assert pickle.loads(pickle.dumps(record, pickle.HIGHEST_PROTOCOL)) == record


def test_canonical_bytes_follow_the_values_not_the_objects():
    import sys
    from datetime import datetime
    slug = "".join(["jane", "-", "doe"])          # equal to an interned string, not the same object
    shared = ("jane-doe", "jane-doe")
    apart = (sys.intern("jane-doe"), slug)
    assert shared[1] is shared[0] and apart[1] is not apart[0]
    when = datetime(2019, 11, 12, 9, 30)
    assert canonical_bytes((shared, when, 3, None)) == canonical_bytes((apart, datetime(2019, 11, 12, 9, 30), 3, None))
    # Any difference shows: a value, a type (True is not 1), nesting, order, the time.
    base = canonical_bytes(("a", 1, (("b",),), when))
    for other in (("a", True, (("b",),), when), ("a", 1, ("b",), when), (1, "a", (("b",),), when),
                  ("a", 1, (("b",),), datetime(2019, 11, 12, 9, 31)), ("a", 1, (("b", ""),), when)):
        assert canonical_bytes(other) != base
