"""Where each key of a YAML document sits, so errors can name a line.

Only called when something is wrong: composing the node tree costs as much as
parsing, and the happy path never needs it.
"""
from __future__ import annotations

import yaml


def key_lines(text: str, first_line: int = 1) -> dict[str, int]:
    """``{"date": 5, "quotes[2]": 14, "quotes[2].speaker": 14, "speakers[0]": 9}``.

    ``first_line`` is the file line of the text's first line.
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
