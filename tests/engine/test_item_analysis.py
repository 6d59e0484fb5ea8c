"""Item analysis a trainer can act on (issue 12, part 6): confidence intervals checked against
published table values, and the flags for ceiling, low discrimination and distractors nobody picks."""

from __future__ import annotations

import math

import pytest

from app.engine.statistics import (CEILING, LOW_DISCRIMINATION, NONFUNCTIONAL_DISTRACTORS, alpha_interval,
                                   correlation_interval, f_quantile, item_statistics)


@pytest.mark.parametrize("p,df1,df2,table", [(0.975, 10, 20, 2.7737), (0.95, 5, 10, 3.3258), (0.99, 1, 1000, 6.6602),
                                             (0.95, 30, 60, 1.6491), (0.025, 10, 20, 0.2925)])
def test_f_quantiles_match_the_printed_tables(p, df1, df2, table):
    assert f_quantile(p, df1, df2) == pytest.approx(table, abs=5e-4)


def test_feldt_interval_of_alpha():
    """Feldt (1965): 1 − (1 − alpha)·F on (n − 1, (n − 1)(k − 1)) df; alpha .80, n 100, k 10."""
    low, high = alpha_interval(0.80, 100, 10)
    assert low == pytest.approx(1 - 0.2 * f_quantile(0.975, 99, 891))
    assert high == pytest.approx(1 - 0.2 * f_quantile(0.025, 99, 891))
    assert 0.73 < low < 0.80 < high < 0.86
    assert alpha_interval(None, 100, 10) is None and alpha_interval(0.8, 1, 10) is None


def test_fisher_interval_of_a_correlation():
    low, high = correlation_interval(0.5, 103)  # z = 0.5493 ± 1.96 × 0.1
    assert low == pytest.approx(math.tanh(0.5493 - 0.196), abs=1e-3)
    assert high == pytest.approx(math.tanh(0.5493 + 0.196), abs=1e-3)
    assert correlation_interval(1.0, 50) is None and correlation_interval(0.3, 3) is None


def stats_of(mini, responses):
    return {s.item_id: s for s in item_statistics(mini, responses, "strategi")}


def test_an_item_nearly_everyone_gets_right_is_flagged_ceiling(mini):
    responses = [{"strategi-rencana": r, "strategi-kanal": "c", "strategi-tanda": ["a", "b"]} for r in (1, 2, 3, 4)]
    responses.append({"strategi-rencana": 2, "strategi-kanal": "b", "strategi-tanda": ["a"]})
    kanal = stats_of(mini, responses)["strategi-kanal"]
    assert kanal.mean_score == pytest.approx(0.9)
    assert CEILING in kanal.flags
    assert kanal.keyed == ("c",)


def test_a_wrong_option_nobody_picks_is_a_nonfunctional_distractor(mini):
    """Option a (score 0) is chosen by 1 of 25: 4 % < 5 %."""
    responses = [{"strategi-rencana": 1 + n % 4, "strategi-kanal": "b" if n % 2 else "c", "strategi-tanda": []}
                 for n in range(24)]
    responses.append({"strategi-rencana": 1, "strategi-kanal": "a", "strategi-tanda": []})
    kanal = stats_of(mini, responses)["strategi-kanal"]
    assert kanal.nonfunctional == ("a",)
    assert NONFUNCTIONAL_DISTRACTORS in kanal.flags
    assert kanal.share(dict(kanal.distribution)["a"]) == pytest.approx(0.04)


def test_low_discrimination_below_r_020(mini):
    """kanal varies at random against the rest: r is small but not negative."""
    pattern = [("c", 1), ("b", 4), ("c", 2), ("c", 4), ("b", 1), ("b", 3), ("c", 3), ("b", 2)]
    responses = [{"strategi-rencana": r, "strategi-kanal": k, "strategi-tanda": ["a"]} for k, r in pattern]
    kanal = stats_of(mini, responses)["strategi-kanal"]
    assert kanal.item_rest_correlation is not None and 0 <= kanal.item_rest_correlation < 0.20
    assert LOW_DISCRIMINATION in kanal.flags
    assert kanal.r_interval is not None and kanal.r_interval[0] < kanal.item_rest_correlation < kanal.r_interval[1]
