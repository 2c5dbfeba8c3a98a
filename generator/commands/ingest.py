"""``digest ingest``: seeds/ -> content/articles/."""
from __future__ import annotations

import sys

from generator.config import Config
from generator.ingest.report import Report
from generator.ingest.seeds import list_seeds


def run(config: Config, *, force: bool = False, quiet: bool = False) -> Report:
    def log(line: str) -> None:
        print(line, file=sys.stderr)

    seeds = config.path("seeds")
    if list_seeds(seeds):
        from generator.ingest.pipeline import ingest    # the analysers: about 120 ms to import
        report = ingest(seeds, config.path("content"), force=force, log=log)
    else:
        # Nothing to read, so nothing to write: not even the registries are loaded. A
        # digest kept as content alone (no seeds) builds without paying for ingest.
        report = Report()
    if not quiet:
        print(report.summary())
    return report
