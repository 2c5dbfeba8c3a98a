"""The subset of CBOR (RFC 8949) Pagefind's index files use: unsigned and negative
integers, byte and text strings, arrays and maps, with minimal-length heads as
serde writes them. Enough to decode a file, reorder it and encode it again."""
from __future__ import annotations


class Unsupported(ValueError):
    """A CBOR item outside the subset (floats, tags, indefinite lengths)."""


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise Unsupported("integer too large")


def encode(value) -> bytes:
    if isinstance(value, bool) or value is None:
        raise Unsupported(repr(value))
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(map(encode, value))
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    raise Unsupported(type(value).__name__)


def decode(data: bytes, pos: int = 0):
    """(value, next position)."""
    first = data[pos]
    major, info = first >> 5, first & 31
    pos += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:
        raise Unsupported(f"additional info {info}")
    if major == 0:
        return n, pos
    if major == 1:
        return -1 - n, pos
    if major == 2:
        return bytes(data[pos:pos + n]), pos + n
    if major == 3:
        return data[pos:pos + n].decode("utf-8"), pos + n
    if major == 4:
        items = []
        for _ in range(n):
            item, pos = decode(data, pos)
            items.append(item)
        return items, pos
    if major == 5:
        out = {}
        for _ in range(n):
            k, pos = decode(data, pos)
            v, pos = decode(data, pos)
            out[k] = v
        return out, pos
    raise Unsupported(f"major type {major}")
