"""What pages the site has, what each one shows, and what each one depends on.

``plan`` lists every output as a Page: its path, template, kind/key (which
context builder fills it) and the digests of the inputs it shows. A page whose
fingerprint is unchanged since the last build is neither rendered nor written;
so listing pages are never stale, and an edit re-renders only what it touches.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from markupsafe import Markup

from generator.build.body import render_article_body
from generator.build.jsonld import LazyJSON
from generator.build.search import shard_members
from generator.build.urls import Urls, output_file
from generator.model.types import Article, Quote, Site, canonical_bytes, quote_values


@dataclass(frozen=True, slots=True)
class Page:
    rel: str            # relative URL, e.g. "speakers/x/" or "feed.xml"
    template: str       # template name, or "" for a static file copy
    kind: str
    key: str
    deps: str           # digest of every input the page shows

    @property
    def out(self) -> str:
        return output_file(self.rel)


def card_fields(a: Article) -> tuple:
    """What listings show of an article: all but its body."""
    return (a.title, a.date, a.has_time, a.date_note, a.source, a.summary, a.words, a.format,
            a.dateline, a.interviewer, a.speakers, a.mentions, a.topics, quote_values(a.quotes))


def _h(parts) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()


class Digests:
    """Per-article digests used as page dependencies, computed on demand.

    ``card``: everything a listing shows of an article (not its body, so a body edit
    re-renders the article page only). ``aux``: the card plus the cards of the articles
    its quotes echo, which quote entries name. ``cache`` (slug -> (article, card))
    carries cards across builds; an entry counts only for the very same Article object.
    ``aux`` may be carried too when the echo groups are unchanged, minus the changed
    articles and their echo partners.
    """

    def __init__(self, site: Site, cache: dict | None = None, aux: dict | None = None):
        self.site = site
        self._cards = {} if cache is None else cache
        self._aux: dict[str, str] = {} if aux is None else aux
        self._groups: dict[int, str] = {}
        self._now: dict[str, str] = {}     # slug -> card, for this site's articles

    def card(self, slug: str) -> str:
        a = self.site.articles[slug]
        hit = self._cards.get(slug)
        if hit is not None and hit[0] is a:
            self._now[slug] = hit[1]
            return hit[1]
        site = self.site
        ents = [site.sources[a.source_slug].digest if a.source_slug else ""]
        ents += [site.speakers[s].digest for s in (*a.speakers, *a.mentions)]
        ents += [site.topics[t].digest for t in a.topics]
        card = hashlib.sha1(canonical_bytes(card_fields(a)) + "\x1f".join(ents).encode()).hexdigest()
        self._cards[slug] = (a, card)
        self._now[slug] = card
        return card

    def aux(self, slug: str) -> str:
        hit = self._aux.get(slug)
        if hit is None:
            site = self.site
            groups = sorted({gi for q in site.articles[slug].quotes
                             if (gi := site.echoes.get(f"{slug}#{q.id}")) is not None})
            hit = self.card(slug) if not groups else _h([self.card(slug), *map(self._group, groups)])
            self._aux[slug] = hit
        return hit

    def _group(self, gi: int) -> str:
        if gi not in self._groups:
            members = sorted({q.article for q in self.site.echo_groups[gi]})
            self._groups[gi] = _h([str(gi), *map(self.card, members)])
        return self._groups[gi]

    def cards(self, slugs: list[str]) -> list[str]:
        return _known(self._now, self.card, slugs)

    def auxes(self, slugs: list[str]) -> list[str]:
        return _known(self._aux, self.aux, slugs)


def _known(table: dict[str, str], compute: Callable[[str], str], slugs: list[str]) -> list[str]:
    """``[compute(s) for s in slugs]``, looked up in ``table`` in C when it holds them all: a
    full plan asks for 250,000 cards and auxes at 10,000 articles, nearly all known by then."""
    try:
        return list(map(table.__getitem__, slugs))
    except KeyError:
        return [compute(s) for s in slugs]


def latest(site: Site, n: int) -> list[str]:
    """The newest ``n`` dated articles, newest first (undated only if nothing else)."""
    dated = []
    for s in reversed(site.chronological):
        if site.articles[s].date:
            dated.append(s)
            if len(dated) == n:
                break
    return dated or list(reversed(site.chronological))[:n]


TEMPLATES = {"home": "home.html", "article": "article.html", "speakers": "speakers.html", "speaker": "speaker.html",
             "speaker_feed": "feed.xml", "topics": "topics.html", "topic": "topic.html", "topic_feed": "feed.xml",
             "sources": "sources.html", "source": "source.html", "archive": "archive.html",
             "year": "archive_year.html", "month": "archive_month.html", "quotes": "quotes.html",
             "search": "search.html", "notfound": "404.html", "feed": "feed.xml", "robots": "robots.txt",
             "sitemap": "sitemap.xml", "static": ""}
SINGLE = {"home": "", "speakers": "speakers/", "topics": "topics/", "sources": "sources/", "archive": "archive/",
          "quotes": "quotes/", "search": "search/", "notfound": "404.html", "feed": "feed.xml",
          "robots": "robots.txt", "sitemap": "sitemap.xml"}


def rel_of(urls: Urls, kind: str, key: str) -> str:
    """The relative URL of page (kind, key)."""
    if kind in SINGLE:
        return SINGLE[kind]
    return {"article": urls.rel_article, "speaker": urls.rel_speaker, "topic": urls.rel_topic,
            "source": urls.rel_source, "year": urls.rel_year, "month": urls.rel_month,
            "speaker_feed": lambda k: urls.rel_speaker(k) + "feed.xml",
            "topic_feed": lambda k: urls.rel_topic(k) + "feed.xml",
            "static": lambda k: f"static/{k}"}[kind](key)


def exists(site: Site, kind: str, key: str, static: dict) -> bool:
    """Does ``site`` have page (kind, key)?"""
    if kind in SINGLE:
        return True
    return {"article": site.articles, "speaker": site.speakers, "speaker_feed": site.by_speaker,
            "topic": site.topics, "topic_feed": site.topics, "source": site.sources, "static": static,
            "year": _Years(site.by_month), "month": site.by_month}[kind].__contains__(key)


class _Years:
    def __init__(self, months):
        self.months = months

    def __contains__(self, year: str) -> bool:
        return any(m.startswith(year + "-") for m in self.months)


def page_keys(site: Site, static: dict, search: bool = True):
    """(kind, key) of every page, in plan order (the search page only with ``search``)."""
    yield "home", ""
    for slug in site.chronological:
        yield "article", slug
    yield "speakers", ""
    for s in site.speakers:
        yield "speaker", s
        if site.by_speaker.get(s):
            yield "speaker_feed", s
    yield "topics", ""
    for t in site.topics:
        yield "topic", t
        yield "topic_feed", t
    yield "sources", ""
    for k in site.sources:
        yield "source", k
    yield "archive", ""
    year = None
    for m in site.by_month:
        if m[:4] != year:
            year = m[:4]
            yield "year", year
        yield "month", m
    yield "quotes", ""
    if search:
        yield "search", ""
    yield from (("notfound", ""), ("feed", ""), ("robots", ""))
    for name in static:
        yield "static", name
    yield "sitemap", ""


def indexable(kind: str) -> bool:
    return TEMPLATES[kind].endswith(".html") and kind not in ("notfound", "search")


def dependencies(site: Site, config, urls: Urls, static: dict, d: Digests, kind: str, key: str) -> list[str]:
    """Every input page (kind, key) shows, as digests: its fingerprint."""
    if kind == "article":
        # A handful of cards, often of articles not seen yet in a first plan: one by one.
        return [site.articles[key].digest, d.aux(key), *[d.card(x) for x in site.prev_next[key] if x], "|",
                *map(d.card, site.related.get(key, []))]
    if kind == "speaker":
        return [site.speakers[key].digest, *d.auxes(site.by_speaker.get(key, [])), "|",
                *d.cards(site.mentioned_in.get(key, []))]
    if kind == "speaker_feed":
        return [site.speakers[key].digest, *d.cards(site.by_speaker[key][-config.feed_entries:])]
    if kind == "topic":
        return [site.topics[key].digest, *d.auxes(site.by_topic[key])]
    if kind == "topic_feed":
        return [site.topics[key].digest, *d.cards(site.by_topic[key][-config.feed_entries:])]
    if kind == "source":
        return [site.sources[key].digest, *d.cards(site.by_source[key])]
    if kind == "year":
        return d.cards([s for m, slugs in site.by_month.items() if m[:4] == key for s in slugs])
    if kind == "month":
        return d.cards(site.by_month[key])
    if kind == "home":
        return [*d.auxes(latest(site, config.home_articles)), str(len(site.articles)), str(len(site.speakers)),
                str(len(site.topics))]
    if kind == "speakers":
        return [f"{s}:{sp.digest}:{len(site.quotes_by_speaker.get(s, []))}:{len(site.by_speaker.get(s, []))}"
                f":{len(site.mentioned_in.get(s, []))}" for s, sp in site.speakers.items()]
    if kind == "topics":
        return [f"{t}:{tp.digest}:{len(site.by_topic[t])}:{len(site.quotes_by_topic.get(t, []))}"
                for t, tp in site.topics.items()]
    if kind == "sources":
        return [f"{k}:{s.digest}:{len(site.by_source[k])}" for k, s in site.sources.items()]
    if kind == "archive":
        return [f"{m}:{len(v)}" for m, v in site.by_month.items()] + ["|", *d.cards(site.undated)]
    if kind == "quotes":
        return ([site.quote_key(q) for g in site.echo_groups for q in g]
                + d.cards(sorted({q.article for g in site.echo_groups for q in g})))
    if kind == "feed":
        return d.cards(latest(site, config.feed_entries))
    if kind == "static":
        return [static[key]]
    if kind == "sitemap":
        # The set of pages (their keys) and every article's date.
        return [f"{k}\x1e{v}" for k, v in page_keys(site, {}) if indexable(k)] + d.cards(site.chronological)
    if kind == "search":
        return [" ".join(map(str, search_shards(site, config)))]
    return []           # notfound, robots: config and templates only


def plan(site: Site, config, urls: Urls, static: dict[str, str], digests: Digests | None = None,
         only: set[tuple[str, str]] | None = None, with_deps: bool = True) -> list[Page]:
    """Every page of the site with its dependency digest. ``static``: name -> file digest.

    ``only``: plan just these (kind, key) pages, those the site has, sorted; their digests
    are computed exactly as in a full plan, so an incremental build can compare them with
    the last build's. ``with_deps=False``: pages with an empty ``deps``, for a build that
    renders every page and computes the digests later (``page_deps``)."""
    if only is None:
        keys = page_keys(site, static, config.search["enabled"])
    else:
        keys = sorted(k for k in only if exists(site, *k, static))
    deps = page_deps(site, config, urls, static, digests or Digests(site)) if with_deps else lambda kind, key: ""
    return [Page(rel_of(urls, kind, key), TEMPLATES[kind], kind, key, deps(kind, key)) for kind, key in keys]


def page_deps(site: Site, config, urls: Urls, static: dict[str, str], d: Digests) -> Callable[[str, str], str]:
    """``(kind, key) -> `` the page's dependency digest, what ``plan`` puts in ``deps``."""
    return lambda kind, key: _h(dependencies(site, config, urls, static, d, kind, key))


