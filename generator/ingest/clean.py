"""Extract the article body from the plain-text dump of a news web page.

A page dump holds one text line per block of the page: menus, icon sprites,
share bars, the headline, the article paragraphs, lists of other stories,
comments, footers.  Every line is classified from its own statistics (word
count, sentence punctuation, share of user-interface vocabulary) and a few
generic patterns, then weighted: prose counts its words, everything else
costs.  The body is the contiguous run of lines with the highest total weight
(maximum-sum subarray), preferring a run that starts right after the on-page
repetition of the page title; comment threads and lists of other stories act
as barriers.  Chrome lines left inside the run are dropped.

Everything is linear in the size of the input: lines are scanned a constant
number of times and regular expressions only ever see a bounded prefix of a
line, so a pathological line cannot cause catastrophic backtracking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from .textnorm import fold_spaces, normalize

__all__ = ["Extracted", "extract", "normalize", "WIRE_AGENCIES"]


@dataclass(frozen=True)
class Extracted:
    title: str | None            # the article headline
    paragraphs: tuple[str, ...]  # cleaned body paragraphs, in order
    header: tuple[str, ...]      # non-empty lines before the body (title, dates...)
    credits: tuple[str, ...]     # source credits moved out of the body


# ------------------------------------------------------------------ lexicons
# Generic vocabulary of web-page chrome (navigation, sharing, accounts, ads)
# plus function words: a short line made only of these is a menu item or a
# share bar, never prose.
UI_WORDS = frozenset("""
home menu search skip main content navigation nav close open toggle back top
next previous prev more less show hide view all read share shares shared sharing
email e-mail mail print comment comments reply replies forum subscribe subscription
newsletter newsletters sign log login logout register account profile in up out
facebook twitter linkedin pinterest reddit whatsapp instagram youtube tumblr
flipboard telegram vk google+ google plus snapchat rss feed feeds tweet pin buffer
sms messenger copy link url copied permalink bookmark save saved like follow us
advertisement advertising advertise ad ads sponsored promoted cookie cookies
privacy policy terms use conditions contact about help faq sitemap careers jobs
edition language english video videos photo photos gallery podcast podcasts
audio listen watch live now latest news top stories popular trending related
recommended editor's editors pick picks special coverage headlines weekly daily
review section sections topics tags tag categories category archive archives
opens new window click here tap app download get free trial premium membership
of the to and for on with your this our my a an you by at from or
""".split())

# Wire agencies whose name may lead the first paragraph ("AFP - The United
# States ...").  Callers can pass their own set (e.g. from content/ data).
WIRE_AGENCIES = frozenset("""
afp ap reuters xinhua tass itar-tass ria novosti upi dpa ansa efe ians pti ani kyodo
yonhap interfax bernama anadolu kuna wam irna mena apa aap cna bna sana ptinews
""".split()) | {"ria novosti", "associated press", "agence france-presse"}

# Scanning limits: patterns only look at this many leading characters, and
# only the first MAX_LINES non-empty lines are analysed (real pages have a
# few thousand), which bounds time and memory on absurd inputs.
HEAD = 400
LONG = 3000
MAX_LINES = 50_000
_LINE = re.compile(r"[^\n]+")

_WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_TOKENS = re.compile(r"\w+")
# The line ends a sentence: terminal mark, optionally followed by closing
# quotes or brackets; or it ends with a closing quote.
_SENT_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$|[\"”’»]$")
_HAS_SENT_END = re.compile(r"[a-z\u00e0-\u024f\u0400-\u04ff][.!?][\"”’)]?\s+[\"“‘(]?[A-Z\u00c0-\u024f\u0400-\u04ff]")

# Lines that are chrome whatever their context.
_CHROME = re.compile(
    r"""^(?:
      skip\s+to\b.{0,40}                            # skip links
    | \d+\s*(?:min(?:ute)?s?|mins?)\.?(?:\s+read(?:ing)?)?(?:\s+time)?   # reading time
    | (?:reading|read)\s+time\b.{0,30}
    | [\d\s:/.,+-]{1,40}                            # bare numbers, timestamps, durations
    | (?:advertisement|advert|anzeige|publicit[ée]|sponsored|ad)\b.{0,25}
    | (?:page|article|content)\s+not\s+found.{0,30}
    | (?:read|see)\s+(?:also|more|next)\b.{0,200}   # read-also links
    | (?:also\s+read|lire\s+aussi|leia\s+tamb[ée]m|lea\s+tambi[ée]n)\b.{0,200}
    | related\b.{0,80}
    | (?:photo|image|picture|video|source|credit|photograph)s?\s*(?:credit)?\s*:.{0,120}
    | tags?\s*[:\s].{0,200}
    | citation:.{0,300}
    | .{0,80}\ball\s+rights\s+reserved\b.*
    | ©.{0,300}
    | copyright\b.{0,200}
    | share\s+(?:this|on|via)\b.{0,60}
    | (?:click|tap)\s+(?:here\s+)?to\b.{0,80}
    | follow\s+(?:us|me)\b.{0,60}
    )$""",
    re.I | re.X,
)
# Bylines and publication stamps: chrome when short and not a sentence.
_META = re.compile(
    r"^(?:By|BY|Posted|POSTED|Written|Words|Von|Par|Por|Updated|UPDATED|Published|PUBLISHED|"
    r"Last\s+updated|First\s+published|Posted\s+on|Publicado|Aktualisiert)\b"
)
# Cookie/consent banners, legal and subscription notices: long sentences
# about the site rather than the story.
_NOTICE = re.compile(
    r"\b(?:(?:we|site|website|this\s+site)\s+uses?\s+cookies|cookie\s+(?:policy|settings|preferences)|"
    r"(?:accept|allow|use\s+of)\s+(?:all\s+)?cookies|enable\s+javascript|javascript\s+(?:is\s+)?(?:disabled|required)|"
    r"requires\s+javascript|(?:update|upgrade)\s+your\s+browser|privacy\s+policy|terms\s+of\s+(?:use|service)|"
    r"your\s+inbox|(?:your|valid)\s+e-?mail\s+address|sign\s+up\s+(?:for|to)\s+(?:our|the)|"
    r"subscribe\s+(?:to\s+our|now)|newsletter|(?:opens|open)\s+in\s+(?:a\s+)?new\s+window|"
    r"all\s+rights\s+reserved|does\s+not\s+exist\s+or\s+is\s+not\s+available|affiliate\s+commission|"
    r"may\s+earn\s+(?:a|an)\s+(?:\w+\s+)?commission|cookies\b.{0,80}\bwebsite|website\b.{0,80}\bcookies|"
    r"registered\s+trademarks?|for\s+(?:general\s+)?informational\s+purposes|"
    r"information\s+(?:provided|contained)\s+on\s+this\s+(?:web)?site|unsubscribe|"
    r"subject\s+to\s+copyright|(?:buy|purchase)\s+something\s+through|"
    r"(?:may|might|will)\s+(?:get|earn|receive)\s+(?:a\s+)?(?:small\s+)?(?:share|commission|compensation)|"
    r"(?:reached|contacted|emailed)\s+at\s+\S+@)\b",
    re.I,
)
# Photo captions and credits.
_CAPTION = re.compile(
    r"\bGetty\s+Images\b|\bAP\s+Photo\b|\bPhoto(?:graph)?:|\bImage:|\(Image|\bPhoto\s+by\b|"
    r"\bImage\s+(?:copyright|caption)\b|\bfile\s+photo\b|\bShutterstock\b|\bPhoto\s+credit\b|"
    r"\bvia\s+AP\b|\bAFP\s+via\b|\bCourtesy\s+(?:of\s+)?\w+|\bCredits?:\s*\S",
    re.I,
)
# A line made only of date and time words is a date stamp.
_DATE_PART = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|"
    r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b|"
    r"\b(?:am|pm|a\.m\.|p\.m\.|gmt|utc|est|edt|cst|cdt|pst|pdt|ist|cet|cest|bst|et)\b|"
    r"\b(?:on|at|updated|published|posted|ago|hours?|minutes?|days?|h|m|st|nd|rd|th)\b|"
    r"\d+\s*(?:h|hrs?|m|mins?|d|s|w)\b|[\d\W_]+",
    re.I,
)
# Markers after which the article never continues: comment threads and
# error pages.  They cut the body wherever they occur after it has started.
_HARD_STOP = re.compile(
    r"""^(?:
      \d*\s*(?:comments?|responses?|replies|reactions|kommentare|commentaires|comentarios|coment[áa]rios)\b.{0,60}
    | (?:leave|post|add|write|submit)\s+a\s+(?:reply|comment|response).{0,40}
    | (?:deixe|deja|laisser|hinterlasse)\b.{0,40}
    | (?:join|start)\s+the\s+(?:conversation|discussion).{0,30}
    | view\s+(?:the\s+)?(?:discussion|comments).{0,30}
    | (?:show|load|hide|view)\s+(?:all\s+)?comments.{0,20}
    | comments\s+are\s+closed.{0,20}
    | \S+(?:\s\S+){0,3}\s+says:
    | \d+\s+(?:thoughts|comments|responses|replies)\s+(?:on|to)\b.{0,120}
    | about\s+the\s+author.{0,20}|(?:[üu]ber|sobre|[àa]\s+propos\s+de)\s+\S+(?:\s+\S+){0,2}
    | (?:page|article|content)\s+not\s+found.{0,30}
    | (?:error\s+)?404\b.{0,40}
    )$""",
    re.I | re.X,
)
# Headers of lists of other stories.  They also occur as widgets inside an
# article, so they only end the body when no prose follows them closely.
_SOFT_STOP = re.compile(
    r"""^(?:
      (?:related|recommended|more|other|latest|top|popular|trending|most\s+\w+)
        (?:\s+(?:articles?|stories|posts|content|coverage|news|reads?|videos?|links|for\s+you))?\s*:?
    | related\b.{0,60}
    | more\s+\S+(?:\s+\S+){0,3}
    | you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested(?:\s+in)?)\b.{0,20}
    | (?:special\s+coverage|editor['’]?s?\s+picks?|major\s+headlines|hot\s+topics|don['’]?t\s+miss|
       weekly\s+review|in\s+(?:other|case\s+you\s+missed)\b.{0,20}|also\s+on\b.{0,40}|
       about\s+this\s+(?:article|story|statement|post).{0,20}|explore\s+further|read\s+(?:these\s+)?next|(?:artigos|art[íi]culos)\s+relacionados|
       weitere\s+beitr[äa]ge.{0,30}|[äa]hnliche\s+artikel|関連記事)
    )$""",
    re.I | re.X,
)

_PROSE, _SHORT, _CHROMEK = 0, 1, 2
_NO_STOP, _SOFT, _HARD = 0, 1, 2

# Weights of the maximum-sum search (prose lines weigh their word count).
SHORT_BASE, SHORT_PER_WORD = -3.0, -0.5
CHROME_WEIGHT = -8.0
DATE_WEIGHT = -20.0
TEASER_WEIGHT = -5.0
LIST_ITEM_WEIGHT = 0.5
BARRIER = -1e9
RESUME_WINDOW = 6      # a list header followed by prose this soon is an inline widget
WIDGET_PARA_WORDS = 15 # ...whose links end at the next paragraph this long
TEASER_MIN_UNITS = 4   # headline/blurb units that make a list of other stories
REPEAT_MIN, REPEAT_MAX = 7, 10  # word-prefix lengths that identify repeated prose
REPEAT_CHARS = 160                # ...found within this many characters
ANCHOR_WINDOW = 25     # the body starts at most this many lines after the headline
ANCHOR_RATIO = 0.2     # ...unless the best run elsewhere is 5x heavier
LEAD_CREDIT_PARAS = 3  # "AFP - " may follow a standfirst or two


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    words: int
    kind: int
    stop: int
    repeat: bool = False
    date: bool = False


# ------------------------------------------------------------ line features
def _tokens(head: str) -> list[str]:
    return _WORD.findall(head.lower())


def _count_words(line: str, toks: list[str] | None = None, cjk: bool = True) -> int:
    """Words of a line; two CJK characters count as one word.  Beyond HEAD
    characters, spaces approximate words (cheap, allocation-free)."""
    if toks is not None and len(line) <= HEAD:
        n = len(toks)
    else:
        n = line.count(" ") + 1
    return n + len(_CJK.findall(line[:LONG])) // 2 if cjk else n


def _ui_share(toks: list[str]) -> float:
    if not toks:
        return 1.0
    return sum(t.strip(".") in UI_WORDS for t in toks) / len(toks)


def _is_date_line(line: str) -> bool:
    """A date/time stamp: digits plus only date and time words."""
    head = line[:HEAD]
    return len(head) <= 80 and any(c.isdigit() for c in head) and not _DATE_PART.sub("", head).strip()


# Cheap word prefilters for the unanchored searches above (speed only:
# every alternative of those patterns contains one of these words).
_NOTICE_TRIGGERS = frozenset("""
cookie cookies javascript browser privacy terms inbox mail email e-mail sign subscribe
newsletter window rights available commission trademark trademarks informational site
website web unsubscribe copyright something share compensation reached contacted emailed
""".split())
_CAPTION_TRIGGERS = frozenset("getty photo photograph image shutterstock ap afp courtesy credit credits".split())


_ICON = re.compile(r"icon\b", re.I)


def _is_icon_text(head: str) -> bool:
    """Icon-font/sprite labels ("bookmarkicon cameraicon checkicon ...")."""
    if "icon" not in head.lower():
        return False
    n = len(_ICON.findall(head))
    return n >= 3 and n * 4 >= len(head.split())


def _ends_sentence(line: str) -> bool:
    return bool(_SENT_END.search(line[-6:]))


def _classify(text: str, cjk: bool = True) -> _Line:
    head = text[:HEAD]
    toks = _tokens(head)
    words = _count_words(text, toks, cjk)
    ends = _ends_sentence(text)
    stop = _NO_STOP
    if words <= 10:
        stop = _HARD if _HARD_STOP.match(head) else _SOFT if _SOFT_STOP.match(head) else _NO_STOP
    chrome = (
        (words <= 40 and _CHROME.match(head))
        or _is_icon_text(head)
        or (words <= 15 and not ends and _META.match(head))
        or (words <= 8 and _ui_share(toks) >= 0.99)
        or head.count(" | ") >= 3
        or (words <= 150 and not _NOTICE_TRIGGERS.isdisjoint(toks) and _NOTICE.search(head))
        or (words <= 60 and not _CAPTION_TRIGGERS.isdisjoint(toks) and _CAPTION.search(head))
    )
    if chrome or _is_date_line(head):
        return _Line(text, words, _CHROMEK, stop, date=not chrome)
    if (
        words >= 20
        or (words >= 5 and ends)
        or (words >= 3 and ends and _ui_share(toks) < 0.5)
        or (words >= 8 and _HAS_SENT_END.search(head))
    ):
        return _Line(text, words, _PROSE, stop)
    return _Line(text, words, _SHORT, stop)


def _key(line: str) -> tuple[str, ...]:
    """Comparison key: lower-case word tokens, apostrophes ignored."""
    return tuple(_TOKENS.findall(line[:HEAD].lower().replace("’", "").replace("'", "")))


def _mark_repeats(lines: list[_Line]) -> list[_Line]:
    """Flag long prose that starts like an earlier prose line: a teaser,
    summary or meta description, which must not attract the body span (it
    keeps its place when the span covers it anyway)."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for ln in lines:
        if ln.kind == _PROSE and ln.words >= REPEAT_MIN:
            key = _key(ln.text[:REPEAT_CHARS])[:REPEAT_MAX]
            prefixes = [key[:k] for k in range(REPEAT_MIN, len(key) + 1)]
            if ln.words >= REPEAT_MAX and any(p in seen for p in prefixes):
                ln = _Line(ln.text, ln.words, ln.kind, ln.stop, True, ln.date)
            seen.add(key)
        out.append(ln)
    return out


