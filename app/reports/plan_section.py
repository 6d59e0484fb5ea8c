"""The plan sections of the unit report (AKPK): the year-1 plan (PP 11/2017 art. 207: the
competency developed, the people targeted, type and route as Peraturan LAN No. 10 Tahun 2018
names them, provider, schedule, curriculum standard), its budget against the ceiling, and the
later years of the personal plans, compactly.

Drawn from a ``plan_data.PlanTable``, the same for a draft (live figures) and a set plan (its
snapshot); module titles and domain names come from the summary's model, the id when the model
no longer knows a module of a snapshot."""
from __future__ import annotations

from typing import Any, Sequence

from flask_babel import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Spacer

from .figures import DASH, integer, mode_label
from .layout import FRAME_WIDTH, table
from .plan_data import PlanLine, PlanTable
from .text import KeepText, Text

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
TOTAL_RULE = ("LINEABOVE", (0, -1), (-1, -1), 0.8, "#4a5568")


# -- labels shared with the page and the export -------------------------------------------------

def route_label(route: str) -> str:
    return _("Classical") if route == "classical" else _("Non-classical")


def quarter_label(quarter: int | None) -> str:
    return _("Quarter %(number)s", number=ROMAN[quarter]) if quarter in ROMAN else DASH


def rupiah(amount: int | None) -> str:
    return DASH if amount is None else f"Rp {integer(amount)}"


def funding_label(line: PlanLine, ceiling: int | None) -> str:
    """Whether the ceiling funds the module; a dash without a ceiling."""
    if ceiling is None:
        return DASH
    if line.funded == "whole":
        return _("Funded")
    if line.funded == "part":
        return _("Part: %(funded)s of %(people)s people", funded=integer(line.funded_people),
                 people=integer(line.people))
    return _("Not funded")


