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
from functools import lru_cache

from . import lexicon as lx
from .wordtrie import trie_pattern

_CAP = r"[A-Z\u00C0-\u00DE\u0100-\u017D][\w’'\-]*"
_PART = r"(?:de|da|di|du|van|von|der|den|del|della|dos|bin|ibn|al|el|la|le|ter)"
_ABBR = r"(?:[A-Z]\.|(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Maj|Adm|Jr|Sr)\.)"
# Scanning patterns open with a character (class) and check the word boundary
# just after it, ``[Tt](?<!\w[Tt])he`` rather than ``\b[Tt]he``: same matches,
# but ``re`` can then jump between candidate characters instead of trying every
# position.  Word lists are prefix trees (``wordtrie``) for the same reason.
_CAP1 = "A-Z\u00C0-\u00DE\u0100-\u017D"
# _ABBR | _CAP, with the boundary check after the first character
_FIRST_TOKEN = (rf"[{_CAP1}](?<![\w’'-][{_CAP1}])(?:(?<=[A-Z])\.|"
                + "|".join(rf"(?<={a[0]}){a[1:]}\." for a in
                           "Mr Mrs Ms Dr Prof St Gen Sen Rep Gov Lt Col Capt Sgt Maj Adm Jr Sr".split())
                + r"|[\w’'\-]*)")
RUN_RE = re.compile(rf"{_FIRST_TOKEN}(?:[ ](?:{_PART}[ ])?(?:{_ABBR}|{_CAP}))*")
PRONOUN_RE = re.compile(r"([HhSs](?<!\w[HhSs])(?:(?<=[Hh])(?:e|is|er)|(?<=h)im|(?<=[Ss])he))\b")
_ROLE_ALT = trie_pattern(lx.ROLE_NOUNS)
# \b[Tt]he, matched from its "h": a literal start lets ``re`` jump between the
# places "he" occurs.  Matches of the patterns using it start one character
# late; scan from ``lo + 1`` (see ``_the_matches``).
_THE = r"he(?<=[Tt]he)(?<!\w[Tt]he)"
_B = r"(?<!\w.)"                   # after a word's first letter: \b before it
# "the former Danish premier", "the club's manager", "the Secretary General"
ROLE_NP_RE = re.compile(
    rf"{_THE}\s+(?P<mods>(?:[\w’'-]+\s+){{0,3}}?)(?P<head>(?i:{_ROLE_ALT})(?:[\s-](?i:{_ROLE_ALT}))*)\b(?!\s+[A-Z])")
ORG_HEAD_RE = re.compile(
    trie_pattern([w.title() for w in lx.ORG_HEADS] + ["Kremlin", "Pentagon", "White House"], after_first=_B) + r"\b")
_ORG_TAIL = re.compile(rf"\s+(?:of|for)\s+(?:the\s+)?{_CAP}(?:\s+(?:and\s+)?{_CAP})*")
_LEFT_TOKEN = re.compile(rf"(?:{_CAP}|of|for|and)\s+$")
_MEDIA = trie_pattern(lx.MEDIA_KINDS, after_first=r"(?<=[\w’'] .)")     # (?<=[\w’'] ) before it
MEDIA_KIND_RE = re.compile(rf"(?P<kind>{_MEDIA})\b(?!\s+[A-Z])")
_ORG_NOUN = trie_pattern(lx.ORG_NOUNS)
ORG_NOUN_RE = re.compile(
    rf"{_THE}\s+(?:[\w’'-]+\s+){{0,2}}?(?P<head>{_ORG_NOUN})\b(?!\s+(?:of\s+)?[A-Z])(?!\s+(?:{_ROLE_ALT})\b)")
# "the left-wing daily taz", "the newspaper Le Monde"
MEDIA_AFTER_RE = re.compile(
    rf"{_THE}\s+(?:[\w’'-]+\s+){{0,2}}?(?P<kind>daily|newspaper|weekly|paper|tabloid|magazine)\s+"
    r"(?P<name>[A-Za-z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})")
