"""The Jinja environment: user templates first, then the packaged defaults.

Any file in the user's ``templates/`` folder (``config.paths['templates']``)
replaces the default of the same relative name, including ``static/`` files.
"""
from __future__ import annotations

import functools
import hashlib
import io
import secrets
import types
from collections import ChainMap
from datetime import datetime
from pathlib import Path

import jinja2
import markupsafe
from jinja2.runtime import Context, Macro, missing
from jinja2.utils import _PassArg
from jinja2 import meta as jmeta
from jinja2.compiler import CodeGenerator, optimizeconst
from markupsafe import Markup, escape

from generator.build.jsonld import script_json
from generator.errors import ContentError

DEFAULTS = Path(__file__).resolve().parent.parent / "defaults" / "templates"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def search_path(user_dir: Path | None) -> list[Path]:
    # In this repository the demo's templates/ *is* the packaged default folder.
    dirs = [user_dir] if user_dir and user_dir.is_dir() and user_dir.resolve() != DEFAULTS else []
    return dirs + [DEFAULTS]


# --- filters (pure, tested directly) ---------------------------------------------------------

# Dates are written with isoformat and plain fields, not strftime: a tenth of the time (a build
# formats a few hundred thousand), and four-digit years before 1000 as ISO 8601 wants them.

def _naive(dt) -> bool:
    return dt.__class__ is datetime and dt.tzinfo is None


@functools.lru_cache(maxsize=65536)
def isodate(dt: datetime, has_time: bool = True) -> str:
    if not _naive(dt):
        return f"{dt:%Y-%m-%dT%H:%M}" if has_time else f"{dt:%Y-%m-%d}"
    return dt.isoformat(timespec="minutes") if has_time else dt.date().isoformat()


@functools.lru_cache(maxsize=65536)
def longdate(dt: datetime, has_time: bool = True) -> str:
    text = f"{dt.day} {MONTHS[dt.month - 1]} {dt.year}"
    return f"{text}, {dt.hour:02d}:{dt.minute:02d}" if has_time else text


def monthname(month: str) -> str:
    return f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}"


def atomdate(dt: datetime | None, fallback: str = "1970-01-01T00:00:00Z") -> str:
    if not dt:
        return fallback
    return dt.isoformat(timespec="seconds") + "Z" if _naive(dt) else f"{dt:%Y-%m-%dT%H:%M:%S}Z"


def by_article(quotes) -> list[tuple[str, list]]:
    """Consecutive quotes grouped by their article: [(article slug, [quote, …]), …]."""
    groups: list[tuple[str, list]] = []
    for q in quotes:
        if groups and groups[-1][0] == q.article:
            groups[-1][1].append(q)
        else:
            groups.append((q.article, [q]))
    return groups


_PLAIN = (str, int, bool, float, type(None))


def _key(value):
    """A hashable stand-in for a macro argument: plain values as they are, objects by identity
    (a list by its items' identities)."""
    cls = value.__class__
    if cls in _PLAIN:
        return value
    if cls is list or cls is tuple:
        return tuple(map(id, value))
    return id(value)


def macro_arguments(macro: Macro, args: tuple, kwargs: dict) -> list | None:
    """``Macro.__call__``'s argument binding for the plain case, or None for Jinja's own
    path (a macro with ``caller``, ``varargs`` or ``kwargs``; too many arguments; a keyword
    it does not take, whose error Jinja words). Jinja's version handles every case on
    each of the half million macro calls of a 10,000-article build."""
    if macro.caller or macro.catch_kwargs or macro.catch_varargs:
        return None
    names = macro.arguments
    given = len(args)
    if given > len(names):
        return None
    arguments = list(args)
    if given < len(names):
        used = 0
        for name in names[given:]:
            value = kwargs.get(name, missing)
            if value is not missing:
                used += 1
            arguments.append(value)
        if used != len(kwargs):
            return None
    elif kwargs:
        return None
    return arguments


STOPPED = "value was undefined because a callable raised a StopIteration exception"


