"""One article file: parse (cacheable) then validate against the registries (cheap)."""
from __future__ import annotations

import functools
import hashlib
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from generator import frontmatter
from generator.errors import ContentError
from generator.model.registry import SLUG
from generator.model.types import Article, Quote, Speaker, Topic
from generator.yamlutil import key_lines, line_of

QUOTE_ID = re.compile(r"^q-[0-9a-f]{8}(?:-\d+)?$")
FORMATS = ("report", "interview")


def digest_bytes(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def parse_file(path: Path, data: bytes) -> tuple[dict[str, Any], str, int]:
    """Front matter, body and body line; raises ContentError on broken YAML."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ContentError("the file is not valid UTF-8", path, line, "re-save it as UTF-8") from None
    return frontmatter.parse(text, path)


def front_matter_lines(path: Path) -> dict[str, int]:
    """Key -> file line for the front matter of ``path`` (front matter starts on line 2)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    head, sep, rest = text.lstrip("\ufeff").partition("\n")
    end = re.search(r"^---[ \t]*\r?$", rest, re.M)
    return key_lines(rest[:end.start()] if end else rest, first_line=2)


def parse_date(value: Any) -> tuple[datetime | None, bool]:
    """``'2009-09-18T16:49'`` -> (datetime, has_time); raises ValueError when unreadable."""
    if value is None or value == "":
        return None, False
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), True
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), False
    if not isinstance(value, str):
        raise ValueError(f"{value!r}")
    text = value.strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$", text):
        raise ValueError(text)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=None), len(text) > 10


def _ws(text: str) -> str:
    return " ".join(text.split())


def topic_needles(topics: tuple[str, ...], terms: dict[str, tuple[str, ...]],
                  registry: dict[str, Topic]) -> list[tuple[str, tuple[str, ...]]]:
    """Each topic with the casefolded terms that put a statement under it: the article's own
    trigger terms, the topic's keywords and its name."""
    return [(t, _needles(terms.get(t, ()), registry[t].keywords, registry[t].name)) for t in topics]


@functools.lru_cache(maxsize=4096)
def _needles(terms: tuple[str, ...], keywords: tuple[str, ...], name: str) -> tuple[str, ...]:
    """A topic's casefolded terms, less any that holds another ("missile defense talks"
    holds "missile defense"): where the longer one occurs so does the shorter, so asking
    whether any occurs gives the same answer with fewer searches of each quote."""
    words = sorted({term.casefold() for term in (*terms, *keywords, name) if term}, key=lambda w: (len(w), w))
    kept: list[str] = []
    for word in words:
        if not any(shorter in word for shorter in kept):
            kept.append(word)
    return tuple(kept)


def quote_topics(text: str, topics: tuple[str, ...], terms: dict[str, tuple[str, ...]],
                 registry: dict[str, Topic], needles: list | None = None) -> tuple[str, ...]:
    """Topics a statement is about: those whose terms occur in it, else the article's lead topic.
    ``needles``: ``topic_needles(topics, terms, registry)``, computed once per article."""
    folded = text.casefold()
    hits = []
    for t, words in needles or topic_needles(topics, terms, registry):
        for word in words:      # plain loops: a third faster than any(map(...)) per topic
            if word in folded:
                hits.append(t)
                break
    return tuple(hits) if hits else topics[:1]


class _Checker:
    """Collects the errors of one file, each with the line of the offending key."""

    def __init__(self, path: Path, errors: list[ContentError]):
        self.path, self.errors, self._lines = path, errors, None

    def line(self, *keys: str) -> int | None:
        if self._lines is None:
            self._lines = front_matter_lines(self.path)
        return line_of(self._lines, *keys) or 1

    def error(self, key: str, message: str, hint: str) -> None:
        self.errors.append(ContentError(message, self.path, self.line(key), hint))


def _slug_list(meta: dict, key: str, chk: _Checker) -> tuple[str, ...]:
    value = meta.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        chk.error(key, f"{key} must be a list of slugs", f"write e.g. {key}: [jane-doe]")
        return ()
    out = []
    for i, v in enumerate(value):
        if not isinstance(v, str) or not v.strip():
            chk.error(f"{key}[{i}]", f"{key}[{i}] must be a slug, not {v!r}", "remove it or write a slug")
            continue
        if v not in out:
            out.append(v)
    return tuple(out)


