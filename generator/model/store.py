"""The validated content of one folder, kept between builds.

``ContentStore.load(changed)`` re-reads only the files in ``changed`` (serve and the
in-process builder know exactly which files were saved) and, when the edit leaves
every index untouched (a body, title or summary edit), reuses the previous Site's
indexes instead of recomputing echoes and related articles over the whole corpus.
The result is a ``Snapshot``; the store adopts it only once the build that used it
succeeded, so a failed build is diffed again against the last good content.
"""
from __future__ import annotations

import dataclasses
import functools
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator import parallel
from generator.errors import ContentError
from generator.fsutil import write_all
from generator.ingest.slugs import slugify
from generator.model import registry
from generator.model.articles import digest_bytes, front_matter_lines, parse_file, validate
from generator.model.load import ARTICLES, ContentErrors, article_names, index, index_key
from generator.model.types import Article, Site

REGISTRIES = ("speakers.yaml", "topics.yaml", "sources.yaml")


@dataclass
class Snapshot:
    site: Site
    by_path: dict[str, Article]                 # file -> its article
    registries: tuple                           # (speakers, topics, source table, digest)
    # (old, new) article per changed file, or None when everything was (re)loaded.
    diff: list[tuple[Article | None, Article | None]] | None = None
    reindexed: bool = True
    warnings: list[str] = field(default_factory=list)


@dataclass
class Pickled:
    """Cache entries exactly as a loading worker pickled them to send them here. The
    parse cache saves these bytes as they are while the entries still hold, instead of
    pickling 10,000 articles a second time. The bytes wait in a temporary file, not in
    memory (270 MB at 50,000 articles, inherited by every render worker); the workers
    wrote them there."""
    registries: str
    spill: object                       # the temporary file
    offset: int
    size: int
    entries: list[tuple[str, Article]]  # (file, the article it gave) for each valid row

    def copy_to(self, fd: int) -> None:
        """Append these bytes to the file ``fd`` without reading them in: ``sendfile``
        copies them in the kernel (no 50 MB in this process while the workers render)."""
        done = 0
        try:
            while done < self.size:
                sent = os.sendfile(fd, self.spill.fileno(), self.offset + done, self.size - done)
                if not sent:
                    break
                done += sent
        except (OSError, AttributeError):      # no sendfile for these files (or this system)
            pass
        if done < self.size:
            write_all(fd, os.pread(self.spill.fileno(), self.size - done, self.offset + done))


CACHE_MAGIC = b"digest parse cache 2\n"


def write_cache(fh, rest: dict, parts: list[Pickled], index_memo: dict) -> None:
    """The parse cache file: a header (the entries ``parts`` leave out, each part's registries
    digest and size, the index memo), then the parts' bytes as the loading workers wrote them."""
    header = pickle.dumps({"files": rest, "chunks": [(p.registries, p.size) for p in parts],
                           "index": index_memo}, pickle.HIGHEST_PROTOCOL)
    fh.write(CACHE_MAGIC + len(header).to_bytes(8, "little") + header)
    fh.flush()
    for part in parts:
        part.copy_to(fh.fileno())


def read_cache(fh) -> tuple[dict, dict]:
    """(file -> (digest, registries digest, Article), index memo) from a ``write_cache`` file.
    Raises ValueError (or what unpickling raises) on anything else, a cut-short file included."""
    if fh.read(len(CACHE_MAGIC)) != CACHE_MAGIC:
        raise ValueError("not a parse cache of this version")
    header = pickle.loads(fh.read(int.from_bytes(fh.read(8), "little")))
    files = dict(header["files"])
    for registries, size in header["chunks"]:
        data = fh.read(size)
        if len(data) != size:
            raise ValueError("parse cache cut short")
        for name, digest, art, *_ in pickle.loads(data):      # rows as _load_one made them
            if isinstance(art, Article):
                files[name] = (digest, registries, art)
    return files, header["index"]


