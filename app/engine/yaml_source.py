"""Untrusted text → YAML node tree, safely and with locations.

Order matters: the size is checked on the bytes before anything is parsed; then the event
stream is scanned and any anchor, alias or explicit tag is refused. Aliases are never expanded,
so an alias bomb ("billion laughs") costs no more than reading its text. Only then is the node
tree composed; nothing is ever *constructed* into Python objects by YAML — the schema decides
every value's type from the scalar's original text.
"""
from __future__ import annotations

import yaml
from yaml.nodes import Node

from .problems import Problem

# The C parser is ~10x faster; both give the same events, nodes and marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_MAX_BYTES = 512 * 1024
_MAX_SCAN_PROBLEMS = 50


def _kib(size: int) -> str:
    return f"{round(size / 1024, 1):g}"


def decode(text: str | bytes, max_bytes: int) -> tuple[str | None, list[Problem]]:
    """Check the size in bytes and return the text as ``str`` (a UTF-8 BOM is dropped)."""
    if isinstance(text, str):
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return None, [Problem.make("not_utf8", "", None, None)]
    else:
        data = bytes(text)
    if len(data) > max_bytes:
        return None, [Problem.make("too_large", "", None, None,
                                   size=_kib(len(data)), limit=_kib(max_bytes))]
    if isinstance(text, str):
        return text.removeprefix("\ufeff"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return None, [Problem.make("not_utf8", "", None, None)]


def _syntax_problem(error: yaml.YAMLError, text: str) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif getattr(error, "position", None) is not None:  # ReaderError: bad character
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
    else:
        line = column = None
    detail = getattr(error, "problem", None) or getattr(error, "reason", None) or str(error)
    return Problem.make("yaml_syntax", "", line, column, detail=str(detail).strip())


def scan(text: str) -> list[Problem]:
    """Refuse anchors, aliases and explicit tags, reading events only (linear time)."""
    problems: list[Problem] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1)
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                problems.append(Problem.make("yaml_alias", "", *where))
            elif getattr(event, "tag", None) is not None:
                problems.append(Problem.make("yaml_tag", "", *where, tag=event.tag))
            if len(problems) >= _MAX_SCAN_PROBLEMS:
                break
    except yaml.YAMLError as error:
        problems.append(_syntax_problem(error, text))
    return problems


def compose(text: str) -> tuple[Node | None, list[Problem]]:
    """The node tree of a scanned text (None for an empty document) or a syntax problem."""
    try:
        return yaml.compose(text, Loader=_Loader), []
    except yaml.YAMLError as error:
        return None, [_syntax_problem(error, text)]


def read_nodes(text: str | bytes, max_bytes: int = DEFAULT_MAX_BYTES
               ) -> tuple[Node | None, list[Problem]]:
    """Size check, safety scan, compose. Returns (root node, problems); root is None on problems."""
    decoded, problems = decode(text, max_bytes)
    if decoded is None:
        return None, problems
    problems = scan(decoded)
    if problems:
        return None, problems
    return compose(decoded)
