"""Gaps, their ranking, the training plan and the JSON view of a result."""
import dataclasses

import pytest

from app.engine.training import (Gap, Plan, Unclosable, UnknownPosition, assess, gaps, plan,
                                 result_to_dict, unassessed)
from app.engine.scoring import score

from .helpers import variant

PERFECT = {"strategi-rencana": 4, "strategi-kanal": "c", "strategi-tanda": ["a", "b"],
           "krisis-pantau": 5, "krisis-hoaks": "b", "krisis-tim": 2}
# strategi: 100 × (2 × 1/3 + 0 + 1/2) / 4 = 29.2 → level 1; krisis: 100 × (0.25 + 1/3 + 0) / 2.5
# = 23.3 → level 1, and the cap on krisis-hoaks (1/3 < 0.5) applies too.
LOW = {"strategi-rencana": 2, "strategi-kanal": "a", "strategi-tanda": ["a"],
       "krisis-pantau": 2, "krisis-hoaks": "c", "krisis-tim": 1}


def test_gap_is_target_minus_level_never_negative(mini):
    ranked = gaps(mini, score(mini, PERFECT), "pimpinan")  # all level 4, targets 2
    assert [(g.domain_id, g.level, g.target, g.gap, g.priority) for g in ranked] == [
        ("strategi", 4, 2, 0, 0), ("krisis", 4, 2, 0, 0)]


def test_gaps_are_ranked_by_gap_times_importance(mini):
    ranked = gaps(mini, score(mini, LOW), "admin-medsos")
    # strategi: gap 3 - 1 = 2, importance 1 → 2; krisis: gap 4 - 1 = 3, importance 2 → 6
    assert [(g.domain_id, g.gap, g.importance, g.priority) for g in ranked] == [
        ("krisis", 3, 2, 6), ("strategi", 2, 1, 2)]


def test_equal_priorities_keep_domain_order(mini):
    ranked = gaps(mini, score(mini, LOW), "pimpinan")  # both gap 1, importance 1
    assert [g.domain_id for g in ranked] == ["strategi", "krisis"]


def test_unassessed_domains_have_no_gap(mini):
    scores = score(mini, {"strategi-rencana": 1, "strategi-kanal": "a"})
    assert [g.domain_id for g in gaps(mini, scores, "admin-medsos")] == ["strategi"]
    assert unassessed(scores) == ("krisis",)


def test_unknown_position(mini):
    with pytest.raises(UnknownPosition) as caught:
        gaps(mini, score(mini, PERFECT), "direktur")
    assert isinstance(caught.value, KeyError)
    assert str(caught.value) == "unknown position: 'direktur'"
    with pytest.raises(UnknownPosition):
        assess(mini, {"strategi-rencana": 99}, "direktur")  # position checked first


def test_plan_picks_the_module_that_reaches_furthest(mini):
    result = plan(mini, (Gap("krisis", 1, 4, 3, 1, 3),))
    # from 1: only m-krisis-kelas fits (1 → 3); from 3: m-krisis-mentor (3 → 4)
    assert [e.module_id for e in result.entries] == ["m-krisis-kelas", "m-krisis-mentor"]
    assert (result.total_jp, result.unclosable) == (14, ())


def test_plan_ties_go_to_fewer_jp(mini):
    # from 2: m-krisis-kelas (1 → 3, 8 JP) and m-krisis-coaching (2 → 3, 6 JP) both reach 3
    result = plan(mini, (Gap("krisis", 2, 3, 1, 1, 1),))
    assert [e.module_id for e in result.entries] == ["m-krisis-coaching"]


def test_plan_ties_then_go_to_catalogue_order():
    def twin(doc):
        coaching = next(m for m in doc["modules"] if m["id"] == "m-krisis-coaching")
        doc["modules"].insert(0, {**coaching, "id": "m-krisis-twin"})
    q = variant(twin)
    result = plan(q, (Gap("krisis", 2, 3, 1, 1, 1),))
    assert [e.module_id for e in result.entries] == ["m-krisis-twin"]


def test_plan_entries_carry_the_catalogue_values(mini):
    entry = plan(mini, (Gap("krisis", 3, 4, 1, 1, 1),)).entries[0]
    assert dataclasses.astuple(entry) == ("m-krisis-mentor", "krisis", 3, 4, 6, "mentoring")


def test_plan_follows_the_ranking_and_skips_closed_gaps(mini):
    ranked = (Gap("krisis", 2, 4, 2, 2, 4), Gap("strategi", 4, 3, 0, 1, 0),
              Gap("strategi", 1, 2, 1, 1, 1))
    assert [e.module_id for e in plan(mini, ranked).entries] == [
        "m-krisis-coaching", "m-krisis-mentor", "m-strategi-1"]


