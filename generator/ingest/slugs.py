"""ASCII slugs that are unique and can never leave their folder."""
from __future__ import annotations

from slugify import slugify as _slugify

MAX_LEN = 80


def slugify(text: str, fallback: str = "article") -> str:
    """``“NATO will never attack Russia” – Rasmussen`` -> ``nato-will-never-attack-russia-rasmussen``.

    Output holds only ``[a-z0-9-]``, so no ``/``, ``..`` or leading dot is possible.
    """
    slug = _slugify(text or "", max_length=MAX_LEN, word_boundary=True, save_order=True)
    return slug or fallback


def unique(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``… whichever is not yet taken."""
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"
