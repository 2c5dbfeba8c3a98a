"""Orchestration: load → plan → render what changed (in parallel) → commit → search index.

``Builder`` keeps the parse cache, model and page fingerprints between builds,
so ``serve`` can call ``builder.build(changed={path, …})`` after each edit and
only the pages whose inputs changed are rendered and written.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import gc
import hashlib
import os
import pickle
import threading
import time
from pathlib import Path

import jinja2

from generator import __version__, parallel
from generator.errors import ContentError, DigestError
from generator.build import output, search
from generator.build.markdown import markdown
from generator.build.depends import affected, _echo_partners as _partners
from generator.build.pages import (Contexts, Digests, Page, article_body, article_of, dated_articles, echo_id, echoes_of,
                                   exists, key_quote, page_deps, plan, quote_date, rel_of)
from generator.build.urls import output_file
from generator.build.report import BuildResult, NullReporter
from generator.build.templates import Fragments, compile_templates, environment, static_files, template_digests
from generator.build.urls import Urls
from generator.model.articles import digest_bytes
from generator.model.load import article_names
from generator.model.store import ContentStore, read_cache, write_cache

STATE = "build-state.pickle"
PARSE_CACHE = "articles-cache.pickle"   # file -> (digest, registries digest, Article), and the echo
                                        # groups and related articles (model.load.index): model.store.write_cache
SERIAL_MAX = 48          # below this many pages a process pool costs more than it saves
# Page kinds that show the same fragments, each group rendered in one worker (render_chunks).
SHARED_FRAGMENTS = (("speaker", "topic"), ("speaker_feed", "topic_feed", "feed"), ("source", "month"))

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


# Links stay absolute under base_path on: 404.html (served at any depth), robots.txt, and the
# search page, whose data-base feeds Pagefind's baseUrl (Pagefind turns a relative one into
# "/…"; search needs a server anyway). With search.js passing
# new URL(form.dataset.base, document.baseURI).pathname it could be relative too.
ABSOLUTE = ("notfound", "robots", "search")


def _render(page: Page) -> tuple[str, str, int, bool]:
    """Render one page into the staging folder if its bytes changed.
    Returns (out, sha, size, written)."""
    if page.kind == "static":
        data = _R["static"][page.key].read_bytes()
    else:
        _R["urls"].at(page.rel, page.kind in ABSOLUTE)
        try:
            data = _R["env"].get_template(page.template).render(_R["contexts"](page)).encode("utf-8")
        except jinja2.TemplateError as exc:
            raise template_error(exc, page) from None
    sha = output.page_digest(data)
    out = page.out
    prev = _R["previous"].get(out)
    if prev and prev[1] == sha and (_R["out"] / out).is_file():
        return out, sha, len(data), False
    output.write_new(f"{_R['stage']}/{out}", data)
    return out, sha, len(data), True


def _render_chunk(indices: list[int]) -> list[tuple]:
    pages = _R["todo"]
    try:
        return [_render(pages[i]) for i in indices]
    except DigestError as exc:
        # DigestError does not survive pickling; send its parts back to the parent.
        return [("!error", type(exc).__name__, exc.message, str(exc.path or ""), exc.line, exc.hint)]


def _signature(config, stats: list[tuple[str, int, int]]) -> str:
    """Cheap fingerprint of every input (paths, sizes, mtimes: ``_stats``) plus the config."""
    h = hashlib.sha1(__version__.encode())
    h.update(repr(_config_key(config)).encode())
    h.update("".join([f"{p}\0{size}\0{mtime}\n" for p, size, mtime in stats]).encode())
    return h.hexdigest()


def _stats(files: list[str]) -> list[tuple[str, int, int]]:
    """(path, size, mtime) of each file that exists."""
    out = []
    for p in files:
        try:
            st = os.stat(p)
        except OSError:
            continue
        out.append((p, st.st_size, st.st_mtime_ns))
    return out


def _config_key(config) -> tuple:
    return (config.title, config.description, config.language, config.base_url, config.home_articles,
            config.feed_entries, sorted(config.theme.items()), sorted(config.search.items()),
            str(config.paths["templates"]))


def _other_inputs(config) -> list[str]:
    """The inputs besides the articles: registries, templates, the config file."""
    content = config.paths["content"]
    files = [str(content / n) for n in ("speakers.yaml", "topics.yaml", "sources.yaml")]
    tpl = config.paths["templates"]
    if tpl.is_dir():
        files += sorted(str(p) for p in tpl.rglob("*") if p.is_file())
    from generator.build.templates import DEFAULTS
    files += sorted(str(p) for p in DEFAULTS.rglob("*") if p.is_file())
    if config.source:
        files.append(str(config.source))
    return files


class Builder:
    """A build of one config. Reuse the instance for incremental rebuilds: it keeps the
    validated content, the compiled templates and the page digests in memory, so
    ``build(changed={path})`` after an article edit re-reads that file, fingerprints the
    pages the edit can reach (``depends.affected``) and renders those whose inputs changed."""

    def __init__(self, config, *, reporter=None, workers: int | None = None):
        self.config = config
        self.reporter = reporter or NullReporter()
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.out = config.paths["output"].expanduser().resolve()
        self.cache_dir = config.paths["cache"]
        self.parse_cache: dict | None = None
        self.index_memo: dict = {}
        self.state: dict | None = None
        self.store: ContentStore | None = None
        self.md = markdown()
        self._cards: dict = {}          # slug -> (Article, card digest), across builds
        self._aux: dict = {}
        self._templates = None          # (env, static files, static digests, template digests) of the last build
        self._ahead: list[tuple[list[str], parallel.Ahead]] = []    # article bodies rendered ahead, this build

    @property
    def site(self):
        return self.store.current.site if self.store and self.store.current else None

    # --- persistent cache ---------------------------------------------------------------------

    def _load_state(self) -> dict:
        if self.state is None:
            try:
                with open(self.cache_dir / STATE, "rb") as fh:
                    self.state = pickle.load(fh)
                if not isinstance(self.state, dict):
                    raise ValueError("not a build state")
            except Exception:       # missing or corrupt: a full build
                self.state = {}
            if self.state.get("output") != str(self.out) or self.state.get("version") != __version__:
                self.state = {}
        return self.state

    def _load_parse_cache(self) -> dict:
        if self.parse_cache is None:
            try:
                with open(self.cache_dir / PARSE_CACHE, "rb") as fh:
                    self.parse_cache, self.index_memo = read_cache(fh)
            except Exception:   # a missing, old or corrupt cache only costs time
                self.parse_cache, self.index_memo = {}, {}
        return self.parse_cache

    def _save_state(self, state: dict) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_dir / (STATE + ".tmp")
        with open(tmp, "wb") as fh:     # pickle: 10x faster than JSON for 10,000+ page entries
            pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
            # No memo: the state shares no objects and has no cycles, and remembering each of
            # its strings took 3/4 of the time (60 against 15 ms at 50,000 pages, every edit).
            pickler.fast = True
            pickler.dump(state)
        os.replace(tmp, self.cache_dir / STATE)

    def _save_parse_cache(self) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_dir / (PARSE_CACHE + ".tmp")
        parts, rest = self.store.take_cache_parts() if self.store else ([], self.parse_cache)
        with open(tmp, "wb") as fh:
            write_cache(fh, rest, parts, self.index_memo)
        os.replace(tmp, self.cache_dir / PARSE_CACHE)

    def _only_articles(self, changed) -> bool:
        """Do the changed files allow the fast path (article files only, nothing else)?"""
        if changed is None or self.store is None or self.store.current is None or self._templates is None:
            return False
        articles = self.store.dir / "articles"
        return all(Path(p).resolve().parent == articles and str(p).endswith(".md") for p in changed)

    # --- the build ----------------------------------------------------------------------------

    def build(self, changed: set[Path] | None = None, *, search_index: bool = True) -> BuildResult:
        """Build the site. ``changed``: the files known to have changed since this Builder's
        last build (serve passes them; others are then trusted unchanged). ``None`` checks all."""
        with _no_collections():
            try:
                return self._build(changed, search_index)
            finally:
                while self._ahead:          # a build that failed before taking its work ahead
                    self._ahead.pop()[1].take()

    def _build(self, changed, search_index: bool) -> BuildResult:
        t0 = time.perf_counter()
        config, out = self.config, self.out
        search_index = search_index and config.search["enabled"]
        output.check_output(out, config)
        result = BuildResult(output=out)
        state = self._load_state()
        previous_files = output.read_manifest(out)
        signature = others = None
        if changed is None:
            others = _stats(_other_inputs(config))      # before any of them is read
        if changed is None and state.get("signature") and previous_files:
            signature = _signature(config, _stats(article_names(Path(config.paths["content"]).resolve())) + others)
            if (state.get("signature") == signature
                    and not (search_index and search.stale_shards(out, state.get("search_plan", {}),
                                                                 state.get("search_shards", {})))
                    and all((out / f).is_file() for f in state.get("pages", {}))):
                result.pages, result.noop, result.search = len(state["pages"]), True, "unchanged"
                result.seconds = time.perf_counter() - t0
                return result

        self.reporter.stage("loading content")
        fast = self._only_articles(changed) and bool(previous_files)
        cache = self._load_parse_cache()
        if self.store is None:
            self.store = ContentStore(config.paths["content"], cache, self.workers, self.index_memo)
        old = self.store.current
        urls = Urls(config.base_path, config.base_url)
        prev_pages: dict[str, list] = state.get("pages", {}) if previous_files else {}
        # With no earlier pages to compare with, every page renders whatever its fingerprint:
        # the dependency digests are then computed while the workers render (computed first,
        # a single core's 0.6 s at 10,000 articles, the other one idle).
        deferred = not prev_pages

        def bodies_ahead(articles, speakers) -> int:
            # A first build renders every article body. Bodies need no corpus-wide index, so
            # one process renders them while this one computes the indexes and the plan.
            # That process takes a core: related articles, which fork workers otherwise,
            # are ranked in this one (on two cores: less work, and no copy of the model).
            if not prev_pages and parallel.Ahead.worthwhile(len(articles), self.workers):
                href = Urls(config.base_path, config.base_url).at(urls.rel_article("x")).speaker
                slugs = sorted(articles)
                self._ahead.append((slugs, parallel.Ahead(
                    lambda slug: article_body(self.md, articles[slug], speakers, href), slugs)))
                return 1
            return 0

        snap = self.store.load(changed if old is not None else None, on_loaded=bodies_ahead)
        if others is not None and signature is None:
            # No build to compare with: the articles' sizes and times as the loading read
            # them, not another 10,000 stats before it starts (the other inputs' were taken first).
            signature = _signature(config, [(p, *st) for p, st in self.store.stats.items()] + others)
        gc.freeze()     # the model lives for the whole build: stop rescanning it (and copying it into forks)
        site = snap.site

        if fast:
            env, static, static_digests, tdig = self._templates
            if snap.reindexed:
                self._aux = {}
            else:
                for o, n in snap.diff:
                    for a, s in ((o, old.site), (n, site)):
                        if a is not None:
                            self._aux.pop(a.slug, None)
                            for p in _partners(s, a):
                                self._aux.pop(p, None)
            digests = Digests(site, self._cards, self._aux)
            only = affected(old.site, site, snap.diff, snap.reindexed)
            pages = plan(site, config, urls, static_digests, digests, only=only, with_deps=not deferred)
            gone = {output_file(rel_of(urls, *k)) for k in only
                    if exists(old.site, *k, static_digests) and not exists(site, *k, static_digests)}
        else:
            user_tpl = config.paths["templates"]
            env = environment(user_tpl)
            static = static_files(user_tpl)
            static_digests = {name: digest_bytes(p.read_bytes()) for name, p in static.items()}
            self._aux = {}
            digests = Digests(site, self._cards, self._aux)
            pages = plan(site, config, urls, static_digests, digests, with_deps=not deferred)
            tdig = template_digests(env, sorted({p.template for p in pages if p.template}))
            gone = set()

        def fingerprints() -> dict[str, str]:
            deps = page_deps(site, config, urls, static_digests, digests) if deferred else None
            glob = hashlib.sha1(repr(_config_key(config)).encode() + __version__.encode()).hexdigest()
            return {p.out: hashlib.sha1(f"{glob}{tdig.get(p.template, '')}{p.kind}{p.key}"
                                        f"{deps(p.kind, p.key) if deps else p.deps}".encode()).hexdigest()
                    for p in pages}

        check_disk = changed is None
        if deferred:
            fps, todo = None, list(pages)
        else:
            fps = fingerprints()
            todo = [p for p in pages
                    if prev_pages.get(p.out, [None])[0] != fps[p.out]
                    or (check_disk and not (out / p.out).is_file())]
        # Listing pages first, the many small article pages last: the slowest pages (a
        # source's listing, the repeated quotes) never start while the other worker idles.
        todo.sort(key=lambda p: p.kind == "article")

        # The model's filters first: a template that names a filter compiles only if it exists.
        env.filters.update(quote_date=quote_date(site), article_of=article_of(site),
                           dated_articles=dated_articles(site))
        compile_templates(env, sorted({p.template for p in todo if p.template}))     # once, before forking
        bodies = _Ahead(*self._ahead.pop()) if self._ahead else None
        contexts = Contexts(site, config, urls, self.md, bodies)
        env.globals.update(site=site, url=urls, config=config, key_quote=key_quote, echoes_of=echoes_of(site))
        env.globals["echo_id"] = echo_id(site)
        fragments = Fragments(urls)                # per build: fragments hold this build's links
        env.globals.update(cached=fragments, cached_anywhere=fragments.anywhere)
        for tpl in list(env.cache.values()) if env.cache is not None else ():
            tpl._module = None      # imported macros bind the globals once; rebind them to this build's
        stage = output.fresh_staging(out)
        _R.update(env=env, contexts=contexts, static=static, stage=stage, out=out, todo=todo,
                  previous=prev_pages, urls=urls)
        outs = {p.out for p in pages}
        if fast:
            new_pages = dict(prev_pages)         # a C copy: an edit's build at 50k is not a Python walk
            for k in gone:
                new_pages.pop(k, None)
            owned = (set(previous_files) - gone) | outs
        else:
            new_pages = {k: v for k, v in prev_pages.items() if k in outs}
            # The search index stays ours unless search was turned off: then it goes too.
            index = search.index_files(out) if previous_files and config.search["enabled"] else []
            owned = outs | set(index)
        written: list[str] = []
        shas: dict[str, str] = {}
        # A full build writes its parse cache (tens of MB) while the workers render, not after.
        saving, processes = None, parallel.processes(len(todo), self.workers, 2 * SERIAL_MAX)
        try:
            self.reporter.stage("rendering")
            self.reporter.start(len(todo))
            for o, sha, size, wrote in self._run(todo, processes):
                if saving is None and processes and not fast:     # the first result: they are forked
                    saving = parallel.in_thread(self._save_parse_cache, "digest-parse-cache")
                    if fps is None:         # a first build's: computed while they render
                        fps = fingerprints()
                shas[o] = sha
                if wrote:
                    written.append(o)
                self.reporter.advance()
            if fps is None:
                fps = fingerprints()
            for o, sha in shas.items():
                new_pages[o] = [fps[o], sha]
            result.deleted = output.commit(out, stage, sorted(written), owned, previous_files)
        except BaseException:
            import shutil
            shutil.rmtree(stage, ignore_errors=True)
            raise
        finally:
            _R.clear()
            if bodies is not None:
                bodies.close()
            if saving is not None:
                concurrent.futures.wait([saving])    # a failed build still waits for the file
        if saving is not None:
            saving.result()             # raises what the save raised
        elif not fast:
            self._save_parse_cache()

        if config.search["enabled"]:
            def page_hash(slug: str) -> str:
                return new_pages.get(output_file(Urls.rel_article(slug)), ("", ""))[1]
            planned = state.get("search_plan") if fast else None
            if planned and _same_articles(snap.diff, planned, len(site.articles)):
                rewritten = set(written)
                edited = [p.key for p in todo if p.kind == "article" and p.out in rewritten]
                want = search.replan_shards(planned, page_hash, edited, config.language)
            else:
                want = search.plan_shards({slug: page_hash(slug) for slug in site.articles},
                                          config.language, config.search["shard_size"])
            have = state.get("search_shards", {}) if previous_files else {}
        else:
            want = have = {}            # no shards to plan, and the old ones go (``owned``)
        stale = search.stale_shards(out, want, have)
        if search_index and changed is not None:
            # An incremental build returns as soon as its pages are written; the stale shards
            # (seconds each) are re-indexed by index_search() or the next full build.
            result.search = "deferred" if stale else "unchanged"
        elif search_index and stale:
            have = self._index(result, owned, want, stale, have)
        elif search_index:
            result.search = "unchanged"

        self.store.adopt(snap)
        self._templates = (env, static, static_digests, tdig)
        if changed is not None and not changed and not written and not result.deleted:
            signature = state.get("signature")     # warm(): nothing changed, the no-op check still holds
        self.state = {"output": str(out), "version": __version__, "pages": new_pages, "signature": signature,
                      "search_plan": want, "search_shards": have}
        self._save_state(self.state)
        result.pages = len(new_pages)
        result.rendered, result.written = len(todo), len(written)
        result.changed_pages = sorted(written)
        result.warnings += site.warnings
        result.seconds = time.perf_counter() - t0
        return result

    def warm(self) -> BuildResult:
        """Load the content, templates and page digests without rendering (nothing changed
        since the last build), so the next ``build(changed=…)`` is incremental. For serve
        after a no-op start: otherwise its first edit pays for the full load."""
        return self.build(changed=set(), search_index=False)

    def _index(self, result: BuildResult, owned: set[str], want: dict, stale: set[int], have: dict) -> dict:
        """Re-index the stale search shards; returns the shard digests now on disk."""
        self.reporter.stage(f"indexing search ({len(stale)} of {len(want)} shards)")
        try:
            index = search.build_index(self.out, self.config.language, want, stale, self.workers)
        except (RuntimeError, OSError, subprocess_error()) as exc:
            result.search = f"failed: {exc}"
            result.warnings.append(f"search index not updated: {exc}")
            self.reporter.warn(f"search index not updated: {exc}")
            return have
        files = {f for f in owned if not f.startswith(search.FOLDER + "/")} | set(index)
        (self.out / output.MANIFEST).write_bytes(output.manifest_bytes(files))
        result.search = "indexed"
        return {i: sh.digest for i, sh in want.items()}

    def index_search(self) -> BuildResult:
        """Refresh the search shards incremental builds left stale."""
        result = BuildResult(output=self.out, search="unchanged")
        state = self._load_state()
        want, have = state.get("search_plan", {}), state.get("search_shards", {})
        stale = search.stale_shards(self.out, want, have)
        if want and stale:
            state["search_shards"] = self._index(result, set(output.read_manifest(self.out)), want, stale, have)
            self._save_state(state)
        return result

    def _run(self, todo: list[Page], n: int):
        """Render ``todo``: in ``n`` forked workers (they inherit ``_R``), or in this
        process when ``n`` is 0; results in any order."""
        if not n:
            yield from map(_render, todo)
            return
        for batch in parallel.map_chunks(_render_chunk, render_chunks(todo, n), n, ordered=False):
            if batch and batch[0][0] == "!error":
                _, kind, message, path, line, hint = batch[0]
                raise ContentError(message, path or None, line, hint)
            yield from batch


class _Ahead:
    """The article bodies rendered ahead, as ``Contexts`` reads them: ``get(slug)``. They stay
    in the Ahead's file until a render worker asks for one."""

    def __init__(self, slugs: list[str], ahead: parallel.Ahead):
        self.results = ahead.take_lazily()
        self.index = {slug: i for i, slug in enumerate(slugs[:len(self.results)])}

    def get(self, slug: str):
        i = self.index.get(slug)
        return None if i is None else self.results[i]

    def close(self) -> None:
        self.results.close()


