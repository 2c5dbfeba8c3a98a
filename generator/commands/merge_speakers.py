"""``digest merge-speakers``: one registry entry per person (``ingest.merge``)."""
from __future__ import annotations

from generator.config import Config
from generator.ingest.merge import merge


def run(config: Config, *, dry_run: bool = False) -> int:
    moves = merge(config.path("content"), dry_run=dry_run)
    for old, new in sorted(moves.items()):
        print(f"{'would merge' if dry_run else 'merged'} {old} -> {new}")
    print(f"{len(moves)} duplicate entr{'y' if len(moves) == 1 else 'ies'}"
          f"{' found' if dry_run else ' merged'}")
    return 0
