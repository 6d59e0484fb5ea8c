"""The trend chart (SVG for the dashboard, vector in the PDF) and the unit report's trend section,
from a hand-made summary with MINI (two domains, levels 1–4) — no database."""
from __future__ import annotations

import dataclasses
import datetime
import xml.etree.ElementTree as ET
from functools import lru_cache

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from app.engine.questionnaire import load
from app.reports.charts import WEB_WIDTH, to_svg
from app.reports.trend_chart import trend_chart, value_label
from app.reports.trend_section import chart_rows, trend_svg
from app.reports.unit import build_unit_pdf, dashboard_charts
from app.reports.unit_data import (DomainTrend, GapChange, Participation, RoundFigures, RoundRef, Scope, Trend,
                                   UnitRef, UnitSummary)
from tests.factories import MINI

from . import page_texts, report_app

SVG = "{http://www.w3.org/2000/svg}"
PREVIOUS = RoundRef(1, "AKPK <b>2025</b>", datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), True)
CURRENT = RoundRef(2, "AKPK 2026", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), False)
# strategi: 4 of 5 below target before, 2 of 6 now; krisis: 1.234 of 2.468 before, 617 of 2.468 now.
STRATEGI = DomainTrend("strategi", RoundFigures(5, 4, ((1, 4), (2, 0), (3, 1), (4, 0))),
                       RoundFigures(6, 2, ((1, 2), (2, 0), (3, 1), (4, 3))),
                       GapChange(both=4, had_gap=3, closed=2, narrowed=0, unchanged_or_wider=1))
KRISIS = DomainTrend("krisis", RoundFigures(2468, 1234, ((1, 1000), (2, 234), (3, 1234), (4, 0))),
                     RoundFigures(2468, 617, ((1, 300), (2, 317), (3, 1000), (4, 851))),
                     GapChange(both=1500, had_gap=900, closed=400, narrowed=300, unchanged_or_wider=200))


@lru_cache(maxsize=1)
def mini():
    return load(MINI.read_text(encoding="utf-8"))


TREND = Trend(PREVIOUS, CURRENT, (STRATEGI, KRISIS))


def make_summary(trend: Trend | None, *, round_: RoundRef | None = CURRENT) -> UnitSummary:
    unit = UnitRef(1, "DINAS", "Dinas Contoh")
    return UnitSummary(Scope(unit, round=round_), mini(), Participation(unit, registered=10, started=8, submitted=6),
                       [], trend=trend)


@pytest.fixture(scope="module")
def reports_app():
    return report_app()


def svg_of(reports_app, lang: str = "en") -> ET.Element:
    with reports_app.app_context(), force_locale(lang):
        return ET.fromstring(dashboard_charts(make_summary(TREND), lang)["trend"])


def rects(svg: ET.Element, cls: str) -> list[ET.Element]:
    return [r for r in svg.iter(f"{SVG}rect") if r.get("class") == cls]


def texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text")]


def test_one_bar_per_domain_per_round_as_wide_as_the_share(reports_app):
    svg = svg_of(reports_app)
    tracks = rects(svg, "trend-track")
    previous, current = rects(svg, "bar-previous"), rects(svg, "bar-current")
    assert len(tracks) == 4 and len(previous) == 2 and len(current) == 2
    full = float(tracks[0].get("width"))
    assert all(float(t.get("width")) == pytest.approx(full) for t in tracks)
    assert [float(r.get("width")) / full for r in previous] == pytest.approx([4 / 5, 1234 / 2468])
    assert [float(r.get("width")) / full for r in current] == pytest.approx([2 / 6, 617 / 2468])
    # the current round's bar sits below the previous round's, in another colour
    assert previous[0].get("fill") != current[0].get("fill")


