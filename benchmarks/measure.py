"""Run one command and measure it: wall time, CPU time, peak memory.

CPU time and the largest single-process RSS come from ``os.wait4`` (exact, and
they include the child's own reaped children). Multi-process builds also need
the *sum* over the process tree, so a sampler thread can read the proportional
set size (PSS: shared copy-on-write pages counted once) of every descendant every
``interval`` seconds; short spikes between samples can be missed.

Sampling is not free: reading ``smaps_rollup`` walks each process's page tables,
and ten times a second it made a 10,000-article build a third slower. So a timed
run samples nothing (``interval=None``) and the tree's memory comes from one more
run made for that alone (``summarize(timed, memory=…)``).
"""
from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from statistics import median

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Sample:
    wall: float          # seconds
    cpu: float           # user + system seconds, child and its reaped descendants
    maxrss_mib: float    # largest single process (ru_maxrss)
    tree_mib: float      # peak sampled sum of PSS over the process tree
    returncode: int
    load1: float = 0.0   # 1-minute load average just before the run: other work on the box

    @property
    def peak_mib(self) -> float:
        return max(self.maxrss_mib, self.tree_mib)


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _memory_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE // 1024
    except OSError:
        return 0


def tree_kib(root: int) -> int:
    """Sum of PSS over ``root`` and all its descendants, right now."""
    kids = _children_map()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _memory_kib(pid)
        stack.extend(kids.get(pid, ()))
    return total


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None,
        log: Path | None = None, interval: float | None = None) -> Sample:
    """Run ``cmd`` to completion; output goes to ``log`` (or is discarded). With an
    ``interval`` the process tree's PSS is sampled (slowing the run down)."""
    out = open(log, "ab") if log else subprocess.DEVNULL
    load1 = os.getloadavg()[0]
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.wait(interval):
                peak[0] = max(peak[0], tree_kib(proc.pid))

        thread = threading.Thread(target=sample, daemon=True) if interval else None
        if thread:
            thread.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if thread:
            done.set()
            thread.join()
        proc.returncode = os.waitstatus_to_exitcode(status)   # keep Popen from waiting again
    finally:
        if log:
            out.close()
    return Sample(wall=wall, cpu=usage.ru_utime + usage.ru_stime,
                  maxrss_mib=usage.ru_maxrss / 1024, tree_mib=peak[0] / 1024,
                  returncode=proc.returncode, load1=load1)


def summarize(samples: list[Sample], memory: Sample | None = None) -> dict:
    """Medians of time, maxima of memory, and every run for the record. ``memory``: a
    run that sampled the process tree (its time is not counted)."""
    every = samples + ([memory] if memory else [])
    out = {
        "wall": median(s.wall for s in samples),
        "wall_min": min(s.wall for s in samples),   # least disturbed by other load
        "cpu": median(s.cpu for s in samples),
        "peak_mib": max(s.peak_mib for s in every),
        "maxrss_mib": max(s.maxrss_mib for s in every),
        "tree_mib": max(s.tree_mib for s in every),
        "runs": [asdict(s) for s in samples],
    }
    if memory:
        out["memory_run"] = asdict(memory)
    return out
