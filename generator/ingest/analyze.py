"""Who said what in one article: format, speakers, quotations, mentions, topics.

Rule-based: quoted spans (``who.quotes``), mentions (``who.names``), a small
coreference step (``who.coref``) and attribution by speech-verb patterns:
``"…," X said``, ``"…," said X``, ``X, <role>, said``, ``X said: "…"``,
``X stressed that "…"``, ``according to X``, a panel line ``X, Outlet: "…"``.
A quotation the text gives nobody keeps speaker None, except where one
statement goes on: after ``he said.`` in the same paragraph, in the paragraph
after an open quotation, or after ``X said:``.

``analyze_local`` reads the article alone; ``who.identify`` then matches its
people with the registry (over all articles at once, in ingest).  With
DIGEST_HOW=1 in the environment each quotation also records the rule that
attributed it (``how``), for measuring rules against an annotated corpus.
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Sequence

from generator.ingest.registry import Registry
from generator.ingest.topics import Taxonomy
from generator.ingest.who import identify, interview
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
_PANEL = re.compile(r"[^:;“”\"]{3,90}:\s*")
_PAREN_GAP = re.compile(rf",[^;“”\"]{{1,160}}?,\s*(?:(?:{_FILL})\s+)*", re.I)
_BOUNDARY = re.compile(r"[.!?…][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_TRAILING_ATTR = re.compile(r",\s+([^,“”\"]{1,70}?)\s*[.!?]?\s*$")
_DETERMINER_END = re.compile(
    r"\b(?:a|an|the|so-called|so\s+called|its|their|his|her|our|this|these|those|of|for|in|on|with|into|called|dubbed|termed|word|term|phrase)\s*$",
    re.I)
_IT_SAID = re.compile(rf"\bit\s+(?:(?:{_FILL})\s+)*(?={lx.SPEECH_VERB_RE.pattern})", re.I)
_PRONOUN_OR_VERB = re.compile(rf"\s*(?:(?:he|she|it|they|we|i)\b|{lx.SPEECH_VERB_RE.pattern})", re.I)


def _is_title(words: str) -> bool:
    """'Priced Out: The New Geography of London': a book, film or show, not a statement."""
    long = [w for w in words.split() if len(w) > 3 and w[0].isalpha()]
    return len(long) >= 2 and not words.rstrip()[-1:] in ".!?,;" \
        and sum(w[0].isupper() for w in long) >= 0.75 * len(long)


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

    def __init__(self, paragraphs: Sequence[str]):
        self.coref = Coref()
        self.common = common_words(paragraphs)
        self.country = dominant_country(paragraphs)
        self.quotes: list[tuple[Entity, str, bool]] = []
        self.mentioned: list[Entity] = []
        self.run_open = False      # the last paragraph left a quotation open
        self.learned: list[tuple[Entity, str]] = []
        self.coref.places = _Places(paragraphs)
        self._paragraphs = paragraphs
        self._house: Entity | None | bool = False
        self.hows: list[str] = []
        self.carry: Entity | None = None
        self._how = ''

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
        self._how = "-" + m.kind
        if e is None and m.kind == "role":
            e = self.coref.resolve_role(m, fallback=m.text[:4].lower() == "the ")
            if e is not None:
                self.learned.append((e, clean_role(m.title or m.text)))
        if e is None and m.kind == "name":
            # the subject of a speech verb is a person, even a surname seen nowhere else
            e = self.coref._add(Entity(" ".join(m.words), evidence=True))
            m.entity = e
        if e is None and m.kind == "role" and m.text[:4].lower() == "the ":
            # "the former Norwegian premier said" with nobody in the article to answer to:
            # the registry may know the phrase (``who.identify``)
            e = Entity(clean_role(m.title or m.text), kind="role")
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
            if m.entity is not None or m.kind in ("role", "org") or len(m.words) > 1 \
                    or m.kind == "name" and not text[pos:m.start].strip():
                return m        # "said Skelly": right after the verb, a surname is enough
        return None

    def _org_pronoun(self, text: str, lo: int, hi: int) -> Entity | None:
        if _IT_SAID.search(text, lo, hi) and self.coref.recent_orgs:
            self._how = "-it"
            return self.coref.recent_orgs[-1]
        return None

    def post_attribution(self, text: str, ms, span: Span, hi: int) -> Entity | None:
        """``"…," X said`` / ``"…," said X`` right after the quote."""
        q = text[span.start:span.end].rstrip()
        after = span.after
        post = text[after:hi]
        punct = bool(re.search(r"[,?!—–…-]$", q)) or not span.closed or post[:1] == ","
        # "…." Trump said. — a name straight after the closing mark, then its verb
        named = next((m for m in ms if m.start >= after and m.kind in ("name", "role", "org")), None)
        named = named if named is not None and not text[after:named.start].strip(" ,—–-") else None
        if not (punct or named or _PRONOUN_OR_VERB.match(post)):
            return None
        stops = _sentence_starts(text, after, hi)
        clause_end = min(stops[0] if stops else hi, after + 220)
        v = lx.SPEECH_VERB_RE.search(text, after, clause_end)
        # "…," David Axelrod, the chief strategist of the 2008 campaign, said: an apposition may be long
        limit = 7 if punct else 3
        if named is not None and _PAREN_GAP.fullmatch(text, named.end, v.start() if v else named.end):
            limit = 30
        if not v or len(text[after:v.start()].split()) > limit:
            return None
        if v.group().lower() == "according to":
            m = self._subject_after(text, ms, v.end(), clause_end)
            return self._speaker_of(text, m) if m else None
        org = self._spokesperson_for(text, v.start(), after)
        if org is not None:
            self._how = "-spokes"
            return org
        m = self._subject_before(text, ms, v.start(), after)
        if m is None:
            m = self._subject_after(text, ms, v.end(), clause_end)
        if m is not None:
            return self._speaker_of(text, m)
        return self._org_pronoun(text, after, v.end())

    def _panel_line(self, text: str, ms, span: Span, lo: int) -> Entity | None:
        """``Per Olsen, Nordfisk: "…"``: a vox-pop or panel line names its speaker before a colon."""
        if not _PANEL.fullmatch(text, lo, span.open):
            return None
        m = next((m for m in ms if m.start == lo), None)
        if m is None or m.kind != "name" or len(m.words) < 2 or m.possessive:
            return None
        self._how = "-panel"
        return self._speaker_of(text, m)

    @staticmethod
    def _last_verb_end(text: str, lo: int, hi: int) -> int:
        verbs = list(lx.SPEECH_VERB_RE.finditer(text, lo, hi))
        return verbs[-1].end() if verbs else lo

    def pre_attribution(self, text: str, ms, span: Span, lo: int, para_quotes) -> tuple[Entity | None, bool]:
        """``X said: "…"`` / ``X stressed that "…"`` / ``according to X, "…"``.

        Returns the speaker and whether a speech verb governs the quote."""
        verbs = list(lx.SPEECH_VERB_RE.finditer(text, lo, span.open))
        if not verbs:
            return self._panel_line(text, ms, span, lo), False
        v = verbs[-1]
        if v.group().lower() == "according to":
            m = self._subject_after(text, ms, v.end(), span.open)
            return (self._speaker_of(text, m) if m else None), True
        org = self._spokesperson_for(text, v.start(), lo)
        if org is not None:
            self._how = "-spokes"
            return org, True
        m = self._subject_before(text, ms, v.start(), lo)
        if m is not None:
            return self._speaker_of(text, m), True
        e = self._org_pronoun(text, lo, v.end())
        if e is not None:
            return e, True
        before = text[lo:v.start()].strip().lower()
        if para_quotes and para_quotes[-1][0] is not None and (
                not before or before in ("and", ",", "but", "also") or before.endswith((" and", ","))
                and v.group().lower().endswith("ing")):     # "…," she said, adding that "…"
            self._how = "-and-prev"
            return para_quotes[-1][0], True
        # the sentence's subject: "He has also mentioned …, adding … that “…”"
        for m in ms:
            if lo <= m.start < v.start() and m.subject and m.kind in ("name", "pronoun", "role", "org"):
                e = m.entity if m.kind != "role" else self._speaker_of(text, m)
                if e is not None:
                    self._how = "-sentsubj-" + m.kind
                    return e, True
        return None, True

    @staticmethod
    def _ends_with_quote(text: str, last: Span, ms: list[Mention]) -> bool:
        """Nothing but the quotation's own attribution follows its last quotation."""
        tail = text[last.after:]
        return len(tail.split()) <= 12 and not re.search(r"[.!?]\s+\S", tail.strip()) and not any(
            m.start >= last.after and m.kind == "name" and not m.speaks for m in ms)

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
            how = "post" + self._how
            if speaker is None:
                speaker, governed = self.pre_attribution(text, ms, s, clause_lo, para_quotes)
                how = "pre" + self._how
            n_words = len(words.split())
            pre_text = text[clause_lo:s.open]
            labelled = bool(_DETERMINER_END.search(pre_text)) and not re.search(r"\bas\s*$", pre_text)
            far = not post_speaker and len(text[self._last_verb_end(text, clause_lo, s.open):s.open].split()) > 8
            if (n_words <= 3 and (not governed or speaker is None or labelled or far)) or (n_words <= 5 and labelled) \
                    or _is_title(words):
                continue        # scare quotes and labels: "reset", the "flood of the century"
            if speaker is None and not governed:
                opens = k == 0 and not text[lo:s.open].strip()
                if para_quotes and para_quotes[-1][0] is not None and not any(
                        spans[k - 1].after <= m.start < s.open and m.entity is not None
                        and m.entity is not para_quotes[-1][0] and m.kind in ("name", "pronoun", "role")
                        for m in ms):
                    speaker = para_quotes[-1][0]     # "…," he said. "…": one statement in pieces
                    how = "para-prev"
                elif opens and run_start and self.carry is not None and (
                        self.run_open or all(m.kind != "name" or m.entity is self.carry for m in ms)):
                    speaker = self.carry             # a quotation carried over, or announced by "X said:"
                    how = "run-last"
            if speaker is None:
                how = "none"
                if n_words < 4:
                    continue
            stripped = pre_text.strip()
            partial = words[:1].islower() or (
                bool(stripped) and not stripped.endswith((":", ",", "that")) and not words.endswith((".", "!", "?")))
            para_quotes.append((speaker, words, partial))
            self.hows.append(how)
        for q in para_quotes:
            if q[0] is not None:
                q[0].quoted = True
        self.quotes.extend(para_quotes)
        said = [q[0] for q in para_quotes if q[0] is not None]
        if said:
            last = said[-1]
            last_span_end = spans[-1].after
            later = [m for m in ms if m.start > last_span_end and m.kind == "name" and m.subject
                     and m.entity is not None and m.entity is not last]
            if not later and last.kind == "person":
                self.coref.note(Mention(0, 0, "name", ""), last)
        self.run_open = bool(spans) and not spans[-1].closed
        # Who the next paragraph's opening quotation belongs to without an attribution
        # of its own: the speaker of a quotation this paragraph leaves open (the
        # multi-paragraph convention), or the one this paragraph announces ("X said:").
        self.carry = None
        if self.run_open and para_quotes:
            self.carry = para_quotes[-1][0]
        elif para_quotes and para_quotes[-1][0] is not None and self._ends_with_quote(text, spans[-1], ms):
            self.carry = para_quotes[-1][0]     # he goes on in the next paragraph
        elif text.rstrip().endswith(":") and (not spans or spans[-1].after < len(text.rstrip()) - 1):
            end = len(text.rstrip()) - 1
            starts = _sentence_starts(text, spans[-1].after if spans else lo, end)
            colon = Span(end + 1, end + 1, end, end)
            speaker, governed = self.pre_attribution(text, ms, colon, starts[-1] if starts else lo, [])
            self.carry = speaker if governed else None


