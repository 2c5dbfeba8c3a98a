"""Find quoted spans in a paragraph with a small state machine over quote marks.

Handles curly (“ ” ‘ ’), straight (" ') and guillemet marks; apostrophes
(it’s, Russia’s, ’90s) are told apart from closing marks by their
neighbours.  Quotes nested inside a quote stay part of the outer text.  A
double quote that is never closed runs to the end of the paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_MARKS = re.compile(r"[“”„\"‘’'«»]")
_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"


@dataclass(frozen=True)
class Span:
    """``text[start:end]`` is the quoted text; ``open``/``close`` are the mark positions."""
    start: int
    end: int
    open: int
    close: int | None      # None: the closing mark is missing

    @property
    def closed(self) -> bool:
        return self.close is not None

    @property
    def after(self) -> int:
        """Index just past the quote, closing mark included."""
        return self.close + 1 if self.close is not None else self.end


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _opens(prev: str, nxt: str) -> bool:
    """A straight mark opens when it follows space/punctuation and precedes text."""
    return (not prev or prev.isspace() or prev in "([{—–-/:;,") and bool(nxt) and not nxt.isspace()


def find_spans(text: str) -> list[Span]:
    """Top-level quoted spans of ``text`` in order."""
    spans: list[Span] = []
    kind = None          # "d" double or "s" single: the top-level quote now open
    depth = 0            # nesting of same-family curly marks inside the open quote
    begin = 0
    n = len(text)
    for m in _MARKS.finditer(text):
        i, c = m.start(), m.group()
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if kind is None:
            if c in _OPEN_DOUBLE or (c == '"' and _opens(prev, nxt)):
                kind, depth, begin = "d", 0, i
            elif c == "‘" and not _is_word(prev) and nxt and not nxt.isspace():
                kind, depth, begin = "s", 0, i
            elif c == "'" and _opens(prev, nxt) and nxt.isalpha():
                kind, depth, begin = "s", 0, i
            continue
        if kind == "d":
            if c in _OPEN_DOUBLE and c != "«" and prev.isspace() is False and _is_word(prev):
                continue  # a stray mark glued to a word
            if c == "“" or c == "«":
                depth += 1
            elif c in _CLOSE_DOUBLE or c == '"':
                if depth:
                    depth -= 1
                else:
                    spans.append(Span(begin + 1, i, begin, i))
                    kind = None
        else:  # single: close on ’/' that is not an apostrophe inside a word
            if c in "’'" and prev and not prev.isspace() and not _is_word(nxt):
                spans.append(Span(begin + 1, i, begin, i))
                kind = None
            elif c in '“”"':
                # a double mark inside an unclosed single quote: the single was an apostrophe
                kind = None
                if c == "“" or (c == '"' and _opens(prev, nxt)):
                    kind, depth, begin = "d", 0, i
    if kind == "d" or (kind == "s" and text[begin] == "‘"):
        spans.append(Span(begin + 1, n, begin, None))
    return [s for s in spans if text[s.start:s.end].strip()]


def quote_text(text: str, span: Span) -> str:
    """The quoted words, without the dangling comma of ``"…," he said``."""
    return text[span.start:span.end].strip().rstrip(",").rstrip()
