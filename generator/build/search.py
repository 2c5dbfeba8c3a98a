"""The static search index, built by Pagefind over the article pages.

Pagefind writes into a fresh folder which then replaces ``pagefind/`` in one
rename, so a failed indexing run leaves the previous index in place.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.build import cbor

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
    normalise(tmp)
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


# --- reproducible output ----------------------------------------------------------------------
# Pagefind 1.x writes each filter's values in the order of a randomly seeded hash map, so two
# runs over the same pages differ in the filter files, in the file names derived from their
# bytes, and in the meta file listing those names. ``normalise`` sorts the values, renames the
# files after their new bytes and rewrites the references: the index then depends on the pages only.

SIGNATURE = b"pagefind_dcd"


def _read(path: Path):
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise cbor.Unsupported("not a pagefind file")
    body = raw[len(SIGNATURE):]
    value, end = cbor.decode(body)
    if end != len(body) or cbor.encode(value) != body:
        raise cbor.Unsupported("does not round-trip")
    return value


def _write(value) -> bytes:
    return gzip.compress(SIGNATURE + cbor.encode(value), compresslevel=9, mtime=0)


def _rename_refs(value, names: dict[str, str]):
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        items = [_rename_refs(v, names) for v in value]
        # The meta's filter list, [[filter name, file hash], ...]: sort it by name.
        if items and all(isinstance(i, list) and len(i) == 2 and i[1] in names.values() for i in items):
            items.sort(key=lambda i: str(i[0]))
        return items
    if isinstance(value, dict):
        return {k: _rename_refs(v, names) for k, v in value.items()}
    return value


def normalise(folder: Path) -> bool:
    """Make a Pagefind bundle byte-reproducible; False (bundle untouched) if its format is unknown."""
    try:
        entry_path = folder / "pagefind-entry.json"
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        plans = []
        for lang, info in sorted(entry.get("languages", {}).items()):
            meta_path = folder / f"pagefind.{info['hash']}.pf_meta"
            meta = _read(meta_path)
            names, files = {}, {}
            for f in sorted((folder / "filter").glob("*.pf_filter")):
                old = f.name[:-len(".pf_filter")]
                if not old.startswith(info["hash"].split("_")[0] + "_"):
                    continue
                name, values = _read(f)
                values.sort(key=lambda v: str(v[0]))
                data = _write([name, values])
                new = f"{old.split('_')[0]}_{hashlib.sha1(data).hexdigest()[:7]}"
                names[old], files[f] = new, (folder / "filter" / f"{new}.pf_filter", data)
            meta_data = _write(_rename_refs(meta, names))
            meta_hash = f"{info['hash'].split('_')[0]}_{hashlib.sha1(meta_data).hexdigest()[:10]}"
            plans.append((lang, meta_path, meta_hash, meta_data, files))
    except (OSError, ValueError, KeyError, TypeError, IndexError, EOFError, gzip.BadGzipFile):
        return False
    for lang, meta_path, meta_hash, meta_data, files in plans:
        for old, (new, data) in files.items():
            old.unlink()
            new.write_bytes(data)
        meta_path.unlink()
        (folder / f"pagefind.{meta_hash}.pf_meta").write_bytes(meta_data)
        entry["languages"][lang]["hash"] = meta_hash
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True
