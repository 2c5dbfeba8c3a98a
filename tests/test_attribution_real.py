"""Who said what on real text: the shared PolNeAR train articles and extraction pages.

These read ``../shared/eval/`` and skip when it is absent; nothing from it is kept
in the repository.  Both run the real CLI over hundreds of articles, so they are
marked slow.
"""
from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
ATTRIBUTION = SHARED / "attribution" / "seeds"
EXTRACTION = SHARED / "article-extraction"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not ATTRIBUTION.is_dir(), reason="../shared/eval is not here")]


def ingest(seeds: Path, content: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "ingest", "--seeds", str(seeds),
                           "--content", str(content)], capture_output=True, text=True, cwd=ROOT)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_second_and_third_ingest_change_no_byte(tmp_path):
    content = tmp_path / "content"
    first = ingest(ATTRIBUTION, content)
    assert "could not be ingested" not in first.stderr, first.stderr
    before = tree(content)
    for _ in range(2):
        again = ingest(ATTRIBUTION, content)
        assert again.returncode == first.returncode
        assert tree(content) == before


_STYLES = [("“", "”"), ("«", "»"), ("„", "“"), ('"', '"'), ("‘", "’")]


def _variants(name: str, text: str, rng: random.Random) -> dict[str, str]:
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    half = "\n\n".join(paras[: max(1, len(paras) // 2)])
    shuffled = paras[:1] + rng.sample(paras[1:], len(paras) - 1)
    opening, closing = rng.choice(_STYLES)
    swapped = re.sub(r"[“\"]", opening, re.sub(r"[”](?=\W|$)", closing, text))
    return {f"{name}.txt": text, f"{name}--half.txt": half, f"{name}--shuffled.txt": "\n\n".join(shuffled),
            f"{name}--marks.txt": swapped}


def test_no_text_makes_ingest_fail(tmp_path):
    """Every real text, cut in half, shuffled and with other quotation marks."""
    rng = random.Random(7)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    sources = sorted(ATTRIBUTION.glob("*.txt")) + sorted(EXTRACTION.rglob("*.txt")) + \
        sorted((ROOT / "seeds").glob("*.txt"))
    for n, path in enumerate(sources):
        text = path.read_text(encoding="utf-8", errors="replace")
        for file, variant in _variants(f"{n:04d}", text, rng).items():
            (seeds / file).write_text(variant, encoding="utf-8")
    done = ingest(seeds, tmp_path / "content")
    assert "could not be ingested" not in done.stderr, \
        [line for line in done.stderr.splitlines() if "could not be ingested" in line][:5]
    assert "Traceback" not in done.stderr
