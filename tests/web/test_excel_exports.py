"""Exports people open in Excel: XLSX with typed cells, labels, a styled frozen header and
widths, one sheet per table and a workbook of all of them; who needs which module with plan
year and class; CSV with comma/point or semicolon/decimal comma; the appendix per module.

World (tests/engine/fixtures/mini.yaml): DINAS with six people at the LOW answers (plan:
m-krisis-kelas classroom, m-krisis-mentor mentoring, m-strategi-1 e-learning, m-strategi-2
classroom), named "Contoh 1, 2, 3, 10, 11, 20" and stored in shuffled order, one of them with a
formula in its name; DINAS's own price of a classroom: classes of 2."""
from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from pypdf import PdfReader

from app.engine.budget import PER_CLASS
from app.extensions import db
from app.models import ModeCost
from app.reports.appendix import build_appendix_pdf
from app.services import exports, unit_plans
from app.services import unit_reports as reports
from app.services.units import unit_by_code
from tests.factories import MINI, MINI_LOW, create_person, make_unit, make_version, submitted_assessment
from tests.pages import login

NAMES = ("Contoh 10", "Contoh 2", "=HYPERLINK(\"http://x\";\"y\")", "Contoh 20", "Contoh 1", "Contoh 11")
INJECTED = "'=HYPERLINK(\"http://x\";\"y\")"  # the piece after ";" starts with a quote, not a trigger
NATURAL = [INJECTED, "Contoh 1", "Contoh 2", "Contoh 10", "Contoh 11", "Contoh 20"]  # "=" sorts before "c"
CLASS_MODULE, ELEARNING_MODULE = "m-krisis-kelas", "m-strategi-1"


@pytest.fixture
def world(app):
    with app.app_context():
        dinas = make_unit("DINAS", "Dinas Uji")
        version_id = make_version(MINI).id
        db.session.add(ModeCost(unit_id=dinas.id, mode="classroom", cost_per=PER_CLASS, amount=10_000_000,
                                class_size=2))
        db.session.commit()
    people = [create_person(app, unit_code="DINAS", name=name, email=f"p{n}@contoh.go.id")
              for n, name in enumerate(NAMES)]
    for person in people:
        submitted_assessment(app, person, MINI_LOW, version_id=version_id)
    hr = create_person(app, ("hr",), unit_code="DINAS", name="Rina HR", email="hr@contoh.go.id")
    return {"people": people, "hr": hr}


@pytest.fixture
def hr(client, world):
    login(client, world["hr"].nip)
    client.set_cookie("swanilai_lang", "en")
    return client


def workbook(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == exports.MIMETYPES["xlsx"]
    return load_workbook(io.BytesIO(response.data))


def records(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:] if any(v is not None for v in row)]


# -- XLSX -----------------------------------------------------------------------------------------

def test_the_workbook_holds_one_sheet_per_table(hr):
    book = workbook(hr.get("/hr/export/workbook.xlsx"))
    assert book.sheetnames == ["Results", "Training needs", "Who needs which module", "Plan and budget"]
    assert book.active.title == "Results"
    assert hr.get("/hr/export/workbook.csv").status_code == 404
    for table in ("results", "needs", "module-people", "plan"):
        assert len(workbook(hr.get(f"/hr/export/{table}.xlsx")).sheetnames) == 1


def test_every_sheet_has_a_styled_frozen_header_and_widths(hr):
    book = workbook(hr.get("/hr/export/workbook.xlsx"))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        for cell in sheet[1]:
            assert cell.font.bold and cell.fill.fill_type == "solid" and cell.alignment.wrap_text, cell.coordinate
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
        assert all(6 <= width <= 60 for width in widths), (sheet.title, widths)
    results = book["Results"]
    assert results.column_dimensions["B"].width >= len("Contoh 10")  # names are wider than the minimum


