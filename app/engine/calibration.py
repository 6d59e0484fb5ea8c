"""Calibration from collected results: what the results of a version say about its scoring rules
(the formulas, with examples: "Kalibrasi" / "Calibration" in questionnaires/README.md). Plain
arithmetic on values a service has read; nothing is stored. The impact preview is in ``impact``.

**Observations** (``observe``), per person and domain, from the result computed with the
version's own rules: level, level before caps, caps applied, scenario score (0..1, ``anchored``),
domain score (0..100) and the **self-rated level**, the contrasting-groups criterion: the result's
own under ``anchored``; under ``thresholds`` (results hold none) ``rounded(1 + (top − 1) × m)``
from the rating answers, ``m`` their weighted mean normalised score, rounded half down (for items
with one anchor per level the same number). Scores are the floats rounded to 12 decimals (binary
noise dropped, equal scores equal); values are written from their decimals exactly.

**(a) Percentile method** (nearest rank: ``Q_p`` of n values is the ⌈p × n / 100⌉-th smallest).
``anchored``: of the people self-rated 2 or higher (only they can be lowered), the mildest tier's
``below`` is ``Q_P`` of their scenario scores (it lowers at least the lowest P %); a tier that
lowers by j uses ``Q_{P/j}``; per domain, ``Q_P`` per self-rated level. ``thresholds``: the
target is the version's own distribution, ``c_k`` = the pooled share of levels before caps below
k; the threshold of level k is the (m + 1)-th smallest score, ``m = ⌊c_k × n + ½⌋``.

**(b) Contrasting groups**: upper group self-rated k, lower group k − j (per domain j = 1; for the
questionnaire, the pairs of every domain and k — every k for a tier lowering by j, only k for the
threshold of level k — in which both groups have people, pooled: the errors add up). The cut that
**misclassifies fewest** (upper-group people at or below it plus lower-group people above it; ties
to the larger low side: in doubt, a training need) — under ``anchored`` a ``below``, the largest
score of the low side (None: lowering nobody wins); under ``thresholds`` the smallest score of the
high side — and the classic **midpoint of the two medians** (None when the lower median is not
below the upper one). A figure needs ``min_group`` people in each group it reads (TOO_FEW).
Values are given as written in a file (``written_below``, ``written_threshold``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Iterable, Mapping, Sequence

from .answers import AnswerInvalid
from .model import HALF_DOWN, Domain, Item, Questionnaire
from .scoring import DomainScore, exact, normalised, rounded_level
from .training import Result

DEFAULT_PERCENTILE = 10
PERCENTILES = (5, 10, 20, 25)  # what a trainer may choose on the page
SCORE_BANDS = 5  # the score distribution is drawn in fifths: 0–20 %, 20–40 %, …, 80–100 %
TOO_FEW, NO_SEPARATION = "too_few", "no_separation"


# -- observations -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Observation:
    """One person's figures in one domain (None where the domain has no such answers). Scores
    are a result's floats rounded to 12 decimals (``clean``), so equal scores compare equal."""

    domain_id: str
    level: int | None
    uncapped_level: int | None
    self_rated_level: int | None
    scenario_score: float | None  # 0..1
    score: float | None  # 0..100
    caps_applied: tuple[str, ...] = ()

    @property
    def assessed(self) -> bool:
        return self.level is not None


def clean(value: float | Fraction | None) -> float | None:
    """A score rounded to 12 decimals: the binary noise dropped (0.1 + 0.2 → 0.3), equal scores
    equal. The figures below are read on these and written from their decimals exactly."""
    return None if value is None else round(float(value), 12)


def _weighted(items: Sequence[Item], scores: Mapping[str, Fraction]) -> Fraction | None:
    if not items:
        return None
    return (sum(exact(i.weight) * scores[i.id] for i in items)
            / sum(exact(i.weight) for i in items))


def self_rated_level(q: Questionnaire, domain: Domain, answers: Mapping[str, Any]) -> int | None:
    """The criterion level: ``rounded(1 + (top − 1) × m)``, ``m`` the weighted mean of the
    normalised scores of the domain's answered rating items; None when none is answered. An
    answer the item does not accept counts as unanswered."""
    scores: dict[str, Fraction] = {}
    for item in domain.rating_items:
        try:
            value = normalised(item, answers.get(item.id))
        except AnswerInvalid:
            continue
        if value is not None:
            scores[item.id] = value
    mean = _weighted([i for i in domain.rating_items if i.id in scores], scores)
    if mean is None:
        return None
    rounding = q.scoring.rounding if q.scoring.anchored else HALF_DOWN
    return rounded_level(1 + (q.top_level - 1) * mean, rounding)


