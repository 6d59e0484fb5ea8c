"""Calibration from collected data (issue 12, part 5): the standard-setting methods and the impact
preview, each checked against figures computed by hand (app/engine/calibration.py, impact.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.engine import calibration as cal
from app.engine import impact
from app.engine.calibration import NO_SEPARATION, TOO_FEW, Observation
from app.engine.impact import Outcome
from app.engine.questionnaire import load
from app.engine.scoring import score
from app.engine.training import assess

from .helpers import MINI_TEXT, edited

ANCHORED_TEXT = (Path(__file__).parent / "fixtures" / "anchored.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def anchored():
    return load(ANCHORED_TEXT)


@pytest.fixture(scope="module")
def mini():
    return load(MINI_TEXT)


# -- the statistics ------------------------------------------------------------------------------

def test_nearest_rank_percentile():
    values = [0.1 * n for n in range(10, 0, -1)]  # 1.0 … 0.1, in any order
    assert cal.nearest_rank(values, 10) == pytest.approx(0.1)  # ⌈1⌉ = 1st
    assert cal.nearest_rank(values, 5) == pytest.approx(0.1)  # ⌈0.5⌉ = 1st
    assert cal.nearest_rank(values, 25) == pytest.approx(0.3)  # ⌈2.5⌉ = 3rd
    assert cal.nearest_rank(values, 100) == pytest.approx(1.0)


def test_median():
    assert cal.median([3, 1, 2]) == 2
    assert cal.median([0.4, 0.2]) == 0.3  # exactly: (0.2 + 0.4) / 2, not 0.30000000000000004


def test_fewest_misclassified_below():
    # low side ≤ x: errors = upper ≤ x + lower > x
    # none: 3 · ≤0.2: 0 + 2 · ≤0.4: 1 + 1 · ≤0.6: 1 + 0 · ≤0.8: 2 + 0 · ≤1.0: not a below
    split = cal.best_split([0.2, 0.4, 0.6], [0.4, 0.8, 1.0], anchored=True)
    assert (split.low_top, split.high_bottom, split.errors, split.people) == (0.6, 0.8, 1, 6)


def test_a_tie_goes_to_the_larger_low_side():
    # none: 2 · ≤0.2: 1 · ≤0.4: 2 · ≤0.6: 1 · ≤0.8: 2 → 0.2 and 0.6 tie; 0.6 lowers more
    assert cal.best_split([0.2, 0.6], [0.4, 0.8], anchored=True).low_top == 0.6
    # lowering nobody is a split of its own: none 1 · ≤0.2 2 · ≤0.3 3 · ≤0.9 2
    split = cal.best_split([0.9], [0.2, 0.3], anchored=True)
    assert (split.low_top, split.errors) == (None, 1)


def test_fewest_misclassified_threshold():
    # the threshold is the smallest score on the high side; ties again to the larger low side
    split = cal.best_split([20, 60], [40, 80], anchored=False)
    assert (split.high_bottom, split.errors) == (80, 1)
    # a threshold of 0 cannot be written: the split "everybody reaches it" is not considered
    split = cal.best_split([0, 10], [30], anchored=False)
    assert (split.high_bottom, split.errors) == (30, 0)


def test_midpoint_of_the_medians():
    assert cal.medians_midpoint([0.2, 0.4, 0.6], [0.4, 0.8, 1.0]) == 0.6  # (0.4 + 0.8) / 2
    assert cal.medians_midpoint([0.5, 0.7], [0.4, 0.6]) is None  # 0.6 is not below 0.5


def test_values_as_written_in_a_file():
    assert cal.written_below(cal.clean(2 / 3)) == 0.67  # up: 2/3 stays at or below it
    assert cal.written_below(0.5) == 0.5
    assert cal.written_below(0.995) is None  # 1.00 would lower right answers too
    assert cal.written_below(0.625, up=False) == 0.63  # a midpoint: half up
    assert cal.written_threshold(55.55) == 55.5  # down: 55.55 still reaches it
    assert cal.written_threshold(0.04) is None
    assert cal.written_threshold(71.25, down=False) == 71.3
    assert cal.clean(0.1 + 0.2) == 0.3


def test_score_bands():
    assert [cal.band(x) for x in (0, 0.19, 0.2, 0.4, 0.6, 0.799, 0.8, 1)] == [1, 1, 2, 3, 4, 4, 5, 5]


# -- observations ---------------------------------------------------------------------------------

def test_the_self_rated_level_of_the_thresholds_model(mini):
    # strategi-rencana (4 anchors): 3 → 2/3 → 1 + 3 × 2/3 = 3
    assert cal.self_rated_level(mini, mini.domain("strategi"), {"strategi-rencana": 3}) == 3
    # krisis-pantau (5 anchors) 3 → 1/2, krisis-tim (2 anchors, weight 0.5) 2 → 1:
    # (1 × 1/2 + 0.5 × 1) / 1.5 = 2/3 → 3
    assert cal.self_rated_level(mini, mini.domain("krisis"), {"krisis-pantau": 3, "krisis-tim": 2}) == 3
    # 2 → 1/4, 1 → 0: (1/4) / 1.5 = 1/6 → 1 + 3/6 = 1.5, half down → 1
    assert cal.self_rated_level(mini, mini.domain("krisis"), {"krisis-pantau": 2, "krisis-tim": 1}) == 1
    assert cal.self_rated_level(mini, mini.domain("krisis"), {"krisis-hoaks": "b"}) is None


def test_under_anchored_the_criterion_is_the_engines_self_rated_level(anchored):
    answers = {"strategi-rencana": 3, "strategi-evaluasi": 2}  # (2 × 3 + 2) / 3 = 8/3 → 3
    assert cal.self_rated_level(anchored, anchored.domain("strategi"), answers) == 3
    assert score(anchored, answers).domain("strategi").self_rated_level == 3


def test_observe_an_anchored_result(anchored):
    answers = {"strategi-rencana": 3, "strategi-evaluasi": 2, "strategi-kanal": "b", "strategi-tanda": ["a", "b"],
               "krisis-pantau": 2, "krisis-hoaks": "a"}
    strategi, krisis = cal.observe(anchored, assess(anchored, answers, "admin-medsos"))
    # scenario (1 × 1/2 + 1 × 1) / 2 = 0.75 > 0.5: not lowered; score 100 × (2 × 2/3 + 1/3 + 1/2 + 1) / 5
    assert (strategi.self_rated_level, strategi.level, strategi.scenario_score) == (3, 3, 0.75)
    assert strategi.score == round(100 * 19 / 30, 12)
    # krisis: self-rated 2, scenario 0 ≤ 0.25 → lowered (by 1, level 1 is the floor); the cap applies
    assert (krisis.self_rated_level, krisis.uncapped_level, krisis.level) == (2, 1, 1)
    assert (krisis.scenario_score, krisis.caps_applied) == (0, ("krisis-hoaks",))


def test_observe_a_thresholds_result_takes_the_criterion_from_the_answers(mini):
    answers = {"strategi-rencana": 3, "strategi-kanal": "c", "strategi-tanda": ["a"], "krisis-pantau": 3,
               "krisis-hoaks": "b", "krisis-tim": 2}
    result = assess(mini, answers, "admin-medsos")
    assert cal.observe(mini, result)[0].self_rated_level is None  # the result holds none
    strategi, krisis = cal.observe(mini, result, answers)
    assert (strategi.self_rated_level, krisis.self_rated_level) == (3, 3)
    assert strategi.level == result.scores.domain("strategi").level


# -- calibration, anchored ----------------------------------------------------------------------

def person(domain: str, self_rated: int, scenario: float, level: int | None = None) -> Observation:
    level = self_rated if level is None else level
    return Observation(domain, level, level, self_rated, scenario, 100 * scenario)


STRATEGI = {1: [0.2, 0.4], 2: [0.4, 0.6, 0.8], 3: [0.6, 0.8, 1.0, 1.0]}  # self-rated level → scenario scores


@pytest.fixture(scope="module")
def anchored_calibration(anchored):
    people = [(person("strategi", k, x), Observation("krisis", None, None, None, None, None))
              for k, xs in STRATEGI.items() for x in xs]
    return cal.calibrate(anchored, people, percentile=25)


def test_anchored_per_domain_by_hand(anchored_calibration):
    strategi = anchored_calibration.domains[0]
    assert (strategi.people, strategi.assessed, strategi.unassessed) == (9, 9, 0)
    assert strategi.self_rated == {1: 2, 2: 3, 3: 4, 4: 0}
    k2, k3, k4 = strategi.suggestions
    # k = 2: Q25 of [0.4, 0.6, 0.8] = the ⌈0.75⌉ = 1st = 0.4. Cut between [0.2, 0.4] and
    # [0.4, 0.6, 0.8]: none 2 · ≤0.2 1 · ≤0.4 1 · ≤0.6 2 · ≤0.8 3 → 0.4 (tie, larger low side).
    # Medians 0.3 and 0.6 → 0.45.
    assert (k2.key, k2.current, k2.percentile, k2.cut, k2.cut_errors, k2.cut_people, k2.midpoint) == \
        (2, 0.5, 0.4, 0.4, 1, 5, 0.45)
    # k = 3: Q25 of [0.6, 0.8, 1, 1] = 1st = 0.6. Cut between [0.4, 0.6, 0.8] and [0.6, 0.8, 1, 1]:
    # none 3 · ≤0.4 2 · ≤0.6 2 · ≤0.8 2 → 0.8. Medians 0.6 and 0.9 → 0.75.
    assert (k3.percentile, k3.cut, k3.cut_errors, k3.midpoint, k3.lower_median, k3.upper_median) == \
        (0.6, 0.8, 2, 0.75, 0.6, 0.9)
    # k = 4: nobody rated themselves 4
    assert (k4.note, k4.percentile, k4.cut, k4.upper_people) == (TOO_FEW, None, None, 0)
    assert strategi.bands[1] == {1: 0, 2: 1, 3: 1, 4: 0, 5: 0}  # 0.2 → 20–40 %, 0.4 → 40–60 %
    assert strategi.bands[3] == {1: 0, 2: 0, 3: 0, 4: 1, 5: 3}


def test_anchored_tiers_by_hand(anchored_calibration):
    mild, harsh = anchored_calibration.suggestions
    # Q25 of the 7 people self-rated ≥ 2 (0.4 0.6 0.6 0.8 0.8 1 1): the ⌈1.75⌉ = 2nd = 0.6
    # Pairs k = 2, 3 (nobody at 4): lower [0.2 0.4 | 0.4 0.6 0.8], upper [0.4 0.6 0.8 | 0.6 0.8 1 1];
    # errors none 5 · ≤0.2 4 · ≤0.4 3 · ≤0.6 4 · ≤0.8 5 → 0.4; medians 0.4 and 0.8 → 0.6
    assert (mild.key, mild.current, mild.percentile, mild.cut, mild.cut_errors, mild.cut_people, mild.midpoint) == \
        (1, 0.5, 0.6, 0.4, 3, 12, 0.6)
    # lower_by 2: Q(25/2) = the ⌈0.875⌉ = 1st = 0.4; the pair k = 3 only: [0.2 0.4] and [0.6 0.8 1 1]:
    # none 2 · ≤0.2 1 · ≤0.4 0 · ≤0.6 1 → 0.4; medians 0.3 and 0.9 → 0.6
    assert (harsh.key, harsh.current, harsh.percentile, harsh.cut, harsh.cut_errors, harsh.midpoint) == \
        (2, 0.25, 0.4, 0.4, 0, 0.6)


def test_a_group_smaller_than_the_minimum_suggests_nothing(anchored):
    people = [(person("strategi", k, x),) for k, xs in STRATEGI.items() for x in xs]
    k2 = cal.calibrate(anchored, people, percentile=25, min_group=3).domains[0].suggestions[0]
    assert (k2.note, k2.cut, k2.midpoint) == (TOO_FEW, None, None)  # 2 people self-rated 1
    assert k2.percentile == 0.4  # the 3 people self-rated 2 are enough for method (a)


def test_groups_the_scenarios_do_not_separate(anchored):
    people = [(person("strategi", 1, 0.8),), (person("strategi", 2, 0.5),)]
    k2 = cal.calibrate(anchored, people).domains[0].suggestions[0]
    assert (k2.note, k2.midpoint) == (NO_SEPARATION, None)
    assert (k2.cut, k2.cut_errors) == (0.8, 1)  # none 1 · ≤0.5 2 · ≤0.8 1: no cut does better than 1 error


def test_caps_by_hand(anchored):
    krisis = [Observation("krisis", 2, 3, 3, 0.6, 60, ("krisis-hoaks",)),  # the cap set the level
              Observation("krisis", 1, 1, 2, 0.1, 10, ("krisis-hoaks",)),  # applies, but 1 is lower
              Observation("krisis", 3, 3, 3, 0.9, 90)]
    (cap,) = cal.calibrate(anchored, [(o,) for o in krisis]).caps
    assert (cap.item_id, cap.people, cap.applied, cap.binding) == ("krisis-hoaks", 3, 2, 1)


# -- calibration, thresholds --------------------------------------------------------------------

def test_thresholds_by_hand(mini):
    # (domain score, level before caps, self-rated level)
    figures = [(30, 1, 1), (50, 2, 2), (65, 3, 2), (85, 4, 3)]
    people = [(Observation("strategi", level, level, rated, None, score),) for score, level, rated in figures]
    result = cal.calibrate(mini, people)
    # target: below 2: 1/4, below 3: 2/4, below 4: 3/4
    assert result.target == {2: 0.25, 3: 0.5, 4: 0.75}
    k2, k3, k4 = result.suggestions
    # percentile: scores 30 50 65 85; m = ⌊c × 4 + ½⌋ = 1, 2, 3 stay below → 50, 65, 85
    assert [s.percentile for s in (k2, k3, k4)] == [50, 65, 85]
    assert [s.current for s in (k2, k3, k4)] == [40, 60, 80]
    # level 2: [30] against [50, 65]: threshold 30 → 1 error, 50 → 0, 65 → 1 → 50; medians 30, 57.5 → 43.75
    assert (k2.cut, k2.cut_errors, k2.midpoint) == (50, 0, 43.8)
    # level 3: [50, 65] against [85]: 50 → 2, 65 → 1, 85 → 0 → 85; medians 57.5, 85 → 71.25
    assert (k3.cut, k3.cut_errors, k3.midpoint) == (85, 0, 71.3)
    assert k4.note == TOO_FEW  # nobody rated themselves 4
    assert result.domains[0].suggestions[0].percentile == 50  # the one domain: the same


# -- impact preview -----------------------------------------------------------------------------

def test_rescore_counts_only_what_the_draft_accepts(anchored):
    draft = load(edited("          - id: d\n            text: {id: \"Balas dengan marah\", en: \"Answer angrily\"}\n"
                        "            score: 1\n", "", ANCHORED_TEXT))
    answers = {"strategi-rencana": 3, "strategi-evaluasi": 3, "strategi-kanal": "c", "strategi-tanda": ["a", "b"],
               "krisis-pantau": 4, "krisis-hoaks": "d", "gone-item": 2}
    result, refused = impact.rescore(draft, answers, "admin-medsos")
    assert refused == 1  # krisis-hoaks "d" no longer exists; gone-item is not in the draft at all
    krisis = result.scores.domain("krisis")
    assert krisis.insufficient  # without krisis-hoaks it has no scenario answered
    assert result.scores.domain("strategi").level == 3
    assert impact.rescore(draft, answers, "no-such-position") == (None, 1)


def test_impact_by_hand():
    rows = [
        (1, Outcome({"a": 2, "b": 1}, {"a": 1, "b": 2}, 10), Outcome({"a": 3, "b": 1}, {"a": 0, "b": 2}, 4)),
        (1, Outcome({"a": 2, "b": None}, {"a": 1, "b": None}, 6), Outcome({"a": 1, "b": 2}, {"a": 2, "b": 1}, 14)),
        (2, Outcome({"a": 3, "b": 3}, {"a": 0, "b": 0}, 0), Outcome({"a": 3, "b": 3}, {"a": 0, "b": 0}, 0)),
        (2, Outcome({"a": 1, "b": 1}, {"a": 2, "b": 2}, 12), None),  # the draft lacks the position
    ]
    result = impact.impact(rows, ["a", "b"])
    a, b = result.domains
    assert (a.up, a.down, a.same, a.gained, a.lost) == (1, 1, 1, 0, 0)
    assert (a.gap_up, a.gap_down, a.gap_same, a.below_before, a.below_after) == (1, 1, 1, 2, 1)
    assert (b.up, b.down, b.same, b.gained, b.lost, b.gap_same, b.below_before, b.below_after) == \
        (0, 0, 2, 1, 0, 2, 1, 2)
    one, two = result.units
    assert (one.unit_id, one.people, one.level_changed, one.gap_changed, one.jp_before, one.jp_after) == \
        (1, 2, 2, 2, 16, 18)
    assert (two.unit_id, two.people, two.level_changed, two.jp_change) == (2, 1, 0, 0)
    assert (result.people, result.no_position, result.jp_before, result.jp_after, result.level_changed) == \
        (3, 1, 16, 18, 2)


def test_outcome_of_a_result(anchored):
    answers = {"strategi-rencana": 1, "strategi-evaluasi": 1, "strategi-kanal": "c", "strategi-tanda": ["a", "b"],
               "krisis-pantau": 1, "krisis-hoaks": "b"}
    outcome = impact.outcome_of(assess(anchored, answers, "admin-medsos"))
    assert outcome.levels == {"strategi": 1, "krisis": 1}
    assert outcome.gaps == {"strategi": 2, "krisis": 3}
    assert outcome.total_jp == 4 + 8 + 8 + 6  # m-strategi-1, -2; m-krisis-kelas (1→3), m-krisis-mentor
