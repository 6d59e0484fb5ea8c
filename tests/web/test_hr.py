"""HR: scope, every dashboard and export number against a hand computation, formula injection,
the streamed ZIP, the unit report and the command line.

Fixture (questionnaire tests/engine/fixtures/mini.yaml; see tests/engine/test_golden.py):
  PROV ─┬─ DINAS_A ── SEKSI_A1          HR user sits in DINAS_A (scope: DINAS_A, SEKSI_A1)
        └─ DINAS_B
  A1 SEKSI_A1 admin-medsos LOW     strategi L1 (target 3, gap 2) krisis L1 (target 4, gap 3)
        plan: m-krisis-kelas 8, m-krisis-mentor 6, m-strategi-1 4, m-strategi-2 8 = 26 JP
  A2 DINAS_A  pimpinan     HIGH    strategi L4 (target 2, gap 0) krisis L4 (target 2, gap 0), plan 0 JP
  A3 DINAS_A  admin-medsos GOLDEN  strategi L3 (gap 0)           krisis L2 (capped; gap 2)
        plan: m-krisis-coaching 6, m-krisis-mentor 6 = 12 JP
  A4 SEKSI_A1 started, not submitted;  A5 SEKSI_A1 not started;  B1 DINAS_B admin-medsos LOW (outside)
Hand computation for DINAS_A: registered 5, started 4, submitted 3; SEKSI_A1 row: 3 / 2 / 1.
  levels strategi {1: 1, 3: 1, 4: 1}, krisis {1: 1, 2: 1, 4: 1}
  below target: strategi 1/3, krisis 2/3
  heat (admin-medsos, strategi) 1/2, (admin-medsos, krisis) 2/2, (pimpinan, *) 0/1
  needs: m-krisis-mentor 2 people 12 JP; m-krisis-kelas 1/8; m-krisis-coaching 1/6; m-strategi-1 1/4;
         m-strategi-2 1/8; total 38 JP
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from flask_babel import gettext

from app.extensions import db
from app.models import AuditEvent, User
from app.services import unit_reports as reports
from app.services.units import unit_by_code
from tests.factories import MINI, create_person, make_unit, make_version, started_assessment, submitted_assessment
from tests.pages import login

LOW = {"strategi-rencana": 1, "strategi-kanal": "a", "strategi-tanda": ["c"], "krisis-pantau": 1, "krisis-hoaks": "a"}
HIGH = {"strategi-rencana": 4, "strategi-kanal": "c", "strategi-tanda": ["a", "b"], "krisis-pantau": 5,
        "krisis-hoaks": "b"}
GOLDEN = {"strategi-rencana": 3, "strategi-kanal": "c", "strategi-tanda": ["a", "b", "c"], "krisis-pantau": 5,
          "krisis-hoaks": "c", "krisis-tim": 2}


def take(app, person, version_id, position, answers, submit=True) -> int:
    if submit:
        return submitted_assessment(app, person, answers, version_id=version_id, position=position)
    return started_assessment(app, person, answers, version_id=version_id, position=position)


@pytest.fixture
def world(app):
    with app.app_context():
        prov = make_unit("PROV", "Provinsi")
        dinas_a = make_unit("DINAS_A", "Dinas A", prov)
        make_unit("SEKSI_A1", "Seksi A1", dinas_a)
        make_unit("DINAS_B", "Dinas B", prov)
        version_id = make_version(MINI).id
    people = {
        "A1": create_person(app, unit_code="SEKSI_A1", name="=HYPERLINK(\"http://x\")", email="a1@contoh.go.id"),
        "A2": create_person(app, unit_code="DINAS_A", name="Budi Dua", email="a2@contoh.go.id"),
        "A3": create_person(app, unit_code="DINAS_A", name="Citra <b>Tiga</b>", email="a3@contoh.go.id"),
        "A4": create_person(app, unit_code="SEKSI_A1", name="Dedi Empat", email="a4@contoh.go.id"),
        "A5": create_person(app, unit_code="SEKSI_A1", name="Eka Lima", email="a5@contoh.go.id"),
        "B1": create_person(app, unit_code="DINAS_B", name="Orang Luar", email="b1@contoh.go.id"),
        "HR": create_person(app, ("hr",), unit_code="DINAS_A", name="Rina HR", email="hr@contoh.go.id"),
    }
    ids = {
        "A1": take(app, people["A1"], version_id, "admin-medsos", LOW),
        "A2": take(app, people["A2"], version_id, "pimpinan", HIGH),
        "A3": take(app, people["A3"], version_id, "admin-medsos", GOLDEN),
        "A4": take(app, people["A4"], version_id, "pimpinan", {"krisis-pantau": 2}, submit=False),
        "B1": take(app, people["B1"], version_id, "admin-medsos", LOW),
    }
    with app.app_context():
        units = {code: unit_by_code(code).id for code in ("PROV", "DINAS_A", "SEKSI_A1", "DINAS_B")}
    return {"people": people, "assessments": ids, "units": units, "version_id": version_id}


@pytest.fixture
def hr(app, client, world):
    login(client, world["people"]["HR"].nip)
    return client


def summary_for(app, world, **args):
    with app.app_context():
        scope = unit_by_code("DINAS_A")
        return reports.summarise(reports.parse_filters(args, scope))


def test_summary_equals_the_hand_computation(app, world):
    summary = summary_for(app, world)
    assert (summary.total.registered, summary.total.started, summary.total.submitted) == (5, 4, 3)
    seksi = next(row for row in summary.sub_units if row.unit.code == "SEKSI_A1")
    assert (seksi.registered, seksi.started, seksi.submitted) == (3, 2, 1)
    direct = summary.sub_units[0]  # the people in Dinas A itself, not in a sub-unit: the rows add up
    with app.app_context():
        directly = gettext("%(unit)s (directly)", unit="Dinas A")
    assert direct.unit.name == directly and (direct.registered, direct.started, direct.submitted) == (2, 2, 2)
    assert [sum(getattr(row, key) for row in summary.sub_units) for key in ("registered", "started", "submitted")] \
        == [5, 4, 3]
    assert dict(summary.levels["strategi"].counts) == {1: 1, 2: 0, 3: 1, 4: 1}
    assert dict(summary.levels["krisis"].counts) == {1: 1, 2: 1, 3: 0, 4: 1}
    assert summary.below == pytest.approx({"strategi": 1 / 3, "krisis": 2 / 3})
    assert summary.heat[("admin-medsos", "strategi")] == (1, 2)
    assert summary.heat[("admin-medsos", "krisis")] == (2, 2)
    assert summary.heat[("pimpinan", "strategi")] == (0, 1)
    needs = {need.module_id: (need.headcount, need.total_jp) for need in summary.needs}
    assert needs == {"m-krisis-mentor": (2, 12), "m-krisis-kelas": (1, 8), "m-krisis-coaching": (1, 6),
                     "m-strategi-1": (1, 4), "m-strategi-2": (1, 8)}
    assert summary.needs[0].module_id == "m-krisis-mentor"
    assert summary.total_jp == 38


def test_filters_change_every_number(app, world):
    summary = summary_for(app, world, position="pimpinan")
    assert summary.total.submitted == 1 and summary.below == {"strategi": 0.0, "krisis": 0.0}
    assert summary.needs == ()
    seksi = summary_for(app, world, unit=str(world["units"]["SEKSI_A1"]))
    assert seksi.total.submitted == 1 and dict(seksi.levels["krisis"].counts) == {1: 1, 2: 0, 3: 0, 4: 0}
    future = summary_for(app, world, **{"from": "2999-01-01"})
    assert future.total.submitted == 0 and future.model is None


def test_a_person_is_counted_once_with_the_latest_result(app, world):
    take(app, world["people"]["A1"], world["version_id"], "admin-medsos", HIGH)
    summary = summary_for(app, world)
    assert summary.total.submitted == 3
    assert dict(summary.levels["strategi"].counts) == {1: 0, 2: 0, 3: 1, 4: 2}


def test_results_stay_with_the_unit_and_position_of_the_assessment(app, world):
    """Result rows carry their assessment's unit and position; a person who moves later is
    still counted where (and as what) they were assessed."""
    with app.app_context():
        from app.models import Assessment, DomainResult, PlanEntry

        person = db.session.get(User, world["people"]["A1"].id)
        person.unit, person.position_id = unit_by_code("DINAS_B"), "pimpinan"
        db.session.commit()
        assessment = db.session.get(Assessment, world["assessments"]["A1"])
        rows = db.session.execute(select(DomainResult.unit_id, DomainResult.position_id)
                                  .where(DomainResult.assessment_id == assessment.id)).all()
        assert set(rows) == {(world["units"]["SEKSI_A1"], "admin-medsos")}
        assert set(db.session.scalars(select(PlanEntry.unit_id).where(PlanEntry.assessment_id == assessment.id))) \
            == {world["units"]["SEKSI_A1"]}
    seksi = summary_for(app, world, unit=str(world["units"]["SEKSI_A1"]))
    assert seksi.total.submitted == 1 and seksi.heat[("admin-medsos", "krisis")] == (1, 1)
    assert {need.module_id for need in seksi.needs} == {"m-krisis-kelas", "m-krisis-mentor", "m-strategi-1",
                                                        "m-strategi-2"}


def test_dashboard_page_shows_the_numbers_and_a_chart(hr):
    page = hr.get("/hr/dashboard").get_data(as_text=True)
    assert "3 dari 5 orang sudah mengirim (4 sudah mulai)" in page
    assert "<svg" in page and "Seksi A1" in page and "Dinas B" not in page
    assert "Mentoring krisis" in page and "33%" in page and "67%" in page


def test_people_list_status_sort_and_search(hr, world):
    page = hr.get("/hr/people?sort=status&dir=desc").get_data(as_text=True)
    assert "Orang Luar" not in page
    assert page.index("Budi Dua") < page.index("Dedi Empat") < page.index("Eka Lima")
    assert "Citra &lt;b&gt;Tiga&lt;/b&gt;" in page
    found = hr.get("/hr/people?q=budi").get_data(as_text=True)
    assert "Budi Dua" in found and "Eka Lima" not in found


@pytest.mark.parametrize("query", ["sort=password", "sort=name;DROP TABLE users", "dir=sideways", "page=-1",
                                   "page=abc", "from=2026-13-01", "to=kemarin", "version=abc", "version=99999",
                                   "from=2026-02-01&to=2026-01-01", "unit=abc"])
def test_malformed_filters_get_400_with_a_message(hr, query):
    for path in ("/hr/people", "/hr/dashboard", "/hr/export/results.csv", "/hr/report.pdf", "/hr/people.zip"):
        if "sort" in query or "dir" in query or "page" in query:
            if path != "/hr/people":
                continue
        response = hr.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query, response.status_code)
        assert "Traceback" not in response.get_data(as_text=True)


def test_hr_routes_refuse_everything_outside_scope(app, hr, world):
    """Every HR route from the URL map, with another unit's ids or unit filter, answers 404."""
    outside_unit = world["units"]["DINAS_B"]
    sample = {"assessment_id": world["assessments"]["B1"], "user_id": world["people"]["B1"].id,
              "active": 0, "table": "results", "fmt": "csv"}
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(("hr.", "hr_people.")) or "GET" not in rule.methods:
            continue
        if rule.endpoint in ("hr.home", "hr_people.index", "hr_people.new", "hr_people.import_people",
                             "hr_people.invitations_download", "hr.corrections"):
            continue  # pages of the person's own scope that take no unit or id
        url = rule.build({arg: sample[arg] for arg in rule.arguments}, append_unknown=False)[1]
        by_id = {"assessment_id", "user_id"} & set(rule.arguments)
        response = hr.get(url if by_id else f"{url}?unit={outside_unit}")
        assert response.status_code == 404, (url, response.status_code)
        checked += 1
    assert checked >= 7
    parent = world["units"]["PROV"]
    assert hr.get(f"/hr/dashboard?unit={parent}").status_code == 404, "the unit above is outside the scope too"


