"""The static search index: Pagefind over the article pages, in shards.

Pagefind holds every page it indexes in memory (≈ 200 KB a page), so a large site is
indexed in shards of at most ``search.shard_size`` articles (1,000 by default), each its own bundle under
``pagefind/<i>/``; the search page loads shard 0 and merges the others (Pagefind's
``mergeIndex``). An article's shard comes from a hash of its slug, so an edit re-indexes
one shard, not the site. Each shard's digest (its articles' page hashes) says whether it
is current. Shards are written into a fresh folder which then replaces ``pagefind/`` in
one rename, so a failed run leaves the previous index in place.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.build import cbor

FOLDER = "pagefind"


def shard_count(articles: int, size: int) -> int:
    """Shards for a site of this many articles, ``size`` at most in each: a power of two, so
    the count (and with it every article's shard) changes only when the site doubles."""
    k = 1
    while k * size < articles:
        k *= 2
    return k


@functools.lru_cache(maxsize=1 << 17)      # every build plans the shards, an edit's included
def shard_of(slug: str, k: int) -> int:
    return int(hashlib.sha1(slug.encode()).hexdigest()[:8], 16) % k if k > 1 else 0


@dataclass(frozen=True)
class Shard:
    slugs: tuple[str, ...]
    digest: str          # of the shard's article pages (their bytes' hashes), count and language


def shard_members(slugs, size: int) -> dict[int, list[str]]:
    """Every shard's article slugs, sorted (a shard may be empty)."""
    slugs = sorted(slugs)
    k = shard_count(len(slugs), size)
    members: dict[int, list[str]] = {i: [] for i in range(k)}
    for slug in slugs:
        members[shard_of(slug, k)].append(slug)
    return members


def _digest(slugs, page_hash, k: int, language: str) -> str:
    h = hashlib.sha1(f"{k}\0{language}\0".encode())
    for slug in slugs:
        h.update(f"{slug}\0{page_hash(slug)}\n".encode())
    return h.hexdigest()


def plan_shards(pages: dict[str, str], language: str, size: int) -> dict[int, Shard]:
    """``pages``: article slug -> hash of its page bytes. Every shard, with its digest."""
    members = shard_members(pages, size)
    k = len(members)
    return {i: Shard(tuple(slugs), _digest(slugs, pages.__getitem__, k, language)) for i, slugs in members.items()}


def replan_shards(plan: dict[int, Shard], page_hash, changed, language: str) -> dict[int, Shard]:
    """``plan`` once the pages of the ``changed`` slugs changed, for the same articles as when it
    was made (so the same members): only their shards' digests are computed again, not the
    whole site's, which an edit under ``serve`` would otherwise pay for (0.2 s at 50,000)."""
    k = len(plan)
    out = dict(plan)
    for i in {shard_of(slug, k) for slug in changed}:
        out[i] = Shard(plan[i].slugs, _digest(plan[i].slugs, page_hash, k, language))
    return out


def stale_shards(out: Path, want: dict[int, Shard], have: dict[int, str]) -> set[int]:
    """The shards whose recorded digest differs from ``want`` or whose bundle is missing."""
    return {i for i, sh in want.items()
            if have.get(i) != sh.digest or (sh.slugs and not (out / FOLDER / str(i) / "pagefind.js").is_file())}


def build_index(out: Path, language: str, shards: dict[int, Shard], stale: set[int],
                workers: int = 1) -> list[str]:
    """Index the ``stale`` shards (reuse the others), swap the result in, and return every
    index file, relative to ``out``. Raises RuntimeError."""
    tmp, old, inputs = out / f".{FOLDER}.new", out / f".{FOLDER}.old", out / f".{FOLDER}.input"
    for p in (tmp, old, inputs):
        shutil.rmtree(p, ignore_errors=True)
    final = out / FOLDER
    tmp.mkdir()
    todo = []
    for i, shard in sorted(shards.items()):
        current = final / str(i)
        if i not in stale and (current / "pagefind.js").is_file():
            shutil.copytree(current, tmp / str(i), copy_function=os.link)    # hard links: no copy
        elif shard.slugs:
            todo.append(i)
    try:
        with ThreadPoolExecutor(max(1, workers)) as pool:       # each thread waits on one Pagefind
            list(pool.map(lambda i: _index_shard(out, inputs / str(i), tmp / str(i), shards[i].slugs,
                                                 language), todo))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(inputs, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    shutil.rmtree(old, ignore_errors=True)
    return index_files(out)


def _index_shard(out: Path, site: Path, bundle: Path, slugs, language: str) -> None:
    """Run Pagefind over one shard's article pages, hard-linked into a folder of their own
    (Pagefind takes a folder and a glob, and does not follow symbolic links)."""
    for slug in slugs:
        page = out / "articles" / slug / "index.html"
        if page.is_file():
            (site / "articles" / slug).mkdir(parents=True)
            os.link(page, site / "articles" / slug / "index.html")
    cmd = [*_pagefind(), "--site", str(site), "--glob", "articles/*/index.html",
           "--output-path", str(bundle), "--force-language", language.split("-")[0] or "en", "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0 or not (bundle / "pagefind.js").exists():
        raise RuntimeError((proc.stderr or proc.stdout or "pagefind failed").strip()[-500:])
    # Pagefind's UI bundles are unused (search.js talks to its API); drop them.
    for name in os.listdir(bundle):
        if name.startswith("pagefind-") and name.endswith((".js", ".css")) and name not in (
                "pagefind-worker.js", "pagefind-highlight.js", "pagefind-entry.json"):
            os.unlink(bundle / name)
    normalise(bundle)


@functools.lru_cache(maxsize=1)
def _pagefind() -> tuple[str, ...]:
    """The Pagefind binary, found the way ``python -m pagefind`` finds it, which then only
    execs it: run directly, each shard saves a Python start (≈ 80 ms). The module itself
    if that lookup (not public API) ever moves."""
    try:
        from pagefind.service import _must_get_executable
        return (str(_must_get_executable().resolve()),)
    except Exception:
        return (sys.executable, "-m", "pagefind")


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
