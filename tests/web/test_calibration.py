"""Calibration from collected data (issue 12, part 5): the calibration page of a published version
(how many more people are needed below the minimum; with enough, a chart per domain and the
suggested values) and the impact preview of a draft (level changes and the units' JP before and
after, computed by hand below), for trainers only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.web.i18n import LANGUAGE_COOKIE
from tests.factories import create_person, published_version, submitted_assessment
from tests.pages import csrf_from, login, new_draft

ANCHORED = Path(__file__).resolve().parents[1] / "engine" / "fixtures" / "anchored.yaml"
SOURCE = ANCHORED.read_text(encoding="utf-8")

# Position admin-medsos: targets strategi 3, krisis 4. Tiers: ≤ 0.5 → −1, ≤ 0.25 → −2.
# strategi: self-rated = (2 × rencana + evaluasi) / 3; scenario = (kanal + tanda) / 2
# (kanal a 0, b 1/2, c 1; tanda [a, b] 1, [a] 1/2). krisis: self-rated = pantau; scenario = hoaks
# (a 0, b 1, c 1/2, d 1/4; a cap at ≤ 0.5: at most level 2).
PEOPLE = [
    # unit UA. P1: strategi 3, scenario 3/4 → 3; krisis 4, 1 → 4. Gaps 0, 0: 0 JP.
    ("UA", {"strategi-rencana": 3, "strategi-evaluasi": 3, "strategi-kanal": "c", "strategi-tanda": ["a"],
            "krisis-pantau": 4, "krisis-hoaks": "b"}),
    # P2: strategi 2, scenario 1 → 2 (gap 1: m-strategi-2, 8 JP); krisis 3, 1/2 → 2, capped at 2 (gap 2:
    # m-krisis-coaching 6 + m-krisis-mentor 6). 20 JP.
    ("UA", {"strategi-rencana": 2, "strategi-evaluasi": 2, "strategi-kanal": "c", "strategi-tanda": ["a", "b"],
            "krisis-pantau": 3, "krisis-hoaks": "c"}),
    # unit UB. P3: strategi 4, scenario 3/4 → 4 (gap 0); krisis 1 (gap 3: m-krisis-kelas 8 + mentor 6). 14 JP.
    ("UB", {"strategi-rencana": 4, "strategi-evaluasi": 4, "strategi-kanal": "b", "strategi-tanda": ["a", "b"],
            "krisis-pantau": 1, "krisis-hoaks": "b"}),
    # P4: strategi 1 (gap 2: m-strategi-1 4 + m-strategi-2 8); krisis 2 (gap 2: 6 + 6). 24 JP.
    ("UB", {"strategi-rencana": 1, "strategi-evaluasi": 1, "strategi-kanal": "c", "strategi-tanda": ["a", "b"],
            "krisis-pantau": 2, "krisis-hoaks": "b"}),
]
# The draft checks harder: a scenario score of 0.8 or less lowers by 1. Then P1's strategi (3/4)
# goes 3 → 2 (gap 0 → 1: 8 JP) and P3's 4 → 3 (gap stays 0: still 14 JP); nothing else changes.
# strategi: 2 down, 2 unchanged, 1 gap larger; below target 2 → 3 people.
# Unit UA: 2 people, 1 level change, 1 gap change, 0 + 20 = 20 JP → 8 + 20 = 28 JP.
# Unit UB: 2 people, 1 level change, 0 gap changes, 14 + 24 = 38 JP → 38 JP.
STRICTER = SOURCE.replace("{below: 0.5, lower_by: 1}", "{below: 0.8, lower_by: 1}")


@pytest.fixture
def minimum(app):
    before = app.config["STATS_MIN_RESPONSES"]
    app.config["STATS_MIN_RESPONSES"] = 4
    yield 4
    app.config["STATS_MIN_RESPONSES"] = before


@pytest.fixture
def version(app):
    return published_version(app, SOURCE)


@pytest.fixture
def trainer(app, client, version):
    login(client, create_person(app, ("trainer",), email="pelatih@contoh.go.id").nip)
    client.set_cookie(LANGUAGE_COOKIE, "en")  # the page's sentences are read in English
    return client


def respond(app, version_id, people=PEOPLE):
    for n, (unit, answers) in enumerate(people):
        person = create_person(app, unit_code=unit, email=f"p{n}@contoh.go.id")
        submitted_assessment(app, person, answers, version_id=version_id, position="admin-medsos")


def save_yaml(client, draft_id, source):
    page = client.get(f"/trainer/drafts/{draft_id}/yaml").get_data(as_text=True)
    lock = page.split('name="lock" value="')[1].split('"')[0]
    response = client.post(f"/trainer/drafts/{draft_id}/yaml",
                           data={"source": source, "lock": lock, "csrf_token": csrf_from(page)})
    assert response.status_code == 302


def cells(html: str) -> str:
    """The page with the white space between tags removed, so that a table row reads as one string."""
    return re.sub(r">\s+<", "><", html)


def test_with_too_few_people_the_page_says_how_many_more_and_suggests_nothing(app, trainer, version):
    respond(app, version, PEOPLE[:3])
    page = trainer.get(f"/trainer/versions/{version}/calibration").get_data(as_text=True)
    assert app.config["STATS_MIN_RESPONSES"] == 100
    assert "97 more people need to submit" in page
    assert "<svg" not in page and "Percentile method" not in page and "misclassified" not in page


def test_with_enough_people_a_chart_per_domain_and_the_suggested_values(app, trainer, version, minimum):
    respond(app, version)
    response = trainer.get(f"/trainer/versions/{version}/calibration")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for domain in ("Strategy", "Crisis"):
        assert f"<title>Self-rated and scored levels: {domain}</title>" in page
        assert f"<title>Scenario score by self-rated level: {domain}</title>" in page
    assert page.count("<svg") == 4 and "style=" not in page.split("<main")[1]
    assert "Percentile method" in page and "Contrasting groups" in page
    # The tier lowering by 1, by hand: pairs (self-rated k − 1, k) with people in both, both domains:
    # lower [1, 1, 3/4 | 1, 1, 1/2], upper [1, 3/4, 3/4 | 1, 1/2, 1]; lowering nobody: 6 errors,
    # ≤ 0.5: 1 + 5 = 6 (a tie: the larger low side), ≤ 0.75: 3 + 4 = 7 → 0.5, 6 of 12 misclassified.
    assert "6 of 12 misclassified" in page
    # lowering by 2: lower [1, 1, 1, 1], upper [3/4, 3/4, 1/2, 1]: nobody 4 errors, ≤ 0.5 5, ≤ 0.75 7
    assert "none (lowering nobody misclassifies fewest)" in page and "4 of 8 misclassified" in page
    assert "lower_by: 2" in page and "the medians do not separate the groups" in page


MINI_PEOPLE = [  # the thresholds model (tests/engine/fixtures/mini.yaml: thresholds 40, 60, 80)
    # strategi-rencana (4 anchors, weight 2), krisis-pantau (5 anchors): self-rated 1 + 3 × the rating score
    ("UA", {"strategi-rencana": 1, "strategi-kanal": "a", "strategi-tanda": ["c"], "krisis-pantau": 1,
            "krisis-hoaks": "a"}),
    ("UA", {"strategi-rencana": 2, "strategi-kanal": "b", "strategi-tanda": ["a"], "krisis-pantau": 3,
            "krisis-hoaks": "c"}),
    ("UB", {"strategi-rencana": 4, "strategi-kanal": "c", "strategi-tanda": ["a", "b"], "krisis-pantau": 5,
            "krisis-hoaks": "b"}),
    ("UB", {"strategi-rencana": 3, "strategi-kanal": "c", "strategi-tanda": ["a"], "krisis-pantau": 4,
            "krisis-hoaks": "b"}),
]


def test_a_thresholds_version_gets_threshold_suggestions(app, trainer, minimum):
    mini = published_version(app)
    respond(app, mini, MINI_PEOPLE)
    page = cells(trainer.get(f"/trainer/versions/{mini}/calibration").get_data(as_text=True))
    assert "<title>Domain score by self-rated level: Strategy</title>" in page
    # By hand (rencana (a − 1) / 3, weight 2; kanal a 0, b 1/2, c 1; tanda [c] 0, [a] 1/2, [a, b] 1;
    # pantau (a − 1) / 4; hoaks a 0, b 1, c 1/3): strategi scores 0, 41.67, 100, 70.83, levels 1, 2, 4, 3,
    # self-rated 1, 2, 4, 3; krisis 0, 41.67, 100, 87.5, levels 1, 2, 4, 4, self-rated 1, 2 (2.5 half
    # down), 4, 3 (3.25). Target: 2, 4, 5 of the 8 levels below 2, 3, 4.
    # Percentile, level 2: m = ⌊2/8 × 8 + ½⌋ = 2 stay below: the 3rd smallest score, 41.67 → 41.6.
    # Contrasting groups, level 2: [0, 0] against [41.67, 41.67]: 41.6 misclassifies nobody; the
    # medians 0 and 41.67 → 20.83 → 20.8.
    assert '<td>level 2</td><td><span class="mono">40</span></td><td><span class="mono">41.6</span>' in page
    assert '<td><span class="mono">41.6</span><span class="muted small">0 of 4 misclassified</span></td>' \
           '<td><span class="mono">20.8</span></td>' in page
    # level 3: m = 4: the 5th smallest, 70.83 → 70.8; [41.67, 41.67] against [70.83, 87.5]: 70.8, no
    # error; medians 41.67 and 79.17 → 60.42 → 60.4. Level 4: m = 5: 87.5; [70.83, 87.5] against
    # [100, 100]: 100; medians 79.17 and 100 → 89.58 → 89.6.
    assert '<td>level 3</td><td><span class="mono">60</span></td><td><span class="mono">70.8</span>' in page
    assert '<td><span class="mono">60.4</span></td>' in page
    assert '<td>level 4</td><td><span class="mono">80</span></td><td><span class="mono">87.5</span>' in page
    assert '<td><span class="mono">100.0</span><span class="muted small">0 of 4 misclassified</span></td>' \
           '<td><span class="mono">89.6</span></td>' in page


def test_the_percentile_is_chosen_from_a_list(app, trainer, version, minimum):
    respond(app, version)
    assert trainer.get(f"/trainer/versions/{version}/calibration?percentile=25").status_code == 200
    assert trainer.get(f"/trainer/versions/{version}/calibration?percentile=33").status_code == 400
    assert trainer.get(f"/trainer/versions/{version}/calibration?percentile=x").status_code == 400


def test_the_impact_preview_of_a_stricter_check_by_hand(app, trainer, version, minimum):
    respond(app, version)
    draft_id = new_draft(trainer, version)
    save_yaml(trainer, draft_id, STRICTER)
    response = trainer.get(f"/trainer/drafts/{draft_id}/impact")
    assert response.status_code == 200
    page = cells(response.get_data(as_text=True))
    # domain: up, down, unchanged, newly assessed, no longer assessed, gap larger, gap smaller, below target
    assert "<td>Strategy</td><td>0</td><td>2</td><td>2</td><td>0</td><td>0</td><td>1</td><td>0</td>" \
           "<td>2 → 3</td>" in page
    assert "<td>Crisis</td><td>0</td><td>0</td><td>4</td><td>0</td><td>0</td><td>0</td><td>0</td>" \
           "<td>3 → 3</td>" in page
    # unit: people, level changes, gap changes, JP now, JP with the draft, change
    assert "<td>Unit UA</td><td>2</td><td>1</td><td>1</td><td>20</td><td>28</td><td>+8</td>" in page
    assert "<td>Unit UB</td><td>2</td><td>1</td><td>0</td><td>38</td><td>38</td><td>0</td>" in page
    assert "2 people change level in at least one domain." in page
    assert "Training need: 58 JP now, 66 JP with the draft (+8 JP)." in page
    # against the version named explicitly: the same
    explicit = cells(trainer.get(f"/trainer/drafts/{draft_id}/impact?against={version}").get_data(as_text=True))
    assert "<td>Unit UA</td><td>2</td><td>1</td><td>1</td><td>20</td><td>28</td><td>+8</td>" in explicit


def test_the_impact_preview_needs_enough_people_and_a_valid_draft(app, trainer, version):
    respond(app, version, PEOPLE[:1])
    draft_id = new_draft(trainer, version)
    page = trainer.get(f"/trainer/drafts/{draft_id}/impact").get_data(as_text=True)
    assert "99 more people need to submit" in page and "Per unit" not in page
    save_yaml(trainer, draft_id, SOURCE.replace("jp: 4", "jp: -4"))
    response = trainer.get(f"/trainer/drafts/{draft_id}/impact")
    assert response.status_code == 400 and 'id="problems"' in response.get_data(as_text=True)


def test_wrong_kinds_of_version_are_not_found(app, trainer, version):
    draft_id = new_draft(trainer, version)
    other = published_version(app)  # the mini questionnaire: another questionnaire
    assert trainer.get(f"/trainer/versions/{draft_id}/calibration").status_code == 404
    assert trainer.get(f"/trainer/drafts/{version}/impact").status_code == 404
    assert trainer.get(f"/trainer/drafts/{draft_id}/impact?against={other}").status_code == 404
    assert trainer.get(f"/trainer/drafts/{draft_id}/impact?against={draft_id}").status_code == 404
    assert trainer.get(f"/trainer/drafts/{draft_id}/impact?against=abc").status_code == 400
    assert trainer.get("/trainer/versions/999999/calibration").status_code == 404


@pytest.mark.parametrize("role", ["respondent", "hr"])
def test_respondents_and_hr_officers_get_403(app, client, version, role):
    draft_id = new_draft(trainer_client(app), version)
    login(client, create_person(app, (role,), email=f"{role}@contoh.go.id").nip)
    assert client.get(f"/trainer/versions/{version}/calibration").status_code == 403
    assert client.get(f"/trainer/drafts/{draft_id}/impact").status_code == 403


def trainer_client(app):
    other = app.test_client()
    login(other, create_person(app, ("trainer",), email="pelatih2@contoh.go.id").nip)
    return other


def test_the_version_list_and_the_statistics_page_link_here(app, trainer, version):
    draft_id = new_draft(trainer, version)
    home = trainer.get("/trainer/").get_data(as_text=True)
    assert f'href="/trainer/versions/{version}/calibration"' in home
    assert f'href="/trainer/drafts/{draft_id}/impact"' in home
    statistics = trainer.get(f"/trainer/versions/{version}/statistics").get_data(as_text=True)
    assert f'href="/trainer/versions/{version}/calibration"' in statistics


def test_the_work_is_bounded_to_the_latest_assessments(app, trainer, version, minimum, monkeypatch):
    from app.services import calibration

    respond(app, version)
    draft_id = new_draft(trainer, version)
    save_yaml(trainer, draft_id, STRICTER)
    monkeypatch.setattr(calibration, "LIMIT", 3)
    page = cells(trainer.get(f"/trainer/drafts/{draft_id}/impact").get_data(as_text=True))
    assert "Only the latest 3 assessments are scored again (of 4)" in page and "3 people compared." in page
    # P1 (the oldest) is left out: unit UA keeps only P2, whose level and plan do not change
    assert "<td>Unit UA</td><td>1</td><td>0</td><td>0</td><td>20</td><td>20</td><td>0</td>" in page
    calibration_page = trainer.get(f"/trainer/versions/{version}/calibration").get_data(as_text=True)
    assert "Only the latest 3 assessments are read (of 4)" in calibration_page
