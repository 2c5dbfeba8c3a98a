"""Near-identical statements reported in several articles ("echoes").

Quotes are compared as sets of word 3-shingles. Two quotes from different
articles echo each other when their Jaccard similarity is high, or when the
shorter one is almost wholly contained in the longer (a reporter quoting part
of an earlier statement). Candidate pairs come from an inverted index of
shingles, so the cost grows with the number of quotes, not its square.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from typing import Iterable

from generator.model.types import Quote

JACCARD = 0.5
CONTAINMENT = 0.8
MIN_CONTAINED = 4        # shingles the shorter quote needs before containment counts
COMMON = 64              # shingles shared by more quotes than this are stock phrases: skip them
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def shingles(text: str, n: int = 3) -> frozenset:
    words = [w.replace("’", "'") for w in _WORD.findall(text.casefold())]
    if len(words) < n:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))


def similar(a: frozenset, b: frozenset) -> bool:
    if not a or not b:
        return False
    inter = len(a & b)
    if not inter:
        return False
    if inter / (len(a) + len(b) - inter) >= JACCARD:
        return True
    small = min(len(a), len(b))
    return small >= MIN_CONTAINED and inter / small >= CONTAINMENT


def groups(quotes: Iterable[Quote]) -> list[list[Quote]]:
    """Groups (of 2+ quotes from 2+ articles) in input order; the input should be chronological."""
    quotes = list(quotes)
    sets = [shingles(q.text) for q in quotes]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for sh in s:
            postings[sh].append(i)
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, s in enumerate(sets):
        # Shared shingles per candidate, counted in C; a pair whose count (plus the stock
        # phrases skipped) cannot reach either threshold is never compared.
        counts: Counter = Counter()
        skipped = 0
        for sh in s:
            plist = postings[sh]
            if len(plist) > COMMON:
                skipped += 1
            elif plist[-1] > i:
                counts.update(plist[bisect_right(plist, i):])     # postings ascend: later quotes only
        for j, c in counts.items():
            if quotes[j].article == quotes[i].article:
                continue
            bound, small = c + skipped, min(len(s), len(sets[j]))
            if 3 * bound < len(s) + len(sets[j]) and (small < MIN_CONTAINED or bound < CONTAINMENT * small):
                continue
            a, b = find(i), find(j)
            if a != b and similar(s, sets[j]):     # already grouped: nothing to learn
                parent[max(a, b)] = min(a, b)
    members: dict[int, list[Quote]] = defaultdict(list)
    for i, q in enumerate(quotes):
        members[find(i)].append(q)
    return [g for _, g in sorted(members.items())
            if len(g) > 1 and len({q.article for q in g}) > 1]
