"""The built demo digest in real headless Chromium, served over HTTP on 127.0.0.1 at
``/`` and under ``/repo/``: layout at 360 and 1280 px, search, axe-core, keyboard
focus, themes, screenshots, and no request ever leaving the machine."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser_support import (HOST, ROOT, build_demo, chromium, load_model, require_axe, require_chromium,
                             sample_pages, serving)

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
BASES = ("/", "/repo/")
WIDTHS = (360, 1280)
NOT_FOUND = ("404", "404-deep")
TIMEOUT_MS = 20_000


@dataclass
class Demo:
    origin: str
    outputs: dict[str, Path]      # base path -> built site folder
    model: object
    pages: dict[str, str]         # name -> path relative to the base
    config: object

    def url(self, base: str, rel: str) -> str:
        return self.origin + base + rel


SHARDED = "search:\n  shard_size: 2\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    require_chromium()   # skip (or fail) before spending time on builds
    from generator.config import load_config
    tmp = tmp_path_factory.mktemp("browser")
    with serving() as (origin, mount):
        # Under /repo/ the search index is split into shards of two articles, so the browser
        # tests cover both a single Pagefind bundle and merged ones.
        outputs = {base: build_demo(tmp / (base.strip("/") or "root"), origin + base,
                                    extra_config=SHARDED if base == "/repo/" else "") for base in BASES}
        for base, out in outputs.items():
            mount(base, out)
        model = load_model(outputs["/"])
        yield Demo(origin, outputs, model, sample_pages(model), load_config(outputs["/"].parent / "project"))


@pytest.fixture(scope="module")
def browser(demo):
    with chromium() as b:
        yield b


@dataclass
class Browse:
    """Pages in fresh contexts, with every request recorded and anything not on
    127.0.0.1 aborted, so a stray CDN or font link fails the test instead of loading."""
    browser: object
    origin: str
    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    contexts: list = field(default_factory=list)

    def page(self, width: int = 1280, scheme: str = "light"):
        ctx = self.browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme,
                                       service_workers="block")
        self.contexts.append(ctx)
        ctx.route("**/*", self._route)
        page = ctx.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        page.on("response", self._response)
        return page

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if urlsplit(url).hostname == HOST:
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def _response(self, response):
        # Navigations to missing pages are expected to 404; nothing a page loads may.
        if response.status >= 400 and response.request.resource_type != "document":
            self.failed.append(f"{response.status} {response.url}")

    def check(self):
        assert self.requests, "no request was recorded"
        assert not self.external, f"requests left 127.0.0.1: {self.external[:5]}"
        assert not self.failed, f"assets failed to load: {self.failed[:5]}"
        assert not self.errors, f"JavaScript errors: {self.errors[:5]}"

    def close(self):
        for ctx in self.contexts:
            ctx.close()


@pytest.fixture
def browse(browser, demo):
    b = Browse(browser, demo.origin)
    yield b
    b.close()


def visit(page, demo: Demo, base: str, name: str):
    response = page.goto(demo.url(base, demo.pages[name]), wait_until="load")
    expected = 404 if name == "404-deep" else 200
    assert response.status == expected, f"{name}: HTTP {response.status} for {response.url}"
    if name == "search":
        page.wait_for_selector("#search-form[data-ready]", state="attached")
    return response


OVERFLOW_JS = """() => {
  const w = innerWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > w + 0.5) out.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                                               + ' right=' + Math.round(r.right));
  }
  return {scroll: document.documentElement.scrollWidth, width: w, culprits: out.slice(0, 4),
          styled: getComputedStyle(document.documentElement).getPropertyValue('--measure').trim() !== ''};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("base", BASES)
def test_every_kind_of_page_fits_the_viewport(browse, demo, base, width):
    page = browse.page(width)
    problems = []
    for name in demo.pages:
        visit(page, demo, base, name)
        m = page.evaluate(OVERFLOW_JS)
        if not m["styled"]:
            problems.append(f"{name}: the stylesheet did not apply")
        if m["scroll"] > m["width"]:
            problems.append(f"{name}: scrollWidth {m['scroll']} > {m['width']}: {m['culprits']}")
        if not page.title().strip():
            problems.append(f"{name}: empty <title>")
    assert not problems, "\n".join(problems)
    browse.check()