MEDIA_TITLE_RE = re.compile(trie_pattern([w.title() for w in lx.MEDIA_TITLES], after_first=_B) + r"\b")
ACRONYM_RE = re.compile(r"[A-Z](?<![\w-][A-Z])[A-Z]{1,5}(?![\w-])")
_PREPOSITIONS = lx._words("""of to with by for from on against between about at in into toward
towards over under than like upon among amid via behind beside""")
_APPOSITION = re.compile(
    rf"^,\s+(?:(?:aged\s+)?\d{{1,3}},\s+)?(?P<role>(?:(?:the|a|an)\s+)?(?:[\w’'.-]+\s+){{0,5}}?(?:{_ROLE_ALT})\b[^,;.()“”\"]{{0,90}}?)(?=,|;|\.|\s+(?:said|says|told)\b)",
    re.I)


_FILL = trie_pattern(lx.FILLERS, ignore_case=True)
_SPEAKS_AFTER = re.compile(rf"(?:,[^,;“”\"]{{1,100}},|,)?\s+(?:(?:{_FILL})\s+)*{lx.SPEECH_VERB_RE.pattern}", re.I)
_SPEAKS_BEFORE = re.compile(r"\b(?:said|says|told|according\s+to|added|wrote)\s+$", re.I)


@dataclass(slots=True)
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


_LAZY = object()        # a NameMention field not read from the text yet


class NameMention(Mention):
    """A name found by ``name_mentions``.  The fields that look at the text
    around it (subject, speaks, apposition, age) are worked out when first
    read: most names turn out to be nobody (a country, a capitalised first
    word) and nothing ever asks."""
    __slots__ = ("source", "_subject", "_speaks", "_apposition", "_age")

    def __init__(self, source: str, start: int, end: int, text: str, title: str, honorific: str,
                 possessive: bool, words: list[str]):
        self.source = source        # the text the offsets refer to
        self.start, self.end, self.kind, self.text = start, end, "name", text
        self.title, self.honorific, self.possessive, self.words = title, honorific, possessive, words
        self.media, self.entity = "", None
        self._subject = self._speaks = self._apposition = self._age = _LAZY

    @property
    def subject(self) -> bool:
        if self._subject is _LAZY:
            self._subject = _is_subject(self.source, self.start, self.possessive)
        return self._subject

    @subject.setter
    def subject(self, value: bool) -> None:
        self._subject = value

    @property
    def speaks(self) -> bool:
        if self._speaks is _LAZY:
            self._speaks = not self.possessive and (
                bool(_SPEAKS_AFTER.match(self.source, self.end, self.end + 200))
                or _speaks_before(self.source, self.start))
        return self._speaks

    @speaks.setter
    def speaks(self, value: bool) -> None:
        self._speaks = value

    @property
    def apposition(self) -> str:
        if self._apposition is _LAZY:
            self._apposition = _apposition(self.source, self.end, self.possessive)
        return self._apposition

    @apposition.setter
    def apposition(self, value: str) -> None:
        self._apposition = value

    @property
    def age(self) -> str:
        if self._age is _LAZY:
            self._age = _age(self.source, self.end)
        return self._age

    @age.setter
    def age(self, value: str) -> None:
        self._age = value


def _apposition(text: str, stop: int, possessive: bool) -> str:
    """', deputy spokesman for …,' after a name."""
    app = _APPOSITION.match(text[stop:stop + 160]) if not possessive and text.startswith(", ", stop) else None
    return app.group("role").strip() if app else ""


def _age(text: str, stop: int) -> str:
    """', 47,' after a name."""
    age = _AGE.match(text, stop, stop + 12) if text.startswith(",", stop) else None
    return age.group(1) if age else ""


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
    last = window[-70:].rsplit(None, 1)
    if not last or last[-1].lower() not in lx.ROLE_NOUNS:
        return ""           # the usual case, without splitting the whole window
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
    if tok[-1:] not in ("s", "’", "'", "\n"):
        return tok          # nothing to strip: skip the regex
    return _POSSESSIVE.sub("", tok)


@lru_cache(maxsize=32768)
def _name_shape(tok: str) -> tuple[bool | None, str]:
    """``_name_like`` without the article's own words: a verdict, or None when
    the verdict is "unless the article writes the word (returned) in lower case"."""
    low = tok.lower().rstrip(".")
    if _PART_RE.fullmatch(tok):
        return True, low
    if _INITIAL.fullmatch(tok):
        return True, low
    if tok.rstrip(".").isupper() and len(tok.rstrip(".")) > 1:
        return False, low        # NATO, US, AFP
    if low in lx.TITLE_WORDS or low in lx.NOT_PERSON or low in lx.STOP_CAPS:
        return False, low
    if lx.country_of(tok):
        return False, low
    parts = low.split("-")
    if len(parts) > 1 and (any(p in lx.ROLE_NOUNS for p in parts)
                           or all(p in lx.TITLE_WORDS or p in lx.NOT_PERSON for p in parts)):
        return False, low
    return None, low


