"""Answers posted after a session ended, kept until the person is signed in again.

A post without a live session stores nothing: its fields go back to the browser, sealed, inside
the sign-in form (`seal`), and only a successful sign-in by the assessment's own respondent turns
them into a row (`keep_sealed`). So nobody can fill the database without an account, and one
account keeps at most one row per assessment and domain, replaced by a newer post. The rows are
never saved as answers on their own: the person sees them filled in and presses Save."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..models import Assessment, AssessmentStatus, PendingAnswers, utcnow

SESSION_KEY = "pending_answers"
MAX_PAYLOAD_BYTES = 64 * 1024
KEEP_FOR = timedelta(days=2)
SALT = "swanilai-kept-answers"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def seal(assessment_id: int, domain_id: str, form: MultiDict) -> str | None:
    """The posted fields (not the CSRF token) as a signed string for the sign-in form, or None
    when they are too large to carry."""
    payload = {key: values for key, values in form.to_dict(flat=False).items() if key != "csrf_token"}
    if len(json.dumps(payload)) > MAX_PAYLOAD_BYTES:
        return None
    return _serializer().dumps({"assessment": assessment_id, "domain": domain_id[:64], "fields": payload})


def unseal(sealed: str | None) -> dict[str, Any] | None:
    if not sealed or len(sealed) > 4 * MAX_PAYLOAD_BYTES:
        return None
    try:
        data = _serializer().loads(sealed)
    except (BadSignature, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("assessment"), int) else None


def keep_sealed(sealed: str | None, user_id: int) -> str | None:
    """Store sealed answers for their respondent after sign-in; the key to find them, or None."""
    data = unseal(sealed)
    if data is None:
        return None
    assessment = db.session.get(Assessment, data["assessment"])
    if assessment is None or assessment.user_id != user_id or assessment.status != AssessmentStatus.IN_PROGRESS.value:
        return None
    purge()
    domain_id = str(data.get("domain", ""))[:64]
    db.session.execute(delete(PendingAnswers).where(PendingAnswers.assessment_id == assessment.id,
                                                    PendingAnswers.domain_id == domain_id))
    total = db.session.scalar(select(func.count(PendingAnswers.id))) or 0
    if total >= current_app.config["PENDING_ANSWERS_MAX_ROWS"]:
        current_app.logger.warning("kept answers are at their limit of %d rows", total)
        return None
    row = PendingAnswers(assessment_id=assessment.id, domain_id=domain_id, payload=data.get("fields") or {})
    db.session.add(row)
    db.session.flush()
    return row.id


def take(token: str | None, assessment_id: int, domain_id: str) -> MultiDict | None:
    """The kept fields for this page, if the token names them."""
    row = db.session.get(PendingAnswers, token) if token else None
    if row is None or row.assessment_id != assessment_id or row.domain_id != domain_id:
        return None
    return MultiDict([(key, value) for key, values in row.payload.items() for value in values])


def forget(token: str | None) -> None:
    if token:
        db.session.execute(delete(PendingAnswers).where(PendingAnswers.id == token))


def purge() -> int:
    """Delete kept answers older than KEEP_FOR (also run daily by `flask retention apply`)."""
    result = db.session.execute(delete(PendingAnswers).where(PendingAnswers.created_at < utcnow() - KEEP_FOR))
    return result.rowcount or 0
