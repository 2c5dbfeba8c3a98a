"""Orchestration: load → plan → render what changed (in parallel) → commit → search index.

``Builder`` keeps the parse cache, model and page fingerprints between builds,
so ``serve`` can call ``builder.build(changed={path, …})`` after each edit and
only the pages whose inputs changed are rendered and written.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import time
from pathlib import Path

import jinja2

from generator import __version__
from generator.errors import ContentError, DigestError
from generator.build import output, search
from generator.build.body import markdown
from generator.build.pages import Contexts, Page, echoes_of, key_quote, echo_id, plan, quote_date, sitemap_entries
from generator.build.report import BuildResult, NullReporter
from generator.build.templates import environment, static_files, template_digests
from generator.build.urls import Urls
from generator.model.articles import digest_bytes
from generator.model.load import article_files, load_site

STATE = "build-state.json"
PARSE_CACHE = "parse-cache.pickle"
SERIAL_MAX = 48          # below this many pages a process pool costs more than it saves

# Per-process render state. Set in the parent before forking, so workers inherit the
# model and the compiled templates instead of receiving them through pipes.
_R: dict = {}


def template_error(exc: Exception, page: Page) -> ContentError:
    """A render-time template failure as file:line, from the template frame of the traceback."""
    where, line = page.template, None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt")):
            where, line = name, tb.tb_lineno
        tb = tb.tb_next
    return ContentError(f"template error while rendering {page.out}: {exc}", where, line,
                        "check the variable or filter used on that line")


def _render(page: Page) -> tuple[str, str, str, int, bool]:
    """Render one page into the staging folder if its bytes changed.
    Returns (out, fingerprint, sha, size, written)."""
    if page.kind == "static":
        data = _R["static"][page.key].read_bytes()
    else:
        try:
            data = _R["env"].get_template(page.template).render(_R["contexts"](page)).encode("utf-8")
        except jinja2.TemplateError as exc:
            raise template_error(exc, page) from None
    sha = hashlib.sha1(data).hexdigest()
    out = page.out
    prev = _R["previous"].get(out)
    if prev and prev[1] == sha and (_R["out"] / out).is_file():
        return out, _R["fps"][out], sha, len(data), False
    target = _R["stage"] / out
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return out, _R["fps"][out], sha, len(data), True


def _render_chunk(indices: list[int]) -> list[tuple]:
    pages = _R["todo"]
    try:
        return [_render(pages[i]) for i in indices]
    except DigestError as exc:
        # DigestError does not survive pickling; send its parts back to the parent.
        return [("!error", type(exc).__name__, exc.message, str(exc.path or ""), exc.line, exc.hint)]


def _signature(config, files: list[Path]) -> str:
    """Cheap fingerprint of every input (paths, sizes, mtimes) plus the config."""
    h = hashlib.sha1(__version__.encode())
    h.update(repr(_config_key(config)).encode())
    for p in files:
        try:
            st = p.stat()
        except OSError:
            continue
        h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _config_key(config) -> tuple:
    return (config.title, config.description, config.language, config.base_url, config.home_articles,
            config.feed_entries, sorted(config.theme.items()), str(config.paths["templates"]))


def _input_files(config) -> list[Path]:
    content = config.paths["content"]
    files = article_files(content) + [content / n for n in ("speakers.yaml", "topics.yaml", "sources.yaml")]
    tpl = config.paths["templates"]
    if tpl.is_dir():
        files += sorted(p for p in tpl.rglob("*") if p.is_file())
    from generator.build.templates import DEFAULTS
    files += sorted(p for p in DEFAULTS.rglob("*") if p.is_file())
    if config.source:
        files.append(config.source)
    return files


class Builder:
    """A build of one config. Reuse the instance for incremental rebuilds."""

    def __init__(self, config, *, reporter=None, workers: int | None = None):
        self.config = config
        self.reporter = reporter or NullReporter()
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.out = config.paths["output"].expanduser().resolve()
        self.cache_dir = config.paths["cache"]
        self.parse_cache: dict | None = None
        self.state: dict | None = None
        self.site = None

    # --- persistent cache ---------------------------------------------------------------------

    def _load_state(self) -> dict:
        if self.state is None:
            try:
                self.state = json.loads((self.cache_dir / STATE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.state = {}
            if self.state.get("output") != str(self.out) or self.state.get("version") != __version__:
                self.state = {}
        return self.state

    def _load_parse_cache(self) -> dict:
        if self.parse_cache is None:
            try:
                with open(self.cache_dir / PARSE_CACHE, "rb") as fh:
                    self.parse_cache = pickle.load(fh)
            except Exception:   # a missing or corrupt cache only costs time
                self.parse_cache = {}
        return self.parse_cache

    def _save(self, state: dict) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_dir / (STATE + ".tmp")
        tmp.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.cache_dir / STATE)
        tmp = self.cache_dir / (PARSE_CACHE + ".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(self.parse_cache, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.cache_dir / PARSE_CACHE)

    # --- the build ----------------------------------------------------------------------------

    def build(self, changed: set[Path] | None = None, *, search_index: bool = True) -> BuildResult:
        """Build the site. ``changed``: the files known to have changed since this Builder's
        last build (serve passes them; others are then trusted unchanged). ``None`` checks all."""
        t0 = time.perf_counter()
        config, out = self.config, self.out
        output.check_output(out, config)
        result = BuildResult(output=out)
        state = self._load_state()
        files = _input_files(config)
        signature = _signature(config, files)
        previous_files = output.read_manifest(out)

        if (changed is None and state.get("signature") == signature and previous_files
                and all((out / f).is_file() for f in state.get("pages", {}))):
            result.pages, result.noop, result.search = len(state["pages"]), True, "unchanged"
            result.seconds = time.perf_counter() - t0
            return result

        self.reporter.stage("loading content")
        cache = self._load_parse_cache()
        only = None if changed is None or self.site is None else {str(Path(p).resolve()) for p in changed}
        site = load_site(config.paths["content"], cache=cache, only=only)
        user_tpl = config.paths["templates"]
        env = environment(user_tpl)
        static = static_files(user_tpl)
        static_digests = {name: digest_bytes(p.read_bytes()) for name, p in static.items()}
        urls = Urls(config.base_path, config.base_url)
        pages = plan(site, config, urls, static_digests)
        tdig = template_digests(env, sorted({p.template for p in pages if p.template}))
        glob = hashlib.sha1(repr(_config_key(config)).encode() + __version__.encode()).hexdigest()
        fps = {p.out: hashlib.sha1(f"{glob}{tdig.get(p.template, '')}{p.kind}{p.key}{p.deps}".encode()).hexdigest()
               for p in pages}

        prev_pages: dict[str, list] = state.get("pages", {}) if previous_files else {}
        check_disk = changed is None
        todo = [p for p in pages
                if prev_pages.get(p.out, [None])[0] != fps[p.out]
                or (check_disk and not (out / p.out).is_file())]

        for name in sorted({p.template for p in todo if p.template}):
            env.get_template(name)     # compile once, before forking
        contexts = Contexts(site, config, urls, markdown())
        contexts.sitemap_entries = sitemap_entries(site, pages)
        env.globals.update(site=site, url=urls, config=config, key_quote=key_quote, echoes_of=echoes_of(site))
        env.globals["echo_id"] = echo_id(site)
        env.filters["quote_date"] = quote_date(site)
        stage = output.fresh_staging(out)
        _R.update(env=env, contexts=contexts, static=static, stage=stage, out=out, todo=todo, fps=fps,
                  previous=prev_pages)
        new_pages = {k: v for k, v in prev_pages.items() if k in fps}
        written: list[str] = []
        try:
            self.reporter.stage("rendering")
            self.reporter.start(len(todo))
            for o, fp, sha, size, wrote in self._run(todo):
                new_pages[o] = [fp, sha]
                if wrote:
                    written.append(o)
                self.reporter.advance()
            owned = set(fps) | set(search.index_files(out)) if previous_files else set(fps)
            result.deleted = output.commit(out, stage, sorted(written), owned, previous_files)
        except BaseException:
            import shutil
            shutil.rmtree(stage, ignore_errors=True)
            raise
        finally:
            _R.clear()

        if search_index:
            articles_changed = any(w.startswith("articles/") for w in written) or result.deleted
            if articles_changed or not (out / search.FOLDER / "pagefind.js").exists():
                self.reporter.stage("indexing search")
                try:
                    index = search.build_index(out, config.language)
                    (out / output.MANIFEST).write_bytes(output.manifest_bytes(set(fps) | set(index)))
                    result.search = "indexed"
                except (RuntimeError, OSError, subprocess_error()) as exc:
                    result.search = f"failed: {exc}"
                    result.warnings.append(f"search index not updated: {exc}")
                    self.reporter.warn(f"search index not updated: {exc}")
            else:
                result.search = "unchanged"

        self.site = site
        self.state = {"output": str(out), "version": __version__, "pages": new_pages,
                      "signature": signature if changed is None else None}
        self._save(self.state)
        result.pages, result.rendered, result.written = len(pages), len(todo), len(written)
        result.changed_pages = sorted(written)
        result.warnings += site.warnings
        result.seconds = time.perf_counter() - t0
        return result

    def _run(self, todo: list[Page]):
        n = min(self.workers, max(1, len(todo) // SERIAL_MAX))
        if n <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            for p in todo:
                yield _render(p)
            return
        size = max(1, min(64, len(todo) // (n * 8)))
        chunks = [list(range(i, min(i + size, len(todo)))) for i in range(0, len(todo), size)]
        with multiprocessing.get_context("fork").Pool(n) as pool:
            for batch in pool.imap_unordered(_render_chunk, chunks):
                if batch and batch[0][0] == "!error":
                    _, kind, message, path, line, hint = batch[0]
                    raise ContentError(message, path or None, line, hint)
                yield from batch


def subprocess_error():
    import subprocess
    return subprocess.SubprocessError


def build_site(config, *, reporter=None, changed: set[Path] | None = None, search_index: bool = True) -> BuildResult:
    """One build with a fresh Builder (the CLI's path)."""
    return Builder(config, reporter=reporter).build(changed, search_index=search_index)