def test_results_are_typed_cells_with_number_formats(hr):
    sheet = workbook(hr.get("/hr/export/results.xlsx")).active
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["NIP", "Name", "Unit", "Position", "Domain"]
    for row in sheet.iter_rows(min_row=2):
        nip, name, unit, position, domain, score, level, _level_name, target, gap, version, submitted = row
        assert isinstance(nip.value, str) and len(nip.value) == 18, "a NIP stays text (18 digits)"
        assert isinstance(score.value, (int, float)) and score.number_format == "0.00"  # 0.0 reads back as 0
        assert isinstance(level.value, int) and level.number_format == "0"
        assert isinstance(target.value, int) and isinstance(gap.value, int) and isinstance(version.value, int)
        assert isinstance(submitted.value, datetime.datetime)  # openpyxl reads a date cell back as datetime
        assert submitted.is_date and submitted.number_format == "yyyy-mm-dd"
        assert position.value == "Social media administrator" and domain.value in {"Strategy", "Crisis"}
        assert unit.value == "Dinas Uji"
    names = {row[1].value for row in sheet.iter_rows(min_row=2)}
    assert INJECTED in names and not any(n.startswith("=") for n in names)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_needs_show_labels_classes_only_for_modes_with_classes_and_the_years(hr, app):
    rows = {r["Module"]: r for r in records(workbook(hr.get("/hr/export/needs.xlsx")).active)}
    assert set(rows) == {"m-krisis-kelas", "m-krisis-mentor", "m-strategi-1", "m-strategi-2"}
    kelas, mentor, elearning = rows["m-krisis-kelas"], rows["m-krisis-mentor"], rows["m-strategi-1"]
    assert kelas["Mode"] == "Classroom" and kelas["Route"] == "Classical"
    assert mentor["Mode"] == "Mentoring" and mentor["Route"] == "Non-classical"
    assert elearning["Mode"] == "E-learning"
    assert kelas["People"] == 6 and kelas["Classes"] == 3, "DINAS's classes of 2"
    assert mentor["Classes"] is None and elearning["Classes"] is None, "no classes for these modes"
    for row in rows.values():
        assert row["People in year 1"] + row["People in later years"] == row["People"]
        assert isinstance(row["JP per person"], int) and isinstance(row["Total JP"], int)
        assert row["JP in later years"] == row["People in later years"] * row["JP per person"]