def call_macro(macro: Macro, args: tuple, kwargs: dict):
    """``macro(*args, **kwargs)`` as Jinja's ``Context.call`` makes it: bound by
    ``macro_arguments`` when it can, else by Jinja's own ``Macro.__call__``; a
    StopIteration gives an undefined value. Escaped as ``Macro.__call__`` decides: by
    the autoescape setting of the template that defines the macro."""
    arguments = None if macro._environment.is_async else macro_arguments(macro, args, kwargs)
    try:
        if arguments is None:
            return macro(*args, **kwargs)
        rv = macro._func(*arguments)
    except StopIteration:
        return macro._environment.undefined(STOPPED)
    # Markup(rv) without Markup.__new__'s Python-level checks: rv is the str the macro joined
    return str.__new__(Markup, rv) if macro._default_autoescape else rv


# The link root of fragments shown at any depth (Fragments.anywhere): random per process,
# so no text can hold it (YAML's "\0" escape can put a NUL in a title).
ANY_ROOT = f"\x00{secrets.token_hex(8)}\x00"


class Fragments:
    """``cached(macro, *args, **kwargs)`` in a template: the macro's output, rendered once per
    build, page depth and arguments. The same quote entry, article card or article line shows
    on many pages (a speaker's page and each of its topics' pages; a source page and a month
    page), and a Jinja macro call costs far more than a dict lookup. Links in a fragment are
    relative to the page, so the current link root is part of the key. Entries keep their
    arguments alive, so the ``id`` of an argument object stays unique while it is a key.
    Macros called this way must depend only on their arguments and the build's globals."""

    def __init__(self, urls=None):
        self.urls = urls
        self.memo: dict = {}

    def __call__(self, macro, *args, **kwargs):
        if self.urls is None:
            return macro(*args, **kwargs)
        if len(args) == 1 and not kwargs:
            # The usual call, cached(article_line, a): _key written out, one call fewer.
            arg = args[0]
            cls = arg.__class__
            key = (macro, self.urls.root, arg if cls in _PLAIN else
                   tuple(map(id, arg)) if cls is list or cls is tuple else id(arg))
        else:
            key = (macro, self.urls.root, *map(_key, args))
            if kwargs:
                key += tuple((k, _key(v)) for k, v in sorted(kwargs.items()))
        hit = self.memo.get(key)
        if hit is None:
            out = call_macro(macro, args, kwargs) if macro.__class__ is Macro else macro(*args, **kwargs)
            hit = self.memo[key] = (out, macro, args, kwargs)
        return hit[0]

    def anywhere(self, macro, *args, **kwargs):
        """``cached_anywhere(macro, …)``: ``cached`` for a fragment shown at several page
        depths, as an article's card is on its source page (two folders deep) and its month
        page (three). Rendered once with ``ANY_ROOT`` as its links' root, which each page
        gets replaced by its own. Pages at the site root, where ``url()`` is "./", render
        their own."""
        urls = self.urls
        root = urls.root if urls is not None else ""
        if not root or root == ANY_ROOT:
            return self(macro, *args, **kwargs)
        urls.root = ANY_ROOT        # the memo's key and the macro's links take this root
        try:
            out = self(macro, *args, **kwargs)
        finally:
            urls.root = root
        if out.__class__ is Markup:
            return str.__new__(Markup, str.replace(out, ANY_ROOT, root))
        return out.replace(ANY_ROOT, root) if isinstance(out, str) else out


_DIRECT: dict = {}      # callable -> what compiled templates call in its place (FastCode.visit_Call)
DIRECT_MAX = 4096       # macros and bound methods made per build (serve rebuilds) must not pile up


def _remember(obj, direct) -> None:
    if obj.__class__.__hash__ is None:      # compiled calls skip the table for these too
        return
    if len(_DIRECT) >= DIRECT_MAX:
        _DIRECT.clear()
    _DIRECT[obj] = direct


def _own(obj) -> bool:
    """Is ``obj`` digest's own code? None of it lets a StopIteration out, so a template
    may call it bare; any other callable keeps Jinja's StopIteration handling."""
    fn = getattr(obj, "__func__", obj)
    module = fn.__module__ if fn.__class__ is types.FunctionType else type(obj).__module__
    return (module or "").startswith("generator.")


def _guarded(fn, environment):
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except StopIteration:
            return environment.undefined(STOPPED)
    return call


