"""The outlet registry: news agencies and outlets, their aliases and fingerprints.

Entries come from YAML files mapping a canonical name to
``{aliases: [...], url: optional, signatures: [...]}``; the packaged default
lists the big agencies and outlets, ``content/sources.yaml`` adds or amends
entries.  An entry whose name or an alias is already known amends that
outlet: its name becomes the canonical one, aliases are merged, and its url and
signatures, when given, replace the earlier ones (later files win).

Names are compared by a folded key (case, punctuation and spaces ignored, a
leading "The" optional), so "Itar-Tass", "ITAR TASS" and "ITAR-TASS" are one
outlet, and "Guardian", "The Guardian" and "TheGuardian" another.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from generator.errors import ContentError
from generator.yamlutil import key_lines, syntax_error

__all__ = ["Outlet", "Outlets", "fold"]

_NON_WORD = re.compile(r"[\W_]+")
_LEADING_THE = re.compile(r"^\s*the\s+", re.I)


def fold(name: str) -> str:
    """Comparison key of an outlet name: case, punctuation and spaces ignored."""
    return _NON_WORD.sub("", name.lower())


def _keys(name: str) -> list[str]:
    """Keys a name is known by: "The Hill" is also "Hill" (and "TheHill")."""
    key = fold(name)
    bare = fold(_LEADING_THE.sub("", name))
    return [key, bare] if bare and bare != key else [key] if key else []


@dataclass
class Outlet:
    name: str
    aliases: list[str] = field(default_factory=list)
    url: str | None = None
    signatures: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class Outlets:
    def __init__(self, outlets: Iterable[Outlet] = ()):
        self._by_name: dict[str, Outlet] = {}
        self._by_key: dict[str, Outlet] = {}
        self._compiled: tuple | None = None   # name, signature patterns; built on first use
        for o in outlets:
            self._add(o)

    # ------------------------------------------------------------ loading
    @classmethod
    def load(cls, *paths: Path) -> "Outlets":
        """Merge registry files in order (later wins); missing files are skipped."""
        reg = cls()
        for path in paths:
            path = Path(path)
            if not path.is_file():
                continue
            for outlet in _read(path):
                reg._add(outlet)
        return reg

    def _add(self, new: Outlet) -> None:
        old = next((self._by_key[k] for n in new.names() for k in _keys(n) if k in self._by_key), None)
        if old is not None:
            del self._by_name[old.name]
            # Old spellings keep resolving; the later name becomes canonical.
            aliases = [n for n in new.aliases + old.names() if fold(n) != fold(new.name)]
            new = Outlet(new.name, _unique(aliases), new.url or old.url,
                         new.signatures or old.signatures)
        self._by_name[new.name] = new
        for n in new.names():
            for k in _keys(n):
                self._by_key[k] = new
        self._compiled = None

    # ------------------------------------------------------------ queries
    def __iter__(self) -> Iterator[Outlet]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def canonical(self, name: str) -> str | None:
        """The registry name of ``name`` (a name or alias, any spelling), else None."""
        for k in _keys(name or ""):
            if k in self._by_key:
                return self._by_key[k].name
        return None

    def _patterns(self) -> tuple:
        if self._compiled is None:
            # Proper nouns: matched as written or in capitals ("REUTERS"), so
            # "ap", "rt" or "guardian" in running text are not outlets.
            names = {v for o in self for n in o.names() for v in (n, n.upper())}
            alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            name_re = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])") if alts else None
            sigs = {" ".join(s.lower().split()): o.name for o in self for s in o.signatures if s.strip()}
            sig_re = re.compile("|".join(r"\s+".join(map(re.escape, s.split()))
                                         for s in sorted(sigs, key=len, reverse=True)), re.I) if sigs else None
            self._compiled = (name_re, (sig_re, sigs))
        return self._compiled

    def mentions(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, canonical name) of every outlet name or alias in ``text``."""
        name_re = self._patterns()[0]
        if name_re is None:
            return
        for m in name_re.finditer(text):
            yield m.start(), m.end(), self.canonical(m.group(0))

    def by_signature(self, text: str) -> str | None:
        """The outlet whose page-chrome signature occurs first in ``text``
        (case and runs of white space ignored)."""
        sig_re, sigs = self._patterns()[1]
        m = sig_re.search(text) if sig_re else None
        return sigs[" ".join(m.group(0).lower().split())] if m else None


def _unique(items: list[str]) -> list[str]:
    seen, out = set(), []
    for i in items:
        if fold(i) not in seen:
            seen.add(fold(i))
            out.append(i)
    return out


def _read(path: Path) -> list[Outlet]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"cannot read outlet registry: {exc}", path,
                           hint="save it as UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise syntax_error(exc, path, hint="check the indentation and quoting around this line") from None
    if data is None:
        return []
    if not isinstance(data, dict):
        raise ContentError("the outlet registry must map outlet names to entries", path, 1,
                           hint="write 'Name: {aliases: [...]}' entries")
    lines = key_lines(text)
    out = []
    for name, entry in data.items():
        line = lines.get(str(name))
        entry = entry or {}
        if not isinstance(entry, dict):
            raise ContentError(f"outlet {name!r}: entry must be a mapping", path, line,
                               hint="write 'aliases: [...]', 'url: ...', 'signatures: [...]'")
        unknown = set(entry) - {"aliases", "url", "signatures"}
        if unknown:
            raise ContentError(f"outlet {name!r}: unknown key {sorted(unknown)[0]!r}", path, line,
                               hint="allowed keys are aliases, url and signatures")
        lists = {}
        for key in ("aliases", "signatures"):
            value = entry.get(key) or []
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
                raise ContentError(f"outlet {name!r}: {key} must be a list of strings", path, line,
                                   hint=f"write '{key}: [one, two]'")
            lists[key] = [str(v) for v in value]
        url = entry.get("url")
        if url is not None and not isinstance(url, str):
            raise ContentError(f"outlet {name!r}: url must be a string", path, line)
        out.append(Outlet(str(name), lists["aliases"], url, lists["signatures"]))
    return out
