"""Admin pages: units and users, with every change in the audit log."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Invitation, LoginSession, Unit, User
from tests.factories import create_person
from tests.pages import login, post_form


@pytest.fixture
def admin(app, client):
    person = create_person(app, ("admin",), unit_code="BANTEN", email="admin@contoh.go.id")
    login(client, person.nip)
    return person


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def unit(app, code) -> Unit:
    with app.app_context():
        return db.session.scalar(select(Unit).where(Unit.code == code))


def test_create_rename_move_and_deactivate_units(app, client, admin):
    banten = unit(app, "BANTEN")
    response = post_form(client, "/admin/units", {"code": "diskominfo", "name": "Dinas Kominfo", "parent": banten.id})
    assert response.status_code == 302
    post_form(client, "/admin/units", {"code": "IKP", "name": "Bidang IKP", "parent": unit(app, "DISKOMINFO").id})
    post_form(client, "/admin/units", {"code": "BKD", "name": "BKD", "parent": banten.id})
    ikp, bkd = unit(app, "IKP"), unit(app, "BKD")
    assert ikp.path == f"/{banten.id}/{unit(app, 'DISKOMINFO').id}/{ikp.id}/"

    diskominfo = unit(app, "DISKOMINFO")
    response = post_form(client, f"/admin/units/{diskominfo.id}", {"name": "Diskominfo Banten", "parent": bkd.id})
    assert response.status_code == 302
    moved = unit(app, "IKP")
    assert moved.path == f"/{banten.id}/{bkd.id}/{diskominfo.id}/{ikp.id}/", "sub-units move along"
    assert unit(app, "DISKOMINFO").name == "Diskominfo Banten"

    response = post_form(client, f"/admin/units/{diskominfo.id}/active/0", page="/admin/units")
    assert unit(app, "DISKOMINFO").active is True, "a unit with active sub-units stays active"
    post_form(client, f"/admin/units/{ikp.id}/active/0", page="/admin/units")
    post_form(client, f"/admin/units/{diskominfo.id}/active/0", page="/admin/units")
    assert unit(app, "DISKOMINFO").active is False
    actions = audit_actions(app)
    for action in ("unit.create", "unit.rename", "unit.move", "unit.deactivate"):
        assert action in actions


def test_a_unit_cannot_move_under_its_own_sub_unit(app, client, admin):
    banten = unit(app, "BANTEN")
    post_form(client, "/admin/units", {"code": "A", "name": "A", "parent": banten.id})
    post_form(client, "/admin/units", {"code": "A1", "name": "A1", "parent": unit(app, "A").id})
    response = post_form(client, f"/admin/units/{unit(app, 'A').id}", {"name": "A", "parent": unit(app, "A1").id})
    assert response.status_code == 400
    assert unit(app, "A").parent_id == banten.id


@pytest.mark.parametrize("code,name", [("", "Nama"), ("bad code!", "Nama"), ("BANTEN", "Duplikat"), ("OK", "")])
def test_bad_unit_input_is_refused(app, client, admin, code, name):
    before = len(audit_actions(app))
    response = post_form(client, "/admin/units", {"code": code, "name": name, "parent": ""})
    assert response.status_code == 400
    assert len(audit_actions(app)) == before


def test_create_user_gives_an_invitation_link(app, client, admin):
    response = post_form(client, "/admin/users/new", {
        "nip": "19800101 200501 1 001", "name": "Budi <b>Santoso</b>", "email": "Budi@Contoh.go.id",
        "unit_code": "BANTEN", "position": "", "roles": ["respondent", "hr"]})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "/auth/invitation/" in page
    assert "&lt;b&gt;Santoso&lt;/b&gt;" in page and "<b>Santoso</b>" not in page
    with app.app_context():
        user = db.session.scalar(select(User).where(User.nip == "198001012005011001"))
        assert user.email == "budi@contoh.go.id" and user.roles == {"respondent", "hr"}
        assert db.session.scalar(select(Invitation).where(Invitation.user_id == user.id)).pending
    assert "user.create" in audit_actions(app) and "invitation.issue" in audit_actions(app)


@pytest.mark.parametrize("field,value,message", [
    ("nip", "12345", "18 digit"),
    ("nip", "198013012005011001", "tanggal lahir"),
    ("email", "bukan-email", "e-mail"),
    ("unit_code", "NOPE", "NOPE"),
])
def test_bad_user_input_is_refused_with_a_message(app, client, admin, field, value, message):
    data = {"nip": "198001012005011001", "name": "Budi", "email": "budi@contoh.go.id", "unit_code": "BANTEN",
            "position": "", "roles": ["respondent"]}
    data[field] = value
    response = post_form(client, "/admin/users/new", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.name == "Budi")) is None


def test_duplicate_nip_and_email_are_refused(app, client, admin):
    other = create_person(app, email="ada@contoh.go.id")
    response = post_form(client, "/admin/users/new", {
        "nip": other.nip, "name": "X", "email": "ADA@contoh.go.id", "unit_code": "BANTEN", "roles": ["respondent"]})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert other.nip in text and "ada@contoh.go.id" in text


def test_changing_roles_ends_the_persons_sessions(app, client, admin):
    person = create_person(app, ("respondent",), email="p@contoh.go.id")
    their_client = app.test_client()
    login(their_client, person.nip)
    assert their_client.get("/saya/").status_code == 200
    response = post_form(client, f"/admin/users/{person.id}", {
        "nip": person.nip, "name": person.name, "email": person.email, "unit_code": "BANTEN",
        "position": "", "roles": ["respondent", "trainer"]})
    assert response.status_code == 302
    assert their_client.get("/saya/").status_code == 302
    assert "user.update" in audit_actions(app)


def test_deactivating_a_user_ends_their_session_and_is_audited(app, client, admin):
    person = create_person(app, email="p@contoh.go.id")
    their_client = app.test_client()
    login(their_client, person.nip)
    post_form(client, f"/admin/users/{person.id}/active/0", page=f"/admin/users/{person.id}")
    assert their_client.get("/saya/").status_code == 302
    with app.app_context():
        assert db.session.get(User, person.id).active is False
        assert db.session.scalar(select(LoginSession).where(LoginSession.user_id == person.id)).ended_at
    assert "user.deactivate" in audit_actions(app)


def test_admin_cannot_deactivate_themselves(app, client, admin):
    post_form(client, f"/admin/users/{admin.id}/active/0", page=f"/admin/users/{admin.id}")
    with app.app_context():
        assert db.session.get(User, admin.id).active is True


def test_reissuing_an_invitation_revokes_the_old_link(app, client, admin):
    person = create_person(app, password=None, email="p@contoh.go.id")
    post_form(client, f"/admin/users/{person.id}/invitation", page=f"/admin/users/{person.id}")
    post_form(client, f"/admin/users/{person.id}/invitation", page=f"/admin/users/{person.id}")
    with app.app_context():
        invitations = db.session.scalars(select(Invitation).where(Invitation.user_id == person.id)).all()
        assert len(invitations) == 2
        assert [i.pending for i in invitations] == [False, True]


def test_unknown_ids_answer_404(app, client, admin):
    assert client.get("/admin/users/99999").status_code == 404
    assert client.get("/admin/units/99999").status_code == 404


def test_audit_log_page_lists_events(app, client, admin):
    post_form(client, "/admin/units", {"code": "X1", "name": "Unit X1", "parent": ""})
    page = client.get("/admin/audit?action=unit.create").get_data(as_text=True)
    assert "unit.create" in page and "X1" in page


def upload(client, url, content: bytes, page: str):
    html = client.get(page).get_data(as_text=True)
    from tests.pages import csrf_from

    return client.post(url, data={"csrf_token": csrf_from(html), "file": (io.BytesIO(content), "data.csv")},
                       content_type="multipart/form-data")


def test_units_import_all_or_nothing(app, client, admin):
    bad = b"code,name,parent_code\nA,Unit A,BANTEN\nA,Again,BANTEN\nB,,NOPE\n"
    response = upload(client, "/admin/units/import", bad, "/admin/units")
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert ">3<" in text and ">4<" in text
    assert unit(app, "A") is None
    good = "code;name;parent_code\nA;Unit Â;BANTEN\nA1;Sub A;A\n".encode("utf-8-sig")
    assert upload(client, "/admin/units/import", good, "/admin/units").status_code == 302
    assert unit(app, "A1").parent_id == unit(app, "A").id
