"""YAML shared by every reader of digest's files: the fast loader, syntax errors
that name ``file:line``, and where each key sits for errors found after parsing.
"""
from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from generator.errors import ContentError, DigestError

# libyaml is ~10x faster than the pure-Python parser; same results for our files.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SYNTAX_HINT = "check indentation, colons and quotes on that line"

try:
    from yaml.cyaml import CParser as _CParser      # libyaml's composer, as CBaseLoader uses it
except ImportError:
    _CParser = None


class _Composer(_CParser or object):
    """libyaml's composer without a resolver. It asks one for every node's tag (three
    Python calls a node, a third of composing a front-matter block); ``_build`` types
    plain scalars itself and never reads the tag."""

    def resolve(self, kind, value, implicit):
        return None

    def descend_resolver(self, parent, index):
        pass

    def ascend_resolver(self):
        pass


_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers     # what SafeLoader types plain scalars by
_SAFE = yaml.SafeLoader("")                                     # its scalar constructors, called directly
_STR = "tag:yaml.org,2002:str"
_PLAIN: dict = {}           # plain scalar -> its value: keys and slugs repeat in every file
PLAIN_MAX = 65536
_IMMUTABLE = (str, int, float, bool, type(None), datetime.date)


class _Unusual(Exception):
    """Something ``safe_load`` handles in its general way."""


def safe_load(text: str):
    """Exactly ``yaml.load(text, Loader=Loader)``, about 1.8x faster for plain data.

    SafeLoader builds each value through a generic, generator-based constructor (about
    60 % of the time for a front-matter block). Here libyaml composes the node tree
    without typing it (``_Composer``), and one recursive walk builds the values: a plain
    scalar gets SafeLoader's own implicit resolvers and scalar constructors (once per
    distinct scalar, ``_PLAIN``), any other scalar is a string. Explicit tags, merge
    keys, aliases, unhashable keys and errors fall back to the full loader, which also
    gives the error its usual message and line."""
    if _CParser is None or "!" in text or "<<" in text or "*" in text:
        return yaml.load(text, Loader=Loader)
    try:
        loader = _Composer(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        return None if node is None else _build(node)
    except (yaml.YAMLError, _Unusual, TypeError, RecursionError):
        return yaml.load(text, Loader=Loader)


def _build(node):
    cls = node.__class__
    if cls is yaml.ScalarNode:
        value = node.value
        if node.style:              # quoted or block: a string
            return value
        typed = _PLAIN.get(value, _PLAIN)
        if typed is _PLAIN:         # plain ("" from libyaml): typed the way SafeLoader types it
            typed = _plain(node)
            if typed.__class__ in _IMMUTABLE:
                if len(_PLAIN) >= PLAIN_MAX:
                    _PLAIN.clear()
                _PLAIN[value] = typed
        return typed
    if cls is yaml.SequenceNode:
        return [_build(item) for item in node.value]
    if cls is yaml.MappingNode:
        out = {}
        for key, value in node.value:
            out[_build(key)] = _build(value)      # TypeError for an unhashable key
        return out
    raise _Unusual(cls.__name__)


def _plain(node):
    value = node.value
    for tag, regexp in _RESOLVERS.get(value[:1] if value else "", ()):
        if regexp.match(value):
            if tag == _STR:
                return value
            constructor = _SAFE.yaml_constructors.get(tag)
            if constructor is None:
                raise _Unusual(tag)
            return constructor(_SAFE, node)
    return value


def syntax_error(exc: yaml.YAMLError, path: Path | str | None, *, first_line: int = 1,
                 what: str = "invalid YAML", hint: str = SYNTAX_HINT,
                 error: type[DigestError] = ContentError) -> DigestError:
    """The user-facing error for a YAML parse failure. ``first_line`` is the file line
    of the parsed text's first line (marks are 0-based)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return error(f"{what}: {problem}", path, mark.line + first_line if mark else None, hint)


def key_lines(text: str, first_line: int = 1) -> dict[str, int]:
    """``{"date": 5, "quotes[2]": 14, "quotes[2].speaker": 14, "speakers[0]": 9}``.

    ``first_line`` is the file line of the text's first line. Only called when
    something is wrong: composing the node tree costs as much as parsing.
    """
    lines: dict[str, int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines

    def walk(node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                name = f"{prefix}.{k.value}" if prefix else str(k.value)
                lines[name] = k.start_mark.line + first_line
                walk(v, name)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                name = f"{prefix}[{i}]"
                lines[name] = item.start_mark.line + first_line
                walk(item, name)

    walk(root, "")
    return lines


def line_of(lines: dict[str, int], *keys: str) -> int | None:
    """The line of the first key that is known, walking up to parents."""
    for key in keys:
        while key:
            if key in lines:
                return lines[key]
            key = key.rpartition(".")[0] if "." in key else key.rpartition("[")[0]
    return None
