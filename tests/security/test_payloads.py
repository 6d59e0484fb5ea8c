"""Hostile text pushed through every text a person can set, and checked where it comes out.

The payloads go into person names (admin form, CSV import), unit names (admin form),
questionnaire texts (title, domain names, item, anchor and option texts, cap reasons, module titles
and providers, position names, level names: published with `import_published` and uploaded as a
trainer draft), the respondent's free-text answers, and search / sort / filter parameters.
They must come out:

- in HTML escaped, never as markup (no injected element, event attribute or javascript: link);
- in the own-data JSON as the same text, with an application/json content type;
- in PDFs printed literally (ReportLab reads paragraph text as markup: escaping matters there too);
- in CSV/XLSX with every formula-like text cell neutralised by a leading quote, numbers as numbers;
- never in a Content-Disposition header (file names are ASCII letters, digits, dot, dash, underscore).

To stay fast, one questionnaire carries every payload in every kind of place (sixteen domains,
positions and modules, one per payload), sixteen people and units carry one payload each, and two
more people carry all payloads in their name (so two PDFs show every payload as a name).

Normalisations the application applies on purpose, which the checks take into account: names are
stripped of surrounding white space (the leading tab / carriage return goes), and a name with a
control or invisible character inside (the CR/LF payload) is refused by the forms and the import;
the people and units of the export world are stored directly, as data from before that rule would
be. Free-text answers have their line breaks stored as "\\n". Export cells are neutralised at the
start of every piece a spreadsheet may split off (after "," ";" and line breaks).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
import yaml
from markupsafe import escape
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, inspect, select

from app.extensions import db
from app.models import QuestionnaireVersion, Unit, User
from app.services.csv_files import FORMULA_PREFIXES, safe_cell
from app.services.questionnaires import import_published
from app.services.validation import name_problem
from tests.factories import (
    MAX_BYTES, MINI, create_person, make_assessment, make_unit, make_user, make_version, published_version,
)
from tests.pages import csrf_from, login, post_form

pytestmark = pytest.mark.slow  # a sweep of every page, PDF and export, some 15 s: `make test` only

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    '<img src="/etc/passwd"/>',
    "<b>unclosed bold",
    "<para>unclosed para",
    "&amp; & <",
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tleading tab",
    "\rleading return",
    "'; DROP TABLE users; --",
    "a\r\nSet-Cookie: x=1",
    "a\"b'c",
)
N = len(PAYLOADS)
SQL = "'; DROP TABLE users; --"
FORMULA_PAYLOADS = tuple(p for p in PAYLOADS if p.startswith(FORMULA_PREFIXES))
NAME_PAYLOADS = tuple(p for p in PAYLOADS if name_problem(p) is None)  # the forms refuse the others
CELL_BREAKS = re.compile(r"[,;\r\n]")
JOINED = (" ".join(PAYLOADS[:8]), " ".join(PAYLOADS[8:]))  # every payload in a name (max. 200 characters)
SAFE_DISPOSITION = re.compile(r'attachment; filename="[A-Za-z0-9._-]+"')
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- what the application stores for a typed text ------------------------------------------

def as_name(payload: str) -> str:
    """Names (people, units) are stripped of surrounding white space."""
    return payload.strip()


def as_answer(payload: str) -> str:
    """Free-text answers keep their text; line breaks are stored as "\\n"."""
    return payload.replace("\r\n", "\n").replace("\r", "\n")


def neutralised(text: str) -> str:
    """How an export cell must hold a text: every piece a spreadsheet may split off ("," ";" line
    breaks) that starts with a formula trigger has a single quote before it (see
    `assert_no_formula_cells` for the independent check of that)."""
    return safe_cell(text)


def squeezed(text: str) -> str:
    """Text without any white space: PDF extraction breaks lines (even inside long words), and a
    tab or carriage return prints as space."""
    return "".join(text.split())


# -- checks --------------------------------------------------------------------------------

class MarkupScan(HTMLParser):
    """Every element and attribute a browser would build from the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): value or "" for name, value in attrs}
        if tag in ("b", "para") or (tag == "img" and attributes.get("src") in ("x", "/etc/passwd")):
            self.problems.append(f"injected <{tag} {attributes}>")
        if tag == "script" and "src" not in attributes:
            self.problems.append("inline <script>")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.problems.append(f"event attribute {name}={value!r} on <{tag}>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in {name} of <{tag}>")

    handle_startendtag = handle_starttag