def _check_known(slugs: tuple[str, ...], key: str, known: dict, chk: _Checker, registry_file: str) -> tuple[str, ...]:
    import difflib

    ok = []
    for i, slug in enumerate(slugs):
        if slug in known:
            ok.append(slug)
            continue
        near = difflib.get_close_matches(slug, list(known), n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        chk.error(f"{key}[{i}]", f"unknown {key.rstrip('s')} slug {slug!r} in {key}",
                  f"{hint}add it to content/{registry_file} or fix the slug")
    return tuple(ok)


def validate(path: Path, meta: dict[str, Any], body: str, body_line: int, digest: str,
             speakers: dict[str, Speaker], topics: dict[str, Topic],
             resolve_source: Callable[[str], str], slugify: Callable[[str], str],
             errors: list[ContentError]) -> Article | None:
    """An Article, or None with the reasons appended to ``errors`` (all of them, not just the first)."""
    before = len(errors)
    chk = _Checker(path, errors)

    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        chk.error("title", "the article has no title", "add a line `title: \"…\"` to the front matter")
        title = ""
    slug = meta.get("slug") or path.stem
    if not isinstance(slug, str) or not SLUG.match(slug):
        chk.error("slug", f"slug {slug!r} may only hold a-z, 0-9 and single hyphens",
                  "write it like my-article-title")
    try:
        when, has_time = parse_date(meta.get("date"))
    except (ValueError, TypeError):
        when, has_time = None, False
        chk.error("date", f"bad date {meta.get('date')!r}",
                  "write an ISO 8601 date in quotes, e.g. '2011-12-06' or '2009-09-18T16:49', or null")
    fmt = meta.get("format") or "report"
    if fmt not in FORMATS:
        chk.error("format", f"format must be report or interview, not {fmt!r}", "use format: report")
    words = meta.get("words")
    if words is None:
        words = len(body.split())
    elif not isinstance(words, int) or isinstance(words, bool):
        chk.error("words", f"words must be a whole number, not {words!r}", "write e.g. words: 812")
        words = 0

    spk = _check_known(_slug_list(meta, "speakers", chk), "speakers", speakers, chk, "speakers.yaml")
    mentions = _check_known(_slug_list(meta, "mentions", chk), "mentions", speakers, chk, "speakers.yaml")
    tps = _check_known(_slug_list(meta, "topics", chk), "topics", topics, chk, "topics.yaml")

    terms_raw = meta.get("topic_terms") or {}
    terms: dict[str, tuple[str, ...]] = {}
    if isinstance(terms_raw, dict):
        for k, v in terms_raw.items():
            if isinstance(v, list):
                terms[str(k)] = tuple(str(x) for x in v if isinstance(x, str))

    quotes: list[Quote] = []
    unattributed: list[Quote] = []
    raw_quotes = meta.get("quotes") or []
    if not isinstance(raw_quotes, list):
        chk.error("quotes", "quotes must be a list", "write each quote as `- {id: q-…, speaker: …, text: …}`")
        raw_quotes = []
    seen_ids: set[str] = set()
    needles = topic_needles(tps, terms, topics)
    owner = slug if isinstance(slug, str) else ""
    for i, q in enumerate(raw_quotes):
        if not isinstance(q, dict):
            key = f"quotes[{i}]"
            chk.error(key, f"{key} must be a mapping", "write `- {id: q-…, speaker: …, text: …}`")
            continue
        qid, who, text = q.get("id"), q.get("speaker"), q.get("text")
        if not isinstance(qid, str) or not QUOTE_ID.match(qid):
            chk.error(f"quotes[{i}].id", f"quotes[{i}] has a bad id {qid!r}",
                      "quote ids are q- and 8 hex digits, e.g. q-1a2b3c4d")
            continue
        if qid in seen_ids:
            chk.error(f"quotes[{i}].id", f"duplicate quote id {qid!r}", "give the second one a -2 suffix")
            continue
        seen_ids.add(qid)
        if not isinstance(text, str) or not text.strip():
            chk.error(f"quotes[{i}].text", f"quote {qid} has no text", "add `text: \"…\"`")
            continue
        if who is None:
            unattributed.append(Quote(qid, "", _ws(text), bool(q.get("partial")), owner, -1 - len(unattributed)))
            continue
        if who not in speakers:
            import difflib
            near = difflib.get_close_matches(str(who), list(speakers), n=1)
            chk.error(f"quotes[{i}].speaker", f"unknown speaker slug {who!r} in quote {qid}",
                      (f"did you mean {near[0]!r}? " if near else "")
                      + "add it to content/speakers.yaml or fix the slug")
            continue
        role = q.get("role")
        quotes.append(Quote(qid, who, _ws(text), bool(q.get("partial")), owner, len(quotes),
                            quote_topics(text, tps, terms, topics, needles),
                            _ws(role) if isinstance(role, str) else ""))
    # A quoted speaker is a speaker even if the list forgot them.
    spk = spk + tuple(dict.fromkeys(q.speaker for q in quotes if q.speaker not in spk))

    if len(errors) > before:
        return None
    raw_source = meta.get("source")
    source = resolve_source(str(raw_source)) if raw_source else ""
    return Article(
        slug=slug, path=path, title=_ws(title), date=when, has_time=has_time,
        date_note=(str(meta["date_note"]) if meta.get("date_note") else None),
        source=source, source_slug=slugify(source) if source else "",
        dateline=(str(meta["dateline"]) if meta.get("dateline") else None),
        format=fmt, interviewer=(str(meta["interviewer"]) if meta.get("interviewer") else None),
        summary=_ws(str(meta.get("summary") or "")), words=words, speakers=spk, quotes=tuple(quotes),
        mentions=tuple(m for m in mentions if m not in spk), topics=tps, topic_terms=terms,
        body=body, body_line=body_line, digest=digest, unattributed=tuple(unattributed),
    )
