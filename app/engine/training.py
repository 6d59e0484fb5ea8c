"""Levels vs position targets → ranked gaps → a training plan with JP totals.

Entitlement: a plan records the person's employment type and the yearly figure its total is
compared with (``entitlement.py``: at least 20 JP for a PNS, at most 24 JP for a PPPK); its
``entitlement_status`` is ``"below"`` when its total is under that figure, ``"equal"`` when it
is exactly the figure and ``"above"`` when it is over.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, NamedTuple

from . import entitlement
from .entitlement import (ABOVE, BELOW, EMPLOYMENT_TYPES, EQUAL, PNS, PNS_MIN_JP, PPPK, PPPK_MAX_JP,
                          default_entitlement)
from .messages import RESULTS, ROUNDING_WORDS, render
from .model import HALF_DOWN, Questionnaire, UnknownPosition
from .scoring import DomainScore, Scores, exact, needed_answers, round_half_up, score

ENTITLEMENT_JP = PNS_MIN_JP  # the figure of the default type, PNS

__all__ = ["ABOVE", "BELOW", "EMPLOYMENT_TYPES", "ENTITLEMENT_JP", "EQUAL", "Gap", "PNS",
           "PNS_MIN_JP", "PPPK", "PPPK_MAX_JP", "Plan", "PlanEntry", "Result", "Unclosable",
           "UnknownPosition", "assess", "default_entitlement", "gaps", "plan", "result_to_dict",
           "unassessed"]


@dataclass(frozen=True)
class Gap:
    """A domain's distance to the position's target; ``priority`` = gap × importance."""

    domain_id: str
    level: int
    target: int
    gap: int
    importance: float
    priority: float


@dataclass(frozen=True)
class PlanEntry:
    """A module in the plan, with the module's own from/to levels from the catalogue."""

    module_id: str
    domain_id: str
    from_level: int
    to_level: int
    jp: int
    mode: str


class Unclosable(NamedTuple):
    """Part of a gap no module can close: the domain stopped at ``level_reached``."""

    domain_id: str
    level_reached: int
    target: int


@dataclass(frozen=True)
class Plan:
    entries: tuple[PlanEntry, ...]
    unclosable: tuple[Unclosable, ...]
    total_jp: int
    entitlement_jp: int = ENTITLEMENT_JP
    #: "pns" (``entitlement_jp`` is a minimum) or "pppk" (``entitlement_jp`` is a maximum).
    employment_type: str = PNS

    @property
    def entitlement_status(self) -> str:
        return entitlement.status(self.total_jp, self.entitlement_jp)


@dataclass(frozen=True)
class Result:
    scores: Scores
    gaps: tuple[Gap, ...]
    plan: Plan
    position_id: str

    @property
    def unassessed(self) -> tuple[str, ...]:
        return unassessed(self.scores)


def unassessed(scores: Scores) -> tuple[str, ...]:
    """Domains without a level (too few answers): no gap, no plan entry."""
    return tuple(d.domain_id for d in scores.domains if d.level is None)


def gaps(q: Questionnaire, scores: Scores, position_id: str) -> tuple[Gap, ...]:
    """Every assessed domain's gap (0 included), ranked by gap × importance, then domain order."""
    position = q.position(position_id)
    found = []
    for domain in q.domains:
        level = scores.domain(domain.id).level
        if level is None:
            continue
        target = position.target(domain.id)
        gap = max(0, target - level)
        importance = position.importance_of(domain.id)
        found.append((-(gap * exact(importance)), len(found),
                      Gap(domain.id, level, target, gap, importance, gap * importance)))
    return tuple(g for *_, g in sorted(found, key=lambda f: f[:2]))


def _best_module(q: Questionnaire, domain_id: str, level: int, used: set[str]):
    """The module that lifts ``level`` furthest; ties: fewer JP, then catalogue order."""
    fitting = [(i, m) for i, m in enumerate(q.modules)
               if m.domain_id == domain_id and m.from_level <= level < m.to_level
               and m.id not in used]
    if not fitting:
        return None
    return min(fitting, key=lambda im: (-im[1].to_level, im[1].jp, im[0]))[1]


