"""YAML shared by every reader of digest's files: the fast loader, syntax errors
that name ``file:line``, and where each key sits for errors found after parsing.
"""
from __future__ import annotations

import datetime
import re
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
_LEAF: dict = {}            # a one-line block value as written (plain or quoted) -> its value
_LINE_TOKENS: dict = {}     # a line as written -> its tokens (see _tokens)
# Most lines and values recur from file to file (keys, slugs, "partial: false"); titles,
# ids and quotes do not, and fill these two memos, which start again when full.
MEMO_MAX = 16384
PLAIN_MAX = 65536
_IMMUTABLE = (str, int, float, bool, type(None), datetime.date)


class _Unusual(Exception):
    """Something ``safe_load`` handles in its general way."""


def safe_load(text: str):
    """Exactly ``yaml.load(text, Loader=Loader)``, about 2x faster for what digest writes.

    Three ways, each trying the next when the text is outside what it reads:

    1. ``_block_load``: plain block YAML (``key: value``, ``- item``, plain or simply
       quoted scalars, wrapped over lines as the dumper wraps them), the form of every
       front matter ingest writes. A pass over its lines builds the values without a
       node tree: twice as fast as libyaml's composer, which makes a Python node and
       two marks per scalar.
    2. libyaml composes the node tree without typing it (``_Composer``), and one
       recursive walk builds the values (SafeLoader's generic, generator-based
       constructors took 60 % of the time).
    3. The full loader: explicit tags, merge keys, aliases, unhashable keys, errors
       (it also gives the error its usual message and line).

    In 1 and 2 a plain scalar gets SafeLoader's own implicit resolvers and scalar
    constructors (once per distinct scalar, ``_PLAIN``); any other scalar is a string."""
    value = _block_load(text)
    if value is not _NOT_BLOCK:
        return value
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
        typed = _PLAIN.get(value, _PLAIN)     # plain ("" from libyaml)
        return _remember(value, _plain(node)) if typed is _PLAIN else typed
    if cls is yaml.SequenceNode:
        return [_build(item) for item in node.value]
    if cls is yaml.MappingNode:
        out = {}
        for key, value in node.value:
            out[_build(key)] = _build(value)      # TypeError for an unhashable key
        return out
    raise _Unusual(cls.__name__)


def _remember(value: str, typed):
    """``typed``, the value of the plain scalar ``value``, kept in ``_PLAIN`` if immutable."""
    if typed.__class__ in _IMMUTABLE:
        if len(_PLAIN) >= PLAIN_MAX:
            _PLAIN.clear()
        _PLAIN[value] = typed
    return typed


def _plain(node):
    """The value of a plain scalar node, typed the way SafeLoader types it."""
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


# --- plain block YAML, line by line --------------------------------------------------------
#
# The subset ``_block_load`` reads, and what it leaves to libyaml: any character outside
# printable one-line text (tabs, CR, YAML's other line breaks, a BOM, controls); comments;
# flow collections other than [] and {}; block scalars (| >); anchors, aliases, tags;
# quoted keys; a scalar over lines with a blank line or a trailing space among them; a
# double-quoted scalar with an escape; a plain scalar that starts with an indicator, ends
# in a space or colon, or holds ": " or " #", or one of whose later lines starts with an
# indicator.
# Whatever it reads, it reads as SafeLoader does: the tests compare both on random documents.

_NOT_BLOCK = object()
# Controls (but \n), YAML's other line breaks, surrogates, a BOM and non-characters. (The same
# set as "[^\n\x20-\x7e\xa0-\u2027…]", which takes 5 ms to compile, at every start.)
_ODD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# One line: its indent, its "- " markers, a plain key followed by ":" and a space or the
# end of the line, and the rest (the value, or the whole line when there is no such key).
_LINE = re.compile(r"^( *)((?:- +)*)(?:([A-Za-z0-9_][A-Za-z0-9_-]*):(?: |$))?(.*)$", re.M)
try:    # the same matches without backtracking (a key's characters never include its colon): 35% faster
    _LINE = re.compile(r"^( *+)((?:- +)*+)(?:([A-Za-z0-9_][A-Za-z0-9_-]*+):(?: |$))?(.*)$", re.M)
except re.error:        # Python 3.10: no possessive quantifiers
    pass
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_DASH = "-"         # the token of a "- " marker


def _block_load(text: str):
    """The mapping that ``text`` holds, or ``_NOT_BLOCK`` if it is outside the subset."""
    # Printable text (newlines aside) holds none of them, and isprintable() is a C loop over
    # a table, a tenth of the regex's per-character walk of its ranges.
    if not text.replace("\n", "").isprintable() and _ODD.search(text):
        return _NOT_BLOCK
    try:
        tokens = _tokens(text)
        if not tokens or tokens[0][1] is None or tokens[0][1] is _DASH:
            return _NOT_BLOCK           # not a mapping: rare in our files, libyaml's to say
        value, end = _block_map(tokens, 0, tokens[0][0])
    except (_Unusual, RecursionError):
        return _NOT_BLOCK
    return value if end == len(tokens) else _NOT_BLOCK


