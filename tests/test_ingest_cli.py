"""Ingest through the real CLI: idempotency, hand edits, bad input, the seed spec."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from generator import frontmatter

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "spec" / "seed-expectations.yaml"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def digest(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def ingest(tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    return digest("ingest", "--seeds", str(tmp / "seeds"), "--content", str(tmp / "content"),
                  *extra, cwd=tmp)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def plain(body: str) -> str:
    """Markdown body -> the text a reader sees (drop escapes and bold labels)."""
    return fold(re.sub(r"\\(.)", r"\1", body.replace("**", "")))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    for seed in SEEDS:
        (tmp_path / "seeds" / seed.name).write_bytes(seed.read_bytes())
    # the demo's editable outlet registry (one outlet is known only by its page chrome)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "sources.yaml").write_bytes((ROOT / "content" / "sources.yaml").read_bytes())
    return tmp_path


def articles(tmp: Path) -> dict[str, tuple[dict, str]]:
    out = {}
    for path in sorted((tmp / "content" / "articles").glob("*.md")):
        meta, body, _ = frontmatter.read(path)
        out[meta["seed"]] = (meta, body)
    return out


def test_seeds_become_content_files(project: Path):
    result = ingest(project)
    assert result.returncode == 0, result.stderr
    docs = articles(project)
    assert sorted(docs) == [s.name for s in SEEDS]
    for meta, body in docs.values():
        assert (project / "content" / "articles" / f"{meta['slug']}.md").exists()
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta["slug"])
        for key in ("seed", "seed_sha256", "title", "slug", "date", "date_note", "source", "dateline",
                    "format", "summary", "words", "speakers", "quotes", "mentions", "topics"):
            assert key in meta, key
        assert meta["words"] > 50
        assert "\u00a0" not in body


def test_ingest_twice_changes_no_byte(project: Path):
    assert ingest(project).returncode == 0
    first = snapshot(project / "content")
    result = ingest(project)
    assert result.returncode == 0
    assert snapshot(project / "content") == first
    assert "unchanged" in result.stdout


def test_hand_edit_is_kept_and_force_keeps_a_backup(project: Path):
    ingest(project)
    meta, _ = articles(project)[SEEDS[1].name]
    path = project / "content" / "articles" / f"{meta['slug']}.md"
    edited = path.read_text(encoding="utf-8").replace("format: report", "format: report\n# checked by hand")
    path.write_text(edited, encoding="utf-8")

    result = ingest(project)
    assert result.returncode == 0
    assert path.read_text(encoding="utf-8") == edited
    assert "edited by hand" in result.stderr and path.name in result.stderr

    result = ingest(project, "--force")
    assert result.returncode == 0
    assert "# checked by hand" not in path.read_text(encoding="utf-8")
    backup = path.with_name(path.name + ".bak")
    assert backup.read_text(encoding="utf-8") == edited
    # the re-extracted file counts as ours again: a plain re-run leaves it alone
    before = snapshot(project / "content")
    ingest(project)
    assert snapshot(project / "content") == before


def test_changed_seed_updates_its_unedited_file(project: Path):
    ingest(project)
    seed = project / "seeds" / SEEDS[4].name
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("Moscow has long opposed", "Moscow has for years opposed"), encoding="utf-8")
    result = ingest(project)
    assert result.returncode == 0
    meta, body = articles(project)[SEEDS[4].name]
    assert "Moscow has for years opposed" in body
    assert "updated" in result.stdout


def test_a_new_seed_with_the_same_title_gets_its_own_slug(project: Path):
    ingest(project)
    original = (project / "seeds" / SEEDS[4].name).read_text(encoding="utf-8")
    twin = original.replace("Moscow has long opposed", "A different article body entirely. Moscow opposed")
    (project / "seeds" / "zz_twin.txt").write_text(twin, encoding="utf-8")
    assert ingest(project).returncode == 0
    docs = articles(project)
    assert docs["zz_twin.txt"][0]["slug"] == docs[SEEDS[4].name][0]["slug"] + "-2"


ARTICLE = """Harbour strike ends after pay deal

Published 3 March 2010