def _name_like(tok: str, common: set[str]) -> bool:
    verdict, low = _name_shape(tok)
    return verdict if verdict is not None else low not in common


_AGE = re.compile(r",\s*(?:aged\s+)?(\d{1,3}),")


def _speaks_before(text: str, start: int) -> bool:
    """``said Tom Brandvold``: a speech verb, then only spaces, before ``start``.

    The verbs end in d, s, o or e (ſ matches s when case is ignored): looking
    at that letter first spares a regex search for nearly every name."""
    lo = max(0, start - 40)
    if start <= lo or not text[start - 1].isspace() or text[lo:start].rstrip()[-1:] not in "dDsSoOeEſ":
        return False
    return bool(_SPEAKS_BEFORE.search(text, lo, start))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"        # what \w matches


def _preceding_word(text: str, i: int) -> str:
    """The word before ``text[i]`` within 30 characters, lower-cased.

    What ``([\\w’']+)\\W*$`` finds in ``text[i - 30:i]``: the run of word
    characters and apostrophes around the last word character (or, with no
    word character, the first run of apostrophes), walked by hand because a
    regex search tries every start position."""
    lo = max(0, i - 30)
    j = i - 1
    while j >= lo and not _is_word_char(text[j]):
        j -= 1
    if j < lo:
        marks = [k for k in range(lo, i) if text[k] in "’'"]
        if not marks:
            return ""
        j = marks[0]
    end = j + 1
    while end < i and text[end] in "’'":
        end += 1
    while j > lo and (_is_word_char(text[j - 1]) or text[j - 1] in "’'"):
        j -= 1
    return text[j:end].lower()


def _is_subject(text: str, start: int, possessive: bool) -> bool:
    return not possessive and _preceding_word(text, start) not in _PREPOSITIONS




def _title_before(text: str, cut: int) -> str:
    """A title in the words before ``text[cut]``: ``_title_chain``, else ``_lower_role_before``."""
    # Both need the last word to be capitalised, of/for/and/on, or a role noun.
    # That word, read once, settles most names; the full windows are built only
    # when it may qualify, or when it may run past the short window's start.
    tail = text[max(0, cut - 69):cut].rsplit(None, 1)
    if len(tail) == 2 or (tail and cut <= 69):
        last = tail[-1]
        if not (last[:1].isupper() or last in ("for", "of", "and", "on")) and last.lower() not in lx.ROLE_NOUNS:
            return ""
    window = text[max(0, cut - 120):cut] + " "
    return _title_chain(window, len(window)) or _lower_role_before(window)


def _title_chain(text: str, start: int) -> str:
    """'US Under Secretary for Arms Control and International Security' before a name."""
    last = text[max(0, start - 120):start].rsplit(None, 1)
    if not last or not (last[-1][:1].isupper() or last[-1] in ("for", "of", "and", "on")):
        return ""           # the usual case, without splitting the whole window
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


def _read_run(raw: str, common) -> tuple | None:
    """What a capitalised run is, from its words alone: None (not a person),
    ("role", end, title, possessive) for a title-only run, or ("name", name
    start, name end, name words, honorific, title, look for a title before it,
    possessive), offsets relative to the run."""
    toks, _ = _run_tokens(raw)
    k = len(toks)
    while k > 0 and (_name_like(toks[k - 1], common) or k < len(toks) and lx.is_given_name(toks[k - 1])):
        k -= 1
    # "Maricopa County Recorder Helen Purcell": the name starts at its given name
    first = next((i for i in range(k + 1, len(toks) - 1) if lx.is_given_name(toks[i])), None)
    if first is not None and not lx.is_given_name(toks[k]) and not _INITIAL.fullmatch(toks[k]):
        k = first
    return _run_shape(raw, k)


@lru_cache(maxsize=32768)
def _run_tokens(raw: str) -> tuple[tuple[str, ...], bool]:
    """The run's words (a final full stop and possessive dropped), and whether it was possessive."""
    toks = raw.split(" ")
    last = toks[-1]
    if last.endswith(".") and not _INITIAL.fullmatch(last) and last.lower() not in lx.HONORIFICS:
        toks[-1] = last = last[:-1]
    possessive = last.endswith(("’", "'", "’s", "'s"))      # [’']s?$ (no newline in a run)
    toks[-1] = _clean(last)
    return tuple(toks), possessive


