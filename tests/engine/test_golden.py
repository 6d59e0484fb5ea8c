"""A golden respondent on fixtures/mini.yaml, computed by hand.

Answers and normalised item scores s:
  strategi-rencana  rating 3 of 4 anchors     s = (3 − 1) / (4 − 1) = 2/3      weight 2
  strategi-kanal    choice c (2 of best 2)    s = 2 / 2 = 1                    weight 1
  strategi-tanda    multi a, b, c (1+1−1)     s = 1 / (1 + 1) = 1/2            weight 1
  strategi-komentar text                      never scored
  krisis-pantau     rating 5 of 5 anchors     s = 4 / 4 = 1                    weight 1
  krisis-hoaks      choice c (1 of best 3)    s = 1/3                          weight 1
  krisis-tim        rating 2 of 2 anchors     s = 1 / 1 = 1                    weight 0.5

strategi: 100 × (2 × 2/3 + 1 × 1 + 1 × 1/2) / (2 + 1 + 1) = 100 × (17/6) / 4 = 70.8333…
          thresholds [40, 60, 80]: 40 ≤ and 60 ≤ 70.83 → level 1 + 2 = 3 (Mahir). Displayed 70.8.
          pulled down (weight × (1 − s)): rencana 2 × 1/3 = 0.667, tanda 1 × 1/2 = 0.5; kanal is
          at full marks and left out.
krisis:   100 × (1 + 1/3 + 0.5 × 1) / (1 + 1 + 0.5) = 100 × (11/6) / 2.5 = 73.3333… → level 3,
          but krisis-hoaks has s = 1/3 < below 0.5 → capped at max_level 2 (Menengah).
          pulled down: hoaks 1 × 2/3 = 0.667 only.
Position admin-medsos (targets strategi 3, krisis 4; importance krisis 2):
          strategi gap max(0, 3 − 3) = 0, priority 0; krisis gap 4 − 2 = 2, priority 2 × 2 = 4.
          Ranked: krisis, strategi.
Plan:     krisis from level 2: m-krisis-kelas (1→3, 8 JP) and m-krisis-coaching (2→3, 6 JP) both
          reach 3 → fewer JP: m-krisis-coaching; from 3: m-krisis-mentor (3→4, 6 JP). Level 4 =
          target. strategi has no gap. Total 6 + 6 = 12 JP < 20 → "below".
"""
import pytest

from app.engine.training import assess, result_to_dict

ANSWERS = {"strategi-rencana": 3, "strategi-kanal": "c", "strategi-tanda": ["a", "b", "c"],
           "strategi-komentar": "Perlu pelatihan.", "krisis-pantau": 5, "krisis-hoaks": "c",
           "krisis-tim": 2}


@pytest.fixture(scope="module")
def result(mini):
    return assess(mini, ANSWERS, "admin-medsos")


def test_domain_scores(result):
    strategi, krisis = result.scores.domains
    assert strategi.score == pytest.approx(100 * 17 / 24)
    assert (strategi.display_score, strategi.level, strategi.answered, strategi.scored_items) == (
        70.8, 3, 3, 3)
    assert krisis.score == pytest.approx(100 * 22 / 30)
    assert (krisis.display_score, krisis.uncapped_level, krisis.level) == (73.3, 3, 2)


def test_reasons(result):
    strategi, krisis = result.scores.domains
    assert [(s.item_id, round(s.score, 4)) for s in strategi.pulled_down] == [
        ("strategi-rencana", 0.6667), ("strategi-tanda", 0.5)]
    assert strategi.caps_applied == ()
    assert [c.item_id for c in krisis.caps_applied] == ["krisis-hoaks"]
    assert [s.item_id for s in krisis.pulled_down] == ["krisis-hoaks"]


def test_gaps(result):
    assert [(g.domain_id, g.level, g.target, g.gap, g.priority) for g in result.gaps] == [
        ("krisis", 2, 4, 2, 4), ("strategi", 3, 3, 0, 0)]


def test_plan(result):
    assert [(e.module_id, e.jp) for e in result.plan.entries] == [
        ("m-krisis-coaching", 6), ("m-krisis-mentor", 6)]
    assert (result.plan.total_jp, result.plan.entitlement_status) == (12, "below")


def test_view_in_indonesian(mini, result):
    view = result_to_dict(mini, result)
    assert [(d["id"], d["score"], d["level_name"], d["target_name"], d["gap"]) for d in view["domains"]] == [
        ("strategi", 70.8, "Mahir", "Mahir", 0), ("krisis", 73.3, "Menengah", "Ahli", 2)]
    assert view["domains"][1]["reasons"][0]["text"] == (
        "Tingkat dibatasi paling tinggi 2 karena jawaban pada “Ada hoaks di grup WA.”. "
        "Salah menangani hoaks.")
    assert [m["title"] for m in view["plan"]["modules"]] == ["Coaching krisis", "Mentoring krisis"]
