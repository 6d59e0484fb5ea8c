"""Plain document (dicts and lists, the shape of the YAML) ↔ Questionnaire, and YAML output.

``from_document`` trusts its input: it is only called on a document that validated without a
problem. ``to_document`` writes every optional value explicitly (defaults included), so a
dumped file says exactly what the engine will use; the item keys ``positions``,
``not_applicable`` and ``scored``, the ``modes`` catalogue and a module's ``curriculum`` only
when they differ from the default (everyone, not offered, scored; no prices; not stated), so
that a file written before they existed dumps exactly as it did.
"""
from __future__ import annotations

from typing import Any

import yaml

from .budget import ModeSpec
from .model import (ANCHORED, DEFAULT_CAP_BELOW, DEFAULT_CHECK_BELOW, DEFAULT_CHECK_LOWER_BY,
                    DEFAULT_MAX_LENGTH, DEFAULT_MIN_ANSWERED, DEFAULT_MODEL, DEFAULT_ROUNDING,
                    DEFAULT_WEIGHT, Cap, Domain, DomainLevel, FrozenMap, Item, Level, Module,
                    Option, Position, Questionnaire, ScenarioCheck, Scoring, Text)


# -- document → model -------------------------------------------------------------------

def _text(doc: dict) -> Text:
    return Text(doc["id"], doc["en"])


def _item(doc: dict, domain_id: str) -> Item:
    kind = doc["type"]
    unscored = kind == "text" or doc.get("scored") is False
    not_applicable = doc.get("not_applicable", False)
    return Item(
        id=doc["id"],
        domain_id=domain_id,
        type=kind,
        text=_text(doc["text"]),
        weight=doc.get("weight", DEFAULT_WEIGHT) if not unscored else 0,
        # Required by default only when an answer is expected of everyone it is shown to: not a
        # comment, an "about your unit" rating, or a rating that may not arise in one's work.
        required=doc.get("required", not (unscored or not_applicable)),
        anchors=tuple(_text(a) for a in doc.get("anchors", ())),
        options=tuple(Option(o["id"], _text(o["text"]), o["score"]) for o in doc.get("options", ())),
        max_length=doc.get("max_length", DEFAULT_MAX_LENGTH),
        positions=tuple(doc.get("positions", ())),
        not_applicable=not_applicable,
        unscored=kind == "rating" and doc.get("scored") is False,
    )


def _domain(doc: dict) -> Domain:
    return Domain(
        id=doc["id"],
        name=_text(doc["name"]),
        description=_text(doc["description"]),
        levels=tuple(DomainLevel(_text(lv["descriptor"]), _text(lv["example"]))
                     for lv in doc["levels"]),
        items=tuple(_item(i, doc["id"]) for i in doc["items"]),
    )


def _scoring(doc: dict) -> Scoring:
    caps = tuple(
        Cap(item_id=c["item"], below=c.get("below", DEFAULT_CAP_BELOW), max_level=c["max_level"],
            reason=_text(c["reason"]) if "reason" in c else None)
        for c in doc.get("caps", ())
    )
    common = {"combine": doc.get("combine", "weighted_mean"),
              "min_answered": doc.get("min_answered", DEFAULT_MIN_ANSWERED), "caps": caps}
    if doc.get("model", DEFAULT_MODEL) != ANCHORED:
        return Scoring(model=DEFAULT_MODEL, thresholds=tuple(doc["thresholds"]), **common)
    tiers = doc.get("scenario_check", [{"below": DEFAULT_CHECK_BELOW,
                                        "lower_by": DEFAULT_CHECK_LOWER_BY}])
    return Scoring(model=ANCHORED,
                   rounding=doc.get("self_rating", {}).get("rounding", DEFAULT_ROUNDING),
                   scenario_check=tuple(ScenarioCheck(t["below"], t["lower_by"]) for t in tiers),
                   **common)


def _position(doc: dict, domain_ids: list[str]) -> Position:
    # targets in domain order, whatever order the file used
    targets = FrozenMap((d, doc["targets"][d]) for d in domain_ids)
    importance = FrozenMap((d, doc["importance"][d]) for d in domain_ids
                           if d in doc.get("importance", {}))
    return Position(doc["id"], _text(doc["name"]), targets, importance)


def _module(doc: dict) -> Module:
    return Module(doc["id"], _text(doc["title"]), doc["domain"], doc["from_level"],
                  doc["to_level"], doc["jp"], doc["mode"], doc["provider"], doc.get("curriculum", ""))


def _modes(doc: dict) -> tuple[ModeSpec, ...]:
    return tuple(ModeSpec(mode, m["route"], m["cost_per"], m["cost"], m.get("class_size"))
                 for mode, m in doc.items())