def observation(q: Questionnaire, ds: DomainScore, answers: Mapping[str, Any] | None = None) -> Observation:
    """A domain's observation from its score (fresh or stored); the self-rated level is the
    score's own, or computed from ``answers`` when the score has none (``thresholds`` model,
    results stored before the anchored model)."""
    criterion = ds.self_rated_level
    if criterion is None and answers is not None:
        criterion = self_rated_level(q, q.domain(ds.domain_id), answers)
    return Observation(ds.domain_id, ds.level, ds.uncapped_level, criterion, clean(ds.scenario_score),
                       clean(ds.score), tuple(c.item_id for c in ds.caps_applied))


def observe(q: Questionnaire, result: Result, answers: Mapping[str, Any] | None = None) -> tuple[Observation, ...]:
    """Every domain's observation of one person's result on ``q`` (the version they answered;
    ``answers``, their stored answers, are read only for a self-rated level the result lacks)."""
    return tuple(observation(q, ds, answers) for ds in result.scores.domains)


# -- the statistics the methods use --------------------------------------------------------------

def nearest_rank(values: Sequence[float], percent: Fraction | int) -> float:
    """``Q_p``: the ⌈p × n / 100⌉-th smallest value (0 < p ≤ 100; at least the smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-Fraction(percent) * len(ordered) // 100))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return clean((Fraction(str(ordered[middle - 1])) + Fraction(str(ordered[middle]))) / 2)


@dataclass(frozen=True)
class Split:
    """A split of the scores: ``low_top`` the largest on the low side, ``high_bottom`` the
    smallest on the high side (None: that side is empty)."""

    low_top: float | None
    high_bottom: float | None
    errors: int
    people: int


def best_split(lower: Sequence[float], upper: Sequence[float], *, anchored: bool) -> Split | None:
    """Fewest misclassified: the upper group's people on the low side (score ≤ the cut) plus the
    lower group's people on the high side; ties go to the larger low side. Splits whose cut cannot
    be written are not considered: under ``anchored`` a ``below`` of 1 or more, under
    ``thresholds`` a threshold of 0 (or one nobody reaches). None when no split is left.
    One pass over the distinct scores, in order (the errors change only at a score)."""
    low_counts, up_counts = Counter(lower), Counter(upper)
    values = sorted(set(low_counts) | set(up_counts))
    best: Split | None = None
    errors = len(lower)  # the low side empty: every lower-group person is on the high side
    for i in range(len(values) + 1):  # the low side holds values[:i]
        if i:
            errors += up_counts[values[i - 1]] - low_counts[values[i - 1]]
        low_top = values[i - 1] if i else None
        high_bottom = values[i] if i < len(values) else None
        if anchored and low_top is not None and low_top >= 1:
            continue
        if not anchored and (high_bottom is None or high_bottom <= 0):
            continue
        if best is None or errors <= best.errors:
            best = Split(low_top, high_bottom, errors, len(lower) + len(upper))
    return best


def medians_midpoint(lower: Sequence[float], upper: Sequence[float]) -> float | None:
    """(median of the lower group + median of the upper group) / 2; None when the lower group's
    median is not below the upper group's."""
    low, high = median(lower), median(upper)
    return clean((Fraction(str(low)) + Fraction(str(high))) / 2) if low < high else None


def written_below(value: float | None, *, up: bool = True) -> float | None:
    """A scenario score (0..1) as a tier's ``below``: two decimals, rounded up (half up for a
    midpoint); None when it would be 1 or more."""
    if value is None:
        return None
    out = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_CEILING if up else ROUND_HALF_UP)
    return float(out) if out < 1 else None


def written_threshold(value: float | None, *, down: bool = True) -> float | None:
    """A domain score (0..100) as a threshold: one decimal, rounded down (half up for a
    midpoint); None when it would be 0 or less (or above 100)."""
    if value is None:
        return None
    out = Decimal(str(value)).quantize(Decimal("0.1"), ROUND_FLOOR if down else ROUND_HALF_UP)
    return float(out) if 0 < out <= 100 else None


# -- calibration -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Suggestion:
    """Suggested values for one parameter, as written in a file. ``key``: under ``anchored`` a
    tier's ``lower_by`` (per domain: the upper group's self-rated level k, the lower being k − 1),
    under ``thresholds`` the level k of the threshold. ``note``: TOO_FEW (a group is smaller than
    ``min_group``: method (b) suggests nothing) or NO_SEPARATION (the medians are not in order)."""

    key: int
    current: float | None
    percentile: float | None
    cut: float | None
    cut_errors: int | None
    cut_people: int
    midpoint: float | None
    lower_people: int
    upper_people: int
    lower_median: float | None
    upper_median: float | None
    note: str | None = None


