"""``digest build``: content/ -> site/ (ingest is run before this by the CLI)."""
from __future__ import annotations

from pathlib import Path

from generator.build import BuildResult, Builder, ConsoleReporter
from generator.config import Config


def run(config: Config, *, reporter=None, changed: set[Path] | None = None,
        search_index: bool = True) -> BuildResult:
    """Build the site of ``config``. Raises DigestError subclasses (ContentError with
    file:line for content and template problems, ConfigError for a refused output folder)."""
    reporter = reporter if reporter is not None else ConsoleReporter()
    result = Builder(config, reporter=reporter).build(changed, search_index=search_index)
    reporter.done(result)
    return result