Dock workers in the port city returned to work on Wednesday after a week-long strike, the union said.
“We have won a fair deal for every member,” union leader Maria Okafor said at the gates.
The port authority said ships would be handled in order of arrival, and that the backlog should clear within ten days.
"""


def test_bad_inputs_are_reported_and_the_rest_still_ingested(project: Path):
    seeds = project / "seeds"
    (seeds / "empty.txt").write_text("  \n", encoding="utf-8")
    (seeds / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (seeds / "windows.txt").write_bytes(ARTICLE.replace("“", "\u201c").encode("cp1252")
                                        + "Caf\u00e9 owners welcomed the news.\n".encode("cp1252"))
    (seeds / "latin.txt").write_bytes(
        ARTICLE.replace("Harbour strike", "Rail strike").replace("Dock", "Rail")
        .replace("“", '"').replace("”", '"').encode("cp1252") + "Señor Pérez agreed.\n".encode("latin-1"))
    (seeds / "copy.txt").write_bytes((seeds / SEEDS[2].name).read_bytes().replace(b"Podcasts", b"Share"))
    result = ingest(project)

    assert result.returncode == 1
    lines = result.stderr.splitlines()

    def line_about(name):
        hits = [l for l in lines if name in l]
        assert len(hits) == 1, (name, result.stderr)
        return hits[0]

    assert "empty" in line_about("empty.txt")
    assert "not text" in line_about("image.txt")
    assert "cp1252" in line_about("windows.txt") and "warning" in line_about("windows.txt")
    assert "same article as" in line_about("copy.txt")
    docs = articles(project)
    assert "copy.txt" not in docs and SEEDS[2].name in docs
    assert {s.name for s in SEEDS} <= set(docs)
    assert "Café owners" in docs["windows.txt"][1]
    assert "“We have won a fair deal" in docs["windows.txt"][1]
    assert "Señor Pérez" in docs["latin.txt"][1]


HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Glacier retreat doubles in a decade | The Example Times</title>
<meta property="og:title" content="Glacier retreat doubles in a decade">
<meta property="og:site_name" content="The Example Times">
<meta property="article:published_time" content="2019-11-20T08:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/science">Science</a></nav>
<article><h1>Glacier retreat doubles in a decade</h1>
<p>Alpine glaciers lost ice twice as fast in the last ten years as in the decade before, a survey published on Wednesday found.</p>
<p>"The speed of the change surprised even us," said Dr Lena Fischer, who led the survey team at the institute.</p>
<p>The researchers measured 240 glaciers with drones and satellites and compared the results with records going back to 1990.</p>
<p>Fischer said the smallest glaciers could vanish within a generation if summers keep warming at the present rate.</p>
</article>
<footer>© 2019 The Example Times. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>
"""


def test_saved_html_page_is_extracted(project: Path):
    (project / "seeds" / "page.html").write_text(HTML, encoding="utf-8")
    result = ingest(project)
    assert result.returncode == 0, result.stderr
    meta, body = articles(project)["page.html"]
    assert meta["title"] == "Glacier retreat doubles in a decade"
    assert meta["date"] and meta["date"].startswith("2019-11-20")
    assert "Alpine glaciers lost ice" in body and "smallest glaciers" in body
    assert "Privacy" not in body and "<p>" not in body


def test_huge_file_fails_fast_without_stopping_others(project: Path):
    big = project / "seeds" / "huge.txt"
    with big.open("wb") as fh:
        line = b"All work and no play makes a very long and strange article indeed.\n"
        fh.write(line * (50 * 2**20 // len(line)))
    start = time.monotonic()
    result = ingest(project)
    assert time.monotonic() - start < 60
    assert result.returncode == 1
    assert "huge.txt" in result.stderr and "too large" in result.stderr
    assert len(articles(project)) == len(SEEDS)


def test_missing_seeds_folder_is_not_a_crash(tmp_path: Path):
    result = digest("ingest", "--seeds", str(tmp_path / "nope"), "--content", str(tmp_path / "c"), cwd=tmp_path)
    assert result.returncode == 0
    assert "0 seeds" in result.stdout


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/spec/seed-expectations.yaml is not beside the repo")
def test_seed_spec_metadata_and_body(project: Path):
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["articles"]
    assert ingest(project).returncode == 0
    docs = articles(project)
    for seed, want in spec.items():
        meta, body = docs[seed]
        text = plain(body)
        assert fold(meta["title"]) == fold(want["title"]), seed
        assert meta["source"] == want["source"], seed
        assert meta["format"] == want["format"], seed
        if "dateline" in want:
            assert (meta["dateline"] or "").lower() == str(want["dateline"]).lower(), seed
        expected = want["date"]
        if expected is None:
            assert meta["date"] is None or meta["date_note"], seed
        else:
            iso = expected.isoformat() if hasattr(expected, "isoformat") else str(expected)
            assert meta["date"].startswith(iso[:16]), (seed, meta["date"], iso)
        if seed.startswith("003"):
            assert meta["date_note"], "an inferred year must say how it was inferred"
        assert text.startswith(fold(want["body_starts"])), (seed, text[:120])
        assert text.endswith(fold(want["body_ends"])), (seed, text[-120:])
        for line in want.get("boilerplate", []):
            assert fold(line) not in text, (seed, line)


def test_a_digest_without_seeds_builds_without_loading_the_analysers(tmp_path: Path):
    # A digest kept as content alone: `digest build` says there is nothing to ingest and
    # never imports the extraction and speaker analysis (a tenth of a second at every build).
    from conftest import copy_fixture
    root = copy_fixture(tmp_path / "project")
    assert not (root / "seeds").exists()
    code = ("import sys; from generator.cli import main; code = main(['-C', sys.argv[1], 'build', '--no-search']); "
            "print('analysers loaded' if 'generator.ingest.pipeline' in sys.modules else 'analysers not loaded'); "
            "sys.exit(code)")
    proc = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "ingest: 0 seeds: nothing to do" in proc.stdout and "analysers not loaded" in proc.stdout
    assert (root / "site" / "index.html").is_file()
    assert not (root / "content" / ".ingest-manifest.json").exists()     # nothing written for no seeds
    (root / "seeds").mkdir()
    (root / "seeds" / SEEDS[0].name).write_bytes(SEEDS[0].read_bytes())
    proc = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "1 written" in proc.stdout and "analysers loaded" in proc.stdout
