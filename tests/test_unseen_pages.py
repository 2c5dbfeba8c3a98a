"""Ingest on our own held-out pages (tests/data/unseen, written apart from the code):
headline, date, body bounds and boilerplate, as a check that the rules generalise."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.ingest import clean, dates
from generator.ingest.decode import decode_seed

DATA = Path(__file__).parent / "data" / "unseen"
GOLD = yaml.safe_load((DATA / "gold.yaml").read_text(encoding="utf-8"))["articles"]


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def extracted():
    return {name: clean.extract(decode_seed(DATA / name).text) for name in GOLD}


def iso(value) -> str | None:
    if value is None:
        return None
    return value.isoformat()[:16] if hasattr(value, "isoformat") else str(value)[:16]


def test_dates_match(extracted):
    for name, want in GOLD.items():
        ex = extracted[name]
        found = dates.find_date(ex.header, ex.paragraphs)
        assert iso(found.iso) == iso(want["date"]), name


def test_bodies_start_right_and_mostly_end_right(extracted):
    ends = 0
    for name, want in GOLD.items():
        body = fold(" ".join(extracted[name].paragraphs))
        assert body.startswith(fold(want["body_starts"])), name
        ends += body.endswith(fold(want["body_ends"]))
    assert ends >= len(GOLD) - 2


def test_boilerplate_mostly_removed(extracted):
    total = kept = 0
    for name, want in GOLD.items():
        body = fold(" ".join(extracted[name].paragraphs))
        for line in want.get("boilerplate", []):
            total += 1
            kept += fold(line) in body
    assert kept <= 0.03 * total, kept


def test_headlines_mostly_found(extracted):
    right = sum(fold(extracted[n].title or "") == fold(w["title"]) for n, w in GOLD.items())
    assert right >= 11
