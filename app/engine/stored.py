"""A result as compact, language-neutral plain data for storage, and back.

Stored with each submitted assessment so its page and reports always show what was computed at
submit (texts come from the assessment's own questionnaire version), at a fraction of the size
of the rendered result.

Format 2 (from the anchored scoring model on) adds five values to each domain row: the
self-rating mean, the self-rated level, the scenario score, the scenario-check tier that applied
(``[below, lower_by]`` or null) and the levels it took off. Format 1 rows (results stored before)
lack them and read back with None / 0, as the thresholds model they were computed with has none.

The plan holds ``employment_type`` ("pns" or "pppk"), the type its ``entitlement_jp`` was chosen
for; a plan stored without one (before employment types were recorded) reads back as PNS, which
is what it was compared with."""

from __future__ import annotations

from typing import Any

from .entitlement import EMPLOYMENT_TYPES, PNS
from .model import Questionnaire, ScenarioCheck
from .scoring import AppliedCap, DomainScore, Scores, Shortfall
from .training import Gap, Plan, PlanEntry, Result, Unclosable

FORMAT = 2
READABLE_FORMATS = (1, 2)


def result_to_plain(result: Result) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "position": result.position_id,
        "domains": [[d.domain_id, d.score, d.level, d.answered, d.scored_items, d.insufficient, d.uncapped_level,
                     [[c.item_id, c.max_level] for c in d.caps_applied],
                     [[s.item_id, s.score] for s in d.pulled_down],
                     d.self_rating, d.self_rated_level, d.scenario_score,
                     None if d.scenario_check is None else [d.scenario_check.below, d.scenario_check.lower_by],
                     d.lowered_by] for d in result.scores.domains],
        "gaps": [[g.domain_id, g.level, g.target, g.gap, g.importance, g.priority] for g in result.gaps],
        "plan": {"entries": [[e.module_id, e.domain_id, e.from_level, e.to_level, e.jp, e.mode]
                             for e in result.plan.entries],
                 "unclosable": [list(u) for u in result.plan.unclosable],
                 "total_jp": result.plan.total_jp, "entitlement_jp": result.plan.entitlement_jp,
                 "employment_type": result.plan.employment_type},
    }


def _cap(q: Questionnaire, item_id: str, max_level: int) -> AppliedCap:
    reason = next((cap.reason for cap in q.scoring.caps if cap.item_id == item_id and cap.max_level == max_level), None)
    return AppliedCap(item_id, max_level, reason)


def _domain(q: Questionnaire, row: list) -> DomainScore:
    domain_id, score, level, answered, scored, insufficient, uncapped, caps, pulled = row[:9]
    self_rating, self_level, scenario, tier, lowered = row[9:14] if len(row) >= 14 else (None, None, None, None, 0)
    return DomainScore(domain_id, score, level, answered, scored, insufficient,
                       tuple(_cap(q, item_id, max_level) for item_id, max_level in caps),
                       tuple(Shortfall(item_id, s) for item_id, s in pulled), uncapped,
                       self_rating=self_rating, self_rated_level=self_level, scenario_score=scenario,
                       scenario_check=None if tier is None else ScenarioCheck(*tier), lowered_by=lowered)


def result_from_plain(q: Questionnaire, data: dict[str, Any]) -> Result:
    """The Result stored by `result_to_plain`, read with the questionnaire version it was made on."""
    if data.get("format") not in READABLE_FORMATS:
        raise ValueError(f"unknown stored result format {data.get('format')!r}")
    domains = tuple(_domain(q, row) for row in data["domains"])
    plan = data["plan"]
    employment_type = plan.get("employment_type") or PNS
    if employment_type not in EMPLOYMENT_TYPES:
        raise ValueError(f"unknown employment type {employment_type!r} in a stored plan")
    return Result(
        scores=Scores(domains),
        gaps=tuple(Gap(*g) for g in data["gaps"]),
        plan=Plan(tuple(PlanEntry(*e) for e in plan["entries"]), tuple(Unclosable(*u) for u in plan["unclosable"]),
                  plan["total_jp"], plan["entitlement_jp"], employment_type),
        position_id=data["position"],
    )
