"""HR pages that keep their context (issue 15, point 4), through the test client: whose result a
page shows, "back" to the same list state, the ZIP's selection, confirmation and entry names,
distinct titles, the status filter, participation rows that add up, filter errors shown on the
page, and every error of the employee form at once.

The fixture is tests/web/test_hr.py's (HR in DINAS_A; A1 SEKSI_A1 submitted, A2 and A3 DINAS_A
submitted, A4 SEKSI_A1 in progress, A5 SEKSI_A1 not started, B1 DINAS_B outside)."""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from app.reports.bundle import person_entry_name, safe_part
from app.services import hr_people
from tests.pages import post_form
from tests.web.test_hr import hr, world  # noqa: F401 - the fixtures

LANGUAGE_COOKIE = "swanilai_lang"


def html(response) -> str:
    return response.get_data(as_text=True)


def title_of(page: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).strip()


def in_english(client):
    client.set_cookie(LANGUAGE_COOKIE, "en")
    return client


# -- 1. a person header -------------------------------------------------------------------------

def test_hr_result_page_says_whose_result_it_is(hr, world):  # noqa: F811
    a3 = world["people"]["A3"]
    page = html(in_english(hr).get(f"/hr/assessments/{world['assessments']['A3']}"))
    header = page.split('class="card person-header"')[1].split("</section>")[0]
    assert "Citra &lt;b&gt;Tiga&lt;/b&gt;" in header and f"NIP {a3.nip}" in header
    assert "Dinas A" in header and "Outside any round" in header
    assert re.search(r"<dt>Position</dt><dd>[^<]+</dd>", header)


def test_employee_page_has_the_person_header(hr, world):  # noqa: F811
    a2 = world["people"]["A2"]
    page = html(in_english(hr).get(f"/hr/employees/{a2.id}"))
    header = page.split('class="card person-header"')[1].split("</section>")[0]
    assert "Budi Dua" in header and f"NIP {a2.nip}" in header and "Dinas A" in header


# -- 2. back keeps the list's state -------------------------------------------------------------

def test_links_to_a_person_carry_the_list_state_and_back_returns_there(hr, world):  # noqa: F811
    listing = "/hr/people?q=a&sort=name&dir=desc&status=submitted&position=admin-medsos"
    page = html(hr.get(listing))
    link = unescape(re.search(r'href="(/hr/assessments/\d+\?back=[^"]+)"', page).group(1))
    back = parse_qs(urlsplit(link).query)["back"][0]
    kept = parse_qs(urlsplit(back).query)
    assert urlsplit(back).path == "/hr/people"
    assert kept["q"] == ["a"] and kept["sort"] == ["name"] and kept["dir"] == ["desc"]
    assert kept["status"] == ["submitted"] and kept["position"] == ["admin-medsos"]
    person = html(hr.get(link))
    assert f'<a href="{back}">'.replace("&", "&amp;") in person


@pytest.mark.parametrize("back", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:x",
                                  "/hr/people\r\nSet-Cookie: x=1"])
def test_back_is_a_local_path_only(hr, world, back):  # noqa: F811
    page = html(hr.get(f"/hr/assessments/{world['assessments']['A2']}", query_string={"back": back}))
    links = re.findall(r'<a href="([^"]*)">&larr;', page)
    assert links == ["/hr/people"], links


# -- 3. the ZIP: selection, confirmation, entry names -------------------------------------------

def test_the_selected_button_with_nothing_ticked_is_refused(hr, world):  # noqa: F811
    response = in_english(hr).get("/hr/people.zip?selection=1")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "Nobody is selected" in html(response)


def test_the_list_has_select_all_a_count_and_the_script(hr):  # noqa: F811
    page = html(hr.get("/hr/people"))
    assert "data-select-all" in page and "data-selected-count" in page and 'aria-live="polite"' in page
    assert '<input type="hidden" name="selection" value="1">' in page
    assert "/static/select.js" in page and "<script>" not in page


