"""The result page shows the plan by year (year 1 fits the person's yearly entitlement: at least
20 JP for a PNS, at most 24 JP for a PPPK; a module never before the one below it in its domain)
and, when the person names a position they aim for, their gaps against it apart from the plan;
plus the properties of ``schedule.year_numbers`` the years rest on."""

from __future__ import annotations

import html
import re
from contextlib import contextmanager
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.engine.questionnaire import load
from app.engine.schedule import plan_years, year_numbers
from app.engine.training import Plan, PlanEntry as EnginePlanEntry
from app.extensions import db
from app.models import Assessment, PlanEntry, User
from tests.factories import FULL, MINI, MINI_LOW, create_person, published_version, submitted_assessment
from tests.pages import csrf_from, login

YEAR_RE = re.compile(r'<h3 id="year-(\d+)">(?:Tahun|Year) (\d+) — (\d+) JP</h3>')
ROW_RE = re.compile(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(\d+)</td>")
PNS_RULE_ID = ("Setiap tahun memuat modul hingga 20 JP, angka tahunan bagi PNS (paling sedikit 20 JP per "
               "tahun), yang paling mendesak lebih dulu.")
PPPK_RULE_ID = ("Setiap tahun memuat modul hingga 24 JP, batas tahunan bagi PPPK (paling banyak 24 JP per "
                "tahun), yang paling mendesak lebih dulu.")
PNS_RULE_EN = ("Each year holds modules up to 20 JP, the yearly figure for a PNS (at least 20 JP a year), "
               "the most urgent first.")
PPPK_RULE_EN = ("Each year holds modules up to 24 JP, the yearly limit for a PPPK (at most 24 JP a year), "
                "the most urgent first.")
PRIORITY_EN = ("Order of priority: the gap times how critical the domain is for the position, largest first, "
               "then the questionnaire's domain order; within a domain a module never comes before the one "
               "it builds on.")
PRIORITY_ID = ("Urutan prioritas: kesenjangan dikali bobot kepentingan domain bagi jabatan, yang terbesar lebih "
               "dulu, lalu urutan domain dalam kuesioner; dalam satu domain, modul tidak pernah mendahului "
               "modul yang menjadi dasarnya.")


def squash(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=2)
def model_of(path):
    return load(path.read_text(encoding="utf-8"))


def lowest_answers(model, position: str) -> dict:
    """The weakest answer to every item of ``position`` (free text left out): gaps everywhere."""
    answers = {}
    for item in model.items:
        if not item.applies_to(position) or item.type == "text":
            continue
        if item.type == "rating":
            answers[item.id] = 1
        elif item.type == "choice":
            answers[item.id] = min(item.options, key=lambda o: o.score).id
        elif item.type == "multi":
            answers[item.id] = [o.id for o in item.options if o.score <= 0][:1]
    return answers


def set_person(app, person, *, employment: str | None = None, language: str | None = None) -> None:
    with app.app_context():
        user = db.session.get(User, person.id)
        if employment:
            user.employment_type = employment
        if language:
            user.language = language
        db.session.commit()


@contextmanager
def yearly_figure(app, key: str, value: int):
    """Submit with another yearly figure (``PNS_MIN_JP`` or ``PPPK_MAX_JP``) in the configuration."""
    saved = app.config[key]
    app.config[key] = value
    try:
        yield
    finally:
        app.config[key] = saved


def set_target(app, assessment_id: int, position_id: str | None) -> None:
    with app.app_context():
        db.session.get(Assessment, assessment_id).target_position_id = position_id
        db.session.commit()


def plain_cells(page: str) -> str:
    """The page with its table rows and cells stripped of attributes (``data-label`` etc.)."""
    return re.sub(r"<(tr|td)\b[^>]*>", r"<\1>", page)


def page_years(page: str) -> list[dict]:
    """The years shown in the plan section: number, JP in the heading, its rows (title, JP)."""
    page = plain_cells(page)
    plan = page[page.index('id="plan"'):page.index("</section>", page.index('id="plan"'))]
    starts = list(YEAR_RE.finditer(plan))
    years = []
    for n, match in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(plan)
        rows = [(html.unescape(r[0]), int(r[3])) for r in ROW_RE.findall(plan[match.end():end])]
        assert match.group(1) == match.group(2)
        years.append({"number": int(match.group(2)), "jp": int(match.group(3)), "modules": rows})
    return years


def stored_years(app, assessment_id: int) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(select(PlanEntry.module_id, PlanEntry.year)
                                       .where(PlanEntry.assessment_id == assessment_id)).all())


