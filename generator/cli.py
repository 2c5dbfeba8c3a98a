"""The ``digest`` command line (also ``python -m generator``)."""
from __future__ import annotations

import argparse
import atexit
import os
import sys
import threading

from generator import __version__
from generator.config import load_config
from generator.errors import DigestError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="digest", description=__doc__)
    p.add_argument("--version", action="version", version=f"digest {__version__}")
    p.add_argument("-C", "--root", default=".", help="project folder holding digest.yaml (default: .)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ing = sub.add_parser("ingest", help="turn raw seeds into editable content files")
    ing.add_argument("--seeds", help="folder of raw seed articles (default: seeds/)")
    ing.add_argument("--content", help="content folder to write (default: content/)")
    ing.add_argument("--force", action="store_true",
                     help="re-extract hand-edited files too, keeping each edit as a .bak backup")

    b = sub.add_parser("build", help="ingest, then render the site")
    b.add_argument("--base-url", help="absolute site URL, e.g. https://user.github.io/repo/")
    b.add_argument("--out", help="output folder (default: site/)")
    b.add_argument("--no-ingest", action="store_true", help="build from content/ as it is")
    b.add_argument("--no-search", action="store_true", help="no search index, page or box (search.enabled: false)")

    s = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every change")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000)")

    m = sub.add_parser("merge-speakers", help="fold duplicate people in speakers.yaml into one entry each")
    m.add_argument("--content", help="content folder (default: content/)")
    m.add_argument("--dry-run", action="store_true", help="show the merges, change nothing")

    d = sub.add_parser("deploy", help="build and publish the site to a gh-pages branch")
    d.add_argument("--remote", help="git remote (default: origin)")
    d.add_argument("--branch", help="branch to publish to (default: gh-pages)")
    d.add_argument("--message", help="commit message")
    d.add_argument("--dry-run", action="store_true", help="build and commit nothing, show what would happen")
    d.add_argument("--force", action="store_true", help="force-push (rewrites the branch history)")
    d.add_argument("--allow-dirty", action="store_true", help="deploy with uncommitted content changes")
    return p


def _ingest(args) -> int:
    from generator.commands import ingest

    config = load_config(args.root, {"seeds": args.seeds, "content": args.content})
    report = ingest.run(config, force=args.force)
    return 1 if report.failed else 0


def _build(args) -> int:
    from generator.commands import build

    config = load_config(args.root, {"output": args.out, "base_url": args.base_url})
    if args.no_search:
        config.search["enabled"] = False
    return 0 if build.ingest_and_build(config, ingest_first=not args.no_ingest) else 1


def _serve(args) -> int:
    from generator.commands import serve

    return serve.run(load_config(args.root), host=args.host, port=args.port) or 0


def _deploy(args) -> int:
    from generator.commands import deploy

    config = load_config(args.root)
    return deploy.run(config, remote=args.remote, branch=args.branch, message=args.message,
                      force=args.force, allow_dirty=args.allow_dirty, dry_run=args.dry_run) or 0


def _merge_speakers(args) -> int:
    from generator.commands import merge_speakers

    return merge_speakers.run(load_config(args.root, {"content": args.content}), dry_run=args.dry_run)


COMMANDS = {"ingest": _ingest, "build": _build, "serve": _serve, "deploy": _deploy,
            "merge-speakers": _merge_speakers}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except DigestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run() -> None:
    """The ``digest`` command: ``main()``, then exit. A build leaves a large model behind
    (a 10,000-article site is millions of objects); a normal interpreter exit frees them
    one by one, about 0.2 s of nothing, so the process ends at once, after the exit
    handlers (loggers, pools, temporary folders) have run and the output is flushed."""
    code = main()
    if threading.active_count() > 1:      # a thread still working: let the interpreter wait for it
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):    # closed, or a reader that went away
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