@dataclass(frozen=True)
class CapFigure:
    """Of the ``people`` assessed in the cap's domain, ``applied``: the item scored at (or under) its
    bar; ``binding``: of those, the cap set the level (it would have been higher without it)."""

    item_id: str
    below: float
    max_level: int
    people: int
    applied: int
    binding: int


@dataclass(frozen=True)
class DomainCalibration:
    domain_id: str
    people: int  # every person counted, assessed in this domain or not
    assessed: int
    self_rated: dict[int, int]  # self-rated level → people (of the assessed)
    levels: dict[int, int]  # level → people
    bands: dict[int, dict[int, int]]  # self-rated level → score band (1..SCORE_BANDS) → people
    suggestions: tuple[Suggestion, ...]

    @property
    def unassessed(self) -> int:
        return self.people - self.assessed


@dataclass(frozen=True)
class Calibration:
    model: str
    people: int
    percentile: int
    min_group: int
    domains: tuple[DomainCalibration, ...]
    suggestions: tuple[Suggestion, ...]  # for the whole questionnaire: its tiers / thresholds
    caps: tuple[CapFigure, ...]
    target: dict[int, float] = field(default_factory=dict)  # thresholds: c_k, the target shares below k


def band(share: float) -> int:
    """The score band (1..SCORE_BANDS) of a share 0..1: [0, 0.2) → 1, …, [0.8, 1] → 5."""
    return min(SCORE_BANDS, int(round(share * SCORE_BANDS, 9)) + 1)


def _checked_score(q: Questionnaire, o: Observation) -> float | None:
    """The score a method reads: the scenario score (anchored), the domain score (thresholds)."""
    return o.scenario_score if q.scoring.anchored else o.score


def _contrast(q: Questionnaire, key: int, lower: list[float], upper: list[float], *,
              current: float | None, percentile: float | None, min_group: int) -> Suggestion:
    """One row of suggestions: method (a)'s value (read by the caller; None when its group was too
    small) and method (b) from a lower and an upper group."""
    anchored = q.scoring.anchored
    write = written_below if anchored else written_threshold
    medians = (median(lower) if lower else None, median(upper) if upper else None)
    sizes = (len(lower), len(upper))
    if min(sizes) < min_group:
        return Suggestion(key, current, write(percentile), None, None, sum(sizes), None, *sizes, *medians, TOO_FEW)
    split = best_split(lower, upper, anchored=anchored)
    midpoint = medians_midpoint(lower, upper)
    cut = None if split is None else write(split.low_top if anchored else split.high_bottom)
    rounded_midpoint = written_below(midpoint, up=False) if anchored else written_threshold(midpoint, down=False)
    return Suggestion(key, current, write(percentile), cut, None if split is None else split.errors, sum(sizes),
                      rounded_midpoint, *sizes, *medians, None if midpoint is not None else NO_SEPARATION)


def _reproduce(scores: list[float], below_share: Fraction) -> float | None:
    """The smallest score of those who should reach the level when ``below_share`` stay below:
    the (m + 1)-th smallest with m = ⌊share × n + ½⌋; None when all stay below."""
    ordered = sorted(scores)
    stay = int(below_share * len(ordered) + Fraction(1, 2))
    return ordered[stay] if stay < len(ordered) else None


def _groups(q: Questionnaire, assessed: list[Observation]) -> dict[int, list[float]]:
    """The scores a method reads, by self-rated level (1..top)."""
    out: dict[int, list[float]] = {k: [] for k in range(1, q.top_level + 1)}
    for o in assessed:
        if o.self_rated_level is not None:
            out[o.self_rated_level].append(_checked_score(q, o))
    return out


def _pairs(groups: Mapping[str, Mapping[int, list[float]]], j: int, *,
           only: int | None = None) -> tuple[list[float], list[float]]:
    """The lower and the upper groups pooled over every domain and level k (or only ``only``):
    self-rated k − j and k, from the pairs in which both groups have people (so that the errors
    are the sum of the pairs' errors, and a level nobody claims pulls no cut)."""
    lower: list[float] = []
    upper: list[float] = []
    for by_level in groups.values():
        for k in ([only] if only else range(j + 1, max(by_level) + 1)):
            if by_level.get(k) and by_level.get(k - j):
                lower += by_level[k - j]
                upper += by_level[k]
    return lower, upper


def _threshold(q: Questionnaire, level: int) -> float | None:
    thresholds = q.scoring.thresholds
    return thresholds[level - 2] if 0 <= level - 2 < len(thresholds) else None


