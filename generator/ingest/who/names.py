"""Raw mentions in a stretch of text: names, titles, organisations, pronouns.

Nothing is resolved here; ``coref`` decides who each mention refers to.
Capitalised runs are split into a title part ("Russian Defence Minister")
and a name part ("Anatoly Serdyukov") using generic vocabulary plus the words
the article itself writes in lower case (a word written "security" elsewhere
is not a name when capitalised in "International Security").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon as lx

_CAP = r"[A-Z\u00C0-\u00DE\u0100-\u017D][\w’'\-]*"
_PART = r"(?:de|da|di|du|van|von|der|den|del|della|dos|bin|ibn|al|el|la|le|ter)"
_ABBR = r"(?:[A-Z]\.|(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Maj|Adm|Jr|Sr)\.)"
RUN_RE = re.compile(rf"(?<![\w’'-])(?:{_ABBR}|{_CAP})(?:[ ](?:{_PART}[ ])?(?:{_ABBR}|{_CAP}))*")
PRONOUN_RE = re.compile(r"\b(he|she|He|She|him|his|His|her|Her)\b")
_ROLE_ALT = "|".join(sorted((re.escape(w) for w in lx.ROLE_NOUNS), key=len, reverse=True))
# "the former Danish premier", "the club's manager", "the Secretary General"
ROLE_NP_RE = re.compile(
    rf"\b(?P<det>[Tt]he)\s+(?P<mods>(?:[\w’'-]+\s+){{0,3}}?)(?P<head>(?i:{_ROLE_ALT})(?:[\s-](?i:{_ROLE_ALT}))*)\b(?!\s+[A-Z])")
_HEADS = "|".join(sorted((re.escape(w) for w in lx.ORG_HEADS), key=len, reverse=True))
ORG_HEAD_RE = re.compile(rf"\b(?:{_HEADS.title()}|Kremlin|Pentagon|White House)\b")
_ORG_TAIL = re.compile(rf"\s+(?:of|for)\s+(?:the\s+)?{_CAP}(?:\s+(?:and\s+)?{_CAP})*")
_LEFT_TOKEN = re.compile(rf"(?:{_CAP}|of|for|and)\s+$")
_MEDIA = "|".join(sorted((re.escape(k) for k in lx.MEDIA_KINDS), key=len, reverse=True))
MEDIA_KIND_RE = re.compile(rf"(?<=[\w’'] )(?P<kind>{_MEDIA})\b(?!\s+[A-Z])")
_ORG_NOUN = "|".join(sorted(lx.ORG_NOUNS, key=len, reverse=True))
ORG_NOUN_RE = re.compile(
    rf"\b[Tt]he\s+(?:[\w’'-]+\s+){{0,2}}?(?P<head>{_ORG_NOUN})\b(?!\s+(?:of\s+)?[A-Z])(?!\s+(?:{_ROLE_ALT})\b)")
# "the left-wing daily taz", "the newspaper Le Monde"
MEDIA_AFTER_RE = re.compile(
    r"\b[Tt]he\s+(?:[\w’'-]+\s+){0,2}?(?P<kind>daily|newspaper|weekly|paper|tabloid|magazine)\s+"
    r"(?P<name>[A-Za-z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})")
MEDIA_TITLE_RE = re.compile(rf"\b(?:{'|'.join(w.title() for w in lx.MEDIA_TITLES)})\b")
ACRONYM_RE = re.compile(r"(?<![\w-])[A-Z]{2,6}(?![\w-])")
_PREPOSITIONS = lx._words("""of to with by for from on against between about at in into toward
towards over under than like upon among amid via behind beside""")
_APPOSITION = re.compile(
    rf"^,\s+(?:(?:aged\s+)?\d{{1,3}},\s+)?(?P<role>(?:(?:the|a|an)\s+)?(?:[\w’'.-]+\s+){{0,5}}?(?:{_ROLE_ALT})\b[^,;.()“”\"]{{0,90}}?)(?=,|;|\.|\s+(?:said|says|told)\b)",
    re.I)


_FILL = "|".join(sorted((re.escape(w) for w in lx.FILLERS), key=len, reverse=True))
_SPEAKS_AFTER = re.compile(rf"(?:,[^,;“”\"]{{1,100}},|,)?\s+(?:(?:{_FILL})\s+)*{lx.SPEECH_VERB_RE.pattern}", re.I)
_SPEAKS_BEFORE = re.compile(rf"\b(?:said|says|told|according\s+to|added|wrote)\s+$", re.I)


@dataclass
class Mention:
    start: int
    end: int
    kind: str                 # name | pronoun | role | org | orgnoun
    text: str                 # the name / phrase as written (possessive dropped)
    title: str = ""           # title words before a name, or the role phrase itself
    apposition: str = ""      # ", deputy spokesman for …,"
    honorific: str = ""
    possessive: bool = False
    subject: bool = True      # not a possessive or the object of a preposition
    media: str = ""           # newspaper / news agency … for media outlets
    age: str = ""
    speaks: bool = False      # directly followed by a speech verb, or after "said"/"according to"
    words: list[str] = field(default_factory=list)
    entity: object = None     # filled by coref


def _expand_left(text: str, lo: int, pos: int, max_tokens: int, lower_ok: bool) -> int:
    """Start of the capitalised run (with of/for/and inside when ``lower_ok``) ending at ``pos``."""
    start, n = pos, 0
    while n < max_tokens:
        m = _LEFT_TOKEN.search(text, max(lo, start - 40), start)
        if not m or (not lower_ok and not m.group()[0].isupper()):
            break
        start, n = m.start(), n + 1
    while start < pos and text[start:start + 4] in ("of ", "for ", "and "):
        start = text.index(" ", start) + 1
    the = text[max(lo, start - 4):start]
    return start - 4 if the in ("the ", "The ") else start


def _lower_role_before(window: str) -> str:
    """'former president ' before a name -> 'former president'."""
    toks = window[-70:].split()
    if not toks or toks[-1].lower() not in lx.ROLE_NOUNS:
        return ""
    i = len(toks) - 1
    while i > 0 and len(toks) - i < 4 and (toks[i - 1].lower() in _ROLE_WORDS
                                           or toks[i - 1] in lx.DEMONYMS):
        i -= 1
    return " ".join(toks[i:])


_ROLE_WORDS = lx.ROLE_MODIFIERS | lx.ROLE_NOUNS
_TITLE_END = lx.TITLE_WORDS | {"secretary-general"}
_PLACE_WORDS = lx.NOT_PERSON - lx.TITLE_WORDS
_MOD_STOPS = lx.STOP_CAPS - {"first", "second", "third"}
_POSSESSIVE = re.compile(r"[’']s$|[’']$")
_PART_RE = re.compile(_PART)
_INITIAL = re.compile(r"[A-Z]\.")


def _clean(tok: str) -> str:
    return _POSSESSIVE.sub("", tok)


def _name_like(tok: str, common: set[str]) -> bool:
    low = tok.lower().rstrip(".")
    if _PART_RE.fullmatch(tok):
        return True
    if _INITIAL.fullmatch(tok):
        return True
    if tok.rstrip(".").isupper() and len(tok.rstrip(".")) > 1:
        return False        # NATO, US, AFP
    if low in lx.TITLE_WORDS or low in lx.NOT_PERSON or low in lx.STOP_CAPS:
        return False
    if lx.country_of(tok) or low in common:
        return False
    parts = low.split("-")
    return not (len(parts) > 1 and (any(p in lx.ROLE_NOUNS for p in parts)
                                    or all(p in lx.TITLE_WORDS or p in lx.NOT_PERSON for p in parts)))


def _preceding_word(text: str, i: int) -> str:
    m = re.search(r"([\w’']+)\W*$", text[max(0, i - 30):i])
    return m.group(1).lower() if m else ""


def _is_subject(text: str, start: int, possessive: bool) -> bool:
    return not possessive and _preceding_word(text, start) not in _PREPOSITIONS




def _title_chain(text: str, start: int) -> str:
    """'US Under Secretary for Arms Control and International Security' before a name."""
    toks = text[max(0, start - 120):start].split()
    j = len(toks)
    while j > 0 and (toks[j - 1][:1].isupper() or toks[j - 1] in ("for", "of", "and", "on")):
        j -= 1
    toks = toks[j:]
    i = next((i for i in range(len(toks) - 1, -1, -1)
              if any(p in lx.ROLE_NOUNS for p in toks[i].lower().split("-"))), None)
    if i is None:
        return ""
    j = i
    while j > 0 and (toks[j - 1].lower() in lx.TITLE_WORDS or toks[j - 1].isupper() or lx.country_of(toks[j - 1])):
        j -= 1
    return " ".join(toks[j:])


def name_mentions(text: str, lo: int, hi: int, common: set[str]) -> list[Mention]:
    """Names and title-only runs ("NATO Secretary General said") in ``text[lo:hi]``."""
    out = []
    for m in RUN_RE.finditer(text, lo, hi):
        raw = m.group()
        toks = raw.split(" ")
        last = toks[-1]
        if last.endswith(".") and not re.fullmatch(r"[A-Z]\.", last) and last.lower() not in lx.HONORIFICS:
            toks[-1] = last = last[:-1]
        possessive = bool(re.search(r"[’']s?$", last))
        toks[-1] = _clean(last)
        k = len(toks)
        while k > 0 and _name_like(toks[k - 1], common):
            k -= 1
        name_toks = toks[k:]
        # particles are only name parts between two name words
        while name_toks and re.fullmatch(_PART, name_toks[0]):
            name_toks = name_toks[1:]
        prefix = toks[:len(toks) - len(name_toks)]
        end = m.start() + len(raw) - (len(m.group()) - len(" ".join(m.group().split(" "))))
        if not name_toks:
            # a title-only run in subject position: "NATO Secretary General said"
            lows = {t.lower() for t in toks} | {p for t in toks for p in t.lower().split("-")}
            if lows & lx.ROLE_NOUNS and toks[-1].lower() in _TITLE_END:
                toks = [t for t in toks if t.lower() not in lx.STOP_CAPS]
                out.append(Mention(m.start(), m.start() + len(raw.rstrip(".")), "role", " ".join(toks),
                                   title=" ".join(toks), possessive=possessive,
                                   subject=_is_subject(text, m.start(), possessive)))
            continue
        if prefix and prefix[-1].rstrip(".").lower() in _PLACE_WORDS:
            continue    # "Black Sea Sochi": a place run, not a titled name
        if any(t.rstrip(".").lower() in lx.NOT_PERSON for t in toks[len(prefix):]):
            continue
        start = m.start() + len(" ".join(prefix)) + (1 if prefix else 0)
        stop = m.start() + len(raw)
        honor = next((t for t in prefix if t.lower() in lx.HONORIFICS), "")
        if len(name_toks) == 1 and any(t.lower() not in lx.STOP_CAPS for t in prefix) and not honor and not any(
                p in lx.ROLE_NOUNS for t in prefix for p in t.lower().rstrip(".").split("-")):
            continue    # "Arms Control": one capitalised word after a non-title word
        title = " ".join(t for t in prefix if t.lower() not in lx.STOP_CAPS and t.lower() not in lx.HONORIFICS)
        if not any(p in lx.ROLE_NOUNS for t in prefix for p in t.lower().split("-")):
            # "Kiribati's Prime Minister, Taneti Ioane" / "the chief negotiator, Jan Kowalczyk"
            cut = start - 2 if not prefix and text[max(0, start - 2):start] == ", " else start
            window = text[max(0, cut - 120):cut] + " "
            title = _title_chain(window, len(window))
            if not title:
                title = _lower_role_before(window)
        app = _APPOSITION.match(text[stop:stop + 160]) if not possessive and text.startswith(", ", stop) else None
        age = re.match(r",\s*(?:aged\s+)?(\d{1,3}),", text[stop:stop + 12])
        speaks = bool(_SPEAKS_AFTER.match(text, stop, stop + 200)) or bool(_SPEAKS_BEFORE.search(text, max(0, start - 40), start))
        out.append(Mention(start, stop, "name", " ".join(name_toks), title=title,
                           apposition=app.group("role").strip() if app else "", honorific=honor,
                           possessive=possessive, subject=_is_subject(text, start, possessive),
                           speaks=speaks and not possessive, words=name_toks,
                           age=age.group(1) if age else ""))
    return out


def other_mentions(text: str, lo: int, hi: int) -> list[Mention]:
    """Pronouns, definite role phrases and organisations in ``text[lo:hi]``."""
    out = []
    for m in PRONOUN_RE.finditer(text, lo, hi):
        out.append(Mention(m.start(), m.end(), "pronoun", m.group().lower()))
    for m in ROLE_NP_RE.finditer(text, lo, hi):
        mods = m.group("mods").split()
        if any(w.lower() in _MOD_STOPS for w in mods):
            continue
        out.append(Mention(m.start(), m.end(), "role", m.group(),
                           title=(m.group("mods") + m.group("head")).strip(),
                           subject=_is_subject(text, m.start(), False)))
    for m in MEDIA_KIND_RE.finditer(text, lo, hi):
        start = _expand_left(text, lo, m.start(), 4, False)
        name = text[start:m.start()].strip()
        name = " ".join(t for t in name.split() if t.lower() not in lx.STOP_CAPS)
        if name and name[0].isupper() and not lx.country_of(name):
            out.append(Mention(start, m.end(), "org", _clean(name), media=lx.MEDIA_KINDS[m.group("kind").lower()]))
    for m in MEDIA_AFTER_RE.finditer(text, lo, hi):
        name = m.group("name")
        if (name[:1].islower() and " " not in name and not re.search(r"(?:ing|ed|s)$", name)
                and name not in lx.STOP_CAPS and name not in lx.FILLERS and name not in lx.SPEECH_VERBS
                and name not in _PREPOSITIONS) or (
                name[:1].isupper() and name.split()[0].lower() not in lx.STOP_CAPS):
            out.append(Mention(m.start(), m.end(), "org", _clean(name), media=lx.MEDIA_KINDS[m.group("kind").lower()]))
    for m in MEDIA_TITLE_RE.finditer(text, lo, hi):
        start = _expand_left(text, lo, m.start(), 3, False)
        name = text[start:m.end()]
        out.append(Mention(start, m.end(), "org", name, media="newspaper",
                           subject=_is_subject(text, start, False)))
    for m in ACRONYM_RE.finditer(text, lo, hi):
        out.append(Mention(m.start(), m.end(), "acronym", m.group(), words=[m.group()],
                           subject=_is_subject(text, m.start(), False)))
    for m in ORG_HEAD_RE.finditer(text, lo, hi):
        start = _expand_left(text, lo, m.start(), 5, True)
        tail = _ORG_TAIL.match(text, m.end(), hi)
        end = tail.end() if tail else m.end()
        words = text[start:end].split()
        while words and (words[0].lower() in lx.STOP_CAPS or words[0] in ("of", "for", "and")):
            words = words[1:]
        if words:
            adj = lx.country_of(words[0]) if re.search(r"[’']s$", words[0]) else None
            if adj:
                words[0] = adj
            acro = re.match(r"\s*\(([A-Z]{2,6})\)", text[end:end + 12])
            out.append(Mention(start, end, "org", _clean(" ".join(words)),
                               subject=_is_subject(text, start, False),
                               apposition=acro.group(1) if acro else ""))
    for m in ORG_NOUN_RE.finditer(text, lo, hi):
        out.append(Mention(m.start(), m.end(), "orgnoun", m.group("head").lower()))
    return out


def common_words(paragraphs) -> set[str]:
    """Words the article writes in lower case somewhere: not names when capitalised."""
    return {w for p in paragraphs for w in re.findall(r"(?<![\w’'-])[a-z][a-z’'-]+", p)}


def mentions(text: str, lo: int, hi: int, common: set[str]) -> list[Mention]:
    """All mentions in ``text[lo:hi]``, left to right, overlaps resolved (longest wins)."""
    found = name_mentions(text, lo, hi, common) + other_mentions(text, lo, hi)
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    out: list[Mention] = []
    for m in found:
        if out and m.start < out[-1].end:
            prev = out[-1]
            # prefer names and organisations over role phrases covering them
            if prev.kind == "role" and m.kind in ("name", "org") and m.end >= prev.end:
                out[-1] = m
            elif prev.kind == "name" and m.kind == "org" and m.end > prev.end:
                out[-1] = m
            continue
        out.append(m)
    return out
