"""An article body to safe HTML: Markdown with raw HTML disabled, each quote
wrapped in an anchor target, and the first mention of each person linked."""
from __future__ import annotations

import functools
import html
import re
from typing import Callable

from markdown_it import MarkdownIt


def markdown() -> MarkdownIt:
    """CommonMark with raw HTML off (scraped text is never trusted) and no remote images."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    return md


_TAG = re.compile(r"(<[^>]*>)")


def _escape(word: str) -> str:
    # markdown-it escapes exactly these in text.
    return html.escape(word, quote=True).replace("&#x27;", "'")


def _pattern(text: str) -> re.Pattern:
    words = [re.escape(_escape(w)) for w in text.split()]
    return re.compile(r"\s+".join(words))


def _occurrences(body_html: str, text: str):
    """Spans of ``text`` in the html: plain search first (the usual case), a
    whitespace-tolerant regex only when that finds nothing."""
    needle = _escape(" ".join(text.split()))
    start, found = 0, False
    while (i := body_html.find(needle, start)) != -1:
        found = True
        yield i, i + len(needle)
        start = i + 1
    if not found:
        for m in _pattern(text).finditer(body_html):
            yield m.span()


def anchor_quotes(body_html: str, quotes) -> tuple[str, set[str]]:
    """Wrap each quote's text in ``<span class="q" id="q-…">``; returns the html and the ids placed."""
    taken: list[tuple[int, int]] = []
    spans: list[tuple[int, int, object]] = []
    for q in quotes:
        if not q.text:
            continue
        for a, b in _occurrences(body_html, q.text):
            if any(a < y and x < b for x, y in taken):
                continue
            # Never inside a tag: the nearest '<' before must be closed by a '>'.
            lt = body_html.rfind("<", 0, a)
            if lt != -1 and body_html.rfind(">", lt, a) == -1:
                continue
            taken.append((a, b))
            spans.append((a, b, q))
            break
    out = body_html
    for a, b, q in sorted(spans, key=lambda s: s[0], reverse=True):
        out = (f'{out[:a]}<span class="q" id="{q.id}" data-speaker="{q.speaker}">'
               f"{out[a:b]}</span>{out[b:]}")
    return out, {q.id for _, _, q in spans}


@functools.lru_cache(maxsize=4096)
def _names_regex(names: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def link_people(body_html: str, people: list[tuple[str, list[str]]], href: Callable[[str], str]) -> str:
    """Link the first mention of each person (by name, else alias) outside existing links."""
    names: dict[str, str] = {}
    for slug, spellings in people:
        for s in spellings:
            if len(s) >= 3 and s not in names:
                names[_escape(s)] = slug
    if not names:
        return body_html
    rx = _names_regex(tuple(sorted(names, key=lambda n: (-len(n), n))))
    linked: set[str] = set()
    parts = _TAG.split(body_html)
    in_link = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            if part.startswith("<a ") or part == "<a>":
                in_link += 1
            elif part == "</a>":
                in_link = max(0, in_link - 1)
            continue
        if in_link or not part:
            continue

        def sub(m: re.Match) -> str:
            slug = names[m.group(1)]
            if slug in linked:
                return m.group(0)
            linked.add(slug)
            return f'<a class="person" href="{href(slug)}">{m.group(0)}</a>'

        parts[i] = rx.sub(sub, part)
    return "".join(parts)


def render_article_body(md: MarkdownIt, article, speakers: dict, href: Callable[[str], str]) -> tuple[str, set[str]]:
    body_html = md.render(article.body)
    body_html, placed = anchor_quotes(body_html, article.quotes)
    people = []
    for slug in (*article.speakers, *article.mentions):
        sp = speakers.get(slug)
        if sp:
            people.append((slug, [sp.name, *sp.aliases]))
    return link_people(body_html, people, href), placed
