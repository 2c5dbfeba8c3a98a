"""``content/topics.yaml``: topic slug -> {name, description, keywords}.

A topic is assigned when one of its keywords occurs in the title or body;
the matching keywords are recorded so an editor can see why.  Keywords match
whole words, case-insensitively, with hyphens and spaces interchangeable and
an optional plural; a keyword written in capitals ("START") matches only in
capitals.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import ContentError
from generator.yamlutil import syntax_error
from generator.ingest.who.wordtrie import trie_pattern

DEFAULT = Path(__file__).resolve().parent.parent / "defaults" / "topics.yaml"


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str
    keywords: tuple[str, ...]


def _pattern(keyword: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s-]+", keyword.strip()) if p]
    body = r"[\s-]+".join(parts)
    return body


_PLAIN = re.compile(r"[^\s-]+(?:[\s-][^\s-]+)*")


def _keyword_regex(keywords: list[str]) -> re.Pattern:
    """Any keyword as a whole word, optionally plural, as group 1.

    The pattern consumes the character before the keyword (search in "\\n" +
    text): ``re`` then only tries word starts, where ``(?<![\\w-])`` before
    the keyword would make it try every letter.  A match never consumes the
    character after it, so consecutive matches are found as before."""
    return re.compile(r"[^\w-](" + _alternation(keywords) + r"(?:s|es)?)(?!\w)")


def _alternation(keywords: list[str]) -> str:
    """All keywords as one prefix tree: one pass over the text.

    Same matches as the longest-first list of ``_list_alternation`` when every
    keyword is words joined by single spaces or hyphens (then a keyword that
    extends another is also the longer one); otherwise that list is used."""
    if not all(_PLAIN.fullmatch(k) for k in keywords):
        return _list_alternation(keywords)
    return trie_pattern(keywords, space=r"[\s-]+", is_space=lambda ch: ch.isspace() or ch == "-")


def _list_alternation(keywords: list[str]) -> str:
    by_len = sorted(keywords, key=len, reverse=True)
    return r"(?:" + "|".join(_pattern(k) for k in by_len) + r")"


class Taxonomy:
    def __init__(self, topics: list[Topic]):
        self.topics = topics
        self._owners: dict[str, list[tuple[str, str]]] = {}
        folded, exact = [], []
        for t in topics:
            for kw in t.keywords:
                sensitive = sum(c.isupper() for c in kw) >= 2 and kw.upper() == kw
                key = kw if sensitive else kw.lower()
                key = re.sub(r"[\s-]+", " ", key)
                if key not in self._owners:
                    (exact if sensitive else folded).append(kw)
                self._owners.setdefault(key, []).append((t.slug, kw))
        self._folded = _keyword_regex([k.lower() for k in folded]) if folded else None
        self._exact = _keyword_regex(exact) if exact else None
        self._keys: dict[str, str] = {}

    @classmethod
    def load(cls, path: Path) -> "Taxonomy":
        path = Path(path)
        if not path.exists():
            path = DEFAULT
        text = path.read_text(encoding="utf-8")
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise syntax_error(exc, path, hint=None) from None
        if not isinstance(data, dict):
            raise ContentError("expected a mapping of topic slug -> {name, keywords}", path, 1)
        topics = []
        for slug, v in data.items():
            v = v or {}
            if not isinstance(v, dict):
                raise ContentError(f"topic '{slug}' must be a mapping with name and keywords", path,
                                   _line_of(text, slug))
            kws = v.get("keywords") or []
            if isinstance(kws, str):
                kws = [kws]
            kws = [str(k) for k in kws if str(k).strip()]
            name = str(v.get("name") or slug)
            topics.append(Topic(str(slug), name, str(v.get("description") or ""),
                                tuple(kws or [name])))
        return cls(topics)

    def _key(self, matched: str) -> str:
        key = self._keys.get(matched)
        if key is None:
            key = self._keys[matched] = self._find_key(matched)
        return key

    def _find_key(self, matched: str) -> str:
        base = re.sub(r"[\s-]+", " ", matched)
        for cand in (base, base.lower()):
            for k in (cand, re.sub(r"(?:es|s)$", "", cand), re.sub(r"s$", "", cand)):
                if k in self._owners:
                    return k
        return base.lower()

    def assign(self, title: str, paragraphs) -> dict[str, list[str]]:
        """Topic slug -> the keywords that triggered it, topics in taxonomy order."""
        # a newline first: a non-word character before the first keyword (see _keyword_regex)
        text = "\n".join(["", title or "", *paragraphs])
        hits: dict[str, list[str]] = {}
        for rx, subject in ((self._folded, text.lower()), (self._exact, text)):
            if rx is None:
                continue
            for m in rx.finditer(subject):
                for slug, kw in self._owners.get(self._key(m.group(1)), []):
                    terms = hits.setdefault(slug, [])
                    if kw not in terms:
                        terms.append(kw)
        return {t.slug: hits[t.slug] for t in self.topics if t.slug in hits}


def _line_of(text: str, key) -> int | None:
    m = re.search(rf"^{re.escape(str(key))}\s*:", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else None
