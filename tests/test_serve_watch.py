"""The watcher on real files: debouncing, ignored paths, content-identical saves; and classify."""
from __future__ import annotations

import os
import queue
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.serve import Watcher, classify, is_ignored

QUIET = 0.6       # long enough that an event, had there been one, would have arrived


@pytest.fixture()
def project(tmp_path: Path):
    for d in ("seeds", "content/articles", "templates/static", "site", ".digest-cache"):
        (tmp_path / d).mkdir(parents=True)
    (tmp_path / "content/articles/a.md").write_text("---\ntitle: A\n---\nBody.\n")
    (tmp_path / "templates/static/style.css").write_text("body{}")
    (tmp_path / "digest.yaml").write_text("title: T\n")
    (tmp_path / "notes.txt").write_text("not watched")
    return tmp_path.resolve()


@pytest.fixture()
def watch(project: Path):
    batches: queue.Queue = queue.Queue()
    started: list[Watcher] = []

    def start(**kw) -> tuple[Watcher, queue.Queue]:
        w = Watcher([project / "seeds", project / "content", project / "templates"], [project / "digest.yaml"],
                    batches.put, ignore=[project / "site", project / "content" / "out"], **kw).start()
        started.append(w)
        return w, batches

    yield start
    for w in started:
        w.stop()


def next_batch(q: queue.Queue, timeout: float = 5.0) -> list[Path]:
    return q.get(timeout=timeout)


def assert_quiet(q: queue.Queue) -> None:
    with pytest.raises(queue.Empty):
        got = q.get(timeout=QUIET)
        print("unexpected batch:", got)


@pytest.mark.parametrize("name", [".a.md.swp", ".a.md.swx", "a.md~", "4913", ".#a.md", "#a.md#", "a.md.tmp",
                                  ".ingest-manifest.json", "x.kate-swp"])
def test_editor_droppings_are_ignored(name):
    assert is_ignored(Path("/p/content/articles") / name)


def test_output_and_cache_folders_are_ignored():
    assert is_ignored(Path("/p/site/index.html"), [Path("/p/site")])
    assert not is_ignored(Path("/p/content/articles/a.md"), [Path("/p/site")])
    assert not is_ignored(Path("/p/sitemap/a.md"), [Path("/p/site")])


def test_a_real_edit_is_one_batch(watch, project):
    _, q = watch()
    article = project / "content/articles/a.md"
    article.write_text("---\ntitle: A\n---\nBody, edited.\n")
    assert next_batch(q) == [article]
    assert_quiet(q)


def test_a_burst_is_debounced_into_one_batch(watch, project):
    _, q = watch(debounce=0.15, settle=0.15)
    article = project / "content/articles/a.md"
    for i in range(8):
        article.write_text(f"---\ntitle: A\n---\nBody {i}.\n")
        time.sleep(0.01)
    (project / "content/articles/b.md").write_text("---\ntitle: B\n---\nNew.\n")
    assert next_batch(q) == [article, project / "content/articles/b.md"]
    assert_quiet(q)


def test_a_vim_style_save_is_one_change(watch, project):
    """vim probes with 4913, renames the original to a backup, writes anew, drops the backup."""
    _, q = watch()
    folder = project / "content/articles"
    (folder / "4913").write_text("")
    (folder / "4913").unlink()
    os.rename(folder / "a.md", folder / "a.md~")
    (folder / ".a.md.swp").write_bytes(b"\0swap")
    (folder / "a.md").write_text("---\ntitle: A\n---\nSaved by vim.\n")
    (folder / "a.md~").unlink()
    (folder / ".a.md.swp").unlink()
    assert next_batch(q) == [folder / "a.md"]
    assert_quiet(q)


def test_ignored_paths_and_unwatched_files_trigger_nothing(watch, project):
    _, q = watch()
    (project / "site/index.html").write_text("built")
    (project / ".digest-cache/state.json").write_text("{}")
    (project / "content/out").mkdir()
    (project / "content/out/page.html").write_text("generated inside content")
    (project / "notes.txt").write_text("root files other than digest.yaml do not count")
    (project / "content/articles/.a.md.swp").write_text("swap")
    (project / "content/articles/a.md~").write_text("backup")
    (project / "content/.ingest-manifest.json").write_text("{}")
    assert_quiet(q)


