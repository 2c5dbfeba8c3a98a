"""A threaded HTTP server for the built site, with a Server-Sent Events channel.

Like MkDocs' livereload: files are served from the output folder under the
site's path prefix (``/repo/``), HTML responses get the reload script on the
way out, and ``publish`` pushes events to every open page.
"""
from __future__ import annotations

import errno
import json
import mimetypes
import queue
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from generator.errors import DigestError
from generator.livereload.client import EVENTS_PATH, inject
from generator.livereload.paths import normalize_prefix, resolve

KEEPALIVE = 15.0          # seconds between SSE comments, so proxies and idle timers keep the stream
TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml",
         ".json": "application/json", ".txt": "text/plain", ".svg": "image/svg+xml",
         ".wasm": "application/wasm", ".webmanifest": "application/manifest+json"}
NO_SITE = (b"<!doctype html><html><head><meta charset=utf-8><title>Not found</title></head>"
           b"<body><h1>Not found</h1><p>This page does not exist (yet).</p></body></html>")


def content_type(path: Path) -> str:
    ctype = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{ctype}; charset=utf-8" if ctype.startswith("text/") or ctype.endswith(("xml", "json")) else ctype


def sse_message(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode("utf-8")


class EventHub:
    """Fan-out of events to every connected page, plus the state a new page needs:
    the build generation and the current error, if any."""

    def __init__(self):
        self._lock = threading.Lock()
        self._clients: set[queue.Queue] = set()
        self.generation = 0
        self.error: dict | None = None

    def subscribe(self) -> tuple[queue.Queue, list[bytes]]:
        q: queue.Queue = queue.Queue()
        with self._lock:
            self._clients.add(q)
            greeting = [sse_message("hello", {"generation": self.generation})]
            if self.error is not None:
                greeting.append(sse_message("build-error", self.error))
        return q, greeting

    def unsubscribe(self, q: queue.Queue) -> None:
        with self._lock:
            self._clients.discard(q)

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._clients)

    def publish(self, event: str, data: dict | None = None) -> None:
        with self._lock:
            if event in ("reload", "css"):
                self.generation += 1
            if event == "build-error":
                self.error = data or {}
            elif event == "build-ok":
                self.error = None
            message = sse_message(event, {"generation": self.generation, **(data or {})})
            for q in self._clients:
                q.put(message)

    def close(self) -> None:
        with self._lock:
            for q in self._clients:
                q.put(None)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_HTTPServer"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        app = self.server.app
        if urlsplit(self.path).path == EVENTS_PATH:
            return self._events(app.hub)
        site_dir, prefix = app.site
        found = resolve(site_dir, prefix, self.path)
        if found.status == 301:
            return self._send(301, b"", "text/plain; charset=utf-8", head, {"Location": found.location})
        if found.status == 200:
            try:
                data = found.file.read_bytes()
            except OSError:          # replaced between resolve and read: a rebuild is committing
                return self._not_found(site_dir, head)
            ctype = content_type(found.file)
            if ctype.startswith("text/html"):
                data = inject(data)
            return self._send(200, data, ctype, head)
        return self._not_found(site_dir, head)

    def _not_found(self, site_dir: Path, head: bool) -> None:
        try:
            body = (site_dir / "404.html").read_bytes()
        except OSError:
            body = NO_SITE
        self._send(404, inject(body), "text/html; charset=utf-8", head)

    def _send(self, status: int, body: bytes, ctype: str, head: bool, extra: dict | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _events(self, hub: EventHub) -> None:
        q, greeting = hub.subscribe()
        self.close_connection = True
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"retry: 1000\n\n" + b"".join(greeting))
            self.wfile.flush()
            while True:
                try:
                    message = q.get(timeout=KEEPALIVE)
                except queue.Empty:
                    message = b": keepalive\n\n"
                if message is None:
                    return
                self.wfile.write(message)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError, OSError):
            pass
        finally:
            hub.unsubscribe(q)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if self.server.app.log:
            self.server.app.log(f"{self.address_string()} {format % args}")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    app: "LiveReloadServer"


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


class LiveReloadServer:
    """Serve ``site_dir`` at ``http://host:port{base_path}`` and push events to open pages.

    ``port=0`` picks a free port (see ``.port``). Raises DigestError when the
    address is in use or not allowed.
    """

    def __init__(self, site_dir: Path, base_path: str = "/", host: str = "127.0.0.1", port: int = 8000,
                 *, log: Callable[[str], None] | None = None):
        self.hub = EventHub()
        self.host = host
        self.log = log
        self._site = (Path(site_dir), normalize_prefix(base_path))
        cls = _HTTPServer6 if ":" in host else _HTTPServer
        try:
            self.httpd = cls((host, port), _Handler)
        except OSError as exc:
            raise _bind_error(exc, host, port) from None
        self.httpd.app = self
        self._thread: threading.Thread | None = None

    @property
    def site(self) -> tuple[Path, str]:
        return self._site

    def set_site(self, site_dir: Path, base_path: str) -> None:
        """Point at another output folder or prefix (after a config change)."""
        self._site = (Path(site_dir), normalize_prefix(base_path))

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self._site[1]}"

    def publish(self, event: str, data: dict | None = None) -> None:
        self.hub.publish(event, data)

    def start(self) -> "LiveReloadServer":
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="digest-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.hub.close()
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
        self.httpd.server_close()

    def __enter__(self) -> "LiveReloadServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _bind_error(exc: OSError, host: str, port: int) -> DigestError:
    if exc.errno == errno.EADDRINUSE:
        return DigestError(f"port {port} on {host} is already in use",
                           hint="stop the other server, or choose another port with --port N")
    if exc.errno == errno.EACCES:
        return DigestError(f"not allowed to listen on port {port}",
                           hint="ports below 1024 need privileges; use --port 8000 or higher")
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return DigestError(f"cannot listen on {host!r}: {exc.strerror or exc}",
                           hint="use --host 127.0.0.1, or an address of this machine")
    return DigestError(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