def assert_safe_html(page: str, *, shown=(), where: str = "") -> None:
    """No payload is markup on the page; the texts in `shown` are there, HTML-escaped."""
    for payload in PAYLOADS:
        if set(payload) & set("<>&"):
            assert payload not in page, f"{where}: unescaped {payload!r}"
        elif set(payload) & set("\"'"):
            # A quote is harmless in element text (the inline SVG charts keep it) but must never
            # be raw inside a tag, where it would end an attribute value.
            for found in re.finditer(re.escape(payload), page):
                inside_tag = page.rfind("<", 0, found.start()) > page.rfind(">", 0, found.start())
                assert not inside_tag, f"{where}: unescaped {payload!r} inside a tag"
    scan = MarkupScan()
    scan.feed(page)
    scan.close()
    assert not scan.problems, f"{where}: {scan.problems}"
    for text in shown:
        assert str(escape(text)) in page, f"{where}: {text!r} is not on the page (escaped)"


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response.mimetype == "text/html", url
    return response.get_data(as_text=True)


def assert_download(response, mimetype: str) -> None:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == mimetype
    disposition = response.headers["Content-Disposition"]
    assert SAFE_DISPOSITION.fullmatch(disposition), disposition
    assert response.headers["Cache-Control"] == "no-store"


def pdf_text(response) -> str:
    assert_download(response, "application/pdf")
    return squeezed("".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages))


def assert_printed(text: str, wanted, where: str) -> None:
    for value in wanted:
        assert squeezed(value) in text, f"{where}: {value!r} is not printed literally"


def assert_no_formula_cells(rows, where: str) -> None:
    """No cell, and no piece of a cell after a "," ";" or line break (as a spreadsheet in either
    locale may split it), starts with a formula trigger once spaces and a quote are skipped."""
    for row in rows:
        for cell in row:
            if isinstance(cell, str):
                assert not cell.startswith(FORMULA_PREFIXES), f"{where}: formula-like cell {cell!r}"
                for piece in CELL_BREAKS.split(cell):
                    assert not piece.lstrip(' "').startswith(FORMULA_PREFIXES), f"{where}: formula in {cell!r}"


