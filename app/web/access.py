"""Access in a request: the decorator that applies the permission rules (services/permissions.py)
to views, the person's active role and where each role lands."""

from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort, session, url_for
from flask_login import current_user, login_required

from ..models import ROLE_ORDER, Role
from ..services.permissions import may_use

HOME_ENDPOINTS = {
    Role.ADMIN.value: "admin.home",
    Role.HR.value: "hr.home",
    Role.TRAINER.value: "trainer.home",
    Role.RESPONDENT.value: "respond.home",
    Role.APPROVER.value: "approver.index",
}
ACTIVE_ROLE_KEY = "active_role"


def ordered_roles(roles: set[str]) -> list[str]:
    return [r.value for r in ROLE_ORDER if r.value in roles]


def choose_active_role(roles: set[str], requested: str | None) -> str | None:
    ordered = ordered_roles(roles)
    if requested in ordered:
        return requested
    return ordered[0] if ordered else None


def active_role() -> str | None:
    if not current_user.is_authenticated:
        return None
    return choose_active_role(current_user.roles, session.get(ACTIVE_ROLE_KEY))


def home_url() -> str:
    """Where the signed-in person's active role lands; the sign-in page for a visitor."""
    role = active_role()
    return url_for(HOME_ENDPOINTS[role]) if role else url_for("auth.login")


def roles_required(*allowed: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not may_use(current_user.roles, allowed):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed
        return wrapped

    return decorator
