"""The benchmark corpus generator: deterministic, and every file it writes is valid.

Nothing here times anything; the timings live in benchmarks/run.py.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.append(str(BENCH))

import corpus  # noqa: E402
import report  # noqa: E402
from edits import edit_body  # noqa: E402

from generator.frontmatter import parse  # noqa: E402

CONTRACT_KEYS = ["seed", "seed_sha256", "title", "slug", "date", "date_note", "source", "dateline",
                 "format", "interviewer", "summary", "words", "speakers", "quotes", "mentions",
                 "topics", "topic_terms"]
N = 12


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus")
    corpus.write_corpus(N, path)
    return path


def test_same_n_writes_identical_bytes(out, tmp_path):
    corpus.write_corpus(N, tmp_path)
    assert _tree(tmp_path) == _tree(out)


def test_seeds_are_deterministic(tmp_path):
    corpus.write_seeds(4, tmp_path / "a")
    corpus.write_seeds(4, tmp_path / "b")
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a == b and len(a) == 4
    assert all(len(text.split()) > 500 for text in a.values())


def test_digest_articles_follow_the_contract(out):
    content = out / "digest" / "content"
    speakers = yaml.safe_load((content / "speakers.yaml").read_text())
    topics = yaml.safe_load((content / "topics.yaml").read_text())
    files = sorted((content / "articles").glob("*.md"))
    assert len(files) == N
    for path in files:
        meta, body, _ = parse(path.read_text(encoding="utf-8"), path)
        assert list(meta) == CONTRACT_KEYS
        assert re.fullmatch(r"[a-z0-9-]+", meta["slug"]) and path.stem == meta["slug"]
        assert meta["format"] in ("report", "interview")
        assert 2 <= len(meta["speakers"]) <= 4 and 3 <= len(meta["topics"]) <= 5
        assert 3 <= len(meta["quotes"]) <= 6
        assert 450 <= meta["words"] <= 800
        plain = " ".join(body.replace("**", "").split())
        for q in meta["quotes"]:
            assert re.fullmatch(r"q-[0-9a-f]{8}(-\d+)?", q["id"])
            assert q["speaker"] in meta["speakers"]
            assert " ".join(q["text"].split()) in plain
        assert {q["speaker"] for q in meta["quotes"]} == set(meta["speakers"])
        assert all(s in speakers for s in meta["speakers"] + meta["mentions"])
        assert all(speakers[m]["name"] in plain for m in meta["mentions"])
        assert set(meta["topics"]) <= set(topics) and set(meta["topic_terms"]) == set(meta["topics"])
        for terms in meta["topic_terms"].values():
            assert all(term in plain for term in terms)


def test_digest_corpus_loads_in_the_content_model(out):
    model = pytest.importorskip("generator.model")
    site = model.load_site(out / "digest" / "content")
    assert len(site.articles) == N


def test_digest_peer_renders_the_same_content_on_hugos_layouts(out, tmp_path):
    """The digest-peer project builds the digest corpus with the Jinja twins of Hugo's layouts."""
    from generator.build.builder import build_site
    from generator.config import load_config

    peer = out / "digest-peer"
    assert sorted(p.name for p in (peer / "templates").iterdir()) == sorted(corpus.PEER_TEMPLATES)
    config = load_config(peer, {"output": tmp_path / "site", "cache": tmp_path / "cache"})
    assert config.paths["content"].resolve() == (out / "digest" / "content").resolve()
    result = build_site(config, search_index=False)
    slug = sorted((out / "digest" / "content" / "articles").glob("*.md"))[0].stem
    page = (tmp_path / "site" / "articles" / slug / "index.html").read_text()
    hugo = (out / "hugo" / "layouts" / "page.html").read_text()
    # The same page skeleton as Hugo's page.html, and none of digest's own theme.
    for part in ("<p>Speakers: ", "<p>Topics: ", "<h2>Quotes</h2><ul><li id=\"q-"):
        assert part in page and part.split("<li")[0] in hugo
    assert "site-header" not in page and result.pages > N


