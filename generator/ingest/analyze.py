"""Who said what in one article: format, speakers, quotations, mentions, topics.

Rule-based: quoted spans (``who.quotes``), mentions (``who.names``), a small
coreference step (``who.coref``) and attribution by speech-verb patterns:
``"…," X said``, ``"…," said X``, ``X said: "…"``, ``X stressed that "…"``,
``according to X``.  A quote without its own attribution continues the
previous speaker's run.  Newly found people are added to the registry.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Sequence

from generator.ingest.registry import Registry
from generator.ingest.topics import Taxonomy
from generator.ingest.who import interview
from generator.ingest.who import lexicon as lx
from generator.ingest.who.coref import Coref, Entity, clean_role
from generator.ingest.who.names import Mention, common_words, mentions, name_mentions
from generator.ingest.who.quotes import Span, find_spans, quote_text
from generator.ingest.who.wordtrie import trie_pattern


@dataclass
class Analysis:
    format: str
    interviewer: str | None
    speakers: list[str]
    quotes: list[dict]
    mentions: list[str]
    topics: list[str]
    topic_terms: dict[str, list[str]] = field(default_factory=dict)


_FILL = "|".join(sorted((re.escape(w) for w in lx.FILLERS), key=len, reverse=True))
_FILLER_GAP = re.compile(rf"\s*(?:(?:{_FILL})\s+)*", re.I)
_COMMA_GAP = re.compile(rf",\s*(?:(?:{_FILL})\s+)*", re.I)
_TITLE_GAP = re.compile(r"\s*(?:[\w’'.&-]+\s+){0,5}?")
_SPOKES_FOR = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+(?:[\w-]+\s+){0,2}?(?:spokesman|spokeswoman|spokesperson|representative|official|source)"
    r"\s+(?:for|of|at|from)\s+(?:the\s+)?(?:(?:[a-z][\w-]*\s+){0,3}?(?P<org>[A-Z][\w&'’.-]*(?:\s+(?:of\s+)?[A-Z][\w&'’.-]*){0,5})"
    r"|(?P<noun>company|firm|ministry|department|government|club|council|group|bank|agency))"
    rf",?\s+(?:(?:{_FILL})\s+)*$")
_PAREN_GAP = re.compile(rf",[^,;“”\"]{{1,110}},\s*(?:(?:{_FILL})\s+)*", re.I)
_BOUNDARY = re.compile(r"[.!?…][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_TRAILING_ATTR = re.compile(r",\s+([^,“”\"]{1,70}?)\s*[.!?]?\s*$")
_DETERMINER_END = re.compile(
    r"\b(?:a|an|the|so-called|so\s+called|its|their|his|her|our|this|these|those|of|for|in|on|with|into|called|dubbed|termed|word|term|phrase)\s*$",
    re.I)
_IT_SAID = re.compile(rf"\bit\s+(?:(?:{_FILL})\s+)*(?={lx.SPEECH_VERB_RE.pattern})", re.I)
_PRONOUN_OR_VERB = re.compile(rf"\s*(?:(?:he|she|it|they|we|i)\b|{lx.SPEECH_VERB_RE.pattern})", re.I)


def fold(text: str) -> str:
    return " ".join(text.split())       # str.split() splits on exactly what \s matches


def quote_id(text: str) -> str:
    key = unicodedata.normalize("NFC", fold(text)).lower()
    key = key.translate(str.maketrans("“”„«»‘’", "\"\"\"\"\"''"))
    return "q-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


def _sentence_starts(text: str, lo: int, hi: int) -> list[int]:
    """Starts of sentences inside ``text[lo:hi]`` (abbreviations and initials skipped)."""
    out = []
    for m in _BOUNDARY.finditer(text, lo, hi):
        word = re.search(r"(\w+)\W*$", text[max(0, m.start() - 12):m.start() + 1])
        w = word.group(1) if word else ""
        if w.lower() in lx.ABBREVIATIONS or re.fullmatch(r"[A-Z]", w):
            continue
        out.append(m.end())
    return out


_RUN = re.compile(r"[A-Z](?<![\w’'-][A-Z])[\w&'-]*(?: (?:&|and|of) )?(?: ?[A-Z][\w&'-]*)*")


_PLACE = re.compile(r"(?:i(?<!\w.)n|a(?<!\w.)t|f(?<!\w.)rom|n(?<!\w.)ear)\s+([A-Z][a-z]+)\b(?!\s+[A-Z])")


_NOT_ORG_START = lx.NOT_PERSON | lx.TITLE_WORDS


@lru_cache(maxsize=16384)
def _run_candidates(run: str) -> tuple[str, ...]:
    """A capitalised run's words and word tails: 'Bank of England' -> Bank, Bank of England, of, …"""
    words = [w for w in run.split() if w.lower() not in lx.STOP_CAPS]
    if not words or words[0].lower() in _NOT_ORG_START or lx.country_of(words[0]):
        return ()
    out = []
    for i in range(len(words)):
        out.append(words[i])
        if len(words) - i > 1:
            out.append(" ".join(words[i:]))
    return tuple(out)


