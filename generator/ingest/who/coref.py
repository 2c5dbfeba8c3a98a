"""Article-local entities and a small coreference step.

Names resolve to one entity per person (full name, surname, honorific +
surname, a misspelt surname); pronouns and definite role
phrases ("the former Danish premier") resolve to the most recent plausible
person; "the ministry" to the most recent organisation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Container
from functools import lru_cache

from generator.ingest.registry import norm

from . import lexicon as lx
from .names import Mention

# Role heads that name the same office ("premier" = "prime minister").
_SYNONYMS = {"premier": {"premier", "prime"}, "prime": {"premier", "prime"},
             "chief": {"chief", "head", "secretary", "director", "leader"},
             "head": {"chief", "head", "leader", "director"}, "boss": {"boss", "manager", "coach", "chief", "head"},
             "manager": {"manager", "boss", "coach"}, "coach": {"coach", "manager", "boss"},
             "spokesman": {"spokesman", "spokeswoman", "spokesperson"},
             "spokeswoman": {"spokesman", "spokeswoman", "spokesperson"},
             "leader": {"leader", "chief", "head"}}


@dataclass
class Entity:
    name: str
    kind: str = "person"            # person | organization
    slug: str | None = None         # registry slug once known
    role: str = ""
    gender: str | None = None
    evidence: bool = False          # enough to be sure this is a person
    quoted: bool = False
    forms: list[str] = field(default_factory=list)   # aliases seen in this article
    media: str = ""
    age: str = ""

    @property
    def surname(self) -> str:
        return self.name.split()[-1] if self.kind == "person" else ""

    def __eq__(self, other):
        # What the generated __eq__ does (all fields equal), without building two
        # tuples first: the name alone tells most entities apart.
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.name == other.name and self.kind == other.kind and self.slug == other.slug
                and self.role == other.role and self.gender == other.gender
                and self.evidence == other.evidence and self.quoted == other.quoted
                and self.forms == other.forms and self.media == other.media and self.age == other.age)

    __hash__ = None     # mutable, compared by value: unhashable, as the dataclass had it

    def role_words(self) -> set[str]:
        words = set(re.findall(r"[a-z]+", self.role.lower()))
        for a in self.forms:
            words |= set(re.findall(r"[a-z]+", a.lower()))
        return words


@lru_cache(maxsize=65536)
def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, stopping early once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def clean_role(text: str) -> str:
    """'NATO’s new Secretary General' -> 'NATO Secretary General'."""
    text = re.sub(r"[’']s\b", "", text)
    text = re.sub(r"^(?:the|a|an)\s+|\b(?:new|newly appointed|current)\s+", "", text.strip(), flags=re.I)
    return re.sub(r"\s+", " ", text).strip(" ,")


class Coref:
    """Entities of one article, in order of first mention."""

    def __init__(self):
        self.entities: list[Entity] = []
        self._by_key: dict[str, Entity] = {}
        self.recent: list[Entity] = []      # persons, most recent subject-like mention last
        self.recent_any: list[Entity] = []
        self.recent_orgs: list[Entity] = []
        self.places: Container[str] = set()     # words the article uses after "in"/"at": towns, not outlets
        # Surname lookups, kept in step with the entities (every form is added
        # through ``_add_form``) so a word need not be compared with each person.
        self._pos: dict[int, int] = {}                 # id(entity) -> index in entities
        self._person_keys: dict[str, list[Entity]] = {}   # norm(surname or form) -> persons
        self._long_surnames: list[tuple[Entity, str]] = []  # persons whose surname has 5+ letters
        self._close: dict[str, tuple[int, list[Entity]]] = {}  # word -> (persons checked, close ones)
        # Names that matched nobody: the same name finds nobody again until an
        # entity is added or a person gets a form it could match.
        self._misses: set[str] = set()
        self._miss_keys: dict[str, list[str]] = {}     # norm(word) -> one-word misses
        self._multi_misses: list[str] = []

    # ------------------------------------------------------------ entities
    def _add(self, e: Entity) -> Entity:
        if self._misses:
            self._forget_misses_of(e)
        self._pos[id(e)] = len(self.entities)
        self.entities.append(e)
        self._by_key.setdefault(norm(e.name), e)
        if e.kind == "person":
            self._index(e, e.surname)
            for f in e.forms:
                self._index(e, f)
            if len(e.surname) >= 5:
                self._long_surnames.append((e, norm(e.surname)))
        return e

    def _index(self, e: Entity, form: str) -> None:
        people = self._person_keys.setdefault(norm(form), [])
        if not any(x is e for x in people):     # identity: entities compare by value
            people.append(e)

    def _add_form(self, e: Entity, form: str) -> None:
        e.forms.append(form)
        if e.kind == "person" and id(e) in self._pos:
            self._index(e, form)
            # only a one-word name can find a person by a form (``_local_surname``)
            for word in self._miss_keys.pop(norm(form), ()):
                self._misses.discard(word)

    def _forget_misses(self) -> None:
        self._misses.clear()
        self._miss_keys.clear()
        self._multi_misses.clear()

    def _forget_misses_of(self, e: Entity) -> None:
        """Forget the misses a new entity could turn into hits: its name, a
        person's surname, forms and (for ``_local_surname``) close spellings,
        and every longer name (those are compared with whole names)."""
        keys = {norm(e.name)}
        if e.kind == "person":
            keys.add(norm(e.surname))
            keys.update(norm(f) for f in e.forms)
            if len(e.surname) >= 5:
                sk = norm(e.surname)
                for key in self._miss_keys:
                    limit = 2 if len(key) >= 9 else 1
                    if len(key) >= 5 and abs(len(key) - len(sk)) <= limit and edit_distance(key, sk, limit) <= limit:
                        keys.add(key)
        for key in keys:
            for word in self._miss_keys.pop(key, ()):
                self._misses.discard(word)
        for name in self._multi_misses:
            self._misses.discard(name)
        self._multi_misses.clear()

    def _local_surname(self, word: str) -> Entity | None:
        key = norm(word)
        hits = self._person_keys.get(key)
        if hits:
            return max(hits, key=lambda e: self._pos[id(e)])    # the latest person with that name
        if len(key) >= 5:
            limit = 2 if len(key) >= 9 else 1
            checked, close = self._close.get(key, (0, []))
            close = close + [e for e, sk in self._long_surnames[checked:]
                             if abs(len(sk) - len(key)) <= limit and edit_distance(key, sk, limit) <= limit]
            self._close[key] = (len(self._long_surnames), close)
            if len(close) == 1:
                self._add_form(close[0], word)
                return close[0]
        return None

    def _lookup_name(self, words: list[str], full: str) -> Entity | None:
        """The person or organisation of this article a name refers to, or a close misspelling.

        Finding nobody changes nothing, which lets ``resolve_name`` remember misses."""
        key = norm(full)
        e = self._by_key.get(key)
        if e is None and len(words) > 1:
            # same first and last name as a local person: "Jan Kowalczyk"
            e = next((x for x in self.entities if x.kind == "person" and len(x.name.split()) > 1
                      and norm(x.surname) == norm(words[-1]) and norm(x.name.split()[0]) == norm(words[0])), None)
        if e is None and len(words) > 1:
            # "Van Houten" for "Pieter van Houten"
            e = next((x for x in self.entities if x.kind == "person" and norm(x.name).endswith(" " + key)), None)
        if e is None and len(words) == 1:
            e = self._local_surname(full)
        return e

    def resolve_name(self, m: Mention) -> Entity | None:
        words = m.words
        full = " ".join(words)
        e = None if full in self._misses else self._lookup_name(words, full)
        if e is None:
            if full not in self._misses:
                if len(words) == 1:
                    self._miss_keys.setdefault(norm(full), []).append(full)
                else:
                    self._multi_misses.append(full)
            self._misses.add(full)
            if len(words) == 1 and not (m.honorific or m.title):
                return None
            e = self._add(Entity(full))
        if m.age:
            e.age = m.age
        if m.honorific and m.honorific.lower() in lx.FEMALE_HONORIFICS:
            e.gender = "f"
        elif m.honorific:
            e.gender = e.gender or "m"
        role = m.title or m.apposition
        if role and any(p in lx.ROLE_NOUNS for w in role.lower().split() for p in w.split("-")):
            e.evidence = True
            if not e.role:
                e.role = clean_role(role)
            rw = set(role.lower().split())
            if e.gender is None and rw & lx.FEMALE_ROLES:
                e.gender = "f"
            elif e.gender is None and rw & lx.MALE_ROLES:
                e.gender = "m"
            if m.title and len(m.title.split()) >= 2 and m.title[0].isupper():
                self._add_form(e, clean_role(m.title))
        if m.honorific:
            e.evidence = True
        return e

    def resolve_acronym(self, word: str) -> Entity | None:
        return self._by_key.get(norm(word))

    def resolve_role(self, m: Mention, fallback: bool) -> Entity | None:
        """A definite role phrase -> a person holding that role, or the last person."""
        phrase = clean_role(m.title or m.text)
        age = re.search(r"\b(\d{1,3})-year-old\b", phrase)
        words = [w for w in re.findall(r"[a-z]+(?:-[a-z]+)?", phrase.lower()) if w in lx.ROLE_NOUNS]
        quals = {w for w in re.findall(r"[A-Za-z]+", phrase) if w[0].isupper() and w.lower() not in lx.TITLE_WORDS}
        best, best_score = None, (0, 0)
        if age:
            aged = [e for e in self.recent_any if e.age == age.group(1)]
            if aged:
                return aged[-1]
        if words:
            head = _SYNONYMS.get(words[-1], {words[-1]})
            for rank, e in enumerate(self.recent_any):
                if age and e.age and e.age != age.group(1):
                    continue
                rw = e.role_words()
                if not head & rw or not all(q.lower() in rw for q in quals):
                    continue
                score = (len(set(words) & rw), rank + 1)
                if score > best_score:
                    best, best_score = e, score
        if best is not None:
            return best
        if age:
            aged = [e for e in self.recent_any if e.age == age.group(1)]
            if aged:
                return aged[-1]
        if fallback and self.recent:
            gender = "f" if set(words) & lx.FEMALE_ROLES else "m" if set(words) & lx.MALE_ROLES else None
            for e in reversed(self.recent):
                if gender is None or e.gender in (None, gender):
                    return e
        return None

    # ------------------------------------------------------------ salience
    def note(self, m: Mention, e: Entity) -> None:
        """Update recency after a mention of ``e``."""
        lst = self.recent_orgs if e.kind == "organization" else None
        if lst is not None:
            if e in lst:
                lst.remove(e)
            lst.append(e)
            return
        if e in self.recent_any:
            self.recent_any.remove(e)
        self.recent_any.append(e)
        if m.subject:
            if e in self.recent:
                self.recent.remove(e)
            self.recent.append(e)

    def pronoun(self, word: str) -> Entity | None:
        """he/she/his/her -> the latest compatible person; an unknown gender is learned."""
        gender = "m" if word in ("he", "him", "his") else "f"
        for pool in (self.recent, self.recent_any):
            for e in reversed(pool):
                if e.gender in (None, gender):
                    e.gender = e.gender or gender
                    return e
        return None

    def org(self, m: Mention, country: str | None) -> Entity:
        name = m.text
        if m.media and name in self.places:
            # "the Berlin paper": a paper already named, described by its city
            known = next((e for e in reversed(self.recent_orgs) if e.media), None)
            if known is not None:
                return known
        words = name.split()
        head = words[-1].lower() if words else ""
        if m.media and words and words[0] == "The" and len(words) > 2:
            name = " ".join(words[1:])      # "The Wall Street Journal" -> keep the title's own words
        if not m.media and (head in lx.GOVERNMENT_HEADS or (len(words) > 2 and words[0] in lx.GOVERNMENT_HEADS)) \
                and not any(lx.country_of(w) or w.isupper() for w in words) and country:
            name = f"{country} {name}"
        e = self._by_key.get(norm(name))
        if e is None:
            e = self._add(Entity(name, "organization", evidence=True))
            if name != m.text:
                self._add_form(e, m.text)
        if m.media and not e.media:
            e.media = m.media
        if m.apposition and m.apposition not in e.forms:
            self._add_form(e, m.apposition)        # "(FSAI)"
            self._by_key.setdefault(norm(m.apposition), e)
            self._forget_misses()
        if not e.role:
            e.role = e.media or (head if head in lx.ORG_HEADS else "organization")
        return e

    def org_noun(self, head: str, fallback: Entity | None = None) -> Entity | None:
        """'the ministry' -> the latest organisation of that kind (any organisation for company words)."""
        media = head in ("newspaper", "daily", "paper")
        for e in reversed(self.recent_orgs):
            if head in e.name.lower() or head in (e.media or "") or head in e.role or (media and e.media):
                return e
        if head in ("company", "firm", "group", "club", "bank") and fallback is not None:
            return fallback
        return None
