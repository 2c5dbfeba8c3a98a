"""The search index in shards: which article goes where, when a shard is stale, and that an
edit re-runs Pagefind on its own shard only, through the real builder and Pagefind."""
from __future__ import annotations

import pytest

from conftest import copy_fixture
from generator.build import Builder, NullReporter
from generator.build import output, search
from generator.config import load_config
from generator.errors import ConfigError

TRADE = "content/articles/lindqvist-on-trade.md"


def test_shard_count_is_a_power_of_two_that_holds_every_article():
    assert [search.shard_count(n, 1000) for n in (0, 1, 1000, 1001, 2000, 2001, 10_000)] == [1, 1, 1, 2, 2, 4, 16]
    assert search.shard_count(5, 2) == 4


def test_members_are_stable_and_cover_every_slug_once():
    slugs = [f"article-{i}" for i in range(50)]
    members = search.shard_members(reversed(slugs), 10)
    assert len(members) == 8
    assert sorted(s for m in members.values() for s in m) == sorted(slugs)
    # Adding an article moves no other (the count is unchanged below the next doubling).
    grown = search.shard_members(slugs + ["article-50"], 10)
    for i, m in members.items():
        assert [s for s in grown[i] if s != "article-50"] == m


def test_a_page_change_makes_only_its_shard_digest_change():
    pages = {f"a{i}": f"sha{i}" for i in range(40)}
    before = search.plan_shards(pages, "en", 10)
    after = search.plan_shards({**pages, "a7": "edited"}, "en", 10)
    changed = {i for i in before if before[i].digest != after[i].digest}
    assert changed == {search.shard_of("a7", 4)}
    # The language is part of every digest.
    other = search.plan_shards(pages, "de", 10)
    assert all(other[i].digest != before[i].digest for i in before)


def test_replanning_after_edits_matches_planning_the_whole_site():
    import random
    rng = random.Random(7)
    pages = {f"a{i}": f"sha{i}" for i in range(60)}
    plan = search.plan_shards(pages, "en", 10)
    for _ in range(20):
        edited = rng.sample(sorted(pages), rng.randint(0, 5))
        pages = {**pages, **{slug: pages[slug] + "+" for slug in edited}}
        rendered = edited + rng.sample(sorted(pages), 2)     # re-rendered with the same bytes too
        plan = search.replan_shards(plan, pages.__getitem__, rendered, "en")
        assert plan == search.plan_shards(pages, "en", 10)


def test_stale_shards_checks_digests_and_bundles(tmp_path):
    want = search.plan_shards({"a": "1", "b": "2", "c": "3"}, "en", 1)
    have = {i: sh.digest for i, sh in want.items()}
    # Recorded but no bundle on disk: stale, unless the shard is empty.
    assert search.stale_shards(tmp_path, want, have) == {i for i, sh in want.items() if sh.slugs}
    for i, sh in want.items():
        (tmp_path / "pagefind" / str(i)).mkdir(parents=True)
        (tmp_path / "pagefind" / str(i) / "pagefind.js").write_text("")
    assert search.stale_shards(tmp_path, want, have) == set()
    assert search.stale_shards(tmp_path, want, {**have, 0: "old"}) == {0}


@pytest.fixture
def sharded(tmp_path):
    root = copy_fixture(tmp_path / "project")
    with open(root / "digest.yaml", "a", encoding="utf-8") as fh:
        fh.write("search:\n  shard_size: 2\n")
    return root


def _bundles(out):
    return {p.parent.name: p.parent for p in (out / "pagefind").glob("*/pagefind.js")}