def from_document(doc: dict) -> Questionnaire:
    domains = tuple(_domain(d) for d in doc["domains"])
    domain_ids = [d.id for d in domains]
    return Questionnaire(
        format=doc["format"],
        id=doc["id"],
        title=_text(doc["title"]),
        description=_text(doc["description"]),
        scale=tuple(Level(lv["level"], _text(lv["name"]), _text(lv["descriptor"]))
                    for lv in doc["scale"]),
        scoring=_scoring(doc["scoring"]),
        domains=domains,
        positions=tuple(_position(p, domain_ids) for p in doc["positions"]),
        modules=tuple(_module(m) for m in doc["modules"]),
        modes=_modes(doc.get("modes", {})),
    )


# -- model → document -------------------------------------------------------------------

def _t(text: Text) -> dict[str, str]:
    return {"id": text.id, "en": text.en}


def _item_doc(item: Item) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": item.id, "type": item.type, "text": _t(item.text)}
    if item.positions:
        doc["positions"] = list(item.positions)
    if item.scored:
        doc["weight"] = item.weight
    doc["required"] = item.required
    if item.type == "rating":
        # Written only when used, so files from before these keys dump as they always did.
        if item.not_applicable:
            doc["not_applicable"] = True
        if item.unscored:
            doc["scored"] = False
        doc["anchors"] = [_t(a) for a in item.anchors]
    elif item.type in ("choice", "multi"):
        doc["options"] = [{"id": o.id, "text": _t(o.text), "score": o.score} for o in item.options]
    else:
        doc["max_length"] = item.max_length
    return doc


def _cap_doc(cap: Cap) -> dict[str, Any]:
    doc: dict[str, Any] = {"item": cap.item_id, "below": cap.below, "max_level": cap.max_level}
    if cap.reason is not None:
        doc["reason"] = _t(cap.reason)
    return doc


def _position_doc(position: Position) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": position.id, "name": _t(position.name),
                           "targets": dict(position.targets)}
    if position.importance:
        doc["importance"] = dict(position.importance)
    return doc


def _module_doc(m: Module) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": m.id, "title": _t(m.title), "domain": m.domain_id, "from_level": m.from_level,
                           "to_level": m.to_level, "jp": m.jp, "mode": m.mode, "provider": m.provider}
    if m.curriculum:
        doc["curriculum"] = m.curriculum
    return doc


def _mode_doc(spec: ModeSpec) -> dict[str, Any]:
    doc: dict[str, Any] = {"route": spec.route, "cost_per": spec.cost_per, "cost": spec.amount}
    if spec.class_size is not None:
        doc["class_size"] = spec.class_size
    return doc


def to_document(q: Questionnaire) -> dict[str, Any]:
    """The questionnaire as plain dicts/lists/str/int/float, in the shape of the YAML file."""
    scoring: dict[str, Any] = {"model": q.scoring.model, "combine": q.scoring.combine}
    if q.scoring.anchored:
        scoring["self_rating"] = {"rounding": q.scoring.rounding}
        scoring["scenario_check"] = [{"below": t.below, "lower_by": t.lower_by}
                                     for t in q.scoring.scenario_check]
    else:
        scoring["thresholds"] = list(q.scoring.thresholds)
    scoring["min_answered"] = q.scoring.min_answered
    if q.scoring.caps:
        scoring["caps"] = [_cap_doc(c) for c in q.scoring.caps]
    doc: dict[str, Any] = {
        "format": q.format,
        "id": q.id,
        "title": _t(q.title),
        "description": _t(q.description),
        "scale": [{"level": lv.level, "name": _t(lv.name), "descriptor": _t(lv.descriptor)}
                  for lv in q.scale],
        "scoring": scoring,
        "domains": [{"id": d.id, "name": _t(d.name), "description": _t(d.description),
                     "levels": [{"descriptor": _t(lv.descriptor), "example": _t(lv.example)}
                                for lv in d.levels],
                     "items": [_item_doc(i) for i in d.items]}
                    for d in q.domains],
        "positions": [_position_doc(p) for p in q.positions],
    }
    if q.modes:
        doc["modes"] = {spec.mode: _mode_doc(spec) for spec in q.modes}
    doc["modules"] = [_module_doc(m) for m in q.modules]
    return doc


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # never write anchors: load() refuses them
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)  # indent lists under their key


def dump_document(doc: dict[str, Any]) -> str:
    """YAML text of a plain document (e.g. one edited in the trainer's editor), without anchors."""
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)


def dump(q: Questionnaire) -> str:
    """YAML text that ``load`` reads back to an equal Questionnaire."""
    return dump_document(to_document(q))
