"""The permission rules of services/permissions.py as the pure functions they are: plain objects
with a ``path`` stand for units, sets of names for roles. No app, no database.

The tree used throughout (paths as the Unit model stores them):

    /1/        PROV
    /1/4/      DINAS        /1/4/9/  SEKSI (below DINAS)
    /1/5/      BADAN
    /1/41/     DINAS_41     (its path starts with "/1/4" but it is not below DINAS)
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.services.permissions import hr_sees_assessment, holds_more_rights, in_scope, may_manage, may_use, owns

PROV = SimpleNamespace(path="/1/")
DINAS = SimpleNamespace(path="/1/4/")
SEKSI = SimpleNamespace(path="/1/4/9/")
BADAN = SimpleNamespace(path="/1/5/")
DINAS_41 = SimpleNamespace(path="/1/41/")

ADMIN_GIVES = {"respondent", "hr", "trainer", "admin"}
HR_GIVES = {"respondent", "hr"}


# -- may_use: a page for some roles ----------------------------------------------------------------

@pytest.mark.parametrize("roles,allowed,expected", [
    ({"hr"}, {"hr"}, True),
    ({"respondent", "hr"}, {"hr"}, True),  # one matching role is enough
    ({"admin"}, {"trainer", "admin"}, True),  # admins reach the trainer pages because those list admin
    ({"admin"}, {"hr"}, False),  # admin is no master key: HR pages do not list it
    ({"respondent"}, {"hr"}, False),
    (set(), {"respondent"}, False),  # nobody without a role
    ({"hr"}, set(), False),  # a page for nobody
])
def test_may_use_needs_one_of_the_allowed_roles(roles, allowed, expected):
    assert may_use(roles, allowed) is expected


def test_may_use_takes_any_iterables():
    assert may_use(["hr", "hr"], ("hr",)) is True
    assert may_use(iter(["trainer"]), ["admin", "trainer"]) is True


# -- in_scope: a unit and everything below it ------------------------------------------------------

@pytest.mark.parametrize("unit", [DINAS, SEKSI])
def test_a_unit_and_those_below_it_are_in_its_scope(unit):
    assert in_scope(DINAS, unit) is True


@pytest.mark.parametrize("unit", [PROV, BADAN, DINAS_41])
def test_units_above_beside_or_merely_sharing_a_prefix_are_out_of_scope(unit):
    """DINAS_41 (/1/41/) starts with "/1/4" — the trailing slash of each path keeps it out."""
    assert in_scope(DINAS, unit) is False


def test_no_scope_is_the_whole_tree():
    assert all(in_scope(None, unit) for unit in (PROV, DINAS, SEKSI, BADAN, DINAS_41))


def test_the_root_reaches_every_unit():
    assert all(in_scope(PROV, unit) for unit in (PROV, DINAS, SEKSI, BADAN, DINAS_41))


# -- holds_more_rights and may_manage: who an officer may edit or invite ---------------------------

@pytest.mark.parametrize("person_roles,expected", [
    ({"respondent"}, False),
    ({"respondent", "hr"}, False),
    (set(), False),
    ({"trainer"}, True),
    ({"respondent", "admin"}, True),  # one role the actor may not give is enough
])
def test_hr_is_outranked_by_anyone_with_a_role_hr_may_not_give(person_roles, expected):
    assert holds_more_rights(person_roles, HR_GIVES) is expected


def test_nobody_outranks_an_actor_who_may_give_every_role():
    assert holds_more_rights(ADMIN_GIVES, ADMIN_GIVES) is False


@pytest.mark.parametrize("scope,gives,unit,person_roles,expected", [
    (DINAS, HR_GIVES, SEKSI, {"respondent"}, True),  # below, no more rights
    (DINAS, HR_GIVES, DINAS, {"respondent", "hr"}, True),  # a colleague HR officer in the same unit
    (DINAS, HR_GIVES, BADAN, {"respondent"}, False),  # beside: out of scope
    (DINAS, HR_GIVES, PROV, {"respondent"}, False),  # above: out of scope
    (DINAS, HR_GIVES, DINAS_41, {"respondent"}, False),  # a prefix is not a parent
    (DINAS, HR_GIVES, SEKSI, {"respondent", "trainer"}, False),  # in scope but holds more rights
    (DINAS, HR_GIVES, DINAS, {"admin"}, False),
    (None, ADMIN_GIVES, BADAN, {"admin"}, True),  # an admin manages everyone
])
def test_may_manage_needs_scope_and_no_more_rights(scope, gives, unit, person_roles, expected):
    assert may_manage(scope, gives, unit, person_roles) is expected


# -- hr_sees_assessment: made in scope, or of a person in scope now --------------------------------

def test_hr_sees_an_assessment_made_in_their_scope_of_a_person_who_left():
    assert hr_sees_assessment(DINAS, made_in=SEKSI, person_unit=BADAN) is True


def test_hr_sees_an_assessment_of_a_person_who_moved_into_their_scope():
    assert hr_sees_assessment(DINAS, made_in=BADAN, person_unit=SEKSI) is True


def test_hr_does_not_see_an_assessment_made_and_held_elsewhere():
    assert hr_sees_assessment(DINAS, made_in=BADAN, person_unit=PROV) is False
    assert hr_sees_assessment(DINAS, made_in=DINAS_41, person_unit=DINAS_41) is False


def test_an_erased_person_leaves_only_where_the_assessment_was_made():
    """An anonymised assessment has no person (``person_unit`` None): only the unit it was made in counts."""
    assert hr_sees_assessment(DINAS, made_in=SEKSI, person_unit=None) is True
    assert hr_sees_assessment(DINAS, made_in=BADAN, person_unit=None) is False


# -- owns: a respondent's own assessments ----------------------------------------------------------

@pytest.mark.parametrize("user_id,owner_id,expected", [
    (7, 7, True),
    (7, 8, False),
    (7, None, False),  # an anonymised assessment belongs to nobody
    (0, None, False),
])
def test_a_respondent_owns_only_assessments_with_their_id(user_id, owner_id, expected):
    assert owns(user_id, owner_id) is expected


def test_the_rules_return_real_booleans():
    """Templates and JSON use them as they are: True or False, not a set or None."""
    results = [may_use({"hr"}, {"hr"}), holds_more_rights({"a"}, {"b"}), in_scope(None, PROV),
               may_manage(None, ADMIN_GIVES, PROV, set()), hr_sees_assessment(DINAS, SEKSI, None), owns(1, 1)]
    assert all(type(result) is bool for result in results)
