"""Everything Swanilai holds about one person, for their right of access (UU 27/2022)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Answer, Assessment, DomainResult, PlanEntry, User
from .questionnaires import parsed
from .reports import answer_text


def _iso(value) -> str | None:
    return value.isoformat() + "Z" if value else None


def export_person(user: User, lang: str = "id") -> dict[str, Any]:
    """``answers`` are stored values (option ids, anchor numbers); ``answer_texts`` name each
    answer as the person saw it, in ``lang`` (options are shown in an order of their own to each
    assessment, so an id says little to the person)."""
    assessments = list(db.session.scalars(select(Assessment).where(Assessment.user_id == user.id)
                                          .order_by(Assessment.id)))
    ids = [a.id for a in assessments]
    answers = _grouped(select(Answer.assessment_id, Answer.item_id, Answer.value, Answer.updated_at)
                       .where(Answer.assessment_id.in_(ids)), ids)
    results = _grouped(select(DomainResult.assessment_id, DomainResult.domain_id, DomainResult.score,
                              DomainResult.level, DomainResult.target, DomainResult.gap)
                       .where(DomainResult.assessment_id.in_(ids)), ids)
    plans = _grouped(select(PlanEntry.assessment_id, PlanEntry.module_id, PlanEntry.domain_id, PlanEntry.jp)
                     .where(PlanEntry.assessment_id.in_(ids)), ids)
    return {
        "profile": {"nip": user.nip, "name": user.name, "email": user.email, "unit": user.unit.name,
                    "unit_code": user.unit.code, "position": user.position_id,
                    "employment_type": user.employment_type, "roles": sorted(user.roles),
                    "language": user.language, "created_at": _iso(user.created_at),
                    "last_login_at": _iso(user.last_login_at)},
        "assessments": [{
            "id": a.id, "questionnaire": a.version.questionnaire.slug, "version": a.version.number,
            "unit": a.unit.name, "position": a.position_id, "employment_type": a.employment_type,
            "round": a.round.name if a.round else None, "target_position": a.target_position_id,
            "status": a.status,
            "consent_at": _iso(a.consent_at), "started_at": _iso(a.started_at), "updated_at": _iso(a.updated_at),
            "submitted_at": _iso(a.submitted_at), "total_jp": a.total_jp,
            "answers": {row["item_id"]: row["value"] for row in answers[a.id]},
            "answer_texts": _answer_texts(a, answers[a.id], lang),
            "domain_results": [{k: row[k] for k in ("domain_id", "score", "level", "target", "gap")}
                               for row in results[a.id]],
            "training_plan": [{k: row[k] for k in ("module_id", "domain_id", "jp")} for row in plans[a.id]],
        } for a in assessments],
    }


def _answer_texts(assessment: Assessment, rows: list[dict], lang: str) -> dict[str, str]:
    model = parsed(assessment.version)
    known = {item.id: item for item in model.items}
    return {row["item_id"]: answer_text(known[row["item_id"]], row["value"], lang)
            for row in rows if row["item_id"] in known}


def _grouped(query, ids: list[int]) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = {i: [] for i in ids}
    if ids:
        for row in db.session.execute(query).mappings():
            grouped[row["assessment_id"]].append(dict(row))
    return grouped
