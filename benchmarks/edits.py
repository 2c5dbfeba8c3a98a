"""The one-article edit used by the incremental-rebuild benchmarks."""
from __future__ import annotations


def edit_body(text: str, n: int) -> str:
    """Change the body's last paragraph (not the front matter), differently for each n,
    so every run is a real content change rather than a touch."""
    body = text.rstrip("\n")
    return f"{body} Officials confirmed the figures again in revision {n + 1}.\n"
