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

import statistics as stats
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from .model import FrozenMap, Questionnaire
from .scoring import item_score

NO_VARIANCE = "no_variance"
NEGATIVE_CORRELATION = "negative_correlation"


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
    often each option was picked). ``mean_score`` is the mean normalised score (0..1)."""

    item_id: str
    n: int
    distribution: tuple[tuple[Any, int], ...]
    mean_score: float | None
    item_rest_correlation: float | None
    flags: tuple[str, ...]


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r, or None with fewer than 2 pairs or when either side does not vary."""
    if len(xs) < 2 or len(xs) != len(ys):
        return None
    try:
        return stats.correlation(xs, ys)
    except stats.StatisticsError:
        return None


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
        counter = Counter(int(v) for v in values if v not in (None, ""))
        return tuple((p, counter[p]) for p in range(1, item.points + 1))
    if item.type == "choice":
        counter = Counter(v for v in values if v not in (None, ""))
    else:
        counter = Counter(p for v in values if v is not None for p in v)
    return tuple((o.id, counter[o.id]) for o in item.options)


def item_statistics(q: Questionnaire, responses: Iterable[Mapping[str, Any]],
                    domain_id: str) -> tuple[ItemStatistics, ...]:
    """Per scored item of the domain: n, distribution, mean score, item-rest r, flags.

    ``responses``: one mapping item id → answer per respondent (as stored; checked here).
    Item-rest r is Pearson's r of the item's score with the sum of the domain's OTHER items'
    scores, over complete cases. Flags: ``no_variance`` (2+ answers, all the same score) and
    ``negative_correlation`` (r < 0: the item may measure something else or be miskeyed).
    """
    responses = list(responses)
    items, scored = _scores(q, responses, domain_id)
    complete = [row for row in scored if len(row) == len(items)]
    result = []
    for item in items:
        values = [row[item.id] for row in scored if item.id in row]
        rest = [sum(v for k, v in row.items() if k != item.id) for row in complete]
        r = pearson([row[item.id] for row in complete], rest) if len(items) > 1 else None
        flags = []
        if len(values) >= 2 and stats.pvariance(values) == 0:
            flags.append(NO_VARIANCE)
        if r is not None and r < 0:
            flags.append(NEGATIVE_CORRELATION)
        result.append(ItemStatistics(item.id, len(values), _distribution(item, responses),
                                     stats.fmean(values) if values else None, r, tuple(flags)))
    return tuple(result)


def domain_alpha(q: Questionnaire, responses: Iterable[Mapping[str, Any]],
                 domain_id: str) -> float | None:
    """Cronbach's alpha of a domain's scored items over complete cases."""
    items, scored = _scores(q, responses, domain_id)
    return cronbach_alpha([[row[i.id] for i in items] for row in scored if len(row) == len(items)])
