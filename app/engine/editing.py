"""Editing questionnaire drafts: YAML text ↔ plain document, form fields, list operations.

The raw YAML editor and the structured form edit the same *plain document* (dict, list, str, int,
float, bool, None, in the shape of the YAML file). A draft may be invalid: nothing here validates.

**Typing rule.** A quoted or block (``|``, ``>``) scalar is always text. A plain scalar is
``true``/``false`` → bool; ``null``, ``~`` or empty → None; a canonical whole number (``8``,
``-3``; not ``08``, ``+3``, ``-0``) → int; a canonical decimal (``0.5``, ``2.0``; not ``1.10``,
``.5``, ``1e3``) → float; *anything else* (``no``, ``010``, ``1.10``, ``True``) → text.
``document_to_yaml`` writes text plain whenever this rule reads it back as the same text
(``1.10``, ``no``), else quoted (``"true"``, ``"8"``). Hence ``plain_document(document_to_yaml(
doc)) == doc`` for the documents made here (text keys; a float such as 1e16 comes back as text),
and for a valid text ``load(document_to_yaml(plain_document(text))) == load(text)``: the schema
sees every scalar with the same text and plainness (``weight: 1.10`` is still the number 1.1; the
text "1.10" where text is expected). Comments and layout are not kept.

Paths: the problem path ``domains[2].items[4].options`` is the form field
``domains.2.items.4.options`` (``path_key``), i.e. ``["domains", 2, "items", 4, "options"]``
(``field_path``); a key containing a dot cannot be named. Every function returns a new document
sharing nothing with its input.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .context import found, index, is_plain, join, where
from .messages import KINDS
from .problems import Problem
from .yaml_source import DEFAULT_MAX_BYTES, read_nodes

Path = str | Sequence[str | int]

MAX_DEPTH = 64  # a questionnaire nests 8 deep; this keeps a hostile draft from recursing far
_NUMBER_MAX_CHARS = 100  # longer digit strings stay text (int() refuses > 4300 digits)
_INT_TEXT = re.compile(r"0|-?[1-9][0-9]*")
_DECIMAL_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_INDEX = re.compile(r"\[([0-9]+)\]")

class NotEditable(ValueError):
    """The text cannot be shown as a plain document; ``.problems`` says why and where."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems) or "not editable")


class PathError(ValueError):
    """A path that cannot be followed in the document (e.g. an index past the end of a list)."""


# -- YAML text → plain document ---------------------------------------------------------

def scalar_value(text: str) -> Any:
    """The value of a *plain* scalar written ``text``, by the typing rule of this module."""
    if text in ("true", "false"):
        return text == "true"
    if text in _NULL_WORDS:
        return None
    if len(text) <= _NUMBER_MAX_CHARS:
        if _INT_TEXT.fullmatch(text):
            return int(text)
        if _DECIMAL_TEXT.fullmatch(text) and repr(float(text)) == text:
            return float(text)
    return text


def _convert(node: Node, path: str, depth: int, problems: list[Problem]) -> Any:
    if depth > MAX_DEPTH:
        problems.append(Problem.make("yaml_syntax", path, *where(node),
                                     detail=f"nested more than {MAX_DEPTH} levels deep"))
        return None
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                problems.append(Problem.make("wrong_type", path, *where(key_node),
                                             expected=KINDS["text"], found=found(key_node)))
                continue
            key = key_node.value
            if key in first_line:  # a dict cannot hold both: the trainer must choose in YAML
                problems.append(Problem.make("duplicate_key", join(path, key), *where(key_node),
                                             key=key, first_line=first_line[key]))
                continue
            first_line[key] = where(key_node)[0]
            out[key] = _convert(value_node, join(path, key), depth + 1, problems)
        return out
    if isinstance(node, SequenceNode):
        return [_convert(child, index(path, i), depth + 1, problems)
                for i, child in enumerate(node.value)]
    return scalar_value(node.value) if is_plain(node) else node.value


