"""Related articles: those sharing speakers, topics or echoed quotes.

Rare links weigh more than common ones (a shared speaker who appears twice says
more than a topic with thousands of articles). For a long posting list only the
articles nearest in time are candidates, which keeps the work linear in the
number of articles while favouring the follow-ups a reader wants.
"""
from __future__ import annotations

import math

from generator import parallel

WINDOW = 12          # neighbours taken on each side from a long posting list
LIMIT = 5
WEIGHTS = {"echo": 3.0, "speaker": 2.0, "topic": 1.0}
SCALE = 1 << 20      # scores are summed as integers: exact, so ties are reproducible
PARALLEL_MIN = 4096  # articles per pair of workers before forking them pays


def related(order: list[str], postings: dict[tuple[str, str], list[str]],
            memberships: dict[str, list[tuple[str, str]]], limit: int = LIMIT,
            workers: int | None = 1) -> dict[str, list[str]]:
    """``postings``: (kind, key) -> chronological slugs; ``memberships``: slug -> its (kind, key)s.
    With ``workers`` > 1 and thousands of articles, ranked in forked processes."""
    rank = {slug: i for i, slug in enumerate(order)}
    # (kind, key) -> (its weight, its slugs, each slug's place in a long list): one lookup
    # per link of an article.
    table = {key: (round(SCALE * WEIGHTS[key[0]] / math.log2(1 + len(slugs))), slugs,
                   {s: i for i, s in enumerate(slugs)} if len(slugs) > 2 * WINDOW + 1 else None)
             for key, slugs in postings.items() if len(slugs) >= 2}

    def one(slug: str) -> list[str]:
        scores: dict[str, int] = {}
        get = scores.get
        for key in memberships.get(slug, ()):
            entry = table.get(key)
            if entry is None:
                continue
            w, slugs, where = entry
            if where is not None:
                i = where[slug]
                slugs = slugs[max(0, i - WINDOW): i + WINDOW + 1]
            for other in slugs:
                scores[other] = get(other, 0) + w
        scores.pop(slug, None)
        if not scores:
            return []
        # Rank (score, nearness in time, slug) only among those scoring at least the
        # limit-th best score: a handful, not the hundreds of candidates.
        values = sorted(scores.values(), reverse=True)
        cut = values[min(limit, len(values)) - 1]
        me = rank[slug]
        best = sorted([(-sc, abs(rank[o] - me), o) for o, sc in scores.items() if sc >= cut])
        return [o for _, _, o in best[:limit]]

    return dict(zip(order, parallel.ordered_map(one, order, workers, min_items=PARALLEL_MIN, max_chunk=512)))
