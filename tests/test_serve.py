"""``digest serve`` with the real builder and real sockets: what each kind of edit sends to
the open pages, errors that never stop the server, and the command's start and stop."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.commands.serve import public_host_warning
from generator.config import load_config
from generator.livereload import EVENTS_PATH, MARKER
from generator.serve import ServeSession
from generator.serve.latency import EventStream, append_to_last_line, measure_edit_latency
from generator.serve.overlay import describe

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "content/articles/lindqvist-on-trade.md"
PAGE = "articles/lindqvist-on-trade/"


def with_prefix(project: Path) -> Path:
    cfg = project / "digest.yaml"
    lines = [line for line in cfg.read_text().splitlines() if not line.startswith("base_url:")]
    cfg.write_text("\n".join(lines + ["base_url: https://example.org/repo/"]) + "\n")
    (project / "templates").mkdir(exist_ok=True)
    return project


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture()
def live(project):
    """(session, event stream) serving a copy of the fixture digest under /repo/."""
    config = load_config(with_prefix(project))
    session = ServeSession(config, port=0, search=False, log=lambda _: None).start()
    stream = EventStream(session.server.port)
    stream.next("hello")
    yield session, stream
    stream.close()
    session.stop()


def settle(session, stream) -> list[str]:
    assert session.idle(60)
    return stream.drain()


def test_serves_under_the_prefix_and_redirects_the_root(live):
    session, _ = live
    assert session.url.endswith("/repo/")
    status, html = fetch(session.url)
    assert status == 200 and MARKER in html
    root = session.url[: -len("repo/")]
    assert fetch(root)[1] == html          # / redirects to /repo/
    status, body = fetch(session.url + "no/such/page/")
    assert status == 404 and MARKER in body and "<html" in body.lower()


def test_the_built_site_never_contains_the_reload_script(live, project):
    session, stream = live
    replace(project / ARTICLE, "She gave no details", "She still gave no details")
    stream.next("reload", timeout=60)
    settle(session, stream)
    site = project / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 20
    for p in files:
        data = p.read_bytes()
        assert MARKER.encode() not in data and EVENTS_PATH.encode() not in data, p


def test_a_body_edit_reloads_and_the_page_shows_it(live, project):
    session, stream = live
    replace(project / ARTICLE, "She gave no details on tariffs.", "She promised details on tariffs by June.")
    name, data, _ = stream.next("reload", "build-error", timeout=60)
    assert name == "reload" and f"{PAGE}index.html" in data["files"]
    assert "details on tariffs by June" in fetch(session.url + PAGE)[1]


def test_adding_a_speaker_updates_their_page_and_the_index(live, project):
    session, stream = live
    assert "Nobody Quoted" not in fetch(session.url + "speakers/")[1]
    article = project / ARTICLE
    replace(article, "speakers: [mara-lindqvist]", "speakers: [mara-lindqvist, unused-person]")
    replace(article, "She gave no details on tariffs.", '"Tariffs stay as they are," an observer said.')
    replace(article, "quotes:\n", "quotes:\n  - {id: q-0e0000ff, speaker: unused-person, "
                                  "text: \"Tariffs stay as they are\", partial: false}\n")
    name, data, _ = stream.next("reload", "build-error", timeout=60)
    assert name == "reload", data
    assert {"speakers/index.html", "speakers/unused-person/index.html", "index.html"} <= set(data["files"])
    assert "Nobody Quoted" in fetch(session.url + "speakers/")[1]
    status, page = fetch(session.url + "speakers/unused-person/")
    assert status == 200 and "Tariffs stay as they are" in page


def test_broken_yaml_shows_an_error_keeps_the_last_build_and_a_fix_clears_it(live, project):
    session, stream = live
    good = fetch(session.url + PAGE)[1]
    article = project / ARTICLE
    original = article.read_text()
    replace(article, "speakers: [mara-lindqvist]", "speakers: [mara-lindqvist\n  oops: : :")
    name, data, _ = stream.next("build-error", "reload", timeout=60)
    assert name == "build-error"
    assert data["location"].startswith("content/articles/lindqvist-on-trade.md:")
    assert "YAML" in data["message"]
    assert fetch(session.url + PAGE) == (200, good)           # the last good build, still served
    article.write_text(original.replace("She gave no details", "Fixed: she gave no details"))
    assert stream.next("build-ok", timeout=60)[0] == "build-ok"
    assert stream.next("reload", timeout=10)[0] == "reload"
    assert "Fixed: she gave no details" in fetch(session.url + PAGE)[1]


def test_an_unknown_speaker_slug_names_the_line(live, project):
    session, stream = live
    replace(project / ARTICLE, "speakers: [mara-lindqvist]", "speakers: [mara-lindqvst]")
    name, data, _ = stream.next("build-error", "reload", timeout=60)
    assert name == "build-error"
    assert data["location"] == "content/articles/lindqvist-on-trade.md:14"
    assert "mara-lindqvist" in data["hint"]


def test_a_template_syntax_error_and_its_fix(live, project):
    session, stream = live
    tpl = project / "templates" / "speakers.html"
    default = (ROOT / "generator/defaults/templates/speakers.html").read_text()
    tpl.write_text("{% if %}\n" + default)
    name, data, _ = stream.next("build-error", "reload", timeout=60)
    assert name == "build-error" and data["location"] == "templates/speakers.html:1"
    tpl.write_text(default.replace("{% block main %}", "{% block main %}<p>override works</p>", 1))
    assert stream.next("build-ok", timeout=60)[0] == "build-ok"
    stream.next("reload", timeout=10)
    assert "override works" in fetch(session.url + "speakers/")[1]


def test_a_css_change_is_a_css_event_not_a_reload(live, project):
    session, stream = live
    static = project / "templates" / "static"
    static.mkdir()
    css = (ROOT / "generator/defaults/templates/static/style.css").read_text()
    (static / "style.css").write_text(css + "\nbody { outline: 3px solid lime; }\n")
    name, data, _ = stream.next("css", "reload", "build-error", timeout=60)
    assert name == "css" and data["files"] == ["static/style.css"]
    assert "solid lime" in fetch(session.url + "static/style.css")[1]


def test_a_config_change_rebuilds_everything(live, project):
    session, stream = live
    replace(project / "digest.yaml", "title: Fixture Digest", "title: Renamed Digest")
    name, data, _ = stream.next("reload", "build-error", timeout=60)
    assert name == "reload" and len(data["files"]) > 10
    assert "Renamed Digest" in fetch(session.url + "topics/")[1]
    replace(project / "digest.yaml", "title: Renamed Digest", "titel: Typo")
    name, data, _ = stream.next("build-error", "reload", timeout=60)
    assert name == "build-error" and data["location"].startswith("digest.yaml:") and "title" in data["hint"]


def test_saves_without_changes_send_nothing(live, project):
    session, stream = live
    article = project / ARTICLE
    article.write_bytes(article.read_bytes())
    (project / "content" / "articles" / ".lindqvist-on-trade.md.swp").write_bytes(b"swap")
    time.sleep(0.5)
    assert settle(session, stream) == []
    assert session.rebuilds == 1


def test_describe_uses_file_and_line():
    from generator.errors import ContentError
    err = ContentError("bad date", Path("/p/content/articles/a.md"), 7, "use ISO 8601")
    assert describe(err, Path("/p")) == [{"location": "content/articles/a.md:7", "message": "bad date",
                                         "hint": "use ISO 8601"}]


def test_append_to_last_line():
    assert append_to_last_line("a\n\nlast line\n", "w") == "a\n\nlast line w\n"


def test_edit_to_reload_latency_is_measured(project, record_property):
    result = measure_edit_latency(project, project / ARTICLE, runs=3)
    assert len(result["page_ms"]) == 3 and all(0 < t < 30_000 for t in result["page_ms"])
    assert (project / ARTICLE).read_text() == (ROOT / "tests/fixtures/digest" / ARTICLE).read_text()
    record_property("median_page_ms", result["median_page_ms"])


# --- the command ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(project: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "generator", "-C", str(project), "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def stop_serve(proc: subprocess.Popen, sig: int = signal.SIGINT) -> str:
    """Stop like Ctrl-C; on a hang, faulthandler's SIGABRT dump shows every thread's stack."""
    proc.send_signal(sig)
    try:
        return proc.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        raise AssertionError("serve did not stop:\n" + proc.communicate()[1]) from None


def wait_serving(proc: subprocess.Popen, timeout: float = 60) -> str:
    end = time.monotonic() + timeout
    lines = []
    while time.monotonic() < end:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("Serving "):
            return line.split()[1]
    proc.kill()
    raise AssertionError("serve did not start:\n" + "".join(lines) + proc.stderr.read())


def test_port_in_use_exits_with_a_clear_message(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = start_serve(project, "--port", str(port))
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in err and "--port" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_cleanly(project, sig):
    port = free_port()
    proc = start_serve(with_prefix(project), "--port", str(port))
    url = wait_serving(proc)
    assert url == f"http://127.0.0.1:{port}/repo/"
    assert fetch(url)[0] == 200
    stream = EventStream(port)           # an open page must not keep the server alive
    stream.next("hello")
    err = stop_serve(proc, sig)
    stream.close()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


# Ctrl-C sent to another thread of the process: the kernel may hand a process-wide
# signal to any thread (the watcher's, the server's), and Python runs the handler only
# when the main thread next executes bytecode.
POKE_OTHER_THREAD = """
import signal, sys, threading, time, urllib.request
from generator.cli import main

