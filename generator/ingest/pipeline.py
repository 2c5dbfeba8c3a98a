"""Seeds in, content files out: decode → prepare → analyse → write.

``prepare`` (extraction, date, source, summary…) needs nothing but the seed and
runs in worker processes; ``analyse`` (speakers, quotes, topics) reads and grows
the speaker registry and runs in seed order in this process.

One bad seed never stops the others, and a content file a person has edited is
never overwritten (``force`` re-extracts it and keeps the edit as a backup).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator import frontmatter, parallel
from generator.errors import DigestError, SeedError
from generator.fsutil import atomic_write, inside
from generator.ingest import body as bodies
from generator.ingest import clean, dates, meta
from generator.ingest.analyze import Analysis, Local, analyze_local, finish
from generator.ingest.decode import Decoded, decode_seed
from generator.ingest.manifest import Manifest
from generator.ingest.outlets import Outlets
from generator.ingest.registry import Registry
from generator.ingest.who import identify
from generator.ingest.report import Outcome, Report
from generator.ingest.seeds import list_seeds
from generator.ingest.slugs import slugify, unique
from generator.ingest.topics import Taxonomy

DEFAULTS = Path(__file__).resolve().parent.parent / "defaults"


@dataclass
class Draft:
    """What one seed turns into, before anything touches the disk."""
    seed: str
    seed_sha: str
    fingerprint: str
    title: str
    meta: dict
    body: str


def _fingerprint(paragraphs) -> str:
    """Same article saved twice (other chrome, other file name) -> same fingerprint."""
    text = " ".join(re.findall(r"\w+", " ".join(paragraphs).lower()))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Prepared:
    """All one seed gives without the speaker registry: worked out once, in any process."""
    seed: str
    seed_sha: str
    title: str
    paragraphs: list[str]
    date: str | None
    date_note: str | None
    source: str | None
    credits: list[str]
    dateline: str | None = None
    summary: str | None = None
    words: int = 0
    fingerprint: str = ""
    error: str = ""     # a step that once ran after the analysis failed: the seed fails, analysed first


def prepare(path: Path, decoded: Decoded, outlets: Outlets) -> Prepared:
    """The registry-free half of turning a seed into an article (pure)."""
    ex = clean.extract(decoded.text)
    paragraphs = list(ex.paragraphs)
    if not paragraphs:
        raise SeedError("no article text found", path.name,
                        hint="check that the file holds the article itself, not just page chrome")
    title = ex.title or decoded.hints.get("title") or paragraphs[0][:90]
    found = dates.find_date(ex.header, paragraphs, decoded.hints.get("date"))
    source = meta.find_source(ex.header, paragraphs, ex.credits, outlets, decoded.text) \
        or (outlets.canonical(decoded.hints["source"]) or decoded.hints["source"]
            if decoded.hints.get("source") else None)
    prep = Prepared(path.name, decoded.sha256, title, paragraphs, found.iso, found.note, source, list(ex.credits))
    # What follows came after the analysis when one function did both; a failure
    # here must still let the analysis learn this seed's speakers, as it did then.
    try:
        prep.dateline = meta.find_dateline(paragraphs)
        prep.summary = meta.summarize(paragraphs, title)
        prep.words = bodies.word_count(paragraphs)
        prep.fingerprint = _fingerprint(paragraphs)
    except Exception as exc:
        prep.error = _failure(path, exc)
    return prep


def _failure(path: Path, exc: Exception) -> str:
    """The message for one seed that could not be ingested."""
    if isinstance(exc, DigestError):
        return str(exc)
    # a bug on one seed must not stop the others
    return str(SeedError(f"could not be ingested ({type(exc).__name__}: {exc})", path,
                         hint="please report this with the seed file"))


def _prepare_or_fail(path: Path, decoded: Decoded, outlets: Outlets) -> Prepared | str:
    """``prepare`` in a worker process: errors come back as their message (exceptions may not pickle)."""
    try:
        return prepare(path, decoded, outlets)
    except Exception as exc:
        return _failure(path, exc)


@dataclass
class Analysed:
    """One prepared seed and its article-local analysis (or the message it failed with)."""
    path: Path
    prep: Prepared
    result: Local | str


def analyse(path: Path, prep: Prepared, taxonomy: Taxonomy) -> Analysed:
    """Speakers, quotes, mentions and topics of one seed, from its text alone."""
    try:
        result = analyze_local(prep.title, prep.paragraphs, taxonomy)
    except Exception as exc:
        result = _failure(path, exc)
    return Analysed(path, prep, result)


def draft(prep: Prepared, result: Analysis) -> Draft:
    """Front matter and body of one analysed seed."""
    fm = {
        "seed": prep.seed,
        "seed_sha256": prep.seed_sha,
        "title": prep.title,
        "slug": None,   # filled in once the slug is known
        "date": prep.date,
        "date_note": prep.date_note,
        "source": prep.source,
        "credits": list(prep.credits),
        "dateline": prep.dateline,
        "format": result.format,
        "interviewer": result.interviewer,
        "summary": prep.summary,
        "words": prep.words,
        "speakers": list(result.speakers),
        "quotes": [dict(q) for q in result.quotes],
        "mentions": list(result.mentions),
        "topics": list(result.topics),
        "topic_terms": {k: list(v) for k, v in result.topic_terms.items()},
    }
    body = bodies.render_body(prep.paragraphs, interview=result.format == "interview")
    return Draft(prep.seed, prep.seed_sha, prep.fingerprint, prep.title, fm, body)


def _draft_or_fail(a: Analysed) -> Draft | str:
    """The draft, or the first failure in the order the steps ran: analysis, the rest."""
    if isinstance(a.result, str):
        return a.result
    if a.prep.error:
        return a.prep.error
    try:
        return draft(a.prep, finish(a.result))
    except Exception as exc:
        return _failure(a.path, exc)


def _prepare_and_analyse(path: Path, decoded: Decoded, outlets: Outlets, taxonomy: Taxonomy) -> Analysed | str:
    prep = _prepare_or_fail(path, decoded, outlets)
    return prep if isinstance(prep, str) else analyse(path, prep, taxonomy)


def drafts(decoded: list[tuple[Path, Decoded]], registry: Registry, taxonomy: Taxonomy,
           outlets: Outlets, workers: int | None = None) -> list[tuple[Path, Draft | str]]:
    """Each decoded seed's draft or failure message, in seed order.

    Every seed is analysed on its own (in worker processes); then the people of
    all of them are matched with the registry in one step (``who.identify``), so
    the result does not depend on the order of the seeds or on an earlier run."""
    done = list(parallel.ordered_map(lambda item: _prepare_and_analyse(*item, outlets, taxonomy),
                                     decoded, workers))
    seen: set[str] = set()
    people = []
    for a in done:
        if isinstance(a, Analysed) and isinstance(a.result, Local) and not a.prep.error \
                and a.prep.fingerprint not in seen:
            seen.add(a.prep.fingerprint)
            people.append(a.result.people())
    identify.assign(registry, people)
    return [(path, a if isinstance(a, str) else _draft_or_fail(a)) for (path, _), a in zip(decoded, done)]


def _backup_path(path: Path) -> Path:
    candidate, n = path.with_name(path.name + ".bak"), 2
    while candidate.exists():
        candidate, n = path.with_name(f"{path.name}.bak{n}"), n + 1
    return candidate


def ingest(seeds_dir: Path, content_dir: Path, *, force: bool = False,
           log: Callable[[str], None] = lambda line: None, workers: int | None = None) -> Report:
    """``workers``: processes for the work of many seeds (default: one per CPU; 1: none but this one)."""
    report = Report()
    articles = content_dir / "articles"
    manifest = Manifest.load(content_dir)
    registry = Registry.load(content_dir / "speakers.yaml")
    topics_file = content_dir / "topics.yaml"
    if not topics_file.exists() and list_seeds(seeds_dir):
        # Start the user's editable taxonomy from the packaged default, so the topics
        # ingest assigns are defined where the builder (and the editor) looks for them.
        atomic_write(topics_file, (DEFAULTS / "topics.yaml").read_bytes())
    taxonomy = Taxonomy.load(topics_file)
    outlets = Outlets.load(DEFAULTS / "sources.yaml", content_dir / "sources.yaml")

    decoded: list[tuple[Path, Decoded]] = []
    for path in list_seeds(seeds_dir):
        try:
            d = decode_seed(path)
        except DigestError as exc:
            report.outcomes.append(Outcome(path.name, "failed", message=str(exc)))
            log(f"error: {exc}")
            continue
        except OSError as exc:
            report.outcomes.append(Outcome(path.name, "failed", message=f"{path}: cannot read: {exc.strerror}"))
            log(f"error: {path}: cannot read ({exc.strerror})")
            continue
        for w in d.warnings:
            report.warnings.append(f"{path}: {w}")
            log(f"warning: {path}: {w}")
        decoded.append((path, d))

    items = drafts(decoded, registry, taxonomy, outlets, workers)
    taken = {p.stem for p in articles.glob("*.md")} if articles.is_dir() else set()
    own = {manifest.slug_for(p.name) for p, _ in items}
    seen: dict[str, str] = {}
    for path, item in items:
        if isinstance(item, str):
            report.outcomes.append(Outcome(path.name, "failed", message=item))
            log(f"error: {item}")
            continue
        if item.fingerprint in seen:
            msg = f"{path}: same article as {seen[item.fingerprint]}; skipped (delete one of the two seeds)"
            report.outcomes.append(Outcome(path.name, "duplicate", message=msg))
            report.warnings.append(msg)
            log(f"warning: {msg}")
            continue
        seen[item.fingerprint] = path.name
        report.outcomes.append(_write(item, articles, manifest, taken, own, force, log))

    registry.save(content_dir / "speakers.yaml")
    if report.outcomes or manifest.seeds:
        manifest.save()
    return report


def _write(d: Draft, articles: Path, manifest: Manifest, taken: set[str], own: set,
           force: bool, log) -> Outcome:
    slug = manifest.slug_for(d.seed)
    if not slug:
        slug = unique(slugify(d.title), taken | {s for s in own if s})
    taken.add(slug)
    d.meta["slug"] = slug
    text = frontmatter.render(d.meta, d.body).encode("utf-8")
    target = inside(articles, f"{slug}.md")
    if not target.exists():
        atomic_write(target, text)
        manifest.record(d.seed, slug, d.seed_sha, text)
        return Outcome(d.seed, "written", target)
    current = target.read_bytes()
    if manifest.wrote(d.seed, current):
        if current == text:
            return Outcome(d.seed, "unchanged", target)
        atomic_write(target, text)
        manifest.record(d.seed, slug, d.seed_sha, text)
        return Outcome(d.seed, "updated", target)
    if current == text:  # identical to what we'd write: adopt it
        manifest.record(d.seed, slug, d.seed_sha, text)
        return Outcome(d.seed, "unchanged", target)
    if not force:
        msg = f"{target}: edited by hand, kept as is (run 'digest ingest --force' to re-extract; the edit is then kept as a .bak beside it)"
        log(f"note: {msg}")
        return Outcome(d.seed, "kept", target, msg)
    backup = _backup_path(target)
    atomic_write(backup, current)
    atomic_write(target, text)
    manifest.record(d.seed, slug, d.seed_sha, text)
    log(f"note: {target}: re-extracted; your edited version is in {backup.name}")
    return Outcome(d.seed, "forced", target, f"edited version kept in {backup}")
