"""Cleaned paragraphs -> the Markdown body of a content file.

Scraped text is untrusted and not Markdown: characters that would turn into
structure (headings, lists, emphasis, links) are escaped so the text reads the
same once rendered. Raw HTML needs no escaping here: the builder never renders it.
"""
from __future__ import annotations

import re

_BLOCK_START = re.compile(r"^(\s*)(#{1,6}\s|>|[-+*]\s|\d{1,9}[.)]\s|={3,}|-{3,}|_{3,}|\*{3,})")
_INLINE = re.compile(r"([\\`*_])")
_LINKISH = re.compile(r"\[([^\]\n]*)\](?=[(\[:])")
_TURN = re.compile(r"^([A-Z][\w.'’ -]{0,40}?):\s+(\S.*)$", re.S)
_WORD = re.compile(r"\w+")


def escape(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    text = _LINKISH.sub(r"\\[\1\\]", text)
    m = _BLOCK_START.match(text)
    if m:
        lead = m.end(1)
        if text[lead].isdigit():  # "1. " -> "1\. ": CommonMark escapes the delimiter, not the digit
            dot = lead + len(m.group(2)) - 2
            text = text[:dot] + "\\" + text[dot:]
        else:
            text = text[:lead] + "\\" + text[lead:]
    return text


def render_body(paragraphs, interview: bool = False) -> str:
    """Paragraphs separated by blank lines; interview turns as ``**Label:** text``."""
    out = []
    for para in paragraphs:
        turn = _TURN.match(para) if interview else None
        if turn:
            out.append(f"**{escape(turn.group(1))}:** {escape(turn.group(2))}")
        else:
            out.append(escape(para))
    return "\n\n".join(out)


def word_count(paragraphs) -> int:
    return sum(len(_WORD.findall(p)) for p in paragraphs)
