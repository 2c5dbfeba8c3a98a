"""Watch the project's inputs and hand over debounced batches of files that really changed.

Three filters keep rebuild loops and noise away:

- ``is_ignored``: the output and cache folders, hidden files, editor swap and
  temp files (vim's ``.x.swp`` and ``4913`` probe, emacs' ``.#x`` and ``#x#``,
  ``x~``, ``.tmp``) never count;
- debouncing: events are collected until the tree has been quiet for
  ``debounce`` seconds (at most ``max_wait``), so an editor's save burst or a
  ``git checkout`` is one batch. When the last event finished a write (a file
  closed after writing, or renamed into place) the shorter ``settle`` window
  is enough: the save is complete, and the reload comes sooner;
- content hashes: a file counts only if its bytes differ from the last ones
  seen, so a save without changes, or a touch, triggers nothing.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

# Editor and tool droppings, matched on the file name.
JUNK = re.compile(r"""(
      ^\.                                  # hidden: .x.swp, .#x (emacs lock), .ingest-manifest.json
    | ^\#.*\#$                             # emacs auto-save
    | ~$                                   # backup
    | ^4913$                               # vim's write-permission probe
    | \.(swp|swx|swo|swn|tmp|temp|bak|orig|part|crdownload|kate-swp|pyc)$
    | ^__pycache__$
)""", re.VERBOSE | re.IGNORECASE)

Batch = list[Path]


def is_ignored(path: Path, ignore_dirs: Iterable[Path] = ()) -> bool:
    """True for files whose changes must never trigger a rebuild."""
    if JUNK.search(path.name):
        return True
    return any(path == d or d in path.parents for d in ignore_dirs)


def file_digest(path: Path) -> str | None:
    """SHA-1 of the file's bytes; None when it is missing or not a regular file."""
    try:
        with open(path, "rb") as fh:
            return hashlib.sha1(fh.read()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return None


class ContentHashes:
    """The last known bytes (as a digest) of every watched file."""

    def __init__(self):
        self._digests: dict[Path, str | None] = {}
        self._lock = threading.Lock()

    def record(self, path: Path) -> None:
        digest = file_digest(path)
        with self._lock:
            self._digests[path] = digest

    def changed(self, path: Path) -> bool:
        """Whether ``path`` differs from what was last seen; remembers the new state."""
        digest = file_digest(path)
        with self._lock:
            before = self._digests.get(path)
            self._digests[path] = digest
        return digest != before

    def known_under(self, folder: Path) -> list[Path]:
        with self._lock:
            return [p for p, d in self._digests.items() if d is not None and folder in p.parents]


def _files_under(folder: Path, ignore_dirs: list[Path]) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        base = Path(dirpath)
        dirnames[:] = [d for d in dirnames if not is_ignored(base / d, ignore_dirs)]
        found += [base / f for f in filenames if not is_ignored(base / f, ignore_dirs)]
    return found


class _Events(FileSystemEventHandler):
    def __init__(self, watcher: "Watcher"):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        # Directory "modified" is only the echo of a child's change; opens and reads change nothing.
        if event.event_type in ("opened", "closed_no_write") or (
                event.is_directory and event.event_type in ("modified", "closed")):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        self.watcher.note([Path(os.fsdecode(p)) for p in paths if p], event.is_directory,
                          complete=event.event_type in ("closed", "moved"))


class Watcher:
    """Watch ``folders`` (recursively) and ``files`` (single files); call ``callback(batch)``
    from one worker thread with the sorted paths whose content changed (deleted ones too).
    Callbacks never overlap: changes made during one are the next batch."""

    def __init__(self, folders: Iterable[Path], files: Iterable[Path], callback: Callable[[Batch], None],
                 *, ignore: Iterable[Path] = (), debounce: float = 0.05, settle: float = 0.02,
                 max_wait: float = 1.0,
                 log: Callable[[str], None] | None = None):
        self.folders = [Path(f).resolve() for f in folders]
        self.files = {Path(f).resolve() for f in files}
        self.ignore = [Path(d).resolve() for d in ignore]
        self.callback = callback
        self.debounce, self.settle, self.max_wait = debounce, min(settle, debounce), max_wait
        self.log = log or (lambda line: print(line, file=sys.stderr))
        self.hashes = ContentHashes()
        self._cond = threading.Condition()
        self._pending: dict[Path, bool] = {}     # path -> seen as a directory event
        self._first = self._last = 0.0
        self._complete = False              # the last event finished a write
        self._busy = False
        self._stopped = False
        self._observer = None
        self._handler: _Events | None = None
        self._scheduled: set[Path] = set()
        self._worker: threading.Thread | None = None

    # --- what counts ------------------------------------------------------------------------

    def watches(self, path: Path) -> bool:
        if path in self.files:
            return True
        if is_ignored(path, self.ignore):
            return False
        return any(f == path or f in path.parents for f in self.folders)

    def absorb(self, paths: Iterable[Path]) -> None:
        """Take the current bytes of ``paths`` as known: our own writes (ingest's) are not changes."""
        for p in paths:
            self.hashes.record(Path(p).resolve())

    # --- life cycle -------------------------------------------------------------------------

    def start(self) -> "Watcher":
        for folder in self.folders:
            for p in _files_under(folder, self.ignore):
                self.hashes.record(p)
        for f in self.files:
            self.hashes.record(f)
        self._observer = Observer()
        self._handler = _Events(self)
        for folder in self.folders:
            if folder.is_dir():
                self._schedule(folder)
        # A folder that does not exist yet (templates/, say) is watched for from its parent.
        parents = {f.parent for f in self.files} | {f.parent for f in self.folders if not f.is_dir()}
        for parent in sorted(parents - set(self.folders)):
            if parent.is_dir():
                self._observer.schedule(self._handler, str(parent), recursive=False)
        self._observer.start()
        self._worker = threading.Thread(target=self._run, name="digest-watch", daemon=True)
        self._worker.start()
        return self

    def _schedule(self, folder: Path) -> None:
        self._observer.schedule(self._handler, str(folder), recursive=True)
        self._scheduled.add(folder)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._worker is not None and self._worker is not threading.current_thread():
            self._worker.join(timeout=30)

    def idle(self, timeout: float = 30.0) -> bool:
        """Wait until no batch is pending or running (for tests and measurements)."""
        end = time.monotonic() + timeout
        with self._cond:
            while self._pending or self._busy:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
        return True

    # --- events -> batches ------------------------------------------------------------------

    def note(self, paths: list[Path], is_dir: bool, complete: bool = False) -> None:
        now = time.monotonic()
        with self._cond:
            for p in paths:
                if not self._pending:
                    self._first = now
                self._pending[p] = self._pending.get(p, False) or is_dir
            self._last = now
            self._complete = complete
            self._cond.notify_all()

    def _next_batch(self) -> dict[Path, bool] | None:
        with self._cond:
            while not self._pending and not self._stopped:
                self._cond.wait()
            while not self._stopped:
                now = time.monotonic()
                quiet = self.settle if self._complete else self.debounce
                wait = min(self._last + quiet, self._first + self.max_wait) - now
                if wait <= 0:
                    break
                self._cond.wait(wait)
            if self._stopped:
                return None
            batch, self._pending = self._pending, {}
            self._busy = True
            return batch

    def changed_files(self, batch: dict[Path, bool]) -> Batch:
        """The files of ``batch`` whose bytes differ from the last seen (directories expanded)."""
        candidates: set[Path] = set()
        for path, is_dir in batch.items():
            if path in self.folders and path not in self._scheduled and path.is_dir():
                self._schedule(path)          # a watched folder created after the start
            if is_dir or path.is_dir():
                # A folder created, moved or deleted: everything in it now, and what was in it.
                candidates.update(_files_under(path, self.ignore) if path.is_dir() else ())
                candidates.update(self.hashes.known_under(path))
            else:
                candidates.add(path)
        return sorted(p for p in candidates if self.watches(p) and self.hashes.changed(p))

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            try:
                files = self.changed_files(batch)
                if files:
                    self.callback(files)
            except Exception as exc:   # a watcher that dies silently is worse than a logged error
                self.log(f"error: rebuild crashed: {type(exc).__name__}: {exc}")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
