"""Build results and progress reporting."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class BuildResult:
    output: Path
    pages: int = 0            # pages (and files) the site has
    rendered: int = 0         # rendered this time (fingerprint changed)
    written: int = 0          # actually written (bytes changed)
    deleted: int = 0          # stale files of ours removed
    seconds: float = 0.0
    noop: bool = False        # nothing changed since the last build: no load, no render
    search: str = "skipped"   # indexed | unchanged | skipped | failed: …
    changed_pages: list[str] = field(default_factory=list)   # output paths written, for serve
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"built {self.pages} pages ({self.written} written) in {self.seconds:.2f}s"


class NullReporter:
    """Says nothing; for tests and for serve, which reports in the browser."""

    def start(self, total: int) -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def stage(self, name: str) -> None: ...
    def warn(self, message: str) -> None: ...
    def done(self, result: BuildResult) -> None: ...


class ConsoleReporter(NullReporter):
    """A progress line on a TTY once a build has run for a second; a summary line at the end."""

    DELAY = 1.0

    def __init__(self, stream=None, *, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.t0 = time.monotonic()
        self.total = self.count = 0
        self.name = "rendering"
        self._last = 0.0
        self._shown = False

    def stage(self, name: str) -> None:
        self.name = name
        self._draw(force=True)

    def start(self, total: int) -> None:
        self.total, self.count = total, 0

    def advance(self, n: int = 1) -> None:
        self.count += n
        self._draw()

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.tty or self.quiet or now - self.t0 < self.DELAY or (not force and now - self._last < 0.1):
            return
        self._last = now
        done = f" {self.count}/{self.total}" if self.total else ""
        self.stream.write(f"\r\x1b[K{self.name}{done}")
        self.stream.flush()
        self._shown = True

    def warn(self, message: str) -> None:
        self._clear()
        print(f"warning: {message}", file=self.stream)

    def _clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self._shown = False

    def done(self, result: BuildResult) -> None:
        self._clear()
        if not self.quiet:
            print(result.summary(), file=sys.stdout if self.stream is sys.stderr else self.stream)
