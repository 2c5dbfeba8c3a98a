"""A thin runner for git commands, with errors users can act on.

Every call runs in a clean environment: variables a hook or a wrapper may have
set (``GIT_DIR``, ``GIT_INDEX_FILE``, ``GIT_WORK_TREE``) would otherwise point
the plumbing at the user's index.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import DigestError

_LEAKY = ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX")


class GitError(DigestError):
    pass


def git_executable() -> str:
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed or not on PATH",
                       hint="install git (e.g. apt-get install git) and run digest deploy again")
    return exe


@dataclass
class Git:
    """Runs ``git`` in one repository."""

    cwd: Path
    exe: str = field(default_factory=git_executable)

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _LEAKY}
        env["LC_ALL"] = "C"  # stable messages
        env.update(extra or {})
        return env

    def run(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([self.exe, *args], cwd=self.cwd, input=input, capture_output=True,
                              env=self.env(env))
        if check and proc.returncode != 0:
            raise GitError(f"git {args[0]} failed: {proc.stderr.decode(errors='replace').strip()}",
                           hint=f"ran `git {' '.join(args)}` in {self.cwd}")
        return proc

    def out(self, *args: str, **kw) -> str:
        return self.run(*args, **kw).stdout.decode("utf-8", errors="replace").strip()

    def ok(self, *args: str) -> bool:
        return self.run(*args, check=False).returncode == 0

    def rev(self, name: str) -> str | None:
        """The commit ``name`` points at, or None when it does not exist."""
        proc = self.run("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False)
        return proc.stdout.decode().strip() or None if proc.returncode == 0 else None
