"""Plain data records of the content model. Built once per load, never mutated."""
from __future__ import annotations

import dataclasses
import marshal
import operator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


def _pickled_by_fields(cls):
    """Pickle a frozen slotted record as its constructor call. The dataclass default
    (``__getstate__``/``__setstate__`` in Python, calling ``fields()`` per object) made
    pickling the 10,000 articles and their quotes take twice as long: workers send the
    loaded articles back pickled, and the parse cache is a pickle."""
    values = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))

    def __reduce__(self):
        return cls, values(self)
    cls.__reduce__ = __reduce__
    return cls


def _article(slug: str, path: str, *rest) -> Article:
    """Unpickle an Article whose path was pickled as a string (see ``Article.__reduce__``)."""
    return Article(slug, Path(path), *rest)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Speaker:
    slug: str
    name: str
    role: str = ""
    aliases: tuple[str, ...] = ()
    kind: str = "person"          # person | organization
    description: str = ""
    digest: str = ""              # hash of the registry entry, for page fingerprints


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Topic:
    slug: str
    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    digest: str = ""


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Source:
    slug: str
    name: str
    url: str = ""
    digest: str = ""


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    speaker: str                  # speaker slug
    text: str
    partial: bool
    article: str                  # article slug
    position: int                 # order within the article
    topics: tuple[str, ...] = ()  # topics this statement is about (see model.quotes)
    role: str = ""                # the speaker's role as this article gives it ("President")


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    path: Path
    title: str
    date: datetime | None         # naive; date-only dates have time 00:00
    has_time: bool
    date_note: str | None
    source: str                   # canonical outlet name ("" when unknown)
    source_slug: str
    dateline: str | None
    format: str                   # report | interview
    interviewer: str | None
    summary: str
    words: int
    speakers: tuple[str, ...]
    quotes: tuple[Quote, ...]
    mentions: tuple[str, ...]
    topics: tuple[str, ...]
    topic_terms: dict[str, tuple[str, ...]]
    body: str                     # Markdown
    body_line: int                # line of the file where the body starts
    digest: str                   # hash of the file bytes
    unattributed: tuple[Quote, ...] = ()    # quotations whose speaker nobody could tell (speaker: null)

    def __reduce__(self):
        # The path as a string: unpickling a PosixPath re-parses it through the pickled
        # parts, 14 µs an article against 2 µs for Path(str), in the main process's
        # share of every cold load (10,000 articles come back from the loading workers).
        slug, path, *rest = _article_fields(self)
        return _article, (slug, str(path), *rest)

    @property
    def month(self) -> str | None:
        return self.date.isoformat()[:7] if self.date else None       # isoformat: 4-digit years, 10x strftime

    @property
    def sort_key(self) -> tuple:
        # Chronological; undated articles last, ties broken by slug so order is total.
        return (self.date is None, self.date or datetime.min, self.slug)


_article_fields = operator.attrgetter(*(f.name for f in dataclasses.fields(Article)))
_quote_fields = operator.attrgetter(*(f.name for f in dataclasses.fields(Quote)))


def canonical_bytes(values: tuple) -> bytes:
    """Bytes equal exactly when ``values`` (str, int, bool, None, datetime and tuples of
    them) are: what digests of model fields hash. marshal's version 0 writes no
    back-references, so equal values write the same bytes however their objects are
    shared or interned; a third of the time of ``repr``. A datetime goes in as its ISO
    text. The bytes may differ between Python versions: a build state from another
    version then matches nothing, and its pages are rendered again once."""
    return marshal.dumps(tuple(v.isoformat() if v.__class__ is datetime else v for v in values), 0)


def quote_values(quotes: tuple[Quote, ...]) -> tuple[tuple, ...]:
    """Each quote as the tuple of its fields: equal exactly when the quotes are, and its
    ``repr`` (digests of what pages show) is made in C, five times faster than the
    dataclass ``__repr__`` of 46,000 quotes."""
    return tuple(map(_quote_fields, quotes))


@dataclass(slots=True)
class Site:
    """Everything the builder needs: registries, articles and precomputed indexes."""
    articles: dict[str, Article]                 # slug -> article
    speakers: dict[str, Speaker]                 # only those referenced by an article
    topics: dict[str, Topic]                     # only those referenced by an article
    sources: dict[str, Source]                   # source slug -> source
    chronological: list[str] = field(default_factory=list)        # article slugs, oldest first
    by_speaker: dict[str, list[str]] = field(default_factory=dict)   # quoted in, chronological
    mentioned_in: dict[str, list[str]] = field(default_factory=dict)
    by_topic: dict[str, list[str]] = field(default_factory=dict)
    by_source: dict[str, list[str]] = field(default_factory=dict)
    by_month: dict[str, list[str]] = field(default_factory=dict)     # "YYYY-MM" -> slugs
    undated: list[str] = field(default_factory=list)
    quotes_by_speaker: dict[str, list[Quote]] = field(default_factory=dict)  # chronological
    quotes_by_topic: dict[str, list[Quote]] = field(default_factory=dict)
    quote_index: dict[str, Quote] = field(default_factory=dict)      # "slug#q-id" -> quote
    prev_next: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    related: dict[str, list[str]] = field(default_factory=dict)
    echo_groups: list[list[Quote]] = field(default_factory=list)     # near-duplicate quotes
    echoes: dict[str, int] = field(default_factory=dict)             # quote key -> group index
    warnings: list[str] = field(default_factory=list)

    def quote_key(self, q: Quote) -> str:
        return f"{q.article}#{q.id}"
