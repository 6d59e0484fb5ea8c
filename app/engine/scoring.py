"""Answers → item scores → domain scores → levels, with the reasons (see "Cara penskoran" /
"How scoring works" in questionnaires/README.md).

Two models decide a domain's level (``scoring.model``):

- ``anchored``: the **self-rated level** is the weighted mean of the domain's rating answers
  (anchor k describes the behaviour of level k), rounded by ``self_rating.rounding`` (half down by
  default: 2.5 → 2, 2.51 → 3; ``down``: 2.9 → 2). The **scenario score** (0..1) is the weighted
  mean of the domain's answered choice/multi items; the ``scenario_check`` tier that applies to it
  (score at or below its ``below``) lowers the level by its ``lower_by``, never below 1. Right
  answers never raise a level above the self-rated one. Caps apply at or below their ``below``.
  A domain gets a level only when enough items are answered *and* at least one self-rating and
  one scenario are among them.
- ``thresholds`` (files written before the anchored model): 1 + the thresholds the 0–100 domain
  score reaches; caps apply strictly below their ``below``. Kept as it was, so versions published
  under it score as they always did.

Under both, ``DomainScore.score`` is the 0–100 weighted mean of every answered scored item.

Items that fit the person: scoring for a position (``score(q, answers, position_id)``) leaves out
the items limited to other positions (``positions:``), and an answer "not applicable"
(NOT_APPLICABLE) counts nowhere: not in the self-rating, not in the 0–100 score, not as a scored
answer. ``min_answered`` is the share of the domain's scored items *for the position* that got a
scored answer, so a domain answered mostly "not applicable" gets no level (``insufficient``).
Without a position (the trainer's preview, item statistics) every item counts.

Arithmetic is exact: every number from the file is taken as the decimal it was written as
(``Fraction(str(x))``), so a score a trainer computes by hand as exactly 70 *is* 70 and reaches
a threshold of 70 — no float rounding near a threshold. ``DomainScore.score`` is the exact
value converted to a float, unrounded; ``display_score`` is it rounded half-up to one decimal,
for pages and reports. Levels are always decided on the exact value.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any, Mapping

from .answers import check_answer, check_answers
from .model import (DOWN, NOT_APPLICABLE, SCENARIO_TYPES, Cap, Domain, Item, Questionnaire,
                    ScenarioCheck, Scoring, Text, UnknownDomain)

MAX_PULLED_DOWN = 3


@lru_cache(maxsize=4096)
def exact(number: float) -> Fraction:
    """The decimal a number was written as, exactly (0.1 → 1/10, not the nearest binary float).

    Cached: a questionnaire has a few dozen distinct numbers, and parsing them again for every
    answer was most of the time a submit spent scoring (fractions are immutable)."""
    return Fraction(str(number)) if isinstance(number, float) else Fraction(number)


def round_half_up(value: float, places: int = 1) -> float:
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


@dataclass(frozen=True)
class AppliedCap:
    item_id: str
    max_level: int
    reason: Text | None


@dataclass(frozen=True)
class Shortfall:
    """An answered item that pulled the domain score down; ``score`` is normalised (0..1)."""

    item_id: str
    score: float


@dataclass(frozen=True)
class DomainScore:
    """``score`` is 0–100, exact (unrounded); None with ``insufficient`` when too few answers.

    ``uncapped_level`` is the level before caps: under ``thresholds`` the level from the
    thresholds alone, under ``anchored`` the self-rated level after the scenario check.

    Under ``anchored`` only (None / 0 otherwise, and in results stored before it):
    ``self_rating`` the weighted mean of the rating answers (1..top, exact, unrounded);
    ``self_rated_level`` it rounded by the questionnaire's rule; ``scenario_score`` the weighted
    mean of the answered scenario items' scores (0..1, exact); ``scenario_check`` the tier that
    applied to it (None when none did); ``lowered_by`` the levels the check took off
    (``self_rated_level − uncapped_level``: less than the tier's ``lower_by`` when level 1 came
    first). Each sub-score is given as soon as one of its items is answered, also when the domain
    is ``insufficient`` (that is how a reason tells "no self-rating" from "no scenario").
    ``pulled_down`` lists, under ``anchored``, the scenario items that cost most.
    """

    domain_id: str
    score: float | None
    level: int | None
    answered: int
    scored_items: int
    insufficient: bool
    caps_applied: tuple[AppliedCap, ...] = ()
    pulled_down: tuple[Shortfall, ...] = ()
    uncapped_level: int | None = None
    self_rating: float | None = None
    self_rated_level: int | None = None
    scenario_score: float | None = None
    scenario_check: ScenarioCheck | None = None
    lowered_by: int = 0

    @property
    def display_score(self) -> float | None:
        return None if self.score is None else round_half_up(self.score, 1)

    @property
    def display_self_rating(self) -> float | None:
        """The self-rating mean rounded half up to two decimals (3.3333 → 3.33), for reading."""
        return None if self.self_rating is None else round_half_up(self.self_rating, 2)


@dataclass(frozen=True)
class Scores:
    domains: tuple[DomainScore, ...]

    def domain(self, domain_id: str) -> DomainScore:
        for domain_score in self.domains:
            if domain_score.domain_id == domain_id:
                return domain_score
        raise UnknownDomain(domain_id)


def normalised(item: Item, value: Any) -> Fraction | None:
    """The exact normalised score (0..1) of an answer; None when unanswered or not scored."""
    return _normalised(item, check_answer(item, value))


def _normalised(item: Item, value: Any) -> Fraction | None:
    """``normalised`` of an answer that ``check_answer`` already returned."""
    if value is None or value == NOT_APPLICABLE or not item.scored:
        return None
    if item.type == "rating":
        return Fraction(value - 1, item.points - 1)
    if item.type == "choice":
        best = max(exact(o.score) for o in item.options)
        return exact(item.option(value).score) / best
    positive = sum(exact(o.score) for o in item.options if o.score > 0)
    picked = sum((exact(item.option(p).score) for p in value), Fraction(0))
    return min(max(picked / positive, Fraction(0)), Fraction(1))


def item_score(item: Item, value: Any) -> float | None:
    """Normalised item score in [0, 1], or None (not answered, "not applicable", or an item
    that is never scored)."""
    s = normalised(item, value)
    return None if s is None else float(s)


def level_for(q: Questionnaire, score: Fraction | float) -> int:
    """The ``thresholds`` model's level: 1 + the number of thresholds that are ≤ score."""
    value = score if isinstance(score, Fraction) else exact(score)
    return 1 + sum(1 for t in q.scoring.thresholds if exact(t) <= value)