@lru_cache(maxsize=32768)
def _run_shape(raw: str, k: int) -> tuple | None:
    """``_read_run`` once the name-like words are known to be ``toks[k:]``:
    the same for every article, so worked out once per run."""
    toks, possessive = _run_tokens(raw)
    toks = list(toks)
    name_toks = toks[k:]
    # particles are only name parts between two name words
    while name_toks and _PART_RE.fullmatch(name_toks[0]):
        name_toks = name_toks[1:]
    prefix = toks[:len(toks) - len(name_toks)]
    if not name_toks:
        # a title-only run in subject position: "NATO Secretary General said"
        lows = {t.lower() for t in toks} | {p for t in toks for p in t.lower().split("-")}
        if lows & lx.ROLE_NOUNS and toks[-1].lower() in _TITLE_END:
            toks = [t for t in toks if t.lower() not in lx.STOP_CAPS]
            return "role", len(raw.rstrip(".")), " ".join(toks), possessive
        return None
    if prefix and prefix[-1].rstrip(".").lower() in _PLACE_WORDS:
        return None    # "Black Sea Sochi": a place run, not a titled name
    if any(t.rstrip(".").lower() in lx.NOT_PERSON and not (i == 0 and lx.is_given_name(t))
           for i, t in enumerate(toks[len(prefix):])):
        return None
    start = len(" ".join(prefix)) + (1 if prefix else 0)
    honor = next((t for t in prefix if t.lower() in lx.HONORIFICS), "")
    if len(name_toks) == 1 and any(t.lower() not in lx.STOP_CAPS for t in prefix) and not honor and not any(
            p in lx.ROLE_NOUNS for t in prefix for p in t.lower().rstrip(".").split("-")):
        return None    # "Arms Control": one capitalised word after a non-title word
    title = " ".join(t for t in prefix if t.lower() not in lx.STOP_CAPS and t.lower() not in lx.HONORIFICS)
    # no role word in the run itself: look for one before it
    look_back = not any(p in lx.ROLE_NOUNS for t in prefix for p in t.lower().split("-"))
    return "name", start, len(raw), tuple(name_toks), honor, title, look_back, possessive


_MEDIA_AFTER_KINDS = ("daily", "paper", "weekly", "tabloid", "magazine")


class ArticleWords:
    """The words an article writes in lower case (``common_words``).

    ``word in words`` is true when ``(?<![\\w’'-])[a-z][a-z’'-]+`` finds it in
    the article: decided on demand, since only the few words that start a
    capitalised run are ever asked about.  It also remembers what each run
    read against them turned out to be (names repeat), and whether the article
    has a media word at all: most have none, and two patterns look for one."""

    def __init__(self, paragraphs=()):
        self.paragraphs = frozenset(paragraphs)
        self._text = "\n".join(paragraphs)
        self._known: dict[str, bool] = {}
        self.runs: dict[str, tuple | None] = {}
        self.media_kind = any(k in self._text for k in lx.MEDIA_KINDS)
        self.media_after = any(k in self._text for k in _MEDIA_AFTER_KINDS)

    def __contains__(self, word: str) -> bool:
        try:
            return self._known[word]
        except KeyError:
            found = self._known[word] = _written_lower(self._text, word)
            return found


_LOWER_TOKEN = re.compile(r"[a-z][a-z’'-]+")
_LOWER_GOES_ON = frozenset("abcdefghijklmnopqrstuvwxyz’'-")


def _written_lower(text: str, word: str) -> bool:
    """Whether ``(?<![\\w’'-])[a-z][a-z’'-]+`` finds ``word`` in ``text``: an occurrence with no
    word character, apostrophe or hyphen before it and no letter, apostrophe
    or hyphen after it."""
    if not _LOWER_TOKEN.fullmatch(word):
        return False
    n = len(word)
    i = text.find(word)
    while i != -1:
        before = text[i - 1] if i else " "
        if not (_is_word_char(before) or before in "’'-") and text[i + n:i + n + 1] not in _LOWER_GOES_ON:
            return True
        i = text.find(word, i + 1)
    return False


