"""Trends: a round's figures against the previous round's, and the gap changes of the people
assessed in both, against a hand computation.

Fixture (MINI, tests/engine/fixtures/mini.yaml; targets admin-medsos strategi 3, krisis 4;
pimpinan 2 and 2): PROV ─┬─ DINAS ── SEKSI    the figures are DINAS's (DINAS and SEKSI)
                         └─ LUAR
Rounds of PROV: "AKPK 2025" (version 1), then "AKPK 2026" (version 2, MINI with another title);
a round of LUAR between them meets no one of DINAS. Answers: LOW strategi L1 krisis L1; GOLDEN
L3 / L2 (capped); HIGH L4 / L4.

  person  unit         position      2025 (gaps s/k)     2026 (gaps s/k)
  P1      SEKSI        admin-medsos  LOW (2/3)           GOLDEN (0/2)   strategi closed, krisis narrowed
  P2      DINAS        admin-medsos  LOW (2/3)           LOW (2/3)      both unchanged
  P3      DINAS        admin-medsos  GOLDEN (0/2)        LOW (2/3)      strategi: no gap before; krisis wider
  P4      DINAS        pimpinan      LOW (1/1)           HIGH (0/0)     both closed
  P5      DINAS        admin-medsos  —                   HIGH (0/0)     only in 2026
  P6      DINAS        admin-medsos  LOW (2/3)           —              only in 2025
  P7      LUAR         admin-medsos  LOW                 HIGH           outside the unit
  P8      LUAR→DINAS   admin-medsos  LOW (in LUAR)       HIGH (0/0)     2025 outside the unit: not in both

2025 in DINAS: P1 P2 P3 P4 P6 — strategi below 4 of 5, levels {1: 4, 3: 1}; krisis below 5 of 5,
levels {1: 4, 2: 1}. 2026 in DINAS: P1 P2 P3 P4 P5 P8 — strategi below 2 of 6, levels {1: 2,
3: 1, 4: 3}; krisis below 3 of 6, levels {1: 2, 2: 1, 4: 3}.
Both rounds: P1 P2 P3 P4. strategi: had a gap P1 P2 P4 → closed P1 P4, narrowed 0, unchanged P2.
krisis: had a gap all four → closed P4, narrowed P1, unchanged or wider P2 P3.
"""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import delete, select

from app.services.clock import office_time
from app.extensions import db
from app.models import Assessment, DomainResult, QuestionnaireVersion, Round, Unit
from app.reports.unit_data import GapChange
from app.services import trends
from app.services import unit_reports as reports
from app.services.questionnaires import parsed
from tests.factories import MINI, MINI_LOW, make_assessment, make_unit, make_user, make_version

LOW = MINI_LOW
HIGH = {"strategi-rencana": 4, "strategi-kanal": "c", "strategi-tanda": ["a", "b"], "krisis-pantau": 5,
        "krisis-hoaks": "b"}
GOLDEN = {"strategi-rencana": 3, "strategi-kanal": "c", "strategi-tanda": ["a", "b", "c"], "krisis-pantau": 5,
          "krisis-hoaks": "c", "krisis-tim": 2}


def _round(name: str, unit, version, year: int, months=(1, 3)) -> Round:
    round_ = Round(name=name, unit_id=unit.id, version_id=version.id, opens_on=date(year, months[0], 1),
                   closes_on=date(year, months[1], 28))
    db.session.add(round_)
    db.session.commit()
    return round_


def _in_round(user, version, round_: Round, answers, position="admin-medsos") -> Assessment:
    """A submitted assessment moved into ``round_`` (the rounds are in the past, so the person
    answers outside any round first), as the person's counted one there."""
    assessment = make_assessment(user, version, position, answers, submit=True)
    assessment.round_id, assessment.latest = round_.id, True
    db.session.commit()
    return assessment


