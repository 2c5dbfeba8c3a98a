"""Which files in the seeds folder are seeds. Light on purpose: ``digest build`` asks
before importing the analysers (about 120 ms), and skips them when there are none."""
from __future__ import annotations

import re
from pathlib import Path

_IGNORED = re.compile(r"(^[.#~])|(~$)|(\.(swp|swx|tmp|bak|part|crdownload)$)", re.I)


def list_seeds(seeds_dir: Path) -> list[Path]:
    """Regular files in ``seeds_dir``, skipping hidden, editor temp and swap files."""
    if not seeds_dir.is_dir():
        return []
    return sorted(p for p in seeds_dir.iterdir() if p.is_file() and not _IGNORED.search(p.name))
