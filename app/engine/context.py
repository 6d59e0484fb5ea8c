"""Walking a YAML node tree: paths, locations, scalar tests and the problem collector.

A path names a place in the document the way a trainer would point at it:
``domains[2].items[4].options`` (list indexes from 0); ``""`` is the top level.
"""
from __future__ import annotations

from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .messages import KINDS, Bi
from .problems import Problem

_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def index(path: str, i: int) -> str:
    return f"{path}[{i}]"


def parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def where(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def is_plain(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.style in (None, "")  # the C parser gives ""


def is_null(node: Node) -> bool:
    return is_plain(node) and node.value in _NULL_WORDS


def found(node: Node) -> Bi | str:
    """How a node is described in a 'wrong type' message."""
    if isinstance(node, MappingNode):
        return KINDS["mapping"]
    if isinstance(node, SequenceNode):
        return KINDS["list"]
    if is_null(node):
        return KINDS["nothing"]
    value = node.value if len(node.value) <= 40 else node.value[:37] + "…"
    return f"'{value}'"


class Context:
    """Collects problems and remembers where each path starts (for checks run after the walk)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.marks: dict[str, tuple[int, int]] = {}

    def remember(self, path: str, node: Node) -> None:
        self.marks.setdefault(path, where(node))

    def locate(self, path: str) -> tuple[int, int]:
        """Location of ``path``, or of its nearest remembered ancestor."""
        while path not in self.marks and path:
            path = parent(path)
        return self.marks.get(path, (1, 1))

    def report(self, code: str, path: str, at: Node | None = None, **params: Any) -> None:
        line, column = where(at) if at is not None else self.locate(path)
        self.problems.append(Problem.make(code, path, line, column, **params))
