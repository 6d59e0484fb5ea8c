"""Aggregates and item analysis over plain rows (no database here: the caller runs the query).

Rows may be tuples in the documented column order or mappings with the documented keys:

- ``level_distribution``: ``(domain_id, level, count)``; level None = domain not assessed;
- ``share_below_target``: ``(domain_id, below_count, assessed_count)``;
- ``module_demand``: ``(module_id, headcount)`` — people whose plan holds the module.

Several rows for the same key (e.g. one per unit) are added up.

Item analysis works on normalised item scores (0..1). Correlations and Cronbach's alpha use
only the respondents who answered every scored item of the domain (complete cases), the usual
choice for these coefficients; ``n`` and the distribution use every answer given.
"""
from __future__ import annotations

import math
import statistics as stats
from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Iterable, Mapping, Sequence

from .model import NOT_APPLICABLE, FrozenMap, Questionnaire
from .scoring import item_score

NO_VARIANCE = "no_variance"
NEGATIVE_CORRELATION = "negative_correlation"
CEILING = "ceiling"                      # mean score ≥ CEILING_AT: nearly everyone gets it right
LOW_DISCRIMINATION = "low_discrimination"  # item-rest r < LOW_R: it hardly separates people
NONFUNCTIONAL_DISTRACTORS = "nonfunctional_distractors"  # a wrong option hardly anyone picks
CEILING_AT = 0.90
LOW_R = 0.20
DISTRACTOR_MIN_SHARE = 0.05
CONFIDENCE = 0.95


def _columns(row: Any, names: tuple[str, ...]) -> tuple:
    if isinstance(row, Mapping):
        return tuple(row[n] for n in names)
    values = tuple(row)
    if len(values) != len(names):
        raise ValueError(f"expected a row of {len(names)} values ({', '.join(names)}): {row!r}")
    return values


@dataclass(frozen=True)
class LevelCounts:
    """People per level of one domain; ``counts`` is level → count in level order."""

    domain_id: str
    counts: FrozenMap
    unassessed: int = 0

    @property
    def assessed(self) -> int:
        return sum(self.counts.values())

    def share(self, level: int) -> float | None:
        """Share of the assessed people at ``level`` (None when nobody was assessed)."""
        return self.counts.get(level, 0) / self.assessed if self.assessed else None


def level_distribution(rows: Iterable[Any], *, top_level: int | None = None
                       ) -> dict[str, LevelCounts]:
    """Rows ``(domain_id, level, count)`` → domain id → LevelCounts (first-seen domain order).

    With ``top_level``, every level 1..top_level is present (0 when nobody is at it).
    """
    counts: dict[str, Counter] = defaultdict(Counter)
    missing: Counter = Counter()
    for row in rows:
        domain_id, level, count = _columns(row, ("domain_id", "level", "count"))
        counts[domain_id]  # keeps the domain even if it only has unassessed people
        if level is None:
            missing[domain_id] += count
        else:
            counts[domain_id][level] += count
    result = {}
    for domain_id, counter in counts.items():
        levels = sorted(set(counter) | set(range(1, (top_level or 0) + 1)))
        result[domain_id] = LevelCounts(domain_id, FrozenMap((lv, counter[lv]) for lv in levels),
                                        missing[domain_id])
    return result


def share_below_target(rows: Iterable[Any]) -> dict[str, float | None]:
    """Rows ``(domain_id, below_count, assessed_count)`` → share below target (None if 0 assessed)."""
    below: Counter = Counter()
    assessed: Counter = Counter()
    for row in rows:
        domain_id, below_count, assessed_count = _columns(
            row, ("domain_id", "below_count", "assessed_count"))
        below[domain_id] += below_count
        assessed[domain_id] += assessed_count
    return {d: (below[d] / assessed[d] if assessed[d] else None) for d in assessed}


@dataclass(frozen=True)
class ModuleDemand:
    module_id: str
    domain_id: str
    headcount: int
    jp: int

    @property
    def total_jp(self) -> int:
        return self.headcount * self.jp


def module_demand(q: Questionnaire, rows: Iterable[Any]) -> tuple[ModuleDemand, ...]:
    """Rows ``(module_id, headcount)`` → every catalogue module with its headcount and total JP.

    Modules nobody needs are included with headcount 0; an unknown module id raises
    UnknownModule (rows must come from assessments of this questionnaire version).
    """
    heads: Counter = Counter()
    for row in rows:
        module_id, headcount = _columns(row, ("module_id", "headcount"))
        q.module(module_id)
        heads[module_id] += headcount
    return tuple(ModuleDemand(m.id, m.domain_id, heads[m.id], m.jp) for m in q.modules)


