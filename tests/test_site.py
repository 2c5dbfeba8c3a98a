"""The built fixture site: cross-links, crawler, feeds, metadata, escaping."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
from urllib.parse import urljoin

import pytest
import yaml

from conftest import build
from linkcheck import broken_links, parse_html


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def links(out: Path, rel: str) -> set[str]:
    """A page's hrefs resolved to site paths, e.g. ``../../speakers/x/`` -> ``/speakers/x/``."""
    page = "http://site/" + rel
    return {urljoin(page, h).removeprefix("http://site") for h in hrefs(read(out, rel))}


@pytest.fixture(scope="module")
def site(built_root):
    config, result = built_root
    from generator.model import load_site
    return config, result.output, load_site(config.paths["content"])


def test_each_article_links_its_speakers_and_topics_and_they_link_back(site):
    config, out, model = site
    for slug, a in model.articles.items():
        page = links(out, f"articles/{slug}/index.html")
        for s in (*a.speakers, *a.mentions):
            assert f"/speakers/{s}/" in page, (slug, s)
            assert f"/articles/{slug}/" in "".join(links(out, f"speakers/{s}/index.html")), (s, slug)
        for t in a.topics:
            assert f"/topics/{t}/" in page, (slug, t)
            assert f"/articles/{slug}/" in links(out, f"topics/{t}/index.html"), (t, slug)
        if a.source_slug:
            assert f"/sources/{a.source_slug}/" in page
            assert f"/articles/{slug}/" in links(out, f"sources/{a.source_slug}/index.html")


def test_every_quote_is_on_its_speaker_page_linking_to_its_anchor(site):
    config, out, model = site
    for a in model.articles.values():
        article_ids = parse_html(read(out, f"articles/{a.slug}/index.html")).ids
        for q in a.quotes:
            speaker_page = read(out, f"speakers/{q.speaker}/index.html")
            assert f"/articles/{a.slug}/#{q.id}" in links(out, f"speakers/{q.speaker}/index.html")
            assert q.text.split()[0] in speaker_page
            assert q.id in article_ids


def test_quotes_are_anchored_inside_the_body_and_people_linked(site):
    config, out, model = site
    html = read(out, "articles/lindqvist-offers-joint-shield/index.html")
    body = html.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]
    assert '<span class="q" id="q-0a000002"' in body
    assert '<a class="person" href="../../speakers/mara-lindqvist/">Mara Lindqvist</a>' in body
    assert '<a class="person" href="../../speakers/ilse-kramer/">' in body   # mentions too


def test_raw_html_in_a_body_is_escaped(site):
    config, out, model = site
    html = read(out, "articles/berg-interview-on-trade/index.html")
    assert "<script>alert" not in html and "<b>not bold" not in html
    assert "&lt;script&gt;alert" in html


def test_no_broken_links_at_root(built_root):
    config, result = built_root
    assert broken_links(result.output, "/") == []


def test_no_broken_links_under_a_prefix(built_prefix):
    config, result = built_prefix
    assert config.base_path == "/repo/"
    out = result.output
    assert broken_links(out, "/repo/") == []
    assert 'href="/repo/speakers/"' in read(out, "404.html")
    # nothing escapes the prefix
    for page in out.rglob("*.html"):
        if "pagefind" in page.parts:
            continue
        for link in hrefs(page.read_text(encoding="utf-8")):
            assert not link.startswith("/") or link.startswith("/repo/"), (page, link)


def test_feeds_parse(site):
    config, out, model = site
    feeds = [out / "feed.xml", *out.glob("speakers/*/feed.xml"), *out.glob("topics/*/feed.xml")]
    assert len(feeds) >= 1 + 3 + 3
    for path in feeds:
        d = feedparser.parse(path.read_bytes())
        assert not d.bozo, (path, d.get("bozo_exception"))
        assert d.feed.title and d.entries
        for e in d.entries:
            assert e.link.startswith("https://example.org/articles/")
    site_feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert site_feed.entries[0].link.endswith("/lindqvist-repeats-pledge/")   # newest first


