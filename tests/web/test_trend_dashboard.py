"""The dashboard's trend section through the test client: the round against the previous one
(chart, shares, gap changes as counts), and its one line without a previous round or outside
any round.

PROV ── DINAS (the HR officer's unit). Rounds of PROV: "AKPK 2025", then "AKPK <b>2026</b>" (the
newest, the dashboard's default). MINI, admin-medsos (targets strategi 3, krisis 4):
  P1  2025 LOW (gaps 2/3)   2026 GOLDEN (0/2): strategi closed, krisis narrowed
  P2  2025 LOW (gaps 2/3)   2026 LOW (2/3): both unchanged
  P3  outside any round, LOW
2025: strategi 2 of 2 below target, krisis 2 of 2; 2026: strategi 1 of 2, krisis 2 of 2.
"""
from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db
from app.models import Round, User
from tests.factories import MINI, MINI_LOW, create_person, make_assessment, make_unit, make_version
from tests.pages import login

GOLDEN = {"strategi-rencana": 3, "strategi-kanal": "c", "strategi-tanda": ["a", "b", "c"], "krisis-pantau": 5,
          "krisis-hoaks": "c", "krisis-tim": 2}


@pytest.fixture
def world(app):
    with app.app_context():
        prov = make_unit("PROV", "Provinsi")
        make_unit("DINAS", "Dinas", prov)
    people = {code: create_person(app, unit_code="DINAS", name=code) for code in ("P1", "P2", "P3")}
    hr = create_person(app, ("hr", "respondent"), unit_code="DINAS", name="Rina HR")
    with app.app_context():
        version = make_version(MINI)
        rounds = []
        for year, name in ((2025, "AKPK 2025"), (2026, "AKPK <b>2026</b>")):
            round_ = Round(name=name, unit_id=prov.id, version_id=version.id, opens_on=date(year, 1, 1),
                           closes_on=date(year, 3, 31))
            db.session.add(round_)
            db.session.commit()
            rounds.append(round_.id)
        plan = {rounds[0]: {"P1": MINI_LOW, "P2": MINI_LOW}, rounds[1]: {"P1": GOLDEN, "P2": MINI_LOW},
                None: {"P3": MINI_LOW}}
        for round_id, answers_of in plan.items():
            for code, answers in answers_of.items():
                assessment = make_assessment(db.session.get(User, people[code].id), version, answers=answers,
                                             submit=True)
                if round_id is not None:  # the rounds are past: answered outside, then moved in
                    assessment.round_id, assessment.latest = round_id, True
                    db.session.commit()
    return {"hr": hr, "rounds": rounds}


@pytest.fixture
def page(app, client, world):
    login(client, world["hr"].nip)
    return lambda query="": client.get(f"/hr/dashboard{query}").get_data(as_text=True)


def said(app, msgid: str, **params) -> str:
    """A text as the Indonesian page says it (the default language)."""
    with app.test_request_context(), force_locale("id"):
        return _(msgid, **params)


def gap_rows(html: str) -> dict[str, list[str]]:
    table = html[html.index('<table class="trend-gaps">'):]
    table = table[table.index("<tbody>"):table.index("</table>")]
    return {name: re.findall(r'<td class="num">([^<]*)</td>', cells)
            for name, cells in re.findall(r"<tr><th>([^<]+)</th>(.*?)</tr>", table)}


def test_the_trend_section_compares_the_round_with_the_previous_one(app, page):
    html = page()
    assert said(app, "Compared with the previous round") in html
    assert "AKPK &lt;b&gt;2026&lt;/b&gt;" in html and "<b>2026" not in html
    assert html.count('class="bar-previous"') == 2 and html.count('class="bar-current"') == 2
    svg = html[html.index('<section class="card chart trend"'):]
    svg = svg[svg.index("<svg"):svg.index("</svg>")]
    assert "<title>" in svg and "AKPK 2025" in svg
    shares = html[html.index('<table class="trend-shares">'):]
    shares = shares[:shares.index("</table>")]
    # strategi: 2 of 2 below target in 2025 (100%), 1 of 2 in 2026 (50%)
    assert re.search(r"AKPK 2025</td>\s*<td class=\"num\">2</td><td class=\"num\">2</td>\s*"
                     r"<td class=\"num\">100%</td>", shares)
    assert re.search(r"AKPK &lt;b&gt;2026&lt;/b&gt;</td>\s*<td class=\"num\">2</td><td class=\"num\">1</td>\s*"
                     r"<td class=\"num\">50%</td>", shares)
    # assessed in both, below target before, closed, narrowed, unchanged or wider
    assert gap_rows(html) == {"Strategi": ["2", "2", "1", "0", "1"], "Krisis": ["2", "2", "0", "1", "1"]}


def test_without_a_previous_round_the_section_is_one_line(app, page, world):
    html = page(f"?round={world['rounds'][0]}")
    assert said(app, "Compared with the previous round") in html
    assert said(app, "There is no round before “%(round)s” to compare it with.", round="AKPK 2025") in html
    assert "bar-previous" not in html and "trend-gaps" not in html and "trend-shares" not in html


def test_outside_any_round_the_section_says_so(app, page):
    html = page("?round=none")
    assert said(app, "These figures are outside any round, so there is no previous round to compare them "
                     "with.") in html
    assert "bar-previous" not in html and "trend-gaps" not in html
