"""Answers → item scores → domain scores → levels, with the reasons (see "Scoring" in the spec).

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
from .model import Domain, Item, Questionnaire, Text, UnknownDomain

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

    ``uncapped_level`` is the level from the thresholds alone, before caps.
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

    @property
    def display_score(self) -> float | None:
        return None if self.score is None else round_half_up(self.score, 1)


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
    if value is None or not item.scored:
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
    """Normalised item score in [0, 1], or None (not answered, or a text item)."""
    s = normalised(item, value)
    return None if s is None else float(s)


def level_for(q: Questionnaire, score: Fraction | float) -> int:
    """1 + the number of thresholds that are ≤ score."""
    value = score if isinstance(score, Fraction) else exact(score)
    return 1 + sum(1 for t in q.scoring.thresholds if exact(t) <= value)


def _pulled_down(items: list[Item], s: dict[str, Fraction]) -> tuple[Shortfall, ...]:
    below_full = [i for i in items if s[i.id] < 1]  # items are in file order: ties keep it
    below_full.sort(key=lambda i: -(exact(i.weight) * (1 - s[i.id])))
    return tuple(Shortfall(i.id, float(s[i.id])) for i in below_full[:MAX_PULLED_DOWN])


def domain_score(q: Questionnaire, domain: Domain, answers: Mapping[str, Any]) -> DomainScore:
    """Score one domain from normalised answers (``check_answers`` output)."""
    scored = domain.scored_items
    s = {i.id: v for i in scored if (v := _normalised(i, answers.get(i.id))) is not None}
    answered = [i for i in scored if i.id in s]
    if not scored or Fraction(len(answered), len(scored)) < exact(q.scoring.min_answered):
        return DomainScore(domain.id, None, None, len(answered), len(scored), insufficient=True)
    weight = sum(exact(i.weight) for i in answered)
    value = 100 * sum(exact(i.weight) * s[i.id] for i in answered) / weight
    uncapped = level = level_for(q, value)
    caps = []
    for cap in q.caps_for(domain.id):
        if cap.item_id in s and s[cap.item_id] < exact(cap.below):
            caps.append(AppliedCap(cap.item_id, cap.max_level, cap.reason))
            level = min(level, cap.max_level)
    return DomainScore(domain.id, float(value), level, len(answered), len(scored),
                       insufficient=False, caps_applied=tuple(caps),
                       pulled_down=_pulled_down(answered, s), uncapped_level=uncapped)


def score(q: Questionnaire, answers: Mapping[str, Any]) -> Scores:
    """Every domain's score and level. Raises AnswerInvalid/AnswersInvalid on a bad answer."""
    clean = check_answers(q, answers)
    return Scores(tuple(domain_score(q, d, clean) for d in q.domains))


def needed_answers(q: Questionnaire, domain: Domain) -> int:
    """The fewest answered scored items that give the domain a level."""
    scored = len(domain.scored_items)
    needed = exact(q.scoring.min_answered) * scored
    return min(scored, -(-needed.numerator // needed.denominator))
