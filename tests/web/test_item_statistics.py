"""The trainer's item statistics (issue 12, part 6): one attempt per person, pooled across versions
whose domain is unchanged, keyed option marked, shares as percentages, intervals, exports, and a
plain count of how many more people are needed."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from app.engine.questionnaire import load
from tests.factories import MINI, create_person, published_version, submitted_assessment
from tests.pages import login

PROFILES = [
    {"strategi-rencana": 1, "strategi-kanal": "a", "strategi-tanda": ["c"], "krisis-pantau": 1, "krisis-hoaks": "a"},
    {"strategi-rencana": 2, "strategi-kanal": "b", "strategi-tanda": ["a"], "krisis-pantau": 3, "krisis-hoaks": "c"},
    {"strategi-rencana": 4, "strategi-kanal": "c", "strategi-tanda": ["a", "b"], "krisis-pantau": 4,
     "krisis-hoaks": "b"},
    {"strategi-rencana": 3, "strategi-kanal": "c", "strategi-tanda": ["a"], "krisis-pantau": 2, "krisis-hoaks": "b"},
]


@pytest.fixture
def minimum(app):
    app.config["STATS_MIN_RESPONSES"] = 4
    yield 4
    app.config["STATS_MIN_RESPONSES"] = 100


@pytest.fixture
def trainer(app, client):
    login(client, create_person(app, ("trainer",), email="pelatih@contoh.go.id").nip)
    return client


def respond(app, version_id, profiles, prefix="p"):
    people = []
    for n, answers in enumerate(profiles):
        person = create_person(app, email=f"{prefix}{n}@contoh.go.id")
        submitted_assessment(app, person, answers, version_id=version_id, position="pimpinan")
        people.append(person)
    return people


def test_the_default_minimum_is_100_and_the_page_says_how_many_more(app, trainer):
    version_id = published_version(app)
    respond(app, version_id, PROFILES[:3])
    page = trainer.get(f"/trainer/versions/{version_id}/statistics").get_data(as_text=True)
    assert app.config["STATS_MIN_RESPONSES"] == 100
    assert "97" in page and "Cronbach" not in page


def test_a_person_who_answered_twice_counts_once(app, trainer, minimum):
    version_id = published_version(app)
    people = respond(app, version_id, PROFILES[:3])
    submitted_assessment(app, people[0], PROFILES[3], version_id=version_id, position="pimpinan")
    page = trainer.get(f"/trainer/versions/{version_id}/statistics").get_data(as_text=True)
    assert "Cronbach" not in page, "3 people, not 4 attempts"
    respond(app, version_id, PROFILES[:1], prefix="q")
    assert "Cronbach" in trainer.get(f"/trainer/versions/{version_id}/statistics").get_data(as_text=True)


def test_the_page_marks_the_key_shows_shares_and_intervals(app, trainer, minimum):
    version_id = published_version(app)
    respond(app, version_id, PROFILES)
    page = trainer.get(f"/trainer/versions/{version_id}/statistics").get_data(as_text=True)
    assert "c ✓: 50%" in page and "a: 25%" in page  # kanal: a 1, b 1, c 2 of 4; c is the key
    assert " – " in page  # an interval
    assert "0%" in page


def test_an_unchanged_domain_pools_its_versions_and_a_changed_one_does_not(app, trainer, minimum):
    first = published_version(app)
    respond(app, first, PROFILES[:2], prefix="v1-")
    changed = MINI.read_text(encoding="utf-8").replace("Satu akun", "Satu akun resmi")  # a strategi option
    second = published_version(app, changed)
    respond(app, second, PROFILES[2:], prefix="v2-")
    respond(app, second, PROFILES[:2], prefix="v2b-")
    page = trainer.get(f"/trainer/versions/{second}/statistics").get_data(as_text=True)
    assert "versi yang digabung" in page or "versions pooled" in page
    assert "6 orang" in page or "6 people" in page, "krisis is unchanged: 2 + 4 people pooled"
    assert "4 orang" in page or "4 people" in page, "strategi changed: version 2 alone"


def test_statistics_export_as_csv_and_xlsx(app, trainer, minimum):
    version_id = published_version(app)
    respond(app, version_id, PROFILES)
    body = trainer.get(f"/trainer/versions/{version_id}/statistics.csv")
    assert body.status_code == 200
    rows = list(csv.reader(io.StringIO(body.get_data().decode("utf-8-sig"))))
    model = load(MINI.read_text(encoding="utf-8"))
    assert [row[1] for row in rows[1:]] == [i.id for d in model.domains for i in d.scored_items]
    kanal = next(row for row in rows if row[1] == "strategi-kanal")
    assert kanal[4] == "4" and kanal[12] == "c"
    workbook = load_workbook(io.BytesIO(trainer.get(f"/trainer/versions/{version_id}/statistics.xlsx").data))
    values = list(workbook.active.iter_rows(values_only=True))
    assert isinstance(values[1][4], int) and isinstance(values[1][5], float)