def plain_document(text: str | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """The plain document of a (possibly invalid) draft. NotEditable when the text is too large,
    not UTF-8, not YAML, has anchors, aliases or tags, is not a mapping at the top level, or has
    a duplicate or non-text key (a dict cannot show it: the trainer fixes it in YAML first)."""
    root, problems = read_nodes(text, max_bytes)
    if problems:
        raise NotEditable(problems)
    if not isinstance(root, MappingNode):
        line, column = where(root) if root is not None else (1, 1)
        what = found(root) if root is not None else KINDS["nothing"]
        raise NotEditable([Problem.make("not_a_mapping", "", line, column, found=what)])
    problems = []
    doc = _convert(root, "", 0, problems)
    if problems:
        raise NotEditable(problems)
    return doc


# -- paths ------------------------------------------------------------------------------

def path_key(problem_path: str) -> str:
    """``domains[2].items[4].options`` → ``domains.2.items.4.options`` (the form field name)."""
    return _INDEX.sub(r".\1", problem_path).lstrip(".")


def field_path(dotted: str) -> list[str | int]:
    """``domains.2.items.4`` (or ``domains[2].items[4]``) → ``["domains", 2, "items", 4]``."""
    parts = path_key(dotted).split(".") if dotted else []
    return [int(s) if s.isascii() and s.isdigit() else s for s in parts]


def _segments(path: Path) -> list[str | int]:
    return field_path(path) if isinstance(path, str) else list(path)


_MISSING: Any = object()


def _child(node: Any, seg: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(str(seg), _MISSING)
    if isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
        return node[seg]
    return _MISSING


def _assign(node: Any, seg: str | int, value: Any) -> None:
    if isinstance(node, dict):
        node[str(seg)] = value
    elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg <= len(node):
        node[seg:seg + 1] = [value]  # replaces, or appends at the end
    else:
        raise PathError(f"cannot set {seg!r} in {type(node).__name__}")


def _put(doc: dict, segs: list[str | int], value: Any) -> None:
    """Set in place, creating missing (or empty) dicts and lists on the way."""
    if not segs:
        raise PathError("the empty path names the whole document")
    node = doc
    for seg, following in zip(segs, segs[1:]):
        child = _child(node, seg)
        if child is _MISSING or child is None:
            child = [] if isinstance(following, int) else {}
            _assign(node, seg, child)
        elif not isinstance(child, (dict, list)):
            raise PathError(f"{seg!r} holds a value, not a mapping or list")
        node = child
    _assign(node, segs[-1], value)


def get_at(doc: Any, path: Path, default: Any = None) -> Any:
    """The value at ``path``, or ``default`` when there is none."""
    node = doc
    for seg in _segments(path):
        node = _child(node, seg)
        if node is _MISSING:
            return default
    return node


def set_at(doc: dict, path: Path, value: Any) -> dict:
    """A copy of ``doc`` with ``value`` at ``path``, creating missing dicts and lists; an index
    equal to a list's length appends. PathError for a larger index or through a value."""
    new = copy.deepcopy(doc)
    _put(new, _segments(path), copy.deepcopy(value))
    return new


def remove_at(doc: dict, path: Path) -> dict:
    """A copy of ``doc`` without the key or list element at ``path`` (unchanged if missing)."""
    new = copy.deepcopy(doc)
    segs = _segments(path)
    if not segs:
        raise PathError("the empty path names the whole document")
    parent = get_at(new, segs[:-1], _MISSING)
    if isinstance(parent, dict):
        parent.pop(str(segs[-1]), None)
    elif _child(parent, segs[-1]) is not _MISSING:
        del parent[segs[-1]]
    return new


def move(doc: dict, path: Path, delta: int) -> dict:
    """A copy of ``doc`` with the list element at ``path`` moved by ``delta`` places (-1: up),
    clamped to the list's ends; unchanged if there is no such element."""
    new = copy.deepcopy(doc)
    segs = _segments(path)
    parent = get_at(new, segs[:-1], _MISSING) if segs else _MISSING
    if isinstance(parent, list) and _child(parent, segs[-1]) is not _MISSING:
        target = max(0, min(len(parent) - 1, segs[-1] + delta))
        parent.insert(target, parent.pop(segs[-1]))
    return new


# -- blank list entries -----------------------------------------------------------------

def _text() -> dict[str, str]:
    return {"id": "", "en": ""}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _numbers(values: Any) -> list[float]:
    return [v for v in _list(values) if isinstance(v, (int, float)) and not isinstance(v, bool)]


def _domain_ids(doc: dict) -> list[str]:
    return [d["id"] for d in _list(doc.get("domains"))
            if isinstance(d, dict) and isinstance(d.get("id"), str) and d["id"]]


def _next_option_id(options: list) -> str:
    taken = {o.get("id") for o in options if isinstance(o, dict)}
    return next((c for c in "abcdefghijklmnopqrstuvwxyz" if c not in taken), "")


def _next_level(scale: list) -> int:
    levels = _numbers([lv.get("level") for lv in scale if isinstance(lv, dict)])
    return int(max(levels)) + 1 if levels else len(scale) + 1


# list name → (whole document, the list so far) → its blank entry
_BLANKS: dict[str, Callable[[dict, list], Any]] = {
    "domains": lambda doc, _: {"id": "", "name": _text(), "description": _text(), "levels": [
        _BLANKS["levels"](doc, []) for _ in _list(doc.get("scale"))], "items": []},
    "items": lambda doc, _: {"id": "", "type": "rating", "text": _text(),
                             "anchors": [_text() for _ in range(4)]},
    "options": lambda doc, now: {"id": _next_option_id(now), "text": _text(), "score": 0},
    "anchors": lambda doc, _: _text(),
    "levels": lambda doc, _: {"descriptor": _text(), "example": _text()},
    "scale": lambda doc, now: {"level": _next_level(now), "name": _text(), "descriptor": _text()},
    "positions": lambda doc, _: {"id": "", "name": _text(),
                                 "targets": {d: 1 for d in _domain_ids(doc)}},
    "modules": lambda doc, _: {"id": "", "title": _text(), "domain": "", "from_level": 1,
                               "to_level": 2, "jp": 2, "mode": "classroom", "provider": ""},
    "caps": lambda doc, _: {"item": "", "below": 0.5, "max_level": 1, "reason": _text()},
    "thresholds": lambda doc, now: min(100, max(_numbers(now)) + 10) if _numbers(now) else 50,
}
BLANK_LISTS = tuple(_BLANKS)


def insert_new(doc: dict, list_path: Path) -> dict:
    """A copy of ``doc`` with a blank entry appended to the list at ``list_path``, chosen by the
    list's name (one of BLANK_LISTS); a missing list is created. The new entry's path is
    ``list_path`` + ``.`` + (new length − 1)."""
    segs = _segments(list_path)
    current = get_at(doc, segs) if segs else None
    if not segs or segs[-1] not in _BLANKS or not isinstance(current, (list, type(None))):
        raise PathError(f"{list_path!r} is not a list named one of {', '.join(_BLANKS)}")
    new = copy.deepcopy(doc)
    entry = _BLANKS[segs[-1]](new, current or [])
    _put(new, segs, [*copy.deepcopy(current or []), entry])
    return new


# -- form fields → document -------------------------------------------------------------

# Whole numbers and decimals convert alike: the schema reports ``jp: 2.5``. The values of the
# NUMBER_MAPS and the entries of ``thresholds`` are numbers too.
NUMBER_KEYS = frozenset({"level", "max_level", "from_level", "to_level", "jp", "format",
                         "max_length", "weight", "score", "below", "min_answered", "lower_by"})
YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")
NUMBER_MAPS = frozenset({"targets", "importance"})
BOOL_KEYS = frozenset({"required", "not_applicable", "scored"})
_BOOL_WORDS = {"true": True, "on": True, "false": False, "off": False}


def field_value(segs: Sequence[str | int], text: str) -> Any:
    """The value of a posted text at a path: a number field's text is typed as in YAML (``"8"`` →
    8, ``"0.5"`` → 0.5; ``""``, ``"abc"``, ``"08"`` stay text for validation to report);
    ``required``, ``not_applicable`` and ``scored`` are True/False from true/on/false/off; the
    rest is text with ``\\n`` line ends."""
    last = segs[-1] if segs else ""
    parent = segs[-2] if len(segs) > 1 else ""
    if (last in NUMBER_KEYS or parent in NUMBER_MAPS
            or (parent == "thresholds" and isinstance(last, int))):
        value = scalar_value(text.strip())
        return value if type(value) in (int, float) else text.strip()
    if last in BOOL_KEYS:
        return _BOOL_WORDS.get(text.strip(), text.strip())
    return text.replace("\r\n", "\n").replace("\r", "\n")


def form_to_document(fields: Mapping[str, str], base: dict, *, prefix: str = "") -> dict:
    """A copy of ``base`` with every posted field (dotted path → text) applied, typed by
    ``field_value``; with ``prefix``, only the fields named ``prefix + path`` (so that a CSRF
    token stays out). Unknown keys are kept for validation to report. A field past the end of a
    list waits for the entries before it; PathError if they never come."""
    doc = copy.deepcopy(base)
    pending = [(field_path(name[len(prefix):]), text) for name, text in fields.items()
               if name.startswith(prefix)]
    pending = [(segs, field_value(segs, text)) for segs, text in pending]
    while pending:
        left = []
        for segs, value in pending:
            try:
                _put(doc, segs, value)
            except PathError:
                left.append((segs, value))
        if len(left) == len(pending):
            raise PathError("cannot place the fields " + ", ".join(
                ".".join(map(str, segs)) for segs, _ in left))
        pending = left
    return doc


# -- plain document → YAML text ---------------------------------------------------------

_TAGS = {bool: "tag:yaml.org,2002:bool", type(None): "tag:yaml.org,2002:null",
         int: "tag:yaml.org,2002:int", float: "tag:yaml.org,2002:float",
         str: "tag:yaml.org,2002:str"}
_FLOW_MAX_CHARS = 60
_NO_WRAP = 1_000_000  # one text, one line: the editor wraps it visually


class _Root(dict):
    """The top-level mapping: always block style."""


def _flow(values: list) -> bool:
    """Short all-scalar lists and mappings read best on one line: ``{id: Ya, en: "Yes"}``."""
    return bool(values) and all(v is None or isinstance(v, (bool, int, float)) or (
        isinstance(v, str) and not {"\n", "\r"} & set(v)) for v in values) and sum(
        len(str(v)) + 2 for v in values) <= _FLOW_MAX_CHARS


class _Dumper(yaml.SafeDumper):
    """Block YAML whose plain scalars follow this module's typing rule; no anchors, no tags."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)  # indent lists under their key

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            return _TAGS[type(scalar_value(value))]
        return super().resolve(kind, value, implicit)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style  # as the format guide writes: "Ya, tentu"

    def represent_str(self, data: str) -> Node:
        """Multi-line text as a literal block, unless it holds a line break other than \\n (NEL,
        line or paragraph separator): a block would read those back as \\n, so it is quoted."""
        literal = "\n" in data and not any(ch in data for ch in YAML_ONLY_BREAKS)
        return self.represent_scalar(_TAGS[str], data, style="|" if literal else None)

    def represent_float(self, data: float) -> Node:
        text = repr(data)  # canonical when it came from a document; else written as text
        return self.represent_scalar(_TAGS[type(scalar_value(text))], text)

    def represent_dict(self, data: dict) -> Node:
        return self.represent_mapping("tag:yaml.org,2002:map", data.items(),
                                      flow_style=_flow([*data.keys(), *data.values()]))

    def represent_list(self, data: Sequence) -> Node:
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=_flow(list(data)))

    def represent_root(self, data: _Root) -> Node:
        return self.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


for _type, _method in ((str, _Dumper.represent_str), (float, _Dumper.represent_float),
                       (dict, _Dumper.represent_dict), (list, _Dumper.represent_list),
                       (tuple, _Dumper.represent_list), (_Root, _Dumper.represent_root)):
    _Dumper.add_representer(_type, _method)


def document_to_yaml(doc: Mapping[str, Any]) -> str:
    """YAML text of a plain (possibly invalid) document: block style, short bilingual texts and
    number lists on one line, unicode kept, no anchors or tags; ``plain_document`` reads it back
    to an equal document."""
    return yaml.dump(_Root(doc), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=_NO_WRAP)
