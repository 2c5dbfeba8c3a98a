"""Ingest in worker processes writes what ingest in one process writes, byte for byte.

Seeds are prepared and analysed (extraction, date, summary, quotes…) in forked
workers; their people are then matched with the registry in the parent, over
all of them at once.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from generator import parallel
from generator.ingest import clean, meta, pipeline
from generator.ingest.decode import decode_seed
from generator.ingest.outlets import Outlets
from generator.ingest.registry import Registry
from generator.ingest.topics import Taxonomy

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT / "benchmarks"))

import corpus  # noqa: E402

N = 72      # generated seeds: past parallel.PARALLEL_MIN, so the default settings fork


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    """Generated page dumps plus the demo and held-out real pages: varied speakers."""
    folder = tmp_path_factory.mktemp("seeds") / "seeds"
    corpus.write_seeds(N, folder)
    for page in [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "data" / "unseen").glob("*.txt")]:
        shutil.copy(page, folder / page.name)
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(seeds: Path, out: Path, workers: int) -> tuple[pipeline.Report, dict[str, bytes]]:
    report = pipeline.ingest(seeds, out / "content", workers=workers)
    return report, tree(out / "content")


def with_seed(seeds: Path, dest: Path, name: str, text: str) -> Path:
    shutil.copytree(seeds, dest)
    (dest / name).write_text(text, encoding="utf-8")
    return dest


def generated(folder: Path) -> list[Path]:
    return sorted(folder.glob("?????_*.txt"))


def first_paragraph(seed: Path) -> str:
    return clean.extract(decode_seed(seed).text).paragraphs[0]


# ------------------------------------------------------------------ same bytes

def test_workers_write_the_same_bytes_as_one_process(seeds, tmp_path):
    assert parallel.forks(len(list(seeds.iterdir())), 2)
    serial_report, serial = run(seeds, tmp_path / "serial", workers=1)
    forked_report, forked = run(seeds, tmp_path / "forked", workers=2)
    assert serial_report.count("written") == len(list(seeds.iterdir()))
    assert forked == serial
    assert [(o.seed, o.status, o.message) for o in forked_report.outcomes] == \
        [(o.seed, o.status, o.message) for o in serial_report.outcomes]


def test_rerun_changes_nothing(seeds, tmp_path):
    _, first = run(seeds, tmp_path, workers=2)
    report, again = run(seeds, tmp_path, workers=2)
    assert again == first and report.count("unchanged") == len(report.outcomes)


# ------------------------------------------------------------------ order does not matter

def contexts(seeds: Path):
    decoded = [(p, decode_seed(p)) for p in sorted(seeds.iterdir())]
    taxonomy = Taxonomy.load(pipeline.DEFAULTS / "topics.yaml")
    outlets = Outlets.load(pipeline.DEFAULTS / "sources.yaml", seeds / "none.yaml")
    return decoded, taxonomy, outlets


def test_seed_order_does_not_change_who_said_what(seeds):
    """People are matched with the registry over all articles at once, so the
    order seeds are read in changes no attribution."""
    decoded, taxonomy, outlets = contexts(seeds)
    forward = dict(pipeline.drafts(decoded, Registry(), taxonomy, outlets, workers=1))
    backward = dict(pipeline.drafts(decoded[::-1], Registry(), taxonomy, outlets, workers=1))
    assert {p: d.meta["quotes"] for p, d in forward.items()} == {p: d.meta["quotes"] for p, d in backward.items()}
    assert {p: d.meta["speakers"] for p, d in forward.items()} == \
        {p: d.meta["speakers"] for p, d in backward.items()}


# ------------------------------------------------------------------ one bad seed

def test_bad_seeds_fail_alone_in_workers(seeds, tmp_path, monkeypatch):
    folder = with_seed(seeds, tmp_path / "seeds", "zz_chrome.txt", "Menu\nSearch\nSign in\n")
    doomed = generated(folder)[5]
    poison = first_paragraph(doomed)
    real = meta.find_source

    def find_source(header, paragraphs, *args):
        if paragraphs[0] == poison:
            raise RuntimeError("boom")
        return real(header, paragraphs, *args)

    monkeypatch.setattr(meta, "find_source", find_source)       # inherited by the forked workers
    report = pipeline.ingest(folder, tmp_path / "content", workers=2)
    failed = {o.seed: o.message for o in report.failed}
    assert failed == {
        "zz_chrome.txt": "zz_chrome.txt: no article text found "
                         "(check that the file holds the article itself, not just page chrome)",
        doomed.name: f"{doomed}: could not be ingested (RuntimeError: boom) (please report this with the seed file)",
    }
    assert report.count("written") == len(report.outcomes) - 2


# ------------------------------------------------------------------ the pieces

def test_ordered_map_keeps_order_and_forks_only_when_worth_it():
    import os
    offset = 1000       # a closure: inherited by the workers, never pickled
    items = list(range(200))
    assert list(parallel.ordered_map(lambda i: (i + offset, os.getpid()), items, 1)) == \
        [(i + offset, os.getpid()) for i in items]
    out = list(parallel.ordered_map(lambda i: (i + offset, os.getpid()), items, 2))
    assert [v for v, _ in out] == [i + offset for i in items]
    assert os.getpid() not in {pid for _, pid in out}
    assert not parallel.forks(parallel.PARALLEL_MIN - 1, 2) and not parallel.forks(1000, 1)
