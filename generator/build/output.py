"""The output folder: refusing dangerous targets, the manifest of files we own,
and the commit that moves a finished build into place.

A build renders changed files into a staging folder next to the output; only
when every page rendered does ``commit`` move them in, so a failed build leaves
the previous site as it was. Files are deleted only if our manifest lists them.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

try:
    import xxhash
except ImportError:         # no wheel for this platform: SHA-1, the same role, 50x slower
    xxhash = None

from generator.errors import ConfigError
from generator.fsutil import write_all

MANIFEST = ".digest-manifest.json"


def check_output(out: Path, config) -> None:
    """Refuse output folders a build must never write into or prune."""
    out = out.expanduser().resolve()
    home = Path.home().resolve()
    protected = {Path("/"), home, config.root.resolve()}
    protected |= {config.paths[k].resolve() for k in ("seeds", "content", "templates", "cache") if k in config.paths}
    hint = "choose a dedicated folder such as site/ with --out or paths.output"
    if out in protected:
        raise ConfigError(f"refusing to build into {out}: it is {'your home folder' if out == home else 'a protected folder'}",
                          config.source, None, hint)
    for p in (config.root.resolve(), home):
        if out in p.parents:
            raise ConfigError(f"refusing to build into {out}: it contains {p}", config.source, None, hint)
    for k in ("content", "seeds", "templates"):
        if k in config.paths and config.paths[k].resolve() in out.parents:
            raise ConfigError(f"refusing to build into {out}: it is inside {k}/", config.source, None, hint)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output {out} is a file, not a folder", config.source, None, hint)
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise ConfigError(f"refusing to build into {out}: it is not empty and was not made by digest",
                          config.source, None, "empty it, or choose another folder with --out")


def page_digest(data: bytes) -> str:
    """The digest a build keeps of each page's bytes, to skip writing a page whose bytes did
    not change. XXH3-128 where installed: 450 MB of pages take 4 ms to hash, against
    0.2 CPU-s with SHA-1. It only has to notice a changed page, so a non-cryptographic
    hash is enough. A build state written with the other function has digests that never
    match, so its pages are all written again once, as after any change."""
    if xxhash is not None:
        return "x" + xxhash.xxh3_128_hexdigest(data)
    return hashlib.sha1(data).hexdigest()


_MANIFEST_MEMO: dict = {}      # manifest path -> (its bytes, its files): serve reads it every rebuild


def read_manifest(out: Path) -> list[str]:
    """The files the manifest in ``out`` lists (do not modify the list: while the file's
    bytes stay the same, the same list is returned without parsing them again)."""
    path = out / MANIFEST
    try:
        raw = path.read_bytes()
        hit = _MANIFEST_MEMO.get(path)
        if hit is not None and hit[0] == raw:
            return hit[1]
        data = json.loads(raw.decode("utf-8"))
        files = [f for f in data.get("files", []) if isinstance(f, str)]
    except (OSError, ValueError, AttributeError):
        return []
    _MANIFEST_MEMO.clear()
    _MANIFEST_MEMO[path] = (raw, files)
    return files


def manifest_bytes(files) -> bytes:
    return (json.dumps({"generator": "digest", "files": sorted(set(files))}, indent=0) + "\n").encode()


def staging_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.digest-staging"


def fresh_staging(out: Path) -> Path:
    stage = staging_dir(out)
    if stage.exists():
        shutil.rmtree(stage)   # our own leftover from an interrupted build
    stage.mkdir(parents=True)
    return stage


def write_new(path: str, data: bytes) -> None:
    """Write a file that the build creates, making its folder first: a fresh folder per
    page (``articles/x/index.html``) is the common case, so the folder is made before the
    file is opened rather than after a failed open (one system call and one exception
    fewer a page)."""
    folder = path.rpartition("/")[0]
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        write_all(fd, data)
    finally:
        os.close(fd)


def _safe(out: Path, rel: str) -> Path:
    target = (out / rel).resolve()
    if out.resolve() not in target.parents:
        raise ValueError(f"{rel!r} escapes {out}")
    return target


def commit(out: Path, stage: Path, written: list[str], owned: set[str], previous: list[str]) -> int:
    """Move staged files into ``out``, delete our files that are no longer produced,
    write the manifest. Returns how many stale files were deleted."""
    if not out.exists() and not previous:
        (stage / MANIFEST).write_bytes(manifest_bytes(owned))
        os.replace(stage, out)          # cold build: one rename publishes the whole site
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for rel in written:
        target = _safe(out, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / rel, target)
    deleted, before = 0, set(previous)
    for rel in sorted(before - owned):
        try:
            target = _safe(out, rel)
        except ValueError:
            continue
        if target.is_file():
            target.unlink()
            deleted += 1
            prune_empty(out, target.parent)
    if deleted or before != owned:
        tmp = out / (MANIFEST + ".tmp")
        tmp.write_bytes(manifest_bytes(owned))
        os.replace(tmp, out / MANIFEST)
    shutil.rmtree(stage, ignore_errors=True)
    return deleted


def prune_empty(out: Path, folder: Path) -> None:
    """Remove folders emptied by our deletions, up to (not including) ``out``."""
    out = out.resolve()
    folder = folder.resolve()
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
