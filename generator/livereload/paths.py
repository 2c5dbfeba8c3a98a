"""Map a request path to a file of the built site, or to a redirect, or to nothing.

Pure functions, so every traversal trick is tested without a socket. The rule
is simple: decode once, refuse ``.``/``..`` segments, NUL and backslashes, and
finally check that the resolved file (symlinks followed) is inside the site.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Resolved:
    status: int                 # 200 (file), 301 (redirect) or 404
    file: Path | None = None
    location: str | None = None


NOT_FOUND = Resolved(404)


def normalize_prefix(base_path: str) -> str:
    """``repo`` / ``/repo`` / ``/repo/`` -> ``/repo/``; empty -> ``/``."""
    parts = [p for p in (base_path or "/").split("/") if p]
    return "/" + "".join(p + "/" for p in parts)


def relative_segments(raw_path: str, prefix: str) -> list[str] | None:
    """The decoded path segments below ``prefix``, or None when the path is not servable.

    ``raw_path`` is the request target as sent (may carry a query). Decoding happens
    exactly once, so ``%252e%252e`` stays the harmless literal name ``%2e%2e``.
    """
    path = urlsplit(raw_path).path
    if not path.startswith(prefix):
        return None
    decoded = unquote(path[len(prefix):], errors="strict") if "%" in path else path[len(prefix):]
    if "\x00" in decoded or "\\" in decoded:
        return None
    segments = decoded.split("/")
    if any(s in (".", "..") for s in segments):
        return None
    # Hidden files (the build manifest, staging leftovers) are not part of the site.
    if any(s.startswith(".") for s in segments if s):
        return None
    return segments


def resolve(site_dir: Path, prefix: str, raw_path: str) -> Resolved:
    """What to answer for ``raw_path`` when ``site_dir`` is published at ``prefix``."""
    path = urlsplit(raw_path).path
    if path in ("/", prefix.rstrip("/")) and path != prefix:
        return Resolved(301, location=prefix)
    try:
        segments = relative_segments(raw_path, prefix)
    except UnicodeDecodeError:
        return NOT_FOUND
    if segments is None:
        return NOT_FOUND
    root = site_dir.resolve()
    target = root.joinpath(*[s for s in segments if s])
    if target.is_dir():
        if not path.endswith("/"):
            return Resolved(301, location=path + "/")
        target = target / "index.html"
    target = target.resolve()
    if root not in target.parents or not target.is_file():
        return NOT_FOUND
    return Resolved(200, file=target)
