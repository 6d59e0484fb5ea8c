"""The unit AKPK as a plan (issue 14, points 1 and 2), read back from the PDF the service builds:
the year-1 plan per module (route, provider, quarter, classes only for modes run in classes),
the budget against a ceiling, the later years, the "DRAF" mark until the plan is set, the
signature block, and a set plan's snapshot.

The unit: three admin-medsos and one pimpinan with MINI_LOW, in a round. Their year-1 needs, in
priority order, with the default modes (``engine/budget.DEFAULT_MODES``):

1. m-krisis-kelas, classroom (45,000,000 a class of 30): 4 people × 8 JP, 1 class, Rp 45,000,000
2. m-strategi-1, e-learning (250,000 a participant): 4 people × 4 JP, Rp 1,000,000
3. m-krisis-mentor, mentoring (1,500,000 a participant): 3 people × 6 JP, Rp 4,500,000

and in year 2 m-strategi-2 (3 people × 8 JP). A ceiling of Rp 3,000,000: the class does not
fit (no people funded), e-learning is funded whole (2,000,000 left), mentoring for 1 of 3
(500,000 left): funded 2,500,000, unfunded 48,000,000."""
from __future__ import annotations

import datetime

import pytest

from app.extensions import db
from app.models import UnitPlan, UnitPlanModule
from app.services.reports import unit_report_pdf
from app.services.unit_plans import plan_figures, snapshot_of
from app.services.unit_reports import Filters, summarise
from tests.factories import MINI, MINI_LOW, make_assessment, make_round, make_unit, make_user, make_version

from . import page_texts

CEILING = 3_000_000
SET_ON = datetime.date(2027, 1, 15)
APPROVER = {"approver_name": "Dr. Ani Setiawati, M.Si.", "approver_nip": "197001011995032001",
            "approver_position": "Kepala Badan Kepegawaian Daerah", "set_place": "Serang"}


@pytest.fixture
def unit_round(ctx):
    unit = make_unit("DINAS", "Dinas Uji")
    version = make_version(MINI)
    round_ = make_round(unit, version)
    for n in range(3):
        make_assessment(make_user(unit, name=f"Admin {n}"), version, "admin-medsos", MINI_LOW, submit=True)
    make_assessment(make_user(unit, name="Pimpinan"), version, "pimpinan", MINI_LOW, submit=True)
    return unit, round_, version


def draft(unit, round_, *, ceiling=CEILING, replaces=None) -> UnitPlan:
    plan = UnitPlan(round_id=round_.id, unit_id=unit.id, status="draft", budget_ceiling=ceiling, replaces_id=replaces,
                    modules=[UnitPlanModule(module_id="m-krisis-kelas", quarter=2, provider="Pusdiklat <b>Krisis</b>"),
                             UnitPlanModule(module_id="m-krisis-mentor", quarter=4, provider="")])
    db.session.add(plan)
    db.session.commit()
    return plan


def set_plan(plan: UnitPlan, unit, round_) -> None:
    summary = summarise(Filters(unit=unit, round=round_))
    plan.snapshot = snapshot_of(plan_figures(summary, unit, plan), summary)
    plan.status, plan.set_on, plan.set_at = "set", SET_ON, datetime.datetime(2027, 1, 15, 10)
    for key, value in APPROVER.items():
        setattr(plan, key, value)
    db.session.commit()


def pdf_pages(unit, round_, lang="en") -> list[str]:
    return page_texts(unit_report_pdf(Filters(unit=unit, round=round_), lang, appendix=False))


def between(text: str, start: str, end: str) -> str:
    part = text[text.index(start):]
    return part[:part.index(end)]


def test_a_draft_is_marked_on_every_page_and_signed_by_hand(unit_round):
    unit, round_, _version = unit_round
    draft(unit, round_)
    pages = pdf_pages(unit, round_)
    assert len(pages) > 1
    assert all("DRAF" in page for page in pages)
    assert "Plan status DRAFT: not set yet" in pages[0]
    text = " ".join(pages)
    assert "……………, …………… …………………………… …………………………… NIP ……………" in text
    assert APPROVER["approver_name"] not in text


def test_no_plan_yet_is_a_draft_without_a_ceiling(unit_round):
    unit, round_, _version = unit_round
    pages = pdf_pages(unit, round_)
    assert all("DRAF" in page for page in pages)
    text = " ".join(pages)
    assert "Budget ceiling No ceiling entered Total needed Rp 50,500,000 Funded — Unfunded — Remaining —" in text
    assert "1 Crisis in class 4 Rp 45,000,000 — —" in text  # no ceiling: no funding verdict