# ------------------------------------------------------------ span search
def _weight(ln: _Line) -> float:
    if ln.repeat:
        return 0.0
    if ln.kind == _PROSE:
        return float(ln.words)
    if ln.kind == _SHORT:
        return SHORT_BASE + SHORT_PER_WORD * min(ln.words, 20)
    return DATE_WEIGHT if ln.date else CHROME_WEIGHT


def _teaser_runs(lines: list[_Line]) -> list[range]:
    """Lists of other stories: at least TEASER_MIN_UNITS consecutive units of
    a similar shape, two or more non-prose lines (headline, author, date...)
    followed by a single prose line (the blurb)."""
    runs, n = [], len(lines)
    i, start, units, prev_k = 0, 0, 0, 0
    while i <= n:
        j = i
        while j < n and lines[j].kind != _PROSE:
            j += 1
        k = j - i
        teaser = j < n and k >= 2 and (j + 1 >= n or lines[j + 1].kind != _PROSE)
        if units and (not teaser or abs(k - prev_k) > 1):
            if units >= TEASER_MIN_UNITS:
                runs.append(range(start, i))
            units = 0
        if teaser:
            if units == 0:
                start = i
            units, prev_k = units + 1, k
        i = j + 1
    return runs


def _weigh_lists(lines: list[_Line], weights: list[float]) -> None:
    """A prose paragraph followed by a line ending in a colon introduces a
    list: the intro and the short lines after it belong to the text."""
    n = len(lines)
    for i in range(1, n):
        ln = lines[i]
        if ln.kind == _CHROMEK or not ln.text.endswith(":") or lines[i - 1].kind != _PROSE:
            continue
        weights[i] = max(weights[i], LIST_ITEM_WEIGHT)
        j = i + 1
        while j < n and lines[j].kind == _SHORT and not lines[j].stop:
            weights[j] = LIST_ITEM_WEIGHT
            j += 1


