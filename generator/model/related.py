"""Related articles: those sharing speakers, topics or echoed quotes.

Rare links weigh more than common ones (a shared speaker who appears twice says
more than a topic with thousands of articles). For a long posting list only the
articles nearest in time are candidates, which keeps the work linear in the
number of articles while favouring the follow-ups a reader wants.
"""
from __future__ import annotations

import heapq
import math
from collections import defaultdict

WINDOW = 12          # neighbours taken on each side from a long posting list
LIMIT = 5
WEIGHTS = {"echo": 3.0, "speaker": 2.0, "topic": 1.0}
SCALE = 1 << 20      # scores are summed as integers: exact, so ties are reproducible


def related(order: list[str], postings: dict[tuple[str, str], list[str]],
            memberships: dict[str, list[tuple[str, str]]], limit: int = LIMIT) -> dict[str, list[str]]:
    """``postings``: (kind, key) -> chronological slugs; ``memberships``: slug -> its (kind, key)s."""
    rank = {slug: i for i, slug in enumerate(order)}
    position = {key: {s: i for i, s in enumerate(slugs)} for key, slugs in postings.items()
                if len(slugs) > 2 * WINDOW + 1}
    out: dict[str, list[str]] = {}
    for slug in order:
        scores: dict[str, int] = defaultdict(int)
        for key in memberships.get(slug, ()):
            slugs = postings[key]
            if len(slugs) < 2:
                continue
            weight = round(SCALE * WEIGHTS[key[0]] / math.log2(1 + len(slugs)))
            if key in position:
                i = position[key][slug]
                slugs = slugs[max(0, i - WINDOW): i + WINDOW + 1]
            for other in slugs:
                if other != slug:
                    scores[other] += weight
        me = rank[slug]
        out[slug] = heapq.nsmallest(limit, scores, key=lambda o: (-scores[o], abs(rank[o] - me), o))
    return out
