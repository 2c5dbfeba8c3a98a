"""Word lists as prefix-tree regex alternations.

``a|ab|abc`` makes the regex engine try every word at every position; the
tree form ``a(?:b(?:c)?)?`` checks each character once.  Greedy optional
tails try longer words first, so the match is the one a longest-first
alternation would find: two words can only match at the same place when one
is a prefix of the other.
"""
from __future__ import annotations

import re


def trie_pattern(words, *, space: str = r"\ ", ignore_case: bool = False, after_first: str = "",
                 is_space=lambda ch: ch == " ") -> str:
    """A non-capturing pattern matching any of ``words``, longest first.

    ``space`` is what a space inside a word (a character ``is_space`` accepts)
    becomes (``\\s+`` for "pointed out").
    With ``ignore_case`` the words are lower-cased first (the pattern is then
    meant for a case-insensitive regex, where case makes no difference).
    ``after_first`` goes right after each word's first character: a
    lookbehind there (``(?<!\\w.)`` for a leading word boundary) keeps every
    branch starting with a literal, which lets ``re`` skip ahead to the
    positions where one of the first characters occurs."""
    root: dict = {}
    for w in words:
        node = root
        for ch in (w.lower() if ignore_case else w):
            unit = space if is_space(ch) else re.escape(ch)
            node = node.setdefault(unit, {})
        node[""] = {}           # end of a word
    if not root:
        raise ValueError("empty word list")
    return "(?:" + _emit(root, after_first) + ")"


def _emit(node: dict, after: str = "") -> str:
    alts = [unit + after + _emit(child) for unit, child in sorted(node.items()) if unit]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if "" in node:
        return "(?:" + body + ")?"
    return body
