"""Hypothesis strategies: valid questionnaire documents and answers to them."""
from __future__ import annotations

import yaml
from hypothesis import strategies as st

from app.engine.model import MODES, Item, Questionnaire
from app.engine.questionnaire import load
from app.engine.scoring import normalised

WEIGHTS = [0.1, 0.5, 1, 1.5, 2, 3]


def _text(label: str) -> dict:
    return {"id": f"{label} (id)", "en": f"{label} (en)"}


def _options(draw, scores) -> list[dict]:
    values = draw(st.lists(st.sampled_from(scores), min_size=2, max_size=5)
                  .filter(lambda s: max(s) > 0))
    return [{"id": f"o{k}", "text": _text(f"option {k}"), "score": v} for k, v in enumerate(values)]


def _item(draw, item_id: str) -> dict:
    kind = draw(st.sampled_from(["rating", "choice", "multi", "text"]))
    item = {"id": item_id, "type": kind, "text": _text(item_id)}
    if kind != "text":
        item["weight"] = draw(st.sampled_from(WEIGHTS))
    if kind == "rating":
        item["anchors"] = [_text(f"anchor {k}") for k in range(draw(st.integers(2, 7)))]
    elif kind == "choice":
        item["options"] = _options(draw, [0, 0.5, 1, 2, 3])
    elif kind == "multi":
        item["options"] = _options(draw, [-1, -0.5, 0, 0.5, 1, 2])
    return item


def _modules(draw, domain_id: str, top: int) -> list[dict]:
    """A chain of modules covering every level of the domain, plus a few random extras."""
    cuts = sorted(draw(st.sets(st.integers(2, top - 1), max_size=top - 2))) if top > 2 else []
    bounds = [1, *cuts, top]
    spans = list(zip(bounds, bounds[1:]))
    extra = draw(st.lists(st.tuples(st.integers(1, top - 1), st.integers(1, top - 1)), max_size=2))
    spans += [(f, min(top, f + d)) for f, d in extra]
    return [{"id": f"m-{domain_id}-{k}", "title": _text(f"module {k}"), "domain": domain_id,
             "from_level": f, "to_level": t, "jp": draw(st.integers(1, 40)),
             "mode": draw(st.sampled_from(MODES)), "provider": "BPSDM"}
            for k, (f, t) in enumerate(spans)]


@st.composite
def documents(draw) -> dict:
    top = draw(st.integers(2, 6))
    thresholds = sorted(draw(st.sets(st.integers(1, 100), min_size=top - 1, max_size=top - 1)))
    domains = []
    for d in range(draw(st.integers(1, 3))):
        items = [_item(draw, f"d{d}-i{j}") for j in range(draw(st.integers(1, 5)))]
        if all(i["type"] == "text" for i in items):
            items.append({**_item(draw, f"d{d}-r"), "type": "rating", "weight": 1,
                          "anchors": [_text("low"), _text("high")]})
            items[-1].pop("options", None)
        domains.append({"id": f"d{d}", "name": _text(f"domain {d}"),
                        "description": _text("about"),
                        "levels": [{"descriptor": _text(f"l{k}"), "example": _text(f"e{k}")}
                                   for k in range(top)],
                        "items": items})
    cappable = [i["id"] for d in domains for i in d["items"] if i["type"] in ("choice", "multi")]
    caps = [{"item": item_id, "below": draw(st.sampled_from([0.25, 0.5, 1])),
             "max_level": draw(st.integers(1, top))}
            for item_id in draw(st.lists(st.sampled_from(cappable), max_size=2, unique=True))
            ] if cappable else []
    positions = [{"id": f"p{k}", "name": _text(f"position {k}"),
                  "targets": {d["id"]: draw(st.integers(1, top)) for d in domains},
                  "importance": {d["id"]: draw(st.sampled_from([0.5, 1, 2, 3])) for d in domains}}
                 for k in range(draw(st.integers(1, 2)))]
    return {
        "format": 1, "id": "generated", "title": _text("title"), "description": _text("desc"),
        "scale": [{"level": k + 1, "name": _text(f"level {k + 1}"), "descriptor": _text("d")}
                  for k in range(top)],
        "scoring": {"thresholds": thresholds,
                    "min_answered": draw(st.sampled_from([0.25, 0.5, 0.6, 1])), "caps": caps},
        "domains": domains,
        "positions": positions,
        "modules": [m for d in domains for m in _modules(draw, d["id"], top)],
    }


def _load(doc: dict) -> Questionnaire:
    """Through YAML text and the full validation (the C dumper: fast; the docs have no sharing)."""
    return load(yaml.dump(doc, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper)))


questionnaires = documents().map(_load)


def values(item: Item) -> st.SearchStrategy:
    """Any valid answer to ``item`` (not None)."""
    if item.type == "rating":
        return st.integers(1, item.points)
    if item.type == "choice":
        return st.sampled_from([o.id for o in item.options])
    if item.type == "multi":
        return st.lists(st.sampled_from([o.id for o in item.options]), unique=True)
    return st.text(max_size=20)


def answers(q: Questionnaire) -> st.SearchStrategy:
    """A mapping of some items to valid answers."""
    return st.fixed_dictionaries({}, optional={i.id: values(i) for i in q.items})


def better_or_equal(item: Item, value) -> list:
    """Every answer to ``item`` whose score is at least that of ``value``."""
    candidates = {"rating": lambda: list(range(1, item.points + 1)),
                  "choice": lambda: [o.id for o in item.options],
                  "multi": lambda: [[o.id for o in item.options if o.score > 0]]}[item.type]()
    return [c for c in candidates if normalised(item, c) >= normalised(item, value)]
