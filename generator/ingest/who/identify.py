"""Which registry entry each article's people are: one entry per person, stable across runs.

Articles are analysed on their own (``analyze.analyze_local``); this step then
matches their people with ``content/speakers.yaml`` over all of them at once,
so the answer depends on the corpus and the registry as loaded, never on the
order of the seeds, and a second ingest finds exactly the entries the first
one wrote:

1. organisations, and people named in full ("Dmitry Medvedev"), find their
   entry by name or alias, or get a new one;
2. a surname alone ("Medvedev", "President Medvedev") goes to the person with
   that surname whose context fits (gender, role), the most quoted of them when
   several fit; only when nobody has that surname does it get an entry of its own;
3. a role alone ("the former Norwegian premier") goes to the one person the
   registry gives that alias, else the quotation stays unattributed.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

from generator.ingest.registry import Registry, norm

from . import lexicon as lx
from .coref import Entity, edit_distance

_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_PARTICLES = {"de", "da", "di", "du", "van", "von", "der", "den", "del", "della", "dos", "bin", "ibn",
              "al", "el", "la", "le", "ter", "al-", "el-"}
_NAME_TOKEN = re.compile(r"(?:[A-Z]\.){1,3}|[A-Z\u00C0-\u00DE\u0100-\u017D][\w’'\-]*\.?|[a-z]{1,2}['’-][A-Z][\w’'-]*")


@lru_cache(maxsize=65536)
def person_name(raw: str) -> str | None:
    """The clean name of a person as written, or None when it is not a name.

    Titles ("President", "Sen."), party and state tags ("(D-N.C.)"), possessives
    and descriptive words never become part of a name."""
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", raw)
    text = re.sub(r"[’']s?$", "", text.strip().rstrip(",;:"))
    words = text.split()
    while words and (words[0].lower().rstrip(".") in lx.TITLE_WORDS or words[0].lower() in lx.STOP_CAPS
                     or words[0].lower().rstrip(".") in lx.PARTY_WORDS or lx.country_of(words[0])):
        words = words[1:]
    if not words or len(words) > 5:
        return None
    core = [w for w in words if w.lower() not in _SUFFIXES]
    if not core:
        return None
    for w in core:
        low = w.lower().rstrip(".")
        if w.lower() in _PARTICLES:
            continue
        if not _NAME_TOKEN.fullmatch(w) or re.search(r"[’']s?$", w):
            return None         # "Obama's Clean Power Plan": a possessive inside is no name
        if low in lx.PARTY_WORDS or low in lx.ORG_HEADS or low in lx.STOP_CAPS or lx.country_of(w) \
                or (low in lx.NOT_PERSON and not lx.is_given_name(w) and not lx.is_given_name(core[0])) \
                or (low in lx.TITLE_WORDS and not lx.is_given_name(w)):
            return None
        if w.isupper() and len(w.rstrip(".")) > 2 and "." not in w:
            return None         # an acronym: NATO, FBI
    if core[-1].lower() in _PARTICLES or re.fullmatch(r"(?:[A-Z]\.)+", core[-1]):
        return None             # "G." alone, "van": the name was cut
    return " ".join(words)


def surname(name: str) -> str:
    words = [w for w in name.split() if w.lower() not in _SUFFIXES]
    return words[-1] if words else name


def given_names(name: str) -> list[str]:
    words = [w for w in name.split() if w.lower() not in _SUFFIXES]
    return words[:-1]


class _People:
    """The registry's full-named people by surname, with how often this run quotes each.
    Made once every full name of the run is registered: surnames alone add no one to it."""

    def __init__(self, registry: Registry, weight: Counter):
        self.registry = registry
        self.weight = weight
        self._by_surname: dict[str, list[str]] = {}
        for slug, e in registry.entries.items():
            if e.kind == "person" and given_names(e.name):
                self._by_surname.setdefault(norm(surname(e.name)), []).append(slug)

    def full_named(self, word: str) -> list[str]:
        """Slugs of the registry's people with that surname and a given name."""
        return sorted(self._by_surname.get(norm(word), ()))


def _fits(entry, e: Entity) -> bool:
    """Nothing the article says of ``e`` contradicts the registry entry."""
    given = given_names(entry.name)
    if e.gender and given:
        g = lx.given_name_gender(given[0])
        if g and g != e.gender:
            return False
    return True


def _role_overlap(entry, e: Entity) -> int:
    words = set(re.findall(r"[a-z]+", (e.role or "").lower())) & lx.ROLE_NOUNS
    theirs = set(re.findall(r"[a-z]+", " ".join([entry.role or "", *entry.aliases]).lower()))
    return len(words & theirs)


def _by_surname(people: _People, e: Entity, word: str) -> str | None:
    cands = [s for s in people.full_named(word) if _fits(people.registry.get(s), e)]
    if not cands:
        return None
    return min(cands, key=lambda s: (-_role_overlap(people.registry.get(s), e), -people.weight[s], s))


