from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assessment, Round, Unit, User
from app.services.clock import office_today
from tests.factories import MINI_LOW, create_person, make_unit, open_round, published_version, \
    started_assessment, submitted_assessment
from tests.pages import csrf_from, login, post_form, start_assessment

BIG = str(10**30)


@pytest.fixture
def version_id(app):
    return published_version(app)


@pytest.fixture
def units(app):
    with app.app_context():
        prov = make_unit("PROV", "Provinsi Contoh")
        dinas = make_unit("DINAS", "Dinas Contoh", prov)
        make_unit("DINAS2", "Dinas Dua", prov)
        make_unit("LAIN", "Provinsi Lain")
    return "PROV"


def unit_id(app, code):
    with app.app_context():
        return db.session.scalar(select(Unit.id).where(Unit.code == code))


def test_big_ids(app, client, units, version_id):
    hr = create_person(app, ("hr", "respondent", "admin"), unit_code="PROV")
    rid = open_round(app, "PROV", version_id=version_id)
    login(client, hr.nip)
    out = {}
    for url in [f"/hr/rounds/{BIG}", f"/admin/rounds/{BIG}", f"/hr/rounds/{BIG}/edit", f"/hr/rounds/{BIG}/close",
                f"/saya/putaran/{BIG}", f"/hr/rounds/{rid}?page={BIG}", f"/admin/rounds/{rid}?page={BIG}",
                f"/hr/dashboard?round={BIG}", f"/hr/dashboard?round=abc", f"/hr/dashboard?round=-1",
                f"/hr/people?round={BIG}", f"/hr/report.pdf?round=abc", f"/hr/export/results.csv?round=x",
                f"/saya/mulai/{BIG}", f"/saya/penilaian/{BIG}"]:
        out[url] = client.get(url).status_code
    print(out)
    assert all(code != 500 for code in out.values()), out


def test_dates_out_of_range(app, client, units, version_id):
    hr = create_person(app, ("hr",), unit_code="PROV")
    login(client, hr.nip)
    out = {}
    for opens, closes in [("0001-01-01", "9999-12-31"), ("9999-12-31", "9999-12-31"), ("2027-02-30", "2027-03-01"),
                          ("10000-01-01", "10000-02-01"), ("2027-01-01", "")]:
        r = post_form(client, "/hr/rounds/new", {"name": "X", "unit": str(unit_id(app, "PROV")),
                                                 "version": str(version_id), "opens_on": opens, "closes_on": closes})
        out[(opens, closes)] = r.status_code
    r = post_form(client, "/hr/rounds/new", {"name": "X", "unit": BIG, "version": BIG,
                                             "opens_on": "2027-01-01", "closes_on": "2027-01-02"})
    out["bigids"] = r.status_code
    print(out)
    assert all(code != 500 for code in out.values()), out


def test_sub_hr_on_province_round(app, client, units, version_id):
    rid = open_round(app, "PROV", version_id=version_id)
    create_person(app, unit_code="DINAS", name="Budi Dinas")
    create_person(app, unit_code="DINAS2", name="Sari Dinas Dua")
    create_person(app, unit_code="PROV", name="Tono Prov")
    officer = create_person(app, ("hr",), unit_code="DINAS")
    login(client, officer.nip)
    page = client.get(f"/hr/rounds/{rid}").get_data(as_text=True)
    assert "Budi Dinas" in page
    assert "Sari Dinas Dua" not in page and "Tono Prov" not in page
    assert client.get(f"/hr/rounds/{rid}/edit").status_code == 404
    assert client.get(f"/hr/rounds/{rid}/close").status_code == 404
    lst = client.get("/hr/rounds/")
    print("LIST", lst.status_code, lst.headers.get("Location"))
    nr = client.get("/hr/rounds/new"); print("NR", nr.status_code, nr.get_data(as_text=True)[-1500:])
    token = csrf_from(nr.get_data(as_text=True))
    assert client.post(f"/hr/rounds/{rid}/close", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/hr/rounds/{rid}/edit", data={"csrf_token": token, "name": "x"}).status_code == 404
    dash = client.get(f"/hr/dashboard?round={rid}")
    print("DASH", dash.status_code, "Sari" in dash.get_data(as_text=True))
    # sibling unit's hr
    other = create_person(app, ("hr",), unit_code="LAIN")
    c2 = app.test_client()
    login(c2, other.nip)
    print("lain", c2.get(f"/hr/rounds/{rid}").status_code, c2.get(f"/hr/dashboard?round={rid}").status_code)


def test_concurrent_start_sqlite(app, units, version_id, monkeypatch):
    from app.services import assessments as service
    open_round(app, "PROV", version_id=version_id)
    person = create_person(app, unit_code="DINAS")
    real = service.current_assessment
    barrier = threading.Barrier(2, timeout=5)

    def slow(user, round_):
        found = real(user, round_)
        barrier.wait()
        return found

    monkeypatch.setattr(service, "current_assessment", slow)
    errors = []

    def run():
        try:
            with app.app_context():
                user = db.session.get(User, person.id)
                from app.models import QuestionnaireVersion
                service.start(user, db.session.get(QuestionnaireVersion, version_id), "admin-medsos")
                db.session.commit()
        except Exception as e:  # noqa
            errors.append(repr(e))

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Assessment))
    print("errors", errors, "assessments", n)
    assert n == 1


def test_edit_closes_on_to_past(app, client, units, version_id):
    hr = create_person(app, ("hr",), unit_code="PROV")
    rid = open_round(app, "PROV", version_id=version_id)
    login(client, hr.nip)
    y = office_today() - timedelta(days=1)
    r = post_form(client, f"/hr/rounds/{rid}/edit", {"name": "AKPK 2027", "unit": str(unit_id(app, "PROV")),
                                                    "version": str(version_id),
                                                    "opens_on": (y - timedelta(days=5)).isoformat(),
                                                    "closes_on": y.isoformat()})
    print("edit to past", r.status_code)
    with app.app_context():
        rd = db.session.get(Round, rid)
        print(rd.closes_on, rd.closed_at)


def test_retired_version_round(app, client, units, version_id):
    from app.services import drafts
    from app.models import QuestionnaireVersion
    rid = open_round(app, "PROV", version_id=version_id)
    person = create_person(app, unit_code="DINAS")
    with app.app_context():
        drafts.retire(db.session.get(QuestionnaireVersion, version_id), actor_id=None)
        db.session.commit()
    login(client, person.nip)
    home = client.get("/saya/").get_data(as_text=True)
    print("start link on home:", f"/saya/mulai/{version_id}" in home)
    r = client.get(f"/saya/putaran/{rid}")
    print("entry", r.status_code, r.headers.get("Location"))
    print("start", client.get(f"/saya/mulai/{version_id}").status_code)


def test_detail_title(app, client, units, version_id):
    hr = create_person(app, ("hr",), unit_code="PROV")
    rid = open_round(app, "PROV", version_id=version_id)
    login(client, hr.nip)
    page = client.get(f"/hr/rounds/{rid}").get_data(as_text=True)
    start = page.index("<title>")
    print(page[start:page.index("</title>") + 8])


def test_new_page_for_dinas(app, client, units, version_id):
    officer = create_person(app, ("hr",), unit_code="DINAS")
    login(client, officer.nip)
    for _ in range(3):
        r = client.get("/hr/rounds/new")
        print("NEW", r.status_code, r.headers.get("Location"))
    r = client.get("/hr/rounds/999/edit")
    print("E", r.status_code)
    r = client.get("/hr/rounds/new")
    print("NEW2", r.status_code, r.headers.get("Location"), r.get_data(as_text=True)[:300])
