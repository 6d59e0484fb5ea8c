"""What the plan pages show of a plan's figures: plain rows with labels in the reader's language
(the same for HR and the approver)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..engine.budget import CLASSICAL, PER_CLASS
from ..reports.figures import mode_label
from ..services.unit_plans import PlanFigures

QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}
FUNDED_WORDS = {"whole": _l("Fully funded"), "part": _l("Partly funded"), "none": _l("Not funded")}


def route_label(route: str) -> str:
    return str(_l("Classical") if route == CLASSICAL else _l("Non-classical"))


def cost_basis_label(cost_per: str) -> str:
    return str(_l("per class") if cost_per == PER_CLASS else _l("per participant"))


@dataclass(frozen=True)
class Row:
    module_id: str
    module: str
    domain: str
    route: str
    mode: str
    people: int
    jp: int
    classes: int | None
    cost: int
    funded_people: int
    funded_cost: int
    unfunded_people: int
    funded: str  # in words
    funded_key: str  # "whole", "part", "none"
    quarter: int | None
    provider: str
    curriculum: str


def _titles(model, lang: str) -> tuple[dict, dict]:
    if model is None:
        return {}, {}
    return ({m.id: m.title.get(lang) for m in model.modules},
            {d.id: d.name.get(lang) for d in model.domains})


def rows_of(figures: PlanFigures, model, lang: str) -> list[Row]:
    modules, domains = _titles(model, lang)
    rows = []
    for line in figures.budget.lines:
        need = line.need
        rows.append(Row(need.module_id, modules.get(need.module_id, need.module_id),
                        domains.get(need.domain_id, need.domain_id), route_label(line.spec.route),
                        mode_label(need.mode), need.people, need.jp, line.classes, line.cost, line.funded_people,
                        line.funded_cost, line.unfunded_people, str(FUNDED_WORDS[line.funded]), line.funded,
                        figures.quarters.get(need.module_id), figures.providers.get(need.module_id, ""),
                        figures.curricula.get(need.module_id, "")))
    return rows


def later_rows(figures: PlanFigures, model, lang: str) -> list[tuple[int, list[tuple[str, int, int]]]]:
    """Plan year → (module, people, JP in all) of the years after the first."""
    modules, _domains = _titles(model, lang)
    return [(year, [(modules.get(n.module_id, n.module_id), n.headcount, n.headcount * n.jp) for n in needs])
            for year, needs in sorted(figures.later_years.items())]


def totals_of(figures: PlanFigures) -> dict:
    budget = figures.budget
    return {"people": sum(line.need.people for line in budget.lines),
            "funded_people": sum(line.funded_people for line in budget.lines),
            "unfunded_people": sum(line.unfunded_people for line in budget.lines),
            "jp": sum(line.need.people * line.need.jp for line in budget.lines),
            "needed": budget.total, "funded": budget.funded, "unfunded": budget.unfunded,
            "remaining": budget.remaining, "ceiling": budget.ceiling}