def test_sitemap_robots_and_404(site):
    config, out, model = site
    sitemap = read(out, "sitemap.xml")
    assert "<loc>https://example.org/articles/lindqvist-on-trade/</loc>" in sitemap
    assert "404" not in sitemap
    assert "Sitemap: https://example.org/sitemap.xml" in read(out, "robots.txt")
    page = read(out, "404.html")
    assert all(h.startswith(("/", "https://", "#")) for h in hrefs(page))


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.titles, self.jsonld, self._in = {}, [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("property"):
            self.meta[a["property"]] = a.get("content")
        if tag == "link" and a.get("rel") == "canonical":
            self.meta["canonical"] = a["href"]
        self._in = tag if tag == "title" or (tag == "script" and a.get("type") == "application/ld+json") else None

    def handle_data(self, data):
        if self._in == "title":
            self.titles.append(data)
        elif self._in == "script":
            self.jsonld.append(json.loads(data))

    def handle_endtag(self, tag):
        self._in = None


def test_every_page_has_title_canonical_and_opengraph(site):
    config, out, model = site
    seen_titles = set()
    for page in out.rglob("*.html"):
        if "pagefind" in page.parts:
            continue
        m = _Meta()
        m.feed(page.read_text(encoding="utf-8"))
        assert m.titles and m.titles[0].strip(), page
        seen_titles.add(m.titles[0])
        assert m.meta["canonical"].startswith("https://example.org/")
        assert m.meta["og:title"] and m.meta["og:url"] == m.meta["canonical"]
    assert len(seen_titles) > 10


def test_article_jsonld_is_a_news_article_with_mentions_and_quotations(site):
    config, out, model = site
    m = _Meta()
    m.feed(read(out, "articles/lindqvist-repeats-pledge/index.html"))
    [ld] = m.jsonld
    assert ld["@type"] == "NewsArticle" and ld["datePublished"].startswith("2021-06-07")
    assert {x["name"] for x in ld["mentions"]} >= {"Mara Lindqvist", "Tomas Berg"}
    assert ld["hasPart"][0]["@type"] == "Quotation"
    assert ld["hasPart"][0]["url"].endswith("#q-0c000001")


def test_repeated_quotes_page_and_where_else_it_appeared(site):
    config, out, model = site
    page = read(out, "quotes/index.html")
    assert "/articles/lindqvist-offers-joint-shield/#q-0a000001" in page
    assert "/articles/lindqvist-repeats-pledge/#q-0c000001" in page
    article = read(out, "articles/lindqvist-repeats-pledge/index.html")
    assert "Also reported in" in article and "/articles/lindqvist-offers-joint-shield/#q-0a000001" in article


def test_speaker_page_shows_what_they_said_about_each_topic_over_time(site):
    config, out, model = site
    page = read(out, "speakers/mara-lindqvist/index.html")
    assert 'id="on-alliance-relations"' in page
    section = page.split('id="on-alliance-relations"', 1)[1].split("</section>", 1)[0]
    order = [m for m in re.findall(r"#(q-[0-9a-f]{8})", section)]
    assert order.index("q-0a000001") < order.index("q-0e000001") < order.index("q-0c000002")


def test_search_page_and_index_with_filters(site):
    config, out, model = site
    assert (out / "pagefind" / "0" / "pagefind.js").is_file()
    html = read(out, "articles/lindqvist-on-trade/index.html")
    for f in ("speaker", "topic", "source"):
        assert f'data-pagefind-filter="{f}"' in html
    search = read(out, "search/index.html")
    assert '<label for="search-q">' in search and 'data-bundle="/pagefind/" data-shards="0"' in search


DEMO = Path(__file__).resolve().parents[1]
SPEC = DEMO.parent / "shared" / "spec" / "seed-expectations.yaml"


@pytest.mark.slow
@pytest.mark.skipif(not (DEMO / "content" / "articles").is_dir() or not SPEC.is_file(),
                    reason="the demo content/ has not been ingested yet")
def test_demo_spec_quotes_are_on_their_speaker_pages(tmp_path):
    from generator.build import Builder, NullReporter
    from generator.config import load_config

    config = load_config(DEMO, {"output": str(tmp_path / "site"), "cache": str(tmp_path / "cache")})
    out = Builder(config, reporter=NullReporter()).build(search_index=False).output
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    fold = lambda s: " ".join(s.split())  # noqa: E731
    missing = []
    for seed, exp in spec["articles"].items():
        for q in exp.get("quotes", []):
            page = out / "speakers" / q["speaker"] / "index.html"
            text = fold(page.read_text(encoding="utf-8")) if page.is_file() else ""
            import html as h
            start = fold(h.escape(q["starts_with"], quote=False))
            if start not in text.replace("&#39;", "'"):
                missing.append((seed, q["speaker"], q["starts_with"]))
    assert not missing
    assert broken_links(out, config.base_path, site_url=config.base_url) == []


def test_more_echoes_than_shown_read_as_a_sentence(project):
    # Four more reports of the same pledge: the article lists three and "and N more".
    src = (project / "content/articles/lindqvist-repeats-pledge.md").read_text()
    for i in range(4):
        (project / f"content/articles/pledge-copy-{i}.md").write_text(
            src.replace("slug: lindqvist-repeats-pledge", f"slug: pledge-copy-{i}")
               .replace("'2021-06-07T16:14'", f"'2021-07-0{i + 1}T10:00'"))
    config, _ = build(project)
    html = read(config.paths["output"], "articles/lindqvist-repeats-pledge/index.html")
    echo = html.split('<p class="echo">', 1)[1].split("</p>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", "", echo).split())
    assert re.search(r"\(\d+ \w+ \d{4}(, \d\d:\d\d)?\) and 2 more$", text), text
    assert text.startswith("Also reported in: ") and text.count("; ") == 2