def _same_articles(diff, plan: dict, count: int) -> bool:
    """Whether the search ``plan`` still holds the site's articles: the build's changes
    (``diff``) added, removed and renamed none, and the plan has ``count`` of them."""
    return (all(o is not None and n is not None and o.slug == n.slug for o, n in diff)
            and sum(len(shard.slugs) for shard in plan.values()) == count)


def render_chunks(todo: list[Page], workers: int, max_chunk: int = 64) -> list[list[int]]:
    """Indices of ``todo`` in chunks for the render workers, in order. Pages that show the
    same fragments, which ``cached()`` renders once per process, go in one chunk each, first
    (``SHARED_FRAGMENTS``): a speaker page and a topic page show the same quote lists,
    every feed that lists an article shows the same entry, and an article's source page
    and month page show the same card. Split over two workers, about
    half of those were rendered twice. A group stays spread out if it is more than half a
    worker's share of the pages: that one worker must not end up with more than its share."""
    groups = []
    for kinds in SHARED_FRAGMENTS:
        group = [i for i, p in enumerate(todo) if p.kind in kinds]
        if group and len(group) <= len(todo) // (2 * workers):
            groups.append(group)
    grouped = {i for g in groups for i in g}
    rest = [i for i in range(len(todo)) if i not in grouped]
    size = max(1, min(max_chunk, len(todo) // (workers * 8)))
    return groups + [rest[i:i + size] for i in range(0, len(rest), size)]


_GC = {"builds": 0, "was_enabled": False}     # builds running in this process (serve: threads)
_GC_LOCK = threading.Lock()


@contextlib.contextmanager
def _no_collections():
    """A build allocates millions of objects that all live until it ends (the model, its
    indexes, rendered fragments), so the cyclic collector only rescans them: at the
    default thresholds ≈ 15 % of a cold build, at 100,000 still 0.2-0.3 CPU-s (a
    render worker's first collections scanned everything it had inherited). A build
    makes next to no cyclic garbage (none in 4,000 rendered pages), so the collector
    is off while any build runs in this process; what it may leave is collected
    afterwards, or with the workers when they exit. Counted, so that builds
    overlapping in threads leave it as the first found it."""
    with _GC_LOCK:
        if _GC["builds"] == 0:
            _GC["was_enabled"] = gc.isenabled()
            gc.disable()
        _GC["builds"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC["builds"] -= 1
            if _GC["builds"] == 0:
                # What the build made joins the oldest generation (a freeze also zeroes the
                # young one's count): re-enabled, the collector would otherwise start at the
                # next allocation with a scan of it all (pages, plan: 20 ms at 10,000
                # articles) for the cyclic garbage a build does not make.
                gc.freeze()
                gc.unfreeze()
                if _GC["was_enabled"]:
                    gc.enable()


def subprocess_error():
    import subprocess
    return subprocess.SubprocessError


def build_site(config, *, reporter=None, changed: set[Path] | None = None, search_index: bool = True) -> BuildResult:
    """One build with a fresh Builder (the CLI's path)."""
    return Builder(config, reporter=reporter).build(changed, search_index=search_index)
