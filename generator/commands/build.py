"""``digest build``: seeds/ -> content/ (ingest) -> site/."""
from __future__ import annotations

from pathlib import Path

from generator.build import BuildResult, Builder, ConsoleReporter
from generator.commands import ingest
from generator.config import Config

# One Builder per (config, output) in this process: a long-lived caller (serve, the
# benchmark, a notebook) that calls ``run`` again gets an incremental rebuild from the
# content and templates already in memory instead of a reload.
_BUILDERS: dict[tuple, Builder] = {}


def _key(config: Config) -> tuple:
    return (repr(config), str(config.paths["output"]))


def builder_for(config: Config, reporter) -> Builder:
    key = _key(config)
    builder = _BUILDERS.get(key)
    if builder is None:
        _BUILDERS.clear()            # keep one: a new config makes the old model useless
        builder = _BUILDERS[key] = Builder(config, reporter=reporter)
    builder.reporter = reporter
    return builder


def run(config: Config, *, reporter=None, changed: set[Path] | None = None,
        search_index: bool = True) -> BuildResult:
    """Build the site of ``config``. ``changed``: the only files that changed since the
    previous ``run`` in this process (None: check everything). Raises DigestError
    subclasses (ContentError with file:line for content and template problems,
    ConfigError for a refused output folder)."""
    reporter = reporter if reporter is not None else ConsoleReporter()
    result = builder_for(config, reporter).build(changed, search_index=search_index)
    reporter.done(result)
    return result


def ingest_and_build(config: Config, *, ingest_first: bool = True) -> bool:
    """What ``digest build`` (and so ``deploy``) does: ingest, then render. A failed seed
    is reported but does not stop the site: the others still publish. Returns whether
    every seed was ingested."""
    ok = True
    if ingest_first:
        ok = not ingest.run(config).failed
    run(config)
    return ok
