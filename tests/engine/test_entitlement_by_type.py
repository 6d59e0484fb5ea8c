"""The yearly entitlement by employment type: a PNS at least 20 JP, a PPPK at most 24 JP (PP No. 49
Tahun 2018); the plan records the type and says the right thing; stored results without a type
(every result stored before types were recorded) read back as PNS."""
from __future__ import annotations

import json

import pytest

from app.engine import entitlement
from app.engine.stored import result_from_plain, result_to_plain
from app.engine.training import PNS, PPPK, Plan, assess, plan, result_to_dict

# As in test_training: gaps in both domains of mini for admin-medsos, a plan of 26 JP.
LOW = {"strategi-rencana": 2, "strategi-kanal": "a", "strategi-tanda": ["a"],
       "krisis-pantau": 2, "krisis-hoaks": "c", "krisis-tim": 1}


def test_the_figures_by_type():
    assert entitlement.default_entitlement(PNS) == entitlement.PNS_MIN_JP == 20
    assert entitlement.default_entitlement(PPPK) == entitlement.PPPK_MAX_JP == 24
    with pytest.raises(ValueError, match="employment type"):
        entitlement.default_entitlement("honorer")


@pytest.mark.parametrize("total, status, years", [
    (0, "below", 1), (23, "below", 1), (24, "equal", 1), (25, "above", 2), (48, "above", 2), (49, "above", 3)])
def test_a_pppk_plan_is_compared_with_24_jp(total, status, years):
    p = Plan((), (), total, 24, PPPK)
    assert p.entitlement_status == status
    assert entitlement.years_at(total, 24) == years


def test_assess_defaults_to_pns_and_old_callers_are_unchanged(mini):
    default = assess(mini, LOW, "admin-medsos")
    assert (default.plan.employment_type, default.plan.entitlement_jp) == (PNS, 20)
    assert assess(mini, LOW, "admin-medsos", PNS) == default
    assert plan(mini, default.gaps) == default.plan


def test_assess_as_pppk_compares_with_the_pppk_maximum(mini):
    result = assess(mini, LOW, "admin-medsos", PPPK)
    assert (result.plan.employment_type, result.plan.entitlement_jp) == (PPPK, 24)
    assert result.plan.total_jp == 26 and result.plan.entitlement_status == "above"
    assert result.plan.entries == assess(mini, LOW, "admin-medsos").plan.entries  # the same modules
    assert assess(mini, LOW, "admin-medsos", PPPK, entitlement_jp=30).plan.entitlement_status == "below"


def test_an_unknown_employment_type_is_refused(mini):
    with pytest.raises(ValueError, match="employment type"):
        assess(mini, LOW, "admin-medsos", "PPPK")
    with pytest.raises(ValueError, match="employment type"):
        assess(mini, LOW, "admin-medsos", "honorer", entitlement_jp=20)


@pytest.mark.parametrize("total, en, id_", [
    (12, "Total 12 JP; every PNS is entitled to at least 20 JP of competency development a year, so the "
         "plan stays below it.",
     "Total 12 JP; setiap PNS berhak atas pengembangan kompetensi paling sedikit 20 JP per tahun, "
     "sehingga rencana ini masih di bawahnya."),
    (20, "Total 20 JP; every PNS is entitled to at least 20 JP of competency development a year, and the "
         "plan is exactly that.",
     "Total 20 JP; setiap PNS berhak atas pengembangan kompetensi paling sedikit 20 JP per tahun, dan "
     "rencana ini tepat sebesar itu."),
    (26, "Total 26 JP; every PNS is entitled to at least 20 JP of competency development a year, and the "
         "plan goes beyond it; part of it can be scheduled for the following year.",
     "Total 26 JP; setiap PNS berhak atas pengembangan kompetensi paling sedikit 20 JP per tahun, dan "
     "rencana ini melebihinya; sebagian dapat dijadwalkan pada tahun berikutnya."),
])
def test_the_pns_notes(total, en, id_):
    assert entitlement.note(PNS, total, 20) == (id_, en)


@pytest.mark.parametrize("total, en, id_", [
    (12, "Total 12 JP; PPPK competency development is at most 24 JP a year, so the plan fits within one "
         "year.",
     "Total 12 JP; pengembangan kompetensi PPPK paling banyak 24 JP per tahun, sehingga rencana ini muat "
     "dalam satu tahun."),
    (24, "Total 24 JP; PPPK competency development is at most 24 JP a year, and the plan reaches exactly "
         "that limit.",
     "Total 24 JP; pengembangan kompetensi PPPK paling banyak 24 JP per tahun, dan rencana ini tepat "
     "mencapai batas itu."),
    (50, "Total 50 JP; PPPK competency development is at most 24 JP a year, so the plan needs more than one "
         "year at that limit (3 years).",
     "Total 50 JP; pengembangan kompetensi PPPK paling banyak 24 JP per tahun, sehingga rencana ini "
     "memerlukan lebih dari satu tahun pada batas itu (3 tahun)."),
])
def test_the_pppk_notes(total, en, id_):
    assert entitlement.note(PPPK, total, 24) == (id_, en)


def test_the_json_view_carries_the_type_and_the_pppk_note(mini):
    view = result_to_dict(mini, assess(mini, LOW, "admin-medsos", PPPK), "en")["plan"]
    assert (view["employment_type"], view["entitlement_jp"], view["entitlement_status"]) == (PPPK, 24, "above")
    assert view["entitlement_note"] == ("Total 26 JP; PPPK competency development is at most 24 JP a year, "
                                        "so the plan needs more than one year at that limit (2 years).")
    indonesian = result_to_dict(mini, assess(mini, LOW, "admin-medsos", PPPK), "id")["plan"]
    assert "paling banyak 24 JP per tahun" in indonesian["entitlement_note"]


def test_a_stored_pppk_result_reads_back_as_pppk(mini):
    result = assess(mini, LOW, "admin-medsos", PPPK)
    stored = json.loads(json.dumps(result_to_plain(result)))
    assert stored["plan"]["employment_type"] == PPPK
    back = result_from_plain(mini, stored)
    assert back == result
    assert result_to_dict(mini, back, "en") == result_to_dict(mini, result, "en")


def _as_stored_before_types(result, fmt: int) -> dict:
    """A result as it was stored before employment types: no type in the plan; format 1 domain
    rows also lack the anchored model's five values."""
    stored = json.loads(json.dumps(result_to_plain(result)))
    del stored["plan"]["employment_type"]
    stored["format"] = fmt
    if fmt == 1:
        stored["domains"] = [row[:9] for row in stored["domains"]]
    return stored


@pytest.mark.parametrize("fmt", [1, 2])
def test_results_stored_without_a_type_read_as_pns(mini, fmt):
    result = assess(mini, LOW, "admin-medsos")
    back = result_from_plain(mini, _as_stored_before_types(result, fmt))
    assert (back.plan.employment_type, back.plan.entitlement_jp, back.plan.total_jp) == (PNS, 20, 26)
    view = result_to_dict(mini, back, "en")["plan"]
    assert view["employment_type"] == PNS
    assert view["entitlement_note"].startswith("Total 26 JP; every PNS is entitled to at least 20 JP")


def test_a_stored_plan_with_an_unknown_type_is_refused(mini):
    stored = result_to_plain(assess(mini, LOW, "admin-medsos"))
    stored["plan"]["employment_type"] = "honorer"
    with pytest.raises(ValueError, match="employment type"):
        result_from_plain(mini, stored)