def calibrate(q: Questionnaire, people: Iterable[Sequence[Observation]], *,
              percentile: int = DEFAULT_PERCENTILE, min_group: int = 1) -> Calibration:
    """The distributions and both methods' suggestions, per domain and for the whole
    questionnaire, from each person's observations (``observe``) on ``q``. A method's figure
    needs ``min_group`` people in each group it reads."""
    if not 0 < percentile <= 100:
        raise ValueError("percentile must be above 0 and at most 100")
    min_group = max(1, min_group)
    by_domain: dict[str, list[Observation]] = {d.id: [] for d in q.domains}
    count = 0
    for observations in people:
        count += 1
        for o in observations:
            if o.domain_id in by_domain:
                by_domain[o.domain_id].append(o)
    assessed = {d: [o for o in obs if o.assessed and _checked_score(q, o) is not None]
                for d, obs in by_domain.items()}
    everyone = [o for obs in assessed.values() for o in obs]
    target = _target(q, everyone)
    domains = tuple(_domain(q, d.id, by_domain[d.id], assessed[d.id], count, percentile, min_group, target)
                    for d in q.domains)
    groups = {d: _groups(q, obs) for d, obs in assessed.items()}
    if q.scoring.anchored:
        tiers = {t.lower_by: t.below for t in q.scoring.scenario_check} or {1: None}
        claimed = [x for g in groups.values() for k, xs in g.items() if k >= 2 for x in xs]
        suggestions = tuple(_contrast(
            q, j, *_pairs(groups, j), current=tiers[j], min_group=min_group,
            percentile=nearest_rank(claimed, Fraction(percentile, j)) if len(claimed) >= min_group else None)
            for j in sorted(tiers))
    else:
        scores = [o.score for o in everyone]
        suggestions = tuple(_contrast(
            q, k, *_pairs(groups, 1, only=k), current=_threshold(q, k), min_group=min_group,
            percentile=_reproduce(scores, target[k]) if scores and len(scores) >= min_group else None)
            for k in range(2, q.top_level + 1))
    return Calibration(q.scoring.model, count, percentile, min_group, domains, suggestions, _caps(q, by_domain),
                       {k: float(v) for k, v in target.items()})


def _target(q: Questionnaire, assessed: list[Observation]) -> dict[int, Fraction]:
    """``thresholds``: c_k, the share of the pooled levels before caps below k (k = 2..top)."""
    if q.scoring.anchored or not assessed:
        return {}
    return {k: Fraction(sum(1 for o in assessed if o.uncapped_level < k), len(assessed))
            for k in range(2, q.top_level + 1)}


def _domain(q: Questionnaire, domain_id: str, observations: list[Observation], assessed: list[Observation],
            people: int, percentile: int, min_group: int, target: dict[int, Fraction]) -> DomainCalibration:
    top, anchored = q.top_level, q.scoring.anchored
    rated = [o for o in assessed if o.self_rated_level is not None]
    self_rated = {k: sum(1 for o in rated if o.self_rated_level == k) for k in range(1, top + 1)}
    levels = {k: sum(1 for o in observations if o.level == k) for k in range(1, top + 1)}
    bands: dict[int, dict[int, int]] = {k: {b: 0 for b in range(1, SCORE_BANDS + 1)} for k in range(1, top + 1)}
    for o in rated:
        value = _checked_score(q, o)
        bands[o.self_rated_level][band(value if anchored else clean(value / 100))] += 1
    group, scores = _groups(q, rated), [o.score for o in assessed]
    mildest = q.scoring.scenario_check[0].below if anchored and q.scoring.scenario_check else None
    suggestions = [_contrast(
        q, k, group[k - 1], group[k], current=mildest if anchored else _threshold(q, k), min_group=min_group,
        percentile=(nearest_rank(group[k], percentile) if len(group[k]) >= min_group else None) if anchored
        else (_reproduce(scores, target[k]) if scores and len(scores) >= min_group else None))
        for k in range(2, top + 1)]
    return DomainCalibration(domain_id, people, sum(1 for o in observations if o.assessed), self_rated, levels,
                             bands, tuple(suggestions))


def _caps(q: Questionnaire, by_domain: Mapping[str, list[Observation]]) -> tuple[CapFigure, ...]:
    figures = []
    for cap in q.scoring.caps:
        assessed = [o for o in by_domain[q.item(cap.item_id).domain_id] if o.assessed]
        applied = [o for o in assessed if cap.item_id in o.caps_applied]
        binding = [o for o in applied if o.level == cap.max_level < o.uncapped_level]
        figures.append(CapFigure(cap.item_id, cap.below, cap.max_level, len(assessed), len(applied), len(binding)))
    return tuple(figures)
