"""services/users called directly: check_user reports every problem of a person's data by field,
within the acting officer's authority; create, update and deactivate record what they did."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, LoginSession
from app.services import sessions
from app.services.errors import ServiceError
from app.services.users import ALL_ROLES, Authority, UserInput, check_user, create_user, set_user_active, update_user
from tests.factories import make_unit, make_user

NIP = "198001012005011001"
POSITIONS = {"admin-medsos", "pimpinan"}


@pytest.fixture
def tree(ctx):
    """PROV with DINAS below it and BADAN beside DINAS; CLOSED is deactivated; an HR officer in DINAS."""
    prov = make_unit("PROV", "Provinsi")
    dinas = make_unit("DINAS", "Dinas", prov)
    badan = make_unit("BADAN", "Badan", prov)
    closed = make_unit("CLOSED", "Ditutup", dinas)
    closed.active = False
    db.session.commit()
    hr = make_user(dinas, ("respondent", "hr"), email="hr@contoh.go.id")
    return {"prov": prov, "dinas": dinas, "badan": badan, "hr": hr,
            "admin": Authority(actor_id=None, scope=None, assignable_roles=frozenset(ALL_ROLES)),
            "hr_authority": Authority(actor_id=hr.id, scope=dinas, assignable_roles=frozenset({"respondent", "hr"}))}


def person(**changes) -> UserInput:
    data = {"nip": NIP, "name": "Ani Lestari", "email": "Ani@Contoh.go.id", "unit_code": "DINAS",
            "position_id": "admin-medsos", "roles": {"respondent"}}
    return UserInput(**{**data, **changes})


def fields(problems) -> list[str]:
    return [field for field, _message in problems]


def test_good_data_is_checked_and_cleaned(tree):
    checked, problems = check_user(person(nip="1980 0101 2005 01 1 001", name="  Re\u0301ni Lestari "),
                                   tree["hr_authority"], POSITIONS)
    assert problems == []
    assert (checked.nip, checked.name, checked.email) == (NIP, "R\u00e9ni Lestari", "ani@contoh.go.id")
    assert checked.unit.id == tree["dinas"].id and checked.position_id == "admin-medsos"


def test_every_problem_is_reported_at_once_by_field(tree):
    checked, problems = check_user(
        person(nip="123", name="", email="bukan-alamat", unit_code="NOWHERE", position_id="bupati",
               roles={"respondent", "superuser"}),
        tree["admin"], POSITIONS)
    assert checked is None
    assert fields(problems) == ["nip", "name", "email", "unit_code", "position", "roles"]


def test_a_taken_nip_or_address_is_refused_except_for_the_person_themselves(tree):
    existing = make_user(tree["dinas"], nip=NIP, email="ani@contoh.go.id")
    _checked, problems = check_user(person(), tree["admin"], POSITIONS)
    assert fields(problems) == ["nip", "email"]
    checked, problems = check_user(person(), tree["admin"], POSITIONS, existing=existing)
    assert problems == [] and checked.nip == NIP


@pytest.mark.parametrize("unit_code", ["BADAN", "PROV"])
def test_hr_places_people_only_in_their_scope(tree, unit_code):
    _checked, problems = check_user(person(unit_code=unit_code), tree["hr_authority"], POSITIONS)
    assert fields(problems) == ["unit_code"]
    checked, problems = check_user(person(unit_code=unit_code), tree["admin"], POSITIONS)
    assert problems == [] and checked.unit.code == unit_code


def test_a_deactivated_unit_takes_nobody(tree):
    _checked, problems = check_user(person(unit_code="CLOSED"), tree["admin"], POSITIONS)
    assert fields(problems) == ["unit_code"]
    assert "CLOSED" in str(problems[0][1])


@pytest.mark.parametrize("roles", [{"trainer"}, {"respondent", "admin"}])
def test_hr_gives_only_the_roles_they_may(tree, roles):
    _checked, problems = check_user(person(roles=roles), tree["hr_authority"], POSITIONS)
    assert fields(problems) == ["roles"]


def test_someone_needs_a_role(tree):
    _checked, problems = check_user(person(roles=set()), tree["admin"], POSITIONS)
    assert fields(problems) == ["roles"]


def test_positions_are_free_when_no_questionnaire_names_them(tree):
    checked, problems = check_user(person(position_id="kepala-seksi"), tree["admin"], None)
    assert problems == [] and checked.position_id == "kepala-seksi"
    _checked, problems = check_user(person(position_id="Bukan Slug!"), tree["admin"], None)
    assert fields(problems) == ["position"]


def test_create_user_issues_an_invitation_and_records_it(tree):
    checked, _ = check_user(person(), tree["hr_authority"], POSITIONS)
    user, invitation = create_user(checked, tree["hr_authority"])
    db.session.commit()
    assert user.password_hash is None and user.roles == {"respondent"}
    assert invitation.user_id == user.id and invitation.pending
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_type == "user",
                                                                 AuditEvent.target_id == str(user.id))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["user.create", "invitation.issue"]


def sessions_open(user_id: int) -> int:
    return len(db.session.scalars(select(LoginSession).where(LoginSession.user_id == user_id,
                                                             LoginSession.ended_at.is_(None))).all())


def test_a_new_role_or_unit_ends_the_sessions_a_new_name_does_not(tree):
    user = make_user(tree["dinas"], nip=NIP, email="ani@contoh.go.id", name="Ani Lestari")
    user.position_id = "admin-medsos"
    sessions.start_session(user)
    db.session.commit()
    renamed, _ = check_user(person(name="Ani Lestari Putri"), tree["admin"], POSITIONS, existing=user)
    update_user(user, renamed, tree["admin"])
    db.session.commit()
    assert user.name == "Ani Lestari Putri" and sessions_open(user.id) == 1
    promoted, _ = check_user(person(name="Ani Lestari Putri", roles={"respondent", "hr"}), tree["admin"],
                             POSITIONS, existing=user)
    update_user(user, promoted, tree["admin"])
    db.session.commit()
    assert user.roles == {"respondent", "hr"} and sessions_open(user.id) == 0
    details = db.session.scalars(select(AuditEvent.details).where(AuditEvent.action == "user.update")
                                 .order_by(AuditEvent.id)).all()
    assert details == [{"name": {"from": "Ani Lestari", "to": "Ani Lestari Putri"}},
                       {"roles": {"from": ["respondent"], "to": ["hr", "respondent"]}}]


def test_an_unchanged_person_records_nothing(tree):
    user = make_user(tree["dinas"], nip=NIP, email="ani@contoh.go.id", name="Ani Lestari")
    user.position_id = "admin-medsos"
    db.session.commit()
    same, _ = check_user(person(), tree["admin"], POSITIONS, existing=user)
    update_user(user, same, tree["admin"])
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.update")).all() == []


def test_deactivation_ends_sessions_but_never_of_oneself(tree):
    user = make_user(tree["dinas"], email="pergi@contoh.go.id")
    sessions.start_session(user)
    db.session.commit()
    set_user_active(user, False, tree["hr_authority"])
    db.session.commit()
    assert user.active is False and sessions_open(user.id) == 0
    with pytest.raises(ServiceError):
        set_user_active(tree["hr"], False, tree["hr_authority"])
