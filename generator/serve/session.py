"""One ``digest serve`` session: the builder, the server and the watcher, wired together.

Per batch of changed files (see ``classify``):

- seeds: ingest; the content files it writes arrive as the next batch;
- content and templates: an incremental build of exactly the pages they feed;
- ``digest.yaml``: the config is reloaded and everything is rebuilt;
- then the open pages get ``reload`` (or ``css`` when only stylesheets were
  written), or ``build-error`` while the last good build stays served.

Rebuilds are serialized by one lock; the search index is refreshed after the
pages reload, so an edit never waits for Pagefind.
"""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Callable

from generator.build import Builder, NullReporter
from generator.config import Config, load_config
from generator.errors import DigestError
from generator.livereload import LiveReloadServer
from generator.serve import overlay
from generator.serve.classify import classify
from generator.serve.watch import Watcher


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def is_stylesheet_only(files: list[str]) -> bool:
    return bool(files) and all(f.lower().endswith(".css") for f in files)


def touches_search(files: list[str], deleted: int) -> bool:
    """Pagefind indexes the article pages only."""
    return bool(deleted) or any(f.startswith("articles/") for f in files)


class ServeSession:
    def __init__(self, config: Config, *, host: str = "127.0.0.1", port: int = 8000,
                 ingest: bool = True, search: bool = True, debounce: float = 0.05,
                 log: Callable[[str], None] | None = None):
        self.config = config
        self.log = log or _stderr
        self.ingest_enabled = ingest
        self.search = search
        self.debounce = debounce
        # Bind first: a port in use is reported before any build work.
        self.server = LiveReloadServer(config.paths["output"], config.base_path, host, port)
        self.builder = Builder(config, reporter=NullReporter())
        self.watcher: Watcher | None = None
        self.last = None                       # the last successful BuildResult
        self.rebuilds = 0
        self._lock = threading.RLock()
        self._dirty: set[Path] = set()         # changes not yet in a successful build
        self._retry_full = False
        self._ingest_errors: list[dict] = []
        self._build_errors: list[dict] = []
        self._index_wanted = threading.Event()
        self._index_busy = False
        self._stopped = threading.Event()
        self._indexer: threading.Thread | None = None

    # --- life cycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> "ServeSession":
        with self._lock:
            if self.ingest_enabled:
                self._ingest()
            # Watch before the first build: an edit made while it runs is the first batch.
            self.watcher = self._watcher().start()
            self._rebuild(None, search_index=self.search)
            if self.last is not None and not self.last.changed_pages:
                # A no-op start skips loading; load now so the first edit is incremental.
                try:
                    self.builder.warm()
                except Exception as exc:  # the next rebuild reports content errors itself
                    self.log(f"warning: could not preload the site: {exc}")
        self.server.start()
        if self.search:
            self._indexer = threading.Thread(target=self._index_loop, name="digest-search", daemon=True)
            self._indexer.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._index_wanted.set()
        if self.watcher is not None:
            self.watcher.stop()
        self.server.stop()
        if self._indexer is not None:
            self._indexer.join(timeout=60)

    def __enter__(self) -> "ServeSession":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def idle(self, timeout: float = 60.0) -> bool:
        """Wait until no change is pending, no rebuild and no search indexing is running."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.watcher is None or self.watcher.idle(max(0.0, end - time.monotonic())):
                with self._lock:
                    if not self._index_wanted.is_set() and not self._index_busy:
                        return True
            time.sleep(0.02)
        return False

    def _watcher(self) -> Watcher:
        c = self.config
        folders = [c.paths[k] for k in ("seeds", "content", "templates")]
        config_file = c.source or c.root / "digest.yaml"
        return Watcher(folders, [config_file], self.on_change, ignore=[c.paths["output"], c.paths["cache"]],
                       debounce=self.debounce, log=self.log)

    # --- reacting to changes ----------------------------------------------------------------

    def on_change(self, paths: list[Path]) -> None:
        with self._lock:
            changes = classify(paths, self.config)
            self.log(f"changed: {changes.describe()}")
            if changes.config:
                self._reload_config()
                return
            if changes.seeds:
                self._ingest()          # its writes to content/ come back as the next batch
            if changes.paths - set(changes.seeds):
                self._rebuild(changes.paths - set(changes.seeds))

    def _reload_config(self) -> None:
        try:
            config = load_config(self.config.root)
        except DigestError as exc:
            self._build_errors = overlay.describe(exc, self.config.root)
            self._report_errors()
            return
        moved = [k for k in ("seeds", "content", "templates") if config.paths[k] != self.config.paths[k]]
        if moved:
            self.log(f"warning: paths.{', paths.'.join(moved)} changed: restart digest serve to watch them")
        self.config = config
        self.builder = Builder(config, reporter=NullReporter())
        self.server.set_site(config.paths["output"], config.base_path)
        self._rebuild(None)

    def _ingest(self) -> None:
        try:
            from generator.ingest.pipeline import ingest
            report = ingest(self.config.paths["seeds"], self.config.paths["content"], log=self.log)
        except Exception as exc:
            self._ingest_errors = overlay.describe(exc, self.config.root)
        else:
            seeds = self.config.paths["seeds"]
            self._ingest_errors = [{"location": overlay.relative(seeds / o.seed, self.config.root),
                                    "message": o.message or "could not be ingested", "hint": ""}
                                   for o in report.failed]
            self.log(report.summary())
        self._report_errors()

    def _rebuild(self, changed: set[Path] | None, *, search_index: bool = False):
        full = changed is None or self._retry_full
        todo = None if full else set(changed) | self._dirty
        t0 = time.perf_counter()
        try:
            result = self.builder.build(todo, search_index=search_index)
        except Exception as exc:       # the server outlives every content or template error
            self._retry_full, self._dirty = full, (set() if full else todo)
            self._build_errors = overlay.describe(exc, self.config.root)
            self._report_errors()
            return None
        self._retry_full, self._dirty = False, set()
        recovered = bool(self._build_errors)
        self._build_errors = []
        self._report_errors()
        self.last, self.rebuilds = result, self.rebuilds + 1
        files = list(result.changed_pages)
        if files or result.deleted or recovered:
            if is_stylesheet_only(files) and not (result.deleted or recovered):
                self.server.publish("css", {"files": files})
            else:
                self.server.publish("reload", {"files": files[:100]})
        if self.search and not search_index and touches_search(files, result.deleted):
            self._index_wanted.set()
        ms = (time.perf_counter() - t0) * 1000
        self.log(f"built {result.pages} pages in {ms:.0f} ms: {result.rendered} rendered, "
                 f"{result.written} written")
        return result

    def _report_errors(self) -> None:
        errors = self._ingest_errors + self._build_errors
        if errors:
            self.log("error: " + overlay.text(errors).replace("\n", "\nerror: "))
            self.server.publish("build-error", overlay.payload(errors))
        elif self.server.hub.error is not None:
            self.server.publish("build-ok")

    # --- search index, after the reload -----------------------------------------------------

    def _index_loop(self) -> None:
        while not self._stopped.is_set():
            if not self._index_wanted.wait(timeout=0.5):
                continue
            time.sleep(0.2)             # let a burst of edits settle
            with self._lock:
                if self._stopped.is_set():
                    return
                self._index_wanted.clear()
                self._index_busy = True
                try:
                    self.builder.index_search()
                except Exception as exc:
                    self.log(f"warning: search index not updated: {exc}")
                finally:
                    self._index_busy = False