_CAP_WORD = re.compile(r"[A-Z](?<!\w[A-Z])[\w.]*(?:[’']s)?")      # \b[A-Z]…, boundary checked after it


def dominant_country(paragraphs: Sequence[str]) -> str | None:
    """Adjective of the country the article mentions most ('Russian')."""
    counts: Counter = Counter()
    for p in paragraphs:
        if not _COUNTRY_HINT.search(p):
            continue        # no country word in it: nothing to count
        prev = ""
        for m in _CAP_WORD.finditer(p):
            w = m.group()
            adj = _country_pair(prev, w)
            if adj:
                counts[adj] += 1
            prev = w if p[m.end():m.end() + 1] == " " else ""
    return counts.most_common(1)[0][0] if counts else None


# Every word of every country name and adjective: a paragraph without one of
# them anywhere has no country to count.
_COUNTRY_HINT = re.compile(trie_pattern({w for name in [*lx.COUNTRIES, *lx.COUNTRIES.values()]
                                         for w in name.split()}))


@lru_cache(maxsize=32768)
def _country_pair(prev: str, w: str) -> str | None:
    adj = lx.country_of(f"{prev} {w}") if prev else None
    return adj or lx.country_of(w) or lx.country_of(w.rstrip("."))


def _split_trailing_attribution(text: str, span: Span) -> Span:
    """``"…strategic interest, he added.`` with no closing mark: cut at the attribution."""
    if span.closed:
        return span
    m = _TRAILING_ATTR.search(text, span.start, span.end)
    if m and len(m.group(1).split()) <= 8 and lx.SPEECH_VERB_RE.search(m.group(1)) \
            and not re.search(r"[.!?]\s", m.group(1)):
        return Span(span.start, m.start(), span.open, None)
    return span


class _Places:
    """Words the article uses after in/at/from/near: towns, not outlets.
    Found on first use; only a media mention ever asks."""

    def __init__(self, paragraphs: Sequence[str]):
        self._paragraphs = paragraphs
        self._words: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        if self._words is None:
            self._words = set(chain.from_iterable(map(_PLACE.findall, self._paragraphs)))
        return word in self._words


