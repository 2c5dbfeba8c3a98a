"""``digest merge-speakers``: fold duplicate people in ``speakers.yaml`` into one entry each.

A registry written by an older ingest, or by hand, can hold one person several
times ("Obama", "obama-2", "Barack Obama"; "Stephen K. Bannon" and "Stephen
Bannon").  ``plan`` decides, from the entries alone, which entry each duplicate
goes to; ``apply`` removes the duplicates' blocks from the file (every other
line, comments included, stays as it was) and rewrites their slugs in the
articles' front matter.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from generator import frontmatter
from generator.fsutil import atomic_write
from generator.ingest.manifest import Manifest
from generator.ingest.registry import Entry, Registry, norm
from generator.ingest.who.identify import given_names, same_person, surname


def plan(entries: dict[str, Entry], uses: Counter) -> dict[str, str]:
    """old slug -> the slug it merges into.

    Within one surname: entries naming the same person in full merge into the first
    of them in the file; an entry with the surname alone ("Obama") merges into the
    full-named person with that surname most used in the articles (``uses``).
    Organisations merge when their names are the same."""
    order = list(entries)
    moves: dict[str, str] = {}
    by_surname: dict[str, list[str]] = {}
    orgs: dict[str, str] = {}
    for slug in order:
        e = entries[slug]
        if e.kind == "organization":
            first = orgs.setdefault(norm(e.name), slug)
            if first != slug:
                moves[slug] = first
            continue
        by_surname.setdefault(norm(surname(e.name)), []).append(slug)
    for slugs in by_surname.values():
        full = [s for s in slugs if given_names(entries[s].name)]
        heads: list[str] = []
        for s in full:
            head = next((h for h in heads if same_person(entries[h].name, entries[s].name)), None)
            if head is None:
                heads.append(s)
            else:
                moves[s] = head
        singles = [s for s in slugs if not given_names(entries[s].name)]
        if heads:
            best = max(heads, key=lambda h: (uses[h] + sum(uses[s] for s, t in moves.items() if t == h),
                                             -order.index(h)))
            for s in singles:
                moves[s] = best
        elif singles:
            for s in singles[1:]:
                moves[s] = singles[0]
    return moves


def _slug_uses(articles: list[Path]) -> Counter:
    uses: Counter = Counter()
    for path in articles:
        meta, _, _ = frontmatter.read(path)
        for q in meta.get("quotes") or []:
            if isinstance(q, dict) and isinstance(q.get("speaker"), str):
                uses[q["speaker"]] += 1
        for key in ("speakers", "mentions"):
            uses.update(s for s in meta.get(key) or [] if isinstance(s, str))
    return uses


def _rewrite(meta: dict, moves: dict[str, str]) -> bool:
    changed = False
    for key in ("speakers", "mentions"):
        old = meta.get(key)
        if isinstance(old, list):
            new = list(dict.fromkeys(moves.get(s, s) if isinstance(s, str) else s for s in old))
            changed |= new != old
            meta[key] = new
    for q in meta.get("quotes") or []:
        if isinstance(q, dict) and q.get("speaker") in moves:
            q["speaker"] = moves[q["speaker"]]
            changed = True
    if isinstance(meta.get("mentions"), list) and isinstance(meta.get("speakers"), list):
        meta["mentions"] = [m for m in meta["mentions"] if m not in meta["speakers"]]
    return changed


def _without_blocks(text: str, slugs: set[str]) -> str:
    """``speakers.yaml`` text without the top-level entries ``slugs``; nothing else moves."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return text
    lines = text.splitlines(keepends=True)
    starts = [k.start_mark.line for k, _ in node.value] + [len(lines)]
    drop: set[int] = set()
    for i, (k, _) in enumerate(node.value):
        if k.value in slugs:
            drop.update(range(starts[i], starts[i + 1]))
    return "".join(line for n, line in enumerate(lines) if n not in drop)


def merge(content: Path, *, dry_run: bool = False) -> dict[str, str]:
    """Merge duplicate people in ``content/speakers.yaml``; returns old slug -> new slug."""
    registry_path = content / "speakers.yaml"
    registry = Registry.load(registry_path)
    articles = sorted((content / "articles").glob("*.md"))
    moves = plan(registry.entries, _slug_uses(articles))
    if dry_run or not moves:
        return moves
    manifest = Manifest.load(content)
    by_slug = {v.get("slug"): seed for seed, v in manifest.seeds.items()}
    for path in articles:
        raw = path.read_bytes()
        meta, body, _ = frontmatter.read(path)
        if not _rewrite(meta, moves):
            continue
        text = frontmatter.render(meta, body).encode("utf-8")
        atomic_write(path, text)
        seed = by_slug.get(path.stem)
        if seed and manifest.wrote(seed, raw):
            # ingest wrote it: it stays ingest's (a hand-edited file stays hand-edited)
            manifest.record(seed, path.stem, manifest.seeds[seed].get("seed_sha256", ""), text)
    atomic_write(registry_path, _without_blocks(registry_path.read_text(encoding="utf-8"), set(moves)))
    manifest.save()
    return moves
