"""Personal-data rights (UU No. 27 Tahun 2022): correction requests, erasure, retention.

Erasure and retention keep the unit figures true: a person's assessments stay, without the
person, as anonymous rows (domain results and plan entries), and their free-text answers — which
may hold personal details — are deleted."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from ..extensions import db
from ..models import Answer, Assessment, AuditEvent, CorrectionRequest, Invitation, PendingAnswers, Unit, User, utcnow
from . import audit
from .errors import ServiceError
from .questionnaires import parsed
from .sessions import end_all_sessions

MAX_REQUEST_LENGTH = 2000


def request_correction(user: User, message: str, *, ip: str | None = None) -> CorrectionRequest:
    message = (message or "").strip()
    if not message or len(message) > MAX_REQUEST_LENGTH:
        raise ServiceError(_l("Describe what should be corrected in 1 to %(n)d characters.", n=MAX_REQUEST_LENGTH),
                           field="message")
    correction = CorrectionRequest(user_id=user.id, message=message)
    db.session.add(correction)
    db.session.flush()
    audit.record("correction.request", actor_id=user.id, target_type="user", target_id=user.id,
                 details={"request": correction.id}, ip=ip)
    return correction


def open_corrections(scope: Unit) -> list[CorrectionRequest]:
    return list(db.session.scalars(
        select(CorrectionRequest).join(User, User.id == CorrectionRequest.user_id).join(Unit, Unit.id == User.unit_id)
        .where(Unit.path.startswith(scope.path), CorrectionRequest.resolved_at.is_(None))
        .order_by(CorrectionRequest.created_at)))


def resolve_correction(correction: CorrectionRequest, *, actor_id: int, ip: str | None = None) -> None:
    correction.resolved_at, correction.resolved_by_id = utcnow(), actor_id
    audit.record("correction.resolve", actor_id=actor_id, target_type="user", target_id=correction.user_id,
                 details={"request": correction.id}, ip=ip)


def _text_item_ids(assessment_ids: list[int]) -> dict[int, list[str]]:
    """Per assessment, the ids of the free-text items of its version."""
    result: dict[int, list[str]] = {}
    for assessment in db.session.scalars(select(Assessment).where(Assessment.id.in_(assessment_ids))):
        result[assessment.id] = [item.id for item in parsed(assessment.version).items if item.type == "text"]
    return result


def detach_assessments(assessment_ids: list[int]) -> None:
    """Make assessments anonymous: no person, no free text; scores and plans stay for the figures."""
    for assessment_id, item_ids in _text_item_ids(assessment_ids).items():
        if item_ids:
            db.session.execute(delete(Answer).where(Answer.assessment_id == assessment_id,
                                                    Answer.item_id.in_(item_ids)))
    db.session.execute(delete(PendingAnswers).where(PendingAnswers.assessment_id.in_(assessment_ids)))
    db.session.execute(update(Assessment).where(Assessment.id.in_(assessment_ids)).values(user_id=None)
                       .execution_options(synchronize_session=False))


def erase_person(user: User, *, actor_id: int, ip: str | None = None) -> int:
    """Delete the person and everything that names them; returns how many assessments became anonymous."""
    if user.id == actor_id:
        raise ServiceError(_l("You cannot erase your own account."))
    assessment_ids = list(db.session.scalars(select(Assessment.id).where(Assessment.user_id == user.id)))
    detach_assessments(assessment_ids)
    end_all_sessions(user.id)
    db.session.execute(delete(Invitation).where(Invitation.user_id == user.id))
    scrub_audit_of(user.id)
    audit.record("person.erase", actor_id=actor_id, target_type="user", target_id=user.id,
                 details={"assessments_anonymised": len(assessment_ids)}, ip=ip)
    db.session.delete(user)
    db.session.flush()
    return len(assessment_ids)


PERSONAL_DETAILS = frozenset({"nip", "name", "email"})
ERASED = "[erased]"


def scrub_audit_of(user_id: int) -> None:
    """Keep what happened to an erased person, not who they were: the NIP, names and e-mail
    addresses the audit log recorded about them (at creation, edits, deactivation) are replaced, and
    the addresses they acted from are dropped."""
    events = db.session.scalars(select(AuditEvent).where(or_(
        (AuditEvent.target_type == "user") & (AuditEvent.target_id == str(user_id)),
        AuditEvent.actor_id == user_id)))
    for event in events:
        if event.actor_id == user_id or event.target_id == str(user_id):
            event.ip = None
        if event.target_type == "user" and event.target_id == str(user_id) and event.details:
            event.details = {key: ERASED if key in PERSONAL_DETAILS else value for key, value in event.details.items()}


def retention_due(months: int, now=None):
    """Assessments still linked to a person and older than the retention period."""
    cutoff = (now or utcnow()) - timedelta(days=round(months * 30.44))
    return select(Assessment.id).where(Assessment.user_id.is_not(None),
                                       func.coalesce(Assessment.submitted_at, Assessment.updated_at) < cutoff)


def apply_retention(months: int, *, dry_run: bool = False) -> int:
    ids = list(db.session.scalars(retention_due(months)))
    if ids and not dry_run:
        detach_assessments(ids)
        audit.record("retention.apply", actor_id=None, target_type="assessment", target_id=None,
                     details={"months": months, "anonymised": len(ids)}, ip="cli")
    return len(ids)


def own_corrections(user: User) -> list[CorrectionRequest]:
    return list(db.session.scalars(select(CorrectionRequest).where(CorrectionRequest.user_id == user.id)
                                   .order_by(CorrectionRequest.created_at.desc())))