def assert_years_fit(years: list[dict], yearly: int, model, stored: dict[str, int], lang: str = "id") -> None:
    """Years 1, 2, … each within ``yearly`` JP (unless one module alone), the heading equal to its
    modules' JP, each module in the year stored at submit, and no module before the one below it."""
    assert [y["number"] for y in years] == list(range(1, len(years) + 1))
    by_title = {m.title.get(lang): m for m in model.modules}
    year_of = {}
    for year in years:
        assert year["jp"] == sum(jp for _title, jp in year["modules"])
        assert year["jp"] <= yearly or len(year["modules"]) == 1
        for title, jp in year["modules"]:
            module = by_title[title]
            assert module.jp == jp
            year_of[module.id] = year["number"]
    assert year_of == stored
    for a in year_of:
        for b in year_of:
            ma, mb = model.module(a), model.module(b)
            if ma.domain_id == mb.domain_id and ma.to_level <= mb.from_level:
                assert year_of[a] <= year_of[b], f"{b} is scheduled before {a}, which it builds on"


@pytest.fixture
def mini(app):
    return published_version(app, MINI)


@pytest.fixture
def full(app):
    return published_version(app, FULL)


# -- the plan by year -------------------------------------------------------------------------------

def test_a_pns_plan_is_shown_by_year_at_20_jp(app, client, mini):
    person = create_person(app)
    aid = submitted_assessment(app, person, MINI_LOW, version_id=mini)  # 26 JP: 8 + 6 + 4, then 8
    login(client, person.nip)
    page = client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True)
    years = page_years(page)
    assert years == [
        {"number": 1, "jp": 18, "modules": [("Krisis di kelas", 8), ("Mentoring krisis", 6), ("Dasar strategi", 4)]},
        {"number": 2, "jp": 8, "modules": [("Strategi lanjut", 8)]},
    ]
    text = squash(page)
    assert "Tahun 1 — 18 JP" in text and "Tahun 2 — 8 JP" in text
    assert PNS_RULE_ID in text and PRIORITY_ID in text
    assert "Jumlah: 26 JP dalam 2 tahun." in text
    assert "paling sedikit 20 JP per tahun, dan rencana ini melebihinya" in text  # the plan's note stays
    assert "lebih besar daripada angka tahunan" not in text
    for mode in ("Klasikal", "Mentoring", "E-learning"):
        assert mode in text


def test_the_years_in_english(app, client, mini):
    person = create_person(app)
    set_person(app, person, language="en")
    aid = submitted_assessment(app, person, MINI_LOW, version_id=mini)
    login(client, person.nip)
    text = squash(html.unescape(client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True)))
    assert "Year 1 — 18 JP" in text and "Year 2 — 8 JP" in text
    assert PNS_RULE_EN in text and PRIORITY_EN in text
    assert "Total: 26 JP in 2 years." in text


def test_a_long_pns_plan_splits_into_years_of_at_most_20_jp(app, client, full):
    person = create_person(app)
    model = model_of(FULL)
    aid = submitted_assessment(app, person, lowest_answers(model, "admin-medsos"), version_id=full)
    login(client, person.nip)
    page = client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True)
    years = page_years(page)
    assert len(years) >= 2
    assert_years_fit(years, 20, model, stored_years(app, aid))
    assert PNS_RULE_ID in squash(page)
    with app.app_context():
        total = db.session.get(Assessment, aid).total_jp
    assert sum(y["jp"] for y in years) == total > 20


