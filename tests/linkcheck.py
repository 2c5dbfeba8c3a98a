"""Serve a built site under a subpath the way GitHub Pages does, and crawl it.

A project site lives at ``https://USER.github.io/REPO/``; links hard-coded to
``/`` or relative links in a 404 page served from a deep URL break only there.
:func:`serve_subpath` reproduces that hosting (``/REPO/`` prefix, directory
index, ``.html`` fallback, ``404.html`` for anything missing) and :func:`crawl`
follows every link and asset from the start pages and reports the broken ones.
"""
from __future__ import annotations

import mimetypes
import re
import threading
import urllib.error
import urllib.request
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urljoin, urldefrag, urlsplit

# (tag, attribute) pairs whose value is a URL the browser will load or follow.
URL_ATTRS = {("a", "href"), ("link", "href"), ("area", "href"), ("img", "src"), ("script", "src"),
             ("iframe", "src"), ("source", "src"), ("audio", "src"), ("video", "src"),
             ("video", "poster"), ("track", "src"), ("embed", "src"), ("object", "data"),
             ("input", "src"), ("use", "href"), ("image", "href"), ("form", "action")}
SRCSET_TAGS = {"img", "source"}
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
XML_URL = re.compile(r"""<(?:loc|link|id|uri)>\s*(https?://[^<\s]+)\s*<|\bhref=["']([^"']+)["']""")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.stylesheets: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        for key in ("id",) + (("name",) if tag == "a" else ()):
            if key in a:
                self.ids.add(a[key])
        if tag == "base" and "href" in a:
            self.base = a["href"]
        for attr, value in a.items():
            if (tag, attr) in URL_ATTRS or (attr == "xlink:href" and tag in ("use", "image")):
                self.links.append(value.strip())
        if tag in SRCSET_TAGS and "srcset" in a:
            self.links += [c.strip().split()[0] for c in a["srcset"].split(",") if c.strip()]
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            m = re.search(r"url\s*=\s*['\"]?([^'\";]+)", a.get("content", ""), re.I)
            if m:
                self.links.append(m.group(1).strip())
        if tag == "link" and "stylesheet" in a.get("rel", "").lower().split() and "href" in a:
            self.stylesheets.append(a["href"].strip())

    handle_startendtag = handle_starttag


def parse_html(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def extract_links(html: str) -> list[str]:
    """Every URL an HTML page links to or loads, in document order."""
    return parse_html(html).links


def css_urls(css: str) -> list[str]:
    """``url(...)`` and ``@import`` targets of a stylesheet."""
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(css)]


def xml_urls(xml: str) -> list[str]:
    """Links in a feed or sitemap (``<loc>``, ``<link>``, ``href=``)."""
    return [(m.group(1) or m.group(2)).replace("&amp;", "&") for m in XML_URL.finditer(xml)]


# --- the server -------------------------------------------------------------

def resolve(root: Path, prefix: str, url_path: str) -> tuple[int, Path | str | None]:
    """How GitHub Pages answers ``url_path``: (200, file), (301, location) or (404, 404 page)."""
    path = unquote(url_path)
    if path + "/" == prefix:
        return 301, prefix
    if not path.startswith(prefix):
        return 404, None
    parts = [p for p in path[len(prefix):].split("/") if p]
    if any(p in ("..", ".") for p in parts):
        return 404, None
    target = root.joinpath(*parts)
    if target.is_dir():
        if not path.endswith("/"):
            return 301, path + "/"
        target = target / "index.html"
    elif not target.is_file() and target.with_name(target.name + ".html").is_file():
        target = target.with_name(target.name + ".html")
    if target.is_file():
        return 200, target
    page = root / "404.html"
    return 404, page if page.is_file() else None


