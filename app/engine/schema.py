"""A small declarative schema for YAML node trees.

A schema is a tree of ``Spec`` objects (``Record``, ``Seq``, ``Int``, ``Bilingual`` …). Each
spec converts a node into plain Python data and reports every problem it sees to a
``context.Context`` with the node's location. The type of a scalar is decided by the spec from the
scalar's original text, never by YAML's own resolution: ``no`` is text where text is expected
and wrong where a boolean is, ``010`` is refused as an integer, ``1.10`` stays the text "1.10".

Conversion never stops at the first problem. A value that cannot be converted becomes
``INVALID`` inside lists (so list indexes stay meaningful) and is left out of mappings.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterator

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .context import Context, found, index, is_null, is_plain, join, where
from .messages import KINDS, LANGUAGE_NAMES, Bi, describe_range


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()

_INT = re.compile(r"[-+]?[0-9]+")
MAX_NUMBER_LENGTH = 40  # no questionnaire number needs more; longer digit runs would make int() refuse
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 64


# -- specs ------------------------------------------------------------------------------

class Spec:
    """Converts one node; reports problems and returns INVALID when it cannot."""

    kind = "text"

    def describe(self) -> Bi:
        return KINDS[self.kind]

    def convert(self, node: Node, path: str, ctx: Context) -> Any:
        raise NotImplementedError

    def scalar(self, node: Node, path: str, ctx: Context) -> Any:
        """The scalar's original text, or INVALID after reporting why there is none."""
        if is_null(node):
            ctx.report("empty_value", path, node, expected=self.describe())
            return INVALID
        if not isinstance(node, ScalarNode):
            self.wrong_type(node, path, ctx)
            return INVALID
        return node.value

    def wrong_type(self, node: Node, path: str, ctx: Context) -> Any:
        ctx.report("wrong_type", path, node, expected=self.describe(), found=found(node))
        return INVALID


@dataclass(frozen=True)
class Str(Spec):
    pattern: re.Pattern | None = None
    pattern_code: str = "wrong_type"
    max_length: int | None = None
    kind: str = "text"

    def convert(self, node: Node, path: str, ctx: Context) -> Any:
        value = self.scalar(node, path, ctx)
        if value is INVALID:
            return INVALID
        if not value.strip():
            ctx.report("empty_value", path, node, expected=self.describe())
            return INVALID
        too_long = self.max_length is not None and len(value) > self.max_length
        if too_long or (self.pattern is not None and not self.pattern.fullmatch(value)):
            ctx.report(self.pattern_code, path, node, value=value)
            return INVALID
        return value


def Slug() -> Str:
    return Str(pattern=SLUG, pattern_code="bad_slug", max_length=SLUG_MAX, kind="slug")


@dataclass(frozen=True)
class OneOf(Spec):
    values: tuple[str, ...]
    kind: str = "choice"

    def convert(self, node: Node, path: str, ctx: Context) -> Any:
        value = self.scalar(node, path, ctx)
        if value is not INVALID and value not in self.values:
            ctx.report("not_in_list", path, node, value=value, allowed=list(self.values))
            return INVALID
        return value


@dataclass(frozen=True)
class Bool(Spec):
    kind: str = "boolean"

    def convert(self, node: Node, path: str, ctx: Context) -> Any:
        value = self.scalar(node, path, ctx)
        if value is INVALID:
            return INVALID
        if not is_plain(node) or value not in ("true", "false"):
            return self.wrong_type(node, path, ctx)
        return value == "true"


