"""The yearly competency-development entitlement, by employment type, and the plan's note on it.

A PNS is entitled to **at least** ``PNS_MIN_JP`` (20) JP of competency development a year; a PPPK
(contract civil servant) gets **at most** ``PPPK_MAX_JP`` (24) JP a year (PP No. 49 Tahun 2018).
A plan's total is compared with the figure of the person's type: ``"below"``, ``"equal"`` or
``"above"`` it (above, for a PPPK: the plan needs more than one year at the limit)."""

from __future__ import annotations

from .messages import Bi, render

PNS, PPPK = "pns", "pppk"
EMPLOYMENT_TYPES = (PNS, PPPK)
PNS_MIN_JP = 20
PPPK_MAX_JP = 24
BELOW, EQUAL, ABOVE = "below", "equal", "above"

#: The plan's note, by employment type and status; ``years``: years at the figure (at least 1).
NOTES: dict[tuple[str, str], Bi] = {
    (PNS, BELOW): Bi(
        "Total {total} JP; setiap PNS berhak atas pengembangan kompetensi paling sedikit "
        "{entitlement} JP per tahun, sehingga rencana ini masih di bawahnya.",
        "Total {total} JP; every PNS is entitled to at least {entitlement} JP of competency "
        "development a year, so the plan stays below it."),
    (PNS, EQUAL): Bi(
        "Total {total} JP; setiap PNS berhak atas pengembangan kompetensi paling sedikit "
        "{entitlement} JP per tahun, dan rencana ini tepat sebesar itu.",
        "Total {total} JP; every PNS is entitled to at least {entitlement} JP of competency "
        "development a year, and the plan is exactly that."),
    (PNS, ABOVE): Bi(
        "Total {total} JP; setiap PNS berhak atas pengembangan kompetensi paling sedikit "
        "{entitlement} JP per tahun, dan rencana ini melebihinya; sebagian dapat dijadwalkan pada "
        "tahun berikutnya.",
        "Total {total} JP; every PNS is entitled to at least {entitlement} JP of competency "
        "development a year, and the plan goes beyond it; part of it can be scheduled for the "
        "following year."),
    (PPPK, BELOW): Bi(
        "Total {total} JP; pengembangan kompetensi PPPK paling banyak {entitlement} JP per tahun, "
        "sehingga rencana ini muat dalam satu tahun.",
        "Total {total} JP; PPPK competency development is at most {entitlement} JP a year, so the "
        "plan fits within one year."),
    (PPPK, EQUAL): Bi(
        "Total {total} JP; pengembangan kompetensi PPPK paling banyak {entitlement} JP per tahun, "
        "dan rencana ini tepat mencapai batas itu.",
        "Total {total} JP; PPPK competency development is at most {entitlement} JP a year, and the "
        "plan reaches exactly that limit."),
    (PPPK, ABOVE): Bi(
        "Total {total} JP; pengembangan kompetensi PPPK paling banyak {entitlement} JP per tahun, "
        "sehingga rencana ini memerlukan lebih dari satu tahun pada batas itu ({years} tahun).",
        "Total {total} JP; PPPK competency development is at most {entitlement} JP a year, so the "
        "plan needs more than one year at that limit ({years} years)."),
}


def default_entitlement(employment_type: str) -> int:
    """The yearly figure a plan of this employment type is compared with, by default."""
    if employment_type not in EMPLOYMENT_TYPES:
        raise ValueError(f"unknown employment type {employment_type!r}; use one of "
                         + ", ".join(EMPLOYMENT_TYPES))
    return PPPK_MAX_JP if employment_type == PPPK else PNS_MIN_JP


def figure(employment_type: str, entitlement_jp: int | None = None) -> int:
    """``entitlement_jp``, else the type's default; ValueError for an unknown type either way."""
    default = default_entitlement(employment_type)
    return default if entitlement_jp is None else entitlement_jp


def status(total_jp: int, entitlement_jp: int) -> str:
    if total_jp < entitlement_jp:
        return BELOW
    return ABOVE if total_jp > entitlement_jp else EQUAL


def years_at(total_jp: int, entitlement_jp: int) -> int:
    """Years a plan of ``total_jp`` takes at ``entitlement_jp`` a year (at least 1)."""
    return max(1, -(-total_jp // entitlement_jp)) if entitlement_jp > 0 else 1


def note(employment_type: str, total_jp: int, entitlement_jp: int) -> Bi:
    """The plan's sentence on its total against the entitlement, in both languages."""
    default_entitlement(employment_type)  # ValueError for an unknown type
    template = NOTES[(employment_type, status(total_jp, entitlement_jp))]
    return render({"note": template}, "note", total=total_jp, entitlement=entitlement_jp,
                  years=years_at(total_jp, entitlement_jp))