class ContentStore:
    """``cache``: file -> (file digest, registries digest, Article), reused across processes
    through the builder's cache folder: an unchanged file under unchanged registries is
    neither parsed nor validated again."""

    def __init__(self, content_dir: Path, cache: dict, workers: int = 1, index_memo: dict | None = None):
        self.dir = Path(content_dir).resolve()
        self.cache = cache
        self.index_memo = index_memo      # see model.load.index
        self.workers = workers
        self.current: Snapshot | None = None
        self.pickled: list[Pickled] = []    # from the last full load
        self.stats: dict[str, tuple[int, int]] = {}    # file -> (size, mtime) as read by the last full load

    def adopt(self, snap: Snapshot) -> None:
        self.current = snap

    def take_cache_parts(self) -> tuple[list[Pickled], dict]:
        """The cache to save (``write_cache``): the loaded rows still exactly as pickled, and
        the entries those leave out. The pickles are used once: later saves pickle the entries."""
        parts, covered = [], set()
        for part in self.pickled:
            if all((e := self.cache.get(name)) is not None and e[2] is art and e[1] == part.registries
                   for name, art in part.entries):
                parts.append(part)
                covered.update(name for name, _ in part.entries)
        self.pickled = []
        return parts, {k: v for k, v in self.cache.items() if k not in covered}

    def _registries(self, errors: list[ContentError]) -> tuple:
        data = b"".join((self.dir / n).read_bytes() if (self.dir / n).is_file() else b"-" for n in REGISTRIES)
        speakers = registry.load_speakers(self.dir / "speakers.yaml", errors)
        topics = registry.load_topics(self.dir / "topics.yaml", errors)
        sources = registry.load_sources(self.dir / "sources.yaml", errors)
        return speakers, topics, sources, digest_bytes(data)

    def load(self, changed: set[Path] | None = None, *, on_loaded=None) -> Snapshot:
        """A snapshot of the content; ``changed``: the only files that may differ from the
        adopted snapshot (None: any file may). Raises ContentErrors.

        ``on_loaded(articles, speakers)``: called when every article of a full load is read
        and valid, before the corpus-wide indexes are computed; returns how many of the
        workers it set to other work (the indexes fork no more than the rest)."""
        prev = self.current
        names = None if changed is None else {str(Path(p).resolve()) for p in changed}
        articles_dir = str(self.dir / ARTICLES)
        if prev is not None and names is not None and not any(
                n.startswith(str(self.dir)) and Path(n).name in REGISTRIES for n in names):
            return self._update(prev, sorted(n for n in names if str(Path(n).parent) == articles_dir
                                             and n.endswith(".md")))
        errors: list[ContentError] = []
        regs = self._registries(errors)
        if prev is not None and names is not None and regs[3] == prev.registries[3]:
            # Registries saved unchanged: only the named articles can differ.
            return self._update(prev, sorted(n for n in names if str(Path(n).parent) == articles_dir))
        speakers, topics, table, reg = regs
        files = article_names(self.dir)
        _W.update(speakers=speakers, topics=topics, resolve=registry.source_resolver(table), reg=reg,
                  cache=self.cache)
        articles: dict[str, Article] = {}
        by_path: dict[str, Article] = {}
        self.pickled = []
        spill = tempfile.TemporaryFile() if parallel.forks(len(files), self.workers, PARALLEL_MIN) else None
        loaded = []
        try:
            for span, rows in _load_all(files, self.workers, spill):
                loaded += rows
                if span is not None and all(r[2] is not True for r in rows):     # no cache hits
                    self.pickled.append(Pickled(reg, spill, *span, [(r[0], r[2]) for r in rows if r[2] is not None]))
        finally:
            _W.clear()
        self.stats = {r[0]: r[4] for r in loaded if r[4] is not None}
        for name, digest, art, errs, _ in loaded:
            if art is True:
                art = self.cache[name][2]
            elif art is not None:
                self.cache[name] = (digest, reg, art)
            errors += [ContentError(m, Path(p) if p else None, line, hint) for m, p, line, hint in errs]
            if art is None:
                self.cache.pop(name, None)
                continue
            if art.slug in articles:
                errors.append(_duplicate(art, articles[art.slug].path))
                continue
            articles[art.slug] = art
            by_path[name] = art
        for stale in set(self.cache) - set(by_path):
            del self.cache[stale]
        _raise(errors)
        busy = on_loaded(articles, speakers) or 0 if on_loaded is not None else 0
        return Snapshot(index(articles, speakers, topics, table, self.index_memo, self.workers - busy), by_path, regs)

    def _update(self, prev: Snapshot, paths: list[str]) -> Snapshot:
        """Re-read ``paths`` only; everything else is the previous snapshot."""
        speakers, topics, table, _ = prev.registries
        resolve = registry.source_resolver(table)
        errors: list[ContentError] = []
        by_path = dict(prev.by_path)
        articles = dict(prev.site.articles)
        diff = []
        for name in paths:
            path = Path(name)
            old = by_path.pop(name, None)
            if old is not None:
                articles.pop(old.slug, None)
            new = None
            if path.is_file():
                _W.update(speakers=speakers, topics=topics, resolve=resolve, reg=prev.registries[3],
                          cache=self.cache)
                try:
                    _, digest, new, errs, _ = _load_one(name)
                finally:
                    _W.clear()
                if new is True:
                    new = self.cache[name][2]
                elif new is not None:
                    self.cache[name] = (digest, prev.registries[3], new)
                errors += [ContentError(m, Path(p) if p else None, line, hint) for m, p, line, hint in errs]
                if new is None:
                    continue
            else:
                self.cache.pop(name, None)
            if new is not None:
                if new.slug in articles:
                    errors.append(_duplicate(new, articles[new.slug].path))
                    continue
                articles[new.slug] = new
                by_path[name] = new
            if old is not None or new is not None:
                diff.append((old, new))
        _raise(errors)
        if all(o is not None and n is not None and index_key(o) == index_key(n) for o, n in diff):
            # Same indexes: keep them (and echoes and related), swap in the new articles.
            site = dataclasses.replace(prev.site, articles=articles, warnings=[])
            return Snapshot(site, by_path, prev.registries, diff, reindexed=False)
        return Snapshot(index(articles, speakers, topics, table, self.index_memo, self.workers), by_path, prev.registries, diff)