def rounded_level(value: Fraction, rounding: str | None) -> int:
    """A mean of anchors as a level: ``down`` → the whole part (2.9 → 2); otherwise half down,
    the nearest whole number with a half going down (2.5 → 2, 2.5000001 → 3)."""
    if rounding == DOWN:
        return value.numerator // value.denominator
    half_up_from = value - Fraction(1, 2)
    return -(-half_up_from.numerator // half_up_from.denominator)  # ceil(value − 1/2)


def check_for(scoring: Scoring, scenario_score: Fraction) -> ScenarioCheck | None:
    """The scenario-check tier that applies to an exact scenario score (0..1): of the tiers whose
    ``below`` the score does not exceed, the one that lowers most; None when none applies."""
    applying = [t for t in scoring.scenario_check if scenario_score <= exact(t.below)]
    return max(applying, key=lambda t: t.lower_by, default=None)


def cap_applies(scoring: Scoring, cap: Cap, item_score: Fraction) -> bool:
    """``anchored``: the item's exact score is at or below the cap's ``below``; ``thresholds``:
    strictly below it (as versions published under that model always scored)."""
    bar = exact(cap.below)
    return item_score <= bar if scoring.anchored else item_score < bar


def _weighted_mean(items: list[Item], value: Mapping[str, Fraction | int]) -> Fraction:
    return sum(exact(i.weight) * value[i.id] for i in items) / sum(exact(i.weight) for i in items)


def _pulled_down(items: list[Item], s: dict[str, Fraction]) -> tuple[Shortfall, ...]:
    below_full = [i for i in items if s[i.id] < 1]  # items are in file order: ties keep it
    below_full.sort(key=lambda i: -(exact(i.weight) * (1 - s[i.id])))
    return tuple(Shortfall(i.id, float(s[i.id])) for i in below_full[:MAX_PULLED_DOWN])


def domain_score(q: Questionnaire, domain: Domain, answers: Mapping[str, Any],
                 position_id: str | None = None) -> DomainScore:
    """Score one domain from normalised answers (``check_answers`` output), for the position
    (None: every item counts). ``scored_items`` is the number of scored items for the position;
    ``answered`` those of them with a scored answer ("not applicable" is none)."""
    scored = domain.scored_items_for(position_id)
    s = {i.id: v for i in scored if (v := _normalised(i, answers.get(i.id))) is not None}
    answered = [i for i in scored if i.id in s]
    enough = bool(scored) and Fraction(len(answered), len(scored)) >= exact(q.scoring.min_answered)
    if q.scoring.anchored:
        return _anchored(q, domain, answers, s, answered, enough, len(scored))
    if not enough:
        return DomainScore(domain.id, None, None, len(answered), len(scored), insufficient=True)
    value = 100 * _weighted_mean(answered, s)
    uncapped = level = level_for(q, value)
    caps = []
    for cap in q.caps_for(domain.id):
        if cap.item_id in s and cap_applies(q.scoring, cap, s[cap.item_id]):
            caps.append(AppliedCap(cap.item_id, cap.max_level, cap.reason))
            level = min(level, cap.max_level)
    return DomainScore(domain.id, float(value), level, len(answered), len(scored),
                       insufficient=False, caps_applied=tuple(caps),
                       pulled_down=_pulled_down(answered, s), uncapped_level=uncapped)


def _anchored(q: Questionnaire, domain: Domain, answers: Mapping[str, Any],
              s: dict[str, Fraction], answered: list[Item], enough: bool,
              scored: int) -> DomainScore:
    """The anchored rule: the self-rated level, checked (lowered, never raised) by the scenarios,
    then capped."""
    ratings = [i for i in answered if i.type == "rating"]
    scenarios = [i for i in answered if i.type in SCENARIO_TYPES]
    self_rating = _weighted_mean(ratings, answers) if ratings else None
    self_level = rounded_level(self_rating, q.scoring.rounding) if ratings else None
    scenario = _weighted_mean(scenarios, s) if scenarios else None
    subscores = {"self_rating": None if self_rating is None else float(self_rating),
                 "self_rated_level": self_level,
                 "scenario_score": None if scenario is None else float(scenario)}
    if not (enough and ratings and scenarios):
        return DomainScore(domain.id, None, None, len(answered), scored,
                           insufficient=True, **subscores)
    tier = check_for(q.scoring, scenario)
    lowered = min(tier.lower_by, self_level - 1) if tier else 0
    uncapped = level = self_level - lowered
    caps = []
    for cap in q.caps_for(domain.id):
        if cap.item_id in s and cap_applies(q.scoring, cap, s[cap.item_id]):
            caps.append(AppliedCap(cap.item_id, cap.max_level, cap.reason))
            level = min(level, cap.max_level)
    return DomainScore(domain.id, float(100 * _weighted_mean(answered, s)), level, len(answered),
                       scored, insufficient=False, caps_applied=tuple(caps),
                       pulled_down=_pulled_down(scenarios, s), uncapped_level=uncapped,
                       scenario_check=tier, lowered_by=lowered, **subscores)


def score(q: Questionnaire, answers: Mapping[str, Any], position_id: str | None = None) -> Scores:
    """Every domain's score and level, for the position (None: every item counts). Raises
    AnswerInvalid/AnswersInvalid on a bad answer, UnknownPosition on an unknown position."""
    if position_id is not None:
        q.position(position_id)
    clean = check_answers(q, answers)
    return Scores(tuple(domain_score(q, d, clean, position_id) for d in q.domains))


def needed_answers(q: Questionnaire, domain: Domain, position_id: str | None = None, *,
                   scored: int | None = None) -> int:
    """The fewest scored answers that give the domain a level: ``min_answered`` of its scored
    items for the position (or of ``scored`` items, e.g. a DomainScore's ``scored_items``)."""
    if scored is None:
        scored = len(domain.scored_items_for(position_id))
    needed = exact(q.scoring.min_answered) * scored
    return min(scored, -(-needed.numerator // needed.denominator))
