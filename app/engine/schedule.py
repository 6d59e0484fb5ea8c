"""A plan split into years: year 1 fits the person's yearly entitlement, the rest follows.

The plan's order is its priority (``training.gaps``: the gap times how critical the domain is
for the position, then the questionnaire's domain order; within a domain, modules from the lower
levels up). Each module, in that order, goes into the earliest year that

1. comes no earlier than the year of the module it builds on (the one before it in the same
   domain: a module from level 2 to 3 needs the one from 1 to 2 first), and
2. still has room for its JP within the yearly figure.

So year 1 always holds the most urgent module, and a smaller, later module may fill what room
a larger one left. A module larger than the yearly figure gets a year of its own (``over``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .training import Plan, PlanEntry


@dataclass(frozen=True)
class PlanYear:
    number: int
    entries: tuple[PlanEntry, ...]
    jp: int
    #: The year holds one module larger than the yearly figure on its own.
    over: bool = False


def year_numbers(entries: Sequence[tuple[str, int]], yearly_jp: int) -> list[int]:
    """The year (1 first) of each entry, given as (domain id, JP) in priority order. A year
    holds at most ``yearly_jp`` JP, unless it holds a single module (one larger on its own)."""
    used: list[int] = []  # JP per year, index 0 = year 1
    held: list[int] = []  # modules per year: a year of 0-JP modules is not an empty one
    last_of_domain: dict[str, int] = {}
    numbers = []
    for domain_id, jp in entries:
        year = last_of_domain.get(domain_id, 1)
        while year <= len(used) and held[year - 1] and used[year - 1] + jp > yearly_jp:
            year += 1
        while len(used) < year:
            used.append(0)
            held.append(0)
        used[year - 1] += jp
        held[year - 1] += 1
        last_of_domain[domain_id] = year
        numbers.append(year)
    return numbers


def plan_years(plan: Plan) -> tuple[PlanYear, ...]:
    """The plan's modules by year, at the plan's own yearly figure (``entitlement_jp``)."""
    numbers = year_numbers([(e.domain_id, e.jp) for e in plan.entries], plan.entitlement_jp)
    years = []
    for number in range(1, max(numbers, default=0) + 1):
        entries = tuple(e for e, n in zip(plan.entries, numbers) if n == number)
        jp = sum(e.jp for e in entries)
        years.append(PlanYear(number, entries, jp, over=jp > plan.entitlement_jp))
    return tuple(years)
