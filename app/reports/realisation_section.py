"""The realisation section of the unit report (AKPK): what the unit's people completed against
the set plan, per module (issue 14, point 3). It draws the plain rows of
``services.realisations.against_plan``: per module people and JP planned (people × the module's
JP) and realised (people of the unit and below with a realisation of the module completed on or
after the round opened, and their JP), then a total row (``"total": True``)."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from flask_babel import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak

from .figures import DASH, integer, percent
from .layout import FRAME_WIDTH, table
from .text import KeepText, Text

FIGURES = ("people_planned", "people_realised", "jp_planned", "jp_realised")


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "id"


def heading() -> str:
    return _("Realisation against the set plan")


def intro() -> str:
    return _("Per module of the set plan: the people and JP planned, and the people of the unit who completed "
             "the module since the round opened, with the JP they completed, as HR recorded them.")


def no_rows() -> str:
    return _("The set plan has no module, so there is nothing to compare with.")


def _share(realised: int, planned: int) -> str:
    return percent(realised / planned) if planned else DASH


def _head(labels: Sequence[str], st: dict, right: Sequence[int]) -> list:
    return [Text(label, st["cell_head_right" if n in right else "cell_head"]) for n, label in enumerate(labels)]


def realisation_story(rows: Sequence[Mapping[str, Any]], lang: str, st: dict) -> list:
    """The section's flowables: heading, a one-line explanation and the table (or one line
    when the plan has no module)."""
    lang = _lang(lang)
    head = [CondPageBreak(5 * cm), Text(heading(), st["h1"])]
    modules = [r for r in rows if not r.get("total")]
    if not modules:
        return head + [Text(no_rows(), st["body"])]
    labels = [_("Module"), _("People planned"), _("People realised"), _("JP planned"), _("JP realised"),
              _("JP realised, share")]
    right = (1, 2, 3, 4, 5)
    fixed = [2.2 * cm, 2.3 * cm, 2.2 * cm, 2.3 * cm, 2.4 * cm]  # each header word on one line
    widths = [FRAME_WIDTH - sum(fixed), *fixed]
    data = [_head(labels, st, right)]
    for r in rows:
        if r.get("total"):
            name = Text(_("Total"), st["cell_head"])
        else:
            title = r.get("title")
            text = title.get(lang) if isinstance(title, Mapping) else (title or r.get("module") or "")
            name = Text(text, st["cell"])
        data.append([name, *(integer(r[key]) for key in FIGURES), _share(r["jp_realised"], r["jp_planned"])])
    last = len(data) - 1
    extra = [("LINEABOVE", (0, last), (-1, last), 0.8, "#4a5568")] if rows[-1].get("total") else []
    return [head[0], KeepText([head[1], Text(intro(), st["small"])]), table(data, widths, right=right, extra=extra)]