def plan(q: Questionnaire, ranked_gaps: tuple[Gap, ...], *, entitlement_jp: int | None = None,
         employment_type: str = PNS) -> Plan:
    """Close each gap in ranked order with the catalogue's modules, never one twice. The total is
    compared with ``entitlement_jp`` (default: the figure of ``employment_type``)."""
    entitlement_jp = entitlement.figure(employment_type, entitlement_jp)
    entries: list[PlanEntry] = []
    unclosable: list[Unclosable] = []
    used: set[str] = set()
    for gap in ranked_gaps:
        level = gap.level
        while level < gap.target:
            module = _best_module(q, gap.domain_id, level, used)
            if module is None:
                unclosable.append(Unclosable(gap.domain_id, level, gap.target))
                break
            used.add(module.id)
            entries.append(PlanEntry(module.id, module.domain_id, module.from_level,
                                     module.to_level, module.jp, module.mode))
            level = module.to_level
    return Plan(tuple(entries), tuple(unclosable), sum(e.jp for e in entries), entitlement_jp,
                employment_type)


def assess(q: Questionnaire, answers: Mapping[str, Any], position_id: str,
           employment_type: str = PNS, *, entitlement_jp: int | None = None) -> Result:
    """The whole pipeline: scores, ranked gaps and the plan, whose total is compared with the
    entitlement of ``employment_type`` (PNS by default; ``entitlement_jp`` overrides its
    figure). Raises UnknownPosition (and ValueError for an unknown employment type) first."""
    q.position(position_id)
    entitlement_jp = entitlement.figure(employment_type, entitlement_jp)
    scores = score(q, answers, position_id)
    ranked = gaps(q, scores, position_id)
    return Result(scores, ranked, plan(q, ranked, entitlement_jp=entitlement_jp,
                                       employment_type=employment_type), position_id)


# -- JSON-ready view --------------------------------------------------------------------

def _reasons(q: Questionnaire, ds: DomainScore, lang: str) -> list[dict[str, Any]]:
    """Why the domain got its level, in order: under ``anchored`` the self-rated level, the
    scenario check, the caps, then the scenarios that cost most; under ``thresholds`` the caps,
    then the items that pulled the score down most."""
    def sentence(code: str, **params: Any) -> str:
        return getattr(render(RESULTS, code, **params), "en" if lang == "en" else "id")

    if ds.insufficient:
        domain = q.domain(ds.domain_id)
        needed = needed_answers(q, domain, scored=ds.scored_items)
        if q.scoring.anchored and ds.answered >= needed:
            code = "no_self_rating" if ds.self_rating is None else "no_scenario"
            return [{"kind": code, "item_id": None, "text": sentence(code)}]
        return [{"kind": "insufficient", "item_id": None, "text": sentence(
            "insufficient", answered=ds.answered, scored=ds.scored_items, needed=needed)}]
    reasons = []
    if q.scoring.anchored:
        reasons += _anchored_reasons(q, ds, lang, sentence)
    for cap in ds.caps_applied:
        text = sentence("cap", max_level=cap.max_level, item=q.item(cap.item_id).text.get(lang))
        if cap.reason is not None:
            text = f"{text} {cap.reason.get(lang)}"
        reasons.append({"kind": "cap", "item_id": cap.item_id, "text": text})
    for short in ds.pulled_down:
        if q.scoring.anchored:
            reasons.append({"kind": "scenario_shortfall", "item_id": short.item_id,
                            "text": sentence("scenario_shortfall",
                                             item=q.item(short.item_id).text.get(lang),
                                             score=_plain(_percent(short.score), lang))})
        else:
            reasons.append({"kind": "pulled_down", "item_id": short.item_id, "text": sentence(
                "pulled_down", item=q.item(short.item_id).text.get(lang),
                score=_plain(_percent(short.score), lang))})
    return reasons


def _anchored_reasons(q: Questionnaire, ds: DomainScore, lang: str,
                      sentence: Callable[..., str]) -> list[dict[str, Any]]:
    """The self-rated level and what the scenario check did to it."""
    rounding = ROUNDING_WORDS[q.scoring.rounding or HALF_DOWN]
    out = [{"kind": "self_rating", "item_id": None, "text": sentence(
        "self_rated", level=ds.self_rated_level, name=q.level_name(ds.self_rated_level, lang),
        mean=_plain(ds.display_self_rating, lang), rounding=rounding)}]
    score = _plain(_percent(ds.scenario_score), lang)
    tier = ds.scenario_check
    if tier is None:
        mildest = q.scoring.scenario_check[0].below if q.scoring.scenario_check else 0
        text = sentence("scenario_kept", score=score, below=_plain(_percent(mildest), lang))
    elif ds.lowered_by:
        text = sentence("scenario_lowered", score=score, below=_plain(_percent(tier.below), lang),
                        lowered=ds.lowered_by, from_level=ds.self_rated_level,
                        to_level=ds.uncapped_level)
    else:
        text = sentence("scenario_at_floor", score=score, below=_plain(_percent(tier.below), lang))
    out.append({"kind": "scenario_check", "item_id": None, "text": text})
    return out


