"""Turn a failed rebuild into what the browser overlay shows: ``file:line``, message, hint."""
from __future__ import annotations

import os
import traceback
from pathlib import Path

import jinja2

from generator.errors import DigestError

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".j2", ".jinja")


def relative(path, root: Path | None) -> str:
    text = str(path)
    if root is not None:
        try:
            rel = os.path.relpath(text, root)
            if not rel.startswith(".."):
                return rel
        except ValueError:
            pass
    return text


def _where(path, line, root) -> str:
    if not path:
        return ""
    return f"{relative(path, root)}:{line}" if line else relative(path, root)


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """Jinja rewrites tracebacks so template lines show as frames: the innermost one wins."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(TEMPLATE_SUFFIXES)]
    return (frames[-1].filename, frames[-1].lineno) if frames else None


def describe(exc: BaseException, root: Path | None = None) -> list[dict]:
    """One ``{location, message, hint}`` per problem in ``exc``."""
    nested = getattr(exc, "errors", None)
    if isinstance(exc, DigestError) and nested:
        return [d for e in nested for d in describe(e, root)]
    if isinstance(exc, DigestError):
        return [{"location": _where(exc.path, exc.line, root), "message": exc.message, "hint": exc.hint or ""}]
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return [{"location": _where(exc.filename or exc.name, exc.lineno, root),
                 "message": f"template syntax error: {exc.message}", "hint": ""}]
    if isinstance(exc, jinja2.TemplateError):
        frame = _template_frame(exc)
        where = _where(frame[0], frame[1], root) if frame else ""
        return [{"location": where, "message": f"template error: {exc}", "hint": ""}]
    return [{"location": "", "message": f"{type(exc).__name__}: {exc}", "hint": "this looks like a bug in digest"}]


def payload(errors: list[dict]) -> dict:
    """The ``build-error`` event: every problem, and the first one at top level."""
    first = errors[0] if errors else {"location": "", "message": "build failed", "hint": ""}
    return {**first, "errors": errors}


def text(errors: list[dict]) -> str:
    """The same problems for the terminal, ``file:line: message (hint)`` per line."""
    lines = []
    for e in errors:
        line = f"{e['location']}: {e['message']}" if e["location"] else e["message"]
        lines.append(f"{line} ({e['hint']})" if e.get("hint") else line)
    return "\n".join(lines)
