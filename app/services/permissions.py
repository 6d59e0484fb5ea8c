"""Who may do what, as pure functions of plain values: no request, no database. Views, loaders
and services all ask these (and the route-access matrix test checks the pages that use them).
Anything with a ``path`` (a unit: "/1/4/") and ``roles`` (a set of role names) will do, so the
rules are tested with plain objects (tests/services/test_permissions.py)."""

from __future__ import annotations

from typing import Iterable, Protocol


class HasPath(Protocol):
    path: str


def may_use(roles: Iterable[str], allowed: Iterable[str]) -> bool:
    """A page for the roles ``allowed`` (admins reach the trainer pages because those list admin)."""
    return bool(set(roles) & set(allowed))


def in_scope(scope: HasPath | None, unit: HasPath) -> bool:
    """A unit is in the scope of an officer of ``scope`` when it is that unit or below it;
    ``None`` is the whole tree (admins, commands)."""
    return scope is None or unit.path.startswith(scope.path)


def holds_more_rights(person_roles: Iterable[str], assignable_roles: Iterable[str]) -> bool:
    """Whether a person holds a role the actor may not give. Such a person is out of the actor's
    reach: their page, their invitation link and any link export (a link sets their password)."""
    return bool(set(person_roles) - set(assignable_roles))


def may_manage(scope: HasPath | None, assignable_roles: Iterable[str], unit: HasPath,
               person_roles: Iterable[str]) -> bool:
    """An officer may edit, deactivate or invite a person in their scope with no more rights than
    the officer may give."""
    return in_scope(scope, unit) and not holds_more_rights(person_roles, assignable_roles)


def hr_sees_assessment(scope: HasPath, made_in: HasPath, person_unit: HasPath | None) -> bool:
    """HR sees an assessment made in their scope, or one of a person who is in their scope now."""
    return in_scope(scope, made_in) or (person_unit is not None and in_scope(scope, person_unit))


def owns(user_id: int, owner_id: int | None) -> bool:
    """A respondent reaches only their own assessments."""
    return owner_id is not None and owner_id == user_id
