"""Work in forked processes: maps over chunks (ingest's registry-free work, loading content,
rendering pages) and ``Ahead`` (article bodies rendered while the build computes its indexes).

The job may be a closure (over the decoded seeds, the outlets…): it is set before
the workers are forked and inherited by them, never pickled.  Only indices go to
the workers and only results come back, so a job must return picklable values and
catch its own errors (one seed's failure is that seed's result).
"""
from __future__ import annotations

import collections.abc
import mmap
import multiprocessing
import os
import pickle
import tempfile
import threading
from concurrent.futures import Future
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_MIN = 64       # default: below this many items starting workers costs more than it saves

_job: Callable | None = None       # the running map's job, for the forked workers


def default_workers() -> int:
    return os.cpu_count() or 1


def processes(items: int, workers: int | None, min_items: int | None) -> int:
    """How many worker processes ``items`` jobs are worth (0: do them in this one)."""
    workers = default_workers() if workers is None else workers
    n = min(workers, items // ((min_items or PARALLEL_MIN) // 2))
    return n if n > 1 and "fork" in multiprocessing.get_all_start_methods() else 0


def forks(items: int, workers: int | None = None, min_items: int | None = None) -> bool:
    """Would ``ordered_map`` run ``items`` jobs in other processes?"""
    return processes(items, workers, min_items) > 0


def ordered_map(job: Callable[[T], R], items: Sequence[T], workers: int | None = None,
                min_items: int | None = None, max_chunk: int = 64) -> Iterator[R]:
    """``map(job, items)``, computed in forked processes when there are at least
    ``min_items`` (default ``PARALLEL_MIN``) items per worker pair.

    Results come in order and as soon as each is ready, so the caller can work on
    the first ones while the workers compute the rest. ``max_chunk`` trades that
    (small chunks: the first results come early) against fewer round trips."""
    if not forks(len(items), workers, min_items):
        yield from map(job, items)
        return
    for batch in chunked_map(lambda chunk: [job(x) for x in chunk], items, workers, min_items, max_chunk):
        yield from batch


def chunked_map(job: Callable[[Sequence[T]], R], items: Sequence[T], workers: int | None = None,
                min_items: int | None = None, max_chunk: int = 64, into=None) -> Iterator[R]:
    """``job(chunk)`` for consecutive chunks of ``items`` (at most ``max_chunk`` each), in
    order, sized and forked as ``ordered_map`` does; one chunk of everything when that
    would not fork. For a job that returns one value per chunk (its results pickled once).
    ``into``: see ``map_chunks``."""
    n = processes(len(items), workers, min_items)
    if not n:
        data = job(items)
        yield _append(into, data) if into is not None else data
        return
    size = max(4, min(max_chunk, len(items) // (n * 8)))
    yield from map_chunks(job, [items[i:i + size] for i in range(0, len(items), size)], n, into=into)


def map_chunks(job: Callable[[Sequence[T]], R], chunks: Sequence[Sequence[T]], workers: int,
               ordered: bool = True, into=None) -> Iterator[R]:
    """``job(chunk)`` for each of ``chunks`` as made by the caller, in ``workers`` forked
    processes; ``ordered=False``: each value as soon as it is ready.

    ``into``: a file for a job that returns bytes: each worker writes its result at
    the file's end and this yields (offset, size) for ``os.pread``. Megabytes of
    results then never pass through the pool's pipe, which holds 64 KiB: a worker
    blocked on it until this process, busy with the last result, let the pool's reader
    thread run (as ``Ahead`` explains), and the cores idled for a tenth of a load."""
    global _job
    ctx = multiprocessing.get_context("fork")
    if into is None:
        _job = lambda k: job(chunks[k])       # noqa: E731 (inherited by the forked workers)
    else:
        end = ctx.Value("q", os.fstat(into.fileno()).st_size)
        _job = lambda k: _append(into, job(chunks[k]), end)      # noqa: E731
    try:
        with ctx.Pool(workers) as pool:
            yield from (pool.imap if ordered else pool.imap_unordered)(_call, range(len(chunks)))
    finally:
        _job = None


def _append(file, data: bytes, end=None) -> tuple[int, int]:
    """Write ``data`` at the end of ``file``, which other processes append to as well (the
    end is reserved under ``end``'s lock, a shared counter); returns (offset, size)."""
    if end is None:
        at = os.fstat(file.fileno()).st_size
    else:
        with end.get_lock():
            at = end.value
            end.value = at + len(data)
    view, pos = memoryview(data), at
    while view:
        written = os.pwrite(file.fileno(), view, pos)
        view, pos = view[written:], pos + written
    return at, len(data)


_heap_kept = False


def keep_freed_memory() -> None:
    """In a short-lived worker (a pool's, which lives for one map, or an Ahead's): let
    glibc's malloc keep the memory it frees for the next allocation instead of handing it
    back to the system (trimming the heap, unmapping large blocks) and faulting it in
    again a moment later, page by page. A loading worker pickles 1.3 MB chunks and parses
    thousands of files: 43,000 page faults become 15,000; a cold 10k build's, 225,000
    become 200,000. The memory goes back when the worker exits. Once per worker process
    (not in the process that forked it: ``digest serve`` lives long); nothing on other
    C libraries."""
    global _heap_kept
    if _heap_kept or multiprocessing.parent_process() is None:     # never in a long-lived process
        return
    _heap_kept = True
    try:
        import ctypes
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3
    mallopt(M_MMAP_THRESHOLD, 32 << 20)     # the glibc maximum: big blocks from the heap, not mmap
    mallopt(M_TRIM_THRESHOLD, 1 << 30)
    mallopt(M_TOP_PAD, 64 << 20)


def in_thread(job: Callable[[], R], name: str = "digest-background") -> Future:
    """Start ``job()`` in a thread of this process; the Future returns what it returned or
    raises what it raised. For I/O a process can overlap with waiting on its workers.
    Start it after forking them: a fork copies only the thread that forks."""
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(job())
        except BaseException as exc:      # handed to whoever asks for the result
            future.set_exception(exc)
    threading.Thread(target=run, name=name).start()
    return future


def _call(k: int):
    keep_freed_memory()         # the pools of map_chunks live for one map
    return _job(k)


def _ahead_run(job, items: Sequence, chunk: int, fd: int, stop, done) -> None:
    """The forked process of an Ahead: chunk after chunk until done or told to stop, each
    result appended to the file ``fd`` as one length-prefixed pickle, a chunk at a time.
    ``done`` is set once the last chunk is written: the taker need not wait for this
    process to exit (freeing its copy of the parent's memory takes tens of ms)."""
    keep_freed_memory()
    try:
        with open(fd, "wb", closefd=False) as out:
            for i in range(0, len(items), chunk):
                if stop.is_set():
                    break
                frames = []
                for x in items[i:i + chunk]:
                    data = pickle.dumps(job(x), pickle.HIGHEST_PROTOCOL)
                    frames += (len(data).to_bytes(8, "little"), data)
                out.write(b"".join(frames))
                out.flush()
    except Exception:       # a failing job ends the work ahead; the caller does the rest
        pass
    finally:
        done.set()


def _spans(fd: int) -> list[tuple[int, int]]:
    """(offset, size) of each complete result in an Ahead's file; one cut short by a kill is left out."""
    size = os.fstat(fd).st_size
    if not size:
        return []
    spans, at = [], 0
    with mmap.mmap(fd, size, access=mmap.ACCESS_READ) as view:
        while at + 8 <= size:
            n = int.from_bytes(view[at:at + 8], "little")
            if at + 8 + n > size:
                break
            spans.append((at + 8, n))
            at += 8 + n
    return spans


class Results(collections.abc.Sequence):
    """An Ahead's results where its process left them, each unpickled when asked for. The
    process that takes them never holds them all: forked workers inherit the file and read
    the ones they use (the article bodies of a 10,000-article build are 50 MB of text,
    which the main process otherwise unpickled while the other core idled)."""

    def __init__(self, file, spans: list[tuple[int, int]], process=None):
        self._file, self._spans, self._process = file, spans, process

    def __len__(self) -> int:
        return len(self._spans)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        at, size = self._spans[i]
        return pickle.loads(os.pread(self._file.fileno(), size, at))

    def close(self) -> None:
        self._file.close()
        if self._process is not None:       # long exited by now: reap it
            self._process.join()


def _scratch_file():
    """An anonymous file: in memory where the system allows (Linux), else a deleted temp file."""
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("digest-ahead", os.MFD_CLOEXEC), "w+b")
    return tempfile.TemporaryFile()


class Ahead:
    """``map(job, items)`` started in one forked process while this one does something
    else (a serial step that leaves the other core idle). ``take()`` returns the results
    finished by then, in order, and stops the rest: the caller does those itself. For
    work worth doing early but never worth waiting for.

    Results go to an anonymous file, not a pipe: a pipe holds 64 KiB, so the process
    waited on this one to read, and this one, busy with its serial step, let a reader
    thread run only every few milliseconds (the GIL's switch interval). That throttled
    the work ahead to half its speed. ``take()`` asks the process to stop after its
    current chunk and reads the file; ``take_lazily()`` leaves the results in it."""

    WAIT = 10.0     # seconds take() waits for the chunk in progress before giving up on it

    def __init__(self, job: Callable[[T], R], items: Sequence[T], chunk: int = 32):
        # chunk: results written at a time; take() waits for the one in progress
        ctx = multiprocessing.get_context("fork")
        self._stop, self._done = ctx.Event(), ctx.Event()
        self._file = _scratch_file()
        self._process = ctx.Process(target=_ahead_run, daemon=True,
                                    args=(job, items, chunk, self._file.fileno(), self._stop, self._done))
        self._process.start()

    @staticmethod
    def worthwhile(items: int, workers: int | None = None, min_items: int = 512) -> bool:
        return (items >= min_items and (default_workers() if workers is None else workers) > 1
                and "fork" in multiprocessing.get_all_start_methods())

    def take(self) -> list[R]:
        results = self.take_lazily()
        try:
            return list(results)
        finally:
            results.close()

    def take_lazily(self) -> Results:
        """What ``take`` returns, read from the file only as each result is used; ``close()``
        it when done. Forked processes may read it too (it is a file, not memory)."""
        self._stop.set()
        if not self._done.wait(self.WAIT):      # a chunk that will not finish: stop waiting for it
            self._process.kill()
            self._process.join()
        return Results(self._file, _spans(self._file.fileno()), self._process)
