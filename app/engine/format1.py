"""The shape of a format-1 questionnaire file, as a declarative schema (the format is documented
for trainers in questionnaires/README.md).

Only the shape lives here: keys, types, per-value ranges and list lengths. Rules that relate
one part of the file to another (ids, references, the scale size, closable gaps) are in
``checks.py``.
"""
from __future__ import annotations

from .model import (ANCHORED, COMBINE_METHODS, DEFAULT_MODEL, ITEM_TYPES, MODES, ROUNDINGS,
                    SCORING_MODELS, THRESHOLDS)
from .schema import (Bilingual, Bool, Field, Int, MapOf, Number, OneOf, Record, Seq, Slug, Str,
                     Variant)

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
})

QUESTIONNAIRE = Record({
    "format": Field(Int()),
    "id": ID,
    "title": Field(TEXT),
    "description": Field(TEXT),
    "scale": Field(Seq(LEVEL, 2, 9, length_code="scale_size")),
    "scoring": Field(SCORING),
    "domains": Field(Seq(DOMAIN, min_length=1)),
    "positions": Field(Seq(POSITION, min_length=1)),
    "modules": Field(Seq(MODULE, min_length=1)),
})
