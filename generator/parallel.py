"""An ordered map over forked worker processes: ingest's registry-free work, loading content.

The job may be a closure (over the decoded seeds, the outlets…): it is set before
the workers are forked and inherited by them, never pickled.  Only indices go to
the workers and only results come back, so a job must return picklable values and
catch its own errors (one seed's failure is that seed's result).
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_MIN = 64       # default: below this many items starting workers costs more than it saves

_job: Callable | None = None       # the running map's job, for the forked workers


def default_workers() -> int:
    return os.cpu_count() or 1


def _chunk(indices: range) -> list:
    return [_job(i) for i in indices]


def _processes(items: int, workers: int | None, min_items: int | None) -> int:
    """How many worker processes ``items`` jobs are worth (0: do them in this one)."""
    workers = default_workers() if workers is None else workers
    n = min(workers, items // ((min_items or PARALLEL_MIN) // 2))
    return n if n > 1 and "fork" in multiprocessing.get_all_start_methods() else 0


def forks(items: int, workers: int | None = None, min_items: int | None = None) -> bool:
    """Would ``ordered_map`` run ``items`` jobs in other processes?"""
    return _processes(items, workers, min_items) > 0


def ordered_map(job: Callable[[T], R], items: Sequence[T], workers: int | None = None,
                min_items: int | None = None, max_chunk: int = 64) -> Iterator[R]:
    """``map(job, items)``, computed in forked processes when there are at least
    ``min_items`` (default ``PARALLEL_MIN``) items per worker pair.

    Results come in order and as soon as each is ready, so the caller can work on
    the first ones while the workers compute the rest. ``max_chunk`` trades that
    (small chunks: the first results come early) against fewer round trips."""
    global _job
    n = _processes(len(items), workers, min_items)
    if not n:
        yield from map(job, items)
        return
    size = max(4, min(max_chunk, len(items) // (n * 8)))
    chunks = [range(i, min(i + size, len(items))) for i in range(0, len(items), size)]
    _job = lambda i: job(items[i])       # noqa: E731 (inherited by the forked workers)
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            for batch in pool.imap(_chunk, chunks):
                yield from batch
    finally:
        _job = None


_ahead: Callable | None = None      # the running Ahead's job, for its forked worker


def _ahead_chunk(items: list) -> list:
    return [_ahead(x) for x in items]


class Ahead:
    """``map(job, items)`` started in one forked process while this one does something
    else (a serial step that leaves the other core idle). ``take()`` returns the results
    finished by then, in order, and stops the rest: the caller does those itself. For
    work worth doing early but never worth waiting for."""

    def __init__(self, job: Callable[[T], R], items: Sequence[T], chunk: int = 128):
        global _ahead
        _ahead = job
        self._pool = multiprocessing.get_context("fork").Pool(1)
        self._results = self._pool.imap(_ahead_chunk, [items[i:i + chunk] for i in range(0, len(items), chunk)])

    @staticmethod
    def worthwhile(items: int, workers: int | None = None, min_items: int = 512) -> bool:
        return (items >= min_items and (default_workers() if workers is None else workers) > 1
                and "fork" in multiprocessing.get_all_start_methods())

    def take(self) -> list[R]:
        global _ahead
        done: list = []
        try:
            while True:
                done.extend(self._results.next(timeout=0))
        except StopIteration:
            pass
        except Exception:       # not finished, or failed: whatever is left is done by the caller
            pass
        finally:
            self._pool.terminate()
            self._pool.join()
            _ahead = None
        return done