def test_zip_holds_one_valid_pdf_per_person_and_ignores_outside_ids(app, hr, world):
    response = hr.get("/hr/people.zip")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert len(names) == 3
    for name in names:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read(name))).pages)
        assert "Laporan Kesenjangan Kompetensi" in text
    ids = world["assessments"]
    people = world["people"]
    assert sorted(names) == sorted([f"{people['A1'].nip}_HYPERLINK_http_x.pdf", f"{people['A2'].nip}_Budi_Dua.pdf",
                                    f"{people['A3'].nip}_Citra_b_Tiga_b.pdf"])
    selected = hr.get(f"/hr/people.zip?ids={ids['A2']}&ids={ids['B1']}")
    assert zipfile.ZipFile(io.BytesIO(selected.data)).namelist() == [f"{people['A2'].nip}_Budi_Dua.pdf"]


def test_person_result_and_pdf_read_only(hr, world):
    aid = world["assessments"]["A3"]
    page = hr.get(f"/hr/assessments/{aid}").get_data(as_text=True)
    assert "Coaching krisis" in page and "<svg" in page
    pdf = hr.get(f"/hr/assessments/{aid}/laporan.pdf")
    assert pdf.status_code == 200
    assert hr.get(f"/hr/assessments/{world['assessments']['A4']}").status_code == 404, "not submitted yet"


