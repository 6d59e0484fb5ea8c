"""Aggregates and item analysis, against hand-computed examples."""
import math

import pytest

from app.engine.model import UnknownModule
from app.engine.statistics import (cronbach_alpha, domain_alpha, item_statistics,
                                   level_distribution, module_demand, pearson, share_below_target)


def test_level_distribution_from_tuples_and_dicts():
    rows = [("strategi", 1, 3), {"domain_id": "strategi", "level": 3, "count": 1},
            ("strategi", 1, 2), ("krisis", None, 4), ("krisis", 2, 4)]
    result = level_distribution(rows, top_level=4)
    assert dict(result["strategi"].counts) == {1: 5, 2: 0, 3: 1, 4: 0}
    assert result["strategi"].assessed == 6 and result["strategi"].unassessed == 0
    assert result["strategi"].share(1) == 5 / 6
    assert (result["krisis"].assessed, result["krisis"].unassessed) == (4, 4)
    assert list(result) == ["strategi", "krisis"]


def test_level_distribution_without_anyone_assessed():
    result = level_distribution([("krisis", None, 2)])
    assert result["krisis"].share(1) is None and dict(result["krisis"].counts) == {}


def test_rows_of_the_wrong_length_are_refused():
    with pytest.raises(ValueError):
        level_distribution([("strategi", 1)])


def test_share_below_target_adds_rows_up():
    rows = [("strategi", 2, 10), ("strategi", 1, 10), {"domain_id": "krisis", "below_count": 0,
                                                       "assessed_count": 0}]
    assert share_below_target(rows) == {"strategi": 0.15, "krisis": None}


def test_module_demand(mini):
    rows = [("m-krisis-mentor", 3), {"module_id": "m-krisis-mentor", "headcount": 2},
            ("m-strategi-1", 1)]
    demand = {d.module_id: d for d in module_demand(mini, rows)}
    assert list(demand) == [m.id for m in mini.modules]
    assert (demand["m-krisis-mentor"].headcount, demand["m-krisis-mentor"].total_jp) == (5, 30)
    assert (demand["m-strategi-1"].headcount, demand["m-strategi-1"].total_jp) == (1, 4)
    assert demand["m-strategi-2"].headcount == 0
    with pytest.raises(UnknownModule):
        module_demand(mini, [("m-unknown", 1)])


def test_cronbach_alpha_by_hand():
    # items X1 = 2 4 3 5, X2 = 3 5 3 5, X3 = 1 3 2 4; totals 6 12 8 14
    # sample variances: X1 5/3, X2 4/3, X3 5/3 (sum 14/3); totals 40/3
    # alpha = 3/2 × (1 − (14/3) / (40/3)) = 3/2 × 26/40 = 0.975
    matrix = [[2, 3, 1], [4, 5, 3], [3, 3, 2], [5, 5, 4]]
    assert cronbach_alpha(matrix) == pytest.approx(0.975)


@pytest.mark.parametrize("matrix", [[], [[1, 2]], [[1], [2], [3]], [[1, 1], [1, 1], [1, 1]]])
def test_cronbach_alpha_is_none_when_undefined(matrix):
    assert cronbach_alpha(matrix) is None


def test_cronbach_alpha_refuses_ragged_rows():
    with pytest.raises(ValueError):
        cronbach_alpha([[1, 2], [1]])


def test_pearson():
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1)
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    assert pearson([1], [1]) is None


RESPONSES = [
    # rencana s, kanal s, tanda s
    {"strategi-rencana": 1, "strategi-kanal": "a", "strategi-tanda": []},          # 0,   0,   0
    {"strategi-rencana": 4, "strategi-kanal": "c", "strategi-tanda": ["a", "b"]},  # 1,   1,   1
    {"strategi-rencana": 3, "strategi-kanal": "b", "strategi-tanda": ["a"]},       # 2/3, 1/2, 1/2
    {"strategi-rencana": 2, "strategi-kanal": "c", "strategi-tanda": ["c"]},       # 1/3, 1,   0
    {"strategi-rencana": "3", "strategi-komentar": "incomplete: not in correlations"},
]


def test_item_statistics_by_hand(mini):
    stats = {s.item_id: s for s in item_statistics(mini, RESPONSES, "strategi")}
    assert list(stats) == ["strategi-rencana", "strategi-kanal", "strategi-tanda"]  # no text item
    kanal = stats["strategi-kanal"]
    assert kanal.n == 4
    assert kanal.distribution == (("a", 1), ("b", 1), ("c", 2))
    assert kanal.mean_score == pytest.approx(0.625)
    # complete cases only (first four): x = 0, 1, 1/2, 1; rest = rencana + tanda = 0, 2, 7/6, 1/3
    # deviations: x − 5/8 and rest − 7/8; Σdx·dr = 35/48, Σdx² = 11/16, Σdr² = 347/144
    # r = (35/48) / √(11/16 × 347/144) = 35 / √3817
    assert kanal.item_rest_correlation == pytest.approx(35 / math.sqrt(3817))
    assert kanal.flags == ()
    rencana = stats["strategi-rencana"]
    assert rencana.n == 5 and rencana.distribution == ((1, 1), (2, 1), (3, 2), (4, 1))
    tanda = stats["strategi-tanda"]
    assert tanda.distribution == (("a", 2), ("b", 1), ("c", 1), ("d", 0))


def test_item_statistics_flags(mini):
    responses = [
        {"strategi-rencana": 1, "strategi-kanal": "c", "strategi-tanda": []},
        {"strategi-rencana": 4, "strategi-kanal": "a", "strategi-tanda": ["a", "b"]},
        {"strategi-rencana": 3, "strategi-kanal": "b", "strategi-tanda": ["a", "b"]},
    ]
    stats = {s.item_id: s for s in item_statistics(mini, responses, "strategi")}
    assert "negative_correlation" in stats["strategi-kanal"].flags
    assert stats["strategi-kanal"].item_rest_correlation < 0
    same = [{"strategi-kanal": "c", "strategi-rencana": v, "strategi-tanda": []} for v in (1, 2, 3)]
    flat = {s.item_id: s for s in item_statistics(mini, same, "strategi")}
    assert flat["strategi-kanal"].flags[0] == "no_variance"
    assert flat["strategi-kanal"].item_rest_correlation is None


def test_item_statistics_without_answers(mini):
    stats = item_statistics(mini, [], "krisis")
    assert [(s.n, s.mean_score, s.item_rest_correlation, s.flags) for s in stats] == [
        (0, None, None, ())] * 3


def test_domain_alpha_uses_complete_cases(mini):
    matrix = [[0, 0, 0], [1, 1, 1], [2 / 3, 0.5, 0.5], [1 / 3, 1, 0]]
    assert domain_alpha(mini, RESPONSES, "strategi") == pytest.approx(cronbach_alpha(matrix))