def _weights(lines: list[_Line]) -> tuple[list[float], list[bool]]:
    """Line weights for the span search, and which lines to drop from it."""
    weights = [_weight(ln) for ln in lines]
    drop = [ln.kind == _CHROMEK for ln in lines]
    _weigh_lists(lines, weights)
    for run in _teaser_runs(lines):
        for k in run:
            weights[k], drop[k] = TEASER_WEIGHT, True
    next_prose = next_para = len(lines) + RESUME_WINDOW
    for i in range(len(lines) - 1, -1, -1):
        ln = lines[i]
        if ln.stop == _HARD or (ln.stop == _SOFT and next_prose - i > RESUME_WINDOW):
            weights[i], drop[i] = BARRIER, True
        elif ln.stop == _SOFT:
            # an inline "Related"/"More" widget: up to the next real paragraph
            # its lines are links, whatever their punctuation
            for k in range(i, min(next_para, i + RESUME_WINDOW + 1)):
                if lines[k].words < WIDGET_PARA_WORDS:
                    weights[k], drop[k] = min(weights[k], CHROME_WEIGHT), True
        if ln.kind == _PROSE and not drop[i]:
            next_prose = i
            if ln.words >= WIDGET_PARA_WORDS:
                next_para = i
    return weights, drop


def _best_span(weights: list[float], lo: int = 0, hi: int | None = None) -> tuple[int, int, float]:
    """Maximum-sum contiguous run of weights[lo:hi] (Kadane); inclusive bounds."""
    hi = len(weights) if hi is None else hi
    best, best_a, best_b = float("-inf"), lo, lo - 1
    cur, a = 0.0, lo
    for i in range(lo, hi):
        w = weights[i]
        if cur <= 0:
            cur, a = w, i
        else:
            cur += w
        if cur > best:
            best, best_a, best_b = cur, a, i
    return best_a, best_b, best


