"""``digest serve`` in real headless Chromium: a real ``digest serve`` process per test on a
copy of the demo project (seeds, content, templates) under a path prefix, edits made on disk,
and pages that must follow by themselves."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from generator.livereload import EVENTS_PATH, MARKER

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PREFIX = "/preview/"
WAIT_MS = 60_000

NEW_SEED = """Skip to main content
Home | World | Business | Sport
Harbour authority approves a new ferry timetable
Published 3 March 2031 14:05
By Staff Reporter
HARBOURTON, March 3 - The harbour authority approved a new ferry timetable on Monday, adding late evening crossings between the two islands from next month.
"We expect the new crossings to cut waiting times in half," harbour director Lena Moravec said at a press conference.
The authority said the timetable would be reviewed after six months. Local businesses welcomed the change, saying visitors had long complained about the last ferry leaving before dinner.
The new timetable takes effect on April 1.
Share this article: Facebook Twitter Email
Most read
Storm closes mountain roads
(c) 2031 Example News. All rights reserved.
"""


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Debian chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _browser_missing()
    if reason:
        if os.environ.get("DIGEST_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@dataclass
class Served:
    project: Path
    url: str
    proc: subprocess.Popen
    log: list[str] = field(default_factory=list)

    def articles(self) -> list[tuple[Path, dict, str]]:
        return [(p, *split(p)) for p in sorted((self.project / "content" / "articles").glob("*.md"))]


def split(path: Path) -> tuple[dict, str]:
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def join(meta: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000) + "---\n" + body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def served(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("seeds", "content", "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, project / name)
    (project / "templates").mkdir(exist_ok=True)
    (project / "digest.yaml").write_text(f"title: Preview digest\nbase_url: https://example.org{PREFIX}\n")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(project), "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    log: list[str] = []
    started = threading.Event()

    def drain():                          # keep the pipe empty; the log explains failures
        for line in proc.stderr:
            log.append(line)
            if line.startswith("Serving "):
                started.set()
        started.set()

    threading.Thread(target=drain, daemon=True).start()
    if not started.wait(180) or proc.poll() is not None:
        proc.kill()
        pytest.fail("digest serve did not start:\n" + "".join(log))
    s = Served(project, f"http://127.0.0.1:{port}{PREFIX}", proc, log)
    yield s
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("digest serve did not stop on Ctrl-C:\n" + "".join(log))
    assert proc.returncode == 0, "".join(log)


def includes(text: str) -> str:
    return f"document.body && document.body.innerText.includes({json.dumps(text)})"


def open_page(browser, url: str):
    page = browser.new_page()
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_function("window.__digestLiveReload === true")
    return page


def test_editing_an_article_body_changes_the_open_page(browser, served):
    path, meta, body = served.articles()[0]
    page = open_page(browser, f"{served.url}articles/{meta['slug']}/")
    url = page.url
    sentence = f"An editor added this sentence at {time.time_ns()}."
    path.write_text(join(meta, body.rstrip("\n") + f"\n\n{sentence}\n"), encoding="utf-8")
    page.wait_for_function(includes(sentence), timeout=WAIT_MS)
    assert page.url == url
    # The reload script lives in the served pages only, never in the built files. The
    # search index may be swapped for a fresh one meanwhile: its old files can vanish.
    for f in (served.project / "site").rglob("*"):
        try:
            data = f.read_bytes() if f.is_file() else b""
        except FileNotFoundError:
            continue
        assert MARKER.encode() not in data and EVENTS_PATH.encode() not in data, f


def test_adding_a_speaker_updates_their_page_and_the_speakers_index(browser, served):
    name, slug, words = "Preview Tester Qx", "preview-tester-qx", "Previews should never be stale"
    with open(served.project / "content" / "speakers.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"{slug}:\n  name: {name}\n  role: Test reader\n  aliases: []\n  kind: person\n")
    index = open_page(browser, f"{served.url}speakers/")
    assert name not in index.inner_text("body")
    path, meta, body = served.articles()[0]
    meta["speakers"] = list(meta.get("speakers") or []) + [slug]
    meta["quotes"] = list(meta.get("quotes") or []) + [
        {"id": "q-0badf00d", "speaker": slug, "text": words, "partial": False}]
    path.write_text(join(meta, body.rstrip("\n") + f'\n\n"{words}," {name} said.\n'), encoding="utf-8")
    index.wait_for_function(includes(name), timeout=WAIT_MS)
    speaker = open_page(browser, f"{served.url}speakers/{slug}/")
    text = speaker.inner_text("body")
    assert name in text and words in text and meta["title"] in text


def test_broken_yaml_shows_the_overlay_and_the_fix_clears_it(browser, served):
    path, meta, body = served.articles()[0]
    page = open_page(browser, f"{served.url}articles/{meta['slug']}/")
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("\ntitle:", "\ntitle: [never closed\ntitle:", 1), encoding="utf-8")
    overlay = page.locator("#digest-error-overlay")
    overlay.wait_for(state="visible", timeout=WAIT_MS)
    assert f"content/articles/{path.name}:" in overlay.inner_text()
    fix = f"Fixed after the error at {time.time_ns()}."
    path.write_text(original.rstrip("\n") + f"\n\n{fix}\n", encoding="utf-8")
    overlay.wait_for(state="detached", timeout=WAIT_MS)
    page.wait_for_function(includes(fix), timeout=WAIT_MS)


def test_a_new_seed_appears_on_the_home_page(browser, served):
    home = open_page(browser, served.url)
    before = {p.name for p, _, _ in served.articles()}
    (served.project / "seeds" / "900_preview_test.txt").write_text(NEW_SEED, encoding="utf-8")
    end = time.monotonic() + WAIT_MS / 1000
    new = []
    while not new and time.monotonic() < end:
        new = [(p, m) for p, m, _ in served.articles() if p.name not in before]
        time.sleep(0.1)
    assert new, "ingest wrote no content file for the new seed:\n" + "".join(served.log)
    title = new[0][1]["title"]
    home.wait_for_function(includes(title), timeout=WAIT_MS)


def test_a_css_change_applies_without_a_reload(browser, served):
    page = open_page(browser, served.url)
    page.evaluate("window.__stillTheSamePage = 'yes'")
    assert page.evaluate("getComputedStyle(document.body).borderTopWidth") != "7px"
    static = served.project / "templates" / "static"
    static.mkdir(parents=True, exist_ok=True)
    css = (ROOT / "generator" / "defaults" / "templates" / "static" / "style.css").read_text(encoding="utf-8")
    (static / "style.css").write_text(css + "\nbody { border-top: 7px solid rgb(1, 2, 3); }\n", encoding="utf-8")
    page.wait_for_function("getComputedStyle(document.body).borderTopWidth === '7px'", timeout=WAIT_MS)
    assert page.evaluate("window.__stillTheSamePage") == "yes"
