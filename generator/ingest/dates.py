"""The publication date of an article, from the lines around its top.

Only two places are trusted: short *date lines* (a date, maybe a time, a
weekday, a label such as "Published" or a byline, and little else) in the page
header or the first paragraphs, and a wire *dateline* opening the first
paragraphs ("MOSCOW, December 6 (Itar-Tass) —").  Dates inside prose are
events, not publication dates, and dates on lines about copyright are not
dates of the article at all.

A date without a year gets one only from evidence: a weekday the text gives
("Tuesday, December 6", or "… published on Tuesday" in the same paragraph)
picks the years in which that day fell on that weekday, and years the text
speaks of as still ahead ("to hold exercises in 2012", "by 2020") cap the
window.  The most recent fitting year is taken and the reasoning goes to
``note``.  Nothing found means ``iso=None``: never today's date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterator, Sequence

__all__ = ["FoundDate", "parse_date", "find_date", "EARLIEST_YEAR"]

# Oldest year a year-less date may be placed in.
EARLIEST_YEAR = 2000
# How much of the page top is searched: header lines nearest the body, and the
# first paragraphs of the body.
HEADER_LINES = 60
LEAD_PARAGRAPHS = 4
# A date line may carry this many other words (labels, a byline, a place).
DATE_LINE_WORDS = 6
BYLINE_WORDS = 12
# How far from the date a weekday may be named ("… on Tuesday").
WEEKDAY_CHARS = 1500
# How much of the body is read for years spoken of as ahead (bounded for huge inputs).
AHEAD_PARAGRAPHS, AHEAD_CHARS = 200, 5000


@dataclass(frozen=True)
class FoundDate:
    iso: str | None
    note: str | None = None


Parts = tuple[int | None, int, int, int | None, int | None]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
                "August", "September", "October", "November", "December")

_MON = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
        r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_YEAR = r"(?:19|20)\d\d"
_ORD = r"(?:st|nd|rd|th)?"

_DATE = re.compile(
    rf"""
      (?<![\d/.-])(?P<iy>{_YEAR})(?P<isep>[-/.])(?P<im>[01]?\d)(?P=isep)(?P<id>[0-3]?\d)
        (?:[T\s](?P<ih>[0-2]\d):(?P<imi>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\d/])
    | (?<![\d/.-])(?P<n1>[0-3]?\d)(?P<nsep>[-/.])(?P<n2>[0-3]?\d)(?P=nsep)(?P<n3>{_YEAR}|\d\d)(?![\d/]|\.\d)
    | (?<![\w])(?P<bd>[0-3]?\d){_ORD}(?:\.?\s*(?:of\s+)?|-)(?P<bm>{_MON})\b\.?(?:(?:,?\s+|-)(?P<by>{_YEAR})(?!\d))?
    | (?<![\w])(?P<cm>{_MON})\b\.?\s+(?P<cd>[0-3]?\d){_ORD}(?![\d:])(?:,?\s+(?P<cy>{_YEAR})(?!\d))?
    """,
    re.I | re.X,
)
# "16:49", "11:05 AM", "3:05 p.m."; "18.35" only with a zone or am/pm after it.
_TIME = (r"(?P<h>[0-2]?\d)(?::(?P<mi>[0-5]\d)(?::[0-5]\d)?|\.(?P<mi2>[0-5]\d)(?=\s*(?:[ap]\.?\s?m\b|"
         r"GMT|BST|UTC|CET|CEST|MSK|EST|EDT|ET|PT)))(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?")
_TIME_AFTER = re.compile(rf"(?:\s*(?:,|\||at|@|-|–|—|/|·|•)?\s*){_TIME}", re.I)
_WD = (r"(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:r(?:s(?:day)?)?)?|Fri(?:day)?"
       r"|Sat(?:urday)?|Sun(?:day)?)")
_TIME_BEFORE = re.compile(
    rf"{_TIME}\s*(?:[A-Z]{{2,5}}(?:[+-]\d{{1,2}})?\s*)?(?:,|\||-|–|—|on)?\s*(?:{_WD}\.?,?\s*)?$",
    re.I,
)
_WEEKDAY_BEFORE = re.compile(rf"\b(?P<wd>{_WD})\.?,?\s*(?:the\s+)?$", re.I)
_WEEKDAY_WORD = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d|\bcopyright\b|all\s+rights\s+reserved", re.I)
_PUBLISHED = re.compile(r"\b(?:published|posted|released|issued|first\s+published|date)\b", re.I)
_UPDATED = re.compile(r"\b(?:updated|modified|edited|revised)\b", re.I)
_LABELS = re.compile(
    r"\b(?:first|last|published|posted|updated|modified|edited|revised|released|issued|date|on|at|"
    r"gmt|utc|bst|cet|cest|msk|est|edt|cst|cdt|pst|pdt|et|pt|ist|jst|am|pm)\b",
    re.I,
)
_WORDS = re.compile(r"[^\W\d_]+")
# "MOSCOW, " / "LONDON, Calif., " before a date opening a paragraph.
_DATELINE_PREFIX = re.compile(r"^[A-Z][\w.'’ -]{1,40}?[,.]\s*(?:[A-Z][a-z]+\.?,\s*)?$")
# ... then an agency, "(Itar-Tass)" or "/ITAR-TASS/", or a dash.
_DATELINE_AFTER = re.compile(r"\s*(?:\([^()]{1,40}\)|/[^/\s][^/]{0,30}/|—|–|-{1,2}|:)")
# A year spoken of as still to come ("will be held in 2012", "plans to finish
# by March 2020") caps the year of publication.
_YEAR_IN_TEXT = re.compile(rf"{_YEAR}")   # boundaries checked in code: a leading lookbehind is slow
_NOT_A_YEAR = re.compile(r"[\d/]|s\b|-\d")
_AHEAD = re.compile(
    rf"""\b(?:will|shall|would|could|may|might|next|upcoming|expected|scheduled|due|planned
        |(?:plans?|planned|planning|wants?|agreed|agrees|proposed?|proposes|decided|aims?|aimed|intends?
           |intended|hopes?|hoped|going|set|ready|prepared|expected|scheduled|due)\s+to\s+[a-z]+)\b
        [^.;!?]{{0,40}}?\b(?:in|for|by|until|till|before)\s+
        (?:the\s+end\s+of\s+|early\s+|mid-?|late\s+)?(?:{_MON}\.?\s+)?$""",
    re.I | re.X,
)


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    parts: Parts
    weekday: int | None   # 0 = Monday, from a weekday written next to the date


def _valid(y: int | None, m: int, d: int) -> bool:
    try:
        date(y or 2000, m, d)   # 2000 is a leap year: 29 February stays possible
    except ValueError:
        return False
    return True


def _fields(mt: re.Match) -> Parts | None:
    g = mt.group
    if g("iy"):
        h = int(g("ih")) if g("ih") else None
        mi = int(g("imi")) if g("imi") else None
        return int(g("iy")), int(g("im")), int(g("id")), h, mi
    if g("n1"):
        a, b = int(g("n1")), int(g("n2"))
        # Day and month in either order only when that is unambiguous; with
        # dots the order is always day.month (no one writes month.day.year).
        if g("nsep") == "." or a == b or a > 12 or b > 12:
            day, month = (a, b) if g("nsep") == "." or a >= b else (b, a)
            year = int(g("n3"))
            return (year if year > 99 else 2000 + year), month, day, None, None
        return None
    mon = g("bm") or g("cm")
    if mon.islower():   # "may 5" in running text is a verb, not May
        return None
    day = int(g("bd") or g("cd"))
    year = g("by") or g("cy")
    return (int(year) if year else None), _MONTHS[mon[:3].lower()], day, None, None


def _time(text: str, mt: re.Match) -> tuple[int, int, int, int] | None:
    """A clock time written right after or right before the date: (h, m, start, end)."""
    after = _TIME_AFTER.match(text, mt.end())
    before = _TIME_BEFORE.search(text, max(0, mt.start() - 40), mt.start())
    for m in (after, before):
        if not m or (m is after and m.end() - mt.end() > 20):
            continue
        h, mi = int(m.group("h")), int(m.group("mi") or m.group("mi2"))
        ap = (m.group("ap") or "").lower()
        if ap:
            if not 1 <= h <= 12:
                continue
            h = h % 12 + (12 if ap == "p" else 0)
        if h <= 23:
            return h, mi, m.start(), m.end()
    return None


_DIGIT = re.compile(r"\d")


def _scan(text: str) -> Iterator[_Match]:
    if not _DIGIT.search(text):   # every date has a digit: skip menus cheaply
        return
    for mt in _DATE.finditer(text):
        f = _fields(mt)
        if not f or not _valid(f[0], f[1], f[2]):
            continue
        y, m, d, h, mi = f
        start, end = mt.start(), mt.end()
        if h is None and (t := _time(text, mt)):
            h, mi = t[0], t[1]
            start, end = min(start, t[2]), max(end, t[3])
        elif mt.group("n3") and len(mt.group("n3")) == 2:
            continue   # "11/20/19" is a date only as a time stamp: "11/20/19 6:38 AM"
        wd = None
        w = _WEEKDAY_BEFORE.search(text, max(0, start - 15), start)
        if w and not w.group("wd").islower():
            wd = [x[:3].lower() for x in _WEEKDAYS].index(w.group("wd")[:3].lower())
            start = w.start()
        yield _Match(start, end, (y, m, d, h, mi), wd)


def parse_date(text: str) -> Parts | None:
    """(year, month, day, hour, minute) of the first date expression in ``text``.

    ``year`` is None when the text gives none; hour and minute are None
    without a clock time.  "3 days ago", bare years and ambiguous numeric
    dates such as 08/03/2011 are not dates.
    """
    for m in _scan(text):
        return m.parts
    return None


# ------------------------------------------------------------- candidates

@dataclass(frozen=True)
class _Candidate:
    match: _Match
    rank: tuple         # smaller is better
    context: str        # the line or paragraph the date was found in


def _label_rank(line: str, start: int) -> int:
    before = line[max(0, start - 40):start]
    if _PUBLISHED.search(before):
        return 0
    if _UPDATED.search(before):
        return 2
    return 1


def _residue_words(line: str, matches: list[_Match]) -> int:
    rest, pos = [], 0
    for m in matches:
        rest.append(line[pos:m.start])
        pos = m.end
    rest.append(line[pos:])
    return len(_WORDS.findall(_LABELS.sub(" ", " ".join(rest))))


def _date_line(line: str) -> list[_Match]:
    """The dates of a line that is about a date (not prose, not a headline)."""
    if len(line) > 160 or _COPYRIGHT.search(line):
        return []
    found = list(_scan(line))
    if not found:
        return []
    limit = BYLINE_WORDS if line[:3].lower() == "by " or _PUBLISHED.search(line) else DATE_LINE_WORDS
    return found if _residue_words(line, found) <= limit else []


def _dateline(paragraph: str) -> _Match | None:
    """A date in a wire dateline opening the paragraph."""
    m = next(_scan(paragraph[:120]), None)
    if m and _DATELINE_PREFIX.match(paragraph[:m.start]) and _DATELINE_AFTER.match(paragraph, m.end):
        return m
    return None


def _candidates(header: Sequence[str], paragraphs: Sequence[str]) -> list[_Candidate]:
    out: list[_Candidate] = []
    # Header lines nearest the body first: menus and tickers sit higher up.
    lines = list(reversed(header[-HEADER_LINES:])) + list(paragraphs[:LEAD_PARAGRAPHS])
    for i, line in enumerate(lines):
        found = _date_line(line)
        if not found and i >= min(len(header), HEADER_LINES):
            m = _dateline(line)
            found = [m] if m else []
        for m in found:
            out.append(_Candidate(m, (m.parts[0] is None, _label_rank(line, m.start), i), line))
    return sorted(out, key=lambda c: c.rank)


# -------------------------------------------------------------- year-less

def _weekday_evidence(texts: Sequence[str]) -> tuple[int, str] | None:
    """The one weekday a text names, with a short quote of where it does."""
    for text in texts:
        text = text[:WEEKDAY_CHARS]
        days = {m.group(1) for m in _WEEKDAY_WORD.finditer(text)}
        if len(days) == 1:
            m = _WEEKDAY_WORD.search(text)
            lo = max(0, m.start() - 40)
            if lo:   # start the quote on a word
                lo = text.find(" ", lo, m.start()) + 1 or lo
            quote = ("… " if lo else "") + text[lo:m.end()].strip()
            return _WEEKDAYS.index(m.group(1)), quote
        if days:
            return None   # several weekdays: no telling which one is the date's
    return None


def _years_ahead(paragraphs: Sequence[str]) -> list[int]:
    out = []
    for text in paragraphs[:AHEAD_PARAGRAPHS]:
        text = text[:AHEAD_CHARS]
        for m in _YEAR_IN_TEXT.finditer(text):
            before, after = text[max(0, m.start() - 1):m.start()], text[m.end():m.end() + 2]
            if before and (before.isalnum() or before in "/.-") or _NOT_A_YEAR.match(after):
                continue   # part of a number, a date or a decade ("1980s")
            if _AHEAD.search(text[max(0, m.start() - 60):m.start()]):
                out.append(int(m.group(0)))
    return out


def _infer_year(c: _Candidate, ahead: list[int], paragraphs: Sequence[str], today: date) -> FoundDate | None:
    _, month, day, h, mi = c.match.parts
    if c.match.weekday is not None:
        weekday, quote = c.match.weekday, None
    else:
        ev = _weekday_evidence([c.context] + list(paragraphs[:1]))
        if not ev:
            return None
        weekday, quote = ev
    hi = min([today.year] + ahead)
    years = [y for y in range(hi, EARLIEST_YEAR - 1, -1)
             if _valid(y, month, day) and date(y, month, day).weekday() == weekday
             and date(y, month, day) <= today]
    if not years:
        return None
    year = years[0]
    when = f"{day} {_MONTH_NAMES[month - 1]}"
    says = f", as the text says ('{quote}')" if quote else ""
    window = f"{EARLIEST_YEAR}–{hi}"
    if ahead and hi < today.year:
        window += f" (the text speaks of {hi} as still ahead)"
    if len(years) == 1:
        fit = f"in {year} only within {window}"
    else:
        others = ", ".join(str(y) for y in years[1:])
        fit = f"in {year} and {others} within {window}; the most recent is taken"
    note = f"year {year} inferred: {when} fell on a {_WEEKDAYS[weekday]}{says}, {fit}"
    return FoundDate(_iso((year, month, day, h, mi)), note)


def _iso(parts: Parts) -> str:
    y, m, d, h, mi = parts
    if h is not None and mi is not None:
        return f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _plausible(parts: Parts, today: date) -> bool:
    y, m, d = parts[0], parts[1], parts[2]
    return y is not None and EARLIEST_YEAR - 100 <= y and date(y, m, d) <= today


def find_date(header: Sequence[str], paragraphs: Sequence[str], hint: str | None = None,
              *, today: date | None = None) -> FoundDate:
    """The publication date of an article; see the module docstring.

    ``hint`` is a date string from the page's own metadata (e.g. an HTML
    ``<meta>`` date); it wins when it holds a full date.
    """
    today = today or date.today()
    if hint and (parts := parse_date(hint)) and _plausible(parts, today):
        return FoundDate(_iso(parts))
    ahead: list[int] | None = None
    for c in _candidates(header, paragraphs):
        if c.match.parts[0] is not None:
            if _plausible(c.match.parts, today):
                return FoundDate(_iso(c.match.parts))
            continue
        if ahead is None:
            ahead = _years_ahead(paragraphs)
        if inferred := _infer_year(c, ahead, paragraphs, today):
            return inferred
    return FoundDate(None)
