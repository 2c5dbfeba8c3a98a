"""A small crawler over a built site: every internal href/src must resolve to a file,
and every #fragment to an id on the target page. Used by the site tests."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit, unquote


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []   # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for attr in ("href", "src"):
            if a.get(attr) is not None and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.links.append((tag, a[attr]))
        if tag == "form" and a.get("action"):
            self.links.append((tag, a["action"]))


def parse(path: Path) -> _Collector:
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def url_of(out: Path, file: Path, base_path: str) -> str:
    rel = file.relative_to(out).as_posix()
    if rel.endswith("index.html"):
        rel = rel[: -len("index.html")]
    return base_path + rel


def file_of(out: Path, path: str, base_path: str) -> Path | None:
    if not path.startswith(base_path):
        return None
    rel = unquote(path[len(base_path):])
    target = out / rel
    if rel == "" or rel.endswith("/"):
        target = target / "index.html"
    return target


def broken_links(out: Path, base_path: str, origin: str = "https://example.org") -> list[str]:
    pages = {p: parse(p) for p in out.rglob("*.html") if "pagefind" not in p.parts}
    problems = []
    for page, c in sorted(pages.items()):
        here = url_of(out, page, base_path)
        for tag, link in c.links:
            absolute = urljoin(origin + here, link)
            parts = urlsplit(absolute)
            if f"{parts.scheme}://{parts.netloc}" != origin:
                continue   # external
            target = file_of(out, parts.path, base_path)
            if target is None or not target.is_file():
                problems.append(f"{page.relative_to(out)}: {tag} -> {link}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if parts.fragment not in ids:
                    problems.append(f"{page.relative_to(out)}: {link} (no id {parts.fragment!r})")
    return problems
