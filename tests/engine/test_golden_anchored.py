"""A golden respondent on fixtures/anchored.yaml (the anchored scoring model), computed by hand.

Scoring: self-rating rounded half down; scenario check ≤ 0.5 → −1, ≤ 0.25 → −2; cap on
krisis-hoaks at or below 0.5 → at most level 2.

Answers (anchor number a; normalised item score s; weight w):
  strategi-rencana   rating 3 of 4       a = 3, s = 2/3                    w = 2
  strategi-evaluasi  rating 4 of 4       a = 4, s = 1                      w = 1
  strategi-kanal     choice c (2 of 2)   s = 1                             w = 1
  strategi-tanda     multi a, b, c       s = (1 + 1 − 1) / 2 = 1/2         w = 1
  krisis-pantau      rating 4 of 4       a = 4, s = 1                      w = 1
  krisis-hoaks       choice c (2 of 4)   s = 1/2 (partial credit)          w = 1
  krisis-tim         choice b (1 of 1)   s = 1                             w = 0.5

strategi: self-rating (2 × 3 + 1 × 4) / 3 = 10/3 = 3.33 → half down → 3 (Mahir).
          scenario score (1 × 1 + 1 × 1/2) / 2 = 3/4 = 75% > 50% → not lowered → level 3.
          domain score 100 × (2 × 2/3 + 1 + 1 + 1/2) / 5 = 100 × 23/30 = 76.7 (shown only).
          scenario shortfalls: tanda 1 × 1/2.
krisis:   self-rating 4 → 4 (Ahli). scenario score (1/2 + 0.5 × 1) / 1.5 = 2/3 = 66.7% → not
          lowered → 4; krisis-hoaks s = 1/2 ≤ 0.5 → capped at 2 (Menengah). (The thresholds
          model's strict "< 0.5" let this partial credit escape the cap.)
          domain score 100 × (1 + 1/2 + 0.5) / 2.5 = 80.0. Shortfalls: hoaks 1 × 1/2.
Position admin-medsos (strategi 3, krisis 4; importance krisis 2): strategi gap 0; krisis gap 2,
          priority 4. Plan from krisis level 2: m-krisis-coaching (2→3, 6 JP) beats m-krisis-kelas
          (1→3, 8 JP) on JP; then m-krisis-mentor (3→4, 6 JP). Total 12 JP, below 20.

Second respondent, everything the same but strategi-kanal a, strategi-tanda [] (every strategi
scenario wrong): scenario score 0 ≤ 0.25 → lowered by 2, from 3 to 1; gap 3 − 1 = 2:
m-strategi-1 (1→2, 4 JP) and m-strategi-2 (2→3, 8 JP) after krisis's 12 JP: 24 JP, above 20.
"""
from pathlib import Path

import pytest

from app.engine.questionnaire import load
from app.engine.training import assess, result_to_dict

ANSWERS = {"strategi-rencana": 3, "strategi-evaluasi": 4, "strategi-kanal": "c",
           "strategi-tanda": ["a", "b", "c"], "strategi-komentar": "Perlu pelatihan.",
           "krisis-pantau": 4, "krisis-hoaks": "c", "krisis-tim": "b"}
WRONG_STRATEGI = {**ANSWERS, "strategi-kanal": "a", "strategi-tanda": []}