def test_every_bar_is_labelled_with_its_round_and_value(reports_app):
    shown = texts(svg_of(reports_app))
    assert "Strategy" in shown and "Crisis" in shown
    assert shown.count("AKPK <b>2025</b>") == 2 and shown.count("AKPK 2026") == 2
    for label in ("80% (4 of 5)", "33% (2 of 6)", "25% (617 of 2,468)"):
        assert label in shown, label
    # a phone-width chart has no room for "50% (1,234 of 2,468)" after or in its bar: the share alone
    assert "50%" in shown and not any("1,234" in text for text in shown)


def test_values_in_the_readers_locale(reports_app):
    shown = texts(svg_of(reports_app, "id"))
    with reports_app.app_context(), force_locale("id"):
        expected = _("%(share)s (%(below)s of %(people)s)", share="25%", below="617", people="2.468")
        assert value_label(617, 2468) == expected
    assert expected in shown


def test_the_svg_has_a_title_and_a_description_for_screen_readers(reports_app):
    svg = svg_of(reports_app)
    title = svg.find(f"{SVG}title").text
    assert svg.get("role") == "img" and svg.get("aria-label") == title
    assert "AKPK <b>2025</b>" in title and "AKPK 2026" in title
    desc = svg.find(f"{SVG}desc").text
    assert "Strategy: AKPK <b>2025</b> 80% (4 of 5); AKPK 2026 33% (2 of 6)." in desc
    assert "Crisis:" in desc


def test_no_people_assessed_gets_a_dash_and_no_bar(reports_app):
    with reports_app.app_context(), force_locale("en"):
        drawing = trend_chart([{"name": "X", "previous": (0, 0), "current": (1, 2)}], previous="A", current="B",
                              width=WEB_WIDTH)
        svg = ET.fromstring(to_svg(drawing))
    assert rects(svg, "bar-previous") == [] and len(rects(svg, "bar-current")) == 1
    assert "—" in texts(svg)


def test_no_trend_no_chart(reports_app):
    with reports_app.app_context(), force_locale("en"):
        assert trend_svg(make_summary(None), "en") == ""
        assert dashboard_charts(make_summary(None), "en")["trend"] == ""
        empty = dataclasses.replace(TREND, domains=())
        assert trend_svg(make_summary(empty), "en") == ""
        assert [row["name"] for row in chart_rows(make_summary(TREND), "id")] == ["Strategi", "Krisis"]


def build(reports_app, summary, lang="en") -> list[str]:
    with reports_app.app_context(), force_locale(lang):
        data = build_unit_pdf(summary, lang, entitlement_jp=20, appendix=None,
                              generated_at=datetime.datetime(2026, 4, 1, 9, 0))
    return page_texts(data)


def section(pages: list[str]) -> str:
    text = " ".join(pages)
    start = text.index("Compared with the previous round")
    return text[start:text.index("Prioritised training needs", start)]


def test_the_pdf_section_names_the_previous_round_and_the_figures(reports_app):
    text = section(build(reports_app, make_summary(TREND)))
    assert "“AKPK 2026” against the previous round, “AKPK <b>2025</b>”" in text
    for label in ("80% (4 of 5)", "33% (2 of 6)", "50% (1,234 of 2,468)", "25% (617 of 2,468)"):
        assert label in text, label  # the chart's labels, drawn as vector text
    # the table: domain, round, assessed, below target, share, people per level 1..4
    assert "Strategy AKPK <b>2025</b> 5 4 80% 4 0 1 0" in text
    assert "AKPK 2026 6 2 33% 2 0 1 3" in text
    assert "Crisis AKPK <b>2025</b> 2,468 1,234 50% 1,000 234 1,234 0" in text
    assert "Gaps of the people assessed in both rounds" in text
    assert "Strategy 4 3 2 0 1" in text and "Crisis 1,500 900 400 300 200" in text


def test_the_pdf_section_is_one_line_without_a_previous_round(reports_app):
    text = section(build(reports_app, make_summary(None)))
    assert "There is no round before “AKPK 2026” to compare it with." in text
    assert "Gap closed" not in text and "80%" not in text
    outside = section(build(reports_app, make_summary(None, round_=None)))
    assert "These figures are outside any round" in outside
