"""Incremental rebuilds: the dependency set of an edit, never-stale listings, no-op and
determinism. Each edit is checked two ways: the pages it re-renders, and that the site
it leaves is byte-identical to a full build of the same content from scratch."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import copy_fixture
from generator.build import Builder, NullReporter
from generator.build.depends import affected
from generator.config import load_config
from generator.model.store import ContentStore

NOTE = "content/articles/undated-ministry-note.md"
TRADE = "content/articles/lindqvist-on-trade.md"


def snapshot(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def live(tmp_path):
    """A project with a warm Builder, as serve keeps one."""
    root = copy_fixture(tmp_path / "project")
    builder = Builder(load_config(root), reporter=NullReporter())
    builder.build(search_index=False)
    return root, builder


def rebuild(root: Path, builder: Builder, *rels: str):
    return builder.build(changed={root / r for r in rels}, search_index=False)


def assert_same_as_full_build(root: Path, builder: Builder, tmp_path: Path) -> None:
    """The incrementally maintained site equals a fresh full build of the same content."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    config = load_config(root, {"output": str(fresh), "cache": str(tmp_path / "fresh-cache")})
    Builder(config, reporter=NullReporter()).build(search_index=False)
    assert snapshot(builder.out) == snapshot(fresh)


def test_a_body_edit_renders_only_the_article_page(live, tmp_path):
    root, builder = live
    edit(root / TRADE, "She gave no details on tariffs.", "She gave no details on tariffs or quotas.")
    result = rebuild(root, builder, TRADE)
    assert result.rendered == 1
    assert result.changed_pages == ["articles/lindqvist-on-trade/index.html"]
    assert_same_as_full_build(root, builder, tmp_path)


def test_a_summary_edit_updates_the_listings_that_show_it(live, tmp_path):
    root, builder = live
    edit(root / TRADE, "links trade with the alliance's security", "ties trade to the alliance's security")
    changed = set(rebuild(root, builder, TRADE).changed_pages)
    # Pages whose bytes show the summary are rewritten; others re-render to identical bytes.
    assert {"articles/lindqvist-on-trade/index.html", "index.html", "feed.xml",
            "archive/2019/11/index.html", "sources/northern-wire/index.html"} <= changed
    assert "speakers/tomas-berg/index.html" not in changed
    assert_same_as_full_build(root, builder, tmp_path)


def test_adding_a_speaker_updates_the_article_speaker_pages_index_feed_and_home(live, tmp_path):
    root, builder = live
    edit(root / TRADE, "speakers: [mara-lindqvist]", "speakers: [mara-lindqvist, tomas-berg]")
    changed = set(rebuild(root, builder, TRADE).changed_pages)
    assert {"articles/lindqvist-on-trade/index.html", "speakers/tomas-berg/index.html",
            "speakers/tomas-berg/feed.xml", "speakers/index.html", "index.html"} <= changed
    assert "speakers/freedonian-foreign-ministry/index.html" not in changed
    assert "articles/lindqvist-on-trade/" in (builder.out / "speakers/tomas-berg/index.html").read_text()
    assert_same_as_full_build(root, builder, tmp_path)

    # Removing them again takes the article off that speaker's page (the old speaker's page).
    edit(root / TRADE, "speakers: [mara-lindqvist, tomas-berg]", "speakers: [mara-lindqvist]")
    changed = set(rebuild(root, builder, TRADE).changed_pages)
    assert "speakers/tomas-berg/index.html" in changed
    assert "lindqvist-on-trade" not in (builder.out / "speakers/tomas-berg/index.html").read_text()
    assert_same_as_full_build(root, builder, tmp_path)


def test_a_new_speaker_gets_a_page_and_loses_it_when_unused(live, tmp_path):
    root, builder = live
    edit(root / NOTE, "mentions: []", "mentions: [unused-person]")
    changed = set(rebuild(root, builder, NOTE).changed_pages)
    assert {"speakers/unused-person/index.html", "speakers/index.html", "sitemap.xml"} <= changed
    assert_same_as_full_build(root, builder, tmp_path)
    edit(root / NOTE, "mentions: [unused-person]", "mentions: []")
    assert rebuild(root, builder, NOTE).deleted == 1
    assert not (builder.out / "speakers/unused-person").exists()
    assert_same_as_full_build(root, builder, tmp_path)


@pytest.mark.parametrize("old, new", [
    ("title: \"Lindqvist says trade and security go together\"", "title: \"Lindqvist ties trade to security\""),
    ("topics: [trade, alliance-relations]", "topics: [air-defense]"),            # topic pages come and go
    ("date: '2019-11-12'", "date: '2018-01-02'"),                                # reorders neighbours and months
    ("source: Northern Wire", "source: Freedonia Times"),
    ("mentions: []", "mentions: [ilse-kramer]"),
    ("text: \"Trade and security go together, and the partnership needs both\"",
     "text: \"Trade and security go together\""),                                 # quotes (echo groups) change
])
def test_front_matter_edits_never_leave_a_stale_page(live, tmp_path, old, new):
    root, builder = live
    edit(root / TRADE, old, new)
    rebuild(root, builder, TRADE)
    assert_same_as_full_build(root, builder, tmp_path)


