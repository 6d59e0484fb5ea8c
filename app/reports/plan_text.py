"""The words of the plan by year and of the gaps against the position aimed for, shared by the
result page and the personal PDF so both say the same thing.

Everything here reads the plain result dict (``training.result_to_dict``) and the current
language (gettext); numbers are written in the current locale."""
from __future__ import annotations

from typing import Any, Mapping

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import ngettext

from ..engine.entitlement import PPPK
from ..engine.schedule import year_numbers
from .figures import integer


def year_heading(number: int, jp: int) -> str:
    """"Tahun 1 — 20 JP"."""
    return _("Year %(number)s — %(jp)s JP", number=integer(number), jp=integer(jp))


def yearly_rule(plan: Mapping[str, Any]) -> str:
    """How much a year holds, with the entitlement named for the person's employment type."""
    entitlement = integer(plan["entitlement_jp"])
    if plan.get("employment_type") == PPPK:
        return _("Each year holds modules up to %(entitlement)s JP, the yearly limit for a PPPK (at most "
                 "%(entitlement)s JP a year), the most urgent first.", entitlement=entitlement)
    return _("Each year holds modules up to %(entitlement)s JP, the yearly figure for a PNS (at least "
             "%(entitlement)s JP a year), the most urgent first.", entitlement=entitlement)


def priority_rule() -> str:
    """The rule the plan's order follows (``schedule``'s docstring), in one sentence."""
    return _("Order of priority: the gap times how critical the domain is for the position, largest first, "
             "then the questionnaire's domain order; within a domain a module never comes before the one "
             "it builds on.")


def over_note(module_title: str, jp: int, entitlement_jp: int) -> str:
    return _("%(module)s (%(jp)s JP) alone is larger than the yearly figure of %(entitlement)s JP, so it "
             "takes this year on its own.", module=module_title, jp=integer(jp),
             entitlement=integer(entitlement_jp))


def plan_total(plan: Mapping[str, Any]) -> str:
    years = len(plan_years(plan))
    return ngettext("Total: %(jp)s JP in %(num)d year.", "Total: %(jp)s JP in %(num)d years.", years,
                    jp=integer(plan["total_jp"]))


def plan_years(plan: Mapping[str, Any], done: Mapping[str, Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Each year of the plan: its number, heading, JP, modules (in priority order) and, when one
    module is larger than the yearly figure, the note saying so. The years come from the engine's
    rule (``schedule.year_numbers``, the one that filled ``plan_entries.year`` at submit), applied
    to the plan's modules at the plan's own yearly figure. With ``done`` ({module id:
    {"completed_on", "jp"}}, ``services.realisations.plan_done``) each module also has "done"
    (that entry or None) and "done_text"."""
    modules, yearly = plan["modules"], plan["entitlement_jp"]
    if done is not None:
        modules = [{**m, "done": done.get(m["id"]), "done_text": done_mark(done[m["id"]]) if m["id"] in done else ""}
                   for m in modules]
    numbers = year_numbers([(m["domain_id"], m["jp"]) for m in modules], yearly)
    out = []
    for number in range(1, max(numbers, default=0) + 1):
        inside = [m for m, n in zip(modules, numbers) if n == number]
        jp = sum(m["jp"] for m in inside)
        note = over_note(inside[0]["title"], jp, yearly) if jp > yearly else None
        out.append({"number": number, "jp": jp, "heading": year_heading(number, jp), "modules": inside,
                    "over_note": note})
    return out


def target_heading(position_name: str) -> str:
    return _("Gaps against the position you aim for: %(position)s", position=position_name)


def target_note() -> str:
    return _("For orientation only: the training plan follows the gaps against the current position.")


def done_rule() -> str:
    """When a module of the plan counts as done (``services.realisations.DONE_WINDOW_DAYS``)."""
    return _("A module counts as done when HR recorded its completion on or after 365 days before this "
             "assessment was submitted.")


def done_mark(entry: Mapping[str, Any]) -> str:
    """"Done on 17 Mar 2025, 8 JP"."""
    return _("Done on %(date)s, %(jp)s JP", date=format_date(entry["completed_on"], "medium"),
             jp=integer(entry["jp"]))


def progress(plan: Mapping[str, Any], done: Mapping[str, Any]) -> dict[str, Any]:
    """JP of the plan's modules done and remaining (a module done counts with its planned JP),
    and the line saying so."""
    total = sum(m["jp"] for m in plan["modules"])
    done_jp = sum(m["jp"] for m in plan["modules"] if m["id"] in done)
    remaining = total - done_jp
    return {"done_jp": done_jp, "remaining_jp": remaining,
            "line": _("Done %(done)s JP, remaining %(remaining)s JP.", done=integer(done_jp),
                      remaining=integer(remaining))}