def test_hugo_and_pelican_get_the_same_articles(out):
    digest_slugs = {p.stem for p in (out / "digest" / "content" / "articles").glob("*.md")}
    posts = sorted((out / "hugo" / "content" / "posts").glob("*.md"))
    assert {p.stem for p in posts} == digest_slugs
    meta, _, _ = parse(posts[0].read_text(encoding="utf-8"))
    assert meta["speakers"] and meta["topics"] and meta["quotes"]
    config = (out / "hugo" / "hugo.toml").read_text()
    assert 'speaker = "speakers"' in config and 'topic = "topics"' in config
    for layout in ("baseof", "page", "home", "taxonomy", "term"):
        assert (out / "hugo" / "layouts" / f"{layout}.html").exists()
    pelican = sorted((out / "pelican" / "content").glob("*.md"))
    assert {p.stem for p in pelican} == digest_slugs
    head = pelican[0].read_text(encoding="utf-8").split("\n\n", 1)[0]
    keys = [line.split(":", 1)[0] for line in head.splitlines()]
    assert {"Title", "Date", "Authors", "Tags", "Slug"} <= set(keys)


def test_edit_changes_only_the_body_and_differs_per_run(out):
    text = next((out / "digest" / "content" / "articles").glob("*.md")).read_text()
    first, second = edit_body(text, 0), edit_body(text, 1)
    assert first != second != text
    assert parse(first)[0] == parse(text)[0]


def test_targets_report_pass_and_miss():
    row = {"digest": {"cold": {"wall": 5.0, "peak_mib": 700.0}, "cold_nosearch": {"wall": 4.0, "peak_mib": 300.0},
                      "warm": {"wall": 0.4}, "edit": {"wall": 0.25}},
           "hugo": {"wall": 8.0, "peak_mib": 650.0}, "pelican": {"wall": 80.0, "peak_mib": 200.0}}
    lines = report.targets(row)
    assert "- PASS cold ≤ 1.0× Hugo (with search): 0.62×" in lines
    assert "- PASS cold ≤ 1.0× Hugo (pages only): 0.50×" in lines
    assert any(line.startswith("- MISS peak memory ≤ Hugo (with search)") for line in lines)
    assert any(line.startswith("- PASS peak memory ≤ Hugo (pages only)") for line in lines)
    assert "- PASS ≥ 8× faster than Pelican (with search): Pelican ÷ digest = 16.0×" in lines
    assert "- PASS no-op ≤ 0.1× cold: 0.080×" in lines
    assert "- MISS 1-article edit ≤ 100 ms: 250 ms" in lines
    assert not any("Hugo's layouts" in line for line in lines)

    row["digest"]["cold_peer"] = {"wall": 8.8, "peak_mib": 600.0}
    lines = report.targets(row)
    assert "- MISS cold ≤ 1.0× Hugo (on Hugo's layouts): 1.10×" in lines
    assert any(line.startswith("- PASS peak memory ≤ Hugo (on Hugo's layouts)") for line in lines)
    assert not any("Pelican" in line and "Hugo's layouts" in line for line in lines)
    table = report.size_table(10000, row)
    assert "| digest cold, no search, on Hugo's layouts | 8.800 |" in table and "| 1.10× | |" in table


def test_interleaved_takes_the_compared_builds_in_turn_within_their_budgets(monkeypatch):
    import run
    from types import SimpleNamespace
    order = []

    def build(name, wall):
        def once():
            order.append(name)
            return SimpleNamespace(wall=wall)
        return once

    monkeypatch.setattr(run, "BUDGET", [30.0])
    a, b = run.interleaved([build("digest", 7.0), build("hugo", 6.5)], [3, 2])
    assert order == ["digest", "hugo", "digest", "hugo", "digest"] and (len(a), len(b)) == (3, 2)
    order.clear()
    a, b = run.interleaved([build("digest", 40.0), build("hugo", 6.5)], [3, 3])     # over budget: one run
    assert order == ["digest", "hugo", "hugo", "hugo"] and (len(a), len(b)) == (1, 3)
    order.clear()
    # Pelican, over the budget, runs once: between the others' first and second runs.
    a, b, c = run.interleaved([build("digest", 7.0), build("hugo", 6.5), build("pelican", 55.0)], [3, 3, 3])
    assert order == ["digest", "hugo", "pelican", "digest", "hugo", "digest", "hugo"]
    assert (len(a), len(b), len(c)) == (3, 3, 1)


