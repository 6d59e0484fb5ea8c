"""The plain values the AKPK's plan sections are drawn from: the plan's status and approver
(``PlanRef``) and its year-1 table with the budget and the later years (``PlanTable``).

One table shape for every plan: ``from_figures`` reads a plan's figures (a draft's live ones,
or a set plan's frozen ones: ``services/unit_plans.figures_of``), and ``from_summary`` makes the
table of a report built without a plan (no ceiling, the default modes). So the same code draws
draft and set plans. Nothing here reads the database; the ``of``/``from_*`` helpers only read
attributes and dict keys."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from ..engine.budget import DEFAULT_MODES, Need, fund

SET, DRAFT = "set", "draft"


@dataclass(frozen=True)
class PlanRef:
    """A unit plan's status and who set it (all empty for a draft)."""

    id: int | None = None
    status: str = DRAFT
    set_on: date | None = None
    set_place: str = ""
    approver_name: str = ""
    approver_nip: str = ""
    approver_position: str = ""
    replaces_id: int | None = None

    @property
    def is_set(self) -> bool:
        return self.status == SET

    @classmethod
    def of(cls, plan: Any) -> "PlanRef":
        """From a ``UnitPlan`` (or anything with its attributes); a draft without a plan for None."""
        if plan is None:
            return cls()
        return cls(plan.id, plan.status, plan.set_on, plan.set_place or "", plan.approver_name or "",
                   plan.approver_nip or "", plan.approver_position or "", plan.replaces_id)


@dataclass(frozen=True)
class PlanLine:
    """One module of the year-1 plan: who needs it, how it runs, what it costs and is funded."""

    module_id: str
    domain_id: str
    mode: str
    route: str  # "classical" / "non-classical"
    jp: int  # per person
    people: int
    classes: int | None  # None: the mode is not run in classes
    class_size: int | None
    cost: int
    funded_people: int
    funded_cost: int
    quarter: int | None = None  # 1–4
    provider: str = ""
    curriculum: str = ""

    @property
    def total_jp(self) -> int:
        return self.jp * self.people

    @property
    def unfunded_people(self) -> int:
        return self.people - self.funded_people

    @property
    def unfunded_cost(self) -> int:
        return self.cost - self.funded_cost

    @property
    def funded(self) -> str:
        """``"whole"``, ``"part"`` or ``"none"``."""
        if self.funded_people >= self.people:
            return "whole"
        return "part" if self.funded_people else "none"


@dataclass(frozen=True)
class LaterNeed:
    """A module people need in a later year of their plans."""

    module_id: str
    domain_id: str
    jp: int
    people: int

    @property
    def total_jp(self) -> int:
        return self.jp * self.people


@dataclass(frozen=True)
class PlanTable:
    lines: tuple[PlanLine, ...]
    ceiling: int | None = None  # rupiah; None: no ceiling entered
    later_years: Mapping[int, tuple[LaterNeed, ...]] = field(default_factory=dict)

    @property
    def jp(self) -> int:
        """The JP of the year-1 plan: JP per person × people, over every module."""
        return sum(line.total_jp for line in self.lines)

    @property
    def total(self) -> int:
        return sum(line.cost for line in self.lines)

    @property
    def funded(self) -> int:
        return sum(line.funded_cost for line in self.lines)

    @property
    def unfunded(self) -> int:
        return self.total - self.funded

    @property
    def remaining(self) -> int | None:
        return None if self.ceiling is None else self.ceiling - self.funded


# -- adapters ------------------------------------------------------------------------------------

def later_from_demands(needs_by_year: Mapping[int, Any]) -> dict[int, tuple[LaterNeed, ...]]:
    """Years 2, 3… of ``UnitSummary.needs_by_year`` (or ``PlanFigures.later_years``)."""
    return {int(year): tuple(LaterNeed(d.module_id, d.domain_id, d.jp, d.headcount)
                             for d in demands if d.headcount > 0)
            for year, demands in sorted(needs_by_year.items()) if int(year) > 1}


def from_figures(figures: Any) -> PlanTable:
    """A ``PlanFigures`` (``services/unit_plans``): its budget lines with HR's choices."""
    lines = tuple(PlanLine(
        line.need.module_id, line.need.domain_id, line.need.mode, line.spec.route, line.need.jp,
        line.need.people, line.classes, line.spec.class_size, line.cost, line.funded_people, line.funded_cost,
        quarter=figures.quarters.get(line.need.module_id),
        provider=figures.providers.get(line.need.module_id) or "",
        curriculum=figures.curricula.get(line.need.module_id) or "") for line in figures.budget.lines)
    return PlanTable(lines, figures.budget.ceiling, later_from_demands(figures.later_years))


def from_summary(summary: Any) -> PlanTable:
    """The table of a report built without plan figures: year 1 of ``summary.needs_by_year``
    (all of ``summary.needs`` for a summary without plan years), the default modes, no ceiling,
    the catalogue's providers."""
    model = summary.model
    if model is None:
        return PlanTable(())
    demands = summary.needs_by_year.get(1, ()) if summary.needs_by_year else summary.needs
    needs, modules = [], {}
    for demand in demands:
        if demand.headcount <= 0:
            continue
        try:
            module = model.module(demand.module_id)
        except KeyError:
            continue
        modules[module.id] = module
        needs.append(Need(module.id, module.domain_id, module.mode, module.jp, demand.headcount))
    budget = fund(needs, DEFAULT_MODES, None)
    lines = tuple(PlanLine(
        line.need.module_id, line.need.domain_id, line.need.mode, line.spec.route, line.need.jp, line.need.people,
        line.classes, line.spec.class_size, line.cost, line.funded_people, line.funded_cost,
        provider=modules[line.need.module_id].provider, curriculum=modules[line.need.module_id].curriculum)
        for line in budget.lines)
    return PlanTable(lines, None, later_from_demands(summary.needs_by_year))