def _macro_call(macro: Macro):
    """What compiled templates call in place of ``macro``: ``call_macro`` folded into one
    function for this macro (its argument names, defaults' ``missing`` fill and escaping
    looked up once), so a call runs one Python function before the macro's body instead
    of three. What ``macro_arguments`` leaves to Jinja goes to ``call_macro`` as before."""
    if macro.caller or macro.catch_kwargs or macro.catch_varargs or macro._environment.is_async:
        def general(*args, **kwargs):
            return call_macro(macro, args, kwargs)
        return general
    func, names = macro._func, tuple(macro.arguments)
    count, fill = len(names), (missing,) * len(names)
    position = {name: k for k, name in enumerate(names)}
    markup, undefined = macro._default_autoescape, macro._environment.undefined

    def call(*args, **kwargs):
        given = len(args)
        if given > count:
            return call_macro(macro, args, kwargs)
        if kwargs:
            arguments = [*args, *fill[given:]]
            for name, value in kwargs.items():
                k = position.get(name, -1)
                if k < given:       # unknown, or also given by position: Jinja words the error
                    return call_macro(macro, args, kwargs)
                arguments[k] = value
        else:
            arguments = args + fill[given:] if given < count else args
        try:
            rv = func(*arguments)
        except StopIteration:
            return undefined(STOPPED)
        return str.__new__(Markup, rv) if markup else rv
    return call


class FastCallContext(Context):
    """Jinja's context with a quicker ``call``. Every ``{{ f(x) }}`` in a template goes
    through ``Context.call``, which asks each time whether ``f`` wants the context or
    environment passed (three ``hasattr`` lookups): about 2 µs a call, two million calls in
    a 10,000-article build. The answer belongs to the function (or the class of a callable
    object), so it is looked up once; anything that does want an argument, or whose
    answer cannot be cached, takes Jinja's own path. Built-in functions and methods
    (``text.split``) never take one and are not remembered: each is bound to its string.

    A callable that takes nothing is also entered in the direct-call table (``_DIRECT``),
    so compiled templates (``FastCode``) call it without coming here again: as it is if
    it is digest's own code, else wrapped to keep Jinja's StopIteration rule; a macro
    as ``_macro_call`` binds it."""

    _plain: dict = {}       # function or class -> True when Jinja passes it nothing
    PLAIN_MAX = 1024        # closures made per build (serve rebuilds) must not pile up

    def __init__(self, environment, parent, name, blocks, globals=None):
        super().__init__(environment, parent, name, blocks)
        if globals is not None:
            # set(globals) of a template's ChainMap walks it key by key in Python, on every page
            self.globals_keys = (set().union(*globals.maps) if globals.__class__ is ChainMap
                                 else set(globals))

    def bound(self, obj, **loop_or_block_vars):
        """``obj`` to call with the arguments; compiled templates call this for any callable
        that is not (yet) in the direct-call table."""
        return functools.partial(self.call, obj, **loop_or_block_vars)

    def call(__self, __obj, *args, **kwargs):
        cls = __obj.__class__
        if cls is Macro:
            if kwargs:
                kwargs.pop("_loop_vars", None)      # what Jinja passes calls in loops and blocks
                kwargs.pop("_block_vars", None)
            if not __obj._environment.is_async:
                _remember(__obj, _macro_call(__obj))
            return call_macro(__obj, args, kwargs)
        if cls is not types.BuiltinFunctionType:
            if cls is types.MethodType:
                key = __obj.__func__
            elif cls is types.FunctionType:
                key = __obj
            elif "jinja_pass_arg" in getattr(__obj, "__dict__", ()):
                return super().call(__obj, *args, **kwargs)
            else:
                key = cls
            plain = __self._plain.get(key)
            if plain is None:
                if len(__self._plain) >= __self.PLAIN_MAX:
                    __self._plain.clear()
                call = getattr(__obj, "__call__", None)
                plain = __self._plain[key] = (_PassArg.from_obj(__obj) is None
                                              and (call is None or _PassArg.from_obj(call) is None))
            if not plain:
                return super().call(__obj, *args, **kwargs)
            _remember(__obj, __obj if _own(__obj) else _guarded(__obj, __self.environment))
        if kwargs:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(STOPPED)


_escape_str = getattr(markupsafe, "_escape_inner", None)     # markupsafe's C escaper