# --- contexts: what each template receives ----------------------------------------------------

def search_shards(site: Site, config) -> list[int]:
    """The search index's shards that hold articles (the search page loads them all)."""
    return [i for i, slugs in shard_members(site.articles, config.search["shard_size"]).items() if slugs]


def key_quote(a: Article) -> Quote | None:
    """The quote a card shows: the first full statement of some length, else the first."""
    for q in a.quotes:
        if not q.partial and len(q.text.split()) >= 6:
            return q
    return a.quotes[0] if a.quotes else None


def echoes_of(site: Site) -> Callable[[Quote], list[Quote]]:
    """The quotes echoing ``q`` from other articles, in group order. A group can hold
    hundreds of quotes; each article's share is cut out by slicing around its positions."""
    memo: dict[tuple[int, str], list[Quote]] = {}
    positions: dict[int, dict[str, list[int]]] = {}

    def others(q: Quote) -> list[Quote]:
        gi = site.echoes.get(site.quote_key(q))
        if gi is None:
            return []
        key = (gi, q.article)
        hit = memo.get(key)
        if hit is None:
            group = site.echo_groups[gi]
            where = positions.get(gi)
            if where is None:
                where = positions[gi] = {}
                for i, o in enumerate(group):
                    where.setdefault(o.article, []).append(i)
            hit, last = [], 0
            for i in where[q.article]:
                hit += group[last:i]
                last = i + 1
            hit += group[last:]
            memo[key] = hit
        return hit
    return others


