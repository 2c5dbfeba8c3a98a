"""The live-reload server over real 127.0.0.1 sockets: prefix, injection, 404, traversal, SSE."""
from __future__ import annotations

import http.client
import socket
from pathlib import Path

import pytest

from generator.errors import DigestError
from generator.livereload import EVENTS_PATH, MARKER, LiveReloadServer, inject, normalize_prefix, resolve
from generator.serve.latency import EventStream

SECRET = b"top secret outside the site"


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    (tmp_path / "secret.txt").write_bytes(SECRET)
    site = tmp_path / "site"
    (site / "speakers" / "x").mkdir(parents=True)
    (site / "static").mkdir()
    (site / "index.html").write_text("<!doctype html><html><body><h1>Home</h1></body></html>")
    (site / "speakers" / "x" / "index.html").write_text("<html><BODY>X</BODY></html>")
    (site / "static" / "style.css").write_text("body{color:red}</body>")
    (site / "404.html").write_text("<html><body><h1>Lost here</h1></body></html>")
    (site / "feed.xml").write_text("<feed/>")
    (site / ".digest-manifest.json").write_text("{}")
    return site


@pytest.fixture()
def server(site: Path):
    with LiveReloadServer(site, "/repo/", port=0) as srv:
        yield srv


def get(port: int, target: str, method: str = "GET") -> tuple[int, dict, bytes]:
    """Send ``target`` exactly as written (no client-side normalisation)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


# --- pure parts ------------------------------------------------------------------------------

def test_inject_goes_before_the_last_body_end_tag():
    html = b"<html><body><p>a</p></BODY >\n</html>"
    out = inject(html, b"<script>x</script>")
    assert out == b"<html><body><p>a</p><script>x</script></BODY >\n</html>"
    assert inject(b"<p>fragment", b"<s>") == b"<p>fragment<s>"


@pytest.mark.parametrize("given,expected", [("", "/"), ("/", "/"), ("repo", "/repo/"), ("/a/b", "/a/b/")])
def test_normalize_prefix(given, expected):
    assert normalize_prefix(given) == expected


def test_resolve_maps_directories_files_and_redirects(site: Path):
    assert resolve(site, "/repo/", "/repo/").file == site.resolve() / "index.html"
    assert resolve(site, "/repo/", "/repo/speakers/x/?q=1").file == site.resolve() / "speakers/x/index.html"
    assert resolve(site, "/repo/", "/repo/speakers/x").location == "/repo/speakers/x/"
    assert resolve(site, "/repo/", "/").location == "/repo/"
    assert resolve(site, "/repo/", "/repo").location == "/repo/"
    assert resolve(site, "/repo/", "/index.html").status == 404          # outside the prefix
    assert resolve(site, "/repo/", "/repo/.digest-manifest.json").status == 404


TRAVERSALS = [
    "/repo/../secret.txt",
    "/repo/%2e%2e/secret.txt",
    "/repo/%2E%2E%2Fsecret.txt",
    "/repo/..%2fsecret.txt",
    "/repo/..%2Fsecret.txt",
    "/repo/%252e%252e%252fsecret.txt",
    "/repo/%25252e%25252e/secret.txt",
    "/repo/..%5csecret.txt",
    "/repo/%2e%2e%5csecret.txt",
    "/repo/static/../../secret.txt",
    "/repo/static/%2e%2e/%2e%2e/secret.txt",
    "/repo/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/repo/..%00/secret.txt",
    "/repo/%c0%ae%c0%ae/secret.txt",
    "/repo/.%2e/secret.txt",
    "/repo//..//secret.txt",
    "/repo/%2f..%2fsecret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_resolve_never_leaves_the_site(site: Path, target: str):
    found = resolve(site, "/repo/", target)
    assert found.status in (301, 404)
    if found.file is not None:
        assert site.resolve() in found.file.parents


def test_resolve_refuses_symlinks_out_of_the_site(site: Path):
    (site / "escape").symlink_to(site.parent)
    assert resolve(site, "/repo/", "/repo/escape/secret.txt").status == 404


# --- over the socket -------------------------------------------------------------------------

@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_over_http_serves_nothing_outside(server, target):
    status, _, body = get(server.port, target)
    assert status in (301, 400, 404)
    assert SECRET not in body


def test_html_is_served_with_the_script_but_the_file_is_untouched(server, site):
    before = (site / "index.html").read_bytes()
    status, headers, body = get(server.port, "/repo/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert MARKER.encode() in body and EVENTS_PATH.encode() in body
    assert body.index(MARKER.encode()) < body.index(b"</body>")
    assert int(headers["content-length"]) == len(body)
    assert headers["cache-control"] == "no-store"
    assert (site / "index.html").read_bytes() == before
    assert MARKER.encode() not in before


def test_non_html_is_served_verbatim(server, site):
    status, headers, body = get(server.port, "/repo/static/style.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert body == (site / "static" / "style.css").read_bytes()
    status, headers, body = get(server.port, "/repo/feed.xml")
    assert headers["content-type"].startswith("application/xml") and body == b"<feed/>"


def test_prefix_redirects(server):
    for target in ("/", "/repo"):
        status, headers, _ = get(server.port, target)
        assert status == 301 and headers["location"] == "/repo/"
    status, headers, _ = get(server.port, "/repo/speakers/x")
    assert status == 301 and headers["location"] == "/repo/speakers/x/"


def test_missing_page_gets_the_site_404_with_status_404(server):
    for target in ("/repo/nope/", "/elsewhere/", "/repo/speakers/nobody/"):
        status, headers, body = get(server.port, target)
        assert status == 404
        assert b"Lost here" in body and MARKER.encode() in body


def test_head_sends_headers_only(server):
    status, headers, body = get(server.port, "/repo/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


def test_keep_alive_serves_several_requests_on_one_connection(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    for _ in range(3):
        conn.request("GET", "/repo/static/style.css")
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read()
    conn.close()


def test_no_site_yet_still_answers_with_a_page_that_listens(tmp_path):
    with LiveReloadServer(tmp_path / "not-built", "/", port=0) as srv:
        status, _, body = get(srv.port, "/")
        assert status == 404 and MARKER.encode() in body


def test_port_in_use_is_a_clear_error(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(DigestError) as err:
            LiveReloadServer(site, "/", port=port)
    assert f"port {port}" in str(err.value) and "already in use" in str(err.value)
    assert "--port" in str(err.value)


def test_events_reach_every_connected_page(server):
    a, b = EventStream(server.port), EventStream(server.port)
    try:
        assert a.status == 200
        assert a.next("hello")[1]["generation"] == 0
        b.next("hello")
        server.publish("reload", {"files": ["index.html"]})
        for stream in (a, b):
            name, data, _ = stream.next("reload", timeout=5)
            assert data == {"generation": 1, "files": ["index.html"]}
        server.publish("css", {"files": ["static/style.css"]})
        assert a.next("css", timeout=5)[1]["generation"] == 2
    finally:
        a.close()
        b.close()


def test_a_page_opened_during_an_error_sees_it_at_once(server):
    server.publish("build-error", {"location": "content/articles/x.md:3", "message": "bad YAML"})
    late = EventStream(server.port)
    try:
        late.next("hello")
        assert late.next("build-error", timeout=5)[1]["location"] == "content/articles/x.md:3"
        server.publish("build-ok")
        assert late.next("build-ok", timeout=5)[0] == "build-ok"
    finally:
        late.close()
    again = EventStream(server.port)
    try:
        again.next("hello")
        server.publish("reload")
        assert again.next("build-error", "reload", timeout=5)[0] == "reload"   # no stale overlay
    finally:
        again.close()


def test_stop_closes_open_event_streams(site):
    srv = LiveReloadServer(site, "/", port=0).start()
    stream = EventStream(srv.port)
    stream.next("hello")
    srv.stop()
    assert stream.next("reload", timeout=5)[0] == "closed"
    stream.close()