def _label_entity(art: _Article, turn: interview.Turn, roles: dict[str, Entity]) -> Entity | None:
    """Who a transcript label stands for: a name ("HENRIK SØRVIK (Secretary General)"),
    a role already given in brackets ("SECRETARY GENERAL"), or the one named
    interviewee behind an anonymous "A:"."""
    label = interview.label_name(turn.label)
    if interview.is_anonymous_answer(label):
        people = [e for e in art.coref.entities if e.kind == "person" and len(e.name.split()) > 1]
        if people:
            people[0].evidence = True
            return people[0]
        return None
    if label.lower() in roles:
        return roles[label.lower()]
    ms = [m for m in name_mentions(label, 0, len(label), set()) if m.kind == "name"]
    if not ms:
        return None
    e = art.coref.resolve_name(ms[-1])
    if e is not None:
        e.evidence = True
        if turn.role and not e.role:
            e.role = turn.role
        if turn.role:
            roles.setdefault(turn.role.lower(), e)
        art.coref.note(ms[-1], e)
    return e


@dataclass
class Local:
    """One article's analysis before its people are matched with the registry:
    quotes and mentions point at the article's own entities (``Entity.slug`` is
    filled in later by ``who.identify``).  It depends on the article alone, so
    the same text always gives the same result, whatever the registry holds."""
    format: str
    interviewer: str | None
    quotes: list[tuple[Entity | None, str, bool]]
    mentioned: list[Entity]
    topics: dict[str, list[str]]
    hows: list[str] = field(default_factory=list)

    def people(self) -> list[Entity]:
        """Every entity the article records, quoted ones first, in order."""
        out: list[Entity] = []
        for e in chain((q[0] for q in self.quotes), self.mentioned):
            if e is not None and not any(x is e for x in out):
                out.append(e)
        return out


