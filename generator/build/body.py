"""An article body to safe HTML: Markdown with raw HTML disabled, each quote
wrapped in an anchor target, and the first mention of each person linked."""
from __future__ import annotations

import functools
import html
import re
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from generator.build.markdown import Renderer

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
    wraps = [(a, b, f'<span class="q" id="{q.id}" data-speaker="{q.speaker}">', "</span>") for a, b, q in spans]
    return wrap_spans(body_html, wraps), {q.id for _, _, q in spans}


def wrap_spans(text: str, wraps) -> str:
    """``text`` with each ``(start, end, before, after)`` span (none overlapping) put between
    its ``before`` and ``after``: one copy of the text, not one per span."""
    pieces, last = [], 0
    for a, b, before, after in sorted(wraps, key=lambda w: w[0]):
        pieces += (text[last:a], before, text[a:b], after)
        last = b
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def spellings(name: str, role: str, aliases, kind: str = "person") -> list[str]:
    """The spellings of a speaker worth a link: the name, and the aliases that are names
    too ("Medvedev", "Foreign Ministry"), not roles or titles ("Russian President",
    "NATO Secretary-General", "former Danish premier"), which name the office, not the person."""
    words = {w.casefold() for w in re.findall(r"[^\W\d_]{3,}", name)}
    out = [name]
    for alias in aliases:
        tokens = alias.split()
        if (not alias or alias in out or alias.casefold() == role.casefold()
                or any(t[:1].islower() for t in tokens)):
            continue
        shares = any(t.casefold().strip(".,") in words for t in tokens)
        if len(tokens) == 1 or shares:
            out.append(alias)
    return out


def _matches(body_html: str, needles: dict[str, tuple[str, bool]]):
    """Whole-word matches in text runs outside links, non-overlapping, leftmost first and the
    longest at a position: (start, end, slug, is_name). Needles hold no '<', so a match never
    spans a tag; one whose nearest '<' before it is unclosed is inside a tag and dropped.

    A needle whose last word is a needle too ("Amir Abbasi", "Abbasi") ends wherever that
    word does, so it is not searched for itself: each hit of the word is checked for it."""
    found = []
    n = len(body_html)
    ends_with: dict[str, list[tuple[str, int]]] = {}     # last word -> [(needle, its offset)]
    through_last_word = set()
    for needle in needles:
        head, space, last = needle.rpartition(" ")
        if space and last in needles:
            ends_with.setdefault(last, []).append((needle, len(head) + 1))
            through_last_word.add(needle)
    for needle, (slug, is_name) in needles.items():
        if needle in through_last_word:
            continue
        longer = ends_with.get(needle, ())
        m = len(needle)
        i = body_html.find(needle)
        while i != -1:
            j = i + m
            c = body_html[j] if j < n else " "
            if not (c.isalnum() or c in "_-"):      # the end is the same for the longer ones
                c = body_html[i - 1] if i else " "
                if not (c.isalnum() or c in "_-"):
                    found.append((i, -m, j, slug, is_name))
                for other, k in longer:
                    start = i - k
                    if start >= 0 and body_html.startswith(other, start):
                        c = body_html[start - 1] if start else " "
                        if not (c.isalnum() or c in "_-"):
                            found.append((start, start - j, j, *needles[other]))
            i = body_html.find(needle, i + 1)
    found.sort()
    end = 0
    for i, _, j, slug, is_name in found:
        if i >= end:
            lt = body_html.rfind("<", 0, i)
            if lt != -1 and body_html.rfind(">", lt, i) == -1:
                continue            # inside a tag
            end = j
            yield i, j, slug, is_name


def spelling_needles(people: list[tuple[str, list[str]]]) -> dict[str, tuple[str, bool]]:
    """Escaped spelling -> (slug, is the full name), for spellings of 3+ characters; the
    first person listed keeps a spelling two share."""
    needles: dict[str, tuple[str, bool]] = {}
    for slug, names in people:
        for n, is_name in _escaped(tuple(names)):
            needles.setdefault(n, (slug, is_name))
    return needles


@functools.lru_cache(maxsize=8192)
def _escaped(names: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    return tuple((_escape(n), k == 0) for k, n in enumerate(names) if len(n) >= 3)


@functools.lru_cache(maxsize=8192)
def _spellings(name: str, role: str, aliases: tuple[str, ...], kind: str) -> tuple[str, ...]:
    # One speaker's spellings, for every article that names them.
    return tuple(spellings(name, role, aliases, kind))


def link_people(body_html: str, people: list[tuple[str, list[str]]], href: Callable[[str], str]) -> str:
    """Link one mention of each person outside existing links: the first mention by full name
    (the first spelling), else the first by another spelling. At any position the longest
    spelling wins, so "Dmitry Medvedev" is linked whole, never just "Medvedev"."""
    needles = spelling_needles(people)
    if not needles:
        return body_html
    links = _link_spans(body_html) if "<a" in body_html else []
    chosen: dict[str, tuple[int, int, bool]] = {}     # slug -> (start, end, by name)
    for i, j, slug, is_name in _matches(body_html, needles):
        if links and any(a <= i < b for a, b in links):
            continue
        have = chosen.get(slug)
        if have is None or (is_name and not have[2]):
            chosen[slug] = (i, j, is_name)
    return wrap_spans(body_html, [(i, j, f'<a class="person" href="{href(slug)}">', "</a>")
                                  for slug, (i, j, _) in chosen.items()])


def _link_spans(body_html: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each outermost <a …>…</a> of the html."""
    spans, depth, start = [], 0, 0
    for m in _TAG.finditer(body_html):
        tag = m.group()
        if tag.startswith("<a ") or tag == "<a>":
            if depth == 0:
                start = m.end()
            depth += 1
        elif tag == "</a>" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, m.start()))
    if depth:
        spans.append((start, len(body_html)))
    return spans


def render_article_body(md: Renderer, article, speakers: dict, href: Callable[[str], str]) -> tuple[str, set[str]]:
    body_html = md.render(article.body)
    body_html, placed = anchor_quotes(body_html, article.quotes)
    people = []
    for slug in (*article.speakers, *article.mentions):
        sp = speakers.get(slug)
        if sp:
            people.append((slug, _spellings(sp.name, sp.role, tuple(sp.aliases), sp.kind)))
    return link_people(body_html, people, href), placed
