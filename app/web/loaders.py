"""One loader per resource, each with its access rule (as Flask's tutorial does): the object,
or 404 when it does not exist or the signed-in person may not know that it does. Views load
through these and never query by id themselves."""

from __future__ import annotations

from typing import TypeVar

from flask import abort
from flask_login import current_user

from ..extensions import db
from ..models import Assessment, CorrectionRequest, QuestionnaireVersion, Round, Unit, User
from ..services import rounds as round_rules
from ..services.assessments import versions_to_start
from ..services.permissions import hr_sees_assessment, in_scope, owns

T = TypeVar("T")


def found(thing: T | None) -> T:
    if thing is None:
        abort(404)
    return thing


def own_assessment(assessment_id: int) -> Assessment:
    """The signed-in respondent's own assessment."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not owns(current_user.id, assessment.user_id):
        abort(404)
    return assessment


def assessment_for_hr(assessment_id: int) -> Assessment:
    """A submitted assessment the signed-in HR officer sees (made in, or of a person now in, their scope)."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not assessment.is_submitted or not hr_sees_assessment(
            current_user.unit, assessment.unit, assessment.user.unit if assessment.user else None):
        abort(404)
    return assessment


def correction_for_hr(correction_id: int) -> CorrectionRequest:
    correction = db.session.get(CorrectionRequest, correction_id)
    if correction is None or not in_scope(current_user.unit, correction.user.unit):
        abort(404)
    return correction


def version(version_id: int) -> QuestionnaireVersion:
    return found(db.session.get(QuestionnaireVersion, version_id))


def draft(version_id: int) -> QuestionnaireVersion:
    """Drafts only: a crafted request against a published version gets 404, never a change."""
    loaded = version(version_id)
    if not loaded.is_draft:
        abort(404)
    return loaded


def open_version(version_id: int) -> QuestionnaireVersion:
    """A version the signed-in person may start on: their open round's, else the newest published."""
    loaded = version(version_id)
    if loaded not in versions_to_start(current_user):
        abort(404)
    return loaded


def own_round(round_id: int) -> Round:
    """A round that covers the signed-in respondent's unit."""
    round_ = db.session.get(Round, round_id)
    if round_ is None or not round_rules.covers(round_, current_user.unit):
        abort(404)
    return round_


def person(user_id: int) -> User:
    """Anyone, for admins (the people pages load through their own scope rule)."""
    return found(db.session.get(User, user_id))


def unit(unit_id: int) -> Unit:
    return found(db.session.get(Unit, unit_id))
