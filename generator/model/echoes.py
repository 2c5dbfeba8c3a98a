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
    """Groups (of 2+ quotes from 2+ articles) in input order; the input should be chronological.

    Two quotes are linked when they come from different articles, share a shingle that is
    not a stock phrase, and are ``similar``; a group is a connected set of links. The same
    words are often reported many times over (wire copy, a stock line), so the search runs
    over distinct shingle sets, not quotes. Which of two linked sets' quotes are linked
    then follows from their articles alone: when the two sets' quotes span two or more
    articles, every one of them is in the group (a set whose quotes span two articles
    is linked to itself, and anything linked to one of its quotes reaches the rest)."""
    quotes = list(quotes)
    memo: dict[str, frozenset] = {}
    index: dict[frozenset, int] = {}     # distinct shingle set -> its number
    members: list[list[int]] = []        # set number -> quotes with that set, ascending
    for i, q in enumerate(quotes):
        s = memo.get(q.text)
        if s is None:
            s = memo[q.text] = shingles(q.text)
        k = index.setdefault(s, len(index))
        if k == len(members):
            members.append([])
        members[k].append(i)
    sets = list(index)
    articles = [{quotes[i].article for i in m} for m in members]
    # How many quotes (not sets) share each shingle: more than COMMON makes it a stock phrase.
    uses: Counter = Counter()
    postings: dict[str, list[int]] = defaultdict(list)
    for k, s in enumerate(sets):
        for sh in s:
            uses[sh] += len(members[k])
            postings[sh].append(k)
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(ids) -> None:
        roots = {find(i) for i in ids}
        low = min(roots)
        for r in roots:
            parent[r] = low

    for k, s in enumerate(sets):
        # Shared shingles per later set, counted in C; a pair whose count (plus the stock
        # phrases skipped) cannot reach either threshold is never compared.
        counts: Counter = Counter()
        skipped = 0
        for sh in s:
            if uses[sh] > COMMON:
                skipped += 1
            else:
                plist = postings[sh]
                if plist[-1] > k:
                    counts.update(plist[bisect_right(plist, k):])     # postings ascend
        if skipped < len(s) and len(articles[k]) > 1:
            join(members[k])        # the same words in two articles: all of them linked
        for j, c in counts.items():
            bound, small = c + skipped, min(len(s), len(sets[j]))
            if 3 * bound < len(s) + len(sets[j]) and (small < MIN_CONTAINED or bound < CONTAINMENT * small):
                continue
            if len(articles[k] | articles[j]) > 1 and similar(s, sets[j]):
                join(members[k] + members[j])
    grouped: dict[int, list[Quote]] = defaultdict(list)
    for i, q in enumerate(quotes):
        grouped[find(i)].append(q)
    # Sorted by root, which is each group's first quote: most roots are lone quotes, left out first.
    return [g for _, g in sorted((root, g) for root, g in grouped.items() if len(g) > 1)
            if len({q.article for q in g}) > 1]
