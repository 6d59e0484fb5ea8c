"""The shape of a format-1 questionnaire file, as a declarative schema (the format is documented
for trainers in questionnaires/README.md).

Only the shape lives here: keys, types, per-value ranges and list lengths. Rules that relate
one part of the file to another (ids, references, the scale size, closable gaps) are in
``checks.py``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from .budget import COST_BASES, PER_CLASS, ROUTES
from .context import Context, found, is_null, is_plain, join
from .model import (ANCHORED, COMBINE_METHODS, DEFAULT_MODEL, ITEM_TYPES, MODES, ROUNDINGS,
                    SCORING_MODELS, THRESHOLDS)
from .schema import (INVALID, Bilingual, Bool, Field, Int, MapOf, Number, OneOf, Record, Seq, Slug,
                     Spec, Str, Variant, entries)

TEXT = Bilingual()
ID = Field(Slug())


def _optional(spec) -> Field:
    return Field(spec, required=False)


LEVEL = Record({
    "level": Field(Int()),
    "name": Field(TEXT),
    "descriptor": Field(TEXT),
})

CAP = Record({
    "item": ID,
    "below": _optional(Number(0, 1, low_open=True)),
    "max_level": Field(Int()),  # range depends on the scale: checked later
    "reason": _optional(TEXT),
})

SCENARIO_CHECK = Record({
    "below": Field(Number(0, 1)),  # 1 would lower every answer, right ones too: checked later
    "lower_by": Field(Int()),  # 1 up to one below the top level: checked later
})

# The keys of each scoring model; a key of the other model is ``key_not_in_model``.
SCORING = Variant(
    key="model",
    common={
        "model": _optional(OneOf(SCORING_MODELS)),
        "combine": _optional(OneOf(COMBINE_METHODS)),
        "min_answered": _optional(Number(0, 1, low_open=True)),
        "caps": _optional(Seq(CAP)),
    },
    variants={
        THRESHOLDS: {"thresholds": Field(Seq(Number(0, 100, low_open=True)))},
        ANCHORED: {"self_rating": _optional(Record({"rounding": _optional(OneOf(ROUNDINGS))})),
                   "scenario_check": _optional(Seq(SCENARIO_CHECK, min_length=1))},
    },
    default=DEFAULT_MODEL,
    order=("model", "combine", "thresholds", "self_rating", "scenario_check", "min_answered",
           "caps"),
    foreign_code="key_not_in_model",
)

DOMAIN_LEVEL = Record({
    "descriptor": Field(TEXT),
    "example": Field(TEXT),
})


def _options(score: Number) -> Field:
    option = Record({"id": ID, "text": Field(TEXT), "score": Field(score)})
    return Field(Seq(option, min_length=2, length_code="too_few_options"))


_WEIGHT = _optional(Number(0, low_open=True))
_REQUIRED = _optional(Bool())

ITEM = Variant(
    key="type",
    # positions: the ids of the positions the item is for (known ids: checked later)
    common={"id": ID, "type": Field(OneOf(ITEM_TYPES)), "text": Field(TEXT),
            "positions": _optional(Seq(Slug(), min_length=1))},
    variants={
        "rating": {"weight": _WEIGHT, "required": _REQUIRED,
                   "not_applicable": _optional(Bool()), "scored": _optional(Bool()),
                   "anchors": Field(Seq(TEXT, 2, 7, length_code="anchors_count"))},
        "choice": {"weight": _WEIGHT, "required": _REQUIRED, "options": _options(Number(0))},
        "multi": {"weight": _WEIGHT, "required": _REQUIRED, "options": _options(Number())},
        "text": {"required": _REQUIRED, "max_length": _optional(Int(1, 10000))},
    },
)

DOMAIN = Record({
    "id": ID,
    "name": Field(TEXT),
    "description": Field(TEXT),
    "levels": Field(Seq(DOMAIN_LEVEL)),  # exactly one per scale level: checked later
    "items": Field(Seq(ITEM, min_length=1)),
})

POSITION = Record({
    "id": ID,
    "name": Field(TEXT),
    "targets": Field(MapOf(Int())),
    "importance": _optional(MapOf(Number(0, low_open=True))),
})

MODULE = Record({
    "id": ID,
    "title": Field(TEXT),
    "domain": ID,
    "from_level": Field(Int()),
    "to_level": Field(Int()),
    "jp": Field(Int(1, 200)),
    "mode": Field(OneOf(MODES)),
    "provider": Field(Str()),
    "curriculum": _optional(Str()),  # the curriculum standard it follows (PP 11/2017 art. 207 (f))
})

# The catalogue's price of each mode (``modes``). Its problems name the mode and the key, in words
# of their own (``mode_*``), since "route", "cost" and "class size" mean little without the mode.
MODE_KEYS = ("route", "cost_per", "cost", "class_size")
MODE_REQUIRED = ("route", "cost_per", "cost")
MAX_MODE_COST = 10 ** 12  # rupiah per participant or class: a bound that keeps unit totals in 64 bits
MAX_CLASS_SIZE = 1000
_WHOLE = re.compile(r"0|[1-9][0-9]{0,15}")


def _whole(node: Node, low: int, high: int) -> Any:
    """A whole number low..high written plainly (``45000000``; not ``45.000.000``, ``"30"``)."""
    if not (is_plain(node) and _WHOLE.fullmatch(node.value)):
        return INVALID
    return int(node.value) if low <= int(node.value) <= high else INVALID


def _mode_value(key: str, node: Node) -> Any:
    if key in ("route", "cost_per"):
        allowed = ROUTES if key == "route" else COST_BASES
        ok = isinstance(node, ScalarNode) and node.value in allowed
        return node.value if ok else INVALID
    return _whole(node, 0, MAX_MODE_COST) if key == "cost" else _whole(node, 1, MAX_CLASS_SIZE)


@dataclass(frozen=True)
class ModeCatalogue(Spec):
    """``mode: {route, cost_per, cost, class_size}`` → {mode: {key: value}}, in file order; a mode
    with a problem is left out (a file with a problem never becomes a model)."""

    kind: str = "mapping"

    def convert(self, node: Node, path: str, ctx: Context) -> Any:
        if is_null(node):
            ctx.report("empty_value", path, node, expected=self.describe())
            return INVALID
        if not isinstance(node, MappingNode):
            return self.wrong_type(node, path, ctx)
        out: dict[str, dict] = {}
        for mode, key_node, value_node in entries(node, path, ctx):
            mode_path = join(path, mode)
            ctx.remember(mode_path, key_node)
            if mode not in MODES:
                ctx.report("unknown_mode", mode_path, key_node, mode=mode, allowed=list(MODES))
            elif Record({}).container(value_node, mode_path, ctx):
                spec = self._mode(mode, mode_path, key_node, value_node, ctx)
                if spec is not None:
                    out[mode] = spec
        return out

    def _mode(self, mode: str, path: str, key_node: Node, node: MappingNode, ctx: Context) -> dict | None:
        spec: dict[str, Any] = {}
        written, ok = set(), True
        for key, k_node, v_node in entries(node, path, ctx):
            written.add(key)
            ctx.remember(join(path, key), k_node)
            if key not in MODE_KEYS:
                ctx.report("mode_unknown_key", join(path, key), k_node, mode=mode, key=key,
                           allowed=list(MODE_KEYS))
                ok = False
                continue
            value = _mode_value(key, v_node)
            if value is INVALID:
                ctx.report(f"mode_{key}", join(path, key), v_node, mode=mode, value=found(v_node),
                           max=MAX_MODE_COST if key == "cost" else MAX_CLASS_SIZE)
                ok = False
            else:
                spec[key] = value
        for key in MODE_REQUIRED:
            if key not in written:
                ctx.report("mode_missing_key", join(path, key), key_node, mode=mode, key=key)
                ok = False
        if spec.get("cost_per") == PER_CLASS and "class_size" not in written:
            ctx.report("mode_class_size_missing", join(path, "class_size"), key_node, mode=mode)
            ok = False
        return spec if ok else None


QUESTIONNAIRE = Record({
    "format": Field(Int()),
    "id": ID,
    "title": Field(TEXT),
    "description": Field(TEXT),
    "scale": Field(Seq(LEVEL, 2, 9, length_code="scale_size")),
    "scoring": Field(SCORING),
    "domains": Field(Seq(DOMAIN, min_length=1)),
    "positions": Field(Seq(POSITION, min_length=1)),
    "modes": _optional(ModeCatalogue()),
    "modules": Field(Seq(MODULE, min_length=1)),
})
