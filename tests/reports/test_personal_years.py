"""The personal PDF, downloaded through the pages and read back with pypdf: the plan by year
("Tahun 1 — 18 JP", its modules in priority order), the yearly figure named for the person's
employment type, the priority rule, a module larger than the yearly figure, and the gaps against
the position the person aims for, apart from the plan."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, PlanEntry, User
from tests.factories import FULL, MINI, MINI_LOW, create_person, published_version, submitted_assessment
from tests.web.test_result_years import (PNS_RULE_EN, PNS_RULE_ID, PPPK_RULE_ID, PRIORITY_EN, PRIORITY_ID,
                                         lowest_answers, model_of, set_person, set_target, yearly_figure)

from tests.pages import login

from . import page_texts

YEAR_RE = re.compile(r"(?:Tahun|Year) (\d+) — (\d+) JP")


def pdf_of(client, aid: int, *, hr: bool = False) -> str:
    response = client.get(f"/hr/assessments/{aid}/laporan.pdf" if hr else f"/saya/penilaian/{aid}/laporan.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    return " ".join(page_texts(response.data))


def plan_part(text: str) -> str:
    """The training plan and what follows it, up to the signature block (the summary before it
    also names the plan: the heading is the last mention before the signatures)."""
    indonesian = "Tempat: " in text
    end = text.index("Tempat: " if indonesian else "Place: ")
    start = text.rindex("Rencana pelatihan" if indonesian else "Training plan", 0, end)
    return text[start:end]


def years_in(text: str, titles: list[str]) -> tuple[list[tuple[int, int]], dict[str, int]]:
    """The (number, JP) year headings in ``text``, and the year each module title is listed under."""
    headings = list(YEAR_RE.finditer(text))
    found = {}
    for title in titles:
        at = text.find(title)
        if at < 0:
            continue
        before = [h for h in headings if h.start() < at]
        assert before, f"{title} is listed before any year"
        found[title] = int(before[-1].group(1))
    return [(int(h.group(1)), int(h.group(2))) for h in headings], found


@pytest.fixture
def mini(app):
    return published_version(app, MINI)


def test_a_pns_pdf_shows_the_plan_by_year(app, client, mini):
    person = create_person(app)
    aid = submitted_assessment(app, person, MINI_LOW, version_id=mini)
    login(client, person.nip)
    text = plan_part(pdf_of(client, aid))
    headings, years = years_in(text, ["Krisis di kelas", "Mentoring krisis", "Dasar strategi", "Strategi lanjut"])
    assert headings == [(1, 18), (2, 8)]
    assert years == {"Krisis di kelas": 1, "Mentoring krisis": 1, "Dasar strategi": 1, "Strategi lanjut": 2}
    assert text.index("Krisis di kelas") < text.index("Mentoring krisis") < text.index("Dasar strategi")
    assert PNS_RULE_ID in text and PRIORITY_ID in text
    assert "Jumlah: 26 JP dalam 2 tahun." in text
    assert "paling sedikit 20 JP per tahun, dan rencana ini melebihinya" in text  # the plan's note stays
    assert "Klasikal" in text and "BPSDM" in text and "Diskominfo" in text
    assert "lebih besar daripada angka tahunan" not in text
    assert "Kesenjangan terhadap jabatan yang dituju" not in text


def test_the_pdf_years_in_english(app, client, mini):
    person = create_person(app)
    set_person(app, person, language="en")
    aid = submitted_assessment(app, person, MINI_LOW, version_id=mini)
    login(client, person.nip)
    text = plan_part(pdf_of(client, aid))
    assert YEAR_RE.findall(text) == [("1", "18"), ("2", "8")] and "Year 1 — 18 JP" in text
    assert PNS_RULE_EN in text and PRIORITY_EN in text
    assert "Total: 26 JP in 2 years." in text


PNS_16_ID = PNS_RULE_ID.replace("20 JP", "16 JP")


@pytest.mark.parametrize("employment, yearly, rule", [("pns", 20, PNS_RULE_ID), ("pppk", 24, PPPK_RULE_ID),
                                                      ("pns", 16, PNS_16_ID)])  # 16: a module waits for its base
def test_a_long_plan_splits_into_years_that_fit_and_keep_prerequisites(app, client, employment, yearly, rule):
    version = published_version(app, FULL)
    model = model_of(FULL)
    person = create_person(app)
    set_person(app, person, employment=employment)
    with yearly_figure(app, "PPPK_MAX_JP" if employment == "pppk" else "PNS_MIN_JP", yearly):
        aid = submitted_assessment(app, person, lowest_answers(model, "admin-medsos"), version_id=version)
    login(client, person.nip)
    text = plan_part(pdf_of(client, aid))
    with app.app_context():
        total = db.session.get(Assessment, aid).total_jp
        stored = dict(db.session.execute(select(PlanEntry.module_id, PlanEntry.year)
                                         .where(PlanEntry.assessment_id == aid)).all())
    titles = {model.module(module_id).title.get("id"): module_id for module_id in stored}
    headings, years = years_in(text, list(titles))
    assert len(headings) >= 2 and [n for n, _jp in headings] == list(range(1, len(headings) + 1))
    assert all(jp <= yearly for _n, jp in headings) and sum(jp for _n, jp in headings) == total > yearly
    assert {titles[title]: year for title, year in years.items()} == stored  # every module, in its year
    jp_by_year: dict[int, int] = {}
    for module_id, year in stored.items():
        jp_by_year[year] = jp_by_year.get(year, 0) + model.module(module_id).jp
    assert sorted(jp_by_year.items()) == headings
    for a in stored:
        for b in stored:
            ma, mb = model.module(a), model.module(b)
            if ma.domain_id == mb.domain_id and ma.to_level <= mb.from_level:
                assert stored[a] <= stored[b]
    assert rule in text
    assert ("paling sedikit" in text) == (employment == "pns") and ("paling banyak" in text) == (employment == "pppk")


def test_a_module_over_the_yearly_figure_is_noted_in_the_pdf(app, client, mini):
    person = create_person(app)
    with yearly_figure(app, "PNS_MIN_JP", 6):
        aid = submitted_assessment(app, person, MINI_LOW, version_id=mini)
    login(client, person.nip)
    text = plan_part(pdf_of(client, aid))
    assert YEAR_RE.findall(text) == [("1", "8"), ("2", "6"), ("3", "4"), ("4", "8")]
    assert ("Krisis di kelas (8 JP) sendiri lebih besar daripada angka tahunan 6 JP, sehingga menempati tahun "
            "ini sendiri.") in text
    assert "Strategi lanjut (8 JP) sendiri lebih besar" in text
    assert "Dasar strategi (4 JP) sendiri" not in text


def test_the_pdf_shows_the_gaps_against_the_target_position_apart(app, client, mini):
    person = create_person(app)
    aid = submitted_assessment(app, person, MINI_LOW, version_id=mini)
    set_target(app, aid, "pimpinan")  # targets strategi 2, krisis 2; the levels are 1 and 1
    login(client, person.nip)
    text = pdf_of(client, aid)
    heading = "Kesenjangan terhadap jabatan yang dituju: Pimpinan"
    assert heading in text
    target = text[text.index(heading):text.index("Tempat: ")]
    assert "Strategi: Dasar → Menengah, kesenjangan 1" in target
    assert "Krisis: Dasar → Menengah, kesenjangan 1" in target
    assert "Ahli" not in target  # admin-medsos's Krisis target stays in the results per domain
    assert text.index("Jumlah: 26 JP dalam 2 tahun.") < text.index(heading)
    assert "Krisis 0,0 Dasar Ahli 3" in text  # the current position's gap, which the plan follows


def test_hr_gets_the_same_target_section_in_english(app, client, mini):
    person = create_person(app)
    aid = submitted_assessment(app, person, MINI_LOW, version_id=mini)
    set_target(app, aid, "pimpinan")
    hr = create_person(app, ("hr",), email="hr@contoh.go.id")
    with app.app_context():
        db.session.get(User, hr.id).language = "en"
        db.session.commit()
    login(client, hr.nip)
    text = pdf_of(client, aid, hr=True)
    assert "Gaps against the position you aim for: Head of unit" in text
    target = text[text.index("Gaps against the position you aim for"):text.index("Place: ")]
    assert "Strategy: Basic → Intermediate, gap 1" in target and "Crisis: Basic → Intermediate, gap 1" in target