def test_plan_never_repeats_a_module_and_reports_what_it_cannot_close(mini):
    # the same domain twice (not something gaps() produces): m-strategi-1 is spent on the first
    result = plan(mini, (Gap("strategi", 1, 2, 1, 1, 1), Gap("strategi", 1, 3, 2, 1, 2)))
    assert [e.module_id for e in result.entries] == ["m-strategi-1"]
    assert result.unclosable == (Unclosable("strategi", 1, 3),)
    again = plan(mini, (Gap("strategi", 2, 3, 1, 1, 1), Gap("strategi", 2, 3, 1, 1, 1)))
    assert [e.module_id for e in again.entries] == ["m-strategi-2"]
    assert again.unclosable == (Unclosable("strategi", 2, 3),)


def test_gap_no_module_closes(mini):
    catalogue = tuple(m for m in mini.modules if m.id != "m-krisis-mentor")
    q = dataclasses.replace(mini, modules=catalogue)
    result = plan(q, (Gap("krisis", 2, 4, 2, 1, 2),))
    assert [e.module_id for e in result.entries] == ["m-krisis-coaching"]
    assert result.unclosable == (("krisis", 3, 4),)
    assert result.unclosable[0].level_reached == 3


@pytest.mark.parametrize("total, status", [(0, "below"), (19, "below"), (20, "equal"), (21, "above")])
def test_entitlement_status(total, status):
    assert Plan((), (), total).entitlement_status == status
    assert Plan((), (), total).entitlement_jp == 20


def test_assess_runs_the_whole_pipeline(mini):
    result = assess(mini, LOW, "admin-medsos")
    assert result.position_id == "admin-medsos"
    assert result.scores == score(mini, LOW)
    assert result.gaps == gaps(mini, result.scores, "admin-medsos")
    assert [e.module_id for e in result.plan.entries] == [
        "m-krisis-kelas", "m-krisis-mentor", "m-strategi-1", "m-strategi-2"]
    assert (result.plan.total_jp, result.plan.entitlement_status) == (26, "above")
    assert result.unassessed == ()


def test_result_to_dict(mini):
    result = assess(mini, {**PERFECT, "krisis-hoaks": "c", "krisis-tim": None}, "admin-medsos")
    view = result_to_dict(mini, result, "en")
    assert view["questionnaire"] == {"id": "mini", "title": "Mini questionnaire"}
    assert view["position"] == {"id": "admin-medsos", "name": "Social media administrator"}
    krisis = view["domains"][1]
    # krisis: (1 + 1/3) / 2 = 66.7 → level 3, capped at 2
    assert (krisis["score"], krisis["level"], krisis["level_name"], krisis["uncapped_level"],
            krisis["target"], krisis["gap"], krisis["priority"], krisis["rank"]) == (
        66.7, 2, "Intermediate", 3, 4, 2, 4, 1)
    assert krisis["caps"] == [{"item_id": "krisis-hoaks", "max_level": 2, "reason": "Mishandled a hoax."}]
    assert krisis["reasons"][0] == {
        "kind": "cap", "item_id": "krisis-hoaks",
        "text": "The level is capped at 2 because of the answer to “A hoax in a WhatsApp group.”. "
                "Mishandled a hoax."}
    assert krisis["pulled_down"] == [{"item_id": "krisis-hoaks", "text": "A hoax in a WhatsApp group.",
                                      "score": 33.3}]
    assert view["plan"]["modules"][0]["id"] == "m-krisis-coaching"
    assert view["plan"]["total_jp"] == 12
    assert view["plan"]["entitlement_status"] == "below"
    assert view["plan"]["employment_type"] == "pns"
    assert view["plan"]["entitlement_note"] == ("Total 12 JP; every PNS is entitled to at least 20 JP "
                                                "of competency development a year, so the plan "
                                                "stays below it.")
    import json
    json.dumps(view)  # JSON-ready


def test_result_to_dict_in_indonesian_with_an_unassessed_domain(mini):
    result = assess(mini, {"krisis-pantau": 5}, "pimpinan")
    view = result_to_dict(mini, result)
    strategi = view["domains"][0]
    assert (strategi["score"], strategi["level"], strategi["level_name"], strategi["gap"]) == (
        None, None, None, None)
    assert strategi["reasons"] == [{"kind": "insufficient", "item_id": None, "text": (
        "Terlalu sedikit jawaban: 0 dari 3 butir dijawab, padahal perlu setidaknya 2. "
        "Domain ini belum diberi tingkat.")}]
    assert view["unassessed"] == ["strategi", "krisis"]
    assert view["plan"] == {"modules": [], "unclosable": [], "total_jp": 0, "entitlement_jp": 20,
                            "entitlement_status": "below", "employment_type": "pns",
                            "entitlement_note": (
                                "Total 0 JP; setiap PNS berhak atas pengembangan kompetensi paling "
                                "sedikit 20 JP per tahun, sehingga rencana ini masih di bawahnya.")}


def test_result_to_dict_lists_unclosable_gaps(mini):
    q = dataclasses.replace(mini, modules=tuple(m for m in mini.modules if m.id != "m-krisis-mentor"))
    view = result_to_dict(q, assess(q, LOW, "admin-medsos"), "en")
    assert view["plan"]["unclosable"] == [{
        "domain_id": "krisis", "domain_name": "Crisis", "level_reached": 3, "target": 4,
        "text": "No training module lifts domain 'Crisis' from level 3 to the target 4."}]
