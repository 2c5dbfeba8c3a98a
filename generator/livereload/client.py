"""The browser side: a tiny script added to HTML responses as they are served.

It is never written to the built files. It listens on the server's event
stream and

- ``reload``: reloads the page, keeping the scroll position;
- ``css``: re-fetches the stylesheets with a cache-busting query (no reload);
- ``build-error``: shows an overlay with ``file:line`` and the message;
- ``build-ok``: removes the overlay;
- ``hello``: sent on every (re)connection with the build generation, so a page
  that missed a rebuild while disconnected reloads once it is back.

(The events are not called ``error``/``ok``: ``error`` is EventSource's own
connection-error event and would fire on every dropped connection.)
"""
from __future__ import annotations

import re

EVENTS_PATH = "/__digest__/events"
MARKER = "data-digest-livereload"

CLIENT_JS = r"""
(function () {
  if (window.__digestLiveReload || !window.EventSource) return;
  window.__digestLiveReload = true;
  var KEY = "digest-livereload-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    addEventListener("load", function () { scrollTo(0, +saved); });
  }
  var generation = null;
  var source = new EventSource("__EVENTS__");
  function reload() {
    sessionStorage.setItem(KEY, String(scrollY));
    location.reload();
  }
  function data(e) { try { return JSON.parse(e.data); } catch (_) { return {}; } }
  source.addEventListener("hello", function (e) {
    var g = data(e).generation;
    if (generation !== null && g !== generation) reload();
    generation = g;
  });
  source.addEventListener("reload", function (e) { generation = data(e).generation; reload(); });
  source.addEventListener("css", function (e) {
    generation = data(e).generation;
    var stamp = String(Date.now());
    document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("digest-reload", stamp);
      link.href = url.href;
    });
  });
  var ID = "digest-error-overlay";
  source.addEventListener("build-error", function (e) {
    var d = data(e), box = document.getElementById(ID);
    if (!box) {
      box = document.createElement("div");
      box.id = ID;
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,24,.92);color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;" +
        "padding:2rem;white-space:pre-wrap;";
      document.documentElement.appendChild(box);
    }
    box.textContent = "";
    var head = document.createElement("div");
    head.style.cssText = "color:#ff8a8a;font-weight:bold;margin-bottom:1rem";
    head.textContent = "digest: the rebuild failed; showing the last good build.";
    box.appendChild(head);
    (d.errors || [d]).forEach(function (err) {
      var row = document.createElement("div");
      row.className = "digest-error";
      row.style.marginBottom = "1rem";
      var where = document.createElement("strong");
      where.className = "digest-error-location";
      where.textContent = err.location || "";
      row.appendChild(where);
      row.appendChild(document.createTextNode((err.location ? ": " : "") + (err.message || "")));
      if (err.hint) {
        var hint = document.createElement("div");
        hint.style.color = "#bbb";
        hint.textContent = err.hint;
        row.appendChild(hint);
      }
      box.appendChild(row);
    });
  });
  source.addEventListener("build-ok", function () {
    var box = document.getElementById(ID);
    if (box) box.remove();
  });
})();
""".replace("__EVENTS__", EVENTS_PATH)

SNIPPET = f"<script {MARKER}>{CLIENT_JS}</script>".encode("utf-8")
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def inject(html: bytes, snippet: bytes = SNIPPET) -> bytes:
    """``html`` with ``snippet`` before the last ``</body>`` (appended when there is none)."""
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html + snippet
    at = ends[-1].start()
    return html[:at] + snippet + html[at:]
