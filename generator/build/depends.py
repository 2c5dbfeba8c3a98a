"""Which pages an article edit can touch: the incremental build's dependency graph.

``affected`` returns a superset of the pages whose fingerprint can differ after the
edit; the builder fingerprints just those (exactly as a full plan would) and renders
the ones that really changed. Both the old and the new version of each article count,
so a speaker removed from an article updates that speaker's page too.
"""
from __future__ import annotations

from generator.build.pages import card_fields
from generator.model.types import Article, Site

# Site-wide pages: cheap to fingerprint, and every article can appear on them.
GLOBAL = {("home", ""), ("speakers", ""), ("topics", ""), ("sources", ""), ("archive", ""),
          ("quotes", ""), ("feed", ""), ("sitemap", "")}


def _article_pages(site: Site, a: Article, out: set) -> None:
    """Pages that list or show article ``a`` of ``site``."""
    out.add(("article", a.slug))
    for s in a.speakers:
        out.update((("speaker", s), ("speaker_feed", s)))
    for s in a.mentions:
        out.add(("speaker", s))
    for t in a.topics:
        out.update((("topic", t), ("topic_feed", t)))
    if a.source_slug:
        out.add(("source", a.source_slug))
    if a.date:
        out.update((("month", a.month), ("year", a.month[:4])))
    for n in site.prev_next.get(a.slug, ()):
        if n:
            out.add(("article", n))


def _echo_partners(site: Site, a: Article) -> set[str]:
    """Articles whose quotes echo a quote of ``a`` (their quote entries name ``a``)."""
    partners: set[str] = set()
    for q in a.quotes:
        gi = site.echoes.get(f"{a.slug}#{q.id}")
        if gi is not None:
            partners.update(o.article for o in site.echo_groups[gi])
    partners.discard(a.slug)
    return partners


def affected(old: Site, new: Site, diff: list[tuple[Article | None, Article | None]],
             reindexed: bool) -> set[tuple[str, str]]:
    """(kind, key) of every page the edits in ``diff`` can change."""
    # An edit that leaves the card (what listings show) alone touches its own page only.
    own = {("article", a.slug) for pair in diff for a in pair if a is not None}
    shown = [(o, n) for o, n in diff if o is None or n is None or card_fields(o) != card_fields(n)]
    if not shown and not reindexed:
        return own
    out = set(GLOBAL) | own
    slugs = set()
    for site, version in ((old, 0), (new, 1)):
        for pair in shown:
            a = pair[version]
            if a is None:
                continue
            slugs.add(a.slug)
            _article_pages(site, a, out)
            for p in _echo_partners(site, a):
                if p in site.articles:
                    _article_pages(site, site.articles[p], out)
    # Articles that show a changed one among their related articles.
    for s, rel in new.related.items():
        if slugs.intersection(rel):
            out.add(("article", s))
    if reindexed:
        # A new index can move neighbours, related lists and echo groups anywhere.
        for s, pn in new.prev_next.items():
            if old.prev_next.get(s) != pn or old.related.get(s) != new.related.get(s):
                out.add(("article", s))
        if old.echo_groups != new.echo_groups:
            # Groups are numbered: every page showing an echoed quote may link a new number.
            for site in (old, new):
                for g in site.echo_groups:
                    for q in g:
                        if q.article in site.articles:
                            _article_pages(site, site.articles[q.article], out)
    return out