def csv_rows(response) -> list[list[str]]:
    assert_download(response, "text/csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))
    assert_no_formula_cells(rows, response.request.path)
    return rows


def xlsx_rows(response) -> list[tuple]:
    assert_download(response, XLSX)
    sheet = load_workbook(io.BytesIO(response.data)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"formula in {cell.coordinate}: {cell.value!r}"
    rows = [tuple(line_breaks(v) for v in row) for row in sheet.iter_rows(values_only=True)]
    assert_no_formula_cells(rows, response.request.path)
    return rows


def line_breaks(value):
    """XML (and so XLSX) reads a carriage return back as a line feed."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


# -- one questionnaire with every payload in every kind of place ------------------------------

def tagged(i: int, tag: str) -> str:
    """Payload i followed by a tag that tells the places apart."""
    return f"{PAYLOADS[i]} #{tag}"


def bilingual(text: str) -> dict:
    return {"id": text, "en": text}


def shifted(i: int, by: int, tag: str) -> str:
    return tagged((i + by) % N, tag)


# Domain i, position i and module i carry payload i; the texts inside a domain carry the other
# payloads in turn, so that one domain's page shows every payload.
T = SimpleNamespace(
    title=" ".join(PAYLOADS),  # 275 characters: titles are stored in a column of 300
    level=[tagged(7 + n, f"L{n + 1}") for n in range(4)],  # formula payloads: level names reach the exports
    reason=[tagged(i, "r") for i in range(N)],
    domain=[tagged(i, "d") for i in range(N)],
    rating=[tagged(i, "i") for i in range(N)],
    anchor=[[shifted(i, 1 + k, f"a{k}") for k in range(4)] for i in range(N)],
    choice=[shifted(i, 5, "c") for i in range(N)],
    option=[[shifted(i, 6, "oa"), shifted(i, 7, "ob")] for i in range(N)],
    comment=[shifted(i, 8, "k") for i in range(N)],
    description=[shifted(i, 9, "dd") for i in range(N)],
    descriptor=[[shifted(i, 10 + n, f"ld{n}") for n in range(4)] for i in range(N)],
    example=[[shifted(i, 14 + n, f"le{n}") for n in range(4)] for i in range(N)],
    position=[tagged(i, "p") for i in range(N)],
    module=[tagged(i, "m") for i in range(N)],
    provider=[tagged(i, "v") for i in range(N)],
)


def domain_texts(i: int) -> list[str]:
    """What a page of domain i shows (every payload is among them)."""
    return [T.domain[i], T.rating[i], *T.anchor[i], T.choice[i], *T.option[i], T.comment[i]]


def payload_source(slug: str = "muatan") -> str:
    """The questionnaire as YAML; domain i, position i and module i carry payload i."""
    document = {
        "format": 1, "id": slug, "title": bilingual(T.title), "description": bilingual(T.title),
        "scale": [{"level": n + 1, "name": bilingual(T.level[n]), "descriptor": bilingual(tagged(n, f"s{n}"))}
                  for n in range(4)],
        "scoring": {"combine": "weighted_mean", "thresholds": [40, 60, 80], "min_answered": 0.5,
                    "caps": [{"item": f"d{i}-pilih", "below": 0.5, "max_level": 2, "reason": bilingual(T.reason[i])}
                             for i in range(N)]},
        "domains": [{
            "id": f"d{i}", "name": bilingual(T.domain[i]), "description": bilingual(T.description[i]),
            "levels": [{"descriptor": bilingual(T.descriptor[i][n]), "example": bilingual(T.example[i][n])}
                       for n in range(4)],
            "items": [
                {"id": f"d{i}-nilai", "type": "rating", "text": bilingual(T.rating[i]),
                 "anchors": [bilingual(a) for a in T.anchor[i]]},
                {"id": f"d{i}-pilih", "type": "choice", "text": bilingual(T.choice[i]),
                 "options": [{"id": "a", "text": bilingual(T.option[i][0]), "score": 0},
                             {"id": "b", "text": bilingual(T.option[i][1]), "score": 2}]},
                {"id": f"d{i}-komentar", "type": "text", "text": bilingual(T.comment[i]), "max_length": 200,
                 "required": False},
            ]} for i in range(N)],
        "positions": [{"id": f"jabatan-{i}", "name": bilingual(T.position[i]),
                       "targets": {f"d{j}": 3 for j in range(N)}} for i in range(N)],
        "modules": [{"id": f"m-{i}", "title": bilingual(T.module[i]), "domain": f"d{i}", "from_level": 1,
                     "to_level": 3, "jp": 4, "mode": "classroom", "provider": T.provider[i]} for i in range(N)],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def answers(low_domains, comment: str | list[str]) -> dict:
    """Lowest answers (level 1, capped, gap 2: module i needed) in `low_domains`, full marks elsewhere."""
    result = {}
    for i in range(N):
        low = i in low_domains
        result[f"d{i}-nilai"] = 1 if low else 4
        result[f"d{i}-pilih"] = "a" if low else "b"
        result[f"d{i}-komentar"] = comment if isinstance(comment, str) else comment[i]
    return result


def form_of(values: dict) -> dict:
    """Answers as a browser posts them."""
    return {key: str(value) for key, value in values.items()}


def result_texts(person) -> list[str]:
    """Questionnaire texts the result of `person` shows (web page and PDF)."""
    return [T.title, T.position[person.position], *T.domain, T.level[2]] + \
        [text for i in person.low for text in (T.module[i], T.provider[i], T.reason[i])]


# -- the world: units, people, the published questionnaire ---------------------------------------

@dataclass
class Person:
    key: str
    name: str          # as stored
    position: int
    low: tuple         # domains answered lowest
    comments: list     # free-text answer per domain, as typed
    id: int = 0
    nip: str = ""
    assessment_id: int | None = None


def people() -> list[Person]:
    """P0…P15: name, unit and position carry payload i, lowest answers in domain i.
    A and B: all payloads in their name and unit name, lowest answers everywhere."""
    single = [Person(f"P{i}", as_name(p), i, (i,), [p] * N) for i, p in enumerate(PAYLOADS)]
    return single + [Person("A", JOINED[0], 0, tuple(range(N)), list(PAYLOADS)),
                     Person("B", JOINED[1], 1, tuple(range(N)), list(PAYLOADS))]


def stored_unit(code: str, name: str, parent: Unit) -> Unit:
    """A unit written directly, as the database may hold one from before the name rule (some
    payload names carry control characters, which `create_unit` now refuses)."""
    unit = Unit(code=code, name=name, parent=parent, path="/")
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path}{unit.id}/"
    db.session.commit()
    return unit


def build_world(app, *, submit_all: bool = True):
    """The people above in units named like them under PROV, and an HR person over PROV. Every
    person has a submitted assessment, except A when `submit_all` is false (A answers through
    the forms)."""
    everyone = people()
    with app.app_context():
        version = make_version(payload_source())
        prov = make_unit("PROV", "Provinsi Uji")
        for n, person in enumerate(everyone):
            unit = stored_unit(f"U{n}", person.name, prov)
            user = make_user(unit, ("respondent",), name=person.name, email=f"{person.key.lower()}@contoh.go.id")
            user.position_id = f"jabatan-{person.position}"
            person.id, person.nip = user.id, user.nip
            db.session.commit()
            if submit_all or person.key != "A":
                person.assessment_id = make_assessment(user, version, user.position_id,
                                                       answers(person.low, person.comments), submit=True).id
        version_id = version.id
    hr = create_person(app, ("hr",), unit_code="PROV", name="Petugas HR", email="hr@contoh.go.id")
    return SimpleNamespace(people={p.key: p for p in everyone}, version_id=version_id, hr=hr)


def signed_in(app, nip: str):
    client = app.test_client()
    assert login(client, nip).status_code == 302, "sign-in failed"
    return client


# -- the respondent: answer forms, pages, JSON, PDF ----------------------------------------------

def answer_through_the_forms(client, version_id: int, person: Person) -> int:
    page = html_of(client, f"/saya/mulai/{version_id}")
    assert_safe_html(page, shown=[T.title, *T.position], where="start page")
    response = client.post(f"/saya/mulai/{version_id}", data={
        "position": f"jabatan-{person.position}", "consent": "y", "csrf_token": csrf_from(page)})
    aid = int(response.headers["Location"].split("/penilaian/")[1].split("/")[0])
    typed = answers(person.low, person.comments)
    token = csrf_from(page)
    for i in range(N):
        url = f"/saya/penilaian/{aid}/domain/d{i}"
        fields = form_of({key: value for key, value in typed.items() if key.startswith(f"d{i}-")})
        saved = client.post(url, data={**fields, "action": "stay", "csrf_token": token})
        assert saved.status_code == 302, (i, saved.status_code)
        page = html_of(client, url)
        assert_safe_html(page, shown=[*domain_texts(i), as_answer(PAYLOADS[i])], where=f"domain page {i}")
    review = html_of(client, f"/saya/penilaian/{aid}/kirim")
    assert_safe_html(review, shown=T.domain, where="review")
    submitted = client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": csrf_from(review)})
    assert submitted.status_code == 302 and submitted.headers["Location"].endswith("/hasil")
    return aid


def check_own_data(client, person: Person, unit_name: str) -> None:
    response = client.get("/saya/data-saya.json")
    assert_download(response, "application/json")
    data = json.loads(response.data)
    assert data["profile"]["name"] == person.name and data["profile"]["unit"] == unit_name
    stored = data["assessments"][0]["answers"]
    for i in range(N):
        assert stored[f"d{i}-komentar"] == as_answer(person.comments[i])
        if person.comments[i] == as_answer(person.comments[i]):
            assert stored[f"d{i}-komentar"] == person.comments[i], "exactly the typed text"


def test_respondent_pages_json_and_pdf_show_payloads_as_text(app):
    world = build_world(app, submit_all=False)
    a = world.people["A"]
    client = signed_in(app, a.nip)
    assert_safe_html(html_of(client, "/saya/"), shown=[T.title], where="respondent home")
    aid = answer_through_the_forms(client, world.version_id, a)
    assert_safe_html(html_of(client, f"/saya/penilaian/{aid}/hasil"), shown=result_texts(a), where="result A")
    check_own_data(client, a, a.name)
    assert_printed(pdf_text(client.get(f"/saya/penilaian/{aid}/laporan.pdf?lampiran=1")),
                   [a.name, *result_texts(a), *T.rating, *T.choice, *T.comment, *(o[0] for o in T.option),
                    *(as_answer(p) for p in PAYLOADS)], where="personal PDF of A")

    b = world.people["B"]
    client = signed_in(app, b.nip)
    assert_safe_html(html_of(client, f"/saya/penilaian/{b.assessment_id}/hasil"), shown=result_texts(b),
                     where="result B")
    assert_printed(pdf_text(client.get(f"/saya/penilaian/{b.assessment_id}/laporan.pdf?lampiran=1")),
                   [b.name, *result_texts(b)], where="personal PDF of B")
    for person in world.people.values():  # the result pages of P0…P15 are checked through HR's eyes
        if person.key not in ("A", "B"):
            check_own_data(signed_in(app, person.nip), person, person.name)


# -- HR: lists, results, PDFs, dashboard ----------------------------------------------------------

def test_hr_pages_and_pdfs_show_payloads_as_text(app):
    world = build_world(app)
    hr = signed_in(app, world.hr.nip)
    names = [person.name for person in world.people.values()]
    for url in ("/hr/people", "/hr/employees", "/hr/"):
        assert_safe_html(html_of(hr, url), shown=names, where=url)
    for payload in PAYLOADS:
        found = html_of(hr, "/hr/people?" + urlencode({"q": payload}))
        assert_safe_html(found, shown=[payload, as_name(payload)], where=f"HR people q={payload!r}")
    for person in world.people.values():
        page = html_of(hr, f"/hr/assessments/{person.assessment_id}")
        assert_safe_html(page, shown=result_texts(person), where=f"HR result {person.key}")
    for key in ("A", "B"):
        person = world.people[key]
        assert_printed(pdf_text(hr.get(f"/hr/assessments/{person.assessment_id}/laporan.pdf?lampiran=1")),
                       [person.name, *result_texts(person), *T.rating, *(as_answer(p) for p in PAYLOADS)],
                       where=f"HR personal PDF of {key}")
    dashboard = html_of(hr, "/hr/dashboard")
    top_ten = sorted(range(N), key=lambda i: f"m-{i}")[:10]  # equal needs: the first ten module ids
    assert_safe_html(dashboard, shown=[*T.domain, *T.position, *(T.module[i] for i in top_ten), *names],
                     where="dashboard")
    assert_printed(pdf_text(hr.get("/hr/report.pdf?appendix=1")), [*T.domain, *T.module, *names],
                   where="unit PDF with appendix")
    archive = hr.get("/hr/people.zip?" + urlencode({"ids": world.people["B"].assessment_id}))
    assert_download(archive, "application/zip")
    entries = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert len(entries) == 1 and re.fullmatch(r"[A-Za-z0-9._-]+", entries[0]), entries


# -- CSV and XLSX exports ------------------------------------------------------------------------

def test_exports_neutralise_every_formula_and_keep_numbers(app):
    world = build_world(app)
    hr = signed_in(app, world.hr.nip)
    by_nip = {person.nip: person for person in world.people.values()}
    expected_rows = len(world.people) * N

    for fmt in ("csv", "xlsx"):
        cell = (lambda text: line_breaks(neutralised(text))) if fmt == "xlsx" else neutralised
        response = hr.get(f"/hr/export/results.{fmt}")
        rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
        assert len(rows) == 1 + expected_rows
        domains = {cell(name) for name in T.domain}
        for row in rows[1:]:
            person = by_nip[row[0]]
            assert row[1] == cell(person.name), (fmt, row[1])
            assert row[2] == cell(person.name), (fmt, row[2])  # the unit is named like its person
            assert row[3] == cell(T.position[person.position]), (fmt, row[3])
            assert row[4] in domains and row[7] in {cell(T.level[0]), cell(T.level[3])}, (fmt, row)
            numbers = [row[column] for column in (5, 6, 8, 9, 10)]
            if fmt == "csv":
                assert all(re.fullmatch(r"\d+(\.\d+)?", value) for value in numbers), row
            else:
                assert all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in numbers), row
        cells = {text for row in rows[1:] for text in row if isinstance(text, str)}
        for payload in FORMULA_PAYLOADS:
            assert any(text.startswith(cell(payload)) for text in cells), (fmt, payload)

        response = hr.get(f"/hr/export/needs.{fmt}")
        rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
        assert {row[1] for row in rows[1:]} == {cell(title) for title in T.module}
        assert {row[2] for row in rows[1:]} == {cell(name) for name in T.domain}
        for row in rows[1:]:
            numbers = [row[column] for column in (4, 5, 6, 7)]
            assert numbers == ([str(n) for n in (4, 3, 12, 1)] if fmt == "csv" else [4, 3, 12, 1]), row


# -- admin forms: units and people ----------------------------------------------------------------

@pytest.fixture
def admin(app, client):
    person = create_person(app, ("admin",), unit_code="PROV", email="admin@contoh.go.id")
    login(client, person.nip)
    client.set_cookie("swanilai_lang", "en")
    return client


def test_admin_forms_store_payload_names_and_every_list_escapes_them(app, admin):
    with app.app_context():
        prov_id = db.session.scalar(select(Unit.id).where(Unit.code == "PROV"))
    for n, payload in enumerate(PAYLOADS):
        accepted = payload in NAME_PAYLOADS
        response = post_form(admin, "/admin/units", {"code": f"U{n}", "name": payload, "parent": prov_id})
        assert response.status_code == (302 if accepted else 400), (payload, response.status_code)
        if not accepted:
            assert "control or invisible characters" in response.get_data(as_text=True), payload
            assert_safe_html(response.get_data(as_text=True), where=f"refused unit name {payload!r}")
            post_form(admin, "/admin/units", {"code": f"U{n}", "name": f"Unit {n}", "parent": prov_id})
        response = post_form(admin, "/admin/users/new", {
            "nip": f"19800101200501{1000 + n}", "name": payload, "email": f"f{n}@contoh.go.id",
            "unit_code": f"U{n}", "position": "", "roles": ["respondent"]})
        if not accepted:
            assert response.status_code == 400, (payload, response.status_code)
            assert "control or invisible characters" in response.get_data(as_text=True), payload
            assert_safe_html(response.get_data(as_text=True), where=f"refused person name {payload!r}")
            continue
        assert response.status_code == 302, (payload, response.status_code)
        assert_safe_html(html_of(admin, response.headers["Location"]), shown=[as_name(payload)],
                         where=f"new person {payload!r}")
    names = sorted({as_name(p) for p in NAME_PAYLOADS})
    with app.app_context():
        units = dict(db.session.execute(select(Unit.name, Unit.id)).all())
        users = dict(db.session.execute(select(User.name, User.id).where(User.email.like("f%"))).all())
    assert set(names) <= set(units) and set(names) == set(users), "stored exactly, only stripped"

    # the same names through the employee CSV import
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nip", "name", "email", "unit_code"])
    for n, payload in enumerate(NAME_PAYLOADS):
        writer.writerow([f"19800101200501{2000 + n}", payload, f"c{n}@contoh.go.id", "PROV"])
    page = admin.get("/admin/users/import").get_data(as_text=True)
    response = admin.post("/admin/users/import", data={
        "csrf_token": csrf_from(page), "file": (io.BytesIO(out.getvalue().encode("utf-8")), "pegawai.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200, response.status_code
    assert_safe_html(response.get_data(as_text=True), shown=names, where="import result")
    with app.app_context():
        assert set(db.session.scalars(select(User.name).where(User.email.like("c%@contoh.go.id")))) == set(names)

    assert_safe_html(html_of(admin, "/admin/units"), shown=names, where="admin units")
    assert_safe_html(html_of(admin, "/admin/users"), shown=names, where="admin users")
    assert_safe_html(html_of(admin, "/admin/audit"), where="admin audit")
    for name in names:
        assert_safe_html(html_of(admin, f"/admin/units/{units[name]}"), shown=[name], where=f"unit {name!r}")
        assert_safe_html(html_of(admin, f"/admin/users/{users[name]}"), shown=[name], where=f"user {name!r}")
    renamed_unit = units[names[0]]
    for payload in PAYLOADS:
        found = html_of(admin, "/admin/users?" + urlencode({"q": payload}))
        assert_safe_html(found, shown=[payload, as_name(payload)], where=f"admin users q={payload!r}")
        renamed = post_form(admin, f"/admin/units/{renamed_unit}", {"name": payload, "parent": prov_id})
        assert renamed.status_code == (302 if payload in NAME_PAYLOADS else 400), (payload, renamed.status_code)
        shown = [as_name(payload)] if payload in NAME_PAYLOADS else []
        assert_safe_html(html_of(admin, f"/admin/units/{renamed_unit}"), shown=shown,
                         where=f"renamed unit {payload!r}")

    invited = {row[1] for row in csv_rows(admin.get("/admin/users/invitations.csv"))}
    assert {neutralised(name) for name in names} <= invited
    csv_rows(admin.get("/admin/audit.csv"))  # every cell neutralised (details hold the names)


def test_unit_codes_with_payloads_are_refused(app, admin):
    with app.app_context():
        before = db.session.scalar(select(func.count(Unit.id)))
    for payload in PAYLOADS:
        response = post_form(admin, "/admin/units", {"code": payload, "name": "Unit baru", "parent": ""})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (payload, response.status_code)
        assert "A unit code has 1 to 32 capital letters" in page, payload
        assert_safe_html(page, where=f"unit code {payload!r}")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name", "parent_code"])
    for payload in PAYLOADS:
        writer.writerow([payload, "Unit", ""])
    page = admin.get("/admin/units").get_data(as_text=True)
    response = admin.post("/admin/units/import", data={
        "csrf_token": csrf_from(page), "file": (io.BytesIO(out.getvalue().encode("utf-8")), "unit.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert_safe_html(response.get_data(as_text=True), where="unit import")
    assert response.get_data(as_text=True).count("A unit code has 1 to 32 capital letters") >= N
    with app.app_context():
        assert db.session.scalar(select(func.count(Unit.id))) == before


# -- trainers: a draft with payload texts, editors, preview, publish ------------------------------

@pytest.fixture
def trainer(app, client):
    published = published_version(app, plain_source())
    person = create_person(app, ("trainer",), email="pelatih@contoh.go.id")
    login(client, person.nip)
    client.set_cookie("swanilai_lang", "en")
    return client, published


def plain_source() -> str:
    """The same questionnaire with harmless texts."""
    document = yaml.safe_load(payload_source())
    count = iter(range(10_000))

    def walk(node):
        if isinstance(node, dict) and set(node) == {"id", "en"}:
            return bilingual(f"Teks {next(count)}")
        if isinstance(node, dict):
            return {key: f"Penyelenggara {next(count)}" if key == "provider" else walk(value)
                    for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return node

    return yaml.safe_dump(walk(document), allow_unicode=True, sort_keys=False)


def upload(client, content: bytes, token: str):
    return client.post("/trainer/upload", data={"csrf_token": token, "file": (io.BytesIO(content), "kuesioner.yaml")},
                       content_type="multipart/form-data")


def test_trainer_pages_show_questionnaire_payloads_as_text(app, trainer):
    """The published version has harmless texts; the uploaded draft replaces each by a payload,
    so the publish page and the diff list every payload as a change."""
    client, published = trainer
    source = payload_source()
    response = upload(client, source.encode("utf-8"), csrf_from(html_of(client, "/trainer/")))
    assert response.status_code == 302 and "/drafts/" in response.headers["Location"]
    draft = int(response.headers["Location"].split("/drafts/")[1].split("/")[0])

    assert_safe_html(html_of(client, f"/trainer/drafts/{draft}/yaml"), shown=[source], where="YAML editor")
    assert_safe_html(html_of(client, f"/trainer/drafts/{draft}/edit?section=meta"), shown=[T.title], where="meta")
    assert_safe_html(html_of(client, f"/trainer/drafts/{draft}/edit?section=scale"), shown=[*T.level, *T.reason],
                     where="scale")
    for i in (0, N - 1):  # each domain holds every payload somewhere
        assert_safe_html(html_of(client, f"/trainer/drafts/{draft}/edit?section=domain-{i}"),
                         shown=[*domain_texts(i), T.description[i], *T.descriptor[i], *T.example[i]],
                         where=f"editor domain-{i}")
        assert {p for p in PAYLOADS if any(text.startswith(p + " #") for text in domain_texts(i) +
                                           [T.description[i], *T.descriptor[i], *T.example[i]])} == set(PAYLOADS)
    assert_safe_html(html_of(client, f"/trainer/drafts/{draft}/edit?section=positions"), shown=T.position,
                     where="editor positions")
    assert_safe_html(html_of(client, f"/trainer/drafts/{draft}/edit?section=modules"),
                     shown=[*T.module, *T.provider], where="editor modules")
    preview = html_of(client, f"/trainer/versions/{draft}/preview")
    assert_safe_html(preview, shown=[T.title, *T.domain, *T.rating, *T.choice, *T.position,
                                     *(o for options in T.option for o in options)], where="preview")
    scored = client.post(f"/trainer/versions/{draft}/preview", data={
        "csrf_token": csrf_from(preview), "position": "jabatan-0", **form_of(answers(range(N), list(PAYLOADS)))})
    assert scored.status_code == 200
    assert_safe_html(scored.get_data(as_text=True), shown=[*T.module, *T.reason], where="try scoring")

    publish_page = html_of(client, f"/trainer/drafts/{draft}/publish")
    assert_safe_html(publish_page, shown=[T.title, T.domain[0], T.module[0]], where="publish page")
    response = client.post(f"/trainer/drafts/{draft}/publish", data={"csrf_token": csrf_from(publish_page)})
    assert response.status_code == 302, response.status_code
    assert_safe_html(html_of(client, f"/trainer/diff?from={published}&to={draft}"),
                     shown=[T.title, *T.domain, *T.position, *T.module], where="diff")
    assert_safe_html(html_of(client, f"/trainer/versions/{draft}/statistics"), where="statistics")
    assert_safe_html(html_of(client, "/trainer/"), shown=[T.title], where="trainer home")
    exported = client.get(f"/trainer/versions/{draft}/export.yaml")
    assert_download(exported, "application/x-yaml")
    assert exported.data.decode("utf-8") == source


def test_questionnaire_ids_with_payloads_are_refused(app, trainer):
    from app.engine import questionnaire as engine

    client, published = trainer
    source = MINI.read_text(encoding="utf-8")
    with_id = [source.replace("id: mini", "id: " + json.dumps(payload), 1) for payload in PAYLOADS]
    with app.app_context():
        before = db.session.scalar(select(func.count(QuestionnaireVersion.id)))
        for payload, bad in zip(PAYLOADS, with_id):
            with pytest.raises(engine.QuestionnaireInvalid) as refused:
                import_published(bad, actor_id=None, max_bytes=MAX_BYTES)
            db.session.rollback()
            assert any(problem.path == "id" for problem in refused.value.problems), payload
    page = html_of(client, "/trainer/")
    for payload, bad in zip(PAYLOADS, with_id):
        response = upload(client, bad.encode("utf-8"), csrf_from(page))
        assert response.status_code == 302 and response.headers["Location"].endswith("/trainer/"), payload
        page = html_of(client, "/trainer/")
        assert "needs a valid `id`" in page, payload
        assert_safe_html(page, where=f"upload with id {payload!r}")
    with app.app_context():
        assert db.session.scalar(select(func.count(QuestionnaireVersion.id))) == before

    # A draft whose id is edited into a payload is kept (nothing typed is lost), cannot be
    # published, and its export is named after the questionnaire it belongs to.
    token = csrf_from(page)
    draft = int(client.post(f"/trainer/versions/{published}/draft", data={"csrf_token": token})
                .headers["Location"].split("/drafts/")[1].split("/")[0])
    for payload, bad in zip(PAYLOADS, with_id):
        page = html_of(client, f"/trainer/drafts/{draft}/yaml")
        assert_safe_html(page, where=f"YAML editor with id {payload!r}")
        lock = page.split('name="lock" value="')[1].split('"')[0]
        saved = client.post(f"/trainer/drafts/{draft}/yaml", data={"source": bad, "lock": lock, "csrf_token": token})
        assert saved.status_code == 302, payload
        refused = client.post(f"/trainer/drafts/{draft}/publish", data={"csrf_token": token})
        assert refused.status_code == 400, payload
        assert_safe_html(refused.get_data(as_text=True), where=f"publish refused, id {payload!r}")
    exported = client.get(f"/trainer/versions/{draft}/export.yaml")
    assert_download(exported, "application/x-yaml")
    assert exported.headers["Content-Disposition"] == f'attachment; filename="muatan-draft-{draft}.yaml"'


# -- parameters: search, sort, filters ------------------------------------------------------------

def test_malformed_sort_and_filter_parameters_get_400_and_the_tables_survive(app):
    published_version(app, MINI)
    hr = signed_in(app, create_person(app, ("hr",), unit_code="PROV", email="hr@contoh.go.id").nip)
    admin = signed_in(app, create_person(app, ("admin",), unit_code="PROV", email="admin@contoh.go.id").nip)
    with app.app_context():
        users_before = db.session.scalar(select(func.count(User.id)))
    refused = [("/hr/people", {key: payload}) for payload in PAYLOADS for key in ("sort", "dir", "page")]
    refused += [("/hr/dashboard", {key: payload}) for payload in PAYLOADS
                for key in ("unit", "version", "position", "from", "to")]
    refused += [("/hr/people.zip", {"ids": payload}) for payload in PAYLOADS]
    refused += [(path, {key: SQL}) for key in ("unit", "version", "position", "from", "to")
                for path in ("/hr/people", "/hr/report.pdf", "/hr/export/results.csv", "/hr/export/needs.xlsx",
                             "/hr/people.zip")]
    for path, args in refused:
        response = hr.get(path + "?" + urlencode(args))
        assert response.status_code == 400, (path, args, response.status_code)
        assert_safe_html(response.get_data(as_text=True), where=f"{path} {args}")
    for payload in PAYLOADS:
        assert admin.get("/trainer/diff?" + urlencode({"from": payload, "to": "1"})).status_code == 400, payload
        for client, url in ((admin, "/admin/users"), (admin, "/admin/audit"), (hr, "/hr/employees"),
                            (hr, "/hr/people")):
            response = client.get(url + "?" + urlencode({"q": payload, "action": payload, "page": payload
                                                         if url.startswith("/admin") else 1}))
            assert response.status_code == 200, (url, payload, response.status_code)
            assert_safe_html(response.get_data(as_text=True), where=f"{url} q={payload!r}")
    with app.app_context():
        db.session.remove()
        assert inspect(db.engine).has_table("users")
        assert db.session.scalar(select(func.count(User.id))) == users_before


# -- redirect targets ---------------------------------------------------------------------------

def test_redirect_targets_with_payloads_stay_on_the_site(app):
    """`next` after sign-in and after a language change: a payload (also behind a local path, or
    with CR/LF) never becomes a Location elsewhere or a second header."""
    person = create_person(app, ("respondent",), email="r@contoh.go.id")
    targets = [*PAYLOADS, *("/saya/" + payload for payload in PAYLOADS), "//evil.example", "/\\evil.example"]
    for target in targets:
        page = app.test_client().get("/auth/login?" + urlencode({"next": target}))
        assert page.status_code == 200
        assert_safe_html(page.get_data(as_text=True), where=f"login page next={target!r}")
        client = app.test_client()
        response = login(client, person.nip, next_path=target)
        for answer in (response, client.post("/language", data={
                "lang": "en", "next": target, "csrf_token": csrf_from(client.get("/saya/").get_data(as_text=True))})):
            assert answer.status_code == 302, (target, answer.status_code)
            location = answer.headers["Location"]
            assert location.startswith("/") and not location.startswith(("//", "/\\")), (target, location)
            assert not set(location) & set("\r\n\t\"<> "), (target, location)
            assert "x=1" not in answer.headers.getlist("Set-Cookie"), target
        landing = client.get(location)
        assert landing.status_code in (200, 302, 404), (location, landing.status_code)
        assert_safe_html(landing.get_data(as_text=True), where=f"landing on {location!r}")


# -- file names -----------------------------------------------------------------------------------

def test_download_file_names_are_safe_whatever_the_name(app):
    """Unit codes and questionnaire ids are validated, but the download helper does not rely on it."""
    from app.web.downloads import download

    with app.test_request_context():
        for payload in PAYLOADS:
            for name in (payload, f"laporan-{payload}.pdf", f"akpk-{payload}.pdf", f"{payload}-v1.yaml"):
                disposition = download(b"x", "application/octet-stream", name).headers["Content-Disposition"]
                assert SAFE_DISPOSITION.fullmatch(disposition), (payload, disposition)


# -- long text ----------------------------------------------------------------------------------

def test_a_title_longer_than_its_column_is_cut_not_a_server_error(app, trainer):
    client, _published = trainer
    long_title = "<b>" + "x" * 298  # 301 characters
    source = MINI.read_text(encoding="utf-8").replace('"Kuesioner mini"', json.dumps(long_title), 1)
    token = csrf_from(html_of(client, "/trainer/"))
    response = upload(client, source.encode("utf-8"), token)
    draft = int(response.headers["Location"].split("/drafts/")[1].split("/")[0])
    published = client.post(f"/trainer/drafts/{draft}/publish", data={"csrf_token": token})
    assert published.status_code == 302, published.status_code
    with app.app_context():
        assert len(db.session.get(QuestionnaireVersion, draft).title) <= 300
    assert_safe_html(html_of(client, "/trainer/"), where="trainer home with a long title")