def _tokens(text: str) -> list[tuple[int, str | None, str]]:
    """(indent, key, value) per line, a key line's value "" when the value is a block
    below; (indent, None, scalar) for a line that is only a scalar; each "- " marker
    first as (its column, _DASH, ""). A line seen before takes its tokens from
    ``_LINE_TOKENS``: most lines of a front matter recur from file to file."""
    out = []
    blank = False
    memo = _LINE_TOKENS
    for line in text.split("\n"):
        toks = memo.get(line)
        if toks is None:
            toks = _line_tokens(line)
            if len(memo) >= MEMO_MAX:
                memo.clear()
            memo[line] = toks
        if not toks:
            blank = bool(out)
            continue
        if blank and toks[-1][1] is None:
            # after a blank line, a line of a scalar would fold into a line break, which
            # this reader does not do
            raise _Unusual(line)
        out += toks
        blank = False
    return out


def _line_tokens(line: str) -> tuple:
    """One line's tokens; () for an empty line."""
    indent, dashes, key, rest = _LINE.fullmatch(line).groups()
    column = len(indent)
    toks = []
    if dashes:
        for gap in dashes.split("-")[1:]:       # "- - x": a sequence in a sequence
            toks.append((column, _DASH, ""))
            column += 1 + len(gap)
    if key:
        toks.append((column, key, rest))
    elif rest:
        if rest[0] == "-" or rest[-1] == ":":
            raise _Unusual(rest)            # a bare "-", "-x", a key this pattern refused
        toks.append((column, None, rest))
    return tuple(toks)


def _block_node(tokens: list, i: int, parent: int):
    """The value whose first token is ``tokens[i]``, in a block indented ``parent``, and
    the index after it."""
    indent, key, rest = tokens[i]
    if key is _DASH:
        return _block_seq(tokens, i, indent)
    if key is None:
        i += 1
        if i == len(tokens) or tokens[i][0] <= parent or tokens[i][1] is not None:
            return _block_scalar(rest), i      # one line: the usual case, without _scalar_lines
        return _scalar_lines(tokens, i, parent, rest)
    return _block_map(tokens, i, indent)


def _scalar_lines(tokens: list, i: int, parent: int, first: str):
    """The scalar that starts with ``first`` and goes on over the lines below indented
    deeper than ``parent`` (as the dumper wraps long values), and the index after it.
    Lines fold into single spaces, in a quoted scalar as in a plain one; what could end
    or change a plain scalar on a later line is left to libyaml."""
    n = len(tokens)
    if i == n or tokens[i][0] <= parent or tokens[i][1] is not None:
        return _block_scalar(first), i
    lines = [first]
    plain = first[0] not in "'\""
    while i < n and tokens[i][0] > parent and tokens[i][1] is None:
        line = tokens[i][2]
        if lines[-1][-1] == " " or (plain and (line[0] in _INDICATORS or ": " in line or " #" in line)):
            raise _Unusual(line)
        lines.append(line)
        i += 1
    return _block_scalar(" ".join(lines)), i


def _block_seq(tokens: list, i: int, indent: int):
    out = []
    n = len(tokens)
    while i < n:
        column, key, _ = tokens[i]
        if column != indent or key is not _DASH:
            if column > indent:
                raise _Unusual("indent")
            break
        i += 1
        if i < n and tokens[i][0] > indent:
            value, i = _block_node(tokens, i, indent)
        else:
            value = None            # "- " and nothing below
        out.append(value)
    return out, i


def _block_map(tokens: list, i: int, indent: int):
    out = {}
    n = len(tokens)
    while i < n:
        column, key, rest = tokens[i]
        if column != indent:
            if column > indent:
                raise _Unusual("indent")
            break
        if key is None or key is _DASH:
            raise _Unusual("not a key")
        i += 1
        if rest:
            if i == n or tokens[i][0] <= indent or tokens[i][1] is not None:
                value = _block_scalar(rest)         # one line: the usual case
            else:
                value, i = _scalar_lines(tokens, i, indent, rest)
        elif i < n and tokens[i][0] > indent:
            value, i = _block_node(tokens, i, indent)
        elif i < n and tokens[i][0] == indent and tokens[i][1] is _DASH:
            value, i = _block_seq(tokens, i, indent)        # "key:" then "- …" at its indent
        else:
            value = None
        out[_plain_text(key)] = value
    return out, i


def _block_scalar(text: str):
    """The value of a one-line scalar ``text``; from ``_LEAF`` when read before."""
    value = _LEAF.get(text, _LEAF)
    if value is _LEAF:
        value = _read_scalar(text)
        if value.__class__ in _IMMUTABLE:
            if len(_LEAF) >= MEMO_MAX:
                _LEAF.clear()
            _LEAF[text] = value
    return value


def _read_scalar(text: str):
    first = text[0]
    if first == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
            raise _Unusual(text)
        return inner.replace("''", "'")
    if first in _INDICATORS:
        if first == '"':
            inner = text[1:-1]
            if len(text) < 2 or text[-1] != '"' or '"' in inner or "\\" in inner:
                raise _Unusual(text)
            return inner
        if text == "[]":
            return []
        if text == "{}":
            return {}
        raise _Unusual(text)
    if text[-1] in " :" or ": " in text or " #" in text:
        raise _Unusual(text)
    return _plain_text(text)


def _plain_text(text: str):
    """The value of the plain scalar ``text`` (a key or a value), from ``_PLAIN`` when seen before."""
    typed = _PLAIN.get(text, _PLAIN)
    return _remember(text, _plain(yaml.ScalarNode(None, text))) if typed is _PLAIN else typed


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
