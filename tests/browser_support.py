"""Shared helpers for the site quality tests: build the demo digest, serve it on
127.0.0.1, find headless Chromium, the Nu Html Checker and axe-core.

A missing tool skips the tests that need it, unless ``DIGEST_REQUIRE_BROWSER=1``
(as in CI), where it is a failure: a quality gate that silently skips is no gate."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HOST = "127.0.0.1"


def required() -> bool:
    return os.environ.get("DIGEST_REQUIRE_BROWSER", "") not in ("", "0")


def unavailable(reason: str):
    """Skip, or fail when the environment promises every tool is there."""
    if required():
        pytest.fail(f"{reason} (DIGEST_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


# --- tools ---------------------------------------------------------------------------------------

def chromium_path() -> str | None:
    """Debian's chromium (never Playwright's downloaded browsers); $DIGEST_CHROMIUM wins."""
    for cand in (os.environ.get("DIGEST_CHROMIUM"), "/usr/bin/chromium",
                 shutil.which("chromium"), shutil.which("chromium-browser")):
        if cand and Path(cand).is_file() and os.access(cand, os.X_OK):
            return cand
    return None


def require_chromium() -> str:
    path = chromium_path()
    if not path:
        unavailable("Debian chromium is not installed (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("the playwright Python package is not installed (pip install playwright)")
    return path


def require_axe() -> str:
    if not AXE_JS.is_file():
        unavailable(f"axe-core is missing: run `npm install` at {ROOT} ({AXE_JS} not found)")
    return AXE_JS.read_text(encoding="utf-8")


def require_vnu() -> list[str]:
    java = shutil.which("java")
    if not java:
        unavailable("java is not installed (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        unavailable(f"the Nu Html Checker is missing: run `npm install` at {ROOT}")
    return [java, "-jar", str(VNU_JAR)]


@contextmanager
def chromium():
    """One headless Chromium for a test module."""
    from playwright.sync_api import sync_playwright

    path = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# --- the demo digest -------------------------------------------------------------------------------

def build_demo(dest: Path, base_url: str, project: Path = ROOT, extra_config: str = "") -> Path:
    """``digest build --base-url … --out …`` (ingest included) on a copy of the project's
    config (plus ``extra_config`` YAML), seeds, content and templates; returns the output
    folder. The copy keeps the build's cache and any content ingest writes out of the
    working tree."""
    work = dest / "project"
    work.mkdir(parents=True)
    config = (project / "digest.yaml").read_text(encoding="utf-8")
    (work / "digest.yaml").write_text(config.rstrip("\n") + "\n" + extra_config, encoding="utf-8")
    for folder in ("seeds", "content", "templates"):
        if (project / folder).is_dir():
            shutil.copytree(project / folder, work / folder)
    out = dest / "site"
    cmd = [sys.executable, "-m", "generator", "build", "--base-url", base_url, "--out", str(out)]
    proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, f"digest build failed:\n{proc.stdout}\n{proc.stderr}"
    return out


# --- a static server that maps URL prefixes to folders ------------------------------------------------

class _Handler(SimpleHTTPRequestHandler):
    mounts: dict[str, Path] = {}    # URL prefix ("/", "/repo/") -> folder; longest prefix wins

    def _mount(self, path: str) -> tuple[str, Path]:
        for prefix in sorted(self.mounts, key=len, reverse=True):
            if path.startswith(prefix) or path + "/" == prefix:
                return prefix, self.mounts[prefix]
        return "/", self.mounts["/"]

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        prefix, folder = self._mount(path)
        rel = path[len(prefix):] if path.startswith(prefix) else ""
        target = (folder / rel).resolve()
        return str(target) if target.is_relative_to(folder.resolve()) else str(folder / "\0")

    def send_error(self, code, message=None, explain=None):
        # Like GitHub Pages: a missing page gets the site's own 404.html, at any depth.
        if code == 404:
            _, folder = self._mount(unquote(urlsplit(self.path).path))
            page = folder / "404.html"
            if page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
        super().send_error(code, message, explain)

    def log_message(self, *args):  # keep test output quiet
        pass


@contextmanager
def serving():
    """A threaded HTTP server on 127.0.0.1 with a free port. Yields ``(origin, mount)``:
    call ``mount("/repo/", folder)`` to serve a folder under a prefix (``"/"`` too)."""
    mounts: dict[str, Path] = {}
    handler = type("Handler", (_Handler,), {"mounts": mounts})
    handler.extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                              ".mjs": "text/javascript", ".wasm": "application/wasm",
                              ".pf_meta": "application/octet-stream"}
    server = ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}", mounts.__setitem__
    finally:
        server.shutdown()
        server.server_close()


def load_model(site_out: Path):
    """The content model a :func:`build_demo` output was built from."""
    from generator.model import load_site
    return load_site(site_out.parent / "project" / "content")


def sample_pages(model) -> dict[str, str]:
    """One page of every kind, by name -> path relative to the site root. The richest
    article, speaker and topic are picked, as they stress the layout most."""
    article = max(model.articles.values(), key=lambda a: (len(a.quotes), a.words, a.slug))
    speaker = max(model.quotes_by_speaker, key=lambda s: (len(model.quotes_by_speaker[s]), s))
    topic = max(model.by_topic, key=lambda t: (len(model.by_topic[t]), t))
    source = max(model.by_source, key=lambda s: (len(model.by_source[s]), s))
    return {
        "home": "", "article": f"articles/{article.slug}/", "speaker": f"speakers/{speaker}/",
        "topic": f"topics/{topic}/", "speakers": "speakers/", "topics": "topics/", "archive": "archive/",
        "sources": "sources/", "source": f"sources/{source}/", "quotes": "quotes/", "search": "search/",
        "404": "404.html", "404-deep": "no/such/page/here/",
    }