def test_who_needs_which_module_in_natural_order_with_class_numbers(hr):
    sheet = workbook(hr.get("/hr/export/module-people.xlsx")).active
    assert [c.value for c in sheet[1]] == ["Module", "Title", "Domain", "Mode", "NIP", "Name", "Unit", "Position",
                                           "Plan year", "Class"]
    rows = records(sheet)
    by_module: dict[str, list[dict]] = {}
    for row in rows:
        by_module.setdefault(row["Module"], []).append(row)
    assert set(by_module) == {"m-krisis-kelas", "m-krisis-mentor", "m-strategi-1", "m-strategi-2"}
    for module, listed in by_module.items():
        years = [row["Plan year"] for row in listed]
        assert years == sorted(years) and all(isinstance(y, int) for y in years)
        for year in set(years):
            names = [row["Name"] for row in listed if row["Plan year"] == year]
            assert names == [n for n in NATURAL if n in names], (module, year, names)
    kelas = by_module[CLASS_MODULE]
    assert kelas[0]["Title"] == "Crisis in class" and kelas[0]["Mode"] == "Classroom"
    assert kelas[0]["Domain"] == "Crisis" and kelas[0]["Position"] == "Social media administrator"
    for year in {row["Plan year"] for row in kelas}:
        numbers = [row["Class"] for row in kelas if row["Plan year"] == year]
        assert numbers == [n // 2 + 1 for n in range(len(numbers))], numbers  # classes of at most 2
    assert all(isinstance(row["Class"], int) for row in kelas)
    assert all(row["Class"] is None for row in by_module[ELEARNING_MODULE]), "e-learning has no classes"
    assert all(row["Class"] is None for row in by_module["m-krisis-mentor"])


def test_the_plan_sheet_agrees_with_the_plan_figures(hr, app, world):
    sheet = workbook(hr.get("/hr/export/plan.xlsx")).active
    rows = list(sheet.iter_rows(values_only=True))
    header, lines = rows[0], [dict(zip(rows[0], r)) for r in rows[1:] if isinstance(r[0], int)]
    assert "Funding" in header and "Unfunded cost (Rp)" in header
    with app.test_request_context():
        filters = reports.parse_filters({}, unit_by_code("DINAS"))
        summary = reports.summarise(filters)
        figures = unit_plans.figures_of(summary, filters.unit, unit_plans.current_plan(filters.round, filters.unit))
        expected = [(line.need.module_id, line.need.people, line.classes, line.cost, line.funded_people,
                     line.funded_cost) for line in figures.budget.lines]
        total = figures.budget.total
    assert [(r["Module"], r["People"], r["Classes"], r["Cost (Rp)"], r["Funded people"], r["Funded cost (Rp)"])
            for r in lines] == expected
    assert [r["Priority"] for r in lines] == list(range(1, len(lines) + 1))
    assert {r["Funding"] for r in lines} == {"Funded"}, "no ceiling: everything is funded"
    assert {r["Route"] for r in lines} <= {"Classical", "Non-classical"}
    cost = sheet.cell(row=2, column=header.index("Cost (Rp)") + 1)
    assert isinstance(cost.value, int) and cost.number_format == "#,##0"
    footer = {r[0]: r[1] for r in rows if isinstance(r[0], str)}
    assert footer["Plan status"] == "Draft" and footer["Total cost (Rp)"] == total


def test_xlsx_over_the_bound_counts_the_module_lists_and_points_to_the_csv(hr, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 10)
    for table in ("module-people", "workbook"):
        response = hr.get(f"/hr/export/{table}.xlsx")
        assert response.status_code == 400 and "CSV" in response.get_data(as_text=True), table
    assert hr.get("/hr/export/module-people.csv").status_code == 200
    assert hr.get("/hr/export/needs.xlsx").status_code == 200


def test_indonesian_labels(client, world):
    """Needs the Indonesian translations of the new texts (Klasikal, Nonklasikal)."""
    login(client, world["hr"].nip)
    client.set_cookie("swanilai_lang", "id")
    rows = list(workbook(client.get("/hr/export/needs.xlsx")).active.iter_rows(min_row=2, values_only=True))
    assert {row[3] for row in rows} == {"Klasikal", "Mentoring", "E-learning"}  # the mode
    assert {row[8] for row in rows} == {"Klasikal", "Nonklasikal"}  # the route


# -- CSV ------------------------------------------------------------------------------------------

def csv_rows(response, delimiter: str) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_csv_with_semicolons_writes_decimal_commas(hr):
    rows = csv_rows(hr.get("/hr/export/results.csv?sep=semicolon"), ";")
    assert rows[0][:3] == ["NIP", "Name", "Unit"] and all(len(row) == 12 for row in rows)
    scores = [row[5] for row in rows[1:]]
    assert all(re.fullmatch(r"\d+(,\d+)?", s) for s in scores) and any("," in s for s in scores), scores
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[11]) for row in rows[1:])
    comma = csv_rows(hr.get("/hr/export/results.csv?sep=comma"), ",")
    assert [row[5] for row in comma[1:]] == [s.replace(",", ".") for s in scores]