def _distinctive_word(model) -> tuple[str, object]:
    """A long word from a full quote, and the quote: the search must find its article."""
    quotes = sorted((q for a in model.articles.values() for q in a.quotes if not q.partial),
                    key=lambda q: (-len(q.text), q.id))
    for q in quotes:
        words = sorted(set(re.findall(r"[A-Za-z]{7,}", q.text)), key=lambda w: (-len(w), w))
        if words:
            return words[0].lower(), q
    pytest.fail("the demo digest has no quote with a long word")


def _result_slugs(page) -> list[str]:
    hrefs = page.eval_on_selector_all("#search-results a", "els => els.map(e => e.getAttribute('href'))")
    return [m.group(1) for h in hrefs if (m := re.search(r"articles/([^/]+)/", h))]


def _settled(page):
    page.wait_for_function("() => document.getElementById('search-results').getAttribute('aria-busy') === 'false'")


@pytest.mark.parametrize("base", BASES)
def test_search_finds_a_quote_by_a_word_in_it(browse, demo, base):
    word, quote = _distinctive_word(demo.model)
    page = browse.page(1280)
    # From the search box in the header of any page …
    visit(page, demo, base, "speakers")
    page.fill("#site-search-q", word)
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(re.escape(demo.url(base, "search/")) + r"\?q="))
    page.wait_for_selector("#search-form[data-ready]", state="attached")
    _settled(page)
    assert quote.article in _result_slugs(page), (word, _result_slugs(page))
    assert page.locator("#search-results mark").count() >= 1, "the excerpt highlights no hit"
    # … and typing on the search page itself.
    page.fill("#search-q", "")
    _settled(page)
    assert _result_slugs(page) == []
    page.fill("#search-q", word[:-1])
    _settled(page)
    assert quote.article in _result_slugs(page)
    # The result leads to the article, under the right base path.
    page.click(f"#search-results a[href*='articles/{quote.article}/']")
    page.wait_for_url(demo.url(base, f"articles/{quote.article}/") + "*")
    assert page.locator(f"[id='{quote.id}']").count() == 1
    browse.check()


def test_search_filters_by_speaker_topic_and_source(browse, demo):
    model = demo.model
    shards = sorted(p.parent.name for p in (demo.outputs["/repo/"] / "pagefind").glob("*/pagefind.js"))
    assert len(shards) > 1, "the /repo/ build should merge several index shards"
    page = browse.page(1280)
    visit(page, demo, "/repo/", "search")
    speaker = min(model.by_speaker, key=lambda s: (len(model.by_speaker[s]), s))
    topic = min(model.by_topic, key=lambda t: (len(model.by_topic[t]), t))
    source = min(model.by_source, key=lambda s: (len(model.by_source[s]), s))
    cases = [("#filter-speaker", model.speakers[speaker].name, model.by_speaker[speaker]),
             ("#filter-topic", model.topics[topic].name, model.by_topic[topic]),
             ("#filter-source", model.sources[source].name, model.by_source[source])]
    for select, value, expected in cases:
        page.select_option(select, value)
        _settled(page)
        assert sorted(_result_slugs(page)) == sorted(expected), (select, value)
        page.select_option(select, "")
        _settled(page)
    # A word and a filter together: the quote's article, but not under another speaker.
    word, quote = _distinctive_word(model)
    page.fill("#search-q", word)
    page.select_option("#filter-speaker", model.speakers[quote.speaker].name)
    _settled(page)
    assert quote.article in _result_slugs(page)
    outsiders = [s for s in model.by_speaker if quote.article not in model.by_speaker[s]]
    if outsiders:
        page.select_option("#filter-speaker", model.speakers[outsiders[0]].name)
        _settled(page)
        assert quote.article not in _result_slugs(page)
    # The filters are kept in the address, so a search can be shared.
    page.click("#search-form button[type=submit]")
    assert "speaker=" in page.url and "q=" in page.url
    browse.check()


