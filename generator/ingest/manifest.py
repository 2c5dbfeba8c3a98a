"""Ingest's own record of what it wrote, used to tell tool output from hand edits.

``content/.ingest-manifest.json`` maps each seed to the slug it was given and the
sha256 of the bytes ingest last wrote there. A content file whose bytes no longer
match was edited by a person and is never overwritten without ``--force``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from generator.fsutil import write_if_changed

FILE_NAME = ".ingest-manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    path: Path
    seeds: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, content_dir: Path) -> "Manifest":
        path = content_dir / FILE_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            seeds = data.get("seeds", {}) if isinstance(data, dict) else {}
        except (OSError, ValueError):
            # Missing or unreadable: every existing file counts as hand-made, which is the safe side.
            seeds = {}
        return cls(path, {k: v for k, v in seeds.items() if isinstance(v, dict)})

    def slug_for(self, seed: str) -> str | None:
        return self.seeds.get(seed, {}).get("slug")

    def wrote(self, seed: str, data: bytes) -> bool:
        """Whether ``data`` is exactly what ingest last wrote for ``seed``."""
        return self.seeds.get(seed, {}).get("written_sha256") == sha256(data)

    def record(self, seed: str, slug: str, seed_sha: str, written: bytes) -> None:
        self.seeds[seed] = {"slug": slug, "seed_sha256": seed_sha, "written_sha256": sha256(written)}

    def save(self) -> bool:
        text = json.dumps({"version": 1, "seeds": dict(sorted(self.seeds.items()))},
                          indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        return write_if_changed(self.path, text)