def test_csv_default_follows_the_browsers_language(hr):
    indonesian = hr.get("/hr/export/needs.csv", headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"})
    assert indonesian.data.decode("utf-8-sig").splitlines()[0].count(";") == 12
    english = hr.get("/hr/export/needs.csv", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert english.data.decode("utf-8-sig").splitlines()[0].count(",") == 12
    assert hr.get("/hr/export/needs.csv").data.decode("utf-8-sig").splitlines()[0].count(",") == 12
    assert hr.get("/hr/export/needs.csv?sep=tab").status_code == 400


@pytest.mark.parametrize("sep,delimiter", [("semicolon", ";"), ("comma", ",")])
def test_csv_neutralises_formulas_behind_either_separator(hr, sep, delimiter):
    response = hr.get(f"/hr/export/module-people.csv?sep={sep}")
    text = response.data.decode("utf-8-sig")
    for line in text.splitlines():
        for separator in (";", ","):
            for field in line.split(separator):
                assert not field.lstrip(' "').startswith(("=", "+", "@")), (separator, field)
    rows = csv_rows(response, delimiter)
    assert INJECTED in {row[5] for row in rows[1:]}
    classes = [row[9] for row in rows[1:] if row[0] == CLASS_MODULE]
    assert classes and all(c.isdigit() for c in classes)
    assert all(row[9] == "" for row in rows[1:] if row[0] == ELEARNING_MODULE)


def test_the_dashboard_offers_both_csv_dialects_and_the_lists(hr):
    page = hr.get("/hr/dashboard").get_data(as_text=True)
    assert "sep=semicolon" in page and "sep=comma" in page
    assert "CSV (Excel Indonesia: semicolon)" in page and "CSV (comma)" in page
    assert "/hr/export/module-people.xlsx" in page and "/hr/export/workbook.xlsx" in page
    assert f"module={CLASS_MODULE}" in page and "appendix=1" in page


# -- the appendix per module ------------------------------------------------------------------------

def pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_the_appendix_of_one_module_lists_its_people_in_order_with_classes(hr, app):
    text = pdf_text(hr.get(f"/hr/report.pdf?appendix=1&module={CLASS_MODULE}"))
    assert "Crisis in class (6 people)" in text and "Crisis mentoring" not in text
    assert "classes of at most 2 people" in text
    flat = " ".join(text.split())
    positions = [flat.index(name) for name in ("Contoh 1 ", "Contoh 2 ", "Contoh 10", "Contoh 11", "Contoh 20")]
    assert positions == sorted(positions), "natural order"
    assert re.search(r"Contoh 1 \d{18} Dinas Uji \d 1 ", flat) and re.search(r"Contoh 10 \d{18} Dinas Uji \d 2 ", flat)
    elearning = pdf_text(hr.get(f"/hr/report.pdf?module={ELEARNING_MODULE}"))
    assert "not run in classes" in elearning and "Class" not in elearning.split("Year", 1)[1][:20]
    assert hr.get("/hr/report.pdf?module=m-nope").status_code == 404
    assert hr.get("/hr/report.pdf?module=" + "x" * 300).status_code == 404


def test_a_module_heading_is_never_the_last_thing_on_a_page(app):
    """Lists of every length one after the other: each heading has rows after it on its page."""
    from tests.reports import report_app
    from tests.reports.test_unit_pdf import make_summary

    summary = make_summary()
    modules = [need.module_id for need in summary.needs]
    sizes = [3, 41, 1, 29, 2, 37, 5, 44, 1, 33, 17, 26]
    entries = [{"module_id": m, "mode": "classroom", "class_size": 30,
                "people": [{"name": f"Orang {m[-4:]} {n}", "nip": f"{n:018d}", "unit": "Unit", "year": 1,
                            "class": n // 30 + 1} for n in range(size)]}
               for m, size in zip(modules, sizes)]
    reports_app = report_app()
    with reports_app.app_context(), force_locale("en"):
        pdf = build_appendix_pdf(summary, "en", entries, generated_at=datetime.datetime(2026, 12, 2))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 5
    seen = 0
    for page in pages:
        body = page.split("Swanilai · AKPK")[0]  # the page furniture is extracted last
        for match in re.finditer(r"\((\d+)\s+(?:person|people)\)", body):
            seen += 1
            after = body[match.end():]
            assert "Name NIP Unit Year Class" in after and re.search(r"Orang \w+ \d+ \d{18}", after), body[-300:]
    assert seen == len(entries)
