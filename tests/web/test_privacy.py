"""Personal-data rights: correction requests reach HR, erasure keeps only anonymous figures,
retention anonymises old assessments, the audit log exports without secrets."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Answer, Assessment, AuditEvent, CorrectionRequest, DomainResult, User, utcnow
from tests.factories import PASSWORD, create_person, make_unit, submitted_assessment
from tests.pages import csrf_from, login

ANSWERS = {"strategi-rencana": 3, "strategi-kanal": "c", "strategi-tanda": ["a"],
           "strategi-komentar": "Nomor HP saya 0812", "krisis-pantau": 4, "krisis-hoaks": "b"}


def submitted(app, person) -> int:
    """A submitted assessment of ``person`` on the mini questionnaire (published once)."""
    return submitted_assessment(app, person, ANSWERS)


def test_a_correction_request_reaches_hr_of_the_unit_only(app):
    with app.app_context():
        prov = make_unit("PROV", "Provinsi")
        make_unit("A", "Dinas A", prov)
        make_unit("B", "Dinas B", prov)
    person = create_person(app, unit_code="A", email="p@contoh.go.id")
    hr_a = create_person(app, ("hr",), unit_code="A", email="hra@contoh.go.id")
    hr_b = create_person(app, ("hr",), unit_code="B", email="hrb@contoh.go.id")
    client = app.test_client()
    login(client, person.nip)
    page = client.get("/saya/koreksi").get_data(as_text=True)
    response = client.post("/saya/koreksi", data={"message": "Jabatan saya salah", "csrf_token": csrf_from(page)})
    assert response.status_code == 302
    other = app.test_client()
    login(other, hr_b.nip)
    assert "Jabatan saya salah" not in other.get("/hr/corrections").get_data(as_text=True)
    mine = app.test_client()
    login(mine, hr_a.nip)
    page = mine.get("/hr/corrections").get_data(as_text=True)
    assert "Jabatan saya salah" in page
    with app.app_context():
        correction_id = db.session.scalar(select(CorrectionRequest.id))
    other_token = csrf_from(other.get("/hr/corrections").get_data(as_text=True))
    assert other.post(f"/hr/corrections/{correction_id}/done", data={"csrf_token": other_token}).status_code == 404
    mine.post(f"/hr/corrections/{correction_id}/done", data={"csrf_token": csrf_from(page)})
    with app.app_context():
        assert db.session.get(CorrectionRequest, correction_id).resolved_at is not None
        assert {"correction.request", "correction.resolve"} <= set(db.session.scalars(select(AuditEvent.action)))


def test_erasure_keeps_only_anonymous_figures(app):
    person = create_person(app, name="Hapus Saya", email="hapus@contoh.go.id")
    admin = create_person(app, ("admin",), email="admin@contoh.go.id")
    assessment_id = submitted(app, person)
    client = app.test_client()
    login(client, admin.nip)
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    refused = client.post(f"/admin/users/{person.id}/erase", data={"csrf_token": csrf_from(page), "confirm": "salah"})
    assert refused.status_code == 302
    with app.app_context():
        assert db.session.get(User, person.id) is not None
    client.post(f"/admin/users/{person.id}/erase", data={"csrf_token": csrf_from(page), "confirm": person.nip})
    with app.app_context():
        assert db.session.get(User, person.id) is None
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.user_id is None and assessment.status == "submitted"
        assert db.session.scalar(select(func.count(DomainResult.id))
                                 .where(DomainResult.assessment_id == assessment_id)) == 2
        items = set(db.session.scalars(select(Answer.item_id).where(Answer.assessment_id == assessment_id)))
        assert "strategi-komentar" not in items and "strategi-rencana" in items
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.erase"))
        assert "Hapus Saya" not in str(event.details) and person.nip not in str(event.details)
    assert login(app.test_client(), person.nip).status_code == 401


def test_retention_command_anonymises_old_assessments(app):
    person = create_person(app, email="lama@contoh.go.id")
    old_id = submitted(app, person)
    new_id = submitted(app, person)
    with app.app_context():
        db.session.execute(update(Assessment).where(Assessment.id == old_id)
                           .values(submitted_at=utcnow() - timedelta(days=40 * 31)))
        db.session.commit()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert dry.exit_code == 0 and dry.output.startswith("1 ")
    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(Assessment, old_id).user_id is None
        assert db.session.get(Assessment, new_id).user_id == person.id


def test_admin_exports_the_audit_log_without_secrets(app):
    admin = create_person(app, ("admin",), email="admin@contoh.go.id")
    client = app.test_client()
    login(client, admin.nip)
    login(app.test_client(), admin.nip, "salah-Sandi-9")
    response = client.get("/admin/audit.csv")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    actions = {row[2] for row in rows[1:]}
    assert {"auth.login", "auth.login_failed"} <= actions
    assert PASSWORD not in text and "salah-Sandi-9" not in text and "scrypt" not in text
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "audit.export")) == 1


def test_erasure_leaves_no_nip_name_or_e_mail_in_the_audit_log(app):
    """Finding F15: the audit log kept the erased person's NIP, former names and e-mail addresses
    (from creation, edits and deactivation) and the addresses they signed in from."""
    admin = create_person(app, ("admin",), email="admin@contoh.go.id")
    client = app.test_client()
    login(client, admin.nip)
    page = client.get("/admin/users/new").get_data(as_text=True)
    with app.app_context():
        unit_code = db.session.scalar(select(User).where(User.id == admin.id)).unit.code
    client.post("/admin/users/new", data={"nip": "197001012000011001", "name": "Nama Lama",
                                          "email": "lama@contoh.go.id", "unit_code": unit_code, "position": "",
                                          "roles": ["respondent"], "csrf_token": csrf_from(page)})
    with app.app_context():
        person_id = db.session.scalar(select(User.id).where(User.nip == "197001012000011001"))
    page = client.get(f"/admin/users/{person_id}").get_data(as_text=True)
    client.post(f"/admin/users/{person_id}", data={"nip": "197001012000011002", "name": "Nama Baru",
                                                   "email": "baru@contoh.go.id", "unit_code": unit_code, "position": "",
                                                   "roles": ["respondent"], "csrf_token": csrf_from(page)})
    page = client.get(f"/admin/users/{person_id}").get_data(as_text=True)
    client.post(f"/admin/users/{person_id}/active/0", data={"csrf_token": csrf_from(page)})
    with app.app_context():
        details = " ".join(str(e.details) for e in db.session.scalars(select(AuditEvent)))
        assert "Nama Lama" in details and "197001012000011001" in details, "the history was recorded"
    client.post(f"/admin/users/{person_id}/erase",
                data={"csrf_token": csrf_from(page), "confirm": "197001012000011002"})
    with app.app_context():
        assert db.session.get(User, person_id) is None
        events = db.session.scalars(select(AuditEvent)).all()
        text = " ".join(f"{e.details} {e.ip}" for e in events if e.target_id == str(person_id))
        for personal in ("197001012000011001", "197001012000011002", "Nama Lama", "Nama Baru", "lama@contoh",
                         "baru@contoh"):
            assert personal not in text, personal
        assert {"user.create", "user.update", "user.deactivate", "person.erase"} <= {
            e.action for e in events if e.target_id == str(person_id)}
