"""Edit-to-reload latency of ``digest serve`` (issue 5's target: <= 100 ms at 10,000 articles).

    python benchmarks/reload_latency.py [--size 10000] [--runs 5]

Writes (or reuses) a synthetic corpus with ``corpus.py``, builds it once, then runs a
real serve session on 127.0.0.1 and times save -> ``reload`` event -> edited page fetched
for one-article edits (``generator.serve.latency.measure_edit_latency``).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", type=Path, default=HERE / "work")
    a = ap.parse_args()
    corpus = a.work / f"latency-{a.size}"
    project = corpus / "digest"
    if not (project / "digest.yaml").exists():
        subprocess.run([sys.executable, str(HERE / "corpus.py"), str(a.size), str(corpus)], check=True)
    subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "build", "--no-ingest"],
                   check=True, stdout=subprocess.DEVNULL)
    from generator.serve.latency import measure_edit_latency

    result = measure_edit_latency(project, runs=a.runs)
    print(json.dumps({"articles": a.size, **result}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