def _names(model: Any, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    modules = {m.id: m.title.get(lang) for m in (model.modules if model is not None else ())}
    domains = {d.id: d.name.get(lang) for d in (model.domains if model is not None else ())}
    return modules, domains


def _head(labels: Sequence[str], st: dict, right: Sequence[int]) -> list:
    return [Text(label, st["cell_head_right" if n in right else "cell_head"]) for n, label in enumerate(labels)]


def _note(st: dict):
    return st.get("cell_note", st["small"])


# -- the year-1 plan ------------------------------------------------------------------------------

def class_sizes_note(plan: PlanTable) -> str:
    """The per-mode class sizes of the modes in the plan that run in classes."""
    sizes: dict[str, int] = {}
    for line in plan.lines:
        if line.classes is not None and line.class_size:
            sizes.setdefault(line.mode, line.class_size)
    if not sizes:
        return _("No module of this plan is run in classes.")
    listed = ", ".join(f"{mode_label(mode)} {integer(size)}" for mode, size in sizes.items())
    return _("Classes: the people divided by the class size of the mode, rounded up (%(sizes)s); "
             "“—”: the mode is not run in classes.", sizes=listed)


def plan_story(summary: Any, plan: PlanTable, lang: str, st: dict) -> list:
    """The year-1 plan per module, then its budget per module and in all."""
    if not plan.lines:
        return [Text(_("No training needs: everyone meets the targets."), st["body"])]
    return [Text(_("Year-1 plan"), st["h2"]),
            Text(_("The modules the personal plans put in the coming year (within each person's yearly "
                   "entitlement), in priority order: more people first. Type and route as Peraturan LAN No. 10 "
                   "Tahun 2018 names them."), st["small"]),
            _plan_table(summary, plan, lang, st),
            Text(class_sizes_note(plan), st["small"]),
            *budget_story(summary, plan, lang, st)]


def _plan_table(summary: Any, plan: PlanTable, lang: str, st: dict):
    modules, domains = _names(summary.model, lang)
    head = [_("No."), _("Module, competency and curriculum"), _("Type and route"), _("Provider and quarter"),
            _("JP per person"), _("People"), _("Total JP"), _("Classes")]
    right = (0, 4, 5, 6, 7)
    # no., type and route, provider and quarter, JP, people, total JP, classes: each header word on one line
    fixed = [0.9, 2.3, 2.85, 1.5, 1.75, 1.4, 1.6]
    widths = [fixed[0] * cm, FRAME_WIDTH - sum(fixed) * cm] + [w * cm for w in fixed[1:]]
    rows = [_head(head, st, right)]
    note = _note(st)
    for rank, line in enumerate(plan.lines, 1):
        module = [Text(modules.get(line.module_id, line.module_id), st["cell"]),
                  Text(domains.get(line.domain_id, line.domain_id), note)]
        if line.curriculum:
            module.append(Text(_("Curriculum: %(standard)s", standard=line.curriculum), note))
        rows.append([integer(rank), module,
                     [Text(route_label(line.route), st["cell"]), Text(mode_label(line.mode), note)],
                     [Text(line.provider or DASH, st["cell"]), Text(quarter_label(line.quarter), note)],
                     integer(line.jp), integer(line.people), integer(line.total_jp),
                     DASH if line.classes is None else integer(line.classes)])
    classes = [line.classes for line in plan.lines if line.classes is not None]
    rows.append(["", Text(_("Total"), st["cell_head"]), "", "", "",
                 Text(integer(sum(line.people for line in plan.lines)), st["cell_head_right"]),
                 Text(integer(plan.jp), st["cell_head_right"]),
                 Text(integer(sum(classes)) if classes else DASH, st["cell_head_right"])])
    return table(rows, widths, right=right, extra=[TOTAL_RULE])


# -- the budget -------------------------------------------------------------------------------------

def budget_rows(plan: PlanTable) -> list[tuple[str, str]]:
    """(label, rupiah) of the budget summary: ceiling, total needed, funded, unfunded, remaining."""
    if plan.ceiling is None:
        return [(_("Budget ceiling"), _("No ceiling entered")), (_("Total needed"), rupiah(plan.total)),
                (_("Funded"), DASH), (_("Unfunded"), DASH), (_("Remaining"), DASH)]
    return [(_("Budget ceiling"), rupiah(plan.ceiling)), (_("Total needed"), rupiah(plan.total)),
            (_("Funded"), rupiah(plan.funded)), (_("Unfunded"), rupiah(plan.unfunded)),
            (_("Remaining"), rupiah(plan.remaining))]


def budget_story(summary: Any, plan: PlanTable, lang: str, st: dict) -> list:
    modules, _domains = _names(summary.model, lang)
    head = [_("No."), _("Module"), _("People"), _("Cost"), _("Funded"), _("Ceiling funds it")]
    right = (0, 2, 3, 4)
    fixed = [0.9, 1.75, 2.9, 2.9, 3.9]  # no., people, cost, funded, whether the ceiling funds it
    widths = [fixed[0] * cm, FRAME_WIDTH - sum(fixed) * cm] + [w * cm for w in fixed[1:]]
    rows = [_head(head, st, right)]
    for rank, line in enumerate(plan.lines, 1):
        rows.append([integer(rank), Text(modules.get(line.module_id, line.module_id), st["cell"]),
                     integer(line.people), rupiah(line.cost),
                     DASH if plan.ceiling is None else rupiah(line.funded_cost),
                     Text(funding_label(line, plan.ceiling), st["cell"])])
    summary_rows = [[Text(label, st["cell"]), Text(value, st["cell_right"])] for label, value in budget_rows(plan)]
    return [CondPageBreak(4 * cm),
            Text(_("Budget of the year-1 plan"), st["h2"]),
            Text(_("Each module costed by its mode (per participant or per class). The ceiling is spent in "
                   "priority order: a module is funded whole when it fits, else as many whole classes or "
                   "participants as the rest pays for; the next modules are still tried with what remains."),
                 st["small"]),
            table(rows, widths, right=right),
            Spacer(1, 6),
            KeepText([table(summary_rows, [FRAME_WIDTH - 5.5 * cm, 5.5 * cm], header=False)])]


# -- later years ------------------------------------------------------------------------------------

def later_years_story(summary: Any, plan: PlanTable, lang: str, st: dict) -> list:
    """Years 2, 3… of the personal plans: module, people, JP; one table, the year on its first row."""
    years = {year: needs for year, needs in plan.later_years.items() if needs}
    if not years:
        return []
    modules, _domains = _names(summary.model, lang)
    head = [_("Year"), _("Module"), _("People"), _("JP per person"), _("Total JP")]
    right = (2, 3, 4)
    fixed = [2.2, 1.75, 1.6, 1.6]  # year, people, JP per person, total JP
    widths = [fixed[0] * cm, FRAME_WIDTH - sum(fixed) * cm] + [w * cm for w in fixed[1:]]
    rows = [_head(head, st, right)]
    for year, needs in sorted(years.items()):
        for n, need in enumerate(needs):
            rows.append([Text(_("Year %(year)s", year=year) if n == 0 else "", st["cell"]),
                         Text(modules.get(need.module_id, need.module_id), st["cell"]),
                         integer(need.people), integer(need.jp), integer(need.total_jp)])
    return [Spacer(1, 6), CondPageBreak(4 * cm),
            Text(_("Later years"), st["h2"]),
            Text(_("What the personal plans leave for the years after the first, beyond each person's yearly "
                   "entitlement: not part of this year's plan or budget."), st["small"]),
            table(rows, widths, right=right)]
