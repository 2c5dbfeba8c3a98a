"""Seeds in, content files out: decode → extract → analyse → write, one seed at a time.

One bad seed never stops the others, and a content file a person has edited is
never overwritten (``force`` re-extracts it and keeps the edit as a backup).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator import frontmatter
from generator.errors import DigestError, SeedError
from generator.fsutil import atomic_write, inside
from generator.ingest import body as bodies
from generator.ingest import clean, dates, meta
from generator.ingest.analyze import analyze
from generator.ingest.decode import Decoded, decode_seed
from generator.ingest.manifest import Manifest
from generator.ingest.outlets import Outlets
from generator.ingest.registry import Registry
from generator.ingest.slugs import slugify, unique
from generator.ingest.topics import Taxonomy

DEFAULTS = Path(__file__).resolve().parent.parent / "defaults"
_IGNORED = re.compile(r"(^[.#~])|(~$)|(\.(swp|swx|tmp|bak|part|crdownload)$)", re.I)


@dataclass
class Outcome:
    seed: str
    status: str            # written | updated | unchanged | kept | forced | duplicate | failed
    path: Path | None = None
    message: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in
                 ("written", "updated", "unchanged", "kept", "forced", "duplicate", "failed") if self.count(s)]
        return f"ingest: {len(self.outcomes)} seeds: " + (", ".join(parts) or "nothing to do")


@dataclass
class Draft:
    """What one seed turns into, before anything touches the disk."""
    seed: str
    seed_sha: str
    fingerprint: str
    title: str
    meta: dict
    body: str


def list_seeds(seeds_dir: Path) -> list[Path]:
    """Regular files in ``seeds_dir``, skipping hidden, editor temp and swap files."""
    if not seeds_dir.is_dir():
        return []
    return sorted(p for p in seeds_dir.iterdir() if p.is_file() and not _IGNORED.search(p.name))


def _fingerprint(paragraphs) -> str:
    """Same article saved twice (other chrome, other file name) -> same fingerprint."""
    text = " ".join(re.findall(r"\w+", " ".join(paragraphs).lower()))
    return hashlib.sha256(text.encode()).hexdigest()


def draft(seed: str, decoded: Decoded, registry: Registry, taxonomy: Taxonomy,
          outlets: Outlets) -> Draft:
    """Pure transformation of one decoded seed into front matter and body."""
    ex = clean.extract(decoded.text)
    paragraphs = list(ex.paragraphs)
    if not paragraphs:
        raise SeedError("no article text found", seed,
                        hint="check that the file holds the article itself, not just page chrome")
    title = ex.title or decoded.hints.get("title") or paragraphs[0][:90]
    found = dates.find_date(ex.header, paragraphs, decoded.hints.get("date"))
    source = meta.find_source(ex.header, paragraphs, ex.credits, outlets, decoded.text) \
        or (outlets.canonical(decoded.hints["source"]) or decoded.hints["source"]
            if decoded.hints.get("source") else None)
    result = analyze(title, paragraphs, registry, taxonomy, source=source)
    fm = {
        "seed": seed,
        "seed_sha256": decoded.sha256,
        "title": title,
        "slug": None,   # filled in once the slug is known
        "date": found.iso,
        "date_note": found.note,
        "source": source,
        "credits": list(ex.credits),
        "dateline": meta.find_dateline(paragraphs),
        "format": result.format,
        "interviewer": result.interviewer,
        "summary": meta.summarize(paragraphs, title),
        "words": bodies.word_count(paragraphs),
        "speakers": list(result.speakers),
        "quotes": [dict(q) for q in result.quotes],
        "mentions": list(result.mentions),
        "topics": list(result.topics),
        "topic_terms": {k: list(v) for k, v in result.topic_terms.items()},
    }
    body = bodies.render_body(paragraphs, interview=result.format == "interview")
    return Draft(seed, decoded.sha256, _fingerprint(paragraphs), title, fm, body)


def _backup_path(path: Path) -> Path:
    candidate, n = path.with_name(path.name + ".bak"), 2
    while candidate.exists():
        candidate, n = path.with_name(f"{path.name}.bak{n}"), n + 1
    return candidate


def ingest(seeds_dir: Path, content_dir: Path, *, force: bool = False,
           log: Callable[[str], None] = lambda line: None) -> Report:
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

    # Analysis learns speakers into the registry as it goes; when it learned any,
    # a second pass makes every article see the same registry, so a re-run is byte-identical.
    for _pass in range(2):
        known = registry.fingerprint()
        drafts: list[tuple[Path, Draft | Exception]] = []
        for path, d in decoded:
            try:
                drafts.append((path, draft(path.name, d, registry, taxonomy, outlets)))
            except DigestError as exc:
                drafts.append((path, exc))
            except Exception as exc:  # a bug on one seed must not stop the others
                drafts.append((path, SeedError(f"could not be ingested ({type(exc).__name__}: {exc})",
                                               path, hint="please report this with the seed file")))
        if registry.fingerprint() == known:
            break

    taken = {p.stem for p in articles.glob("*.md")} if articles.is_dir() else set()
    own = {manifest.slug_for(p.name) for p, _ in drafts}
    seen: dict[str, str] = {}
    for path, item in drafts:
        if isinstance(item, Exception):
            report.outcomes.append(Outcome(path.name, "failed", message=str(item)))
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
