"""The pure parts of deploy: base URLs, commit trailers, parent choice, status
parsing, link extraction, and the subpath server/crawler catching real breakage."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import normalize_base_url
from generator.deploy.ghpages import (choose_parent, deploy_message, is_deploy_commit,
                                      parse_status, trailers)
from linkcheck import crawl, css_urls, extract_links, resolve, serve_subpath, xml_urls
from generator.errors import DigestError


@pytest.mark.parametrize("raw, want", [
    ("https://user.github.io/repo/", "https://user.github.io/repo/"),
    ("https://user.github.io/repo", "https://user.github.io/repo/"),
    ("https://user.github.io/repo//", "https://user.github.io/repo/"),
    ("user.github.io/repo", "https://user.github.io/repo/"),
    ("user.github.io", "https://user.github.io/"),
    ("https://user.github.io", "https://user.github.io/"),
    ("https://user.github.io//a//b", "https://user.github.io/a/b/"),
    ("  http://127.0.0.1:8000  ", "http://127.0.0.1:8000/"),
    ("localhost:8000/docs", "http://localhost:8000/docs/"),
])
def test_normalize_base_url(raw, want):
    assert normalize_base_url(raw) == want
    assert normalize_base_url(want) == want  # idempotent


@pytest.mark.parametrize("bad", ["", "   ", "ftp://host/x", "https://"])
def test_normalize_base_url_rejects(bad):
    with pytest.raises(DigestError):
        normalize_base_url(bad)


def test_deploy_message_names_the_source_and_marks_the_commit():
    sha = "a" * 40
    msg = deploy_message(sha + "-dirty")
    assert msg.startswith("Publish site from aaaaaaaaaaaa")
    assert trailers(msg) == {"Digest-Deploy": "1", "Digest-Source": sha + "-dirty"}
    assert is_deploy_commit(msg)
    custom = deploy_message(sha, "Weekly update")
    assert custom.startswith("Weekly update\n\n") and is_deploy_commit(custom)


@pytest.mark.parametrize("message", [
    "Initial commit", "Add pages\n\nSigned-off-by: X <x@y>",
    "Digest-Deploy: 1 is mentioned in the body\n\nbut not as a trailer",
])
def test_foreign_commits_are_not_deploy_commits(message):
    assert not is_deploy_commit(message)


def test_choose_parent_keeps_history_and_refuses_divergence():
    order = {("old", "new"): True}
    anc = lambda a, b: order.get((a, b), False)  # noqa: E731
    assert choose_parent(None, None, force=False, is_ancestor=anc) is None
    assert choose_parent("old", None, force=False, is_ancestor=anc) == "old"
    assert choose_parent(None, "new", force=False, is_ancestor=anc) == "new"
    assert choose_parent("old", "new", force=False, is_ancestor=anc) == "new"  # behind: fast-forward
    assert choose_parent("new", "old", force=False, is_ancestor=anc) == "new"  # ahead: unpushed deploy
    with pytest.raises(DigestError, match="diverged"):
        choose_parent("x", "y", force=False, is_ancestor=anc)
    assert choose_parent("x", "y", force=True, is_ancestor=anc) == "x"


def test_parse_status_handles_renames_and_spaces():
    raw = b" M content/a.md\0?? content/new file.md\0R  content/b.md\0content/old.md\0"
    assert parse_status(raw) == ["content/a.md", "content/new file.md", "content/b.md"]
    assert parse_status(b"") == []


def test_extract_links_finds_every_loaded_url():
    html = """<html><head><link rel=stylesheet href="/r/s.css"><script src="a.js"></script>
    <meta http-equiv="refresh" content="0; url=../next/"></head><body>
    <a href="x/">x</a><a>no href</a><img src="i.png" srcset="i1.png 1x, i2.png 2x">
    <a href="mailto:a@b">m</a></body></html>"""
    assert extract_links(html) == ["/r/s.css", "a.js", "../next/", "x/", "i.png", "i1.png", "i2.png",
                                   "mailto:a@b"]
    assert css_urls("a{b:url('f.woff2')} c{d:url(img/x.svg)} @import \"more.css\";") == \
        ["f.woff2", "img/x.svg", "more.css"]
    assert xml_urls("<url><loc>https://h/r/a/</loc></url><link href='https://h/r/?a=1&amp;b=2'/>") == \
        ["https://h/r/a/", "https://h/r/?a=1&b=2"]


def test_resolve_mimics_github_pages(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("a")
    (tmp_path / "about.html").write_text("about")
    (tmp_path / "404.html").write_text("nf")
    assert resolve(tmp_path, "/R/", "/R") == (301, "/R/")
    assert resolve(tmp_path, "/R/", "/R/a") == (301, "/R/a/")
    assert resolve(tmp_path, "/R/", "/R/a/") == (200, tmp_path / "a" / "index.html")
    assert resolve(tmp_path, "/R/", "/R/about") == (200, tmp_path / "about.html")
    assert resolve(tmp_path, "/R/", "/R/nope/deep") == (404, tmp_path / "404.html")
    assert resolve(tmp_path, "/R/", "/R/../secret") == (404, None)
    assert resolve(tmp_path, "/R/", "/a/") == (404, None)  # outside the project site


def _site(root: Path, css_href: str, link: str = "/R/a/#top") -> None:
    (root / "a").mkdir(parents=True)
    page = f'<link rel=stylesheet href="{css_href}"><a href="{link}">a</a><h2 id=here></h2>'
    for rel in ("index.html", "a/index.html", "404.html"):
        (root / rel).write_text(page)
    (root / "s.css").write_text("body{background:url(bg.png)}")
    (root / "bg.png").write_bytes(b"png")


def _crawl(site: Path):
    with serve_subpath(site, "/R/") as root:
        missing = root + "x/y/z"
        return crawl([root, missing], scope=root, expect={missing: 404}, site_url="https://h.io/R/")


def test_crawl_of_a_subpath_safe_site_finds_nothing_broken(tmp_path: Path):
    _site(tmp_path, "/R/s.css", "https://h.io/R/a/#here")
    result = _crawl(tmp_path)
    assert result.broken == []
    assert any(u.endswith("/R/bg.png") for u in result.fetched)  # CSS assets are followed


@pytest.mark.parametrize("css_href, link, culprit", [
    ("/s.css", "/R/a/", "/s.css"),  # hard-coded to the domain root
    ("s.css", "/R/a/", "s.css"),  # relative: breaks in the 404 page served at depth
    ("/R/s.css", "/R/a/#nowhere", "#nowhere"),  # a fragment with no target
    ("/R/s.css", "/R/b/", "/R/b/"),  # a missing page
])
def test_crawl_reports_subpath_breakage(tmp_path: Path, css_href, link, culprit):
    _site(tmp_path, css_href, link)
    broken = _crawl(tmp_path).broken
    assert broken and any(culprit in b.link for b in broken), broken