def _anchored_span(weights: list[float], starts: range) -> tuple[int, int, float]:
    """Best run whose start lies in `starts` (any end), by one backward pass
    over prefix sums."""
    n = len(weights)
    prefix = [0.0] * (n + 1)
    for i, w in enumerate(weights):
        prefix[i + 1] = prefix[i] + w
    best, best_a, best_b = float("-inf"), starts.start, starts.start - 1
    top, top_e = float("-inf"), n - 1
    for s in range(n - 1, starts.start - 1, -1):
        if prefix[s + 1] > top:
            top, top_e = prefix[s + 1], s
        if s < starts.stop and top - prefix[s] > best:
            best, best_a, best_b = top - prefix[s], s, top_e
    return best_a, best_b, best


_TITLE_SEP = re.compile(r"\s+(?:[|\-–—·:»/]|::|--)\s+")


def _title_keys(first: str) -> set[tuple[str, ...]]:
    """The page <title> (first line) and its prefixes cut at site separators."""
    keys = {_key(first)}
    for m in _TITLE_SEP.finditer(first[:HEAD]):
        keys.add(_key(first[:m.start()]))
    return {k for k in keys if len(k) >= 2}


def _anchors(lines: list[_Line]) -> list[int]:
    """Lines after the first that repeat the page title: the on-page headline."""
    first = lines[0].text
    keys = _title_keys(first)
    limit = len(first) + 8  # a repetition is never much longer than the <title>
    found = []
    for i in range(1, len(lines)):
        if len(lines[i].text) <= limit and _key(lines[i].text) in keys:
            found.append(i)
            if len(found) == 5:
                break
    return found


