"""Errors that name the file and line, say what is wrong and how to fix it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class DigestError(Exception):
    """A user-facing error: ``file:line: message (hint)``."""

    message: str
    path: Path | str | None = None
    line: int | None = None
    hint: str | None = None

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} ({self.hint})" if self.hint else text


class ConfigError(DigestError):
    pass


class ContentError(DigestError):
    pass


class SeedError(DigestError):
    pass