def analyze_local(title: str, paragraphs: Sequence[str], taxonomy: Taxonomy) -> Local:
    """Speakers, quotations, mentions and topics of one article, from its text alone."""
    head = fold(title or "")
    paras = [p for p in paragraphs if fold(p) != head]
    art = _Article(paras)
    found = interview.detect(paras)
    turns, interviewer = found if found else ([None] * len(paras), None)
    roles: dict[str, Entity] = {}
    for p, turn in zip(paras, turns):
        if turn is None:
            art.paragraph(p, 0, run_start=bool(p[:1] in "“\"‘'«„"))
        elif turn.question:
            art.paragraph(p, turn.offset)
        else:
            e = _label_entity(art, turn, roles)
            if e is not None:
                e.quoted = True
            art.quotes.append((e, turn.text.strip(), False))
            art.hows.append("label")
    for e, form in art.learned:
        if form and form not in e.forms:
            e.forms.append(form)
    mentioned = [e for e in art.mentioned if e.kind == "person" and e.evidence and not e.quoted]
    return Local("interview" if found else "report", interviewer, art.quotes, mentioned,
                 taxonomy.assign(title or "", paras), art.hows)


def finish(local: Local) -> Analysis:
    """The analysis with registry slugs, once ``who.identify`` has matched the article's people."""
    quotes, seen_ids, speakers = [], Counter(), []
    debug = bool(os.environ.get("DIGEST_HOW"))
    for (e, text, partial), how in zip(local.quotes, local.hows):
        slug = e.slug if e is not None else None
        if slug is not None and slug not in speakers:
            speakers.append(slug)
        qid = quote_id(text)
        seen_ids[qid] += 1
        if seen_ids[qid] > 1:
            qid = f"{qid}-{seen_ids[qid]}"
        q = {"id": qid, "speaker": slug, "text": text, "partial": partial}
        if slug is not None and e.role and e.kind == "person":
            q["role"] = e.role
        if debug:
            q["how"] = how
        quotes.append(q)
    mention_slugs = []
    for e in local.mentioned:
        if e.slug is not None and e.slug not in speakers and e.slug not in mention_slugs:
            mention_slugs.append(e.slug)
    return Analysis(format=local.format, interviewer=local.interviewer, speakers=speakers, quotes=quotes,
                    mentions=mention_slugs, topics=list(local.topics), topic_terms=local.topics)


def analyze(title: str, paragraphs: Sequence[str], registry: Registry, taxonomy: Taxonomy, *,
            source: str | None = None) -> Analysis:
    """One article on its own: analysed, then its people matched with ``registry``."""
    local = analyze_local(title, paragraphs, taxonomy)
    identify.assign(registry, [local.people()])
    return finish(local)
