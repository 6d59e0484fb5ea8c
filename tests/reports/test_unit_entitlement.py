"""The AKPK's entitlement section counts each employment type with its own figure: PNS people ×
at least PNS_MIN_JP, PPPK people × at most PPPK_MAX_JP (hand-made summary, no database)."""
from __future__ import annotations

import dataclasses

import pytest

from flask_babel import force_locale

from app.reports.unit import build_unit_pdf, entitlement_of_assessed

from . import page_texts, report_app, squash
from .test_unit_pdf import GENERATED, make_summary


@pytest.fixture(scope="module")
def summary():
    summary = make_summary()  # 40 people assessed
    summary.total = dataclasses.replace(summary.total, submitted_pppk=10)
    return summary


def test_the_counts_and_the_entitlement(summary):
    assert (summary.assessed, summary.assessed_pns, summary.assessed_pppk) == (40, 30, 10)
    assert entitlement_of_assessed(summary, 20, 24) == 30 * 20 + 10 * 24 == 840


def test_the_section_shows_both_lines_and_the_total(summary):
    app = report_app()
    with app.app_context(), force_locale("en"):
        pdf = build_unit_pdf(summary, "en", entitlement_jp=20, pppk_max_jp=24, appendix=None,
                             generated_at=GENERATED)
    text = squash(" ".join(page_texts(pdf)))
    assert ("Every PNS is entitled to at least 20 JP of competency development a year; a PPPK gets at most "
            "24 JP a year (PP No. 49 Tahun 2018).") in text
    assert "PNS: at least 20 JP per person a year 30 × 20 JP = 600 JP" in text
    assert "PPPK: at most 24 JP per person a year 10 × 24 JP = 240 JP" in text
    assert "Entitlement of the people assessed 840 JP" in text
    assert "Share of the entitlement needed 134%" in text  # 1,124 JP needed


def test_without_pppk_the_pppk_line_says_nobody():
    nobody = make_summary()
    app = report_app()
    with app.app_context(), force_locale("en"):
        pdf = build_unit_pdf(nobody, "en", entitlement_jp=20, appendix=None, generated_at=GENERATED)
    text = squash(" ".join(page_texts(pdf)))
    assert "PPPK: at most 24 JP per person a year 0 × 24 JP = 0 JP" in text
    assert "Entitlement of the people assessed 800 JP" in text