def test_a_long_pppk_plan_splits_into_years_of_at_most_24_jp(app, client, full):
    person = create_person(app)
    set_person(app, person, employment="pppk")
    model = model_of(FULL)
    aid = submitted_assessment(app, person, lowest_answers(model, "admin-medsos"), version_id=full)
    login(client, person.nip)
    page = client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True)
    years = page_years(page)
    assert len(years) >= 2 and years[0]["jp"] == 24
    assert_years_fit(years, 24, model, stored_years(app, aid))
    text = squash(page)
    assert PPPK_RULE_ID in text and "paling sedikit 20 JP" not in text


def test_a_module_waits_for_the_one_it_builds_on(app, client, full):
    """At 16 JP a year, year 1 has room for the 12 JP campaign module after the 4 JP basics, but
    it builds on the 16 JP production module of year 2, so it waits for year 3; the 4 JP basics of
    other domains fill year 1 instead."""
    person = create_person(app)
    model = model_of(FULL)
    with yearly_figure(app, "PNS_MIN_JP", 16):
        aid = submitted_assessment(app, person, lowest_answers(model, "admin-medsos"), version_id=full)
    login(client, person.nip)
    years = page_years(client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True))
    assert_years_fit(years, 16, model, stored_years(app, aid))
    title = {m.id: m.title.get("id") for m in model.modules}
    assert [t for t, _jp in years[0]["modules"]] == [title["m-konten-dasar"], title["m-keamanan-dasar"],
                                                     title["m-respons-dasar"], title["m-krisis-cek-fakta"]]
    assert [t for t, _jp in years[1]["modules"]] == [title["m-konten-produksi"]]
    assert [t for t, _jp in years[2]["modules"]] == [title["m-konten-kampanye"]]


def test_a_module_larger_than_the_yearly_figure_gets_a_year_of_its_own(app, client, mini):
    person = create_person(app)
    set_person(app, person, language="en")
    with yearly_figure(app, "PNS_MIN_JP", 6):
        aid = submitted_assessment(app, person, MINI_LOW, version_id=mini)
    login(client, person.nip)
    page = client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True)
    years = page_years(page)
    assert [(y["jp"], [t for t, _jp in y["modules"]]) for y in years] == [
        (8, ["Crisis in class"]), (6, ["Crisis mentoring"]), (4, ["Strategy basics"]), (8, ["Advanced strategy"])]
    text = squash(page)
    assert ("Crisis in class (8 JP) alone is larger than the yearly figure of 6 JP, so it takes this year on "
            "its own.") in text
    assert "Advanced strategy (8 JP) alone is larger" in text
    assert "Strategy basics (4 JP) alone" not in text and "Crisis mentoring (6 JP) alone" not in text


# -- the position the person aims for -----------------------------------------------------------------

def target_section(page: str) -> str:
    start = page.index('id="target-position"')
    return plain_cells(page[start:page.index("</section>", start)])


def test_the_gaps_against_the_target_position_are_shown_apart(app, client, mini):
    person = create_person(app)
    aid = submitted_assessment(app, person, MINI_LOW, version_id=mini)
    set_target(app, aid, "pimpinan")  # targets strategi 2, krisis 2; the levels are 1 and 1
    login(client, person.nip)
    page = client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True)
    section = target_section(page)
    assert "Kesenjangan terhadap jabatan yang dituju: Pimpinan" in section
    rows = [tuple(html.unescape(cell) for cell in row)
            for row in re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(\d+)</td></tr>", section)]
    assert rows == [("Strategi", "Dasar", "Menengah", "1"), ("Krisis", "Dasar", "Menengah", "1")]
    # the current position's gaps (3 levels to Ahli in Krisis) still drive the plan, shown before it
    assert page.index('id="plan"') < page.index('id="target-position"')
    assert page_years(page)[0]["jp"] == 18
    assert "<td>Ahli</td>" in plain_cells(page) and "<td>3</td>" in plain_cells(page)
    assert "Ahli" not in section


def test_the_target_section_in_english(app, client, mini):
    person = create_person(app)
    set_person(app, person, language="en")
    aid = submitted_assessment(app, person, MINI_LOW, version_id=mini)
    set_target(app, aid, "pimpinan")
    login(client, person.nip)
    section = squash(target_section(client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True)))
    assert "Gaps against the position you aim for: Head of unit" in section
    assert "<td>Strategy</td><td>Basic</td><td>Intermediate</td><td>1</td>" in section.replace("> <", "><")


