"""Edit-to-reload latency of ``digest serve``, measured end to end over real sockets.

``measure_edit_latency(root)`` runs a serve session in this process (port 0),
listens on its event stream like a browser would, then repeatedly edits one
article and times save -> ``reload`` event received -> edited page fetched.
The benchmark (issue 7) calls it; ``EventStream`` is also what the tests use.
"""
from __future__ import annotations

import json
import queue
import socket
import statistics
import threading
import time
import urllib.request
from pathlib import Path

from generator.config import load_config
from generator.livereload.client import EVENTS_PATH


class EventStream:
    """A minimal Server-Sent Events client on a raw socket: ``next("reload")`` -> data dict."""

    def __init__(self, port: int, host: str = "127.0.0.1", path: str = EVENTS_PATH):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n"
                          .encode())
        self.events: queue.Queue = queue.Queue()
        self.file = self.sock.makefile("rb")
        self.status = int(self.file.readline().split()[1])
        while self.file.readline() not in (b"\r\n", b"\n", b""):
            pass
        self.sock.settimeout(None)
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        event, data = "message", []
        try:
            for raw in self.file:
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:
                    if data:
                        self.events.put((event, json.loads("\n".join(data)), time.perf_counter()))
                    event, data = "message", []
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except (OSError, ValueError):
            pass
        self.events.put(("closed", {}, time.perf_counter()))

    def next(self, *names: str, timeout: float = 30.0) -> tuple[str, dict, float]:
        """The next event named one of ``names`` (others are skipped): (name, data, arrival time)."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {'/'.join(names)} event within {timeout}s")
            try:
                item = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if item[0] in names or item[0] == "closed":
                return item

    def drain(self) -> list[str]:
        names = []
        while True:
            try:
                names.append(self.events.get_nowait()[0])
            except queue.Empty:
                return names

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def append_to_last_line(text: str, word: str) -> str:
    """The article with ``word`` added at the end of its last body line."""
    lines = text.rstrip("\n").split("\n")
    lines[-1] = f"{lines[-1]} {word}"
    return "\n".join(lines) + "\n"


def measure_edit_latency(root: Path | str, article: Path | str | None = None, runs: int = 5,
                         *, debounce: float = 0.05) -> dict:
    """Save-to-reload timings, in milliseconds, for ``runs`` one-article edits.

    ``event_ms``: save -> the ``reload`` event reaches the client; ``page_ms``: plus
    fetching the edited page (what a browser does next); ``build_ms``: the part spent in
    ``Builder.build`` (the rest is debounce, hashing and delivery). The article is restored.
    """
    from generator.serve.session import ServeSession

    config = load_config(root)
    folder = config.paths["content"] / "articles"
    article = Path(article) if article else sorted(folder.glob("*.md"))[0]
    original = article.read_text(encoding="utf-8")
    event_ms, page_ms, build_ms = [], [], []
    session = ServeSession(config, port=0, ingest=False, search=False, debounce=debounce, log=lambda _: None)
    session.start()
    stream = EventStream(session.server.port)
    try:
        stream.next("hello")
        page = f"{session.url}articles/{article.stem}/"
        for i in range(runs):
            session.idle()
            stream.drain()
            word = f"latencyprobe{i}x{time.time_ns() % 10**9}"
            t0 = time.perf_counter()
            article.write_text(append_to_last_line(original, word), encoding="utf-8")
            name, data, t1 = stream.next("reload", "build-error", timeout=120)
            if name != "reload":
                raise RuntimeError(f"expected a reload after the edit, got {name}: {data}")
            with urllib.request.urlopen(page, timeout=30) as resp:
                html = resp.read().decode("utf-8")
            t2 = time.perf_counter()
            if word not in html:
                raise RuntimeError(f"the reloaded page {page} does not show the edit")
            event_ms.append((t1 - t0) * 1000)
            build_ms.append(session.last.seconds * 1000)
            page_ms.append((t2 - t0) * 1000)
    finally:
        article.write_text(original, encoding="utf-8")
        session.idle()
        stream.close()
        session.stop()
    return {"article": str(article), "runs": runs, "debounce_ms": debounce * 1000,
            "event_ms": event_ms, "page_ms": page_ms, "build_ms": build_ms,
            "median_event_ms": statistics.median(event_ms) if event_ms else None,
            "median_page_ms": statistics.median(page_ms) if page_ms else None}