def _escape_output(value) -> str:
    """``markupsafe.escape`` for a ``{{ … }}`` whose result goes straight into the output,
    the only place compiled templates call ``escape``: a plain string is escaped by the C
    escaper and left a plain string, and Markup (macro and fragment output) is returned
    as is. Whatever collects output (a page, a macro, a set or filter block) joins the
    pieces into one string and marks that safe itself, so no piece's Markup-ness is ever
    looked at. The same text as ``escape`` for every input."""
    cls = value.__class__
    if cls is str and _escape_str is not None:
        return _escape_str(value)
    if cls is int:      # counts: digits need no escaping (escape() would wrap str() in Markup)
        return str(value)
    return value if cls is Markup else escape(value)


class _Names(dict):
    """A finished module's names (its context's vars over its parent): a lookup of a name it
    lacks gives ``missing``, as ``Context.resolve_or_missing`` does."""

    def __missing__(self, key):
        return missing


class FastEscapeTemplate(jinja2.Template):
    """A template whose ``{{ … }}`` output goes through ``_escape_output``. The compiled
    module imports ``escape`` by name; every function in it (root, blocks, macros) shares
    that module's globals. Also a quicker ``{% from … import %}`` (``_get_default_module``),
    and macros that look names up in one dict (``make_module``)."""

    def new_context(self, vars=None, shared=False, locals=None):
        """Jinja's context, its globals merged into the page's variables by ``dict.update``
        of each map (Jinja copies the template's ChainMap key by key in Python, about 3 µs
        a page): the same keys, in the same order, the first map's value winning."""
        g = self.globals
        if shared or locals or g.__class__ is not ChainMap:
            return super().new_context(vars, shared, locals)
        parent = {}
        for m in reversed(g.maps):
            parent.update(m)
        if vars:
            parent.update(vars)
        return self.environment.context_class(self.environment, parent, self.name, self.blocks, globals=g)

    def make_module(self, vars=None, shared=False, locals=None):
        """Jinja's module, whose macros then resolve names in C. A macro looks up each name
        it uses from outside (``site``, ``url``, ``cached``) at every call through the
        module's ``resolve``, a Python method reading the context's vars and then its
        parent: two million calls in a 10,000-article build. Once the module's top level
        has run, neither changes (macros keep their own names local, and no context writes
        to its parent), so ``resolve`` becomes the lookup of one dict holding both,
        vars first. All the module's functions share that one variable (a closure cell)."""
        ctx = self.new_context(vars, shared, locals)
        module = jinja2.environment.TemplateModule(self, ctx)
        if not self.environment.is_async:
            names = _Names(ctx.parent)
            names.update(ctx.vars)
            for value in module.__dict__.values():
                if value.__class__ is Macro:
                    code, cells = value._func.__code__, value._func.__closure__
                    if "resolve" in code.co_freevars:
                        cells[code.co_freevars.index("resolve")].cell_contents = names.__getitem__
                        break       # one cell, shared by every function of the module
        return module

    def _get_default_module(self, ctx=None):
        # Jinja asks ``ctx.globals_keys - self.globals.keys()`` on every import: a set minus
        # a ChainMap's keys view, which runs in Python (``Set.__rsub__``) key by key, on every
        # page. The same set, with the difference taken in C over the ChainMap's dicts.
        if ctx is not None and not self.environment.is_async:
            g = self.globals
            keys = ctx.globals_keys.difference(*(g.maps if isinstance(g, ChainMap) else (g,)))
            if keys:
                return self.make_module({k: ctx.parent[k] for k in keys})
            ctx = None
        return super()._get_default_module(ctx)

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__
        if namespace.get("escape") is escape:
            namespace["escape"] = _escape_output
        namespace["_direct"] = _DIRECT.get
        namespace["_escape_str"] = _escape_str       # for FastCode's inline steps
        namespace["_Markup"] = Markup
        namespace["_getattr"] = getattr
        return template


