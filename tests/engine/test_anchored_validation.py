"""Bad input under the anchored scoring model: every rule that would break one of its invariants is
refused with a located, plain message in Indonesian and English (fixtures/anchored.yaml)."""
import copy
from pathlib import Path

import pytest

from app.engine.questionnaire import dump_document, load, to_document, validate

from .helpers import MINI_TEXT, line_of, only

TEXT = (Path(__file__).parent / "fixtures" / "anchored.yaml").read_text(encoding="utf-8")
TIERS = "    - {below: 0.5, lower_by: 1}\n    - {below: 0.25, lower_by: 2}\n"


def edited(old: str, new: str, text: str = TEXT) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def tiers(*pairs) -> str:
    return edited(TIERS, "".join(f"    - {{below: {b}, lower_by: {n}}}\n" for b, n in pairs))


def check(text, code, path, needle, occurrence=1):
    problem = only(validate(text), code)
    assert problem.path == path
    assert problem.line == line_of(text, needle, occurrence)
    return problem


def changed(change) -> str:
    doc = copy.deepcopy(to_document(load(TEXT)))
    change(doc)
    return dump_document(doc)


def test_the_fixture_and_its_defaults_are_valid():
    assert validate(TEXT) == []
    bare = edited("  self_rating: {rounding: half_down}\n  scenario_check:\n" + TIERS, "")
    q = load(bare)
    assert (q.scoring.rounding, [(t.below, t.lower_by) for t in q.scoring.scenario_check]) == (
        "half_down", [(0.5, 1)])


def test_thresholds_do_not_apply_under_anchored():
    text = edited("  min_answered: 0.5\n", "  thresholds: [40, 60, 80]\n  min_answered: 0.5\n")
    problem = check(text, "key_not_in_model", "scoring.thresholds", "thresholds:")
    assert problem.message_en == (
        "The key 'thresholds' does not apply to the scoring model 'anchored' (scoring.model; "
        "'thresholds' when it is not written) but to the model 'thresholds'. Remove it, or write "
        "'model: thresholds'.")
    assert problem.message_id.startswith(
        "Kunci 'thresholds' tidak berlaku untuk model penskoran 'anchored'")


def test_the_anchored_keys_do_not_apply_without_a_model():
    text = MINI_TEXT.replace("  min_answered: 0.5\n",
                             "  min_answered: 0.5\n  scenario_check: [{below: 0.5, lower_by: 1}]\n")
    problem = check(text, "key_not_in_model", "scoring.scenario_check", "scenario_check:")
    assert "to the model 'anchored'. Remove it, or write 'model: anchored'." in problem.message_en


def test_an_unknown_model():
    problem = check(edited("  model: anchored\n", "  model: anchord\n"), "not_in_list",
                    "scoring.model", "model: anchord")
    assert problem.message_en == ("'anchord' is not a valid choice. Use one of: anchored, "
                                  "thresholds.")


def test_an_unknown_rounding():
    problem = check(edited("{rounding: half_down}", "{rounding: half_up}"), "not_in_list",
                    "scoring.self_rating.rounding", "rounding: half_up")
    assert problem.message_en == "'half_up' is not a valid choice. Use one of: half_down, down."


def test_a_rating_item_needs_one_anchor_per_level():
    text = edited('          - {id: "Setiap bulan dan membimbing rekan", en: "Every month, coaching colleagues"}\n', "")
    problem = check(text, "anchors_not_levels", "domains[0].items[1].anchors", "anchors:", 2)
    assert problem.message_en == (
        "Under the anchored model anchor k describes the behaviour of level k, so the rating item "
        "'strategi-evaluasi' needs exactly 4 anchors (one per scale level, lowest first); it has "
        "3. Otherwise some level could not be reached by any answer.")
    assert problem.message_id.startswith("Dengan model anchored jangkar ke-k menjelaskan perilaku")


def test_an_anchored_scale_has_at_most_seven_levels():
    def wide(doc):
        for n in range(5, 9):
            doc["scale"].append({"level": n, "name": {"id": f"T{n}", "en": f"L{n}"},
                                 "descriptor": {"id": "d", "en": "d"}})
        for domain in doc["domains"]:
            domain["levels"] += [{"descriptor": {"id": "x", "en": "x"},
                                  "example": {"id": "x", "en": "x"}}] * 4
    text = changed(wide)
    problem = check(text, "anchored_scale_size", "scale", "scale:")
    assert problem.message_en.endswith("this scale has 8 levels. Use at most 7 levels.")
    assert not [p for p in validate(text) if p.code == "anchors_not_levels"]


def test_a_domain_needs_a_self_rating():
    def drop(doc):
        doc["domains"][1]["items"] = [i for i in doc["domains"][1]["items"] if i["type"] != "rating"]
    text = changed(drop)
    problem = check(text, "no_rating_items", "domains[1].items", "items:", 2)
    assert problem.message_en == (
        "Domain 'krisis' has no rating item, so under the anchored model it has no self-rated "
        "level. Add at least one rating item with one anchor per level.")
    assert problem.message_id.startswith("Domain 'krisis' tidak berisi butir rating")