def same_person(a: str, b: str) -> bool:
    """'Stephen K. Bannon' and 'Stephen Bannon': same surname and first name, no middle
    names or suffixes that differ ('George W. Bush' is not 'George H.W. Bush')."""
    wa, wb = a.split(), b.split()
    if norm(surname(a)) != norm(surname(b)) or norm(wa[0]) != norm(wb[0]):
        return False
    sa = {w.lower().rstrip(".") for w in wa if w.lower() in _SUFFIXES}
    sb = {w.lower().rstrip(".") for w in wb if w.lower() in _SUFFIXES}
    ma, mb = _middle(a), _middle(b)
    return sa == sb and (not ma or not mb or ma == mb)


def _middle(name: str) -> tuple[str, ...]:
    return tuple(norm(w)[:1] for w in given_names(name)[1:])


def _full_names(registry: Registry, full: list[Entity]) -> dict[str, str]:
    """Each full name of this run -> its slug, the same whatever order the names came in
    and whether an earlier run already registered them.

    Names that can be one person ("Stephen K. Bannon", "Stephen Bannon") share one entry:
    one already in the registry, else the name written most often.  A name without
    middle initials that fits several people ("George Bush": George W. and George P.)
    goes to the one the articles quote most."""
    count = Counter(e.name for e in full)
    order = list(count)
    known = {e.name: slug for slug, e in registry.entries.items()
             if e.kind == "person" and len(given_names(e.name)) >= 1}
    slug_of: dict[str, str] = {}
    for n in order:
        slug = registry.lookup(n, "person")
        if slug is not None:
            slug_of[n] = slug
    names = list(dict.fromkeys([*known, *order]))
    by_surname: dict[str, list[str]] = {}
    for n in names:
        by_surname.setdefault(norm(surname(n)), []).append(n)
    known_at = {n: i for i, n in enumerate(known)}
    order_at = {n: i for i, n in enumerate(order)}
    rank = {n: (-known_at.get(n, -1) if n in known_at else 0, count[n], -order_at.get(n, 0)) for n in names}

    def canonical(group: list[str]) -> str:
        return max(group, key=lambda n: (n in known, rank[n]))

    for n in order:
        if n in slug_of:
            continue
        fits = [x for x in by_surname[norm(surname(n))] if same_person(x, n)]
        kinds = {_middle(x) for x in fits if _middle(x)}
        if len(kinds) > 1 and not _middle(n):
            # ambiguous: the most quoted of the people it could be
            best = min(kinds, key=lambda k: (-sum(count[x] for x in fits if _middle(x) == k), k))
            fits = [x for x in fits if _middle(x) == best or not _middle(x) and x != n]
        elif len(kinds) > 1:
            fits = [x for x in fits if _middle(x) in ((), _middle(n))]
        head = canonical(fits)
        if head in known:
            slug_of[n] = known[head]
        elif head in slug_of:
            slug_of[n] = slug_of[head]
        else:
            e = next(x for x in full if x.name == head)
            slug_of[n] = slug_of[head] = registry.add(head, role=e.role or None, aliases=_aliases(e))
            known[head] = slug_of[head]
    return slug_of


def assign(registry: Registry, articles: Iterable[list[Entity]]) -> None:
    """Set ``slug`` on every entity of every article (None: not a person or organisation
    anybody can be sure of), adding entries to ``registry`` for people and organisations
    not in it yet."""
    articles = [list(a) for a in articles]
    later: list[Entity] = []
    full: list[Entity] = []
    for entities in articles:
        for e in entities:
            e.slug = None
            if e.kind == "organization":
                e.slug = registry.lookup(e.name, "organization") or registry.lookup(e.name) \
                    or registry.add(e.name, kind="organization", role=e.role or None)
                continue
            if e.kind != "person":
                later.append(e)
                continue
            name = person_name(e.name)
            if name is None:
                continue
            e.name = name
            (full if given_names(name) else later).append(e)
    slug_of = _full_names(registry, full)
    for e in full:
        e.slug = slug_of[e.name]
    people = _People(registry, Counter(e.slug for e in full if e.quoted))
    for e in later:
        if e.kind == "person":
            word = surname(e.name)
            e.slug = _by_surname(people, e, word) or registry.lookup(e.name, "person") \
                or registry.add(e.name, role=e.role or None)
        else:       # a role phrase nobody in the article answered to
            e.slug = registry.lookup(e.name, "person")


def _aliases(e: Entity) -> list[str]:
    """Forms the article ties to this person: other spellings of the surname, and
    role phrases that stood for them ("the former Norwegian premier")."""
    out = []
    last = norm(surname(e.name))
    for f in e.forms:
        if not f or norm(f) in (norm(e.name), last):
            continue
        if len(f.split()) == 1:
            if person_name(f) and edit_distance(norm(f), last) <= 2:
                out.append(f)       # "Vestergard" for Vestergaard
        elif f.split()[0].lower() in lx.ROLE_MODIFIERS and any(lx.country_of(w) for w in f.split()):
            out.append(f)       # "former Norwegian premier": a description that singles them out
    return out