def test_csv_export_numbers_and_formula_injection(hr, world):
    response = hr.get("/hr/export/results.csv")
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf") and response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["NIP", "Nama", "Unit kerja"]
    assert len(rows) == 1 + 3 * 2
    injected = [row for row in rows if "HYPERLINK" in row[1]]
    assert injected and all(row[1].startswith("'=") for row in injected)
    gaps = sorted((row[1], row[4], row[9]) for row in rows[1:])
    assert ("Budi Dua", "Strategi", "0") in gaps and ("'=HYPERLINK(\"http://x\")", "Krisis", "3") in gaps


def test_xlsx_export_keeps_numbers_and_neutralises_formulas(hr):
    response = hr.get("/hr/export/results.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    names = [row[1] for row in rows[1:]]
    assert all(not str(name).startswith("=") for name in names)
    assert any(str(name).startswith("'=") for name in names)
    assert all(isinstance(row[6], int) for row in rows[1:] if row[6] is not None)
    assert all(isinstance(row[5], (int, float)) for row in rows[1:] if row[5] is not None)


def test_training_needs_export(hr):
    rows = list(csv.reader(io.StringIO(hr.get("/hr/export/needs.csv").data.decode("utf-8-sig"))))
    first = rows[1]
    assert first[0] == "m-krisis-mentor" and first[5] == "2" and first[6] == "12"
    assert first[7] == ""  # mentoring is not run in classes


def test_unit_report_pdf_reads_back(app, hr, world):
    response = hr.get("/hr/report.pdf")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Dinas A" in text and "Strategi" in text and "Krisis" in text and "Mentoring krisis" in text
    assert "Orang Luar" not in text
    with_names = hr.get("/hr/report.pdf?appendix=1")
    names_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(with_names.data)).pages)
    assert "Budi Dua" not in names_text and "Citra <b>Tiga</b>" in names_text.replace("\n", " ")