def test_the_person_names_the_target_on_their_own_page(app, client, mini):
    person = create_person(app)
    aid = submitted_assessment(app, person, MINI_LOW, version_id=mini)
    login(client, person.nip)
    page = client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True)
    assert "Kesenjangan terhadap jabatan yang dituju" not in page
    section = target_section(page)
    assert f'action="/saya/penilaian/{aid}/jabatan-tujuan"' in section
    options = re.findall(r'<option value="([^"]*)"', section)
    assert options == ["", "pimpinan"]  # none, and every position but the current one
    response = client.post(f"/saya/penilaian/{aid}/jabatan-tujuan",
                           data={"target_position": "pimpinan", "csrf_token": csrf_from(section)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/saya/penilaian/{aid}/hasil")
    section = target_section(client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True))
    assert "Kesenjangan terhadap jabatan yang dituju: Pimpinan" in section
    assert '<option value="pimpinan" selected>' in section


def test_hr_sees_the_target_gaps_without_the_form(app, client, mini):
    person = create_person(app)
    aid = submitted_assessment(app, person, MINI_LOW, version_id=mini)
    hr = create_person(app, ("hr",), email="hr@contoh.go.id")
    login(client, hr.nip)
    page = client.get(f"/hr/assessments/{aid}").get_data(as_text=True)
    assert page_years(page)[0]["jp"] == 18
    assert 'id="target-position"' not in page and "jabatan-tujuan" not in page
    set_target(app, aid, "pimpinan")
    page = client.get(f"/hr/assessments/{aid}").get_data(as_text=True)
    section = target_section(page)
    assert "Kesenjangan terhadap jabatan yang dituju: Pimpinan" in section
    assert "<form" not in section and 'name="target_position"' not in page and "jabatan-tujuan" not in page


# -- year_numbers, the rule the years follow --------------------------------------------------------

ENTRIES = st.lists(st.tuples(st.sampled_from("abcd"), st.integers(min_value=0, max_value=40)), max_size=25)


@settings(max_examples=300, deadline=None)
@given(entries=ENTRIES, yearly=st.integers(min_value=1, max_value=30))
def test_year_numbers_fit_the_yearly_figure_and_keep_prerequisites(entries, yearly):
    numbers = year_numbers(entries, yearly)
    assert len(numbers) == len(entries)
    if not entries:
        return
    assert set(numbers) == set(range(1, max(numbers) + 1))  # no empty year
    for year in set(numbers):
        inside = [jp for (_d, jp), n in zip(entries, numbers) if n == year]
        assert sum(inside) <= yearly or len(inside) == 1
    last: dict[str, int] = {}
    for (domain, _jp), number in zip(entries, numbers):
        assert number >= last.get(domain, 1)
        last[domain] = number
    assert numbers[0] == 1


@settings(max_examples=200, deadline=None)
@given(entries=ENTRIES, yearly=st.integers(min_value=1, max_value=30))
def test_plan_years_keep_the_priority_order_within_each_year(entries, yearly):
    modules = tuple(EnginePlanEntry(f"m{n}", domain, 1, 2, jp, "classroom") for n, (domain, jp) in enumerate(entries))
    plan = Plan(modules, (), sum(jp for _d, jp in entries), yearly)
    years = plan_years(plan)
    assert [y.number for y in years] == list(range(1, len(years) + 1))
    assert sorted(e.module_id for y in years for e in y.entries) == sorted(m.module_id for m in modules)
    for year in years:
        order = [modules.index(e) for e in year.entries]
        assert order == sorted(order)
        assert year.jp == sum(e.jp for e in year.entries)
        assert year.over == (year.jp > yearly)
        assert not year.over or len(year.entries) == 1