def name_mentions(text: str, lo: int, hi: int, common: set[str]) -> list[Mention]:
    """Names and title-only runs ("NATO Secretary General said") in ``text[lo:hi]``."""
    out = []
    runs = common.runs if isinstance(common, ArticleWords) else {}
    for m in RUN_RE.finditer(text, lo, hi):
        raw = m.group()
        try:
            run = runs[raw]
        except KeyError:
            run = runs[raw] = _read_run(raw, common)
        if run is None:
            continue
        if run[0] == "role":
            _, end, title, possessive = run
            out.append(Mention(m.start(), m.start() + end, "role", title, title=title, possessive=possessive,
                               subject=_is_subject(text, m.start(), possessive)))
            continue
        _, start, stop, name_toks, honor, title, look_back, possessive = run
        start += m.start()
        stop += m.start()
        if look_back:
            # "Kiribati's Prime Minister, Taneti Ioane" / "the chief negotiator, Jan Kowalczyk"
            cut = start - 2 if start == m.start() and text[max(0, start - 2):start] == ", " else start
            title = _title_before(text, cut)
        out.append(NameMention(text, start, stop, " ".join(name_toks), title, honor, possessive, list(name_toks)))
    return out


def other_mentions(text: str, lo: int, hi: int, words: ArticleWords | None = None) -> list[Mention]:
    """Pronouns, definite role phrases and organisations in ``text[lo:hi]``.

    ``words``, built from the paragraphs of the article ``text`` belongs to,
    tells when the article has no media word, which two patterns need."""
    known = words is not None and text in words.paragraphs
    media_kind = not known or words.media_kind
    media_after = not known or words.media_after
    out = []
    for m in PRONOUN_RE.finditer(text, lo, hi):
        out.append(Mention(m.start(), m.end(), "pronoun", m.group().lower()))
    for start, m in _the_matches(ROLE_NP_RE, text, lo, hi):
        mods = m.group("mods").split()
        if any(w.lower() in _MOD_STOPS for w in mods):
            continue
        out.append(Mention(start, m.end(), "role", text[start:m.end()],
                           title=(m.group("mods") + m.group("head")).strip(),
                           subject=_is_subject(text, start, False)))
    for m in MEDIA_KIND_RE.finditer(text, lo, hi) if media_kind else ():
        start = _expand_left(text, lo, m.start(), 4, False)
        name = text[start:m.start()].strip()
        name = " ".join(t for t in name.split() if t.lower() not in lx.STOP_CAPS)
        if name and name[0].isupper() and not lx.country_of(name):
            out.append(Mention(start, m.end(), "org", _clean(name), media=lx.MEDIA_KINDS[m.group("kind").lower()]))
    for start, m in _the_matches(MEDIA_AFTER_RE, text, lo, hi) if media_after else ():
        name = m.group("name")
        if (name[:1].islower() and " " not in name and not re.search(r"(?:ing|ed|s)$", name)
                and name not in lx.STOP_CAPS and name not in lx.FILLERS and name not in lx.SPEECH_VERBS
                and name not in _PREPOSITIONS) or (
                name[:1].isupper() and name.split()[0].lower() not in lx.STOP_CAPS):
            out.append(Mention(start, m.end(), "org", _clean(name), media=lx.MEDIA_KINDS[m.group("kind").lower()]))
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
    for start, m in _the_matches(ORG_NOUN_RE, text, lo, hi):
        out.append(Mention(start, m.end(), "orgnoun", m.group("head").lower()))
    return out


def _the_matches(rx: re.Pattern, text: str, lo: int, hi: int):
    """(start, match) for a pattern opening with ``_THE`` in ``text[lo:hi]``.

    Its matches start at the "h"; scanning from ``lo + 1`` keeps out one whose
    "T" lies before ``lo``, the only kind a ``\\b[Tt]he`` scan from ``lo`` would not find."""
    for m in rx.finditer(text, lo + 1, hi):
        yield m.start() - 1, m




def common_words(paragraphs) -> ArticleWords:
    """Words the article writes in lower case somewhere: not names when capitalised."""
    return ArticleWords(list(paragraphs))


def mentions(text: str, lo: int, hi: int, common: set[str]) -> list[Mention]:
    """All mentions in ``text[lo:hi]``, left to right, overlaps resolved (longest wins)."""
    found = name_mentions(text, lo, hi, common) + other_mentions(
        text, lo, hi, common if isinstance(common, ArticleWords) else None)
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
