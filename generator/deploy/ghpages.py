"""Commit a built site to a branch (``gh-pages``) with git plumbing, then push.

The commit is assembled from blobs, a throw-away index and ``commit-tree``, so
the user's working tree, index and checked-out branch are never touched. Our
commits carry a ``Digest-Deploy`` trailer; a branch whose tip lacks it was made
by someone else and is not overwritten without ``--force``.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator.deploy.git import Git
from generator.errors import DigestError

TRAILER = "Digest-Deploy"
SOURCE_TRAILER = "Digest-Source"
FALLBACK_IDENT = {"GIT_AUTHOR_NAME": "digest deploy", "GIT_AUTHOR_EMAIL": "digest@localhost",
                  "GIT_COMMITTER_NAME": "digest deploy", "GIT_COMMITTER_EMAIL": "digest@localhost"}


# --- pure helpers ---------------------------------------------------------

def trailers(message: str) -> dict[str, str]:
    """``Key: value`` lines of a commit message's last paragraph."""
    last = message.strip().split("\n\n")[-1]
    found = {}
    for line in last.splitlines():
        key, sep, value = line.partition(":")
        if sep and key and " " not in key.strip():
            found[key.strip()] = value.strip()
    return found


def is_deploy_commit(message: str) -> bool:
    return TRAILER in trailers(message)


def deploy_message(source: str, message: str | None = None) -> str:
    """The commit message: the user's subject (or ours) plus trailers naming the source."""
    short = source[:12] if source[:40].isalnum() else source
    subject = (message or "").strip() or f"Publish site from {short}"
    return f"{subject}\n\n{TRAILER}: 1\n{SOURCE_TRAILER}: {source}\n"


def choose_parent(local: str | None, remote: str | None, *, force: bool,
                  is_ancestor: Callable[[str, str], bool]) -> str | None:
    """The commit to build on so the push is a fast-forward of both tips."""
    if not local or not remote or local == remote:
        return remote or local
    if is_ancestor(local, remote):
        return remote
    if is_ancestor(remote, local):
        return local  # an earlier deploy was committed but not pushed
    if force:
        return local
    raise DigestError("the local and remote deploy branches have diverged",
                      hint="delete the local branch (git branch -D NAME) to start from the remote, "
                           "or pass --force to overwrite the remote")


def parse_status(raw: bytes) -> list[str]:
    """Paths from ``git status --porcelain -z`` (rename sources skipped)."""
    paths, tokens = [], raw.decode("utf-8", errors="replace").split("\0")
    skip = False
    for token in tokens:
        if skip:
            skip = False
            continue
        if len(token) > 3:
            paths.append(token[3:])
            skip = token[0] in "RC"
    return paths


# --- the deploy ------------------------------------------------------------

@dataclass
class Target:
    """Where and on top of what a deploy commits, settled before building."""

    git: Git
    root: Path
    remote: str
    branch: str
    local_tip: str | None  # refs/heads/BRANCH now (None: absent or replaced)
    remote_tip: str | None  # REMOTE's BRANCH now, as fetched
    parent: str | None
    source: str
    dirty: list[str] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"refs/heads/{self.branch}"


@dataclass
class DeployResult:
    remote: str
    branch: str
    source: str
    parent: str | None
    tree: str
    commit: str | None  # the new commit, None when the site did not change
    pushed: str | None  # the commit pushed, None when nothing was pushed
    files: list[str]
    changes: list[tuple[str, str]]  # (status A/M/D, path) against the parent
    unchanged: bool = False  # the parent already holds exactly this site
    dry_run: bool = False

    def report(self, site_url: str | None = None) -> str:
        where = f"{self.remote}/{self.branch}"
        if self.dry_run:
            head = (f"dry run: {where} already has this site" if self.unchanged else
                    f"dry run: would commit {len(self.files)} files ({len(self.changes)} changed) "
                    f"to {where}" + (f" on top of {self.parent[:12]}" if self.parent else
                                     " as a new branch"))
            lines = [head + "; nothing committed or pushed"]
        elif self.commit:
            lines = [f"published {self.commit[:12]} to {where}: {len(self.files)} files, "
                     f"{len(self.changes)} changed (source {self.source})"]
        elif self.pushed:
            lines = [f"pushed {self.pushed[:12]} to {where} (site unchanged since the last deploy)"]
        else:
            lines = [f"nothing to publish: {where} already has this site"
                     + (f" ({self.parent[:12]})" if self.parent else "")]
        shown = self.changes[:15]
        lines += [f"  {status} {path}" for status, path in shown]
        if len(self.changes) > len(shown):
            lines.append(f"  … and {len(self.changes) - len(shown)} more")
        if site_url:
            lines.append(f"site: {site_url}")
        return "\n".join(lines)


