"""Time a one-article edit rebuilt inside one long-lived process (as `digest serve` does).

    python benchmarks/inprocess.py DIGEST_ROOT ARTICLE RUNS

Prints one JSON line: {"available": bool, "times": [seconds, ...], "error": str?}.
The first build warms caches and imports and is not timed; then each run edits
ARTICLE and times only the rebuild call. The CLI figure in run.py adds
interpreter start-up and imports on top of this.
"""
from __future__ import annotations

import inspect
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edits import edit_body  # noqa: E402


def _builder():
    """The in-process build entry point, or None while it does not exist yet."""
    try:
        from generator.commands import build
        from generator.config import load_config
    except ImportError:
        return None, None
    return getattr(build, "run", None), load_config


def main(argv: list[str]) -> int:
    root, article, runs = Path(argv[0]), Path(argv[1]), int(argv[2])
    run, load_config = _builder()
    if run is None:
        print(json.dumps({"available": False, "error": "generator.commands.build.run not found"}))
        return 0
    config = load_config(root)
    # Tell the builder what changed when it accepts that (as the live preview does);
    # otherwise it must find the change itself.
    hint = {"changed": {article.resolve()}} if "changed" in inspect.signature(run).parameters else {}
    original = article.read_bytes()
    times = []
    try:
        first = run(config)               # warm: state and imports loaded, not timed
        if first.noop:                    # as `digest serve` does after a no-op start:
            from generator.build import NullReporter          # load the model now
            from generator.commands.build import builder_for
            builder_for(config, NullReporter()).warm()
        for i in range(runs):
            article.write_text(edit_body(original.decode("utf-8"), i), encoding="utf-8")
            start = time.perf_counter()
            run(config, **hint)
            times.append(time.perf_counter() - start)
    finally:
        article.write_bytes(original)
    run(config)                           # leave the site matching the content again
    print(json.dumps({"available": True, "times": times, "changed_hint": bool(hint)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