def test_compared_builds_are_taken_in_turn_and_a_failure_falls_back(monkeypatch, tmp_path):
    import run
    from types import SimpleNamespace
    order = []

    def maker(name, fail=False):
        def make(root, log):
            def once():
                order.append(name)
                if fail:
                    raise RuntimeError(f"{name} failed")
                return SimpleNamespace(wall=1.0)
            return once
        return make

    monkeypatch.setattr(run, "BUDGET", [30.0])
    monkeypatch.setattr(run, "hugo_once", maker("hugo"))
    monkeypatch.setattr(run, "pelican_once", maker("pelican"))
    monkeypatch.setattr(run, "digest_cold", lambda root, flags, what, log: maker("digest")(root, log))
    taken = run.compared_in_turn(tmp_path, ["digest"], ["hugo", "pelican"], 2, 1, tmp_path / "log")
    assert order == ["digest", "hugo", "pelican", "digest"]
    assert {k: len(v) for k, v in taken.items()} == {"digest": 2, "hugo": 1, "pelican": 1}
    assert run.compared_in_turn(tmp_path, [], ["hugo"], 2, 1, tmp_path / "log") == {}    # nothing to compare
    monkeypatch.setattr(run, "pelican_once", maker("pelican", fail=True))
    assert run.compared_in_turn(tmp_path, ["digest"], ["hugo", "pelican"], 2, 1, tmp_path / "log") == {}


def test_a_run_waits_until_the_last_deleted_outputs_are_no_longer_recent(monkeypatch, tmp_path):
    import run
    slept = []
    monkeypatch.setattr(run, "TRASH", tmp_path / "trash")
    monkeypatch.setattr(run.time, "sleep", slept.append)
    run.settle()                                    # nothing ever deleted: no wait
    assert slept == []
    run.clear(tmp_path / "missing")                 # nothing to move: nothing to delete
    (tmp_path / "old-site").mkdir()
    run.clear(tmp_path / "old-site")
    assert not (tmp_path / "old-site").exists() and any((tmp_path / "trash").iterdir())
    run.empty_trash()
    assert not (tmp_path / "trash").exists()
    run.settle()                                    # just deleted: wait about six minutes
    assert len(slept) == 1 and run.SETTLE - 5 < slept[0] <= run.SETTLE
    (tmp_path / "trash-emptied").write_text(f"{run.time.time() - run.SETTLE - 1}\n")
    run.settle()
    assert len(slept) == 1


def test_digest_is_timed_with_its_bytecode_written(monkeypatch, tmp_path):
    import importlib.util
    import run
    pkg = tmp_path / "generator"
    (pkg / "sub").mkdir(parents=True)
    for f in (pkg / "__init__.py", pkg / "sub" / "mod.py"):
        f.write_text("X = 1\n")
    monkeypatch.setattr(run, "REPO", tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)     # as PYTHONDONTWRITEBYTECODE does
    run.precompile()
    assert all(Path(importlib.util.cache_from_source(str(f))).is_file()
               for f in (pkg / "__init__.py", pkg / "sub" / "mod.py"))


def test_the_report_names_the_builds_timed_in_turn():
    base = {"date": "2026-12-06", "runs": 3, "peer_runs": 3, "skipped": [],
            "machine": {"nproc": 2, "cpu": "x", "memory_gib": 1.0, "python": "3.11"}, "versions": {}}
    first = report.full_report({**base, "sizes": {"10": {"in_turn": ["digest", "hugo"]}}}).splitlines()[0]
    assert first.endswith(" The compared builds were timed in turn: digest's (cold, no search) and Hugo's.")
    first = report.full_report({**base, "sizes": {"10": {"in_turn": ["digest", "hugo", "pelican"]}}}).splitlines()[0]
    assert first.endswith(" timed in turn: digest's (cold, no search), Hugo's and Pelican's.")
    assert "in turn" not in report.full_report({**base, "sizes": {"10": {}}}).splitlines()[0]


def test_instruction_counts_sum_every_process(tmp_path):
    import instructions
    (tmp_path / "cg.1").write_text("desc: I1 cache:\ncmd: python\nevents: Ir\nfl=x\n1 5\nsummary: 1200\n")
    (tmp_path / "cg.2").write_text("events: Ir\nsummary: 34\n")
    (tmp_path / "cg.3").write_text("events: Ir\n")         # a process killed before it wrote its total
    assert instructions.summed(sorted(tmp_path.glob("cg.*"))) == (1234, 2)


@pytest.mark.skipif(__import__("shutil").which("valgrind") is None, reason="needs valgrind")
def test_instruction_counts_of_one_checkout_repeat(tmp_path, capsys):
    import instructions
    counts = []
    for _ in range(2):
        assert instructions.main(["--size", "40", "--work", str(tmp_path)]) == 0
        line = capsys.readouterr().out.strip()
        assert "G instructions in" in line and "40 articles" in line
        counts.append(float(line.split(": ")[1].split(" G")[0]))
    assert counts[0] > 0.5 and abs(counts[0] - counts[1]) / counts[0] < 0.01
