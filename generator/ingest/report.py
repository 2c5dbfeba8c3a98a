"""What an ingest did, seed by seed."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Outcome:
    seed: str
    status: str            # written | updated | unchanged | kept | forced | duplicate | failed
    path: Path | None = None
    message: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in
                 ("written", "updated", "unchanged", "kept", "forced", "duplicate", "failed") if self.count(s)]
        return f"ingest: {len(self.outcomes)} seeds: " + (", ".join(parts) or "nothing to do")