AXE_JS = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation(browse, demo, scheme):
    axe = require_axe()
    word, _ = _distinctive_word(demo.model)
    page = browse.page(1280, scheme)
    found = []
    for name in demo.pages:
        visit(page, demo, "/repo/", name)
        if name == "search":   # check the results too, not just the empty form
            page.fill("#search-q", word)
            _settled(page)
        page.add_script_tag(content=axe)
        for v in page.evaluate(AXE_JS):
            if v["impact"] in ("serious", "critical"):
                found.append(f"{name} [{scheme}] {v['impact']} {v['id']}: {v['help']} {v['nodes']}")
    assert not found, "\n".join(found)
    browse.check()


FOCUS_JS = """() => {
  const el = document.activeElement, cs = getComputedStyle(el), r = el.getBoundingClientRect();
  return {tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 30),
          outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
          shadow: cs.boxShadow !== 'none', inView: r.bottom > 0 && r.top < innerHeight && r.width > 1};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_is_always_visible(browse, demo, scheme):
    page = browse.page(360, scheme)
    visit(page, demo, "/", "article")
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUS_JS)
        seen.append(f)
        assert f["outline"] or f["shadow"], f"no visible focus indicator on {f}"
        assert f["inView"], f"focused element is off screen: {f}"
    assert seen[0]["text"].lower().startswith("skip"), "the first Tab stop is not the skip link"
    page.keyboard.press("Shift+Tab")  # back through the list works too
    browse.check()


def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h[:6]
    return f"rgb({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)})"


def test_light_and_dark_themes_use_the_configured_accents(browse, demo):
    colours = {}
    for scheme, key in (("light", "accent"), ("dark", "accent_dark")):
        page = browse.page(1280, scheme)
        visit(page, demo, "/", "speaker")
        colours[scheme] = page.evaluate(
            "() => ({bg: getComputedStyle(document.body).backgroundColor,"
            " link: getComputedStyle(document.querySelector('main a[href]')).color})")
        assert colours[scheme]["link"] == _rgb(demo.config.theme[key]), (scheme, colours[scheme])
    assert colours["light"]["bg"] != colours["dark"]["bg"]
    browse.check()


def test_article_sidebar_sits_beside_the_body_when_wide_and_under_it_when_narrow(browse, demo):
    boxes = {}
    for width in WIDTHS:
        page = browse.page(width)
        visit(page, demo, "/", "article")
        boxes[width] = page.evaluate("""() => {
          const b = document.querySelector('.article-body').getBoundingClientRect();
          const s = document.querySelector('.sidebar').getBoundingClientRect();
          const p = document.querySelector('.article-body p');
          return {body: [b.left, b.right, b.top, b.bottom], side: [s.left, s.right, s.top, s.bottom],
                  chars: p.getBoundingClientRect().width / parseFloat(getComputedStyle(p).fontSize)};
        }""")
    wide, narrow = boxes[1280], boxes[360]
    assert wide["side"][0] >= wide["body"][1], "the sidebar is not beside the body at 1280 px"
    assert narrow["side"][2] >= narrow["body"][3] - 1, "the sidebar is not under the body at 360 px"
    # A readable measure: roughly 65 characters (about 30-36 em) per line on a wide screen.
    assert 25 <= wide["chars"] <= 40, wide["chars"]
    browse.check()


def test_screenshots_of_home_speaker_and_article(browse, demo):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = []
    for scheme in ("light", "dark"):
        for width in WIDTHS:
            page = browse.page(width, scheme)
            for name in ("home", "speaker", "article"):
                visit(page, demo, "/", name)
                path = ARTIFACTS / f"{name}-{scheme}-{width}.png"
                page.screenshot(path=str(path), full_page=True)
                shots.append(path)
    assert all(p.stat().st_size > 5000 for p in shots)
    browse.check()
