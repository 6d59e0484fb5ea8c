"""Answers posted after a session ended, kept until the person is signed in again."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import delete
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..models import Assessment, PendingAnswers, utcnow

SESSION_KEY = "pending_answers"
MAX_PAYLOAD_BYTES = 64 * 1024
KEEP_FOR = timedelta(days=2)


def keep(assessment_id: int, domain_id: str, form: MultiDict) -> str | None:
    """Store the posted fields (not the CSRF token) and return the key to find them again."""
    db.session.execute(delete(PendingAnswers).where(PendingAnswers.created_at < utcnow() - KEEP_FOR))
    payload = {key: values for key, values in form.to_dict(flat=False).items() if key != "csrf_token"}
    if len(json.dumps(payload)) > MAX_PAYLOAD_BYTES or db.session.get(Assessment, assessment_id) is None:
        return None
    row = PendingAnswers(assessment_id=assessment_id, domain_id=domain_id[:64], payload=payload)
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