# -- item analysis ----------------------------------------------------------------------

@dataclass(frozen=True)
class ItemStatistics:
    """``distribution``: (value, count) pairs — rating points 1..K, or option ids (for multi, how
    often each option was picked). ``mean_score`` is the mean normalised score (0..1), the item's
    difficulty *p*. ``r_interval``: the 95 % confidence interval of the item-rest r (Fisher's z)
    over ``complete`` respondents. ``keyed``: the options with the highest score;
    ``nonfunctional``: the wrong options chosen by fewer than 5 % of those who answered."""

    item_id: str
    n: int
    distribution: tuple[tuple[Any, int], ...]
    mean_score: float | None
    item_rest_correlation: float | None
    flags: tuple[str, ...]
    r_interval: tuple[float, float] | None = None
    complete: int = 0
    keyed: tuple[str, ...] = ()
    nonfunctional: tuple[str, ...] = ()

    def share(self, count: int) -> float | None:
        """A distribution count as a share of the people who answered the item."""
        return count / self.n if self.n else None


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r, or None with fewer than 2 pairs or when either side does not vary."""
    if len(xs) < 2 or len(xs) != len(ys):
        return None
    try:
        return stats.correlation(xs, ys)
    except stats.StatisticsError:
        return None


def correlation_interval(r: float | None, n: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """Fisher's z interval of a correlation over ``n`` pairs (None below 4 pairs or at |r| = 1)."""
    if r is None or n < 4 or abs(r) >= 1:
        return None
    z, half = math.atanh(r), NormalDist().inv_cdf(0.5 + confidence / 2) / math.sqrt(n - 3)
    return math.tanh(z - half), math.tanh(z + half)


def alpha_interval(alpha: float | None, n: int, k: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """Feldt's (1965) interval of Cronbach's alpha from ``n`` respondents and ``k`` items:
    1 − (1 − alpha) · F, with F the F distribution's quantiles on (n − 1, (n − 1)(k − 1))
    degrees of freedom."""
    if alpha is None or n < 2 or k < 2:
        return None
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - confidence) / 2
    return 1 - (1 - alpha) * f_quantile(1 - tail, df1, df2), 1 - (1 - alpha) * f_quantile(tail, df1, df2)


def _incomplete_beta(x: float, a: float, b: float) -> float:
    """The regularised incomplete beta function I_x(a, b), by its continued fraction (modified
    Lentz), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    if x > (a + 1) / (a + b + 2):
        return 1 - _incomplete_beta(1 - x, b, a)
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)) / a
    tiny, c, d = 1e-300, 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 500):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1) < 1e-14:
            break
    return front * fraction


def f_cdf(value: float, df1: float, df2: float) -> float:
    """The F distribution's cumulative probability, through the incomplete beta function."""
    if value <= 0:
        return 0.0
    return _incomplete_beta(df1 * value / (df1 * value + df2), df1 / 2, df2 / 2)