def test_the_year_one_plan_per_module(unit_round):
    unit, round_, _version = unit_round
    draft(unit, round_)
    text = " ".join(pdf_pages(unit, round_))
    plan = between(text, "Year-1 plan", "Budget of the year-1 plan")
    # competency, route and mode, provider (the plan's, else the catalogue's) and quarter, JP, people, total, classes
    assert "1 Crisis in class Crisis Classical Classroom Pusdiklat <b>Krisis</b> Quarter II 8 4 32 1" in plan
    assert "2 Strategy basics Strategy Non-classical E-learning BPSDM — 4 4 16 —" in plan
    assert "3 Crisis mentoring Crisis Non-classical Mentoring Diskominfo Quarter IV 6 3 18 —" in plan
    assert "Total 11 66 1" in plan
    assert "rounded up (Classroom 30)" in plan and "class size of 30" not in text
    assert "Advanced strategy" not in plan  # year 2


def test_the_budget_against_the_ceiling(unit_round):
    unit, round_, _version = unit_round
    draft(unit, round_)
    text = " ".join(pdf_pages(unit, round_))
    budget = between(text, "Budget of the year-1 plan", "Training hours against the entitlement")
    assert "1 Crisis in class 4 Rp 45,000,000 Rp 0 Not funded" in budget
    assert "2 Strategy basics 4 Rp 1,000,000 Rp 1,000,000 Funded" in budget
    assert "3 Crisis mentoring 3 Rp 4,500,000 Rp 1,500,000 Part: 1 of 3 people" in budget
    assert ("Budget ceiling Rp 3,000,000 Total needed Rp 50,500,000 Funded Rp 2,500,000 "
            "Unfunded Rp 48,000,000 Remaining Rp 500,000") in budget


def test_year_one_against_the_entitlement_and_later_years_apart(unit_round):
    unit, round_, _version = unit_round
    text = " ".join(pdf_pages(unit, round_))
    assert "JP needed for the modules above 66" in text  # year 1 only: 32 + 16 + 18
    assert "Entitlement of the people assessed 80 JP" in text  # 4 PNS × 20 JP
    later = text[text.index("Later years"):]
    assert "Year 2 Advanced strategy 3 8 24" in later


def test_a_set_plan_has_no_mark_and_a_signature_block(unit_round):
    unit, round_, _version = unit_round
    plan = draft(unit, round_)
    set_plan(plan, unit, round_)
    pages = pdf_pages(unit, round_)
    assert not any("DRAF" in page for page in pages)
    assert "Plan status Set on January 15, 2027 by Dr. Ani Setiawati, M.Si." in pages[0]
    text = " ".join(pages)
    assert ("Serang, January 15, 2027 Kepala Badan Kepegawaian Daerah Dr. Ani Setiawati, M.Si. "
            "NIP 197001011995032001") in text
    assert "……………" not in text


def test_a_set_plan_prints_its_snapshot_after_the_data_changed(unit_round):
    unit, round_, version = unit_round
    plan = draft(unit, round_)
    set_plan(plan, unit, round_)
    make_assessment(make_user(unit, name="Admin baru"), version, "admin-medsos", MINI_LOW, submit=True)
    plan.modules[0].provider = "Penyelenggara lain"  # a set plan's rows are not read either
    db.session.commit()
    text = " ".join(pdf_pages(unit, round_))
    assert "1 Crisis in class Crisis Classical Classroom Pusdiklat <b>Krisis</b> Quarter II 8 4 32 1" in text
    assert "Total 11 66 1" in text
    assert "Part: 1 of 3 people" in text
    assert "Penyelenggara lain" not in text
    assert "People assessed 5" in text  # the rest of the report is live


def test_a_revision_says_what_it_replaces_and_is_a_draft_again(unit_round):
    unit, round_, _version = unit_round
    first = draft(unit, round_)
    set_plan(first, unit, round_)
    draft(unit, round_, ceiling=None, replaces=first.id)
    pages = pdf_pages(unit, round_)
    assert all("DRAF" in page for page in pages)
    assert f"Revision This plan replaces plan no. {first.id}." in pages[0]
    assert "No ceiling entered" in " ".join(pages)


def test_indonesian_status_and_signature(unit_round):
    """Needs the Indonesian translations of the new texts (DRAF, Ditetapkan pada … oleh …)."""
    unit, round_, _version = unit_round
    plan = draft(unit, round_)
    assert "DRAF" in pdf_pages(unit, round_, "id")[0]
    set_plan(plan, unit, round_)
    pages = pdf_pages(unit, round_, "id")
    assert "Ditetapkan pada 15 Januari 2027 oleh Dr. Ani Setiawati, M.Si." in pages[0]
    assert not any("DRAF" in page for page in pages)
    text = " ".join(pages)
    assert "Serang, 15 Januari 2027" in text and "NIP 197001011995032001" in text
    assert "Triwulan II" in text and "Klasikal" in text and "Nonklasikal" in text
