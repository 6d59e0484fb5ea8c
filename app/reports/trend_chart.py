"""The trend chart of the unit report and dashboard: per domain, two horizontal bars of the share
of people below target, the previous round's above the current one's. Drawn once with ReportLab
graphics, like the other charts (``charts.py``), for the PDF and, through ``charts.to_svg``, for
web pages.

Every bar is labelled with its round's name on its left and its value on its right ("40% (4 of
10)", in the reader's locale), so the two rounds are told apart without their colours."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from flask_babel import gettext as _
from reportlab.graphics.shapes import Drawing, Path, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from .charts import MAX_NAME_LINES, PAD, PDF_WIDTH, _Metrics, _wrap, clean_text
from .figures import DASH, integer, percent
from .fonts import BOLD, REGULAR, register_fonts
from .palette import ACCENT, GRID, INK, MUTED, TRACK

PREVIOUS, CURRENT = "previous", "current"
#: Bar colours: the previous round in grey, the current one in the accent; both take white text.
FILLS = {PREVIOUS: MUTED, CURRENT: ACCENT}
TICKS = (0, 0.25, 0.5, 0.75, 1)


def value_label(below: int | None, assessed: int | None) -> str:
    """"40% (4 of 10)": the share below target with its counts; a dash without people assessed."""
    if not assessed:
        return DASH
    return _("%(share)s (%(below)s of %(people)s)", share=percent(below / assessed), below=integer(below),
             people=integer(assessed))


def _labels(previous: str, current: str) -> dict[str, str]:
    return {"title": _("Share of people below target: %(previous)s and %(current)s",
                       previous=previous, current=current)}


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` on one line of ``width``, cut with an ellipsis when longer."""
    return _wrap(text, font, size, width, 1)[0]


def trend_chart(rows: Sequence[Mapping[str, Any]], *, previous: str, current: str,
                width: float = PDF_WIDTH, labels: Mapping[str, str] | None = None) -> Drawing:
    """Two bars per domain, the share below target in the previous and the current round.

    ``rows``: dicts with ``name`` and, for ``"previous"`` and ``"current"``, a pair (people
    below target, people assessed). ``previous``/``current``: the rounds' names, written
    left of their bars. ``width``: PDF_WIDTH for A4, WEB_WIDTH for web pages. ``labels``
    overrides the title (key ``title``); by default it comes from gettext."""
    register_fonts()
    names = {PREVIOUS: clean_text(previous), CURRENT: clean_text(current)}
    labels = {**_labels(names[PREVIOUS], names[CURRENT]), **{k: clean_text(v) for k, v in (labels or {}).items()}}
    m = _Metrics(width)
    x0, x1 = PAD, width - PAD
    plot_w = x1 - x0
    size = m.small
    # The round names' column: as wide as the wider name, at most 40 % of the chart (longer names are cut).
    name_w = min(plot_w * 0.4, max(stringWidth(n, REGULAR, size) for n in names.values()) + 10)
    bar_x0 = x0 + name_w
    bar_w = x1 - bar_x0
    row_lines = [_wrap(clean_text(r.get("name")), BOLD, m.name, plot_w, MAX_NAME_LINES) for r in rows]
    bar_h, bar_gap = m.bar, 3
    heights = [m.leading - 2 + (len(lines) - 1) * m.leading + m.name_to_bar + 2 * bar_h + bar_gap + m.row_gap
               for lines in row_lines]
    axis_h = size + 10
    height = sum(heights) + axis_h + 4
    drawing = Drawing(width, height, initialFontName=REGULAR, initialFontSize=size)
    drawing._title = labels["title"]
    drawing._desc = _description(rows, names)

    top = height - 2
    for row, lines, h in zip(rows, row_lines, heights):
        y = top - m.leading + 2
        for line in lines:
            drawing.add(String(x0, y, line, fontName=BOLD, fontSize=m.name, fillColor=INK))
            y -= m.leading
        bar_y = y + m.leading - m.name_to_bar - bar_h
        for key in (PREVIOUS, CURRENT):
            for shape in _bar(key, row.get(key), names[key], x0, bar_x0, bar_w, bar_y, bar_h, name_w, size):
                drawing.add(shape)
            bar_y -= bar_h + bar_gap
        top -= h
    for shape in _axis(bar_x0, bar_w, axis_h, size):
        drawing.add(shape)
    return drawing


def _bar(key: str, counts: Any, name: str, x0: float, bar_x0: float, bar_w: float, y: float, h: float,
         name_w: float, size: float) -> list:
    below, assessed = counts if counts else (None, None)
    baseline = y + (h - size) / 2 + 1.5
    shapes: list = [String(x0, baseline, _fit(name, REGULAR, size, name_w - 8), fontName=REGULAR, fontSize=size,
                           fillColor=INK)]
    track = Rect(bar_x0, y, bar_w, h, fillColor=TRACK, strokeColor=None)
    track._svgAttrs = {"class": "trend-track"}
    shapes.append(track)
    text = value_label(below, assessed)
    if not assessed:
        shapes.append(String(bar_x0 + 4, baseline, text, fontName=REGULAR, fontSize=size, fillColor=MUTED))
        return shapes
    w = bar_w * max(0.0, min(1.0, below / assessed))
    bar = Rect(bar_x0, y, w, h, fillColor=FILLS[key], strokeColor=None)
    bar._svgAttrs = {"class": f"bar-{key}"}
    shapes.append(bar)
    shapes.append(_value(text, percent(below / assessed), bar_x0, bar_w, w, baseline, size))
    return shapes


def _value(text: str, short: str, bar_x0: float, bar_w: float, w: float, baseline: float, size: float) -> String:
    """The bar's value after its end, else inside its end in white; when the counts fit in
    neither place, the share alone (the counts are in the table and the description)."""
    for label in (text, short):
        label_w = stringWidth(label, REGULAR, size)
        if w + 4 + label_w <= bar_w:
            return String(bar_x0 + w + 4, baseline, label, fontName=REGULAR, fontSize=size, fillColor=INK)
        if label_w + 8 <= w:
            return String(bar_x0 + w - 4, baseline, label, fontName=REGULAR, fontSize=size, fillColor=colors.white,
                          textAnchor="end")
    return String(bar_x0 + w + 2, baseline, short, fontName=REGULAR, fontSize=size, fillColor=INK)


def _axis(bar_x0: float, bar_w: float, axis_h: float, size: float) -> list:
    rule = Path(strokeColor=GRID, strokeWidth=0.6, fillColor=None)
    rule.moveTo(bar_x0, axis_h)
    rule.lineTo(bar_x0 + bar_w, axis_h)
    shapes: list = [rule]
    for tick in TICKS:
        x = bar_x0 + bar_w * tick
        rule.moveTo(x, axis_h)
        rule.lineTo(x, axis_h - 3)
        anchor = "start" if tick == 0 else "end" if tick == 1 else "middle"
        shapes.append(String(x, axis_h - 4 - size, percent(tick), fontName=REGULAR, fontSize=size,
                             fillColor=MUTED, textAnchor=anchor))
    return shapes


def _description(rows: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> str:
    """One sentence per domain for screen readers: name: previous round value; current round value."""
    parts = []
    for row in rows:
        said = [f"{names[key]} {value_label(*(row.get(key) or (None, None)))}" for key in (PREVIOUS, CURRENT)]
        parts.append(f"{clean_text(row.get('name'))}: {'; '.join(said)}.")
    return " ".join(parts)
