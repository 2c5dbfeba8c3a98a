"""A build spread over processes writes the same site as a build in one process.

With several workers a first build reads the content in forked workers, renders the
article bodies in one more process while this one computes the indexes
(``parallel.Ahead``), then renders the pages in forked workers."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from generator import parallel
from generator.build import builder
from generator.config import load_config

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.append(str(BENCH))

import corpus  # noqa: E402

N = 600     # enough for every pool: loading (256), bodies ahead (512), rendering


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class _Patient(parallel.Ahead):
    """Takes every result (production takes what is ready): the bodies rendered ahead are
    then certainly the ones the pages show."""
    taken: list = []

    def take_lazily(self):
        self._process.join(60)          # no stop request: every chunk is done
        done = super().take_lazily()
        _Patient.taken.append(len(done))
        return done


@pytest.mark.skipif(not parallel.Ahead.worthwhile(N, 2), reason="needs fork")
def test_forked_build_with_bodies_rendered_ahead_equals_one_process(tmp_path, monkeypatch):
    corpus.write_corpus(N, tmp_path / "bench")
    root = tmp_path / "bench" / "digest"
    trees = {}
    monkeypatch.setattr(builder.parallel, "Ahead", _Patient)
    for workers in (1, 2):
        config = load_config(str(root))
        config.paths["output"] = tmp_path / f"site-{workers}"
        config.paths["cache"] = tmp_path / f"cache-{workers}"
        builder.Builder(config, workers=workers).build(search_index=False)
        trees[workers] = _tree(config.paths["output"])
        # The first build took the articles' sizes and times from its loading (forked or
        # not); the next build, taking them with stat, finds the same signature.
        assert builder.Builder(config, workers=workers).build(search_index=False).noop
        # The first build fingerprints its pages while they render: with every article's
        # time changed (no no-op, a full check) the next build computes the same ones first.
        for k, path in enumerate(sorted((root / "content" / "articles").iterdir())):
            os.utime(path, ns=(10**18 + k + workers, 10**18 + k + workers))
        again = builder.Builder(config, workers=workers).build(search_index=False)
        assert not again.noop and again.rendered == 0
    assert _Patient.taken == [N]            # only the forked build rendered bodies ahead, all of them
    assert len(trees[1]) > N and trees[1] == trees[2]


@pytest.mark.skipif(not parallel.Ahead.worthwhile(N, 2), reason="needs fork")
def test_a_build_failing_after_loading_stops_the_work_ahead(tmp_path):
    import multiprocessing

    from generator.errors import ContentError
    corpus.write_corpus(N, tmp_path / "bench")
    root = tmp_path / "bench" / "digest"
    (root / "templates").mkdir()
    (root / "templates" / "article.html").write_text("{% if %}broken\n")
    b = builder.Builder(load_config(str(root)), workers=2)
    with pytest.raises(ContentError, match="template syntax error"):
        b.build(search_index=False)
    assert b._ahead == [] and not multiprocessing.active_children()


@pytest.mark.skipif(not parallel.forks(N, 2, 2 * builder.SERIAL_MAX), reason="needs fork")
def test_a_template_failing_in_a_render_worker_names_its_file_and_line(tmp_path):
    from generator.errors import ContentError
    corpus.write_corpus(N, tmp_path / "bench")
    root = tmp_path / "bench" / "digest"
    (root / "templates").mkdir()
    (root / "templates" / "topic.html").write_text(
        '{% extends "base.html" %}{% block main %}\n{{ no_such_variable.attribute }}{% endblock %}')
    config = load_config(str(root))
    with pytest.raises(ContentError) as info:
        builder.Builder(config, workers=2).build(search_index=False)
    assert str(info.value.path).endswith("topic.html") and info.value.line == 2
    assert "no_such_variable" in info.value.message
    assert not config.paths["output"].exists() and not list(root.glob(".*staging*"))


def test_ahead_returns_finished_results_in_order(tmp_path):
    def job(n):
        (tmp_path / str(n)).touch()
        return n * n
    ahead = parallel.Ahead(job, list(range(10)), chunk=3)
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)         # the last chunk's result on its way back
    assert ahead.take() == [n * n for n in range(10)]


def test_results_taken_lazily_stay_in_the_file_for_forked_readers():
    ahead = parallel.Ahead(lambda n: {"n": n, "text": "é" * n}, list(range(40)), chunk=7)
    ahead._process.join(30)
    results = ahead.take_lazily()
    try:
        assert len(results) == 40 and results[3] == {"n": 3, "text": "ééé"}
        assert list(results) == [{"n": n, "text": "é" * n} for n in range(40)] and results[-2:] == list(results)[-2:]
        # Workers forked after taking, as render workers are, read from the same file.
        read = parallel.map_chunks(lambda chunk: [(os.getpid(), len(results[i]["text"])) for i in chunk],
                                   [[0], [39]], 2)
        got = [r for batch in read for r in batch]
        assert [n for _, n in got] == [0, 39] and os.getpid() not in {pid for pid, _ in got}
    finally:
        results.close()


def test_taken_results_are_complete_and_closing_them_reaps_the_process():
    ahead = parallel.Ahead(lambda n: n * 3, list(range(9)), chunk=2)
    assert ahead._done.wait(30)         # set once the last chunk is written, before the exit
    results = ahead.take_lazily()
    assert list(results) == [n * 3 for n in range(9)]
    results.close()
    assert not ahead._process.is_alive() and ahead._process.exitcode == 0


def test_ahead_stops_what_is_unfinished_and_swallows_failures(monkeypatch):
    monkeypatch.setattr(parallel.Ahead, "WAIT", 0.5)

    def slow(n):
        if n == 4:
            time.sleep(30)
        return n

    ahead = parallel.Ahead(slow, list(range(8)), chunk=2)
    time.sleep(0.5)
    start = time.monotonic()
    got = ahead.take()
    assert time.monotonic() - start < 5         # waits WAIT for the slow chunk, then stops it
    assert got == list(range(len(got))) and len(got) <= 4

    def fails(n):
        if n == 2:
            raise ValueError("no")
        return n

    ahead = parallel.Ahead(fails, list(range(6)), chunk=2)
    time.sleep(0.5)
    assert ahead.take() == [0, 1]


STRESS = """
import random, time
from generator import parallel
rng = random.Random(1)
for _ in range(40):
    ahead = parallel.Ahead(lambda n: "x" * 20000, list(range(3000)), chunk=64)
    time.sleep(rng.random() * 0.05)
    got = ahead.take()
    assert got == ["x" * 20000] * len(got)