def test_a_save_without_changes_triggers_nothing(watch, project):
    _, q = watch()
    article = project / "content/articles/a.md"
    article.write_bytes(article.read_bytes())
    os.utime(article, (time.time() + 5, time.time() + 5))
    assert_quiet(q)
    article.write_text(article.read_text() + "More.\n")
    assert next_batch(q) == [article]


def test_deleting_and_reverting_are_changes_too(watch, project):
    _, q = watch()
    article = project / "content/articles/a.md"
    original = article.read_bytes()
    article.unlink()
    assert next_batch(q) == [article]
    article.write_bytes(original)
    assert next_batch(q) == [article]


def test_config_file_and_new_folders_are_seen(watch, project):
    _, q = watch()
    (project / "digest.yaml").write_text("title: Changed\n")
    assert next_batch(q) == [project / "digest.yaml"]
    (project / "templates/partials").mkdir()
    (project / "templates/partials/x.html").write_text("{{ 1 }}")
    assert next_batch(q) == [project / "templates/partials/x.html"]


def test_absorbed_writes_are_not_changes(watch, project):
    w, q = watch(debounce=0.2)
    article = project / "content/articles/a.md"
    article.write_text("written by ingest\n")
    w.absorb([article])
    assert_quiet(q)


def test_changes_during_a_callback_become_the_next_batch(project):
    seen: queue.Queue = queue.Queue()
    a, b = project / "content/articles/a.md", project / "content/articles/b.md"

    def slow(batch):
        seen.put(batch)
        if batch == [a]:
            b.write_text("written while the first batch was handled")
            time.sleep(0.3)

    w = Watcher([project / "content"], [], slow).start()
    try:
        a.write_text("edit")
        assert next_batch(seen) == [a]
        assert next_batch(seen) == [b]
        assert w.idle(5)
    finally:
        w.stop()


def _config(root: Path):
    paths = {k: root / k for k in ("seeds", "content", "templates")}
    paths.update(output=root / "site", cache=root / ".digest-cache")
    return SimpleNamespace(paths=paths, root=root, source=root / "digest.yaml")


def test_classify_sorts_changes_by_folder(project):
    c = _config(project)
    ch = classify([project / "seeds/x.txt", project / "content/articles/a.md", project / "templates/base.html"], c)
    assert ch.seeds == (project / "seeds/x.txt",)
    assert ch.content == (project / "content/articles/a.md",)
    assert ch.templates == (project / "templates/base.html",)
    assert not ch.config and not ch.css_only
    assert classify([project / "digest.yaml"], c).config


def test_classify_css_only(project):
    c = _config(project)
    assert classify([project / "templates/static/style.css"], c).css_only
    assert not classify([project / "templates/static/style.css", project / "templates/base.html"], c).css_only
    assert not classify([project / "templates/static/style.css", project / "content/speakers.yaml"], c).css_only


def test_a_watched_folder_created_later_is_watched(tmp_path):
    root = tmp_path.resolve()
    (root / "content").mkdir()
    seen: queue.Queue = queue.Queue()
    w = Watcher([root / "content", root / "templates"], [], seen.put).start()
    try:
        (root / "templates" / "static").mkdir(parents=True)
        (root / "templates" / "static" / "style.css").write_text("body{}")
        assert next_batch(seen) == [root / "templates/static/style.css"]
        assert w.idle(5)
        (root / "templates" / "static" / "style.css").write_text("body{color:red}")
        assert next_batch(seen) == [root / "templates/static/style.css"]
    finally:
        w.stop()


def test_a_finished_write_settles_sooner_than_other_events(watch, project):
    _, q = watch(debounce=1.5, settle=0.02, max_wait=3.0)
    article = project / "content/articles/a.md"
    t0 = time.monotonic()
    article.write_text("closed after writing")        # the last event is the close: settle
    assert next_batch(q) == [article]
    assert time.monotonic() - t0 < 1.0
    t0 = time.monotonic()
    article.unlink()                                  # a deletion may be half of a save: debounce
    assert next_batch(q) == [article]
    assert time.monotonic() - t0 >= 1.5