def _handler(root: Path, prefix: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer(body=True)

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def _answer(self, body: bool) -> None:
            status, what = resolve(root, prefix, urlsplit(self.path).path)
            if status == 301:
                self.send_response(301)
                self.send_header("Location", str(what))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if isinstance(what, Path):
                data = what.read_bytes()
                ctype = mimetypes.guess_type(what.name)[0] or "application/octet-stream"
            else:
                data, ctype = b"not found", "text/plain"
            if ctype.startswith("text/") or ctype.endswith(("xml", "javascript", "json")):
                ctype += "; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

        def log_message(self, *args) -> None:  # quiet: the crawl reports what matters
            pass

    return Handler


@contextmanager
def serve_subpath(root: Path, prefix: str = "/REPO/") -> Iterator[str]:
    """Serve ``root`` at ``http://127.0.0.1:PORT{prefix}``; yields that URL."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Path(root), prefix))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


# --- the crawler ------------------------------------------------------------

@dataclass
class Fetched:
    url: str
    status: int
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Broken:
    source: str  # the page that links
    link: str  # the link as written
    url: str  # where it resolves
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.link!r} -> {self.url}: {self.problem}"


@dataclass
class CrawlResult:
    fetched: dict[str, Fetched] = field(default_factory=dict)
    broken: list[Broken] = field(default_factory=list)
    external: set[str] = field(default_factory=set)

    @property
    def pages(self) -> list[str]:
        return sorted(u for u, f in self.fetched.items() if f.content_type == "text/html")


def fetch(url: str) -> Fetched:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            status, headers, body = resp.status, resp.headers, resp.read()
            url = resp.url
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, exc.headers, exc.read()
    ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    return Fetched(url, status, ctype, body)


def crawl(start: list[str], *, scope: str, site_url: str | None = None,
          expect: dict[str, int] | None = None, check_fragments: bool = True,
          limit: int = 20000) -> CrawlResult:
    """Follow every link and asset reachable from ``start`` within the host of ``scope``.

    ``scope`` is the served root (``http://127.0.0.1:PORT/REPO/``); only pages
    under it are parsed for further links. Absolute links to ``site_url`` (the
    configured base URL, used by canonical links and feeds) are checked against
    the local server. ``expect`` maps start URLs to the status they should
    answer (e.g. 404 for a missing page); every other URL must answer 200.
    """
    expect = dict(expect or {})
    host = urlsplit(scope).netloc
    result = CrawlResult()
    queue: deque[tuple[str, str, str]] = deque(("(start)", u, u) for u in start)
    seen: set[str] = set()
    anchors: list[tuple[str, str, str, str]] = []  # source, link, page url, fragment
    ids: dict[str, set[str]] = {}

    def local(url: str) -> str:
        if site_url and url.startswith(site_url):
            return scope + url[len(site_url):]
        return url

    while queue and len(seen) < limit:
        source, link, url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        page = fetch(url)
        result.fetched[url] = page
        want = expect.get(url, 200)
        if page.status != want:
            result.broken.append(Broken(source, link, url, f"HTTP {page.status}"))
            continue
        if not page.url.startswith(scope):
            continue  # redirected off the site: nothing of ours to parse
        if page.content_type == "text/html":
            parsed = parse_html(page.text)
            ids[url] = parsed.ids
            base, found = urljoin(page.url, parsed.base or ""), parsed.links
        elif page.content_type == "text/css":
            base, found = page.url, css_urls(page.text)
        elif "xml" in page.content_type:
            base, found = page.url, xml_urls(page.text)
        else:
            continue
        for raw in found:
            if not raw or raw.lower().startswith(SKIP_SCHEMES):
                continue
            target, fragment = urldefrag(local(urljoin(base, raw)))
            if urlsplit(target).scheme not in ("http", "https") or urlsplit(target).netloc != host:
                result.external.add(target)
                continue
            if fragment and check_fragments:
                anchors.append((url, raw, target, unquote(fragment)))
            if target not in seen:
                queue.append((url, raw, target))
    for source, raw, target, fragment in anchors:
        if target in ids and fragment not in ids[target] and fragment != "top":
            result.broken.append(Broken(source, raw, target, f"no element with id {fragment!r}"))
    return result


def broken_links(out: Path, base_path: str = "/", site_url: str | None = None) -> list[str]:
    """Serve a built site under ``base_path`` and crawl it from every HTML page on disk
    (search-index internals aside); returns the broken links, empty when all resolve.
    ``site_url`` maps absolute links to the configured base URL onto the local server."""
    out = Path(out)
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if "pagefind" not in p.parts)
    with serve_subpath(out, base_path) as root:
        starts = [root + (p[: -len("index.html")] if p.endswith("index.html") else p) for p in pages]
        result = crawl(starts, scope=root, site_url=site_url)
    return [str(b) for b in result.broken]