def f_quantile(p: float, df1: float, df2: float) -> float:
    """The F distribution's ``p`` quantile, by bisection on its distribution function (the
    standard library has no F distribution, and the engine takes no numeric dependency)."""
    low, high = 0.0, 1.0
    while f_cdf(high, df1, df2) < p:
        high *= 2
    for _step in range(200):
        middle = (low + high) / 2
        if f_cdf(middle, df1, df2) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of a matrix with one row per respondent and one column per item.

    None when there are fewer than 2 items or 2 respondents, or the total scores do not vary.
    """
    rows = [list(map(float, row)) for row in matrix]
    if len(rows) < 2 or not rows[0] or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    if any(len(row) != k for row in rows):
        raise ValueError("every row needs one value per item")
    total_variance = stats.variance([sum(row) for row in rows])
    if total_variance == 0:
        return None
    item_variance = sum(stats.variance(column) for column in zip(*rows))
    return k / (k - 1) * (1 - item_variance / total_variance)


def _scores(q: Questionnaire, responses: Iterable[Mapping[str, Any]], domain_id: str
            ) -> tuple[list, list[dict[str, float]]]:
    items = q.domain(domain_id).scored_items
    scored = [{i.id: s for i in items if (s := item_score(i, r.get(i.id))) is not None}
              for r in responses]
    return list(items), scored


def _distribution(item, responses: list[Mapping[str, Any]]) -> tuple[tuple[Any, int], ...]:
    values = [r.get(item.id) for r in responses]
    if item.type == "rating":
        counter = Counter(int(v) for v in values if v not in (None, "", NOT_APPLICABLE))
        return tuple((p, counter[p]) for p in range(1, item.points + 1))
    if item.type == "choice":
        counter = Counter(v for v in values if v not in (None, ""))
    else:
        counter = Counter(p for v in values if v is not None for p in v)
    return tuple((o.id, counter[o.id]) for o in item.options)


def _keyed(item) -> tuple[str, ...]:
    if item.type not in ("choice", "multi"):
        return ()
    best = max(o.score for o in item.options)
    return tuple(o.id for o in item.options if o.score == best and o.score > 0)


def _nonfunctional(item, distribution: tuple[tuple[Any, int], ...], answered: int) -> tuple[str, ...]:
    """Wrong options of a choice or multi item that fewer than DISTRACTOR_MIN_SHARE of the
    people who answered picked: they distract nobody, so the item is easier than it looks."""
    if item.type not in ("choice", "multi") or not answered:
        return ()
    wrong = {o.id for o in item.options if o.score <= 0}
    return tuple(value for value, count in distribution if value in wrong and count / answered < DISTRACTOR_MIN_SHARE)


def item_statistics(q: Questionnaire, responses: Iterable[Mapping[str, Any]],
                    domain_id: str) -> tuple[ItemStatistics, ...]:
    """Per scored item of the domain: n, distribution, mean score, item-rest r with its interval,
    flags.

    ``responses``: one mapping item id → answer per respondent (as stored; checked here).
    Item-rest r is Pearson's r of the item's score with the sum of the domain's OTHER items'
    scores, over complete cases. Flags: ``no_variance`` (2+ answers, all the same score),
    ``negative_correlation`` (r < 0: the item may measure something else or be miskeyed),
    ``ceiling`` (mean score ≥ 0.90), ``low_discrimination`` (r < 0.20) and
    ``nonfunctional_distractors`` (a wrong option chosen by fewer than 5 %).
    """
    responses = list(responses)
    items, scored = _scores(q, responses, domain_id)
    complete = [row for row in scored if len(row) == len(items)]
    result = []
    for item in items:
        values = [row[item.id] for row in scored if item.id in row]
        rest = [sum(v for k, v in row.items() if k != item.id) for row in complete]
        r = pearson([row[item.id] for row in complete], rest) if len(items) > 1 else None
        mean = stats.fmean(values) if values else None
        distribution = _distribution(item, responses)
        nonfunctional = _nonfunctional(item, distribution, len(values))
        flags = []
        if len(values) >= 2 and stats.pvariance(values) == 0:
            flags.append(NO_VARIANCE)
        if r is not None and r < 0:
            flags.append(NEGATIVE_CORRELATION)
        elif r is not None and r < LOW_R:
            flags.append(LOW_DISCRIMINATION)
        if mean is not None and mean >= CEILING_AT:
            flags.append(CEILING)
        if nonfunctional:
            flags.append(NONFUNCTIONAL_DISTRACTORS)
        result.append(ItemStatistics(item.id, len(values), distribution, mean, r, tuple(flags),
                                     correlation_interval(r, len(complete)), len(complete), _keyed(item),
                                     nonfunctional))
    return tuple(result)


def domain_alpha(q: Questionnaire, responses: Iterable[Mapping[str, Any]],
                 domain_id: str) -> float | None:
    """Cronbach's alpha of a domain's scored items over complete cases."""
    return domain_reliability(q, responses, domain_id).alpha


@dataclass(frozen=True)
class Reliability:
    alpha: float | None
    interval: tuple[float, float] | None
    complete: int
    items: int


def domain_reliability(q: Questionnaire, responses: Iterable[Mapping[str, Any]], domain_id: str) -> Reliability:
    """Cronbach's alpha of a domain's scored items over complete cases, with Feldt's interval."""
    items, scored = _scores(q, responses, domain_id)
    matrix = [[row[i.id] for i in items] for row in scored if len(row) == len(items)]
    alpha = cronbach_alpha(matrix)
    return Reliability(alpha, alpha_interval(alpha, len(matrix), len(items)), len(matrix), len(items))