def _body_span(lines: list[_Line], weights: list[float], anchors: list[int]) -> tuple[int, int]:
    a, b, best = _best_span(weights)
    anchored = []
    for t in anchors:
        end = min(len(lines), t + 1 + ANCHOR_WINDOW)
        end = next((i for i in range(t + 1, end) if weights[i] == BARRIER), end)
        if end > t + 1:
            anchored.append(_anchored_span(weights, range(t + 1, end)))
    if anchored:
        aa, ab, asum = max(anchored, key=lambda x: x[2])
        if asum > 0 and asum >= ANCHOR_RATIO * best:
            a, b = aa, ab
    return a, b


# ------------------------------------------------------------ title, credits
def _find_title(lines: list[_Line], anchors: list[int], body_start: int, first_para: str) -> str | None:
    """The on-page headline: the repetition of the page title if there is
    one, else the nearest headline-like line above the body, skipping dates,
    bylines, chrome and a standfirst that repeats the first paragraph."""
    for t in anchors:
        if t < body_start:
            return lines[t].text
    lede = " ".join(_key(first_para))
    fallback = None
    for i in range(body_start - 1, max(-1, body_start - 12), -1):
        ln = lines[i]
        if ln.kind == _CHROMEK or ln.stop or not 3 <= ln.words <= 30:
            continue
        if _ends_sentence(ln.text) and not ln.text.endswith("?"):
            continue
        if " ".join(_key(ln.text)) in lede or _ui_share(_tokens(ln.text[:HEAD])) >= 0.6:
            continue
        if _NOT_HEADLINE.search(ln.text[:HEAD]):
            continue
        if ln.words <= HEADLINE_MAX_WORDS:
            return ln.text
        # a long unpunctuated line right above the body is usually the standfirst;
        # the headline, if any, sits above it
        fallback = fallback or ln.text
    return fallback


