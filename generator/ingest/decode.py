"""Turn a seed file's bytes into text, or say clearly why it cannot be read.

Handles empty, binary, oversized and non-UTF-8 files, and saved HTML pages
(whose text and metadata come from trafilatura rather than a home-made parser).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import SeedError

MAX_SEED_BYTES = 8 * 1024 * 1024  # no news article comes near this; bigger is a mistake
_SNIFF = 8192
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S)
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)
_MAGIC = {
    b"\x89PNG": "a PNG image", b"%PDF": "a PDF document", b"PK\x03\x04": "a zip archive",
    b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}


@dataclass
class Decoded:
    text: str
    sha256: str = ""                        # of the file's bytes
    kind: str = "text"                      # "text" or "html"
    encoding: str = "utf-8"
    hints: dict = field(default_factory=dict)   # metadata found in HTML: title, date, source
    warnings: list[str] = field(default_factory=list)


def _binary_kind(head: bytes) -> str | None:
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return what
    if b"\x00" in head:
        # UTF-16 text has NULs too; accept it only with a BOM
        return None if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "binary data"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return "binary data" if head and controls / len(head) > 0.05 else None


def _decode_text(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=["cp1252", "latin_1", "iso8859_15", "cp1251",
                                                      "mac_roman", "shift_jis", "gb18030"]).best()
    encoding = best.encoding if best else "cp1252"
    # cp1252 is a superset of latin-1's printable range and what Windows tools save
    if encoding in ("latin_1", "iso8859_1", "ascii"):
        encoding = "cp1252"
    return data.decode(encoding, errors="replace"), encoding


def _from_html(html: str) -> tuple[str, dict]:
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=True) or ""
    meta = trafilatura.extract_metadata(html)
    hints = {}
    if meta is not None:
        hints = {k: v for k, v in {"title": meta.title, "date": meta.date,
                                   "source": meta.sitename}.items() if v}
    head = "\n\n".join(v for v in (hints.get("title"), hints.get("date")) if v)
    return (head + "\n\n" + body).strip(), hints


def decode_seed(path: Path) -> Decoded:
    """Read ``path`` and return its text; raise SeedError with a fix when it can't be used."""
    size = path.stat().st_size
    if size > MAX_SEED_BYTES:
        raise SeedError(f"file is too large ({size / 2**20:.1f} MiB, limit "
                        f"{MAX_SEED_BYTES // 2**20} MiB)", path,
                        hint="a seed holds one article; split the file or remove it from seeds/")
    data = path.read_bytes()
    if not data.strip():
        raise SeedError("file is empty", path, hint="paste the article text into it, or delete it")
    what = _binary_kind(data[:_SNIFF])
    if what:
        raise SeedError(f"file is {what}, not text", path,
                        hint="save the page as plain text (or .html) and remove this file")
    text, encoding = _decode_text(data)
    result = Decoded(text=text, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding)
    if encoding not in ("utf-8", "utf-8-sig"):
        result.warnings.append(f"not UTF-8; decoded as {encoding}")
    if _HTML_START.match(data[:_SNIFF]) or path.suffix.lower() in (".html", ".htm"):
        result.text, result.hints = _from_html(text)
        result.kind = "html"
        if not result.text.strip():
            raise SeedError("HTML page has no readable article text", path,
                            hint="save the article page itself, or its text")
    if not result.text.strip():
        raise SeedError("file has no text", path, hint="paste the article text into it")
    return result