# What the loading workers need, set before forking (inherited, never pickled).
_W: dict = {}
PARALLEL_MIN = 256       # below this many files a process pool costs more than it saves
# validate() slugifies each article's outlet; a digest has a handful of outlets.
_slugify = functools.lru_cache(maxsize=256)(slugify)


def _load_one(name: str) -> tuple:
    """(file, digest, Article | True for a valid cache entry | None, error parts, (size,
    mtime) of the file as read: what the build's signature records, without another stat)."""
    path = Path(name)
    try:
        with open(name, "rb", buffering=0) as fh:   # unbuffered: half the cost of Path.read_bytes
            st = os.fstat(fh.fileno())
            data = fh.readall()
    except OSError as exc:
        return name, None, None, [(f"cannot read: {exc.strerror}", name, None, None)], None
    stat = (st.st_size, st.st_mtime_ns)
    digest = digest_bytes(data)
    hit = _W["cache"].get(name)
    if hit and len(hit) == 3 and hit[0] == digest and hit[1] == _W["reg"]:
        return name, digest, True, [], stat
    errors: list[ContentError] = []
    try:
        meta, body, line = parse_file(path, data)
    except ContentError as exc:
        errors.append(exc)
        art = None
    else:
        art = validate(path, meta, body, line, digest, _W["speakers"], _W["topics"], _W["resolve"], _slugify, errors)
    # ContentError does not survive pickling: send its parts.
    return name, digest, art, [(e.message, str(e.path) if e.path else None, e.line, e.hint) for e in errors], stat


def _load_chunk(names: list[str]) -> bytes:
    return pickle.dumps([_load_one(n) for n in names], pickle.HIGHEST_PROTOCOL)


def _load_all(names: list[str], workers: int, spill):
    """Read, parse and validate files: here, or with ``spill`` (when there are many) in
    forked processes, which write their rows pickled into that file (YAML and validation
    are most of a cold load). Yields ((offset, size) of the rows in ``spill``, or None; rows)."""
    if spill is None:
        yield None, [_load_one(n) for n in names]
        return
    for at, size in parallel.chunked_map(_load_chunk, names, workers, PARALLEL_MIN, max_chunk=256, into=spill):
        yield (at, size), pickle.loads(os.pread(spill.fileno(), size, at))


def _duplicate(art: Article, first: Path) -> ContentError:
    return ContentError(f"duplicate slug {art.slug!r}, already used by {first}", art.path,
                        front_matter_lines(art.path).get("slug", 1), "give one of the two articles another slug")


def _raise(errors: list[ContentError]) -> None:
    if errors:
        raise ContentErrors(f"{len(errors)} content errors", errors[0].path, errors[0].line, errors=errors)