def _inodes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_an_edit_reindexes_its_own_shard_and_reuses_the_others(sharded):
    config = load_config(sharded)
    first = Builder(config, reporter=NullReporter()).build()
    assert first.search == "indexed"
    out = config.paths["output"]
    bundles = _bundles(out)
    assert len(bundles) > 1
    search_page = (out / "search" / "index.html").read_text(encoding="utf-8")
    assert f'data-shards="{" ".join(sorted(bundles, key=int))}"' in search_page
    before = {name: _inodes(folder) for name, folder in bundles.items()}

    path = sharded / TRADE
    path.write_text(path.read_text(encoding="utf-8").replace("She gave no details", "She gave few details"),
                    encoding="utf-8")
    second = Builder(config, reporter=NullReporter()).build()
    assert second.search == "indexed"
    mine = str(search.shard_of("lindqvist-on-trade", search.shard_count(5, 2)))
    after = {name: _inodes(folder) for name, folder in _bundles(out).items()}
    assert after.keys() == before.keys()
    for name in before:
        if name == mine:
            assert after[name] != before[name], "the edited article's shard was not re-indexed"
        else:
            # Carried over as hard links to the very same files: Pagefind did not run on it.
            assert after[name] == before[name], f"shard {name} was re-indexed although unchanged"
    listed = (out / output.MANIFEST).read_text(encoding="utf-8")      # every shard stays ours
    assert all(f"pagefind/{n}/pagefind.js" in listed for n in before)

    third = Builder(config, reporter=NullReporter()).build()
    assert third.noop and third.search == "unchanged"


def test_an_incremental_build_plans_the_shards_as_a_full_build_does(sharded):
    """An edit under serve re-digests only its own shards; a renamed article plans them afresh."""
    config = load_config(sharded)
    builder = Builder(config, reporter=NullReporter())
    builder.build(search_index=False)

    def full_plan():
        pages = builder.state["pages"]
        return search.plan_shards({slug: pages[f"articles/{slug}/index.html"][1] for slug in builder.site.articles},
                                  config.language, 2)

    before = builder.state["search_plan"]
    assert before == full_plan()
    path = sharded / TRADE
    path.write_text(path.read_text(encoding="utf-8").replace("She gave no details", "She gave few details"),
                    encoding="utf-8")
    assert builder.build(changed={path}, search_index=False).rendered == 1
    after = builder.state["search_plan"]
    assert after == full_plan()
    mine = search.shard_of("lindqvist-on-trade", len(before))
    assert {i for i in before if before[i] != after[i]} == {mine}

    path.write_text(path.read_text(encoding="utf-8").replace("slug: lindqvist-on-trade", "slug: trade-and-security"),
                    encoding="utf-8")
    builder.build(changed={path}, search_index=False)
    assert "trade-and-security" in builder.site.articles
    assert builder.state["search_plan"] == full_plan()
    # The saved state reads back: a new builder finds every page current.
    assert Builder(config, reporter=NullReporter()).build(search_index=False).rendered == 0


def test_search_can_be_turned_off(tmp_path):
    root = copy_fixture(tmp_path / "project")
    out = load_config(root).paths["output"]
    assert Builder(load_config(root), reporter=NullReporter()).build().search == "indexed"
    assert (out / "pagefind").is_dir()
    with open(root / "digest.yaml", "a", encoding="utf-8") as fh:
        fh.write("search:\n  enabled: false\n")
    config = load_config(root)
    result = Builder(config, reporter=NullReporter()).build()
    assert result.search == "skipped"
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "search/" not in home and 'role="search"' not in home
    assert Builder(config, reporter=NullReporter()).index_search().search == "unchanged"   # no shards planned
    # and on again: the shards, planned afresh, are all indexed
    (root / "digest.yaml").write_text((root / "digest.yaml").read_text().replace("enabled: false", "enabled: true"))
    assert Builder(load_config(root), reporter=NullReporter()).build().search == "indexed"
    assert (out / "pagefind").is_dir() and (out / "search" / "index.html").is_file()


def test_a_shard_size_below_one_is_refused_with_its_line(tmp_path):
    root = copy_fixture(tmp_path / "project")
    with open(root / "digest.yaml", "a", encoding="utf-8") as fh:
        fh.write("search:\n  shard_size: 0\n")
    with pytest.raises(ConfigError) as err:
        load_config(root)
    assert err.value.line == len((root / "digest.yaml").read_text().splitlines())
    assert "shard_size" in str(err.value)


def test_the_no_search_flag_builds_pages_only(tmp_path):
    import subprocess
    import sys
    root = copy_fixture(tmp_path / "project")
    proc = subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", "--no-ingest", "--no-search"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = root / "site"
    assert (out / "index.html").is_file() and (out / "articles").is_dir()
    assert not (out / "pagefind").exists() and not (out / "search").exists()


def test_pagefind_runs_as_its_binary_or_through_its_module():
    import os
    from generator.build.search import _pagefind
    cmd = _pagefind()
    assert cmd[1:] == ("-m", "pagefind") or (len(cmd) == 1 and os.access(cmd[0], os.X_OK))