class FastCode(CodeGenerator):
    """Jinja's code generator with two changes to what pages run, same output.

    A page's root and block functions gather their output in a list and yield it once, as
    one string. Jinja yields every piece (``<li>``, ``{{ x }}``, ``</li>``) on its own, on
    every pass of a loop, and each piece passes up through every generator of the
    inheritance chain (block, child template, base layout): about 140 yields a page,
    three generator frames each. Macros already build lists; this is the same for pages.

    A call ``f(x)`` looks ``f`` up in a table of what may be called in its place (``f``
    itself, a guarded wrapper, a macro's binder: ``FastCallContext.call`` fills it) and
    calls that, instead of going through ``context.call`` (about 0.3 µs a call, 70 calls
    on an article page). A callable not in the table, or unhashable, takes
    ``context.call`` as before: ``(d if (d := _direct(f) if (f := …).__class__.__hash__
    is not None else None) is not None else context.bound(f))(x)``.

    The two commonest steps of a page, ``{{ … }}`` and ``x.name`` (about 3.5 and 4.4
    million a 10,000-article build), are written inline for their usual case instead of
    as a call: a ``str`` to escape goes straight to markupsafe's C escaper, Markup is kept
    as it is (anything else goes to ``_escape_output``), and an attribute Python finds is
    used as it is (anything else goes to ``environment.getattr``, which looks again and
    then tries the item). Each saves a Python call, about 16 ns. Same values as the
    calls, in the same order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._escaping: list = []       # the inline escape's variable per open {{ … }}

    def blockvisit(self, nodes, frame):
        # A page's root and block functions gather their output in one list and yield it
        # once, as macros do.
        if frame.buffer is not None or not (frame.rootlevel or frame.block_frame) or self.environment.is_async:
            return super().blockvisit(nodes, frame)
        frame.buffer = name = self.temporary_identifier()
        self.writeline(f"{name} = []")
        try:
            super().blockvisit(nodes, frame)
        finally:
            frame.buffer = None
        self.writeline(f"if {name}: yield concat({name})")

    def _inline(self) -> bool:
        # The names the inline steps use are set by FastEscapeTemplate.from_code.
        env = self.environment
        return not (env.is_async or env.sandboxed) and issubclass(env.template_class, FastEscapeTemplate)

    def _output_child_pre(self, node, frame, finalize):
        if (frame.eval_ctx.volatile or not frame.eval_ctx.autoescape or finalize.src is not None
                or _escape_str is None or not self._inline()):
            self._escaping.append(None)
            return super()._output_child_pre(node, frame, finalize)
        # (_escape_str(v) if (c := (v := X).__class__) is str else v if c is Markup else escape(v)),
        # where escape is _escape_output
        v, c = self.temporary_identifier(), self.temporary_identifier()
        self._escaping.append((v, c))
        self.write(f"(_escape_str({v}) if ({c} := ({v} := ")

    def _output_child_post(self, node, frame, finalize):
        names = self._escaping.pop()
        if names is None:
            return super()._output_child_post(node, frame, finalize)
        v, c = names
        self.write(f").__class__) is str else {v} if {c} is _Markup else escape({v}))")

    @optimizeconst
    def visit_Getattr(self, node, frame):
        if not self._inline() or type(self.environment).getattr is not FastEnvironment.getattr:
            return super().visit_Getattr(node, frame)
        # (v if (v := getattr((o := X), name, missing)) is not missing else environment.getattr(o, name))
        o, v = self.temporary_identifier(), self.temporary_identifier()
        self.write(f"({v} if ({v} := _getattr(({o} := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, missing)) is not missing else environment.getattr({o}, {node.attr!r}))")

    @optimizeconst
    def visit_Call(self, node, frame, forward_caller=False):
        if forward_caller or self.environment.is_async or self.environment.sandboxed:
            return super().visit_Call(node, frame, forward_caller=forward_caller)
        f, d = self.temporary_identifier(), self.temporary_identifier()
        self.write(f"({d} if ({d} := _direct({f}) if ({f} := ")
        self.visit(node.node, frame)
        self.write(f").__class__.__hash__ is not None else None) is not None else context.bound({f}")
        if frame.loop_frame:
            self.write(", _loop_vars=_loop_vars")
        if frame.block_frame:
            self.write(", _block_vars=_block_vars")
        self.write("))(")
        stream, self.stream = self.stream, io.StringIO()     # the arguments, less Jinja's leading ", "
        try:
            self.signature(node, frame)
        finally:
            args, self.stream = self.stream.getvalue(), stream
        self.write(args.removeprefix(", ") + ")")


class FastEnvironment(jinja2.Environment):
    """Jinja's environment with a quicker ``getattr``, which every ``{{ x.name }}`` calls.
    Jinja's tries the attribute and, when it is missing, catches the AttributeError to look
    the name up as an item: about 0.4 µs for a dict's key (``page.title``, the theme's
    settings), twenty times a page. Asked with a default, Python finds the attribute
    missing without making an exception. The same lookups, in the same order."""

    def _parse(self, source, name, filename):
        # The tree template_digests() parsed. Compiling folds constants in it, in place,
        # into equal constants: the same tree for the digests' next look, the same code.
        return _parse(self, source, name, filename)

    def getattr(self, obj, attribute):
        value = getattr(obj, attribute, missing)
        if value is not missing:
            return value
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)


def environment(user_dir: Path | None) -> jinja2.Environment:
    env = FastEnvironment(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path(user_dir)]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False, cache_size=-1,
    )
    env.context_class = FastCallContext
    env.code_generator_class = FastCode
    env.template_class = FastEscapeTemplate
    env.filters.update(isodate=isodate, longdate=longdate, monthname=monthname,
                       atomdate=atomdate, jsonld=script_json, by_article=by_article)
    env.globals["cached"] = Fragments()     # the builder installs a memoising one per build
    env.globals["cached_anywhere"] = env.globals["cached"].anywhere
    return env


def _syntax_error(exc: jinja2.TemplateSyntaxError, fallback: str) -> ContentError:
    return ContentError(f"template syntax error: {exc.message}", exc.filename or fallback, exc.lineno,
                        "fix the Jinja tag on that line ({% … %} blocks need a matching {% end… %})")


_PARSED: dict[tuple, object] = {}


def _parse(env, source: str, name: str, filename: str):
    """Parse once per distinct source: serve rebuilds would otherwise re-parse every template,
    and compiling it (``FastEnvironment._parse``) would parse it again after the digests."""
    key = (name, filename, hashlib.sha1(source.encode()).hexdigest(), env.lexer, tuple(env.extensions))
    tree = _PARSED.get(key)
    if tree is None:
        if len(_PARSED) >= 512:         # a long serve session's edits
            _PARSED.clear()
        tree = _PARSED[key] = jinja2.Environment._parse(env, source, name, filename)
    return tree


def template_digests(env: jinja2.Environment, names: list[str]) -> dict[str, str]:
    """Each template's digest covering itself and everything it extends, includes or imports,
    so a template edit re-renders exactly the pages that use it. Raises ContentError on a
    syntax error, with the template's file and line."""
    own: dict[str, tuple[str, set[str]]] = {}

    def visit(name: str) -> None:
        if name in own:
            return
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            raise ContentError(f"template {name!r} not found", None, None,
                               f"it is referenced by a page; searched {', '.join(map(str, env.loader.searchpath))}")
        try:
            tree = env.parse(source, name, filename)
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc, filename) from None
        refs = {r for r in jmeta.find_referenced_templates(tree) if r}
        own[name] = (hashlib.sha1(source.encode()).hexdigest(), refs)
        for r in refs:
            visit(r)

    for n in names:
        visit(n)

    def closure(name: str) -> str:
        seen, stack = set(), [name]
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                stack.extend(own[n][1])
        return hashlib.sha1("".join(f"{n}:{own[n][0]};" for n in sorted(seen)).encode()).hexdigest()

    return {n: closure(n) for n in names}


def compile_templates(env: jinja2.Environment, names: list[str]) -> None:
    """Compile the page templates ``names`` (the builder does it before the render workers
    fork). One that names no existing filter or test is a ContentError at its file and
    line; the partials they pull in compile where first used, and a render error names
    their line the same way (``builder.template_error``)."""
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateNotFound:
            continue            # a page that uses it says so when it renders
        except jinja2.TemplateSyntaxError as exc:      # an unknown filter or test, too
            raise ContentError(f"template error: {exc.message}", exc.filename or name, exc.lineno,
                               "check the filter or test used on that line") from None


def static_files(user_dir: Path | None) -> dict[str, Path]:
    """``{"style.css": path}``: the default static files, overridden by the user's."""
    found: dict[str, Path] = {}
    for base in reversed(search_path(user_dir)):
        folder = base / "static"
        if folder.is_dir():
            for p in sorted(folder.rglob("*")):
                if p.is_file() and not p.name.startswith("."):
                    found[p.relative_to(folder).as_posix()] = p
    return dict(sorted(found.items()))
