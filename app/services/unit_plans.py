"""A unit's AKPK for a round as a plan: the year-1 needs costed per mode, a budget ceiling spent
in priority order, HR's choices per module (quarter, provider), and its setting by an approver.

The page, the PDF and the export all read ``plan_figures``, so they cannot disagree. Priority of
the unit's needs: more people first, then more JP in all, then the module id (the order of the
AKPK table). Costs: the questionnaire catalogue's price of each mode, overridden by the unit's
own (``ModeCost``, of the unit or the nearest unit above it), else ``budget.DEFAULT_MODES``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..engine import questionnaire as engine
from ..engine.budget import CLASSICAL, DEFAULT_MODES, NON_CLASSICAL, Budget, ModeSpec, Need, fund, specs
from ..extensions import db
from ..models import ModeCost, PlanStatus, Round, Unit, UnitPlan, UnitPlanModule
from ..reports.unit_data import UnitSummary


def ancestors_first(unit: Unit) -> list[int]:
    """The unit's id chain from the top (``path`` "/1/4/9/" → [1, 4, 9])."""
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def unit_overrides(unit: Unit) -> dict[str, ModeSpec]:
    """The mode prices HR set for this unit or the nearest unit above it, mode by mode."""
    chain = ancestors_first(unit)
    rows = db.session.scalars(select(ModeCost).where(ModeCost.unit_id.in_(chain)))
    depth = {unit_id: n for n, unit_id in enumerate(chain)}
    chosen: dict[str, ModeCost] = {}
    for row in rows:
        if row.mode not in chosen or depth[row.unit_id] > depth[chosen[row.mode].unit_id]:
            chosen[row.mode] = row
    return {mode: ModeSpec(mode, _route_of(mode), row.cost_per, int(row.amount), row.class_size)
            for mode, row in chosen.items()}


def _route_of(mode: str) -> str:
    default = DEFAULT_MODES.get(mode)
    return default.route if default else (CLASSICAL if mode == "classroom" else NON_CLASSICAL)


def modes_for(unit: Unit, model: engine.Questionnaire | None) -> dict[str, ModeSpec]:
    catalogue = {spec.mode: spec for spec in (model.modes if model is not None else ())}
    return specs(catalogue, unit_overrides(unit))


def current_plan(round_: Round | None, unit: Unit) -> UnitPlan | None:
    """The unit's newest plan for the round (a revision replaces the plan before it)."""
    if round_ is None:
        return None
    return db.session.scalars(select(UnitPlan).where(UnitPlan.round_id == round_.id, UnitPlan.unit_id == unit.id)
                              .order_by(UnitPlan.id.desc()).limit(1)).first()


def year_one_needs(summary: UnitSummary) -> list[Need]:
    """The modules people need in year 1 of their plans, in the unit's priority order."""
    if summary.model is None:
        return []
    needs = []
    for demand in summary.needs_by_year.get(1, ()):
        module = summary.model.module(demand.module_id)
        needs.append(Need(module.id, module.domain_id, module.mode, module.jp, demand.headcount))
    return needs


@dataclass(frozen=True)
class PlanFigures:
    """What the AKPK shows of the plan: year 1 costed and funded, HR's choices, later years."""

    budget: Budget
    modes: dict[str, ModeSpec]
    quarters: dict[str, int | None]
    providers: dict[str, str]
    curricula: dict[str, str]
    later_years: dict[int, tuple]
    plan_id: int | None
    status: str  # "draft" or "set"


def plan_figures(summary: UnitSummary, unit: Unit, plan: UnitPlan | None) -> PlanFigures:
    """The figures of ``plan`` (or of a plan not made yet: a draft without a ceiling). A set
    plan's own figures come from its snapshot (``frozen_figures``), not from here."""
    model = summary.model
    modes = modes_for(unit, model)
    ceiling = plan.budget_ceiling if plan is not None else None
    budget = fund(year_one_needs(summary), modes, ceiling)
    chosen = {row.module_id: row for row in (plan.modules if plan is not None else ())}
    modules = {m.id: m for m in (model.modules if model is not None else ())}
    providers = {line.need.module_id: (chosen[line.need.module_id].provider
                                       if line.need.module_id in chosen and chosen[line.need.module_id].provider
                                       else modules[line.need.module_id].provider)
                 for line in budget.lines}
    return PlanFigures(
        budget, modes,
        quarters={line.need.module_id: chosen[line.need.module_id].quarter if line.need.module_id in chosen else None
                  for line in budget.lines},
        providers=providers,
        curricula={line.need.module_id: modules[line.need.module_id].curriculum for line in budget.lines},
        later_years={year: needs for year, needs in summary.needs_by_year.items() if year > 1},
        plan_id=plan.id if plan is not None else None,
        status=plan.status if plan is not None else PlanStatus.DRAFT.value)


def ensure_draft(round_: Round, unit: Unit, *, actor_id: int) -> UnitPlan:
    """The unit's draft plan for the round, made when there is none yet (or the last one is set:
    then the new draft is a revision that replaces it)."""
    plan = current_plan(round_, unit)
    if plan is not None and not plan.is_set:
        return plan
    draft = UnitPlan(round_id=round_.id, unit_id=unit.id, status=PlanStatus.DRAFT.value, created_by_id=actor_id,
                     replaces_id=plan.id if plan is not None else None,
                     budget_ceiling=plan.budget_ceiling if plan is not None else None)
    if plan is not None:
        draft.modules = [UnitPlanModule(module_id=m.module_id, quarter=m.quarter, provider=m.provider)
                         for m in plan.modules]
    db.session.add(draft)
    db.session.flush()
    return draft


def snapshot_of(figures: PlanFigures, summary: UnitSummary) -> dict[str, Any]:
    """Plain values of a plan's figures, frozen when it is set."""
    budget = figures.budget
    return {
        "ceiling": budget.ceiling,
        "assessed": summary.assessed,
        "lines": [{"module": line.need.module_id, "domain": line.need.domain_id, "mode": line.need.mode,
                   "route": line.spec.route, "jp": line.need.jp, "people": line.need.people,
                   "classes": line.classes, "cost_per": line.spec.cost_per, "amount": line.spec.amount,
                   "cost": line.cost, "funded_people": line.funded_people, "funded_cost": line.funded_cost,
                   "quarter": figures.quarters.get(line.need.module_id),
                   "provider": figures.providers.get(line.need.module_id, ""),
                   "curriculum": figures.curricula.get(line.need.module_id, "")}
                  for line in budget.lines],
    }