def _percent(share: float) -> float:
    return round_half_up(100 * share, 1)


def _plain(number: float | None, lang: str = "en") -> str:
    """A rounded number as read in ``lang``: 50.0 → 50, 66.7 → 66.7 ("66,7" in Indonesian, whose
    decimal separator is the comma), 2.5 → 2.5."""
    if number is None:
        return "—"
    text = str(int(number)) if float(number).is_integer() else repr(float(number))
    return text if lang == "en" else text.replace(".", ",")


def _domain_dict(q: Questionnaire, result: Result, ds: DomainScore, lang: str) -> dict[str, Any]:
    domain = q.domain(ds.domain_id)
    position = q.position(result.position_id)
    gap = next((g for g in result.gaps if g.domain_id == ds.domain_id), None)
    rank = next((n for n, g in enumerate(result.gaps, 1) if g.domain_id == ds.domain_id), None)
    return {
        "id": domain.id,
        "name": domain.name.get(lang),
        "score": ds.display_score,
        "score_exact": ds.score,
        "level": ds.level,
        "level_name": q.level_name(ds.level, lang) if ds.level is not None else None,
        "uncapped_level": ds.uncapped_level,
        "self_rating": ds.display_self_rating,
        "self_rating_exact": ds.self_rating,
        "self_rated_level": ds.self_rated_level,
        "self_rated_level_name": (q.level_name(ds.self_rated_level, lang)
                                  if ds.self_rated_level is not None else None),
        "scenario_score": None if ds.scenario_score is None else _percent(ds.scenario_score),
        "scenario_score_exact": ds.scenario_score,
        "scenario_check": (None if ds.scenario_check is None else {
            "below": _percent(ds.scenario_check.below),
            "lower_by": ds.scenario_check.lower_by}),
        "lowered_by": ds.lowered_by,
        "target": position.target(domain.id),
        "target_name": q.level_name(position.target(domain.id), lang),
        "gap": gap.gap if gap else None,
        "importance": position.importance_of(domain.id),
        "priority": gap.priority if gap else None,
        "rank": rank,
        "answered": ds.answered,
        "scored_items": ds.scored_items,
        "insufficient": ds.insufficient,
        "caps": [{"item_id": c.item_id, "max_level": c.max_level,
                  "reason": c.reason.get(lang) if c.reason else None} for c in ds.caps_applied],
        "pulled_down": [{"item_id": s.item_id, "text": q.item(s.item_id).text.get(lang),
                         "score": _percent(s.score)} for s in ds.pulled_down],
        "reasons": _reasons(q, ds, lang),
    }


def _plan_dict(q: Questionnaire, p: Plan, lang: str) -> dict[str, Any]:
    pick = "en" if lang == "en" else "id"
    modules = [{
        "id": e.module_id, "title": q.module(e.module_id).title.get(lang),
        "domain_id": e.domain_id, "domain_name": q.domain(e.domain_id).name.get(lang),
        "from_level": e.from_level, "to_level": e.to_level, "jp": e.jp, "mode": e.mode,
        "provider": q.module(e.module_id).provider,
    } for e in p.entries]
    unclosable = [{
        "domain_id": u.domain_id, "domain_name": q.domain(u.domain_id).name.get(lang),
        "level_reached": u.level_reached, "target": u.target,
        "text": getattr(render(RESULTS, "unclosable", domain=q.domain(u.domain_id).name.get(lang),
                               level=u.level_reached, target=u.target), pick),
    } for u in p.unclosable]
    note = entitlement.note(p.employment_type, p.total_jp, p.entitlement_jp)
    return {"modules": modules, "unclosable": unclosable, "total_jp": p.total_jp,
            "entitlement_jp": p.entitlement_jp, "entitlement_status": p.entitlement_status,
            "employment_type": p.employment_type, "entitlement_note": getattr(note, pick)}


def result_to_dict(q: Questionnaire, result: Result, lang: str = "id") -> dict[str, Any]:
    """A JSON-ready view of a result in one language (domains in questionnaire order)."""
    position = q.position(result.position_id)
    return {
        "questionnaire": {"id": q.id, "title": q.title.get(lang)},
        "position": {"id": position.id, "name": position.name.get(lang)},
        "lang": "en" if lang == "en" else "id",
        "scoring_model": q.scoring.model,
        "domains": [_domain_dict(q, result, ds, lang) for ds in result.scores.domains],
        "gaps": [{"domain_id": g.domain_id, "level": g.level, "target": g.target, "gap": g.gap,
                  "importance": g.importance, "priority": g.priority} for g in result.gaps],
        "unassessed": list(result.unassessed),
        "plan": _plan_dict(q, result.plan, lang),
    }
