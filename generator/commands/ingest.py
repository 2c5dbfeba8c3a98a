"""``digest ingest``: seeds/ -> content/articles/."""
from __future__ import annotations

import sys

from generator.config import Config
from generator.ingest.pipeline import Report, ingest


def run(config: Config, *, force: bool = False, quiet: bool = False) -> Report:
    def log(line: str) -> None:
        print(line, file=sys.stderr)

    report = ingest(config.path("seeds"), config.path("content"), force=force, log=log)
    if not quiet:
        print(report.summary())
    return report
