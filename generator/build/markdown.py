"""Markdown to HTML for article bodies: CommonMark without raw HTML or images.

Scraped text is never trusted, so "<b>" in a body is shown, escaped, as text, and
"![x](url)" fetches nothing. Three renderers give markdown-it-py's HTML for a news
body, the fastest that can be used for each:

- pulldown-cmark (``pyromark``) for a *plain* body: one with no character that starts
  raw HTML, a link, an image or code (``< [ ` ~``), and no tab or NUL, which the two
  parsers treat differently. It has no switch for raw HTML or images, so it only gets
  bodies that cannot hold either. Most article bodies are plain (86 of the 101 of the
  extraction test set, the demo and the test fixtures): 40 µs a 4 KB body faster than
  markdown-it.rs, about 2 % of a cold build. Installed together with markdown-it.rs,
  whose HTML it matches (markdown-it-py's too, but for spaces beyond ASCII at a line's
  ends, which markdown-it-py trims as JavaScript's ``trim()`` does).
- markdown-it.rs (``markdown-it-pyrs``) for the rest, with raw HTML and images disabled.
- markdown-it-py where neither has a wheel.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


class Renderer(Protocol):
    def render(self, text: str) -> str: ...


# CommonMark block and inline rules, without raw HTML (scraped text is never trusted) and
# without images (no remote fetches): "<b>" in a body is shown, escaped, as text.
RULES = ["blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
         "autolink", "backticks", "emphasis", "entity", "escape", "link", "newline"]


def is_plain(text: str) -> bool:
    """No character that starts raw HTML, a link, an image or code; no tab or NUL (module
    docstring). Six ``in`` tests: a quarter of the time of a regex's search."""
    return not ("<" in text or "[" in text or "`" in text or "~" in text or "\t" in text or "\0" in text)


_QUOTED_ATTRIBUTE = re.compile(r"<[^>]*=&quot;[^>]*>")


def markdown() -> Renderer:
    """A renderer with ``.render(text) -> html``: the fastest installed (module docstring)."""
    try:
        general = markdown_rs()
    except ImportError:
        general = markdown_py()
    try:
        import pyromark
    except ImportError:
        return general
    return PlainFirst(pyromark.html, general)


def markdown_rs() -> Renderer:
    """markdown-it.rs with ``RULES``; ImportError where ``markdown-it-pyrs`` is not installed."""
    from markdown_it_pyrs import MarkdownIt as Rust
    md = Rust("zero")
    md.enable_many(RULES)
    return md


def markdown_py() -> MarkdownIt:
    from markdown_it import MarkdownIt      # imported only when used: 10 ms of every start-up
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    return md


class PlainFirst:
    """``render(text)``: a plain body through ``plain`` (pulldown-cmark's ``html``), with
    markdown-it's line endings and text escaping; any other through ``general``."""

    def __init__(self, plain, general):
        self.plain, self.general = plain, general

    def render(self, text: str) -> str:
        if not is_plain(text):
            return self.general.render(text)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        # A final newline: without it pulldown-cmark ends a last indented code block without one.
        html = self.plain(text if text.endswith("\n") else text + "\n")
        if '"' in html:
            # markdown-it escapes '"' in text as well; the one attribute a plain body
            # can produce (<ol start="3">) keeps its quotes.
            html = html.replace('"', "&quot;")
            if "=&quot;" in html:
                html = _QUOTED_ATTRIBUTE.sub(lambda m: m.group().replace("&quot;", '"'), html)
        return html
