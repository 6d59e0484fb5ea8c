"""Reports of a questionnaire with as many domains as validation allows (MAX_DOMAINS): the
personal PDF (its levels chart is cut into parts that each fit a page), the web chart, and the
unit PDF (its heat map is cut into tables of at most HEAT_DOMAINS domains)."""
from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from functools import lru_cache

import pytest
from flask_babel import force_locale
from reportlab.platypus import Table

from app.engine.checks import MAX_DOMAINS
from app.engine.questionnaire import Questionnaire, load, validate
from app.engine.training import assess, result_to_dict
from app.reports.charts import WEB_WIDTH, levels_chart, levels_chart_parts, to_svg
from app.reports.heatmap import HEAT_DOMAINS, heat_map
from app.reports.layout import FRAME_HEIGHT, FRAME_WIDTH, styles
from app.reports.personal import CHART_MAX_HEIGHT, build_personal_pdf, chart_rows
from app.reports.unit import build_unit_pdf
from tests.engine.wide import domain_name, wide_text

from . import page_texts, report_app, squash
from .test_unit_pdf import make_summary

POSITION = "admin-medsos"


@lru_cache(maxsize=1)
def wide() -> Questionnaire:
    return load(wide_text(MAX_DOMAINS))


def wide_report(lang: str) -> dict:
    q = wide()
    answers = {item.id: 1 + n % 5 for n, item in enumerate(q.items)}  # levels 1 to 5
    return {
        "person": {"name": "Siti Aminah", "nip": "198501012010012001", "unit": "Dinas",
                   "position": "Pengelola Media Sosial"},
        "assessment": {"id": 77, "submitted_at": datetime.datetime(2026, 3, 5, 9, 30),
                       "questionnaire_title": q.title.get(lang), "version": 1},
        "result": result_to_dict(q, assess(q, answers, POSITION), lang),
        "levels": [{"level": lv.level, "name": lv.name.get(lang),
                    "descriptor": lv.descriptor.get(lang)} for lv in q.scale],
        "answers": [],
        "lang": lang,
    }


@pytest.fixture(scope="module")
def reports_app():
    return report_app()


@pytest.fixture(autouse=True)
def context(reports_app):
    with reports_app.app_context(), force_locale("en"):
        yield


def names(lang: str = "en") -> list[str]:
    return [domain_name(n, lang) for n in range(1, MAX_DOMAINS + 1)]


def test_the_questionnaire_is_at_the_limit_and_one_more_is_refused():
    assert len(wide().domains) == MAX_DOMAINS
    refused = validate(wide_text(MAX_DOMAINS + 1))
    assert [p.code for p in refused] == ["too_many_domains"]
    assert refused[0].message_en.startswith("This questionnaire has 25 domains, while at most 24")


@pytest.mark.parametrize("lang", ["en", "id"])
def test_personal_pdf_names_every_domain(lang):
    with force_locale(lang):
        pdf = build_personal_pdf(wide_report(lang))
    text = squash(" ".join(page_texts(pdf)))
    missing = [name for name in names(lang) if squash(name) not in text]
    assert missing == []


def test_the_levels_chart_is_cut_into_parts_that_fit_a_page():
    rows = chart_rows(wide_report("en")["result"])
    parts = levels_chart_parts(rows, 5, ["1", "2", "3", "4", "5"], width=FRAME_WIDTH,
                               max_height=CHART_MAX_HEIGHT)
    assert len(parts) > 1
    assert all(part.height <= CHART_MAX_HEIGHT < FRAME_HEIGHT for part in parts)
    whole = levels_chart(rows, 5, ["1", "2", "3", "4", "5"], width=FRAME_WIDTH)
    assert whole.height > FRAME_HEIGHT  # one drawing would not fit a page: why it is cut
    described = " ".join(part._desc for part in parts)
    assert described == whole._desc  # every domain once, in order
    assert [part._desc.count("Competency ") for part in parts] == [8, 8, 8]  # even parts, no stub


def test_the_web_chart_stays_one_svg_with_every_domain():
    rows = chart_rows(wide_report("en")["result"])
    root = ET.fromstring(to_svg(levels_chart(rows, 5, ["1", "2", "3", "4", "5"], width=WEB_WIDTH)))
    shown = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert all(f"Competency {n}:" in shown for n in range(1, MAX_DOMAINS + 1))


def unit_pdf(lang: str) -> bytes:
    with force_locale(lang):
        return build_unit_pdf(make_summary(model=wide()), lang, entitlement_jp=20,
                              appendix=[], generated_at=datetime.datetime(2026, 3, 5))


@pytest.mark.parametrize("lang", ["en", "id"])
def test_unit_pdf_names_every_domain(lang):
    text = squash(" ".join(page_texts(unit_pdf(lang))))
    missing = [name for name in names(lang) if squash(name) not in text]
    assert missing == []


def test_the_heat_map_is_cut_into_tables_of_at_most_eight_domains():
    tables = [f for f in heat_map(make_summary(model=wide()), "en", styles())
              if isinstance(f, Table)][:-1]  # the last table is the colour key
    columns = [len(t._cellvalues[0]) - 1 for t in tables]  # less the position column
    assert HEAT_DOMAINS == 8
    assert columns == [8, 8, 8]
    assert all(sum(t._colWidths) <= FRAME_WIDTH + 0.01 for t in tables)  # portrait width
