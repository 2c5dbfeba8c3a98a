"""Instructions a cold build runs, counted by valgrind in every process it forks.

Wall and CPU time on a shared two-core VM drift by 10-20 % from one minute to the
next, more than most single changes save. Instruction counts do not drift: under
cachegrind (no cache simulation), with a fixed hash seed, the same build repeats to
0.1 %. Use it to compare two checkouts of the code; use ``run.py`` for the times.
It counts user-space instructions only (no page faults, system calls or memory
stalls), and a build runs about 50x slower under it: 2,000 articles take a minute.

    python benchmarks/instructions.py                      # this checkout, 2,000 articles
    python benchmarks/instructions.py --size 500 ../old .  # two checkouts, in turn
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

BUILD = """
import sys
from pathlib import Path
from generator.config import load_config
from generator.build.builder import Builder
config = load_config(Path(sys.argv[1]), {"output": sys.argv[2]})
config.search["enabled"] = False
config.paths["cache"] = Path(sys.argv[3])
print(Builder(config).build(search_index=False).summary())
"""


def summed(files) -> tuple[int, int]:
    """(instructions, processes) from cachegrind output files: the sum of their totals."""
    total = count = 0
    for f in files:
        for line in Path(f).read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("summary:"):
                total += int(line.split()[1])
                count += 1
    return total, count


def count_build(checkout: Path, project: Path, scratch: Path) -> tuple[int, int]:
    """Instructions and processes of one cold build of ``project`` with the code in ``checkout``."""
    runs = Path(tempfile.mkdtemp(prefix="cg-", dir=scratch))
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=str(checkout), PYTHONDONTWRITEBYTECODE="1")
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--trace-children=yes",
           f"--cachegrind-out-file={runs}/cg.%p", sys.executable, "-c", BUILD,
           str(project), str(runs / "site"), str(runs / "cache")]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    try:
        if proc.returncode != 0:
            raise RuntimeError(f"the build under valgrind failed:\n{proc.stderr[-2000:]}")
        return summed(sorted(runs.glob("cg.*")))
    finally:
        shutil.rmtree(runs, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="*", type=Path, help="folders holding generator/ (default: this one)")
    parser.add_argument("--size", type=int, default=2000, help="articles in the corpus")
    parser.add_argument("--work", type=Path, default=HERE / "work", help="scratch folder")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind); nothing counted")
        return 1
    root = args.work / f"corpus-{args.size}"
    if not (root / "digest").is_dir():
        corpus.write_corpus(args.size, root)
    for checkout in args.checkouts or [HERE.parent]:
        checkout = checkout.resolve()
        if not (checkout / "generator").is_dir():
            print(f"{checkout}: no generator/ folder here")
            return 1
        # Bytecode first: compiling modules is work every build would count otherwise.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(checkout / "generator")], check=True)
        total, processes = count_build(checkout, root / "digest", args.work)
        print(f"{checkout}: {total / 1e9:.3f} G instructions in {processes} processes "
              f"({args.size} articles, cold build, no search)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
