"""The built HTML, checked without a browser: the Nu Html Checker (one JVM run over
every page of the demo digest and of the fixture digest), no external assets, and
an article lede that is not printed twice."""
from __future__ import annotations

import html as htmllib
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser_support import ROOT, build_demo, load_model, require_vnu

FIXTURE = Path(__file__).parent / "fixtures" / "digest"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The demo digest under a path prefix and the fixture digest at the root, built once."""
    tmp = tmp_path_factory.mktemp("valid")
    return {"demo": build_demo(tmp / "demo", "https://example.org/repo/"),
            "fixture": build_demo(tmp / "fixture", "https://example.org/", project=FIXTURE)}


def vnu_errors(cmd: list[str], files: list[Path]) -> list[dict]:
    """Errors the Nu Html Checker reports for ``files``, in one JVM run (it starts slowly)."""
    proc = subprocess.run([*cmd, "--errors-only", "--format", "json", *map(str, files)],
                          capture_output=True, text=True, timeout=600)
    out = (proc.stderr or proc.stdout).strip()   # vnu writes its report to stderr
    if not out:
        assert proc.returncode == 0, "vnu failed without a report"
        return []
    return [m for m in json.loads(out)["messages"] if m.get("type") in ("error", "non-document-error")]


def test_nu_html_checker_reports_no_error_on_any_page(sites):
    cmd = require_vnu()
    files = sorted(p for out in sites.values() for p in out.rglob("*.html"))
    assert len(files) > 20
    errors = vnu_errors(cmd, files)
    shown = [f"{m.get('url', '').split('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in errors[:15]]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(shown)


def test_the_checker_is_really_checking(tmp_path):
    """Guard against a silent pass: a broken page must produce an error."""
    cmd = require_vnu()
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><title>x</title><p>a</span>', encoding="utf-8")
    assert vnu_errors(cmd, [bad])


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        url = a.get("src") if tag in ("script", "img", "iframe", "source", "video", "audio") else None
        if tag == "link" and (a.get("rel") or "") in ("stylesheet", "preload", "icon", "modulepreload"):
            url = a.get("href")
        if url:
            self.found.append(url)


def test_no_page_loads_anything_from_another_host(sites):
    """System fonts only, no CDN: every asset a page, stylesheet or script loads is local."""
    offending = []
    for out in sites.values():
        for page in out.rglob("*.html"):
            p = _Assets()
            p.feed(page.read_text(encoding="utf-8"))
            offending += [f"{page.name}: {u}" for u in p.found if re.match(r"(?i)([a-z][a-z0-9+.-]*:)?//", u)]
        for css in out.rglob("*.css"):
            text = css.read_text(encoding="utf-8")
            offending += [f"{css.name}: {u}" for u in re.findall(r"(?i)(?:@import|url\()\s*['\"]?((?:https?:)?//[^'\")\s]+)", text)]
        for js in (out / "static").rglob("*.js"):
            offending += [f"{js.name}: {u}" for u in re.findall(r"""(?i)["'`](https?://[^"'`]+)""", js.read_text(encoding="utf-8"))]
    assert not offending, offending


def _text(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_article_lede_is_not_printed_twice(sites):
    """When the body opens with the summary, the page shows it once (as the body's first
    paragraph); otherwise the summary is shown above the body."""
    out = sites["demo"]
    model = load_model(out)
    for slug, a in model.articles.items():
        html = (out / "articles" / slug / "index.html").read_text(encoding="utf-8")
        body = html.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]
        head = html.split('<header class="article-head">', 1)[1].split("</header>", 1)[0]
        summary = " ".join(a.summary.split())
        shown = _text(head + body).count(summary) if summary else 0
        assert shown == (1 if summary else 0), (slug, shown)