def echo_id(site: Site) -> Callable[[Quote], str]:
    """Anchor of a quote's group on the repeated-quotes page (groups are numbered from 1)."""
    def anchor(q: Quote) -> str:
        gi = site.echoes.get(site.quote_key(q))
        return f"echo-{gi + 1}" if gi is not None else ""
    return anchor


def article_of(site: Site) -> Callable[[Quote], Article]:
    return lambda q: site.articles[q.article]


def dated_articles(site: Site) -> Callable[[list[Quote]], list[Article]]:
    """The articles of these quotes that have a date, in the quotes' order (a filter)."""
    def dated(quotes) -> list[Article]:
        arts = site.articles
        return [a for a in (arts[q.article] for q in quotes) if a.date]
    return dated


def quote_date(site: Site) -> Callable[[Quote], str]:
    from generator.build.templates import longdate

    def fmt(q: Quote) -> str:
        a = site.articles[q.article]
        return longdate(a.date, False) if a.date else "an undated article"
    return fmt


def newest_first(articles: list[Article]) -> list[Article]:
    """Chronological articles (undated last) turned newest first, undated still last."""
    dated = [a for a in articles if a.date]
    return dated[::-1] + [a for a in articles if not a.date][::-1]


def lede_in_body(a: Article) -> bool:
    """Does the body open with the summary? Compared on the first two paragraphs,
    whitespace and Markdown emphasis ignored."""
    def plain(text: str) -> str:
        return " ".join(text.replace("\\", "").replace("*", "").replace("_", "").split())
    return bool(a.summary) and plain(a.summary) in plain(" ".join(a.body.strip().split("\n\n", 2)[:2]))