# Lines near the top that are never the headline: bylines, date/time stamps, share prompts.
HEADLINE_MAX_WORDS = 18
_NOT_HEADLINE = re.compile(
    r"^(?:by|interview by|words by|reporting by|written by|updated|published|posted)\b"
    r"|\b(?:share|shares) (?:article|this|on|via)\b|\bvia (?:email|facebook|twitter|linkedin)\b"
    r"|\b\d{1,2}[:.]\d{2}\s*(?:am|pm|[ap]\.m\.|gmt|bst|utc|cet|est|edt|et)?\b"
    r"|^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? (?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|, special to\b|^why you can trust\b",
    re.I)


_SOURCE_LINE = re.compile(r"^(?:sources?|credits?)\s*:\s*(.{2,60}?)\s*$", re.I)
_LEAD_CREDIT = re.compile(r"^([A-Za-z][\w.-]*(?:\s[A-Za-z][\w.-]*)?)\s+[-–—]{1,2}\s+(?=\S)")


def _split_credits(paragraphs: list[str], tail: list[str],
                   agencies: frozenset[str]) -> tuple[list[str], list[str]]:
    """Move "Source: X" lines and a leading "AGENCY - " out of the body."""
    credits, body = [], []
    for p in paragraphs:
        m = _SOURCE_LINE.match(p[:HEAD])
        if m and len(m.group(1).split()) <= 6:
            credits.append(m.group(1))
        else:
            body.append(p)
    for p in tail:
        m = _SOURCE_LINE.match(p[:HEAD])
        if m and len(m.group(1).split()) <= 6:
            credits.append(m.group(1))
    for i in range(min(LEAD_CREDIT_PARAS, len(body))):
        m = _LEAD_CREDIT.match(body[i][:HEAD])
        if m and m.group(1).lower() in agencies:
            credits.insert(0, m.group(1))
            body[i] = body[i][m.end():]
            break
    return body, credits


# ------------------------------------------------------------ entry point
def extract(text: str, agencies: frozenset[str] = WIRE_AGENCIES) -> Extracted:
    """Split a page dump into headline, body paragraphs, header lines and
    source credits."""
    text = normalize(text)
    cjk = not text.isascii() and _CJK.search(text) is not None
    raw = (fold_spaces(m.group()) for m in _LINE.finditer(text))
    lines = _mark_repeats([_classify(l, cjk) for l in islice((l for l in raw if l), MAX_LINES)])
    if not lines:
        return Extracted(None, (), (), ())
    weights, drop = _weights(lines)
    anchors = _anchors(lines)
    a, b = _body_span(lines, weights, anchors)
    body = [lines[i].text for i in range(a, b + 1) if not drop[i]]
    tail = [ln.text for ln in lines[b + 1:b + 4]]
    body, credits = _split_credits(body, tail, agencies)
    title = _find_title(lines, anchors, a, body[0] if body else "")
    header = tuple(ln.text for ln in lines[:a])
    return Extracted(title, tuple(body), header, tuple(credits))
