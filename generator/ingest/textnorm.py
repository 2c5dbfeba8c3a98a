"""Character-level normalisation of raw page text.

Kept separate from the body extractor so that other ingest steps (quote
extraction, date detection) can apply exactly the same folding.
"""

from __future__ import annotations

import re
import unicodedata

# Odd spaces (NBSP, en/em/thin/hair spaces, ideographic space, tabs...) all
# become a plain space; zero-width characters, BOMs and soft hyphens vanish.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\v\f"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_ODD_SPACES = re.compile(f"[{_SPACES}]")
_ZERO = re.compile(f"[{_ZERO_WIDTH}]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_RUNS = re.compile(r"[ ]{2,}")


def normalize(text: str) -> str:
    """Fold odd spaces and newlines, drop zero-width characters, apply NFC.

    Curly quotes, dashes and all other punctuation are left untouched; runs of
    spaces inside a line are kept (see `fold_spaces`).
    """
    # Regex substitutions run in C; str.translate with a dict is far slower.
    text = _NEWLINES.sub("\n", text)
    if text.isascii():
        return text.replace("\t", " ").replace("\v", " ").replace("\f", " ")
    text = _ZERO.sub("", _ODD_SPACES.sub(" ", text))
    return unicodedata.normalize("NFC", text)


def fold_spaces(line: str) -> str:
    """Collapse runs of spaces and trim: the form lines are compared in."""
    return _RUNS.sub(" ", line).strip()
