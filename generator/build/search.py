"""The static search index, built by Pagefind over the article pages.

Pagefind writes into a fresh folder which then replaces ``pagefind/`` in one
rename, so a failed indexing run leaves the previous index in place.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

FOLDER = "pagefind"
GLOB = "articles/*/index.html"


def build_index(out: Path, language: str) -> list[str]:
    """Index ``out`` and return the index files, relative to ``out``. Raises RuntimeError."""
    tmp = out / f".{FOLDER}.new"
    old = out / f".{FOLDER}.old"
    for p in (tmp, old):
        shutil.rmtree(p, ignore_errors=True)
    cmd = [sys.executable, "-m", "pagefind", "--site", str(out), "--glob", GLOB,
           "--output-path", str(tmp), "--force-language", language.split("-")[0] or "en", "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0 or not (tmp / "pagefind.js").exists():
        shutil.rmtree(tmp, ignore_errors=True)
        raise RuntimeError((proc.stderr or proc.stdout or "pagefind failed").strip()[-500:])
    # Pagefind's UI bundles are unused (search.js talks to its API); drop them.
    for name in os.listdir(tmp):
        if name.startswith("pagefind-") and name.endswith((".js", ".css")) and name not in (
                "pagefind-worker.js", "pagefind-highlight.js", "pagefind-entry.json"):
            os.unlink(tmp / name)
    final = out / FOLDER
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    shutil.rmtree(old, ignore_errors=True)
    return sorted(f"{FOLDER}/{p.relative_to(final).as_posix()}" for p in final.rglob("*") if p.is_file())


def index_files(out: Path) -> list[str]:
    final = out / FOLDER
    if not final.is_dir():
        return []
    return sorted(f"{FOLDER}/{p.relative_to(final).as_posix()}" for p in final.rglob("*") if p.is_file())