@dataclass(frozen=True)
class Number(Spec):
    """A number (int when written without a point or exponent), optionally within a range."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    integer: bool = False

    @property
    def kind(self) -> str:  # type: ignore[override]
        return "integer" if self.integer else "number"

    def convert(self, node: Node, path: str, ctx: Context) -> Any:
        text = self.scalar(node, path, ctx)
        if text is INVALID:
            return INVALID
        syntax = _INT if self.integer else _NUMBER
        if not is_plain(node) or len(text) > MAX_NUMBER_LENGTH or not syntax.fullmatch(text):
            return self.wrong_type(node, path, ctx)
        if _LEADING_ZERO.match(text):
            fixed = text.lstrip("+-").lstrip("0") or "0"
            fixed = ("0" + fixed) if fixed.startswith(".") else fixed
            ctx.report("leading_zero", path, node, value=text,
                       fixed=("-" if text.startswith("-") else "") + fixed)
            return INVALID
        value: int | float = int(text) if _INT.fullmatch(text) else float(text)
        if not math.isfinite(value):
            return self.wrong_type(node, path, ctx)
        if not self._in_range(value):
            ctx.report("out_of_range", path, node, value=text, range=describe_range(
                self.low, self.high, low_open=self.low_open, high_open=self.high_open))
            return INVALID
        return value

    def _in_range(self, value: float) -> bool:
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        if self.high is not None and (value >= self.high if self.high_open else value > self.high):
            return False
        return True


def Int(low: int | None = None, high: int | None = None) -> Number:
    return Number(low, high, integer=True)


def entries(node: MappingNode, path: str, ctx: Context) -> Iterator[tuple[str, Node, Node]]:
    """(key, key node, value node) of a mapping; refuses non-text and duplicate keys."""
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            Str().wrong_type(key_node, path, ctx)
            continue
        key = key_node.value
        if key in first_line:
            ctx.report("duplicate_key", join(path, key), key_node, key=key,
                       first_line=first_line[key])
            continue
        first_line[key] = where(key_node)[0]
        yield key, key_node, value_node


class _Container(Spec):
    node_type: type = MappingNode

    def container(self, node: Node, path: str, ctx: Context) -> bool:
        if is_null(node):
            ctx.report("empty_value", path, node, expected=self.describe())
            return False
        if not isinstance(node, self.node_type):
            self.wrong_type(node, path, ctx)
            return False
        return True


@dataclass(frozen=True)
class Bilingual(_Container):
    """``{id: …, en: …}``, both non-empty; a missing or empty one is ``missing_translation``."""

    kind: str = "bilingual"

    def convert(self, node: Node, path: str, ctx: Context) -> Any:
        if not self.container(node, path, ctx):
            return INVALID
        out: dict[str, str] = {}
        at: dict[str, Node] = {}
        for key, key_node, value_node in entries(node, path, ctx):
            if key not in ("id", "en"):
                ctx.report("unknown_key", join(path, key), key_node, key=key, allowed=["id", "en"])
                continue
            at[key] = key_node
            if not isinstance(value_node, ScalarNode):
                Str().wrong_type(value_node, join(path, key), ctx)
                out[key] = INVALID
            elif not is_null(value_node) and value_node.value.strip():
                out[key] = value_node.value
        for lang in ("id", "en"):
            if lang not in out:
                ctx.report("missing_translation", join(path, lang), at.get(lang, node),
                           lang=lang, lang_name=LANGUAGE_NAMES[lang])
        return out if len(out) == 2 and INVALID not in out.values() else INVALID


@dataclass(frozen=True)
class Seq(_Container):
    item: Spec
    min_length: int = 0
    max_length: int | None = None
    length_code: str | None = None  # a specific code for a wrong length (e.g. too_few_options)
    kind: str = "list"
    node_type = SequenceNode

    def convert(self, node: Node, path: str, ctx: Context) -> Any:
        if not self.container(node, path, ctx):
            return INVALID
        out = []
        for i, child in enumerate(node.value):
            ctx.remember(index(path, i), child)
            out.append(self.item.convert(child, index(path, i), ctx))
        count = len(out)
        code = None
        if count < self.min_length:
            code = self.length_code or "list_too_short"
        elif self.max_length is not None and count > self.max_length:
            code = self.length_code or "list_too_long"
        if code:  # located at the list's key, the line a trainer looks at
            ctx.report(code, path, None, count=count, min=self.min_length, max=self.max_length)
        return out


@dataclass(frozen=True)
class Field:
    spec: Spec
    required: bool = True


@dataclass(frozen=True)
class Record(_Container):
    """A mapping with known keys; unknown keys and missing required keys are problems."""

    fields: dict[str, Field]
    kind: str = "mapping"

    def convert(self, node: Node, path: str, ctx: Context, *, ignore: frozenset = frozenset(),
                foreign: dict[str, str] | None = None, foreign_code: str = "key_not_allowed",
                owners: dict[str, str] | None = None) -> Any:
        """``ignore``: keys passed over silently; ``foreign``: key → the variant in force, for a
        key that belongs to another variant (``owners``: key → that variant), reported as
        ``foreign_code``."""
        if not self.container(node, path, ctx):
            return INVALID
        out: dict[str, Any] = {}
        seen = set()
        for key, key_node, value_node in entries(node, path, ctx):
            seen.add(key)
            key_path = join(path, key)
            spec = self.fields.get(key)
            if spec is None:
                if foreign and key in foreign:
                    ctx.report(foreign_code, key_path, key_node, key=key, type=foreign[key],
                               owner=(owners or {}).get(key, "?"))
                elif key not in ignore:
                    ctx.report("unknown_key", key_path, key_node, key=key,
                               allowed=list(self.fields))
                continue
            ctx.remember(key_path, key_node)
            value = spec.spec.convert(value_node, key_path, ctx)
            if value is not INVALID:
                out[key] = value
        for key, spec in self.fields.items():
            if spec.required and key not in seen:
                ctx.report("missing_key", join(path, key), node, key=key)
        return out


@dataclass(frozen=True)
class MapOf(_Container):
    """A mapping from free text keys (checked later, e.g. domain ids) to values of one spec.

    Values that fail keep their key with INVALID, so later checks know the key was written.
    """

    value: Spec
    kind: str = "mapping"

    def convert(self, node: Node, path: str, ctx: Context) -> Any:
        if not self.container(node, path, ctx):
            return INVALID
        out = {}
        for key, key_node, value_node in entries(node, path, ctx):
            ctx.remember(join(path, key), key_node)
            out[key] = self.value.convert(value_node, join(path, key), ctx)  # INVALID kept
        return out


@dataclass(frozen=True)
class Variant(_Container):
    """A record whose allowed keys depend on a discriminating key (an item's ``type``, the
    scoring ``model``). ``default``: the variant when the key is not written (None: only the
    common keys then); ``order``: the order of the keys in messages (default: common first);
    ``foreign_code``: the problem for a key of another variant."""

    key: str
    common: dict[str, Field]
    variants: dict[str, dict[str, Field]]
    kind: str = "mapping"
    default: str | None = None
    order: tuple[str, ...] = ()
    foreign_code: str = "key_not_allowed"

    def convert(self, node: Node, path: str, ctx: Context) -> Any:
        if not self.container(node, path, ctx):
            return INVALID
        chosen = self._peek(node)
        every_key = {k for fields in self.variants.values() for k in fields}
        if chosen not in self.variants:  # the problem with the key itself is reported below
            return Record(self.common).convert(node, path, ctx, ignore=frozenset(every_key))
        fields = {**self.common, **self.variants[chosen]}
        if self.order:
            fields = {k: fields[k] for k in sorted(fields, key=lambda k: (
                self.order.index(k) if k in self.order else len(self.order)))}
        foreign = {k: chosen for k in every_key if k not in fields}
        owners = {k: name for name, keys in self.variants.items() for k in keys if k in foreign}
        return Record(fields).convert(node, path, ctx, foreign=foreign,
                                      foreign_code=self.foreign_code, owners=owners)

    def _peek(self, node: MappingNode) -> str | None:
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == self.key:
                return value_node.value if isinstance(value_node, ScalarNode) else None
        return self.default
