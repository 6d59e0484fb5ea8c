"""One test per scoring rule of the spec."""
import pytest

from app.engine.answers import AnswerInvalid
from app.engine.model import UnknownDomain
from app.engine.scoring import DomainScore, item_score, level_for, score

from .helpers import variant

# A full-marks respondent on the mini questionnaire.
PERFECT = {"strategi-rencana": 4, "strategi-kanal": "c", "strategi-tanda": ["a", "b"],
           "krisis-pantau": 5, "krisis-hoaks": "b", "krisis-tim": 2}


def test_rating_is_normalised_over_its_anchors(mini):
    item = mini.item("strategi-rencana")  # 4 anchors
    assert [item_score(item, v) for v in (1, 2, 3, 4)] == [0, 1 / 3, 2 / 3, 1]
    assert item_score(mini.item("krisis-pantau"), 2) == 0.25  # 5 anchors


def test_choice_is_option_score_over_best_score(mini):
    item = mini.item("krisis-hoaks")  # scores 0, 3, 1
    assert [item_score(item, o) for o in "abc"] == [0, 1, 1 / 3]


def test_multi_is_clamped_share_of_positive_scores(mini):
    item = mini.item("strategi-tanda")  # a: 1, b: 1, c: -1, d: 0
    assert item_score(item, ["a"]) == 0.5
    assert item_score(item, ["a", "b"]) == 1
    assert item_score(item, ["a", "b", "c"]) == 0.5
    assert item_score(item, ["c"]) == 0  # clamped, not negative
    assert item_score(item, ["d"]) == 0
    assert item_score(item, []) == 0


def test_text_items_and_unanswered_items_have_no_score(mini):
    assert item_score(mini.item("strategi-komentar"), "good") is None
    assert item_score(mini.item("strategi-kanal"), None) is None


def test_item_score_refuses_a_bad_value(mini):
    with pytest.raises(AnswerInvalid):
        item_score(mini.item("strategi-kanal"), "x")


def test_domain_score_is_weighted_mean_of_answered_items(mini):
    # rencana weight 2, s = 2/3; kanal weight 1, s = 1/2; tanda unanswered (left out, not 0)
    result = score(mini, {"strategi-rencana": 3, "strategi-kanal": "b"}).domain("strategi")
    assert result.score == pytest.approx(100 * (2 * 2 / 3 + 1 * 0.5) / 3)
    assert (result.answered, result.scored_items, result.insufficient) == (2, 3, False)


def test_text_answers_do_not_count(mini):
    with_comment = score(mini, {**PERFECT, "strategi-komentar": "x"})
    assert with_comment == score(mini, PERFECT)


def test_too_few_answers_give_no_score_and_no_level(mini):
    # krisis has 3 scored items, min_answered 0.5: one answer (1/3) is too few, two are enough
    one = score(mini, {"krisis-pantau": 5}).domain("krisis")
    assert one == DomainScore("krisis", None, None, 1, 3, True)
    two = score(mini, {"krisis-pantau": 5, "krisis-tim": 1}).domain("krisis")
    assert (two.insufficient, two.level) == (False, 3)
    nothing = score(mini, {}).domain("strategi")
    assert (nothing.score, nothing.level, nothing.answered, nothing.insufficient) == (None, None, 0, True)


def test_min_answered_boundary_is_inclusive():
    q = variant(lambda d: d["scoring"].update(min_answered=2 / 3))
    result = score(q, {"krisis-pantau": 5, "krisis-tim": 1}).domain("krisis")
    assert not result.insufficient  # 2/3 answered is not below 2/3


@pytest.mark.parametrize("value, level", [(0, 1), (39.99, 1), (40, 2), (59.9, 2), (60, 3),
                                          (79.999, 3), (80, 4), (100, 4)])
def test_level_is_one_plus_thresholds_reached(mini, value, level):
    assert level_for(mini, value) == level


def test_score_exactly_on_a_threshold_reaches_it(mini):
    # krisis: pantau 3 → 0.5, hoaks b → 1, tim 1 → 0 (weight 0.5): 100 × 1.5 / 2.5 = 60 exactly
    result = score(mini, {"krisis-pantau": 3, "krisis-hoaks": "b", "krisis-tim": 1}).domain("krisis")
    assert (result.score, result.level) == (60, 3)


def test_arithmetic_is_exact_decimal_not_binary_float():
    def weights(doc):
        items = doc["domains"][0]["items"]
        items[0]["weight"], items[1]["weight"], items[2]["weight"] = 0.2, 0.7, 0.6
    q = variant(weights)
    # 100 × (0.2 × 1 + 0.7 × 1 + 0.6 × 0) / 1.5 = 60 exactly; binary floats give 59.999…
    assert 100 * (0.2 * 1 + 0.7 * 1 + 0.6 * 0) / (0.2 + 0.7 + 0.6) < 60
    result = score(q, {"strategi-rencana": 4, "strategi-kanal": "c", "strategi-tanda": ["c"]})
    assert (result.domain("strategi").score, result.domain("strategi").level) == (60, 3)