print("ok")
"""


def test_taking_at_any_moment_never_hangs():
    """Stopping the process while it sends a large result must not deadlock (a killed
    multiprocessing.Pool worker could leave Pool.terminate() waiting forever)."""
    import subprocess
    out = subprocess.run([sys.executable, "-c", STRESS], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


@pytest.mark.skipif(not parallel.Ahead.worthwhile(N, 2), reason="needs fork")
def test_the_parse_cache_keeps_the_loading_workers_pickles_while_they_hold(tmp_path):
    """A cold build saves the articles as the loading workers pickled them (not pickled
    again, and copied file to file, not through this process); read back, the cache is
    the same; a chunk whose entries changed since is saved entry by entry instead."""
    import dataclasses
    import io
    import pickle

    from generator.model.store import CACHE_MAGIC, read_cache, write_cache
    corpus.write_corpus(N, tmp_path / "bench")
    root = tmp_path / "bench" / "digest"
    b = builder.Builder(load_config(str(root)), workers=2)
    b.build(search_index=False)
    raw = (b.cache_dir / builder.PARSE_CACHE).read_bytes()
    assert raw.startswith(CACHE_MAGIC)
    start = len(CACHE_MAGIC) + 8
    header = pickle.loads(raw[start:start + int.from_bytes(raw[len(CACHE_MAGIC):start], "little")])
    assert len(header["chunks"]) > 1 and header["files"] == {}
    assert read_cache(io.BytesIO(raw)) == (b.parse_cache, b.index_memo) and len(b.parse_cache) == N
    assert builder.Builder(load_config(str(root)), workers=2)._load_parse_cache() == b.parse_cache
    for cut in (raw[:-1], raw[:start + 3], pickle.dumps({"files": {}, "chunks": [], "index": {}}), b""):
        with pytest.raises(Exception):
            read_cache(io.BytesIO(cut))     # cut short, or an older cache: the builder starts afresh

    from generator.model.store import ContentStore
    store = ContentStore(root / "content", {}, workers=2)
    store.load()
    cache = store.cache
    assert cache == b.parse_cache and store.pickled
    name = sorted(cache)[7]
    digest, reg, art = cache[name]
    cache[name] = (digest, reg, dataclasses.replace(art, title="Changed"))
    gone = sorted(cache)[300]
    del cache[gone]
    parts, rest = store.take_cache_parts()
    assert len(parts) == len(header["chunks"]) - 2 and name in rest and gone not in rest
    saved = tmp_path / "saved-cache"
    with open(saved, "wb") as fh:
        write_cache(fh, rest, parts, {"key": "k"})
    with open(saved, "rb") as fh:
        assert read_cache(fh) == (cache, {"key": "k"})
    with pytest.MonkeyPatch.context() as mp:      # no sendfile (or one that fails): written all the same
        mp.setattr(os, "sendfile", lambda *a: (_ for _ in ()).throw(OSError(22, "Invalid argument")))
        with open(saved, "wb") as fh:
            write_cache(fh, rest, parts, {})
    with open(saved, "rb") as fh:
        assert read_cache(fh) == (cache, {})
    assert store.pickled == [] and store.take_cache_parts() == ([], cache)     # used once


@pytest.mark.skipif(not parallel.Ahead.worthwhile(N, 2), reason="needs fork")
def test_the_parse_cache_is_written_while_the_workers_render(tmp_path, monkeypatch):
    """A full build writes its parse cache in a thread once the render workers are forked
    (not after the last page, when the other core would idle); a build in one process
    writes it in turn. Either way the file is whole, and a failing save fails the build."""
    import threading

    from generator.errors import ContentError
    from generator.model.store import read_cache
    corpus.write_corpus(N, tmp_path / "bench")
    root = tmp_path / "bench" / "digest"
    where = []
    save = builder.Builder._save_parse_cache
    monkeypatch.setattr(builder.Builder, "_save_parse_cache",
                        lambda self: (where.append(threading.current_thread().name), save(self))[1])
    for workers in (2, 1):
        config = load_config(str(root))
        config.paths["output"], config.paths["cache"] = tmp_path / f"site-{workers}", tmp_path / f"cache-{workers}"
        b = builder.Builder(config, workers=workers)
        b.build(search_index=False)
        with open(b.cache_dir / builder.PARSE_CACHE, "rb") as fh:
            assert read_cache(fh)[0] == b.parse_cache
    assert where == ["digest-parse-cache", "MainThread"]
    assert threading.active_count() == 1        # the thread is gone when the build returns

    # A template error on a page: the build fails, the parse cache it wrote is whole.
    (root / "templates").mkdir()
    (root / "templates" / "article.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ nothing.at.all }}{% endblock %}')
    config = load_config(str(root))
    config.paths["cache"] = tmp_path / "cache-failed"
    b = builder.Builder(config, workers=2)
    with pytest.raises(ContentError, match="template error"):
        b.build(search_index=False)
    with open(b.cache_dir / builder.PARSE_CACHE, "rb") as fh:
        assert read_cache(fh)[0] == b.parse_cache
    assert not list(b.cache_dir.glob("*.tmp")) and not config.paths["output"].exists()

    # A cache folder that cannot be written: the pages are published, then the error is raised.
    (root / "templates" / "article.html").unlink()
    config = load_config(str(root))
    config.paths["cache"] = tmp_path / "not-a-folder"
    config.paths["cache"].write_text("a file")
    with pytest.raises(OSError):
        builder.Builder(config, workers=2).build(search_index=False)
    assert (config.paths["output"] / "index.html").is_file()


def _pickled_squares(chunk) -> bytes:
    import pickle
    return pickle.dumps([x * x for x in chunk])


@pytest.mark.skipif(not parallel.forks(1000, 2), reason="needs fork")
def test_workers_write_bulky_results_into_the_file_and_send_only_where(tmp_path):
    """With ``into`` each worker appends its chunk's bytes to the file (the end reserved
    under a lock, so none overlap) and only (offset, size) comes back, in order."""
    import pickle
    import tempfile
    items = list(range(1000))
    with tempfile.TemporaryFile() as into:
        into.write(b"kept")                     # what the file held stays
        into.flush()
        spans = list(parallel.chunked_map(_pickled_squares, items, 2, 64, max_chunk=50, into=into))
        assert len(spans) == 20 and all(size > 0 for _, size in spans)
        assert sorted(spans)[0][0] == 4 and os.fstat(into.fileno()).st_size == 4 + sum(s for _, s in spans)
        got = [x for at, size in spans for x in pickle.loads(os.pread(into.fileno(), size, at))]
        assert got == [x * x for x in items] and os.pread(into.fileno(), 4, 0) == b"kept"
        # Not worth forking: done here, written the same way.
        (at, size), = parallel.chunked_map(_pickled_squares, items[:10], 2, 64, into=into)
        assert pickle.loads(os.pread(into.fileno(), size, at)) == [x * x for x in range(10)]


def _heap_kept_in_worker(_chunk) -> bytes:
    parallel.keep_freed_memory()
    return bytes([parallel._heap_kept])


@pytest.mark.skipif(not parallel.forks(1000, 2), reason="needs fork")
def test_only_short_lived_workers_keep_what_malloc_frees(tmp_path):
    """A loading worker keeps freed memory for reuse; the process that forks the workers
    (``digest serve`` lives long) never changes its allocator's settings."""
    import tempfile
    parallel.keep_freed_memory()
    assert parallel._heap_kept is False
    with tempfile.TemporaryFile() as into:
        spans = list(parallel.chunked_map(_heap_kept_in_worker, list(range(1000)), 2, 64, into=into))
        assert spans and all(os.pread(into.fileno(), size, at) == b"\x01" for at, size in spans)
    assert parallel._heap_kept is False
