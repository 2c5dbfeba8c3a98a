"""The registries ``speakers.yaml``, ``topics.yaml`` and ``sources.yaml``."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ContentError
from generator.model.types import Source, Speaker, Topic
from generator.yamlutil import key_lines, safe_load, syntax_error

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def entry_digest(value: Any) -> str:
    return hashlib.sha1(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def read_yaml_mapping(path: Path, errors: list[ContentError]) -> tuple[dict, dict[str, int]]:
    """The file's top-level mapping (``{}`` when absent) and its key lines."""
    if not path.exists():
        return {}, {}
    text = path.read_text(encoding="utf-8")
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        errors.append(syntax_error(exc, path))
        return {}, {}
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        errors.append(ContentError("the file must be a mapping of slug: {…} entries", path, 1))
        return {}, {}
    return data, _LazyLines(text)


class _LazyLines(dict):
    """Key lines computed on first use: only an error needs them, and composing costs a parse."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def get(self, key, default=None):
        if self._text is not None:
            self.update(key_lines(self._text))
            self._text = None
        return super().get(key, default)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value if v is not None and str(v).strip())
    return ()


def _entries(path: Path, errors: list[ContentError], what: str):
    data, lines = read_yaml_mapping(path, errors)
    for slug, entry in data.items():
        if not isinstance(slug, str) or not SLUG.match(slug):
            line = lines.get(str(slug))
            errors.append(ContentError(f"{what} key {slug!r} is not a slug", path, line,
                                       "use lowercase letters, digits and single hyphens, e.g. jane-doe"))
            continue
        if entry is None:
            entry = {}
        if not isinstance(entry, dict):
            errors.append(ContentError(f"{what} {slug!r} must be a mapping", path, lines.get(slug),
                                       "write e.g. `name: …` indented under the slug"))
            continue
        yield slug, entry, (lambda s=slug: lines.get(s))


def load_speakers(path: Path, errors: list[ContentError]) -> dict[str, Speaker]:
    out: dict[str, Speaker] = {}
    for slug, e, line_of in _entries(path, errors, "speaker"):
        kind = e.get("kind") or "person"
        if kind not in ("person", "organization"):
            errors.append(ContentError(f"speaker {slug!r}: kind must be person or organization, not {kind!r}",
                                       path, line_of(), "use kind: person or kind: organization"))
            kind = "person"
        out[slug] = Speaker(slug=slug, name=str(e.get("name") or slug.replace("-", " ").title()),
                            role=str(e.get("role") or ""), aliases=_strings(e.get("aliases")),
                            kind=kind, description=str(e.get("description") or ""),
                            digest=entry_digest([slug, e]))
    return out


def load_topics(path: Path, errors: list[ContentError]) -> dict[str, Topic]:
    out: dict[str, Topic] = {}
    for slug, e, _line in _entries(path, errors, "topic"):
        out[slug] = Topic(slug=slug, name=str(e.get("name") or slug.replace("-", " ").capitalize()),
                          description=str(e.get("description") or ""),
                          keywords=_strings(e.get("keywords")), digest=entry_digest([slug, e]))
    return out


def load_sources(path: Path, errors: list[ContentError]) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """name -> (name, url, aliases); outlets are keyed by display name in the file."""
    data, lines = read_yaml_mapping(path, errors)
    out = {}
    for name, e in data.items():
        e = e if isinstance(e, dict) else {}
        out[str(name)] = (str(name), str(e.get("url") or ""), _strings(e.get("aliases")))
    return out


def source_resolver(sources: dict[str, tuple[str, str, tuple[str, ...]]]):
    """A function mapping any spelling of an outlet to its canonical name."""
    table = {}
    for name, (_, _, aliases) in sources.items():
        table[name.casefold()] = name
        for a in aliases:
            table.setdefault(a.casefold(), name)

    def resolve(raw: str) -> str:
        return table.get(raw.strip().casefold(), raw.strip())

    return resolve


def make_source(name: str, slug: str, sources: dict) -> Source:
    url = sources.get(name, (name, "", ()))[1]
    return Source(slug=slug, name=name, url=url, digest=entry_digest([name, url]))
