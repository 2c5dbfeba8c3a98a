"""``digest deploy`` against a real bare remote, and the published branch served
under ``/REPO/`` and crawled for broken links.

The demo project is built either by the real builder (seeds -> ingest -> build)
or, while that is not available, by :func:`fake_build`, a tiny builder that
writes the same URL layout. ``DIGEST_DEPLOY_BUILD=real|fake`` forces one.
"""
from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import subprocess
import sys
import tarfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator import frontmatter
from generator.config import Config, load_config
from linkcheck import crawl, parse_html, serve_subpath
from generator.errors import DigestError

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
BASE_URL = "https://example.github.io/REPO/"


def _build_mode() -> str:
    forced = os.environ.get("DIGEST_DEPLOY_BUILD")
    if forced in ("real", "fake"):
        return forced
    return "real" if importlib.util.find_spec("generator.commands.build") and SEEDS else "fake"


BUILD_MODE = _build_mode()


# --- a stand-in builder with the real site's URL layout -------------------------

def _page(config: Config, title: str, body: str) -> str:
    base = config.base_path
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>"
            f'<link rel=stylesheet href="{base}static/style.css">'
            f'<link rel=canonical href="{config.base_url}">'
            f'<link rel=alternate type="application/atom+xml" href="{base}feed.xml"></head>'
            f'<body><nav><a href="{base}">Home</a></nav><main id=main>{body}</main></body></html>')


def fake_build(config: Config) -> None:
    """Render content/ the way the real builder lays it out (absolute paths under base_path)."""
    out, base = config.paths["output"], config.base_path
    articles = [frontmatter.parse(p.read_text(encoding="utf-8"), p)[0]
                for p in sorted((config.paths["content"] / "articles").glob("*.md"))]
    pages: dict[str, str] = {}
    speakers = sorted({s for a in articles for s in a.get("speakers") or []})
    topics = sorted({t for a in articles for t in a.get("topics") or []})
    for a in articles:
        links = "".join(f'<a href="{base}speakers/{s}/">{s}</a>' for s in a["speakers"])
        links += "".join(f'<a href="../../topics/{t}/">{t}</a>' for t in a["topics"])
        pages[f"articles/{a['slug']}/index.html"] = _page(config, a["title"], f"<h1>{a['title']}</h1>{links}")
    for kind, slugs in (("speakers", speakers), ("topics", topics)):
        for s in slugs:
            quoted = "".join(f'<a href="{base}articles/{a["slug"]}/#main">{a["title"]}</a>'
                             for a in articles if s in a["speakers"] + a["topics"])
            pages[f"{kind}/{s}/index.html"] = _page(config, s, quoted)
    pages["index.html"] = _page(config, config.title, "".join(
        f'<a href="articles/{a["slug"]}/">{a["title"]}</a>' for a in articles))
    pages["404.html"] = _page(config, "Not found", f'<p>Not found. <a href="{base}">Home</a></p>')
    pages["static/style.css"] = "body{background:url(bg.svg)}"
    pages["static/bg.svg"] = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    pages["feed.xml"] = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">' + "".join(
        f'<entry><link href="{config.base_url}articles/{a["slug"]}/"/></entry>' for a in articles)
        + "</feed>")
    for rel, text in pages.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")


def _fake_content(root: Path) -> None:
    arts = root / "content" / "articles"
    arts.mkdir(parents=True)
    for i, (speaker, topic) in enumerate([("ann-example", "budget"), ("bob-sample", "transport")]):
        meta = {"seed": f"{i}.txt", "title": f"Article {i}", "slug": f"article-{i}",
                "date": f"2011-0{i + 1}-01", "source": "Wire", "format": "report",
                "speakers": [speaker], "quotes": [], "mentions": [], "topics": [topic]}
        (arts / f"article-{i}.md").write_text(frontmatter.render(meta, f"Body {i}.\n"), encoding="utf-8")
    (root / "content" / "speakers.yaml").write_text(
        "ann-example: {name: Ann Example}\nbob-sample: {name: Bob Sample}\n", encoding="utf-8")
    (root / "content" / "topics.yaml").write_text(
        "budget: {name: Budget}\ntransport: {name: Transport}\n", encoding="utf-8")


# --- git and the demo project ----------------------------------------------------