def article_body(md, a: Article, speakers: dict, href) -> tuple[str, set[str], bool]:
    """What an article page shows of its body: the HTML, the quotes placed in it, and
    ``lede_in_body``. Rendered ahead for a first build, so the render workers never read
    (and copy into their memory) the Markdown."""
    return (*render_article_body(md, a, speakers, href), lede_in_body(a))


def _page(rel: str, kind: str, title: str = "", description: str = "", **extra) -> dict:
    section = rel.split("/", 1)[0] + "/" if "/" in rel else ""
    page = {"rel": rel, "kind": kind, "title": title, "description": description,
            "section": section if kind != "home" else "", "og_type": "website", "jsonld": None,
            "published": None}
    page.update(extra)
    return page


class Contexts:
    """Builds the template context of a page from the model. One instance per process."""

    def __init__(self, site: Site, config, urls: Urls, md, bodies=None):
        self.site, self.config, self.urls, self.md = site, config, urls, md
        self.bodies = bodies or {}      # .get(slug) -> article_body(...) if rendered ahead
        self._agents: dict[str, dict] = {}

    def __call__(self, page: Page) -> dict:
        return getattr(self, page.kind)(page)

    def arts(self, slugs) -> list[Article]:
        return [self.site.articles[s] for s in slugs]

    def home(self, page):
        slugs = latest(self.site, self.config.home_articles)
        return {"page": _page("", "home", description=self.config.description),
                "articles": self.arts(slugs), "more": len(self.site.articles) > len(slugs)}

    def article(self, page):
        site, a, urls = self.site, self.site.articles[page.key], self.urls
        ahead = self.bodies.get(a.slug)
        body, placed, lede = ahead or article_body(self.md, a, site.speakers, urls.speaker)
        prev, nxt = site.prev_next[a.slug]
        counts = Counter(q.speaker for q in a.quotes)
        published = ((a.date.isoformat(timespec="seconds") if a.has_time else a.date.date().isoformat())
                     if a.date else None)
        return {"page": _page(page.rel, "article", a.title, a.summary, og_type="article",
                              jsonld=LazyJSON(lambda: self._article_ld(a, page.rel, published)), published=published),
                "a": a, "body_html": Markup(body), "lede_in_body": lede, "placed": placed,
                "quote_counts": counts,
                "prev": site.articles[prev] if prev else None, "next": site.articles[nxt] if nxt else None,
                "related": self.arts(site.related.get(a.slug, []))}

    def _article_ld(self, a: Article, rel: str, published: str | None) -> dict:
        site, urls = self.site, self.urls
        ld = {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
            "url": urls.absolute(rel), "mainEntityOfPage": urls.absolute(rel),
            "description": a.summary, "wordCount": a.words, "inLanguage": self.config.language,
        }
        if published:
            ld["datePublished"] = published
        if a.source:
            ld["publisher"] = {"@type": "Organization", "name": a.source}
        if a.dateline:
            ld["locationCreated"] = {"@type": "Place", "name": a.dateline}
        ld["about"] = [{"@type": "Thing", "name": site.topics[t].name, "url": urls.absolute(urls.rel_topic(t))}
                       for t in a.topics]
        ld["mentions"] = [self._agent(s) for s in (*a.speakers, *a.mentions)]
        ld["hasPart"] = [{"@type": "Quotation", "text": q.text, "url": urls.absolute(rel) + "#" + q.id,
                          "spokenByCharacter": self._agent(q.speaker), "creator": self._agent(q.speaker)}
                         for q in a.quotes]
        return ld

    def _agent(self, slug: str) -> dict:
        """A speaker as JSON-LD; the same dict each time (twice per quote on article pages)."""
        agent = self._agents.get(slug)
        if agent is None:
            sp = self.site.speakers[slug]
            agent = self._agents[slug] = {"@type": "Organization" if sp.kind == "organization" else "Person",
                                          "name": sp.name, "url": self.urls.absolute(self.urls.rel_speaker(slug))}
        return agent

    def speakers(self, page):
        site = self.site
        rows = [(sp, len(site.quotes_by_speaker.get(s, [])), len(site.by_speaker.get(s, [])) or
                 len(site.mentioned_in.get(s, []))) for s, sp in site.speakers.items()]
        rows.sort(key=lambda r: (-r[1], r[0].name.casefold(), r[0].slug))
        quoted = [r for r in rows if r[1]]
        mentioned = sorted((r for r in rows if not r[1]), key=lambda r: (r[0].name.casefold(), r[0].slug))
        return {"page": _page(page.rel, "speakers", "Speakers", "Everyone quoted or mentioned in the digest."),
                "groups": [("Quoted", quoted), ("Mentioned only", mentioned)]}

    def speaker(self, page):
        site, s = self.site, page.key
        sp = site.speakers[s]
        quotes = site.quotes_by_speaker.get(s, [])
        groups: dict[str, list[Quote]] = {}
        other = []
        for q in quotes:
            for t in q.topics:
                groups.setdefault(t, []).append(q)
            if not q.topics:
                other.append(q)
        by_topic = sorted(((site.topics[t], qs) for t, qs in groups.items()),
                          key=lambda x: (-len(x[1]), x[0].name.casefold(), x[0].slug))
        desc = f"What {sp.name} said, by topic and over time." + (f" {sp.role}." if sp.role else "")
        return {"page": _page(page.rel, "speaker", sp.name, desc, og_type="profile"),
                "sp": sp, "quotes": quotes, "by_topic": by_topic, "other": other,
                "quoted_in": newest_first(self.arts(site.by_speaker.get(s, []))), "mentioned": self.arts(site.mentioned_in.get(s, [])),
                "feed_rel": page.rel + "feed.xml" if quotes else None}

    def topics(self, page):
        site = self.site
        rows = [(t, len(site.by_topic[k]), len(site.quotes_by_topic.get(k, []))) for k, t in site.topics.items()]
        rows.sort(key=lambda r: (-r[1], r[0].name.casefold()))
        return {"page": _page(page.rel, "topics", "Topics", "What the articles are about."), "topics": rows}

    def topic(self, page):
        site, t = self.site, page.key
        tp = site.topics[t]
        groups: dict[str, list[Quote]] = {}
        for q in site.quotes_by_topic.get(t, []):
            groups.setdefault(q.speaker, []).append(q)
        by_speaker = sorted(((site.speakers[s], qs) for s, qs in groups.items()),
                            key=lambda x: (-len(x[1]), x[0].name.casefold(), x[0].slug))
        return {"page": _page(page.rel, "topic", tp.name, tp.description or f"Articles and quotes on {tp.name}."),
                "t": tp, "articles": self.arts(site.by_topic[t]), "by_speaker": by_speaker,
                "feed_rel": page.rel + "feed.xml"}

    def sources(self, page):
        rows = [(s, len(self.site.by_source[k])) for k, s in self.site.sources.items()]
        return {"page": _page(page.rel, "sources", "Sources", "The outlets the articles come from."), "sources": rows}

    def source(self, page):
        s = self.site.sources[page.key]
        return {"page": _page(page.rel, "source", s.name, f"Articles from {s.name}."), "s": s,
                "articles": self.arts(reversed(self.site.by_source[page.key]))}

    def archive(self, page):
        years: dict[str, list] = {}
        for m, slugs in self.site.by_month.items():
            years.setdefault(m[:4], []).append((m, len(slugs)))
        return {"page": _page(page.rel, "archive", "Archive", "Every article by year and month."),
                "years": sorted(years.items(), reverse=True), "undated": self.arts(self.site.undated)}

    def year(self, page):
        months = [(m, self.arts(s)) for m, s in self.site.by_month.items() if m[:4] == page.key]
        return {"page": _page(page.rel, "archive", page.key, f"Articles from {page.key}."),
                "year": page.key, "months": months}

    def month(self, page):
        from generator.build.templates import monthname
        return {"page": _page(page.rel, "archive", monthname(page.key), f"Articles from {monthname(page.key)}."),
                "month": page.key, "articles": self.arts(self.site.by_month[page.key])}

    def quotes(self, page):
        return {"page": _page(page.rel, "quotes", "Quotes seen in several articles",
                              "Near-identical statements reported more than once."),
                "groups": self.site.echo_groups}

    def search(self, page):
        return {"page": _page(page.rel, "search", "Search", "Search every article and quote."),
                "shards": search_shards(self.site, self.config)}

    def notfound(self, page):
        return {"page": _page(page.rel, "notfound", "Page not found")}

    def robots(self, page):
        return {"page": _page(page.rel, "robots")}

    def _feed(self, page, title: str, slugs: list[str], alternate: str) -> dict:
        entries = list(reversed(self.arts(slugs[-self.config.feed_entries:])))
        dates = [a.date for a in entries if a.date]
        from generator.build.templates import atomdate
        return {"page": _page(page.rel, "feed"), "feed_title": title, "entries": entries,
                "updated": atomdate(max(dates) if dates else None), "alternate": alternate}

    def feed(self, page):
        slugs = list(reversed(latest(self.site, self.config.feed_entries)))
        return self._feed(page, self.config.title, slugs, "")

    def speaker_feed(self, page):
        sp = self.site.speakers[page.key]
        return self._feed(page, f"{sp.name} · {self.config.title}", self.site.by_speaker[page.key],
                          self.urls.rel_speaker(page.key))

    def topic_feed(self, page):
        tp = self.site.topics[page.key]
        return self._feed(page, f"{tp.name} · {self.config.title}", self.site.by_topic[page.key],
                          self.urls.rel_topic(page.key))

    def sitemap(self, page):
        return {"page": _page(page.rel, "sitemap"), "entries": sitemap_entries(self.site, self.urls)}


def sitemap_entries(site: Site, urls: Urls) -> list[tuple[str, str | None]]:
    """(rel, lastmod) of every indexable HTML page; articles carry their date."""
    out = []
    for kind, key in page_keys(site, {}):
        if indexable(kind):
            a = site.articles[key] if kind == "article" else None
            out.append((rel_of(urls, kind, key), a.date.date().isoformat() if a and a.date else None))
    return out