def test_display_score_rounds_half_up_to_one_decimal():
    assert DomainScore("d", 12.25, 1, 1, 1, False).display_score == 12.3
    assert DomainScore("d", 70.8333333, 3, 1, 1, False).display_score == 70.8
    assert DomainScore("d", None, None, 0, 1, True).display_score is None


def test_cap_lowers_the_level_when_the_item_is_below_the_bar(mini):
    answers = {**PERFECT, "krisis-hoaks": "c"}  # s = 1/3 < 0.5; score 100 × 2.3333 / 2.5 = 73.3
    result = score(mini, answers).domain("krisis")
    assert result.uncapped_level == 3 and result.level == 2
    assert [(c.item_id, c.max_level, c.reason.en) for c in result.caps_applied] == [
        ("krisis-hoaks", 2, "Mishandled a hoax.")]


def test_cap_is_listed_even_when_the_level_is_already_low(mini):
    answers = {"krisis-pantau": 1, "krisis-hoaks": "a", "krisis-tim": 1}
    result = score(mini, answers).domain("krisis")
    assert result.level == 1 and result.uncapped_level == 1
    assert [c.item_id for c in result.caps_applied] == ["krisis-hoaks"]


def test_cap_does_not_apply_at_or_above_the_bar_or_when_unanswered():
    q = variant(lambda d: d["scoring"]["caps"][0].update(below=1 / 3))
    at_bar = score(q, {**PERFECT, "krisis-hoaks": "c"}).domain("krisis")  # s = 1/3, not < 1/3
    assert at_bar.caps_applied == ()
    unanswered = dict(PERFECT)
    del unanswered["krisis-hoaks"]
    assert score(q, unanswered).domain("krisis").caps_applied == ()


def test_several_caps_keep_the_lowest():
    def caps(doc):
        doc["scoring"]["caps"].append({"item": "krisis-hoaks", "below": 0.9, "max_level": 3})
    q = variant(caps)
    result = score(q, {**PERFECT, "krisis-hoaks": "c"}).domain("krisis")
    assert result.level == 2 and len(result.caps_applied) == 2


def test_pulled_down_lists_the_costliest_shortfalls(mini):
    # rencana: weight 2 × (1 − 1/3) = 4/3; kanal: 1 × (1 − 1/2) = 1/2; tanda: 1 × (1 − 0) = 1
    answers = {"strategi-rencana": 2, "strategi-kanal": "b", "strategi-tanda": []}
    result = score(mini, answers).domain("strategi")
    assert [(s.item_id, s.score) for s in result.pulled_down] == [
        ("strategi-rencana", 1 / 3), ("strategi-tanda", 0), ("strategi-kanal", 0.5)]


def test_pulled_down_leaves_out_full_marks_keeps_top_three_and_file_order_on_ties():
    def more_items(doc):
        items = doc["domains"][0]["items"]
        for n in range(3):
            items.append({"id": f"strategi-extra-{n}", "type": "choice",
                          "text": {"id": "x", "en": "x"},
                          "options": [{"id": "a", "text": {"id": "a", "en": "a"}, "score": 0},
                                      {"id": "b", "text": {"id": "b", "en": "b"}, "score": 1}]})
    q = variant(more_items)
    answers = {"strategi-rencana": 4, "strategi-kanal": "c", "strategi-tanda": ["a", "b"],
               "strategi-extra-0": "a", "strategi-extra-1": "a", "strategi-extra-2": "a"}
    result = score(q, answers).domain("strategi")
    assert [s.item_id for s in result.pulled_down] == [
        "strategi-extra-0", "strategi-extra-1", "strategi-extra-2"]
    answers["strategi-rencana"] = 1  # weight 2 × 1 now costs most
    result = score(q, answers).domain("strategi")
    assert [s.item_id for s in result.pulled_down] == [
        "strategi-rencana", "strategi-extra-0", "strategi-extra-1"]


def test_score_refuses_invalid_answers(mini):
    with pytest.raises(AnswerInvalid):
        score(mini, {"strategi-rencana": 7})


def test_scores_lookup(mini):
    scores = score(mini, PERFECT)
    assert [d.domain_id for d in scores.domains] == ["strategi", "krisis"]
    assert scores.domain("strategi").score == 100
    with pytest.raises(UnknownDomain):
        scores.domain("nope")