class _Article:
    """State while walking one article's paragraphs."""

    def __init__(self, registry: Registry, paragraphs: Sequence[str]):
        self.coref = Coref(registry)
        self.common = common_words(paragraphs)
        self.country = dominant_country(paragraphs)
        self.quotes: list[tuple[Entity, str, bool]] = []
        self.mentioned: list[Entity] = []
        self.last_speaker: Entity | None = None
        self.learned: list[tuple[Entity, str]] = []
        self.coref.places = _Places(paragraphs)
        self._paragraphs = paragraphs
        self._house: Entity | None | bool = False

    # ---------------------------------------------------------------- mentions
    def resolve(self, text: str, ms: list[Mention]) -> None:
        c = self.coref
        for m in ms:
            e = None
            if m.kind == "name":
                e = c.resolve_name(m)
                if e is not None and m.speaks and e.kind == "person":
                    e.evidence = True
            elif m.kind == "pronoun":
                e = c.pronoun(m.text)
            elif m.kind == "role":
                e = c.resolve_role(m, fallback=False)
            elif m.kind == "org":
                e = c.org(m, self.country)
            elif m.kind == "orgnoun":
                e = c.org_noun(m.text, self.house_org())
            elif m.kind == "acronym":
                e = c.resolve_acronym(m.text)
            m.entity = e
            if e is None:
                continue
            if e.kind == "person" and not e.evidence and len(m.words) < 2:
                continue
            c.note(m, e)
            if m.kind == "name" and e not in self.mentioned:
                self.mentioned.append(e)

    def house_org(self) -> Entity | None:
        """The organisation the article is about: its most repeated non-person name."""
        if self._house is False:
            self._house = None
            # runs never span a newline, so one pass over the joined paragraphs finds them all
            runs = _RUN.findall("\n".join(self._paragraphs))
            self._runs = Counter(chain.from_iterable(map(_run_candidates, runs)))
            people = {w for e in self.coref.entities if e.kind == "person" for w in e.name.split()}
            for name, n in self._runs.most_common(5):
                if n < 3 or name.split()[0] in people:
                    continue
                longer = [r for r in self._runs if r.startswith(name + " ") and r.split()[-1] not in people]
                full = max(longer, key=lambda r: (self._runs[r], len(r))) if longer else name
                self._house = self.coref.org(Mention(0, 0, "org", full), None)
                break
        return self._house

    def _speaker_of(self, text: str, m: Mention) -> Entity | None:
        """The entity an attribution mention stands for, creating it if needed."""
        e = m.entity
        if e is None and m.kind == "role":
            e = self.coref.resolve_role(m, fallback=m.text[:4].lower() == "the ")
            if e is not None:
                self.learned.append((e, clean_role(m.title or m.text)))
        if e is None and m.kind == "name" and (len(m.words) > 1 or m.honorific or m.title):
            e = self.coref._add(Entity(" ".join(m.words), evidence=True))
            m.entity = e
        if e is not None and e.kind == "person":
            e.evidence = True
        return e

    # ---------------------------------------------------------------- attribution
    def _spokesperson_for(self, text: str, pos: int, lo: int) -> Entity | None:
        """``a spokeswoman for the supermarket chain ValuFresh said``: the organisation speaks."""
        m = _SPOKES_FOR.search(text, max(lo, pos - 160), pos)
        if not m:
            return None
        if m.group("org"):
            name = m.group("org")
            e = self.coref.resolve_acronym(name) or self.coref.org(Mention(0, 0, "org", name), None)
            return e
        return self.coref.org_noun(m.group("noun").lower(), self.house_org())

    @staticmethod
    def _subject_before(text: str, ms: list[Mention], pos: int, lo: int) -> Mention | None:
        tried = 0
        for m in reversed(ms):
            if m.end > pos:
                continue
            if m.start < lo or tried >= 4:
                break
            tried += 1
            if m.possessive or (m.kind == "pronoun" and m.text not in ("he", "she")):
                continue
            if _FILLER_GAP.fullmatch(text, m.end, pos):
                return m
            if m.kind == "name" and _COMMA_GAP.fullmatch(text, m.end, pos):
                return m
            if m.kind in ("name", "role") and _PAREN_GAP.fullmatch(text, m.end, pos):
                return m
        return None

    @staticmethod
    def _subject_after(text: str, ms: list[Mention], pos: int, hi: int) -> Mention | None:
        """``said Moorhead police Chief Tom Brandvold``: the first known or full name after the verb."""
        for m in ms:
            if m.start < pos:
                continue
            if m.start >= hi or not _TITLE_GAP.fullmatch(text, pos, m.start) or m.possessive:
                return None
            if m.kind == "pronoun" and m.text not in ("he", "she"):
                return None
            if m.entity is not None or m.kind in ("role", "org") or len(m.words) > 1:
                return m
        return None

    def _org_pronoun(self, text: str, lo: int, hi: int) -> Entity | None:
        if _IT_SAID.search(text, lo, hi) and self.coref.recent_orgs:
            return self.coref.recent_orgs[-1]
        return None

    def post_attribution(self, text: str, ms, span: Span, hi: int) -> Entity | None:
        """``"…," X said`` / ``"…," said X`` right after the quote."""
        q = text[span.start:span.end].rstrip()
        after = span.after
        post = text[after:hi]
        punct = bool(re.search(r"[,?!—–…-]$", q)) or not span.closed or post[:1] == ","
        if not (punct or _PRONOUN_OR_VERB.match(post)):
            return None
        stops = _sentence_starts(text, after, hi)
        clause_end = min(stops[0] if stops else hi, after + 160)
        v = lx.SPEECH_VERB_RE.search(text, after, clause_end)
        if not v or len(text[after:v.start()].split()) > (7 if punct else 3):
            return None
        if v.group().lower() == "according to":
            m = self._subject_after(text, ms, v.end(), clause_end)
            return self._speaker_of(text, m) if m else None
        org = self._spokesperson_for(text, v.start(), after)
        if org is not None:
            return org
        m = self._subject_before(text, ms, v.start(), after)
        if m is None:
            m = self._subject_after(text, ms, v.end(), clause_end)
        if m is not None:
            return self._speaker_of(text, m)
        return self._org_pronoun(text, after, v.end())

    @staticmethod
    def _last_verb_end(text: str, lo: int, hi: int) -> int:
        verbs = list(lx.SPEECH_VERB_RE.finditer(text, lo, hi))
        return verbs[-1].end() if verbs else lo

    def pre_attribution(self, text: str, ms, span: Span, lo: int, para_quotes) -> tuple[Entity | None, bool]:
        """``X said: "…"`` / ``X stressed that "…"`` / ``according to X, "…"``.

        Returns the speaker and whether a speech verb governs the quote."""
        verbs = list(lx.SPEECH_VERB_RE.finditer(text, lo, span.open))
        if not verbs:
            return None, False
        v = verbs[-1]
        if v.group().lower() == "according to":
            m = self._subject_after(text, ms, v.end(), span.open)
            return (self._speaker_of(text, m) if m else None), True
        org = self._spokesperson_for(text, v.start(), lo)
        if org is not None:
            return org, True
        m = self._subject_before(text, ms, v.start(), lo)
        if m is not None:
            return self._speaker_of(text, m), True
        e = self._org_pronoun(text, lo, v.end())
        if e is not None:
            return e, True
        before = text[lo:v.start()].strip().lower()
        if (not before or before in ("and", ",", "but", "also") or before.endswith(" and")) and para_quotes:
            return para_quotes[-1][0], True
        # the sentence's subject: "He has also mentioned …, adding … that “…”"
        for m in ms:
            if lo <= m.start < v.start() and m.subject and m.kind in ("name", "pronoun", "role", "org"):
                e = m.entity if m.kind != "role" else self._speaker_of(text, m)
                if e is not None:
                    return e, True
        return None, True

    def paragraph(self, text: str, lo: int = 0, run_start: bool = False) -> None:
        spans = [_split_trailing_attribution(text, s) for s in find_spans(text[lo:]) if True]
        spans = [Span(s.start + lo, s.end + lo, s.open + lo, None if s.close is None else s.close + lo)
                 for s in spans]
        ms: list[Mention] = []
        prev = lo
        for s in spans:
            ms += mentions(text, prev, s.open, self.common)
            prev = s.after
        ms += mentions(text, prev, len(text), self.common)
        self.resolve(text, ms)
        para_quotes: list[tuple[Entity, str, bool]] = []
        for k, s in enumerate(spans):
            words = quote_text(text, s)
            if not words:
                continue
            lo_k = spans[k - 1].after if k else lo
            hi_k = spans[k + 1].open if k + 1 < len(spans) else len(text)
            starts = _sentence_starts(text, lo_k, s.open)
            clause_lo = starts[-1] if starts else lo_k
            speaker = post_speaker = self.post_attribution(text, ms, s, hi_k)
            governed = speaker is not None
            if speaker is None:
                speaker, governed = self.pre_attribution(text, ms, s, clause_lo, para_quotes)
            if speaker is None and governed and para_quotes:
                speaker = para_quotes[-1][0]     # "…, adding that …", "and called it …"
            n_words = len(words.split())
            pre_text = text[clause_lo:s.open]
            labelled = bool(_DETERMINER_END.search(pre_text)) and not re.search(r"\bas\s*$", pre_text)
            far = not post_speaker and len(text[self._last_verb_end(text, clause_lo, s.open):s.open].split()) > 8
            if (n_words <= 3 and (not governed or speaker is None or labelled or far)) or (n_words <= 5 and labelled):
                continue        # scare quotes and labels: "reset", the "flood of the century"
            if speaker is None:
                if para_quotes:
                    speaker = para_quotes[-1][0]
                elif k == 0 and not text[lo:s.open].strip() and self.last_speaker is not None and run_start:
                    speaker = self.last_speaker
            if speaker is None:
                continue
            stripped = pre_text.strip()
            partial = words[:1].islower() or (
                bool(stripped) and not stripped.endswith((":", ",", "that")) and not words.endswith((".", "!", "?")))
            para_quotes.append((speaker, words, partial))
        for q in para_quotes:
            q[0].quoted = True
        self.quotes.extend(para_quotes)
        if para_quotes:
            self.last_speaker = para_quotes[-1][0]
            last_span_end = spans[-1].after
            later = [m for m in ms if m.start > last_span_end and m.kind == "name" and m.subject
                     and m.entity is not None and m.entity is not self.last_speaker]
            if not later and self.last_speaker.kind == "person":
                self.coref.note(Mention(0, 0, "name", ""), self.last_speaker)
        self.run_open = bool(spans) and not spans[-1].closed