def poke(port):
    while True:                      # the port listens from the start; pages come once it serves
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
            break
        except OSError:
            time.sleep(0.05)
    time.sleep(0.5)                  # main is now waiting for Ctrl-C
    signal.pthread_kill(threading.get_ident(), signal.SIGINT)   # lands in this thread, not main

threading.Thread(target=poke, args=(int(sys.argv[2]),), daemon=True).start()
sys.exit(main(["-C", sys.argv[1], "serve", "--port", sys.argv[2]]))
"""


def test_ctrl_c_delivered_to_another_thread_still_stops(project):
    port = free_port()
    proc = subprocess.run([sys.executable, "-c", POKE_OTHER_THREAD, str(project), str(port)],
                          capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "stopping" in proc.stderr and "Traceback" not in proc.stderr


def test_public_host_must_be_asked_for_and_warns():
    assert public_host_warning("127.0.0.1") is None and public_host_warning("localhost") is None
    assert "anyone" in public_host_warning("0.0.0.0")


def test_public_host_warning_is_printed(project):
    port = free_port()
    proc = start_serve(project, "--host", "0.0.0.0", "--port", str(port))
    try:
        first = proc.stderr.readline()
        assert first.startswith("warning: listening on 0.0.0.0")
        assert wait_serving(proc) == f"http://0.0.0.0:{port}/"
    finally:
        stop_serve(proc)
    assert proc.returncode == 0


def test_content_error_at_start_still_serves_and_recovers(project):
    article = project / ARTICLE
    original = article.read_text()
    article.write_text(original.replace("date: '2019-11-12'", "date: 'not a date'"))
    shutil.rmtree(project / "site", ignore_errors=True)
    port = free_port()
    proc = start_serve(project, "--port", str(port))
    try:
        url = wait_serving(proc)
        stream = EventStream(port)
        stream.next("hello")
        name, data, _ = stream.next("build-error", timeout=10)
        assert data["location"] == "content/articles/lindqvist-on-trade.md:6", data
        assert fetch(url)[0] == 404                      # nothing built yet, but the page listens
        article.write_text(original)
        assert stream.next("build-ok", timeout=60)[0] == "build-ok"
        assert fetch(url)[0] == 200
        stream.close()
    finally:
        stop_serve(proc)
    assert proc.returncode == 0