@pytest.fixture
def world(app):
    with app.app_context():
        prov = make_unit("PROV", "Provinsi")
        dinas = make_unit("DINAS", "Dinas", prov)
        seksi = make_unit("SEKSI", "Seksi", dinas)
        luar = make_unit("LUAR", "Luar", prov)
        v1 = make_version(MINI)
        first = _round("AKPK 2025", prov, v1, 2025)
        _round("Luar 2025", luar, v1, 2025, months=(6, 7))  # later than AKPK 2025, meets no one of DINAS
        people = {code: make_user(unit, name=code) for code, unit in
                  (("P1", seksi), ("P2", dinas), ("P3", dinas), ("P4", dinas), ("P5", dinas), ("P6", dinas),
                   ("P7", luar), ("P8", luar))}
        before = {"P1": LOW, "P2": LOW, "P3": GOLDEN, "P4": LOW, "P6": LOW, "P7": LOW, "P8": LOW}
        first_ids = {code: _in_round(people[code], v1, first, answers,
                                     "pimpinan" if code == "P4" else "admin-medsos").id
                     for code, answers in before.items()}
        people["P8"].unit = dinas
        db.session.commit()
        v2 = make_version(MINI.read_text(encoding="utf-8").replace("Kuesioner mini", "Kuesioner mini 2"))
        second = _round("AKPK 2026", prov, v2, 2026)
        now = {"P1": GOLDEN, "P2": LOW, "P3": LOW, "P4": HIGH, "P5": HIGH, "P7": HIGH, "P8": HIGH}
        for code, answers in now.items():
            _in_round(people[code], v2, second, answers, "pimpinan" if code == "P4" else "admin-medsos")
        return {"dinas": dinas.id, "first": first.id, "second": second.id, "v1": v1.id, "v2": v2.id,
                "first_ids": first_ids}


def _trend(world, **kwargs):
    dinas = db.session.get(Unit, world["dinas"])
    filters = reports.Filters(dinas, round=db.session.get(Round, world["second"]), **kwargs)
    model = reports.reference_model(filters)
    return trends.trend_for(filters, model), filters


def test_shares_levels_and_gap_changes_equal_the_hand_computation(app, world):
    with app.app_context():
        trend, _filters = _trend(world)
        assert (trend.previous.name, trend.current.name) == ("AKPK 2025", "AKPK 2026")
        assert trend.previous.closed and trend.current.closed
        strategi, krisis = trend.domains
        assert (strategi.domain_id, krisis.domain_id) == ("strategi", "krisis")
        assert (strategi.previous.below, strategi.previous.assessed) == (4, 5)
        assert (strategi.current.below, strategi.current.assessed) == (2, 6)
        assert (krisis.previous.below, krisis.previous.assessed) == (5, 5)
        assert (krisis.current.below, krisis.current.assessed) == (3, 6)
        assert strategi.previous.share_below == pytest.approx(0.8)
        assert krisis.current.share_below == pytest.approx(0.5)
        assert dict(strategi.previous.levels) == {1: 4, 2: 0, 3: 1, 4: 0}
        assert dict(strategi.current.levels) == {1: 2, 2: 0, 3: 1, 4: 3}
        assert dict(krisis.previous.levels) == {1: 4, 2: 1, 3: 0, 4: 0}
        assert dict(krisis.current.levels) == {1: 2, 2: 1, 3: 0, 4: 3}
        assert strategi.gaps == GapChange(both=4, had_gap=3, closed=2, narrowed=0, unchanged_or_wider=1)
        assert krisis.gaps == GapChange(both=4, had_gap=4, closed=1, narrowed=1, unchanged_or_wider=2)


def test_the_position_filter_applies_to_both_rounds(app, world):
    with app.app_context():
        trend, _filters = _trend(world, position="pimpinan")
        for domain in trend.domains:
            assert (domain.previous.below, domain.previous.assessed) == (1, 1)
            assert (domain.current.below, domain.current.assessed) == (0, 1)
            assert domain.gaps == GapChange(both=1, had_gap=1, closed=1, narrowed=0, unchanged_or_wider=0)


def test_the_version_and_dates_of_the_current_round_do_not_empty_the_previous_one(app, world):
    """The previous round (version 1) keeps its figures when the filters name version 2 and a
    date range: a round has its own version and dates."""
    with app.app_context():
        today = office_time(db.session.scalar(select(Assessment.submitted_at).limit(1))).date()
        trend, _filters = _trend(world, version_id=world["v2"], date_from=today, date_to=today)
        assert [(d.previous.below, d.previous.assessed) for d in trend.domains] == [(4, 5), (5, 5)]
        assert trend.domains[1].gaps.both == 4


