"""Finding F1: HR could download the pending invitation links of admins and trainers in their
scope, open one and set the password: an account takeover. A link is shown or exported only for
people the actor may manage (no role beyond what the actor may give); showing one is audited."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, User
from app.services import invitations
from tests.factories import create_person, make_unit
from tests.pages import login


@pytest.fixture
def invited(app):
    """Pending links for a respondent, an hr officer, a trainer and an admin, all in HR's unit."""
    with app.app_context():
        make_unit("PROV", "Provinsi")
    people = {}
    for role in ("respondent", "hr", "trainer", "admin"):
        person = create_person(app, (role,), password=None, email=f"{role}@contoh.go.id")
        with app.app_context():
            invitations.issue(db.session.get(User, person.id), actor_id=None)
            db.session.commit()
        people[role] = person
    return people


@pytest.fixture
def hr(app, client, invited):
    officer = create_person(app, ("hr",), email="kepegawaian@contoh.go.id")
    assert login(client, officer.nip).status_code == 302
    return officer


def exported_nips(response) -> set[str]:
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    return {row[0] for row in rows[1:]}


def test_hr_exports_no_link_of_an_account_with_more_rights(client, invited, hr):
    nips = exported_nips(client.get("/hr/employees/invitations.csv"))
    assert nips == {invited["respondent"].nip, invited["hr"].nip}


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_asking_for_the_id_of_an_admin_or_trainer_gives_no_link(client, invited, hr, role):
    response = client.get(f"/hr/employees/invitations.csv?user={invited[role].id}")
    assert exported_nips(response) == set()
    assert client.get(f"/hr/employees/{invited[role].id}").status_code == 403


def test_an_admin_still_exports_everyone(app, invited):
    admin = create_person(app, ("admin",), email="pengelola@contoh.go.id")
    client = app.test_client()
    login(client, admin.nip)
    nips = exported_nips(client.get("/admin/users/invitations.csv"))
    assert {p.nip for p in invited.values()} <= nips


def test_showing_a_pending_link_is_audited(app, client, invited, hr):
    page = client.get(f"/hr/employees/{invited['respondent'].id}")
    assert "/auth/invitation/" in page.get_data(as_text=True)
    with app.app_context():
        shown = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "invitation.show")).all()
        assert [(e.actor_id, e.target_id) for e in shown] == [(hr.id, str(invited["respondent"].id))]


def test_probing_for_other_objects_is_audited(app, client, invited, hr):
    """403 and 404 answers to a signed-in person on a known route leave a trace."""
    assert client.get(f"/hr/employees/{invited['admin'].id}").status_code == 403
    assert client.get("/hr/employees/999999").status_code == 404
    assert client.get("/tidak-ada-halaman").status_code == 404
    with app.app_context():
        denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")
                                    .order_by(AuditEvent.id)).all()
        assert [(e.actor_id, e.target_id, e.details["status"]) for e in denied] == [
            (hr.id, f"/hr/employees/{invited['admin'].id}", 403), (hr.id, "/hr/employees/999999", 404)]
