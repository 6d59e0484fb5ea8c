"""A person's employment type (PNS or PPPK): recorded by the form, the employee CSV and the command
line; copied onto the assessment at submit; the plan compared with at least 20 JP (PNS) or at most
24 JP (PPPK, PP No. 49 Tahun 2018) on the result page and in the PDFs; the unit report's
entitlement counts each type with its own figure."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

import config
from app.extensions import db
from app.models import Assessment, AuditEvent, User
from app.services import unit_reports
from app.services.personal_data import export_person
from app.services.units import unit_by_code
from tests.factories import MINI_LOW, create_person, make_unit, published_version, submitted_assessment
from tests.pages import csrf_from, login, post_form

HEADER = "nip,name,email,unit_code,position,roles,employment\n"
PPPK_NOTE_ID = "pengembangan kompetensi PPPK paling banyak 24 JP per tahun"
PPPK_NOTE_EN = "PPPK competency development is at most 24 JP a year"
PNS_NOTE_ID = "setiap PNS berhak atas pengembangan kompetensi paling sedikit 20 JP per tahun"


def squash(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return squash(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def user_by_nip(app, nip: str) -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.nip == nip))


def set_employment(app, person, employment_type: str, language: str | None = None) -> None:
    with app.app_context():
        user = db.session.get(User, person.id)
        user.employment_type = employment_type
        if language:
            user.language = language
        db.session.commit()


def creation_details(app, user_id: int) -> dict:
    with app.app_context():
        return db.session.scalar(select(AuditEvent.details).where(
            AuditEvent.action == "user.create", AuditEvent.target_id == str(user_id)))


@pytest.fixture
def tree(app):
    with app.app_context():
        prov = make_unit("PROV", "Provinsi")
        make_unit("DINAS", "Dinas A", prov)


@pytest.fixture
def hr_client(app, client, tree):
    login(client, create_person(app, ("hr",), unit_code="DINAS", email="hr@contoh.go.id").nip)
    return client


def upload(client, content: bytes):
    html = client.get("/hr/employees/import").get_data(as_text=True)
    return client.post("/hr/employees/import", data={"csrf_token": csrf_from(html),
                                                      "file": (io.BytesIO(content), "pegawai.csv")},
                       content_type="multipart/form-data")


# -- the employee CSV ---------------------------------------------------------------------------

def test_the_employment_column_is_read_in_any_case_and_empty_means_pns(app, hr_client):
    content = (HEADER + "198001012005011001,Ani,ani@contoh.go.id,DINAS,,,PPPK\n"
               + "198001012005011002,Budi,budi@contoh.go.id,DINAS,,,pns\n"
               + "198001012005011003,Citra,citra@contoh.go.id,DINAS,,, \n").encode()
    assert upload(hr_client, content).status_code == 200
    types = {nip: user_by_nip(app, nip).employment_type
             for nip in ("198001012005011001", "198001012005011002", "198001012005011003")}
    assert types == {"198001012005011001": "pppk", "198001012005011002": "pns", "198001012005011003": "pns"}
    ani = user_by_nip(app, "198001012005011001")
    assert creation_details(app, ani.id)["employment_type"] == "pppk"


def test_a_file_without_the_column_imports_pns(app, hr_client):
    content = b"nip,name,email,unit_code\n198001012005011001,Ani,ani@contoh.go.id,DINAS\n"
    assert upload(hr_client, content).status_code == 200
    assert user_by_nip(app, "198001012005011001").employment_type == "pns"


def test_a_bad_employment_value_is_a_located_problem_and_imports_nobody(app, hr_client):
    content = (HEADER + "198001012005011001,Ani,ani@contoh.go.id,DINAS,,,pppk\n"
               + "198001012005011002,Budi,budi@contoh.go.id,DINAS,,,honorer\n"
               + "198001012005011003,Citra,citra@contoh.go.id,DINAS,,,p3k\n").encode()
    response = upload(hr_client, content)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<td>3</td>" in text and "<td>4</td>" in text and "<td>2</td>" not in text
    assert "honorer" in text and "p3k" in text and "pppk" in text
    assert user_by_nip(app, "198001012005011001") is None


def test_the_import_page_names_the_optional_column(hr_client):
    assert "employment" in hr_client.get("/hr/employees/import").get_data(as_text=True)


# -- the person form ----------------------------------------------------------------------------

@pytest.fixture
def admin(app, client):
    person = create_person(app, ("admin",), unit_code="BANTEN", email="admin@contoh.go.id")
    login(client, person.nip)
    return person


def person_form(**changes) -> dict:
    data = {"nip": "198001012005011001", "name": "Budi", "email": "budi@contoh.go.id", "unit_code": "BANTEN",
            "position": "", "roles": ["respondent"], "employment": "pppk"}
    return data | changes


def test_the_form_offers_pns_and_pppk_and_records_the_choice(app, client, admin):
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert '<option selected value="pns">PNS</option>' in page and '<option value="pppk">PPPK</option>' in page
    response = post_form(client, "/admin/users/new", person_form())
    assert response.status_code == 302
    budi = user_by_nip(app, "198001012005011001")
    assert budi.employment_type == "pppk"
    assert creation_details(app, budi.id)["employment_type"] == "pppk"
    edit = client.get(f"/admin/users/{budi.id}").get_data(as_text=True)
    assert '<option selected value="pppk">PPPK</option>' in edit

    response = post_form(client, f"/admin/users/{budi.id}", person_form(employment="pns"))
    assert response.status_code == 302
    assert user_by_nip(app, "198001012005011001").employment_type == "pns"
    with app.app_context():
        change = db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "user.update"))
    assert change == {"employment_type": {"from": "pppk", "to": "pns"}}


def test_a_forged_employment_value_is_refused_on_the_form(app, client, admin):
    response = post_form(client, "/admin/users/new", person_form(employment="honorer"))
    assert response.status_code == 400
    assert "honorer" in response.get_data(as_text=True)
    assert user_by_nip(app, "198001012005011001") is None


# -- the command line ---------------------------------------------------------------------------

def test_users_create_takes_the_employment_option(app):
    cli = app.test_cli_runner()
    cli.invoke(args=["units", "create", "PROV", "Provinsi"])
    base = ["users", "create", "--name", "Ani", "--unit", "PROV", "--invite"]
    result = cli.invoke(args=[*base, "--nip", "198001012005011001", "--email", "ani@contoh.go.id",
                              "--employment", "PPPK"])
    assert result.exit_code == 0, result.output
    assert "PPPK" in result.output
    result = cli.invoke(args=[*base, "--nip", "198001012005011002", "--email", "budi@contoh.go.id"])
    assert result.exit_code == 0, result.output
    assert user_by_nip(app, "198001012005011001").employment_type == "pppk"
    assert user_by_nip(app, "198001012005011002").employment_type == "pns"
    bad = cli.invoke(args=[*base, "--nip", "198001012005011003", "--email", "c@contoh.go.id",
                           "--employment", "honorer"])
    assert bad.exit_code != 0 and "honorer" in bad.output
    assert user_by_nip(app, "198001012005011003") is None


# -- the plan of a submitted assessment ---------------------------------------------------------

@pytest.fixture
def pppk_respondent(app, tree):
    person = create_person(app, unit_code="DINAS", name="Sari PPPK", email="sari@contoh.go.id")
    set_employment(app, person, "pppk")
    return person


def test_a_pppk_plan_is_compared_with_24_jp_and_keeps_it(app, client, pppk_respondent):
    aid = submitted_assessment(app, pppk_respondent, MINI_LOW)  # the MINI_LOW plan: 26 JP
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        assert assessment.employment_type == "pppk"
        assert assessment.result["plan"]["employment_type"] == "pppk"
        assert assessment.result["plan"]["entitlement_jp"] == 24 and assessment.total_jp == 26
    login(client, pppk_respondent.nip)
    page = squash(client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True))
    assert f"Total 26 JP; {PPPK_NOTE_ID}, sehingga rencana ini memerlukan lebih dari satu tahun" in page
    assert "(2 tahun)" in page
    text = pdf_text(client.get(f"/saya/penilaian/{aid}/laporan.pdf").data)
    assert PPPK_NOTE_ID in text and "(2 tahun)" in text
    assert "24 JP" in text and "20 JP" not in text

    set_employment(app, pppk_respondent, "pns")  # a later change does not rewrite this result
    page = squash(client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True))
    assert PPPK_NOTE_ID in page and PNS_NOTE_ID not in page
    with app.app_context():
        assert db.session.get(Assessment, aid).employment_type == "pppk"


def test_the_pppk_note_in_english(app, client, pppk_respondent):
    set_employment(app, pppk_respondent, "pppk", language="en")
    aid = submitted_assessment(app, pppk_respondent, MINI_LOW)
    login(client, pppk_respondent.nip)
    page = squash(client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True))
    assert f"Total 26 JP; {PPPK_NOTE_EN}, so the plan needs more than one year at that limit (2 years)." in page
    text = pdf_text(client.get(f"/saya/penilaian/{aid}/laporan.pdf").data)
    assert PPPK_NOTE_EN in text
    assert "The training plan totals 26 JP." in text  # the summary; the plan states the entitlement


def test_a_pns_plan_says_at_least_20_jp(app, client, tree):
    person = create_person(app, unit_code="DINAS", email="ani@contoh.go.id")
    aid = submitted_assessment(app, person, MINI_LOW)
    with app.app_context():
        assert db.session.get(Assessment, aid).employment_type == "pns"
    login(client, person.nip)
    page = squash(client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True))
    assert f"Total 26 JP; {PNS_NOTE_ID}, dan rencana ini melebihinya" in page


def test_the_figures_come_from_the_configuration(app, pppk_respondent):
    saved = app.config["PPPK_MAX_JP"]
    app.config["PPPK_MAX_JP"] = 30
    try:
        aid = submitted_assessment(app, pppk_respondent, MINI_LOW)
    finally:
        app.config["PPPK_MAX_JP"] = saved
    with app.app_context():
        plan = db.session.get(Assessment, aid).result["plan"]
    assert (plan["entitlement_jp"], plan["employment_type"]) == (30, "pppk")


def test_a_result_stored_before_employment_types_still_renders_as_pns(app, client, tree):
    person = create_person(app, unit_code="DINAS", email="ani@contoh.go.id")
    aid = submitted_assessment(app, person, MINI_LOW)
    with app.app_context():  # as the result was stored before: no type in the plan nor on the row
        stored = dict(db.session.get(Assessment, aid).result)
        stored["plan"] = {k: v for k, v in stored["plan"].items() if k != "employment_type"}
        db.session.execute(update(Assessment).where(Assessment.id == aid)
                           .values(result=stored, employment_type=None))
        db.session.commit()
    login(client, person.nip)
    response = client.get(f"/saya/penilaian/{aid}/hasil")
    assert response.status_code == 200
    assert PNS_NOTE_ID in squash(response.get_data(as_text=True))
    pdf = client.get(f"/saya/penilaian/{aid}/laporan.pdf")
    assert pdf.status_code == 200 and PNS_NOTE_ID in pdf_text(pdf.data)


def test_the_personal_data_export_holds_the_type(app, pppk_respondent):
    aid = submitted_assessment(app, pppk_respondent, MINI_LOW)
    with app.app_context():
        exported = export_person(db.session.get(User, pppk_respondent.id))
    assert exported["profile"]["employment_type"] == "pppk"
    assert [(a["id"], a["employment_type"]) for a in exported["assessments"]] == [(aid, "pppk")]


# -- the unit report ----------------------------------------------------------------------------

@pytest.fixture
def mixed_unit(app, tree):
    """DINAS: two PNS and one PPPK submitted (MINI_LOW, 26 JP each), one PPPK only registered."""
    version_id = published_version(app)
    people = [create_person(app, unit_code="DINAS", email=f"p{n}@contoh.go.id") for n in range(4)]
    for person in people[2:]:
        set_employment(app, person, "pppk")
    for person in people[:3]:
        submitted_assessment(app, person, MINI_LOW, version_id=version_id)
    hr = create_person(app, ("hr",), unit_code="DINAS", email="hr@contoh.go.id")
    set_employment(app, hr, "pns", language="en")
    return hr


def test_the_unit_summary_counts_the_people_assessed_by_type(app, mixed_unit):
    with app.app_context():
        dinas = unit_by_code("DINAS")
        summary = unit_reports.summarise(unit_reports.parse_filters({}, dinas))
    assert (summary.assessed, summary.assessed_pns, summary.assessed_pppk) == (3, 2, 1)
    assert summary.total.submitted_pppk == 1


def test_the_unit_report_shows_both_entitlement_lines_and_the_total(app, client, mixed_unit):
    login(client, mixed_unit.nip)
    response = client.get("/hr/report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Training hours against the entitlement" in text
    assert "People assessed 3" in text
    assert "PNS: at least 20 JP per person a year 2 × 20 JP = 40 JP" in text
    assert "PPPK: at most 24 JP per person a year 1 × 24 JP = 24 JP" in text
    assert "Entitlement of the people assessed 64 JP" in text  # 2 × 20 + 1 × 24
    with app.app_context():  # the AKPK is the year-1 plan: what each person's yearly figure holds
        from sqlalchemy import func, select

        from app.models import PlanEntry

        needed = db.session.scalar(select(func.sum(PlanEntry.jp)).where(PlanEntry.year == 1))
    assert needed < 3 * 26  # each plan of 26 JP is larger than a year holds
    assert f"JP needed for the modules above {needed}" in text
    assert f"Share of the entitlement needed {round(100 * needed / 64)}%" in text


# -- configuration ------------------------------------------------------------------------------

def test_training_entitlement_jp_still_sets_the_pns_figure():
    assert config.load_config("testing", {})["PNS_MIN_JP"] == 20
    assert config.load_config("testing", {})["PPPK_MAX_JP"] == 24
    assert config.load_config("testing", {"TRAINING_ENTITLEMENT_JP": "22"})["PNS_MIN_JP"] == 22
    both = config.load_config("testing", {"PNS_MIN_JP": "21", "TRAINING_ENTITLEMENT_JP": "22"})
    assert both["PNS_MIN_JP"] == 21
    assert "TRAINING_ENTITLEMENT_JP" not in both


# -- the migration ------------------------------------------------------------------------------

def test_the_migration_makes_everyone_so_far_pns(tmp_path):
    """Upgrading a database of 0009 with people and assessments: every person becomes a PNS, every
    submitted assessment keeps PNS (its plan was compared with 20 JP), one in progress has none."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from app import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}"})
    with app.app_context():
        upgrade(revision="0009")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO units (id, code, name, path, active, created_at) "
                                    "VALUES (1, 'U', 'Unit', '/1/', 1, '2026-01-01')"))
            connection.execute(text("INSERT INTO users (id, nip, name, email, unit_id, active, created_at) "
                                    "VALUES (1, '198001012005011001', 'Ani', 'a@x.go.id', 1, 1, '2026-01-01')"))
            connection.execute(text("INSERT INTO questionnaires (id, slug, created_at) VALUES (1, 'q', '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO questionnaire_versions (id, questionnaire_id, number, status, title, source, checksum, "
                "created_at, updated_at, lock_version) VALUES (1, 1, 1, 'published', 'Q', '', 'x', '2026-01-01', "
                "'2026-01-01', 1)"))
            for assessment_id, status in ((1, "submitted"), (2, "in_progress")):
                connection.execute(text(
                    "INSERT INTO assessments (id, user_id, version_id, unit_id, position_id, status, started_at, "
                    "updated_at, latest) VALUES (:id, 1, 1, 1, 'p', :status, '2026-01-01', '2026-01-01', 0)"),
                    {"id": assessment_id, "status": status})
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT employment_type FROM users")).scalars().all() == ["pns"]
            assert connection.execute(text("SELECT id, employment_type FROM assessments ORDER BY id")).all() == [
                (1, "pns"), (2, None)]
            connection.execute(text("INSERT INTO users (id, nip, name, email, unit_id, active, created_at) "
                                    "VALUES (2, '198001012005011002', 'Budi', 'b@x.go.id', 1, 1, '2026-01-01')"))
            assert connection.execute(text("SELECT employment_type FROM users WHERE id = 2")).scalar() == "pns"
            connection.rollback()
        downgrade(revision="0009")
        with db.engine.connect() as connection:
            columns = [row[1] for row in connection.execute(text("PRAGMA table_info(users)"))]
            assert "employment_type" not in columns
        db.engine.dispose()
