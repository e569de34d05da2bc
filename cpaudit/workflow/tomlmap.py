"""Line numbers for a parsed TOML file.

``tomllib`` gives values without positions; a definition error must still name
the file and line. This scans the text once and maps a data path such as
``("step", 3, "field", 0, "unit")`` to the line where it is written. It covers
the subset the workflow files use: ``[table]``, ``[[array.of.tables]]`` and
``key = value`` lines (dotted keys resolve to their first part).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)(\.[A-Za-z0-9_.\-]+)?\s*=")


@dataclass
class _Node:
    line: int
    keys: dict[str, int] = field(default_factory=dict)
    children: dict[str, object] = field(default_factory=dict)  # name -> _Node | list[_Node]


class LineMap:
    def __init__(self, text: str):
        self.root = _Node(line=1)
        current = self.root
        in_multiline = False
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if line.count('"""') % 2 == 1:
                    in_multiline = False
                continue
            header = _HEADER.match(line)
            if header and not line.lstrip().startswith("#"):
                current = self._open(header.group(2).split("."), header.group(1) == "[[", number)
                continue
            key = _KEY.match(line)
            if key:
                current.keys.setdefault(key.group(1), number)
                if line.count('"""') % 2 == 1:
                    in_multiline = True

    def _open(self, parts: list[str], is_array: bool, line: int) -> _Node:
        node = self.root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            child = node.children.get(part)
            if last:
                if is_array:
                    items = child if isinstance(child, list) else []
                    new = _Node(line=line)
                    items.append(new)
                    node.children[part] = items
                    return new
                new = child if isinstance(child, _Node) else _Node(line=line)
                node.children[part] = new
                return new
            if isinstance(child, list):
                node = child[-1]
            elif isinstance(child, _Node):
                node = child
            else:
                node = _Node(line=line)
                node.children[part] = node
        return node

    def line_of(self, path: tuple[object, ...]) -> int:
        """Best line for ``path``; falls back to the nearest enclosing table."""
        node: object = self.root
        best = 1
        for part in path:
            if isinstance(node, list):
                if isinstance(part, int) and 0 <= part < len(node):
                    node = node[part]
                    best = node.line
                    continue
                return best
            assert isinstance(node, _Node)
            if isinstance(part, str) and part in node.children:
                node = node.children[part]
                if isinstance(node, _Node):
                    best = node.line
                continue
            if isinstance(part, str) and part in node.keys:
                return node.keys[part]
            return best
        return best
