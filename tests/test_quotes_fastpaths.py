"""The speed-ups of the who-said-what analysis give exactly what the plain
forms they replace give: the ``\\b``-first patterns, longest-first word
alternations, regex searches over a window, and the lookup caches."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from generator.ingest.who import lexicon as lx
from generator.ingest.who import names
from generator.ingest.who.coref import Coref
from generator.ingest.who.names import Mention, common_words, name_mentions
from generator.ingest.who.wordtrie import trie_pattern

DATA = Path(__file__).resolve().parent / "data" / "unseen"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _texts() -> list[str]:
    """Real news paragraphs plus random strings full of edge characters."""
    out = []
    for path in sorted(DATA.glob("*.txt")) + sorted(SEEDS.glob("*.txt")):
        out += [p for p in path.read_bytes().decode("utf-8", "replace").splitlines() if p.strip()]
    rnd = random.Random(7)
    alphabet = "aeshT tHe’'-._,\n“”\"AUS0éſKİı"
    out += ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(60))) for _ in range(800)]
    return out


TEXTS = _texts()


def _ranges(text: str, rnd: random.Random):
    yield 0, len(text)
    for _ in range(2):
        yield tuple(sorted((rnd.randrange(len(text) + 1), rnd.randrange(len(text) + 1))))


def _spans(matches):
    return [(m.span(), m.groups()) for m in matches]


def _longest_first(words, space=r"\ ") -> str:
    return "(?:" + "|".join(sorted((re.escape(w).replace(r"\ ", space) for w in words), key=len, reverse=True)) + ")"


# The patterns as they were written before they were reshaped for speed.
_ROLE = _longest_first(lx.ROLE_NOUNS)
_CAP = r"[A-Z\u00C0-\u00DE\u0100-\u017D][\w’'\-]*"
_PART = r"(?:de|da|di|du|van|von|der|den|del|della|dos|bin|ibn|al|el|la|le|ter)"
_ABBR = r"(?:[A-Z]\.|(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Maj|Adm|Jr|Sr)\.)"
REFERENCE = {
    "RUN_RE": (rf"(?<![\w’'-])(?:{_ABBR}|{_CAP})(?:[ ](?:{_PART}[ ])?(?:{_ABBR}|{_CAP}))*", 0),
    "PRONOUN_RE": (r"\b(he|she|He|She|him|his|His|her|Her)\b", 0),
    "ORG_HEAD_RE": (rf"\b(?:{_longest_first(lx.ORG_HEADS).title()}|Kremlin|Pentagon|White House)\b", 0),
    "MEDIA_KIND_RE": (rf"(?<=[\w’'] )(?P<kind>{_longest_first(lx.MEDIA_KINDS)})\b(?!\s+[A-Z])", 0),
    "MEDIA_TITLE_RE": (rf"\b(?:{'|'.join(w.title() for w in lx.MEDIA_TITLES)})\b", 0),
    "ACRONYM_RE": (r"(?<![\w-])[A-Z]{2,6}(?![\w-])", 0),
}
# These start at the "h" of "the" (see names._the_matches).
REFERENCE_THE = {
    "ROLE_NP_RE": rf"\b[Tt]he\s+(?P<mods>(?:[\w’'-]+\s+){{0,3}}?)(?P<head>(?i:{_ROLE})(?:[\s-](?i:{_ROLE}))*)\b(?!\s+[A-Z])",
    "ORG_NOUN_RE": (rf"\b[Tt]he\s+(?:[\w’'-]+\s+){{0,2}}?(?P<head>{_longest_first(lx.ORG_NOUNS)})\b"
                    rf"(?!\s+(?:of\s+)?[A-Z])(?!\s+(?:{_ROLE})\b)"),
    "MEDIA_AFTER_RE": (r"\b[Tt]he\s+(?:[\w’'-]+\s+){0,2}?(?P<kind>daily|newspaper|weekly|paper|tabloid|magazine)\s+"
                       r"(?P<name>[A-Za-z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})"),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_scanning_patterns_match_their_plain_forms(name):
    fast, slow = getattr(names, name), re.compile(*REFERENCE[name])
    rnd = random.Random(name)
    for text in TEXTS:
        for lo, hi in _ranges(text, rnd):
            assert _spans(fast.finditer(text, lo, hi)) == _spans(slow.finditer(text, lo, hi)), (text, lo, hi)


@pytest.mark.parametrize("name", sorted(REFERENCE_THE))
def test_the_patterns_match_their_plain_forms(name):
    fast, slow = getattr(names, name), re.compile(REFERENCE_THE[name])
    rnd = random.Random(name)
    for text in TEXTS:
        for lo, hi in _ranges(text, rnd):
            got = [((start, m.end()), m.groups()) for start, m in names._the_matches(fast, text, lo, hi)]
            assert got == _spans(slow.finditer(text, lo, hi)), (text, lo, hi)


def test_speech_verbs_match_the_longest_first_list():
    slow = re.compile(r"\b(" + _longest_first(lx.SPEECH_VERBS, r"\s+") + r")\b", re.I)
    for text in TEXTS:
        assert _spans(lx.SPEECH_VERB_RE.finditer(text)) == _spans(slow.finditer(text))


@pytest.mark.parametrize("ignore_case", [False, True])
def test_word_trie_prefers_the_longer_word(ignore_case):
    words = ["arm", "arms", "arms control", "armistice", "ar", "b", "bar", "Bark"]
    flags = re.I if ignore_case else 0
    fast = re.compile(trie_pattern(words, space=r"\s+", ignore_case=ignore_case) + r"(?!\w)", flags)
    slow = re.compile(_longest_first(words, r"\s+") + r"(?!\w)", flags)
    rnd = random.Random(3)
    for _ in range(3000):
        text = " ".join(rnd.choice(words + ["ARMS", "x", "arms  control", "bark"]) for _ in range(6))
        assert _spans(fast.finditer(text)) == _spans(slow.finditer(text)), text


def test_preceding_word_is_what_the_regex_finds():
    slow = re.compile(r"([\w’']+)\W*$")
    for text in TEXTS:
        for i in range(0, len(text) + 1, 3):
            m = slow.search(text[max(0, i - 30):i])
            assert names._preceding_word(text, i) == (m.group(1).lower() if m else ""), (text, i)


def test_speaks_before_is_what_the_regex_finds():
    slow = names._SPEAKS_BEFORE
    extra = ["He said  Ann", "it SAYS\nBo", "according  to Al", "as he wrote Li", "he ſays Mo", "told: X"]
    for text in TEXTS + extra:
        for i in range(len(text) + 1):
            assert names._speaks_before(text, i) == bool(slow.search(text, max(0, i - 40), i)), (text, i)


def test_title_before_is_the_title_chain_or_lower_role():
    for text in TEXTS + ["the former premier " * 5 + "Ann", "x" * 80 + " said Ann", "US Under Secretary Bo"]:
        for cut in range(len(text) + 1):
            window = text[max(0, cut - 120):cut] + " "
            want = names._title_chain(window, len(window)) or names._lower_role_before(window)
            assert names._title_before(text, cut) == want, (text, cut)


def test_article_words_are_the_lower_case_words_it_writes():
    slow = re.compile(r"(?<![\w’'-])[a-z][a-z’'-]+")
    paragraphs = TEXTS[:60]
    words = common_words(paragraphs)
    written = {w for p in paragraphs for w in slow.findall(p)}
    asked = written | {w.lower() for p in paragraphs for w in re.findall(r"[\w’'.-]+", p)} | {"x-", "’s", "a"}
    for w in asked:
        assert (w in words) == (w in written), w


def test_possessive_clean_fast_path():
    slow = re.compile(r"[’']s$|[’']$")
    for tok in ["Obama's", "Obama’s", "Jones'", "Jones", "NATO", "s", "'", "x\n", "Ann's\n", "Is"]:
        assert names._clean(tok) == slow.sub("", tok)


def test_names_read_lazily_give_the_fields_read_at_once():
    texts = TEXTS[:200] + ["Residents, said Mayor Ann Berg, 52, of the town, want answers.",
                           "“No,” said Lena Moss, a deputy spokesman for the council, on Monday."]
    for text in texts:
        for m in name_mentions(text, 0, len(text), common_words([text])):
            if m.kind != "name":
                continue
            start, stop, own = m.start, m.end, m.possessive
            app = names._APPOSITION.match(text[stop:stop + 160]) if not own and text.startswith(", ", stop) else None
            age = re.match(r",\s*(?:aged\s+)?(\d{1,3}),", text[stop:stop + 12])
            speaks = bool(names._SPEAKS_AFTER.match(text, stop, stop + 200)) or bool(
                names._SPEAKS_BEFORE.search(text, max(0, start - 40), start))
            assert m.apposition == (app.group("role").strip() if app else "")
            assert m.age == (age.group(1) if age else "")
            assert m.speaks == (speaks and not own)
            assert m.subject == (not own and names._preceding_word(text, start) not in names._PREPOSITIONS)


def _name(words: str, title: str = "") -> Mention:
    return Mention(0, 0, "name", words, title=title, words=words.split())


def test_a_name_missed_before_finds_a_person_added_later():
    coref = Coref()
    assert coref.resolve_name(_name("Kowalczik")) is None            # nobody yet
    assert coref.resolve_name(_name("Soldal")) is None
    person = coref.resolve_name(_name("Jan Kowalczyk", title="Secretary General"))
    assert coref.resolve_name(_name("Kowalczik")) is person          # misspelt surname, now close
    assert coref.resolve_name(_name("Kowalczyk")) is person
    assert coref.resolve_name(_name("Soldal")) is None
    coref._add_form(person, "Soldal")                               # a form makes it findable
    assert coref.resolve_name(_name("Soldal")) is person


