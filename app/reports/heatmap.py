"""The unit report's heat map: per position and domain, the share of people below target.

A questionnaire may have up to 24 domains (``engine.checks.MAX_DOMAINS``) while a portrait
page holds about eight readable domain columns (a cell prints "100%" over "n = 99.999"), so
the map is drawn as one table per ``HEAT_DOMAINS`` domains, each with the position column.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from .charts import _wrap, clean_text
from .distribution import _text_on
from .figures import DASH, integer, percent
from .fonts import BOLD
from .layout import FRAME_WIDTH, styles, table
from .palette import RULE
from .text import Text
from .unit_data import UnitSummary

# Ramp for "share below target": light (few people below) to dark (most people below).
HEAT_STOPS = [(0.0, "#fff5eb"), (0.25, "#fdd0a2"), (0.5, "#fd8d3c"), (0.75, "#e6550d"),
              (1.0, "#a63603")]
HEAT_EMPTY = colors.HexColor("#f7fafc")
HEAT_DOMAINS = 8     # domain columns per table: 46 pt each, room for "n = 99.999" in 7.5 pt
POSITION_COLUMN = 3.6 * cm
HEAD_SIZE = 7
HEAD_LEADING = 8.5
HEAD_LENGTH = 92     # rotated column heads: the longest line, in points
HEAD_LINES = 3


def heat_color(share: float) -> colors.Color:
    """The ramp colour of a share 0..1."""
    share = max(0.0, min(1.0, float(share)))
    for (lo, c_lo), (hi, c_hi) in zip(HEAT_STOPS, HEAT_STOPS[1:]):
        if share <= hi:
            return colors.linearlyInterpolatedColor(colors.HexColor(c_lo), colors.HexColor(c_hi),
                                                    lo, hi, share)
    return colors.HexColor(HEAT_STOPS[-1][1])


def is_dark(color: colors.Color) -> bool:
    """Whether white text reads better than black on ``color`` (WCAG contrast)."""
    return _text_on(color) == colors.white


class VerticalLabel(Flowable):
    """A column head written bottom to top (up to three lines), so that the domain columns fit
    the width of a portrait page with their full names."""

    def __init__(self, text: str, *, font: str = BOLD, size: float = HEAD_SIZE,
                 leading: float = HEAD_LEADING, length: float = HEAD_LENGTH,
                 max_lines: int = HEAD_LINES):
        super().__init__()
        self.text = " ".join(clean_text(text).split())
        self.font, self.size, self.leading = font, size, leading
        self.lines = _wrap(self.text, font, size, length, max_lines)
        self.hAlign = "CENTER"
        self.width = len(self.lines) * leading
        self.height = max((stringWidth(line, font, size) for line in self.lines), default=0)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(self.font, self.size)
        canvas.setFillColor(styles()["cell_head"].textColor)
        canvas.rotate(90)
        for n, line in enumerate(self.lines):
            # after the rotation x runs up the page and y to the left: line n sits n leadings
            # to the right of the first one, its baseline close to the right edge of its band
            canvas.drawString(0, -(n + 1) * self.leading + (self.leading - self.size) + 1.5,
                              line)
        canvas.restoreState()


def _legend(st: dict) -> Any:
    steps = [0, 0.25, 0.5, 0.75, 1]
    cell = ParagraphStyle("heat_key", st["cell"], fontSize=7, leading=9, alignment=TA_CENTER)
    row = [Text(percent(s), ParagraphStyle(
        "heat_key_dark" if is_dark(heat_color(s)) else "heat_key_light", cell,
        textColor=colors.white if is_dark(heat_color(s)) else st["cell"].textColor))
        for s in steps]
    row.insert(0, Text(_("Colour key"), st["cell"]))
    widths = [3 * cm] + [1.4 * cm] * len(steps)
    extra = [("BACKGROUND", (n + 1, 0), (n + 1, 0), heat_color(s)) for n, s in enumerate(steps)]
    extra.append(("LINEBELOW", (0, 0), (-1, -1), 0, colors.white))
    return table([row], widths, header=False, zebra=False, extra=extra)


def _table(summary: UnitSummary, positions: list, domains: list, column: float, lang: str,
           st: dict) -> Any:
    """One table of the map: the position column and ``domains`` as columns."""
    header = [Text(_("Position"), st["cell_head"])]
    header += [VerticalLabel(d.name.get(lang)) for d in domains]
    position_style = ParagraphStyle("heat_pos", st["cell"], fontSize=7.5, leading=9.5)
    # The cells are plain strings ("45%\nn = 12"), which the table draws itself: a flowable
    # per cell cost more than the rest of the heat map together.
    rows, extra = [header], [("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                             ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                             ("LEFTPADDING", (1, 0), (-1, -1), 2),
                             ("RIGHTPADDING", (1, 0), (-1, -1), 2),
                             ("VALIGN", (1, 1), (-1, -1), "MIDDLE"),
                             ("FONT", (1, 1), (-1, -1), st["cell"].fontName, 7.5, 9.5),
                             ("GRID", (1, 1), (-1, -1), 0.6, colors.white),
                             ("LINEBELOW", (0, 1), (0, -1), 0.4, RULE)]
    for r, (position_id, name) in enumerate(positions, 1):
        row: list = [Text(name, position_style)]
        for c, domain in enumerate(domains, 1):
            below, assessed = summary.heat.get((position_id, domain.id), (0, 0))
            if not assessed:
                row.append(DASH)
                extra.append(("BACKGROUND", (c, r), (c, r), HEAT_EMPTY))
                continue
            share = below / assessed
            fill = heat_color(share)
            row.append(f"{percent(share)}\nn = {integer(assessed)}")
            extra.append(("BACKGROUND", (c, r), (c, r), fill))
            if is_dark(fill):
                extra.append(("TEXTCOLOR", (c, r), (c, r), colors.white))
        rows.append(row)
    return table(rows, [POSITION_COLUMN] + [column] * len(domains), zebra=False, extra=extra)


def heat_map(summary: UnitSummary, lang: str, st: dict) -> list:
    """The section's flowables: heading, explanation, the tables and the colour key."""
    positions = summary.heat_positions(lang)
    domains = list(summary.model.domains)
    intro = [Text(_("Positions × domains: share below target"), st["h1"]),
             Text(_("Each cell: the share of the people in that position who are below "
                    "the target in that domain; n = people assessed. The darker the "
                    "cell, the larger the share."), st["small"])]
    if not positions or not domains:
        return [CondPageBreak(6 * cm), *intro, Text(_("No results"), st["body"])]
    # Columns as wide as a full table's, so that the tables of a long questionnaire line up.
    column = (FRAME_WIDTH - POSITION_COLUMN) / min(len(domains), HEAT_DOMAINS)
    tables = [_table(summary, positions, domains[n:n + HEAT_DOMAINS], column, lang, st)
              for n in range(0, len(domains), HEAT_DOMAINS)]
    out: list = [CondPageBreak(6 * cm), *intro, tables[0]]
    for more in tables[1:]:
        out += [Spacer(1, 8), more]
    return out + [Spacer(1, 4), _legend(st)]
