"""What a batch of changed files asks for: ingest, a rebuild, new stylesheets, a new config."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STYLESHEETS = (".css",)


@dataclass(frozen=True)
class Changes:
    config: bool = False                 # digest.yaml: reload it and rebuild everything
    seeds: tuple[Path, ...] = ()         # ingest, then rebuild what the new content touches
    content: tuple[Path, ...] = ()       # rebuild the pages these files feed
    templates: tuple[Path, ...] = ()     # re-render the pages using these templates
    other: tuple[Path, ...] = ()

    @property
    def css_only(self) -> bool:
        """Only stylesheets changed: pages can swap them without reloading."""
        return (bool(self.templates) and not (self.config or self.seeds or self.content or self.other)
                and all(p.suffix.lower() in STYLESHEETS for p in self.templates))

    @property
    def paths(self) -> set[Path]:
        return {*self.seeds, *self.content, *self.templates, *self.other}

    def describe(self) -> str:
        parts = ["digest.yaml"] if self.config else []
        parts += [f"{len(v)} {k}" for k, v in (("seed(s)", self.seeds), ("content file(s)", self.content),
                                               ("template file(s)", self.templates)) if v]
        return ", ".join(parts) or "nothing"


def _under(path: Path, folder: Path) -> bool:
    return folder == path or folder in path.parents


def classify(paths: list[Path], config) -> Changes:
    """Sort changed ``paths`` by the project folder they belong to."""
    folders = {k: config.paths[k].resolve() for k in ("seeds", "content", "templates")}
    config_file = (config.source or config.root / "digest.yaml").resolve()
    groups: dict[str, list[Path]] = {"seeds": [], "content": [], "templates": [], "other": []}
    is_config = False
    for p in paths:
        p = p.resolve()
        if p == config_file:
            is_config = True
            continue
        # The most specific folder wins (templates may live inside content, say).
        owners = sorted((k for k, f in folders.items() if _under(p, f)), key=lambda k: -len(folders[k].parts))
        groups[owners[0] if owners else "other"].append(p)
    return Changes(config=is_config, **{k: tuple(v) for k, v in groups.items()})
