"""Hypothesis strategies for questionnaires under the anchored scoring model, and the answer
patterns its invariants speak of (every anchor at k, every scenario right or wrong)."""
from __future__ import annotations

from hypothesis import strategies as st

from app.engine.model import Item, Questionnaire

from .strategies import WEIGHTS, _load, _modules, _options, _text, values

CHECK_BARS = [0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9]  # a tier's below: at least 0, less than 1
CAP_BARS = [0.25, 0.5, 0.75, 0.9]  # a cap's below: above 0, less than 1


def _rating(draw, item_id: str, top: int) -> dict:
    return {"id": item_id, "type": "rating", "text": _text(item_id),
            "weight": draw(st.sampled_from(WEIGHTS)),
            "anchors": [_text(f"level {k + 1} behaviour") for k in range(top)]}


def _scenario(draw, item_id: str) -> dict:
    kind = draw(st.sampled_from(["choice", "multi"]))
    item = {"id": item_id, "type": kind, "text": _text(item_id),
            "weight": draw(st.sampled_from(WEIGHTS))}
    if kind == "choice":  # always with a wrong option (score 0), so "every scenario wrong" exists
        options = _options(draw, [0, 0.5, 1, 2, 3])
        if all(o["score"] > 0 for o in options):  # all positive: one more stays positive
            options[draw(st.integers(0, len(options) - 1))]["score"] = 0
        item["options"] = options
    else:
        item["options"] = _options(draw, [-1, -0.5, 0, 0.5, 1, 2])
    return item


def _item(draw, item_id: str, top: int) -> dict:
    kind = draw(st.sampled_from(["rating", "scenario", "scenario", "text"]))
    if kind == "rating":
        return _rating(draw, item_id, top)
    if kind == "scenario":
        return _scenario(draw, item_id)
    return {"id": item_id, "type": "text", "text": _text(item_id)}


def _tiers(draw, top: int) -> list[dict]:
    count = draw(st.integers(1, min(3, top - 1)))
    bars = sorted(draw(st.sets(st.sampled_from(CHECK_BARS), min_size=count, max_size=count)),
                  reverse=True)
    lowers = sorted(draw(st.sets(st.integers(1, top - 1), min_size=count, max_size=count)))
    return [{"below": b, "lower_by": n} for b, n in zip(bars, lowers)]


@st.composite
def anchored_documents(draw) -> dict:
    top = draw(st.integers(2, 6))
    domains = []
    for d in range(draw(st.integers(1, 3))):
        items = [_item(draw, f"d{d}-i{j}", top) for j in range(draw(st.integers(0, 5)))]
        if not any(i["type"] == "rating" for i in items):
            items.insert(draw(st.integers(0, len(items))), _rating(draw, f"d{d}-r", top))
        if not any(i["type"] in ("choice", "multi") for i in items):
            items.insert(draw(st.integers(0, len(items))), _scenario(draw, f"d{d}-s"))
        domains.append({"id": f"d{d}", "name": _text(f"domain {d}"),
                        "description": _text("about"),
                        "levels": [{"descriptor": _text(f"l{k}"), "example": _text(f"e{k}")}
                                   for k in range(top)],
                        "items": items})
    cappable = [i["id"] for d in domains for i in d["items"] if i["type"] in ("choice", "multi")]
    caps = [{"item": item_id, "below": draw(st.sampled_from(CAP_BARS)),
             "max_level": draw(st.integers(1, top))}
            for item_id in draw(st.lists(st.sampled_from(cappable), max_size=2, unique=True))]
    scoring = {"model": "anchored", "min_answered": draw(st.sampled_from([0.25, 0.5, 0.6, 1])),
               "caps": caps}
    rounding = draw(st.sampled_from([None, "half_down", "down"]))
    if rounding is not None:
        scoring["self_rating"] = {"rounding": rounding}
    if draw(st.booleans()):  # else the default tier {below: 0.5, lower_by: 1}
        scoring["scenario_check"] = _tiers(draw, top)
    positions = [{"id": f"p{k}", "name": _text(f"position {k}"),
                  "targets": {d["id"]: draw(st.integers(1, top)) for d in domains},
                  "importance": {d["id"]: draw(st.sampled_from([0.5, 1, 2, 3])) for d in domains}}
                 for k in range(draw(st.integers(1, 2)))]
    return {
        "format": 1, "id": "generated-anchored", "title": _text("title"),
        "description": _text("desc"),
        "scale": [{"level": k + 1, "name": _text(f"level {k + 1}"), "descriptor": _text("d")}
                  for k in range(top)],
        "scoring": scoring,
        "domains": domains,
        "positions": positions,
        "modules": [m for d in domains for m in _modules(draw, d["id"], top)],
    }


anchored_questionnaires = anchored_documents().map(_load)


# -- answer patterns --------------------------------------------------------------------

def right(item: Item):
    """The answer that scores 1: the best option, or every positive option."""
    if item.type == "choice":
        return max(item.options, key=lambda o: o.score).id
    return [o.id for o in item.options if o.score > 0]


def wrong(item: Item):
    """An answer that scores 0: an option scored 0 (the generated and shipped choice items have
    one), or no option of a multi item."""
    if item.type == "choice":
        return next(o.id for o in item.options if o.score == 0)
    return []


def pattern(q: Questionnaire, anchor: int, scenarios) -> dict:
    """Every rating item at ``anchor``, every scenario answered by ``scenarios(item)``."""
    answers = {}
    for item in q.items:
        if item.type == "rating":
            answers[item.id] = anchor
        elif item.type in ("choice", "multi"):
            answers[item.id] = scenarios(item)
    return answers


def scenario_answers(q: Questionnaire) -> st.SearchStrategy:
    """Any answer to every scenario item (ratings left to the caller)."""
    return st.fixed_dictionaries({i.id: values(i) for i in q.items
                                  if i.type in ("choice", "multi")})


def full_answers(q: Questionnaire) -> st.SearchStrategy:
    """Any answer to every scored item (so every domain has enough answers)."""
    return st.fixed_dictionaries({i.id: values(i) for i in q.items if i.scored})