def _label_entity(art: _Article, label: str, paragraphs: Sequence[str]) -> Entity | None:
    if interview.is_anonymous_answer(label):
        people = [e for e in art.coref.entities if e.kind == "person" and len(e.name.split()) > 1]
        if people:
            people[0].evidence = True
            return people[0]
        return None
    ms = name_mentions(label, 0, len(label), set())
    if not ms:
        return None
    e = art.coref.resolve_name(ms[-1])
    if e is not None:
        e.evidence = True
        art.coref.note(ms[-1], e)
    return e


def _register(registry: Registry, e: Entity, extra_forms=()) -> str:
    forms = list(e.forms) + list(extra_forms)
    if e.kind == "person" and len(e.name.split()) > 1:
        forms.insert(0, e.surname)
    if e.slug is None:
        e.slug = registry.lookup(e.name, e.kind)
    if e.slug is None:
        e.slug = registry.add(e.name, kind=e.kind, role=e.role or None)
    for f in dict.fromkeys(forms):
        if f and f[0].isupper() or f.split()[0:1] and f.split()[0].lower() in lx.ROLE_MODIFIERS:
            registry.learn_alias(e.slug, f)
    return e.slug


def analyze(title: str, paragraphs: Sequence[str], registry: Registry, taxonomy: Taxonomy, *,
            source: str | None = None) -> Analysis:
    head = fold(title or "")
    paras = [p for p in paragraphs if fold(p) != head]
    art = _Article(registry, paras)
    found = interview.detect(paras)
    turns, interviewer = found if found else ([None] * len(paras), None)
    art.run_open = False
    for p, turn in zip(paras, turns):
        if turn is None:
            art.paragraph(p, 0, run_start=art.run_open or bool(p[:1] in "“\"‘'"))
        elif turn.question:
            art.paragraph(p, turn.offset)
        else:
            e = _label_entity(art, turn.label, paras)
            if e is not None:
                e.quoted = True
                art.quotes.append((e, turn.text.strip(), False))
                art.last_speaker = e

    extra: dict[int, list[str]] = {}
    for e, form in art.learned:
        extra.setdefault(id(e), []).append(form)
    quotes, seen_ids, speakers = [], Counter(), []
    for e, text, partial in art.quotes:
        slug = _register(registry, e, extra.get(id(e), ()))
        if slug not in speakers:
            speakers.append(slug)
        qid = quote_id(text)
        seen_ids[qid] += 1
        if seen_ids[qid] > 1:
            qid = f"{qid}-{seen_ids[qid]}"
        quotes.append({"id": qid, "speaker": slug, "text": text, "partial": partial})
    mention_slugs = []
    for e in art.mentioned:
        if e.kind != "person" or not e.evidence or e.quoted:
            continue
        slug = _register(registry, e, extra.get(id(e), ()))
        if slug not in speakers and slug not in mention_slugs:
            mention_slugs.append(slug)
    terms = taxonomy.assign(title or "", paras)
    return Analysis(format="interview" if found else "report", interviewer=interviewer,
                    speakers=speakers, quotes=quotes, mentions=mention_slugs,
                    topics=list(terms), topic_terms=terms)
