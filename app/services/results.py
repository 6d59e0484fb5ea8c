"""Storing a scored assessment: answers, domain result rows and plan rows, written in bulk."""

from __future__ import annotations

from typing import Any, Mapping

from flask import current_app, has_app_context
from sqlalchemy import insert

from ..engine import questionnaire as engine
from ..engine.entitlement import PNS, PPPK, default_entitlement
from ..engine.schedule import year_numbers
from ..engine.training import Result, assess
from ..extensions import db
from ..models import Answer, DomainResult, PlanEntry, utcnow


def answer_rows(assessment_id: int, answers: Mapping[str, Any]) -> list[dict]:
    now = utcnow()
    return [{"assessment_id": assessment_id, "item_id": item_id, "value": value, "updated_at": now}
            for item_id, value in answers.items() if value is not None]


def result_rows(model: engine.Questionnaire, assessment_id: int, unit_id: int,
                result: Result) -> tuple[list[dict], list[dict]]:
    """Rows for `domain_results` (every domain; level, score and gap are null where the domain
    had too few answers) and `plan_entries`; ``unit_id`` is the assessment's unit."""
    gaps = {gap.domain_id: gap.gap for gap in result.gaps}
    position = model.position(result.position_id)
    domain_rows = [{
        "assessment_id": assessment_id, "domain_id": domain.domain_id, "unit_id": unit_id,
        "position_id": result.position_id,
        "score": None if domain.score is None else round(domain.score, 2), "level": domain.level,
        "target": position.target(domain.domain_id), "gap": gaps.get(domain.domain_id),
    } for domain in result.scores.domains]
    years = year_numbers([(entry.domain_id, entry.jp) for entry in result.plan.entries], result.plan.entitlement_jp)
    plan_rows = [{"assessment_id": assessment_id, "unit_id": unit_id, "module_id": entry.module_id,
                  "domain_id": entry.domain_id, "jp": entry.jp, "rank": index, "year": year}
                 for index, (entry, year) in enumerate(zip(result.plan.entries, years))]
    return domain_rows, plan_rows


#: The setting that holds each employment type's yearly figure.
ENTITLEMENT_SETTINGS = {PNS: "PNS_MIN_JP", PPPK: "PPPK_MAX_JP"}


def entitlement_jp(employment_type: str) -> int:
    """The yearly JP a plan of this employment type is compared with: PNS_MIN_JP (at least) or
    PPPK_MAX_JP (at most) of the configuration, the engine's figures outside an app."""
    default = default_entitlement(employment_type)  # ValueError for an unknown type
    if not has_app_context():
        return default
    return int(current_app.config.get(ENTITLEMENT_SETTINGS[employment_type], default))


def score_assessment(model: engine.Questionnaire, answers: Mapping[str, Any], position_id: str,
                     employment_type: str = PNS) -> Result:
    """The result stored at submit: the plan is compared with the figure of the person's
    employment type (PNS when not given)."""
    return assess(model, answers, position_id, employment_type,
                  entitlement_jp=entitlement_jp(employment_type))


def write_result_rows(domain_rows: list[dict], plan_rows: list[dict]) -> None:
    if domain_rows:
        db.session.execute(insert(DomainResult), domain_rows)
    if plan_rows:
        db.session.execute(insert(PlanEntry), plan_rows)


def write_answers(rows: list[dict]) -> None:
    if rows:
        db.session.execute(insert(Answer), rows)
