"""Article metadata read from the text: source outlet, dateline, summary.

The source is taken from the strongest evidence first: explicit credits
("Source: Xinhua", a leading "AFP -"), wire bylines ("LONDON (Reuters) -"),
an interview the outlet conducted ("RT: …" question turns, "an exclusive
interview with RT"), the outlet in the page title, then the registry's
page-chrome signatures and copyright lines.  An outlet the text
merely cites ("told Interfax", "the Kommersant daily wrote") is never the
source.  Outlet names go through the registry, so spellings converge.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Sequence

from .dates import parse_date
from .outlets import Outlets

__all__ = ["find_source", "find_dateline", "summarize"]

LEAD_PARAGRAPHS = 4
# Raw page text is only looked at near its ends: chrome, credits and
# copyright lines live there, and huge inputs stay cheap.
RAW_HEAD, RAW_TAIL = 60_000, 20_000

_DASH = r"(?:—|–|-{1,2}|:)"
# "MOSCOW, December 6 (Itar-Tass) — ", "LONDON (Reuters) - ", "WASHINGTON — ",
# "SAN FRANCISCO, Calif. (AP) — ", "Beijing, June 7 (Xinhua) -- ".
# Interfax writes "MOSCOW. Dec 6 (Interfax) -", TASS "MOSCOW, December 6 /ITAR-TASS/.".
_DATELINE = re.compile(
    r"""^(?P<city>[A-Z][A-Za-z.'’-]*(?:\ (?:[A-Z][A-Za-z.'’-]*|de|da|del|do|dos|la|le|el|al|am|an|of|upon)){0,3}?)
        (?P<rest>[,.]\s*[^()/\n—–:]{1,40}?)?\s*
        (?:(?P<agency>\([^()\n]{2,40}\)|/[^/\s][^/\n]{1,30}/)\s*(?P<sep1>""" + _DASH + r"""|\.)?
          |(?P<sep2>""" + _DASH + r"""))
        \s+(?=\S)""",
    re.X,
)
# Words that open a paragraph in capitals without being a place.
_NOT_PLACES = frozenset("""
update updated breaking exclusive analysis watch video photos photo opinion editorial
live read note warning correction editor's editors comment interview transcript
""".split())
_LEADING_CREDIT = re.compile(r"^\(?(?P<name>[A-Z][\w.&'’/ -]{0,40}?)\)?\s*(?:—|–|-{1,2}|:)\s+(?=\S)")
_PAREN_CREDIT = re.compile(r"^[A-Z][^()\n]{0,40}?\((?P<name>[^()\n]{2,40})\)")
_TRAILING_CREDIT = re.compile(r"(?:(?:—|–|-{1,2})\s*|\()(?P<name>[A-Z][\w.&'’/ -]{1,40}?)\)?\s*$")
_BYLINE = re.compile(r"^by\s+\S", re.I)
_CREDIT_LINE = re.compile(r"(?:sources?|via|credit|courtesy(?:\s+of)?)\s*[:：]\s*(?P<name>\S.{0,60}?)\s*$", re.I)
_CREDIT_WORDS = ("source", "via", "credit", "courtesy")
# Credits that name no outlet ("Source: News agencies", "By Staff").
_GENERIC_CREDIT = frozenset("news agency agencies wire wires service services staff reports report "
                            "reporters reporter desk online web and & agency's".split())
# Company words that may follow an outlet's name in a copyright line.
_COMPANY = frozenset("all inc inc. llc ltd ltd. limited corp corp. corporation co co. company group plc "
                     "gmbh sa ag rights".split())
_TURN = re.compile(r"^(?P<label>[A-Z][\w.’'&-]*(?: [\w.’'&-]+){0,4}):\s+\S")
_INTERVIEW_WITH = re.compile(r"\binterview(?:ed)?\s+(?:with|by|to)\s+", re.I)
_EXCLUSIVE = re.compile(r"\bexclusive(?:ly)?\b", re.I)
_TITLE_SEP = re.compile(r"\s+(?:[|\-–—·:»]|::|--)\s+")
_NAME_LIKE = re.compile(r"^[A-Z][\w.&'’/-]*(?: [\w.&'’/-]+){0,4}$")


# ---------------------------------------------------------------- source

def _known(text: str, outlets: Outlets) -> str | None:
    """The outlet ``text`` names: itself, or the first outlet mentioned in it."""
    text = text.strip(" .,;:()[]\"'“”‘’")
    if not text:
        return None
    return outlets.canonical(text) or next((n for _, _, n in outlets.mentions(text)), None)


def _plausible_name(text: str) -> str | None:
    text = text.strip(" .,;:()[]\"'“”‘’")
    if not _NAME_LIKE.match(text) or set(text.lower().split()) <= _GENERIC_CREDIT:
        return None
    return text


def _from_credits(credits: Sequence[str], outlets: Outlets) -> str | None:
    for c in credits:
        if name := _known(c, outlets):
            return name
    return next(filter(None, map(_plausible_name, credits)), None)


def _from_wire(header: Sequence[str], paragraphs: Sequence[str], outlets: Outlets) -> str | None:
    """Wire bylines and credits opening (or closing) the article."""
    for p in paragraphs[:LEAD_PARAGRAPHS]:
        if (m := _dateline_match(p)) and m.group("agency"):   # "LONDON (Reuters) -"
            inner = m.group("agency")[1:-1]   # without its parentheses or slashes
            if name := _known(inner, outlets):
                return name
            if parse_date(inner) is None and (name := _plausible_name(inner)) and len(name) <= 25:
                return name
        if (m := _LEADING_CREDIT.match(p)) and (name := outlets.canonical(m.group("name"))):
            return name   # "AFP - ", "(CNN) — "
        if (m := _PAREN_CREDIT.match(p)) and (name := _known(m.group("name"), outlets)):
            return name   # "Hong Kong (CNN Business) The …"
    for line in [*header[-12:], *paragraphs[:LEAD_PARAGRAPHS]]:
        if len(line) <= 120 and _BYLINE.match(line) and (name := _known(line[3:], outlets)):
            return name
    for p in paragraphs[-2:]:
        if (m := _TRAILING_CREDIT.search(p[-60:])) and (name := outlets.canonical(m.group("name"))):
            return name
    return None


def _from_credit_lines(page: str, low: str, outlets: Outlets) -> str | None:
    """Lines such as "Source: Xinhua" anywhere on the page."""
    names = []
    for word in _CREDIT_WORDS:
        i = low.find(word)
        while i >= 0:
            lo, hi = low.rfind("\n", 0, i) + 1, low.find("\n", i)
            hi = hi if hi >= 0 else len(low)
            if not page[lo:i].strip() and hi - lo <= 100 and (m := _CREDIT_LINE.match(page, i, hi)):
                names.append(m.group("name"))
            i = low.find(word, i + len(word))
    return _from_credits(names, outlets) if names else None


def _from_interview(paragraphs: Sequence[str], outlets: Outlets) -> str | None:
    """The outlet that conducted an interview the article is or reports."""
    labels: dict[str, int] = {}
    for p in paragraphs:
        if (m := _TURN.match(p)) and (name := outlets.canonical(m.group("label"))):
            labels[name] = labels.get(name, 0) + 1
    if labels:
        name, turns = max(labels.items(), key=lambda kv: kv[1])
        if turns >= 2:
            return name
    for p in paragraphs[:LEAD_PARAGRAPHS]:
        p = p[:2000]
        for m in _INTERVIEW_WITH.finditer(p):
            name = next((n for s, _, n in outlets.mentions(p[m.end():m.end() + 40]) if s == 0), None)
            if name and (labels or _EXCLUSIVE.search(p[max(0, m.start() - 40):m.start()])):
                return name
    return None


def _from_title(title_line: str, outlets: Outlets) -> str | None:
    """A page title such as "Headline - Outlet" or "Outlet | Headline"."""
    parts = _TITLE_SEP.split(title_line[:300])
    if len(parts) < 2:
        return None
    return outlets.canonical(parts[-1]) or outlets.canonical(parts[0])


def _from_copyright(page: str, low: str, outlets: Outlets) -> str | None:
    """The outlet owning the page's copyright, when it is named on its own:
    "© 2019 Reuters" counts, "© 2019 Reuters Media Group" too, but not
    "© CBS Interactive", a company whose name merely starts like an outlet."""
    for token in ("©", "copyright", "(c)"):
        i = low.find(token)
        while i >= 0:
            lo, hi = low.rfind("\n", 0, i) + 1, low.find("\n", i)
            line = page[lo:hi if hi >= 0 else len(page)][:300]
            for _, end, name in outlets.mentions(line):
                follower = line[end:].split(None, 1)[:1]
                if not follower or not follower[0][:1].isupper() or follower[0].lower() in _COMPANY:
                    return name
            i = low.find(token, hi) if hi >= 0 else -1
    return None


def find_source(header: Sequence[str], paragraphs: Sequence[str], credits: Sequence[str],
                outlets: Outlets, raw_text: str = "") -> str | None:
    """The outlet or agency an article comes from, canonicalised; None if unknown."""
    if len(raw_text) > RAW_HEAD + RAW_TAIL:
        raw_text = raw_text[:RAW_HEAD] + "\n" + raw_text[-RAW_TAIL:]
    page = raw_text or "\n".join([*header, *paragraphs])[:RAW_HEAD + RAW_TAIL]
    low = page.lower()
    first_line = next((ln.strip() for ln in page[:2000].split("\n") if ln.strip()), "")
    steps: Iterable[Callable[[], str | None]] = (
        lambda: _from_credits(credits, outlets),
        lambda: _from_wire(header, paragraphs, outlets),
        lambda: _from_credit_lines(page, low, outlets),
        lambda: _from_interview(paragraphs, outlets),
        lambda: _from_title(first_line, outlets),
        lambda: outlets.by_signature(page),
        lambda: _from_copyright(page, low, outlets),
    )
    for step in steps:
        if name := step():
            return name
    return None


# -------------------------------------------------------------- dateline

def _place_case(city: str) -> str:
    if not city.isupper():
        return city
    small = {"de", "da", "del", "do", "dos", "la", "le", "el", "of", "upon", "am", "an"}
    words = city.lower().split()
    out = [w if i and w in small else "-".join(p[:1].upper() + p[1:] for p in w.split("-"))
           for i, w in enumerate(words)]
    return " ".join(out)


def _dateline_match(paragraph: str) -> re.Match | None:
    m = _DATELINE.match(paragraph[:160])
    if not m:
        return None
    city, rest, agency = m.group("city"), m.group("rest"), m.group("agency")
    sep = m.group("sep1") or m.group("sep2")
    if city.lower().rstrip(".") in _NOT_PLACES or city.split()[0].lower() in _NOT_PLACES:
        return None
    if agency and not re.match(r"[(/][A-Za-z]", agency):
        return None   # "(6-5, 3-4)" is a score, not an agency
    has_date = bool(rest and parse_date(rest))
    abbrev = bool(rest and re.fullmatch(r"[,.]\s*(?:[A-Z][\w.]*\.?\s*){1,3}", rest))   # "Calif.", "N.Y."
    if rest and not (has_date or abbrev):
        return None   # "Rasmussen, who …, said: …" is a sentence, not a dateline
    letters = re.sub(r"[^A-Za-z]", "", city)
    if city.isupper() and letters.isalpha():
        return m if (agency or has_date or len(letters) >= 4) else None
    # A place in ordinary case needs more: a separator that is a dash and an
    # agency, a date or a region ("Dekalb, Ill. —", "Beijing, June 7 (Xinhua) --").
    return m if sep and sep != ":" and (agency or has_date or abbrev) else None


def find_dateline(paragraphs: Sequence[str]) -> str | None:
    """The place of a wire dateline opening the article ("MOSCOW, December 6 (…) —")."""
    for p in paragraphs[:2]:
        if len(p[:200].split()) < 6:
            continue
        m = _dateline_match(p)
        if m:
            return _place_case(m.group("city").strip())
    return None


# --------------------------------------------------------------- summary

_ABBREV = frozenset("""
mr mrs ms dr prof gen lt col sgt capt maj adm cmdr sen rep gov pres st mt ft jr sr inc corp co ltd
no nos vs etc jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u a.m p.m approx est
""".split())
_SENT_END = re.compile(r"[.!?…][\"”’»)\]]*(?=\s+[\"“‘«(\[]?[A-Z0-9])")
# Photo captions end in a credit: "(Jane Doe/AP)", "(Photo: Reuters)".
_CAPTION_END = re.compile(r"\((?:[^()]*/[^()]*|[^()]*\b(?:photo|getty|images?)\b[^()]*)\)\s*$", re.I)
_ALPHA_WORD = re.compile(r"[^\W\d_]{2,}")
SUMMARY_SCAN = 4000    # characters of a paragraph searched for its first sentences
SUMMARY_SHORT = 25     # words: a first sentence shorter than this gets its follower
SUMMARY_MAX = 80       # words: a run-on lede is cut here


def _sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        word = text[start:m.start()].rsplit(None, 1)[-1] if text[start:m.start()].strip() else ""
        word = word.lstrip("(\"“‘").lower()
        if text[m.start()] == "." and (word in _ABBREV or len(word) == 1 or (word.isdigit() and len(word) <= 2)):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _strip_lead(p: str) -> str:
    """Drop a dateline or credit opening the paragraph."""
    if m := _dateline_match(p):
        return p[m.end():]
    m = _LEADING_CREDIT.match(p)
    if m and not p[:m.end()].rstrip().endswith(":") and len(m.group("name").split()) <= 3 \
            and all(w[:1].isupper() for w in m.group("name").split()):
        return p[m.end():]   # "AFP - ", "Reuters — ", "(CNN) — "
    return p


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _is_lede(text: str, title_key: str) -> bool:
    return (len(_ALPHA_WORD.findall(text[:400])) >= 8       # not a short line or a widget
            and text.count("|") < 2                         # not a share bar or a menu
            and re.search(r"[a-z]", text) is not None       # not a line in capitals
            and not _CAPTION_END.search(text[-80:])
            and (len(text) > 3 * len(title_key) + 40 or _fold(text) != title_key))


def summarize(paragraphs: Sequence[str], title: str | None = None) -> str:
    """The lede as one or two sentences; "" when there is no prose."""
    title_key = _fold(title or "")
    for p in paragraphs[:8]:
        if _TURN.match(p) and not _dateline_match(p):
            continue   # interview turns are not the lede
        text = _strip_lead(p[:SUMMARY_SCAN].strip())
        if not _is_lede(text, title_key):
            continue
        sents = _sentences(text)
        picked = sents[:1]
        if len(sents) > 1 and len(sents[0].split()) < SUMMARY_SHORT:
            picked.append(sents[1])
        words = " ".join(picked).split()
        if len(words) > SUMMARY_MAX:   # a run-on lede without sentence ends
            return " ".join(words[:SUMMARY_MAX - 20]).rstrip(",;:—–-") + " …"
        return " ".join(words)
    return ""
