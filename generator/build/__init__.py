"""Build: plan the pages from the model's indexes, render them in parallel, write what changed.

Public entry points: ``Builder`` (keeps the model in memory for incremental
rebuilds, used by ``serve``) and ``build_site`` (one full build).
"""
from generator.build.builder import Builder, build_site
from generator.build.report import BuildResult, ConsoleReporter, NullReporter

__all__ = ["BuildResult", "Builder", "ConsoleReporter", "NullReporter", "build_site"]
