"""Ingest in worker processes writes what ingest in one process writes, byte for byte.

Seeds are prepared (extraction, date, summary…) in forked workers and analysed
in order in the parent; the second pass re-analyses only the articles the
registry would now answer differently, in workers while that changes nothing.
These tests hold all of that to the plain rule it replaces: every seed analysed
twice, in order, in one process.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from generator import parallel
from generator.ingest import clean, meta, pipeline
from generator.ingest.analyze import analyze
from generator.ingest.decode import decode_seed
from generator.ingest.outlets import Outlets
from generator.ingest.registry import Recorder, Registry
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


def test_second_pass_in_workers_too(seeds, tmp_path, monkeypatch):
    """With a low threshold the few articles of the second pass are re-analysed in workers."""
    _, serial = run(seeds, tmp_path / "serial", workers=1)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 4)
    _, forked = run(seeds, tmp_path / "forked", workers=2)
    assert forked == serial


def test_rerun_changes_nothing(seeds, tmp_path):
    _, first = run(seeds, tmp_path, workers=2)
    report, again = run(seeds, tmp_path, workers=2)
    assert again == first and report.count("unchanged") == len(report.outcomes)


# ------------------------------------------------------------------ the rule it replaces

def two_full_passes(decoded, registry, taxonomy, outlets, analyse=analyze) -> list:
    """What ingest did before: every seed prepared and analysed, in order, twice."""
    for _ in range(2):
        known = registry.fingerprint()
        out = []
        for path, d in decoded:
            prep = pipeline._prepare_or_fail(path, d, outlets)
            if isinstance(prep, str):
                out.append(prep)
                continue
            result = analyse(prep.title, prep.paragraphs, registry, taxonomy, source=prep.source)
            out.append(pipeline.draft(prep, result))
        if registry.fingerprint() == known:
            break
    return out


def contexts(seeds: Path):
    decoded = [(p, decode_seed(p)) for p in pipeline.list_seeds(seeds)]
    taxonomy = Taxonomy.load(pipeline.DEFAULTS / "topics.yaml")
    outlets = Outlets.load(pipeline.DEFAULTS / "sources.yaml", ROOT / "content" / "sources.yaml")
    return decoded, taxonomy, outlets


@pytest.mark.parametrize("workers", [1, 2])
def test_selective_second_pass_equals_two_full_passes(seeds, workers, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 4)
    decoded, taxonomy, outlets = contexts(seeds)
    expected_registry, registry = Registry(), Registry()
    expected = two_full_passes(decoded, expected_registry, taxonomy, outlets)
    got = [item for _, item in pipeline.drafts(decoded, registry, taxonomy, outlets, workers)]
    assert got == expected
    assert registry.fingerprint() == expected_registry.fingerprint()


@pytest.mark.parametrize("workers", [1, 2])
def test_second_pass_that_learns_goes_on_in_order(seeds, workers, monkeypatch):
    """An analysis that registers someone in the second pass changes what the
    articles after it see: from there on they must run one after the other."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 4)
    decoded, taxonomy, outlets = contexts(seeds)
    last, early = decoded[-1][0].name, decoded[3][0].name

    def learning_late(title, paragraphs, registry, taxonomy, **kw):
        result = analyze(title, paragraphs, registry, taxonomy, **kw)
        me = marks.get(paragraphs[0])
        if me == last and registry.lookup("Omega Finale") is None:
            registry.add("Omega Finale")
        if me == early and registry.lookup("Omega Finale") and registry.lookup("Echo Late") is None:
            registry.add("Echo Late")       # only once the last article was seen: the second pass
        if registry.lookup("Echo Late"):
            result.mentions.append("echo-late")
        return result

    marks = {clean.extract(d.text).paragraphs[0]: p.name for p, d in decoded}
    assert len(marks) == len(decoded)
    expected_registry, registry = Registry(), Registry()
    expected = two_full_passes(decoded, expected_registry, taxonomy, outlets, learning_late)
    monkeypatch.setattr(pipeline, "analyze", learning_late)       # inherited by the forked workers
    got = [item for _, item in pipeline.drafts(decoded, registry, taxonomy, outlets, workers)]
    assert got == expected
    assert registry.fingerprint() == expected_registry.fingerprint()
    echoed = ["echo-late" in d.meta["mentions"] for d in got]
    assert echoed == [False] * 3 + [True] * (len(got) - 3)


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


def test_failure_after_the_analysis_still_learns_its_speakers(seeds, tmp_path, monkeypatch):
    """Summary, word count… once came after the analysis: a seed failing there still taught
    the registry its speakers, so the other articles come out the same."""
    _, clean_run = run(seeds, tmp_path / "clean", workers=2)
    doomed = generated(seeds)[7]
    poison = first_paragraph(doomed)
    real = meta.summarize

    def summarize(paragraphs, title):
        if paragraphs[0] == poison:
            raise ValueError("no summary")
        return real(paragraphs, title)

    monkeypatch.setattr(meta, "summarize", summarize)
    report, broken = run(seeds, tmp_path / "broken", workers=2)
    message = f"{doomed}: could not be ingested (ValueError: no summary) (please report this with the seed file)"
    assert [(o.seed, o.message) for o in report.failed] == [(doomed.name, message)]
    assert broken["speakers.yaml"] == clean_run["speakers.yaml"]
    gone = {k for k in clean_run if k not in broken}
    assert len(gone) == 1 and all(broken[k] == clean_run[k] for k in broken if k.startswith("articles/"))


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


def answers_after(change) -> bool:
    """Ask the registry what an article asks, change it, and see whether the answers hold."""
    registry = Registry()
    slug = registry.add("Anna Berg", role="minister")
    asked = Recorder(registry)
    asked.lookup("Berg"), asked.lookup_surname("Berg"), asked.get(slug), asked.lookup("Jon Dale", "person")
    asked.learn_alias(slug, "Anna Berg")        # learning what is known already changes nothing
    change(registry, slug)
    return asked.same_answers(registry)


def test_recorder_tells_when_the_registry_would_answer_differently():
    assert answers_after(lambda reg, slug: None)
    assert answers_after(lambda reg, slug: reg.add("Olga Nil"))                 # nobody it asked about
    assert not answers_after(lambda reg, slug: reg.add("Jon Dale"))             # a name it asked about
    assert not answers_after(lambda reg, slug: reg.add("Erik Berg"))            # "Berg" now ambiguous
    assert not answers_after(lambda reg, slug: reg.learn_alias(slug, "the minister"))   # the entry it read


def test_recorder_never_vouches_for_an_article_that_registered_someone():
    registry = Registry()
    asked = Recorder(registry)
    asked.add("Anna Berg")
    assert not asked.same_answers(registry)