def _inside(root: Path, paths: list[Path]) -> list[str]:
    rel = []
    for p in paths:
        p = Path(p).resolve()
        if p == root or root in p.parents:
            rel.append(p.relative_to(root).as_posix() or ".")
    return rel


def dirty_paths(git: Git, root: Path, content_paths: list[Path]) -> list[str]:
    """Uncommitted changes (untracked files included) under the content paths."""
    specs = _inside(root, content_paths)
    if not specs:
        return []
    raw = git.run("--no-optional-locks", "--literal-pathspecs", "status",
                  "--porcelain", "-z", "--untracked-files=all", "--", *specs).stdout
    return parse_status(raw)


def source_name(git: Git, dirty: bool) -> str:
    head = git.rev("HEAD") or "no-commit"
    tracked = git.run("--no-optional-locks", "status", "--porcelain", "-z",
                      "--untracked-files=no").stdout
    return head + ("-dirty" if dirty or tracked else "")


def _remote_tip(git: Git, remote: str, branch: str) -> str | None:
    proc = git.run("ls-remote", "--heads", remote, f"refs/heads/{branch}", check=False)
    if proc.returncode != 0:
        raise DigestError(f"cannot reach git remote {remote!r}: "
                          f"{proc.stderr.decode(errors='replace').strip()}",
                          hint="check the network and your credentials (git fetch should work)")
    line = proc.stdout.decode().split()
    if not line:
        return None
    git.run("fetch", "--quiet", "--no-tags", remote,
            f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    return line[0]


def _foreign(git: Git, tip: str | None) -> bool:
    return bool(tip) and not is_deploy_commit(git.out("log", "-1", "--format=%B", tip))


def preflight(repo_dir: Path, *, remote: str, branch: str, force: bool = False,
              allow_dirty: bool = False, content_paths: list[Path] = ()) -> Target:
    """Every refusal, before anything is built or written."""
    git = Git(Path(repo_dir))  # raises when git is missing
    proc = git.run("rev-parse", "--show-toplevel", check=False)
    if proc.returncode != 0:
        raise DigestError(f"{repo_dir} is not inside a git repository",
                          hint="run git init, commit your content and add a remote, "
                               "or use the GitHub Actions workflow instead")
    root = Path(proc.stdout.decode().strip()).resolve()
    git = Git(root, git.exe)
    if not git.ok("check-ref-format", "--branch", branch):
        raise DigestError(f"{branch!r} is not a valid branch name", hint="pass e.g. --branch gh-pages")
    if not git.ok("remote", "get-url", remote):
        known = git.out("remote").split()
        raise DigestError(f"git remote {remote!r} does not exist",
                          hint=(f"known remotes: {', '.join(known)}; pass --remote" if known else
                                "add one with git remote add origin URL"))
    if git.out("symbolic-ref", "-q", "HEAD", check=False) == f"refs/heads/{branch}":
        raise DigestError(f"{branch!r} is the branch checked out here",
                          hint="switch to the branch your sources are on, or publish to another --branch")
    dirty = dirty_paths(git, root, list(content_paths))
    if dirty and not allow_dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise DigestError(f"uncommitted changes in {shown}",
                          hint="commit them so the published site matches a commit, "
                               "or pass --allow-dirty")
    local = git.rev(f"refs/heads/{branch}")
    remote_tip = _remote_tip(git, remote, branch)
    candidates = {"local": local, "remote": remote_tip}
    for name, tip in list(candidates.items()):
        if _foreign(git, tip):
            if not force:
                where = branch if name == "local" else f"{remote}/{branch}"
                raise DigestError(f"branch {where} exists and was not made by digest deploy "
                                  f"(its last commit has no {TRAILER} trailer)",
                                  hint="publish to another --branch, or pass --force to replace it")
            candidates[name] = None  # replaced: its history is not kept
    parent = choose_parent(candidates["local"], candidates["remote"], force=force,
                           is_ancestor=lambda a, b: git.ok("merge-base", "--is-ancestor", a, b))
    return Target(git, root, remote, branch, local, remote_tip, parent,
                  source_name(git, bool(dirty)), dirty)


def site_files(site_dir: Path) -> list[tuple[str, Path]]:
    """(path in the branch, file) for every file of the built site, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(site_dir, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        for name in sorted(filenames):
            path = Path(dirpath, name)
            rel = path.relative_to(site_dir).as_posix()
            if "\n" in rel or "\r" in rel:
                raise DigestError(f"cannot publish a file name with a line break: {rel!r}", site_dir)
            out.append((rel, path))
    return out


def write_tree(git: Git, files: list[tuple[str, Path]], *, write: bool) -> str:
    """Hash the files into a tree via a temporary index; returns the tree id.

    ``--no-filters``: the site's bytes are published as built, whatever the
    user's autocrlf or .gitattributes say. Without ``write`` no blob is stored.
    """
    hashes = git.out("hash-object", "--no-filters", *(["-w"] if write else []), "--stdin-paths",
                     input="".join(f"{p}\n" for _, p in files).encode()).split()
    entries = "".join(
        f"{'100755' if os.access(p, os.X_OK) else '100644'} {h}\t{rel}\0"
        for (rel, p), h in zip(files, hashes))
    with tempfile.TemporaryDirectory(prefix="digest-deploy-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp, "index"))}
        git.run("update-index", "-z", "--index-info", input=entries.encode(), env=env)
        return git.out("write-tree", *([] if write else ["--missing-ok"]), env=env)


def _changes(git: Git, parent: str | None, tree: str, files: list[str]) -> list[tuple[str, str]]:
    if not parent:
        return [("A", f) for f in files]
    raw = git.out("diff-tree", "-r", "--no-renames", "--name-status", "-z", f"{parent}^{{tree}}", tree)
    parts = [p for p in raw.split("\0") if p]
    return list(zip(parts[0::2], parts[1::2]))


def _identity(git: Git) -> dict[str, str]:
    """Fall back to a neutral identity where none is configured (CI runners)."""
    return {} if git.ok("var", "GIT_COMMITTER_IDENT") and git.ok("var", "GIT_AUTHOR_IDENT") \
        else FALLBACK_IDENT


def _push(target: Target, sha: str, force: bool) -> None:
    args = ["push", "--quiet"]
    if force:
        args.append(f"--force-with-lease={target.ref}:{target.remote_tip}" if target.remote_tip
                    else "--force")
    proc = target.git.run(*args, target.remote, f"{sha}:{target.ref}", check=False)
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip()
        hint = ("someone else pushed to the branch; run digest deploy again, or pass --force"
                if "rejected" in err or "stale info" in err else
                "check that you may push to the remote (git push should work)")
        raise DigestError(f"pushing to {target.remote}/{target.branch} failed: {err}", hint=hint)


def publish(site_dir: Path, repo_dir: Path, *, remote: str = "origin", branch: str = "gh-pages",
            message: str | None = None, cname: str | None = None, force: bool = False,
            allow_dirty: bool = False, dry_run: bool = False, content_paths: list[Path] = (),
            target: Target | None = None) -> DeployResult:
    """Commit ``site_dir`` (plus ``.nojekyll`` and ``CNAME``) to ``branch`` and push it."""
    site_dir = Path(site_dir).resolve()
    if not (site_dir / "index.html").is_file():
        raise DigestError(f"{site_dir} has no index.html", hint="build the site first (digest build)")
    # Checked again after the build: building must not have changed the content.
    target = preflight(repo_dir, remote=remote, branch=branch, force=force,
                       allow_dirty=allow_dirty, content_paths=content_paths) \
        if target is None else target
    if (site_dir / ".git").exists() or site_dir == target.root:
        raise DigestError(f"{site_dir} is a git working tree, not a built site",
                          hint="set paths.output in digest.yaml to a folder of its own, e.g. site")
    git = target.git
    with tempfile.TemporaryDirectory(prefix="digest-extras-") as tmp:
        extras = {".nojekyll": ""} | ({"CNAME": cname.strip() + "\n"} if cname else {})
        for name, text in extras.items():
            Path(tmp, name).write_text(text, encoding="utf-8")
        files = dict(site_files(site_dir)) | {n: Path(tmp, n) for n in extras}
        files = sorted(files.items())
        tree = write_tree(git, files, write=not dry_run)
    names = [rel for rel, _ in files]
    unchanged = bool(target.parent) and git.out("rev-parse", f"{target.parent}^{{tree}}") == tree
    changes = [] if unchanged else _changes(git, target.parent, tree, names)
    result = DeployResult(target.remote, target.branch, target.source, target.parent, tree,
                          None, None, names, changes, unchanged, dry_run)
    if dry_run:
        return result
    commit = target.parent if unchanged else None
    if commit is None:
        args = ["commit-tree", tree, *(["-p", target.parent] if target.parent else [])]
        commit = git.out(*args, input=deploy_message(target.source, message).encode(),
                         env=_identity(git))
        result.commit = commit
    if commit != target.local_tip:
        # The old value makes this a compare-and-swap: a concurrent change fails loudly.
        git.run("update-ref", "-m", "digest deploy", target.ref, commit, target.local_tip or "")
    if commit != target.remote_tip:
        _push(target, commit, force)
        result.pushed = commit
    return result
