"""Permission checks as pure functions of a person and the thing they ask for, plus the
decorator that applies them to views."""

from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort, session
from flask_login import current_user, login_required

from .models import ROLE_ORDER, Role

HOME_ENDPOINTS = {
    Role.ADMIN.value: "admin.home",
    Role.HR.value: "hr.home",
    Role.TRAINER.value: "trainer.home",
    Role.RESPONDENT.value: "respond.home",
}
ACTIVE_ROLE_KEY = "active_role"


def ordered_roles(roles: set[str]) -> list[str]:
    return [r.value for r in ROLE_ORDER if r.value in roles]


def may_use(roles: set[str], allowed: tuple[str, ...]) -> bool:
    """Admins may use trainer pages too; every other page needs one of the named roles."""
    return bool(roles & set(allowed))


def holds_more_rights(person_roles: set[str], assignable_roles: frozenset[str]) -> bool:
    """Whether a person holds a role the actor may not give. Such a person is out of the actor's
    reach: their page, their invitation link and any link export (a link sets their password)."""
    return bool(set(person_roles) - set(assignable_roles))


def choose_active_role(roles: set[str], requested: str | None) -> str | None:
    ordered = ordered_roles(roles)
    if requested in ordered:
        return requested
    return ordered[0] if ordered else None


def active_role() -> str | None:
    if not current_user.is_authenticated:
        return None
    return choose_active_role(current_user.roles, session.get(ACTIVE_ROLE_KEY))


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
