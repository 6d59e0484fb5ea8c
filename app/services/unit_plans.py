"""A unit's AKPK for a round as a plan: the year-1 needs costed per mode, a budget ceiling spent
in priority order, HR's choices per module (quarter, provider), and its setting by an approver.

The page, the PDF and the export all read ``plan_figures``, so they cannot disagree. Priority of
the unit's needs: more people first, then more JP in all, then the module id (the order of the
AKPK table). Costs: the questionnaire catalogue's price of each mode, overridden by the unit's
own (``ModeCost``, of the unit or the nearest unit above it), else ``budget.DEFAULT_MODES``."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy import update as sql_update

from ..engine import format1
from ..engine import questionnaire as engine
from ..engine.statistics import ModuleDemand
from ..engine.budget import CLASSICAL, COST_BASES, DEFAULT_MODES, NON_CLASSICAL, PER_CLASS, Budget, Line, ModeSpec, \
    Need, fund, specs
from ..extensions import db
from ..models import ModeCost, PlanStatus, Round, Unit, UnitPlan, UnitPlanModule, User, utcnow
from ..reports.unit_data import UnitSummary
from .unit_reports import Filters
from . import audit
from . import rounds as round_rules
from .clock import office_today
from .errors import Conflicting, NotFound, ServiceError
from .permissions import in_scope


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


def plan_filters(filters: Filters) -> Filters:
    """What a plan covers: the unit and the round, whatever else the dashboard filters (a plan of
    one position or of a fortnight's submissions is no plan)."""
    return Filters(filters.unit, round=filters.round)


def fingerprint(figures: PlanFigures, summary: UnitSummary) -> str:
    """A digest of the figures an approver reads: setting refuses figures that changed since."""
    text = json.dumps(snapshot_of(figures, summary), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def snapshot_of(figures: PlanFigures, summary: UnitSummary) -> dict[str, Any]:
    """Plain values of a plan's figures, frozen when it is set."""
    budget = figures.budget
    return {
        "ceiling": budget.ceiling,
        "assessed": summary.assessed,
        "lines": [{"module": line.need.module_id, "domain": line.need.domain_id, "mode": line.need.mode,
                   "route": line.spec.route, "jp": line.need.jp, "people": line.need.people,
                   "classes": line.classes, "class_size": line.spec.class_size, "cost_per": line.spec.cost_per,
                   "amount": line.spec.amount,
                   "cost": line.cost, "funded_people": line.funded_people, "funded_cost": line.funded_cost,
                   "quarter": figures.quarters.get(line.need.module_id),
                   "provider": figures.providers.get(line.need.module_id, ""),
                   "curriculum": figures.curricula.get(line.need.module_id, "")}
                  for line in budget.lines],
        "later_years": {str(year): [{"module": need.module_id, "domain": need.domain_id, "people": need.headcount,
                                     "jp": need.jp} for need in needs]
                        for year, needs in figures.later_years.items()},
    }


# -- a set plan's figures -----------------------------------------------------------------------

def frozen_figures(plan: UnitPlan) -> PlanFigures:
    """A set plan's figures as they were when it was set (from its ``snapshot``)."""
    frozen = plan.snapshot or {}
    lines, modes = [], {}
    for row in frozen.get("lines", ()):
        spec = ModeSpec(row["mode"], row["route"], row["cost_per"], int(row["amount"]), row.get("class_size"))
        modes.setdefault(spec.mode, spec)
        need = Need(row["module"], row["domain"], row["mode"], int(row["jp"]), int(row["people"]))
        lines.append(Line(need, spec, row.get("classes"), int(row["cost"]), int(row["funded_people"]),
                          int(row["funded_cost"])))
    later = {int(year): tuple(ModuleDemand(n["module"], n["domain"], int(n["people"]), int(n["jp"])) for n in needs)
             for year, needs in (frozen.get("later_years") or {}).items()}
    return PlanFigures(
        Budget(tuple(lines), frozen.get("ceiling")), modes,
        quarters={row["module"]: row.get("quarter") for row in frozen.get("lines", ())},
        providers={row["module"]: row.get("provider", "") for row in frozen.get("lines", ())},
        curricula={row["module"]: row.get("curriculum", "") for row in frozen.get("lines", ())},
        later_years=dict(sorted(later.items())), plan_id=plan.id, status=plan.status)


def figures_of(summary: UnitSummary, unit: Unit, plan: UnitPlan | None) -> PlanFigures:
    """What a page shows of a plan: a set plan's frozen figures, else the live ones."""
    if plan is not None and plan.is_set and plan.snapshot:
        return frozen_figures(plan)
    return plan_figures(summary, unit, plan)


def plans_in_scope(scope: Unit | None, status: str) -> list[UnitPlan]:
    """The newest plans of ``status`` for the units of ``scope`` and below, newest round first."""
    query = select(UnitPlan).join(Unit, UnitPlan.unit_id == Unit.id).where(UnitPlan.status == status)
    if scope is not None:
        query = query.where(Unit.path.startswith(scope.path))
    plans = list(db.session.scalars(query.order_by(UnitPlan.round_id.desc(), Unit.path, UnitPlan.id.desc())))
    newest: dict[tuple[int, int], UnitPlan] = {}
    for plan in plans:
        newest.setdefault((plan.round_id, plan.unit_id), plan)
    if status == PlanStatus.DRAFT.value:
        return list(newest.values())
    return [plan for plan in newest.values() if current_plan(plan.round, plan.unit) is plan]


def plan_in_scope(plan_id: int, scope: Unit | None) -> UnitPlan:
    """A plan of a unit in ``scope`` (NotFound otherwise, as for one that does not exist)."""
    plan = db.session.get(UnitPlan, plan_id)
    if plan is None or not in_scope(scope, plan.unit):
        raise NotFound(_l("This plan does not exist."))
    return plan


# -- HR's writes: the ceiling, the choices per module, the unit's prices --------------------------

#: The largest amount of rupiah taken (a quadrillion): anything above is a typing slip.
MAX_RUPIAH = 10 ** 15
MAX_CLASS_SIZE = format1.MAX_CLASS_SIZE  # HR's override obeys the catalogue's bounds
PROVIDER_MAX_LENGTH = 200
PLACE_MAX_LENGTH = 100
POSITION_MAX_LENGTH = 200
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+\Z")
_PLAIN = re.compile(r"[0-9]+\Z")
_CURRENCY = re.compile(r"\A[Rr][Pp]\.?\s*")
SET_PLAN_REFUSAL = _l("This plan is set; start a revision to change it.")


def parse_rupiah(raw: str | int | None, field: str) -> int:
    """A positive whole number of rupiah as Indonesians write it: "150.000.000", "150000000",
    "Rp 150.000.000". Refused: empty, zero, negative, decimals, letters, more than MAX_RUPIAH."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        text = str(raw)
    else:
        text = str(raw or "").replace("\u00a0", " ").strip()
    if len(text) > 40:
        raise ServiceError(_l("The amount is far too large."), field=field)
    if not text:
        raise ServiceError(_l("Enter an amount in rupiah, such as 150.000.000."), field=field)
    text = _CURRENCY.sub("", text)
    if _GROUPED.match(text):
        text = text.replace(".", "")
    if not _PLAIN.match(text):
        raise ServiceError(_l("Enter a whole number of rupiah, such as 150.000.000 (no decimals, letters or "
                              "minus sign)."), field=field)
    amount = int(text)
    if amount <= 0:
        raise ServiceError(_l("The amount must be more than zero."), field=field)
    if amount > MAX_RUPIAH:
        raise ServiceError(_l("The amount is far too large."), field=field)
    return amount


def parse_class_size(raw: str | int | None, cost_per: str) -> int | None:
    """Required (1 or more) for a cost per class; optional otherwise (empty: no classes)."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        if cost_per == PER_CLASS:
            raise ServiceError(_l("A cost per class needs the class size (1 or more people)."), field="class_size")
        return None
    if not _PLAIN.match(text) or int(text) < 1:
        raise ServiceError(_l("The class size must be a whole number of people, 1 or more."), field="class_size")
    if int(text) > MAX_CLASS_SIZE:
        raise ServiceError(_l("The class size is far too large."), field="class_size")
    return int(text)


def parse_quarter(raw: str | int | None) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    if text not in {"1", "2", "3", "4"}:
        raise ServiceError(_l("Choose a quarter from I to IV, or none."), field="quarter")
    return int(text)


def writable_plan(round_: Round | None, unit: Unit, *, actor_id: int | None) -> UnitPlan:
    """The unit's draft for the round (made when there is none); a set plan refuses."""
    if round_ is None:
        raise ServiceError(_l("A plan is made for a round; choose a round first."), field="round")
    plan = current_plan(round_, unit)
    if plan is not None and plan.is_set:
        raise Conflicting(SET_PLAN_REFUSAL)
    return plan if plan is not None else ensure_draft(round_, unit, actor_id=actor_id)


def set_ceiling(round_: Round | None, unit: Unit, raw: str | int | None, *, actor_id: int | None,
                ip: str | None = None) -> UnitPlan:
    """HR's budget ceiling (rupiah) for the unit's plan of the round."""
    amount = parse_rupiah(raw, "ceiling")
    plan = writable_plan(round_, unit, actor_id=actor_id)
    before = plan.budget_ceiling
    plan.budget_ceiling = amount
    db.session.flush()
    audit.record("plan.ceiling", actor_id=actor_id, target_type="unit_plan", target_id=plan.id,
                 details={"unit": unit.code, "round": round_.id, "from": before, "to": amount}, ip=ip)
    return plan


def set_module_choice(round_: Round | None, unit: Unit, model: engine.Questionnaire | None, module_id: str,
                      quarter: str | int | None, provider: str | None, *, actor_id: int | None,
                      ip: str | None = None) -> UnitPlanModule:
    """HR's planned quarter (1–4 or none) and provider (empty: the catalogue's) for a module."""
    known = {m.id for m in model.modules} if model is not None else set()
    if module_id not in known:
        raise ServiceError(_l("This module is not in the questionnaire's catalogue."), field="module")
    chosen_quarter = parse_quarter(quarter)
    chosen_provider = " ".join(str(provider or "").split())
    if len(chosen_provider) > PROVIDER_MAX_LENGTH:
        raise ServiceError(_l("The provider's name is too long (at most 200 characters)."), field="provider")
    plan = writable_plan(round_, unit, actor_id=actor_id)
    row = next((m for m in plan.modules if m.module_id == module_id), None)
    if row is None:
        row = UnitPlanModule(module_id=module_id)
        plan.modules.append(row)
    row.quarter, row.provider = chosen_quarter, chosen_provider or None
    db.session.flush()
    audit.record("plan.module", actor_id=actor_id, target_type="unit_plan", target_id=plan.id,
                 details={"module": module_id, "quarter": chosen_quarter, "provider": chosen_provider}, ip=ip)
    return row


def set_mode_cost(unit: Unit, mode: str, cost_per: str, amount: str | int | None, class_size: str | int | None, *,
                  known_modes: Mapping[str, ModeSpec], plan: UnitPlan | None = None, actor_id: int | None,
                  ip: str | None = None) -> ModeCost:
    """The unit's own price of a mode (and its class size), for it and the units below it.
    ``plan`` is the plan the page shows: a set one refuses."""
    if plan is not None and plan.is_set:
        raise Conflicting(SET_PLAN_REFUSAL)
    if mode not in known_modes:
        raise ServiceError(_l("Unknown mode of development."), field="mode")
    if cost_per not in COST_BASES:
        raise ServiceError(_l("Choose a cost per participant or per class."), field="cost_per")
    price = parse_rupiah(amount, "amount")
    size = parse_class_size(class_size, cost_per)
    row = db.session.scalar(select(ModeCost).where(ModeCost.unit_id == unit.id, ModeCost.mode == mode))
    if row is None:
        row = ModeCost(unit_id=unit.id, mode=mode)
        db.session.add(row)
    row.cost_per, row.amount, row.class_size, row.updated_by_id = cost_per, price, size, actor_id
    db.session.flush()
    audit.record("plan.mode_cost", actor_id=actor_id, target_type="unit", target_id=unit.id,
                 details={"mode": mode, "cost_per": cost_per, "amount": price, "class_size": size}, ip=ip)
    return row


def start_revision(round_: Round | None, unit: Unit, *, actor_id: int | None, ip: str | None = None) -> UnitPlan:
    """A new draft that replaces the unit's set plan (the draft itself when there is one already)."""
    if round_ is None:
        raise ServiceError(_l("A plan is made for a round; choose a round first."), field="round")
    before = current_plan(round_, unit)
    draft = ensure_draft(round_, unit, actor_id=actor_id)
    if before is not None and before is not draft:
        audit.record("plan.revision", actor_id=actor_id, target_type="unit_plan", target_id=draft.id,
                     details={"replaces": before.id, "unit": unit.code, "round": round_.id}, ip=ip)
    return draft


# -- the approver's write -------------------------------------------------------------------------

def set_plan(plan: UnitPlan, approver: User, place: str | None, on: date | None, position: str | None,
             figures: PlanFigures, summary: UnitSummary, *, seen: str | None = None,
             ip: str | None = None) -> UnitPlan:
    """The approver sets the draft: from now on it never changes (its figures frozen in ``snapshot``).

    Only from a closed round (its data set frozen, so the plan's people and the lists of names
    stay what was set), and only the figures the approver read (``seen``: their ``fingerprint``)."""
    if not in_scope(approver.unit, plan.unit):
        raise NotFound(_l("This plan does not exist."))
    if plan.is_set:
        raise Conflicting(_l("This plan is set already."))
    if current_plan(plan.round, plan.unit) is not plan:
        raise Conflicting(_l("A newer plan replaces this one."))
    if round_rules.state_of(plan.round) != round_rules.CLOSED:
        raise Conflicting(_l("The round “%(name)s” is still open: a plan is set once its round is closed, so that "
                             "its figures no longer change.", name=plan.round.name))
    if seen is not None and seen != fingerprint(figures, summary):
        raise Conflicting(_l("The plan changed since you opened it. Read it again before setting it."))
    place_text = " ".join(str(place or "").split())
    position_text = " ".join(str(position or "").split())
    if len(place_text) > PLACE_MAX_LENGTH:
        raise ServiceError(_l("The place is too long (at most 100 characters)."), field="place")
    if on is None:
        raise ServiceError(_l("Enter the date of setting."), field="on")
    if on > office_today():
        raise ServiceError(_l("The date cannot be after today."), field="on")
    if on < plan.round.opens_on:
        raise ServiceError(_l("The date cannot be before the round opened."), field="on")
    if not position_text:
        raise ServiceError(_l("Enter your position, such as “Kepala Badan Kepegawaian Daerah”."), field="position")
    if len(position_text) > POSITION_MAX_LENGTH:
        raise ServiceError(_l("The position is too long (at most 200 characters)."), field="position")
    claimed = db.session.execute(sql_update(UnitPlan).where(UnitPlan.id == plan.id,
                                                            UnitPlan.status == PlanStatus.DRAFT.value)
                                 .values(status=PlanStatus.SET.value).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # set meanwhile, in another request
        raise Conflicting(_l("This plan is set already."))
    plan.status = PlanStatus.SET.value
    plan.set_at, plan.set_on, plan.set_place = utcnow(), on, place_text or None
    plan.approver_id, plan.approver_name, plan.approver_nip = approver.id, approver.name, approver.nip
    plan.approver_position = position_text
    plan.snapshot = snapshot_of(figures, summary)
    db.session.flush()
    audit.record("plan.set", actor_id=approver.id, target_type="unit_plan", target_id=plan.id,
                 details={"unit": plan.unit.code, "round": plan.round_id, "ceiling": plan.budget_ceiling,
                          "total": figures.budget.total, "funded": figures.budget.funded,
                          "replaces": plan.replaces_id}, ip=ip)
    return plan
