"""``digest deploy``: build, then publish ``site/`` to a gh-pages branch."""
from __future__ import annotations

import sys
from typing import Callable
from urllib.parse import urlsplit

from generator.config import Config
from generator.deploy import preflight, publish


def source_paths(config: Config) -> list:
    """What the site is made from: uncommitted changes here make a deploy dirty."""
    return [config.paths["content"], config.paths["seeds"], config.paths["templates"],
            config.source or config.root / "digest.yaml"]


def base_url_warning(config: Config) -> str | None:
    host = urlsplit(config.base_url).hostname or ""
    if host in ("localhost", "127.0.0.1", "::1") or host.endswith(".local"):
        return (f"warning: base_url is {config.base_url}; set base_url in digest.yaml to the "
                "published address (e.g. https://user.github.io/repo/) or links will break")
    return None


def run(config: Config, *, remote: str | None = None, branch: str | None = None,
        message: str | None = None, force: bool = False, allow_dirty: bool = False,
        dry_run: bool = False, build: Callable[[Config], object] | None = None,
        out: Callable[[str], None] = print) -> int:
    remote = remote or config.deploy["remote"]
    branch = branch or config.deploy["branch"]
    options = dict(remote=remote, branch=branch, force=force, allow_dirty=allow_dirty,
                   content_paths=source_paths(config))
    preflight(config.root, **options)  # refuse before spending time on a build
    if build is None:
        from generator.commands.build import ingest_and_build as build
    build(config)
    result = publish(config.paths["output"], config.root, message=message,
                     cname=config.deploy.get("cname"), dry_run=dry_run, **options)
    if warning := base_url_warning(config):
        print(warning, file=sys.stderr)
    out(result.report(config.base_url))
    return 0