def test_a_domain_with_results_in_one_round_only_is_left_out(app, world):
    with app.app_context():
        db.session.execute(delete(DomainResult).where(DomainResult.assessment_id.in_(world["first_ids"].values()),
                                                      DomainResult.domain_id == "krisis"))
        db.session.commit()
        trend, _filters = _trend(world)
        assert [d.domain_id for d in trend.domains] == ["strategi"]


def test_no_trend_without_a_previous_round_or_outside_rounds(app, world):
    with app.app_context():
        dinas = db.session.get(Unit, world["dinas"])
        model = parsed(db.session.get(QuestionnaireVersion, world["v1"]))
        first = reports.Filters(dinas, round=db.session.get(Round, world["first"]))
        assert trends.trend_for(first, model) is None
        assert trends.trend_for(dataclasses.replace(first, round=None), model) is None


def test_summarise_carries_the_trend(app, world):
    with app.app_context():
        dinas = db.session.get(Unit, world["dinas"])
        summary = reports.summarise(reports.parse_filters({"round": str(world["second"])}, dinas))
        expected, _filters = _trend(world)
        assert summary.trend == expected
        assert reports.summarise(reports.parse_filters({"round": str(world["first"])}, dinas)).trend is None
        assert reports.summarise(reports.parse_filters({"round": "none"}, dinas)).trend is None


def test_gap_changes_are_one_grouped_query(app, world):
    with app.app_context():
        _trend_value, filters = _trend(world)
        before = trends.previous_filters(filters)
        model = reports.reference_model(filters)
        sql = str(trends.gap_changes_query(filters, before, model).compile(db.engine))
        assert sql.count("GROUP BY") == 1 and "JOIN" in sql


def test_gap_changes_of_those_who_completed_a_module_of_the_domain(app, world):
    """strategi: P1 P2 P4 had a gap; P1 (closed) and P2 (unchanged) completed a strategi module
    between the rounds; P4 completed one only after the current round closed, P3 a krisis one
    before the previous round opened. krisis: all four had a gap; only P3's module is krisis,
    and it is outside the window, so nobody counts as trained there."""
    from app.models import Realisation, User

    with app.app_context():
        ids = {u.name: u.id for u in db.session.scalars(select(User))}
        for code, module, day in (("P1", "m-strategi-1", date(2025, 6, 1)), ("P2", "m-strategi-2", date(2026, 3, 28)),
                                  ("P4", "m-strategi-1", date(2026, 4, 1)), ("P3", "m-krisis-kelas", date(2024, 12, 1)),
                                  ("P5", "m-strategi-1", date(2025, 6, 1))):  # P5 was not assessed before
            db.session.add(Realisation(user_id=ids[code], module_id=module, completed_on=day, jp=4, provider=""))
        db.session.commit()
        trend, _filters = _trend(world)
        strategi, krisis = trend.domains
        assert (strategi.gaps.trained, strategi.gaps.trained_closed) == (2, 1)
        assert (strategi.gaps.untrained, strategi.gaps.untrained_closed) == (1, 1)
        assert (krisis.gaps.trained, krisis.gaps.trained_closed) == (0, 0)


def test_the_akpk_and_the_dashboard_show_the_split_by_training(app, world):
    import io

    from pypdf import PdfReader

    from app.models import Realisation, User
    from app.services.reports import unit_report_pdf

    with app.app_context():
        ids = {u.name: u.id for u in db.session.scalars(select(User))}
        db.session.add(Realisation(user_id=ids["P1"], module_id="m-strategi-1", completed_on=date(2025, 6, 1), jp=4,
                                   provider=""))
        db.session.commit()
    with app.test_request_context():
        dinas = db.session.get(Unit, world["dinas"])
        body = unit_report_pdf(reports.Filters(dinas, round=db.session.get(Round, world["second"])), "en",
                               appendix=False)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(body)).pages)
    section = text[text.index("Below target before, by whether they completed a module of the domain"):]
    assert "Strategy 1 1 2 1 Crisis 0 0 4 1" in section  # strategi: P1 trained and closed; P2, P4 did not