@pytest.fixture(scope="module")
def anchored():
    return load((Path(__file__).parent / "fixtures" / "anchored.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result(anchored):
    return assess(anchored, ANSWERS, "admin-medsos")


def test_sub_scores_and_levels(result):
    strategi, krisis = result.scores.domains
    assert strategi.self_rating == pytest.approx(10 / 3)
    assert (strategi.display_self_rating, strategi.self_rated_level) == (3.33, 3)
    assert (strategi.scenario_score, strategi.scenario_check, strategi.lowered_by) == (0.75, None, 0)
    assert (strategi.uncapped_level, strategi.level, strategi.caps_applied) == (3, 3, ())
    assert strategi.score == pytest.approx(100 * 23 / 30) and strategi.display_score == 76.7
    assert (krisis.self_rating, krisis.self_rated_level) == (4, 4)
    assert krisis.scenario_score == pytest.approx(2 / 3) and krisis.lowered_by == 0
    assert (krisis.uncapped_level, krisis.level) == (4, 2)
    assert [c.item_id for c in krisis.caps_applied] == ["krisis-hoaks"]
    assert krisis.display_score == 80.0


def test_shortfalls_are_the_scenarios(result):
    strategi, krisis = result.scores.domains
    assert [(s.item_id, s.score) for s in strategi.pulled_down] == [("strategi-tanda", 0.5)]
    assert [(s.item_id, s.score) for s in krisis.pulled_down] == [("krisis-hoaks", 0.5)]


def test_gaps_and_plan(result):
    assert [(g.domain_id, g.level, g.target, g.gap, g.priority) for g in result.gaps] == [
        ("krisis", 2, 4, 2, 4), ("strategi", 3, 3, 0, 0)]
    assert [(e.module_id, e.jp) for e in result.plan.entries] == [
        ("m-krisis-coaching", 6), ("m-krisis-mentor", 6)]
    assert (result.plan.total_jp, result.plan.entitlement_status) == (12, "below")


def test_every_scenario_wrong_lowers_by_the_strongest_tier(anchored):
    wrong = assess(anchored, WRONG_STRATEGI, "admin-medsos")
    strategi = wrong.scores.domain("strategi")
    assert (strategi.self_rated_level, strategi.scenario_score) == (3, 0)
    assert (strategi.scenario_check.below, strategi.scenario_check.lower_by) == (0.25, 2)
    assert (strategi.lowered_by, strategi.level) == (2, 1)
    assert [e.module_id for e in wrong.plan.entries] == [
        "m-krisis-coaching", "m-krisis-mentor", "m-strategi-1", "m-strategi-2"]
    assert (wrong.plan.total_jp, wrong.plan.entitlement_status) == (24, "above")


def test_view_in_indonesian(anchored, result):
    view = result_to_dict(anchored, result)
    assert view["scoring_model"] == "anchored"
    strategi, krisis = view["domains"]
    assert {k: strategi[k] for k in ("score", "level", "self_rating", "self_rated_level",
                                     "self_rated_level_name", "scenario_score", "scenario_check",
                                     "lowered_by")} == {
        "score": 76.7, "level": 3, "self_rating": 3.33, "self_rated_level": 3,
        "self_rated_level_name": "Mahir", "scenario_score": 75.0, "scenario_check": None,
        "lowered_by": 0}
    assert [r["text"] for r in strategi["reasons"]] == [
        "Tingkat menurut penilaian diri: 3 (Mahir), yaitu rata-rata berbobot jawaban penilaian "
        "diri (3,33) dibulatkan setengah ke bawah.",
        "Skor skenario 75%: penilaian diri terkonfirmasi, tingkat tidak diturunkan (diturunkan "
        "bila skor skenario 50% atau kurang).",
        "Menurunkan skor skenario: “Pilih tanda akun resmi.” (skor butir 50%)."]
    assert [r["kind"] for r in krisis["reasons"]] == [
        "self_rating", "scenario_check", "cap", "scenario_shortfall"]
    assert krisis["reasons"][2]["text"] == (
        "Tingkat dibatasi paling tinggi 2 karena jawaban pada “Ada hoaks di grup WA.”. "
        "Salah menangani hoaks.")


def test_view_in_english_when_the_check_lowers(anchored):
    view = result_to_dict(anchored, assess(anchored, WRONG_STRATEGI, "admin-medsos"), "en")
    strategi = view["domains"][0]
    assert strategi["scenario_check"] == {"below": 25.0, "lower_by": 2}
    assert strategi["reasons"][1]["text"] == (
        "Scenario score 0% (25% or less): the level is lowered by 2, from 3 to 1.")


def test_a_check_at_level_1_says_so(anchored):
    lowest = {**WRONG_STRATEGI, "strategi-rencana": 1, "strategi-evaluasi": 1}
    view = result_to_dict(anchored, assess(anchored, lowest, "admin-medsos"), "en")
    strategi = view["domains"][0]
    assert (strategi["level"], strategi["lowered_by"]) == (1, 0)
    assert strategi["reasons"][1]["text"] == (
        "Scenario score 0% (25% or less) lowers the level, but level 1 is the lowest.")


@pytest.mark.parametrize("answers, kind, text", [
    ({"krisis-hoaks": "b", "krisis-tim": "b"}, "no_self_rating",
     "No self-rating (rating item) is answered in this domain, and its level comes from the "
     "self-rating. This domain gets no level yet."),
    ({"krisis-pantau": 3, "strategi-rencana": 3}, "insufficient",
     "Too few answers: 1 of 3 items answered, at least 2 needed. This domain gets no level yet."),
])
def test_why_a_domain_gets_no_level(anchored, answers, kind, text):
    view = result_to_dict(anchored, assess(anchored, answers, "admin-medsos"), "en")
    krisis = view["domains"][1]
    assert krisis["level"] is None
    assert [(r["kind"], r["text"]) for r in krisis["reasons"]] == [(kind, text)]


def test_no_scenario_answered_gives_no_level(anchored):
    answers = {"strategi-rencana": 3, "strategi-evaluasi": 4}  # 2 of 4 answered: enough
    view = result_to_dict(anchored, assess(anchored, answers, "admin-medsos"), "id")
    strategi = view["domains"][0]
    assert (strategi["level"], strategi["self_rated_level"], strategi["scenario_score"]) == (
        None, 3, None)
    assert [r["kind"] for r in strategi["reasons"]] == ["no_scenario"]
    assert strategi["reasons"][0]["text"].startswith("Belum ada skenario (butir choice atau multi)")
