"""The audit log: one row per change to people, units, questionnaires and per personal-data export."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..models import AuditEvent

SECRET_KEYS = {"password", "password_hash", "token", "nonce", "answers", "value"}


def record(
    action: str,
    *,
    actor_id: int | None,
    target_type: str | None = None,
    target_id: Any = None,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Add an audit row to the current transaction; it commits or rolls back with the change."""
    clean = {k: v for k, v in (details or {}).items() if k not in SECRET_KEYS}
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details=clean or None,
        ip=ip,
    )
    db.session.add(event)
    return event