def test_more_than_the_limit_asks_first_stating_the_number(hr, world, monkeypatch):  # noqa: F811
    monkeypatch.setattr(hr_people, "CONFIRM_ABOVE", 2)
    asked = in_english(hr).get("/hr/people.zip")
    assert asked.status_code == 200 and asked.mimetype == "text/html"
    page = html(asked)
    assert "Download 3 PDFs?" in page and "3 files" in page
    assert '<input type="hidden" name="confirm" value="1">' in page
    confirmed = hr.get("/hr/people.zip?confirm=1")
    assert confirmed.mimetype == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(confirmed.data)).namelist()) == 3
    two = hr.get("/hr/people.zip", query_string={"ids": [world["assessments"]["A2"], world["assessments"]["A3"]]})
    assert two.mimetype == "application/zip", "at the limit no confirmation"


def test_zip_entries_are_nip_and_name_in_safe_characters(hr, world):  # noqa: F811
    names = zipfile.ZipFile(io.BytesIO(hr.get("/hr/people.zip").data)).namelist()
    assert all(re.fullmatch(r"\d{18}_[A-Za-z0-9_-]+\.pdf", name) for name in names), names
    assert f"{world['people']['A2'].nip}_Budi_Dua.pdf" in names


def test_entry_names_transliterate_and_strip():
    assert person_entry_name("198001012005011001", "Siti Nur'aini Çağlar", "x") == \
        "198001012005011001_Siti_Nuraini_Caglar.pdf"
    assert person_entry_name("1", "../../etc/passwd", "x") == "1_etc_passwd.pdf"
    assert person_entry_name("", "<script>", "x") == "script.pdf"
    assert person_entry_name("", "漢字", "anonim 7") == "anonim_7.pdf"
    assert re.fullmatch(r"[A-Za-z0-9_-]*", safe_part("a\r\nb\x00c/\\d:e*f?\"g<h>|i"))


# -- 4. titles and the status filter ------------------------------------------------------------

def test_results_and_employees_have_distinct_titles(hr):  # noqa: F811
    assert title_of(html(hr.get("/hr/people"))).startswith("Hasil")
    assert title_of(html(hr.get("/hr/employees"))).startswith("Pegawai")
    assert title_of(html(in_english(hr).get("/hr/people"))).startswith("Results")


@pytest.mark.parametrize("status,shown", [
    ("not-started", {"Eka Lima"}), ("in-progress", {"Dedi Empat"}),
    ("submitted", {"Budi Dua", "Citra &lt;b&gt;Tiga&lt;/b&gt;", "=HYPERLINK"}),
])
def test_the_status_filter(hr, status, shown):  # noqa: F811
    page = html(hr.get(f"/hr/people?status={status}"))
    everyone = {"Eka Lima", "Dedi Empat", "Budi Dua", "Citra &lt;b&gt;Tiga&lt;/b&gt;", "=HYPERLINK"}
    assert {name for name in everyone if name in page} == shown
    assert f'<option value="{status}" selected>' in page


# -- 5. participation rows that add up ----------------------------------------------------------

def test_dashboard_has_a_row_for_the_people_directly_in_the_unit(hr):  # noqa: F811
    page = html(in_english(hr).get("/hr/dashboard"))
    table = page.split("<h2>Participation</h2>")[1].split("</table>")[0]
    rows = re.findall(r"<tr[^>]*>\s*<td>(.*?)</td>\s*<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", table, re.S)
    names = [re.sub(r"<[^>]+>", "", name).strip() for name, *_ in rows]
    assert names == ["Dinas A (directly)", "Seksi A1", "Total"]
    figures = [tuple(int(n) for n in numbers) for _name, *numbers in rows]
    assert figures[0] == (2, 2, 2) and figures[1] == (3, 2, 1)
    assert tuple(map(sum, zip(*figures[:-1]))) == figures[-1] == (5, 4, 3)