def test_adding_and_removing_an_article(live, tmp_path):
    root, builder = live
    copy = root / "content/articles/lindqvist-on-trade-2.md"
    text = (root / TRADE).read_text(encoding="utf-8").replace("slug: lindqvist-on-trade", "slug: lindqvist-on-trade-2")
    copy.write_text(text.replace("'2019-11-12'", "'2022-02-02'"), encoding="utf-8")
    result = builder.build(changed={copy}, search_index=False)
    assert "articles/lindqvist-on-trade-2/index.html" in result.changed_pages
    assert (builder.out / "archive/2022/02/index.html").is_file()
    assert_same_as_full_build(root, builder, tmp_path)

    copy.unlink()
    result = builder.build(changed={copy}, search_index=False)
    assert not (builder.out / "articles/lindqvist-on-trade-2").exists()
    assert not (builder.out / "archive/2022").exists()
    assert result.deleted >= 2
    assert_same_as_full_build(root, builder, tmp_path)


def test_a_failed_incremental_build_is_retried_against_the_last_good_content(live, tmp_path):
    root, builder = live
    edit(root / NOTE, "speakers: [freedonian-foreign-ministry]", "speakers: [freedonian-foreign-ministry, tomas-berg]")
    edit(root / TRADE, "speakers: [mara-lindqvist]", "speakers: [no-such-person]")
    with pytest.raises(Exception):
        rebuild(root, builder, NOTE, TRADE)
    edit(root / TRADE, "speakers: [no-such-person]", "speakers: [mara-lindqvist]")
    rebuild(root, builder, NOTE, TRADE)
    assert_same_as_full_build(root, builder, tmp_path)


def test_the_dependency_set_of_a_body_edit_is_the_article_alone(project):
    store = ContentStore(project / "content", {})
    store.adopt(store.load())
    old = store.current.site
    edit(project / TRADE, "She gave no details", "She gave few details")
    snap = store.load({project / TRADE})
    assert not snap.reindexed
    assert affected(old, snap.site, snap.diff, snap.reindexed) == {("article", "lindqvist-on-trade")}


def test_a_warm_rebuild_is_a_noop_that_writes_nothing(project):
    config = load_config(project)
    Builder(config, reporter=NullReporter()).build(search_index=False)
    out = config.paths["output"]
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = Builder(config, reporter=NullReporter()).build(search_index=False)
    assert result.noop and result.written == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_two_builds_are_byte_identical_including_the_search_index(project, tmp_path):
    snaps = []
    for n in ("one", "two"):
        config = load_config(project, {"output": str(tmp_path / n), "cache": str(tmp_path / f"cache-{n}")})
        result = Builder(config, reporter=NullReporter()).build()
        assert result.search == "indexed"
        snaps.append(snapshot(result.output))
    assert snaps[0] == snaps[1]
    assert any(k.startswith("pagefind/0/filter/") for k in snaps[0])


def test_the_commands_run_entry_point_keeps_its_builder_between_calls(project):
    from generator.commands import build as command
    config = load_config(project)
    command.run(config, reporter=NullReporter(), search_index=False)
    edit(project / TRADE, "She gave no details", "She gave few details")
    result = command.run(config, reporter=NullReporter(), changed={project / TRADE})
    assert result.changed_pages == ["articles/lindqvist-on-trade/index.html"]
    assert result.search in ("deferred", "unchanged")


def test_warm_after_a_noop_start_makes_the_next_edit_incremental(project):
    config = load_config(project)
    Builder(config, reporter=NullReporter()).build(search_index=False)
    builder = Builder(config, reporter=NullReporter())
    assert builder.build(search_index=False).noop
    assert builder.warm().rendered == 0
    assert Builder(config, reporter=NullReporter()).build(search_index=False).noop   # still a no-op
    edit(project / TRADE, "She gave no details", "She gave few details")
    result = builder.build(changed={project / TRADE}, search_index=False)
    assert result.rendered == 1 and result.changed_pages == ["articles/lindqvist-on-trade/index.html"]


def test_page_digest_tells_pages_apart_with_or_without_xxhash(monkeypatch):
    from generator.build import output
    page = "<p>Zelenskyy said “no” · 10:05</p>".encode()
    for fast in (output.xxhash, None):
        monkeypatch.setattr(output, "xxhash", fast)
        assert output.page_digest(page) == output.page_digest(bytes(page))
        assert output.page_digest(page) != output.page_digest(page.replace(b"no", b"on"))
        assert output.page_digest(page) != output.page_digest(page + b"\n")
    assert output.page_digest(page) == hashlib.sha1(page).hexdigest()      # the fallback


def test_a_state_kept_with_the_other_page_digest_still_rebuilds_right(tmp_path, monkeypatch):
    """Pages digested with SHA-1 (no xxhash) then rebuilt with XXH3: no digest matches, so
    the pages a change reaches are written, and the site equals a full build."""
    from generator.build import output
    fast = output.xxhash
    monkeypatch.setattr(output, "xxhash", None)
    root = copy_fixture(tmp_path / "project")
    builder = Builder(load_config(root), reporter=NullReporter())
    builder.build(search_index=False)
    monkeypatch.setattr(output, "xxhash", fast)
    edit(root / TRADE, "She gave no details on tariffs.", "She gave no details on tariffs or quotas.")
    result = rebuild(root, builder, TRADE)
    assert result.changed_pages == ["articles/lindqvist-on-trade/index.html"]
    assert_same_as_full_build(root, builder, tmp_path)
