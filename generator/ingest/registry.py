"""``content/speakers.yaml``: people and organisations, slug -> entry.

The file belongs to the editor.  Ingest reads it, adds the speakers and
people it newly finds in memory, and on ``save`` appends only those new
entries as YAML text at the end, so the comments, order and formatting of
everything already there are never touched.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from generator.errors import ContentError
from generator.yamlutil import Loader, syntax_error
from generator.ingest.slugs import slugify


HEADER = ("# People and organisations quoted or mentioned in the digest.\n"
          "# slug: {name, role, aliases: [...], kind: person|organization, description: optional}\n"
          "# Edit freely: ingest only appends entries for newly found names.\n")


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Lookup key: case, accents, hyphens, possessives and a leading 'the' folded."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’']s\b", "", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@dataclass
class Entry:
    slug: str
    name: str
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    kind: str = "person"
    description: str | None = None

    @property
    def surname(self) -> str:
        return self.name.split()[-1] if self.kind == "person" and self.name else ""

    def to_yaml(self) -> dict:
        data = {"name": self.name, "role": self.role, "aliases": list(self.aliases), "kind": self.kind}
        if self.description:
            data["description"] = self.description
        return data


class Registry:
    def __init__(self, entries: dict[str, Entry] | None = None):
        self.entries: dict[str, Entry] = {}
        self._new: list[str] = []          # slugs added since load/save, in order
        self._keys: dict[str, set[str]] = {}
        self.version = 0        # bumped by every change a lookup could see
        self._memo_version, self._answers = -1, {}
        for e in (entries or {}).values():
            self._insert(e)

    # ------------------------------------------------------------ load/save
    @classmethod
    def load(cls, path: Path) -> "Registry":
        path = Path(path)
        if not path.exists():
            return cls()
        text = path.read_text(encoding="utf-8")
        loader = Loader(text)      # one parse: the nodes give line numbers, then the data
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except yaml.YAMLError as exc:
            raise syntax_error(exc, path,
                               hint="fix the syntax; each entry is 'slug: {name: …, role: …}'") from None
        finally:
            loader.dispose()
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ContentError("expected a mapping of slug -> entry", path, 1)
        lines = {k.value: k.start_mark.line + 1 for k, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
        reg = cls()
        for slug, value in data.items():
            line = lines.get(slug)
            if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"].strip():
                raise ContentError(f"entry '{slug}' needs a 'name'", path, line,
                                   hint="write it as 'slug: {name: Full Name, role: …}'")
            aliases = value.get("aliases") or []
            if isinstance(aliases, str):
                aliases = [aliases]
            if not isinstance(aliases, list):
                raise ContentError(f"entry '{slug}': aliases must be a list", path, line)
            kind = value.get("kind") or "person"
            if kind not in ("person", "organization"):
                raise ContentError(f"entry '{slug}': kind must be person or organization, not {kind!r}",
                                   path, line)
            reg._insert(Entry(str(slug), value["name"].strip(), value.get("role"),
                              [str(a) for a in aliases if a], kind, value.get("description")))
        return reg

    def save(self, path: Path) -> bool:
        """Append entries added since loading; never rewrite existing text."""
        new = [self.entries[s] for s in self._new if s in self.entries]
        if not new:
            return False
        path = Path(path)
        old = path.read_text(encoding="utf-8") if path.exists() else HEADER
        if old and not old.endswith("\n"):
            old += "\n"
        chunk = yaml.safe_dump({e.slug: e.to_yaml() for e in new}, sort_keys=False,
                               allow_unicode=True, width=100, default_flow_style=None)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(old + chunk, encoding="utf-8")
        tmp.replace(path)
        self._new.clear()
        return True

    def fingerprint(self) -> str:
        data = [[e.slug, e.name, e.role, e.aliases, e.kind] for e in self.entries.values()]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()

    # ------------------------------------------------------------ lookups
    def _insert(self, e: Entry) -> None:
        self.version += 1
        self.entries[e.slug] = e
        for key in [e.name, *e.aliases, e.slug.replace("-", " ")]:
            self._keys.setdefault(norm(key), set()).add(e.slug)
        if e.surname:
            self._keys.setdefault("~" + norm(e.surname), set()).add(e.slug)

    def get(self, slug: str) -> Entry | None:
        return self.entries.get(slug)

    def lookup(self, text: str, kind: str | None = None) -> str | None:
        """Slug whose name or alias is ``text`` (unambiguous), else None."""
        memo = self._memo()
        try:
            return memo[text, kind]
        except KeyError:
            slug = memo[text, kind] = self._lookup(text, kind)
            return slug

    def _memo(self) -> dict:
        """Answers given since the last change (an article asks about the same names again and again)."""
        if self._memo_version != self.version:
            self._memo_version, self._answers = self.version, {}
        return self._answers

    def _lookup(self, text: str, kind: str | None) -> str | None:
        slugs = self._keys.get(norm(text), set())
        if kind:
            slugs = {s for s in slugs if self.entries[s].kind == kind}
        return next(iter(slugs)) if len(slugs) == 1 else None

    def lookup_surname(self, word: str) -> str | None:
        """The one person whose surname is ``word``; None when unknown or ambiguous."""
        memo = self._memo()
        try:
            return memo[word, "~"]
        except KeyError:
            slug = memo[word, "~"] = self._lookup_surname(word)
            return slug

    def _lookup_surname(self, word: str) -> str | None:
        slugs = self._keys.get("~" + norm(word), set()) | {
            s for s in self._keys.get(norm(word), set()) if self.entries[s].kind == "person"}
        return next(iter(slugs)) if len(slugs) == 1 else None

    # ------------------------------------------------------------ learning
    def add(self, name: str, *, kind: str = "person", role: str | None = None,
            aliases=()) -> str:
        """Register a new person/organisation and return its slug."""
        base = slugify(name, fallback="someone")
        slug, n = base, 2
        while slug in self.entries:
            slug, n = f"{base}-{n}", n + 1
        entry = Entry(slug, name, role, [], kind)
        self._insert(entry)
        self._new.append(slug)
        for a in aliases:
            self.learn_alias(slug, a)
        return slug

    def learn_alias(self, slug: str, alias: str) -> None:
        """Record a form seen in text; only entries not yet on disk keep it in the file."""
        e = self.entries[slug]
        key = norm(alias)
        if not key or key == norm(e.name) or any(norm(a) == key for a in e.aliases):
            return
        self.version += 1
        e.aliases.append(alias)
        self._keys.setdefault(key, set()).add(slug)