def git(cwd: Path, *args: str, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode:
        raise AssertionError(f"git {' '.join(args)}: {proc.stderr}")
    return proc.stdout.strip()


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Tester", "-c", "user.email=t@example.org", "commit", "-qm", message)


@dataclass
class Project:
    root: Path
    remote: Path

    def config(self) -> Config:
        return load_config(self.root)

    def remote_log(self, branch: str = "gh-pages") -> list[str]:
        out = git(self.remote, "rev-list", branch, check=False)
        return out.split() if out else []

    def branch_files(self, branch: str = "gh-pages") -> set[str]:
        return set(git(self.remote, "ls-tree", "-r", "--name-only", branch).splitlines())

    def user_state(self) -> dict[str, str]:
        """Everything deploy must not touch: working tree, index, HEAD."""
        files = {str(p.relative_to(self.root)): p.read_bytes()
                 for p in sorted(self.root.rglob("*")) if p.is_file()
                 and not {".git", "site", ".digest-cache"} & set(p.relative_to(self.root).parts)}
        index = (self.root / ".git" / "index").read_bytes()  # before git may refresh it
        quiet = ("--no-optional-locks",)
        return {"index file": hashlib.sha256(index).hexdigest(),
                "status": git(self.root, *quiet, "status", "--porcelain", "--untracked-files=all"),
                "index": git(self.root, *quiet, "ls-files", "-s"),
                "cached": git(self.root, *quiet, "diff", "--cached"),
                "head": git(self.root, "symbolic-ref", "HEAD") + git(self.root, "rev-parse", "HEAD"),
                "files": repr(files)}

    def edit_article(self) -> str:
        """A hand edit of one article's title; returns its slug."""
        path = sorted((self.root / "content" / "articles").glob("*.md"))[0]
        meta, body, _ = frontmatter.parse(path.read_text(encoding="utf-8"), path)
        meta["title"] = "An edited headline"
        path.write_text(frontmatter.render(meta, body), encoding="utf-8")
        return meta["slug"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A bare remote and a clone holding a committed demo project pushed to main."""
    home = tmp_path / "home"
    home.mkdir()
    # Hermetic git: no user or system config (identity, signing, hooks) leaks in.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var, raising=False)
    remote, root = tmp_path / "remote.git", tmp_path / "work"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(tmp_path, "clone", "-q", str(remote), str(root))
    (root / "digest.yaml").write_text(f"title: Demo digest\nbase_url: {BASE_URL}\n", encoding="utf-8")
    (root / ".gitignore").write_text("site/\n.digest-cache/\n", encoding="utf-8")
    if BUILD_MODE == "real":
        (root / "seeds").mkdir()
        for seed in SEEDS:
            (root / "seeds" / seed.name).write_bytes(seed.read_bytes())
        done = subprocess.run([sys.executable, "-m", "generator", "ingest"], cwd=root,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    else:
        _fake_content(root)
    commit_all(root, "demo project")
    git(root, "push", "-q", "origin", "main")
    return Project(root, remote)


@dataclass
class Run:
    code: int
    out: str
    err: str


def deploy(project: Project, *args: str) -> Run:
    """``digest deploy ARGS`` in the project: the real CLI, or in-process with the fake builder."""
    if BUILD_MODE == "real":
        proc = subprocess.run([sys.executable, "-m", "generator", "deploy", *args], cwd=project.root,
                              capture_output=True, text=True, timeout=600)
        return Run(proc.returncode, proc.stdout, proc.stderr)
    from generator.cli import _parser
    from generator.commands import deploy as command

    opts = _parser().parse_args(["deploy", *args])
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = command.run(project.config(), remote=opts.remote, branch=opts.branch,
                               message=opts.message, force=opts.force, allow_dirty=opts.allow_dirty,
                               dry_run=opts.dry_run, build=fake_build)
    except DigestError as exc:
        print(f"error: {exc}", file=err)
        code = 1
    return Run(code, out.getvalue(), err.getvalue())


def expected_pages(project: Project) -> set[str]:
    """index, 404 and the page of every article, quoted speaker and topic."""
    pages = {"index.html", "404.html"}
    for path in (project.root / "content" / "articles").glob("*.md"):
        meta = frontmatter.parse(path.read_text(encoding="utf-8"), path)[0]
        pages.add(f"articles/{meta['slug']}/index.html")
        pages |= {f"speakers/{s}/index.html" for s in meta.get("speakers") or []}
        pages |= {f"topics/{t}/index.html" for t in meta.get("topics") or []}
    return pages


# --- the deploy ------------------------------------------------------------------

def test_deploy_publishes_the_site_without_touching_the_user_repo(project: Project):
    before = project.user_state()
    run = deploy(project)
    assert run.code == 0, run.err
    files = project.branch_files()
    assert ".nojekyll" in files and "CNAME" not in files
    assert expected_pages(project) <= files, expected_pages(project) - files
    head = git(project.root, "rev-parse", "HEAD")
    message = git(project.remote, "log", "-1", "--format=%B", "gh-pages")
    assert head in message and "Digest-Deploy: 1" in message
    assert "origin/gh-pages" in run.out and BASE_URL in run.out
    assert project.user_state() == before
    # the local branch follows the remote, HEAD stays on main
    assert git(project.root, "rev-parse", "gh-pages") == project.remote_log()[0]


def test_second_deploy_without_changes_creates_no_commit(project: Project):
    assert deploy(project).code == 0
    first = project.remote_log()
    run = deploy(project)
    assert run.code == 0, run.err
    assert "nothing to publish" in run.out
    assert project.remote_log() == first


def test_content_change_adds_exactly_one_commit_on_top_of_the_history(project: Project):
    assert deploy(project).code == 0
    first = project.remote_log()
    slug = project.edit_article()
    commit_all(project.root, "fix a headline")
    before = project.user_state()
    run = deploy(project)
    assert run.code == 0, run.err
    log = project.remote_log()
    assert len(log) == len(first) + 1 and log[1:] == first
    changed = git(project.remote, "diff", "--name-only", first[0], log[0]).splitlines()
    assert f"articles/{slug}/index.html" in changed
    assert git(project.root, "rev-parse", "HEAD") in git(project.remote, "log", "-1", "--format=%B", "gh-pages")
    assert project.user_state() == before


def test_deploy_builds_on_the_remote_branch_when_the_local_one_is_gone(project: Project):
    assert deploy(project).code == 0
    first = project.remote_log()
    git(project.root, "branch", "-q", "-D", "gh-pages")
    project.edit_article()
    commit_all(project.root, "edit")
    assert deploy(project).code == 0
    assert project.remote_log()[1:] == first


def test_dry_run_commits_and_pushes_nothing(project: Project):
    run = deploy(project, "--dry-run")
    assert run.code == 0, run.err
    assert "dry run" in run.out and "nothing committed or pushed" in run.out
    assert project.remote_log() == []
    assert git(project.root, "branch", "--list", "gh-pages") == ""


def test_cname_and_branch_and_message_options(project: Project):
    with (project.root / "digest.yaml").open("a", encoding="utf-8") as fh:
        fh.write("deploy:\n  cname: news.example.org\n")
    commit_all(project.root, "custom domain")
    run = deploy(project, "--branch", "pages", "--message", "Weekly update")
    assert run.code == 0, run.err
    assert git(project.remote, "show", "pages:CNAME") == "news.example.org"
    message = git(project.remote, "log", "-1", "--format=%B", "pages")
    assert message.startswith("Weekly update") and "Digest-Deploy: 1" in message


# --- refusals --------------------------------------------------------------------

def test_refuses_uncommitted_content_unless_allowed(project: Project):
    slug = project.edit_article()
    run = deploy(project)
    assert run.code == 1
    assert "uncommitted changes" in run.err and "content/articles/" in run.err and "--allow-dirty" in run.err
    assert project.remote_log() == []
    run = deploy(project, "--allow-dirty")
    assert run.code == 0, run.err
    assert "-dirty" in git(project.remote, "log", "-1", "--format=%B", "gh-pages")
    assert f"articles/{slug}/index.html" in project.branch_files()


def test_refuses_a_branch_not_made_by_deploy_unless_forced(project: Project):
    tree = git(project.root, "rev-parse", "HEAD^{tree}")
    foreign = git(project.root, "-c", "user.name=X", "-c", "user.email=x@example.org",
                  "commit-tree", tree, "-m", "hand-made pages")
    git(project.root, "push", "-q", "origin", f"{foreign}:refs/heads/gh-pages")
    run = deploy(project)
    assert run.code == 1
    assert "not made by digest deploy" in run.err and "--force" in run.err
    assert project.remote_log() == [foreign]
    run = deploy(project, "--force")
    assert run.code == 0, run.err
    assert project.remote_log() == [project.remote_log()[0]]  # replaced by a fresh history
    assert "index.html" in project.branch_files()


def test_refuses_without_git(project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    run = deploy(project)
    assert run.code == 1 and "git is not installed" in run.err


def test_refuses_missing_remote_and_non_repository(project: Project, tmp_path: Path):
    run = deploy(project, "--remote", "upstream")
    assert run.code == 1 and "remote 'upstream' does not exist" in run.err and "origin" in run.err
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "digest.yaml").write_text(f"base_url: {BASE_URL}\n", encoding="utf-8")
    with pytest.raises(DigestError, match="not inside a git repository"):
        from generator.commands import deploy as command
        command.run(load_config(plain), build=fake_build)


# --- the published branch under /REPO/ ------------------------------------------

def check_subpath(site: Path, base_url: str, prefix: str = "/REPO/"):
    """Serve ``site`` under ``prefix`` and crawl it; returns the crawl. Usable on any build."""
    with serve_subpath(site, prefix) as root:
        missing = root + "some/missing/page"
        result = crawl([root, missing], scope=root, site_url=base_url, expect={missing: 404})
    return root, missing, result


def test_published_branch_has_no_broken_links_under_a_subpath(project: Project, tmp_path: Path):
    assert deploy(project).code == 0
    served = tmp_path / "served"
    served.mkdir()
    archive = subprocess.run(["git", "archive", "--format=tar", "gh-pages"], cwd=project.remote,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(served, filter="data")
    root, missing, result = check_subpath(served, project.config().base_url)
    assert not result.broken, "\n".join(map(str, result.broken))
    # every published page was reached from /REPO/
    reached = {u[len(root):] for u in result.pages}
    want = {p[: -len("index.html")] for p in expected_pages(project) if p.endswith("index.html")}
    assert want <= reached, want - reached
    # the missing page is the 404 page, and its stylesheet loads from that depth
    page = result.fetched[missing]
    assert page.status == 404 and page.body == (served / "404.html").read_bytes()
    sheets = parse_html(page.text).stylesheets
    assert sheets, "404.html links no stylesheet"
    for href in sheets:
        css = result.fetched[urljoin(missing, href)]
        assert css.status == 200 and css.content_type == "text/css"
