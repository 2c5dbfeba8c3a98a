"""The declarative schema of ``digest.yaml`` and its validation.

Every key is declared once below with its type and default; unknown keys are
errors that suggest the nearest known key, so a typo never goes unnoticed.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

from generator.errors import ConfigError
from generator.yamlutil import key_lines, syntax_error

CONFIG_FILE = "digest.yaml"

# key -> (type, default). Nested tables are dicts of the same shape.
SCHEMA: dict[str, Any] = {
    "title": (str, "News digest"),
    "description": (str, ""),
    "language": (str, "en"),
    "base_url": (str, "http://127.0.0.1:8000/"),
    "home_articles": (int, 30),
    "feed_entries": (int, 30),
    "paths": {
        "seeds": (str, "seeds"),
        "content": (str, "content"),
        "templates": (str, "templates"),
        "output": (str, "site"),
        "cache": (str, ".digest-cache"),
    },
    "theme": {
        "accent": (str, "#b4233c"),
        "accent_dark": (str, "#ff7a8a"),
        "show_date_notes": (bool, True),
    },
    "search": {
        "enabled": (bool, True),
        "shard_size": (int, 1000),      # articles per Pagefind run: its memory grows ≈ 200 KB a page
    },
    "deploy": {
        "remote": (str, "origin"),
        "branch": (str, "gh-pages"),
        "cname": ((str, type(None)), None),
    },
}


def normalize_base_url(url: str) -> str:
    """``user.github.io/repo`` -> ``https://user.github.io/repo/``: scheme added,
    exactly one trailing slash, no doubled slashes in the path."""
    url = (url or "").strip()
    if not url:
        raise ConfigError("base_url is empty", hint="set it to e.g. https://user.github.io/repo/")
    if "://" not in url:
        url = ("http://" if url.startswith(("localhost", "127.")) else "https://") + url.lstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"base_url {url!r} is not an http(s) URL",
                          hint="write it like https://user.github.io/repo/")
    path = "/" + "/".join(p for p in parts.path.split("/") if p)
    path = path if path.endswith("/") else path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


@dataclass
class Config:
    root: Path
    title: str
    description: str
    language: str
    base_url: str
    home_articles: int
    feed_entries: int
    paths: dict[str, Path]
    theme: dict[str, Any]
    search: dict[str, Any]
    deploy: dict[str, Any]
    source: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def base_path(self) -> str:
        """The URL path prefix the site lives under, e.g. ``/repo/``."""
        return urlsplit(self.base_url).path or "/"

    def path(self, name: str) -> Path:
        return self.paths[name]


def _validate(data: dict, schema: dict, where: str, file: Path | None, lines: dict) -> dict:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{where}{key}"
        if key not in schema:
            near = difflib.get_close_matches(str(key), list(schema), n=1)
            hint = f"did you mean {where}{near[0]!r}?" if near else f"known keys: {', '.join(sorted(schema))}"
            raise ConfigError(f"unknown key {name!r}", file, lines.get(name), hint)
        spec = schema[key]
        if isinstance(spec, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{name!r} must be a mapping", file, lines.get(name),
                                  f"keys: {', '.join(spec)}")
            out[key] = _validate(value, spec, f"{name}.", file, lines)
            continue
        typ, _ = spec
        if isinstance(value, bool) and typ is int or not isinstance(value, typ):
            want = " or ".join(t.__name__ for t in typ) if isinstance(typ, tuple) else typ.__name__
            raise ConfigError(f"{name!r} must be a {want}, not {type(value).__name__}", file,
                              lines.get(name))
        out[key] = value
    for key, spec in schema.items():
        if key not in out:
            out[key] = _validate({}, spec, f"{where}{key}.", file, lines) if isinstance(spec, dict) else spec[1]
    return out


def load_config(root: Path | str = ".", overrides: dict[str, Any] | None = None) -> Config:
    """Read ``digest.yaml`` under ``root`` (all defaults when it is absent)."""
    root = Path(root).resolve()
    file = root / CONFIG_FILE
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    if file.exists():
        text = file.read_text(encoding="utf-8")
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise syntax_error(exc, file, hint="check the indentation and quoting on that line",
                               error=ConfigError) from None
        if not isinstance(data, dict):
            raise ConfigError("the file must be a mapping of keys to values", file, 1)
        lines = key_lines(text)
    values = _validate(data, SCHEMA, "", file if file.exists() else None, lines)
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key in ("seeds", "content", "templates", "output", "cache"):
            values["paths"][key] = str(value)
        else:
            values[key] = value
    try:
        values["base_url"] = normalize_base_url(values["base_url"])
    except ConfigError as exc:
        exc.path, exc.line = (file, lines.get("base_url")) if file.exists() else (None, None)
        raise
    if values["search"]["shard_size"] < 1:
        raise ConfigError("search.shard_size must be at least 1", file if file.exists() else None,
                          lines.get("search.shard_size") or lines.get("search"),
                          "it is how many articles each search index shard holds, e.g. 1000")
    paths = {k: (root / v).resolve() for k, v in values.pop("paths").items()}
    return Config(root=root, paths=paths, source=file if file.exists() else None, raw=data, **values)