def test_an_empty_unit_gets_a_report_that_says_so(app, hr, world):
    with app.app_context():
        make_unit("SEKSI_A2", "Seksi Kosong", unit_by_code("DINAS_A"))
        empty = unit_by_code("SEKSI_A2").id
    assert hr.get(f"/hr/dashboard?unit={empty}").status_code == 200
    response = hr.get(f"/hr/report.pdf?unit={empty}")
    assert response.status_code == 200
    assert PdfReader(io.BytesIO(response.data)).pages


def test_downloads_are_audited_with_filters(app, hr, world):
    hr.get("/hr/export/needs.xlsx?position=admin-medsos")
    hr.get("/hr/report.pdf?appendix=1")
    hr.get("/hr/people.zip")
    with app.app_context():
        events = {e.action: e for e in db.session.scalars(select(AuditEvent))}
    assert events["export.needs"].details["position"] == "admin-medsos"
    assert events["report.unit"].details["appendix"] is True
    assert events["report.zip"].details["count"] == 3


def test_command_line_report_and_export(app, world, tmp_path):
    runner = app.test_cli_runner()
    pdf = tmp_path / "akpk.pdf"
    result = runner.invoke(args=["report", "unit", "DINAS_A", "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    assert "Mentoring krisis" in "".join(page.extract_text() for page in PdfReader(pdf).pages)
    out = tmp_path / "hasil.csv"
    result = runner.invoke(args=["export", "unit", "DINAS_A", "--format", "csv", "-o", str(out),
                                 "--position", "pimpinan"])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8-sig").strip().splitlines()) == 1 + 2
    xlsx = tmp_path / "kebutuhan.xlsx"
    assert runner.invoke(args=["export", "unit", "DINAS_A", "--format", "xlsx", "--table", "needs",
                               "-o", str(xlsx)]).exit_code == 0
    assert load_workbook(xlsx).active.max_row == 1 + 5
    bad = runner.invoke(args=["report", "unit", "NOPE", "-o", str(pdf)])
    assert bad.exit_code != 0 and "NOPE" in bad.output
    bad_date = runner.invoke(args=["export", "unit", "DINAS_A", "--format", "csv", "-o", str(out), "--from", "x"])
    assert bad_date.exit_code != 0