# -- 6. filter errors on the page, the filters kept ---------------------------------------------

@pytest.mark.parametrize("path", ["/hr/people", "/hr/dashboard"])
def test_a_bad_date_range_is_shown_next_to_the_filter_and_the_rest_is_kept(hr, path):  # noqa: F811
    response = in_english(hr).get(f"{path}?position=admin-medsos&from=2026-02-01&to=2026-01-01")
    assert response.status_code == 400
    page = html(response)
    assert 'class="filters card with-errors"' in page and "<h1>" in page
    error = re.search(r'<span class="error" id="filter-to-error">([^<]+)</span>', page)
    assert error and "The start date is after the end date." in error.group(1)
    assert 'aria-describedby="filter-to-error"' in page and 'aria-invalid="true"' in page
    assert 'value="2026-02-01"' in page and 'value="2026-01-01"' in page, "both dates kept as typed"
    assert '<option value="admin-medsos" selected>' in page, "the position filter kept"


@pytest.mark.parametrize("query,key", [("version=abc", "version"), ("unit=abc", "unit"), ("from=kemarin", "from"),
                                       ("status=maybe", "status")])
def test_an_unknown_value_is_answered_on_the_page(hr, query, key):  # noqa: F811
    response = hr.get(f"/hr/people?{query}")
    assert response.status_code == 400
    page = html(response)
    assert f'id="filter-{key}-error"' in page and "Eka Lima" in page, "the list is still shown"


def test_an_unknown_sort_shows_the_list_by_name_with_a_message(hr):  # noqa: F811
    response = in_english(hr).get("/hr/people?sort=password")
    assert response.status_code == 400
    page = html(response)
    assert "This list cannot be sorted that way." in page and "Eka Lima" in page


def test_a_unit_outside_the_scope_is_still_404(hr, world):  # noqa: F811
    for path in ("/hr/people", "/hr/dashboard"):
        assert hr.get(f"{path}?unit={world['units']['DINAS_B']}&from=x").status_code == 404


# -- 7. every error of the employee form at once ------------------------------------------------

def test_the_employee_form_shows_every_problem_at_once(hr, world):  # noqa: F811
    taken = world["people"]["A2"]
    response = post_form(in_english(hr), "/hr/employees/new", {
        "nip": taken.nip, "name": "Orang Baru", "email": taken.email, "unit_code": "", "roles": ["respondent"],
        "employment": "pns"})
    assert response.status_code == 400
    page = html(response)
    assert "Choose a unit." in page
    assert f"NIP {taken.nip} is already registered." in page
    assert f"E-mail {taken.email} is already registered." in page
    assert "3 problems to correct:" in page and 'role="alert"' in page
    assert page.count("Choose a unit.") == 2, "once next to the field, once in the summary; not twice each"


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01", "page=99999999999999999999",
                                   "status=submitted&page=1&sort=name&dir=asc&unit=99999999999999999999"])
def test_out_of_range_filters_are_refused_not_a_500(app, client, query):
    from tests.factories import create_person
    from tests.pages import login

    officer = create_person(app, ("hr",), unit_code="PROV")
    login(client, officer.nip)
    for path in ("/hr/people", "/hr/dashboard"):
        assert client.get(f"{path}?{query}").status_code in (200, 400), (path, query)
    assert client.get("/hr/people.zip?selection=1&ids=99999999999999999999").status_code == 400


def test_date_filters_are_office_days(app):
    """Submitted at 23:30 UTC on 1 December is 06:30 WIB on 2 December: a filter for 2 December counts it."""
    from datetime import date, datetime

    from app.services.unit_reports import office_midnight

    assert office_midnight(date(2026, 12, 2)) == datetime(2026, 12, 1, 17, 0)
    assert office_midnight(date(2026, 12, 2)) <= datetime(2026, 12, 1, 23, 30) < office_midnight(date(2026, 12, 3))