def test_a_domain_needs_a_scenario():
    def drop(doc):
        doc["domains"][0]["items"] = [i for i in doc["domains"][0]["items"]
                                      if i["type"] not in ("choice", "multi")]
    text = changed(drop)
    problem = check(text, "no_scenario_items", "domains[0].items", "items:")
    assert problem.message_en == (
        "Domain 'strategi' has no scenario item (choice or multi), so under the anchored model its "
        "self-rating is never checked. Add at least one choice or multi item.")
    assert problem.message_id.startswith("Domain 'strategi' tidak berisi butir skenario")


def test_a_domain_of_text_only_is_reported_once():
    def text_only(doc):
        doc["domains"][1]["items"] = [{"id": "krisis-catatan", "type": "text",
                                       "text": {"id": "Catatan", "en": "Note"}}]
        doc["scoring"]["caps"] = []
    codes = [p.code for p in validate(changed(text_only))]
    assert codes == ["no_scored_items"]


def test_a_scenario_check_that_would_lower_right_answers():
    text = tiers((1, 1), (0.25, 2))
    problem = check(text, "scenario_check_always", "scoring.scenario_check[0].below",
                    "{below: 1, lower_by: 1}")
    assert problem.message_en == (
        "A scenario check with below 1 applies even when every scenario is answered right "
        "(score 1), so right answers would lower the level too. Use a number less than 1, e.g. 0.5.")
    assert problem.message_id.startswith("Pemeriksaan skenario dengan below 1 berlaku juga")


@pytest.mark.parametrize("pairs, index, value", [
    (((0.5, 0), (0.25, 2)), 0, 0),  # would not lower
    (((0.5, -1), (0.25, 2)), 0, -1),  # would raise
    (((0.5, 1), (0.25, 4)), 1, 4),  # would take level 4 below 1
])
def test_a_scenario_check_that_would_raise_or_lower_below_level_1(pairs, index, value):
    text = tiers(*pairs)
    problem = check(text, "lower_by_out_of_range", f"scoring.scenario_check[{index}].lower_by",
                    f"lower_by: {value}}}")
    assert problem.message_en == (
        f"lower_by is {value} but must be a whole number from 1 to 3: 0 or less would not lower "
        f"the level (or would raise it), and more than 3 would take the top level (4) below "
        f"level 1.")
    assert problem.message_id.startswith(f"lower_by bernilai {value}, padahal harus bilangan bulat")


@pytest.mark.parametrize("pairs", [((0.25, 1), (0.5, 2)), ((0.5, 2), (0.25, 1)),
                                   ((0.5, 1), (0.5, 2))])
def test_scenario_check_tiers_run_from_the_mildest(pairs):
    text = tiers(*pairs)
    (b0, n0), (b1, n1) = pairs
    problem = check(text, "scenario_check_order", "scoring.scenario_check[1]",
                    f"{{below: {b1}, lower_by: {n1}}}")
    assert problem.message_en == (
        f"The scenario check tiers must run from the mildest: each tier needs a smaller below and "
        f"a larger lower_by than the tier before it. This tier (below {b1}, lower_by {n1}) follows "
        f"one with below {b0} and lower_by {n0}. E.g. [{{below: 0.5, lower_by: 1}}, "
        f"{{below: 0.25, lower_by: 2}}].")
    assert problem.message_id.startswith("Tahap pemeriksaan skenario harus berurutan")


def test_a_scenario_check_needs_a_tier_when_written():
    text = edited("  scenario_check:\n" + TIERS, "  scenario_check: []\n")
    problem = check(text, "list_too_short", "scoring.scenario_check", "scenario_check:")
    assert problem.message_en == "This list has 0 entries but needs at least 1. Add entries."


def test_a_cap_that_applies_to_every_answer():
    text = edited("      below: 0.5\n", "      below: 1\n")
    problem = check(text, "cap_applies_always", "scoring.caps[0].below", "below: 1")
    assert problem.message_en == (
        "Under the anchored model a cap applies when the item's score is at or below below; "
        "below 1 applies to every answer, the best one too. Use a number less than 1, e.g. 0.5.")
    assert problem.message_id.startswith("Dengan model anchored batas berlaku bila skor butir")
    legacy = MINI_TEXT.replace("      below: 0.5\n", "      below: 1\n")
    assert validate(legacy) == []  # strictly below 1: the best answer escapes, as it always did


def test_a_cap_above_the_top_level():
    text = edited("      max_level: 2\n", "      max_level: 5\n")
    problem = check(text, "level_out_of_range", "scoring.caps[0].max_level", "max_level: 5")
    assert problem.message_en == "max_level is 5 but must be between 1 and 4 (a level of the scale)."


def test_stored_versions_are_read_with_the_same_rules():
    """The anchored rules bound every version alike; a stored one passed them when published."""
    assert load(TEXT, stored=True) == load(TEXT)
