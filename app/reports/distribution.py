"""The level-distribution chart of the unit report and dashboard: one 100 % bar per domain,
split into the share of people at each level. Drawn once with ReportLab graphics, like the
levels chart (``charts.py``), for the PDF and, through ``charts.to_svg``, for web pages."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from flask_babel import gettext as _
from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from .charts import MAX_NAME_LINES, PAD, PDF_WIDTH, _level_names, _Metrics, _wrap, clean_text
from .fonts import BOLD, REGULAR, register_fonts
from .palette import INK, MUTED, TRACK


# A sequential blue ramp (light = low level, dark = high level); every step stays visible on
# white and readable under black or white text (see ``_text_on``).
# "Not assessed" is a neutral light grey, lighter than the lightest level and without its hue.
SEQUENTIAL = ["#a6cde8", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]
UNASSESSED = colors.HexColor("#e4e4e4")
SEGMENT_EDGE = colors.white


def level_palette(top_level: int) -> list[colors.Color]:
    """``top_level`` colours from light to dark, evenly spread over the sequential ramp."""
    ramp = [colors.HexColor(c) for c in SEQUENTIAL]
    if top_level <= 1:
        return [ramp[len(ramp) // 2]]
    out = []
    for n in range(top_level):
        pos = n * (len(ramp) - 1) / (top_level - 1)
        lo = int(pos)
        hi = min(lo + 1, len(ramp) - 1)
        out.append(colors.linearlyInterpolatedColor(ramp[lo], ramp[hi], 0, 1, pos - lo))
    return out


def _luminance(color: colors.Color) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in color.rgb())
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _text_on(fill: colors.Color) -> colors.Color:
    """Black or white text, whichever contrasts more with ``fill``."""
    lum = _luminance(fill)
    return colors.white if (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.05) else INK


def _distribution_labels() -> dict[str, str]:
    return {"not_assessed": _("Not assessed"), "no_data": _("No results"),
            "title": _("Levels per domain")}


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _distribution_legend(x0: float, x1: float, entries: list[tuple[str, colors.Color]],
                         size: float) -> list[list[tuple[str, colors.Color, float]]]:
    lines: list[list] = [[]]
    x = x0
    box = 12 * size / 8.5
    for text, fill in entries:
        room = box + 4 + stringWidth(text, REGULAR, size)
        if lines[-1] and x + room > x1:
            lines.append([])
            x = x0
        lines[-1].append((text, fill, x))
        x += room + 12
    return lines


def distribution_chart(rows: Sequence[Mapping[str, Any]],
                       level_names: Mapping[int, str] | Sequence[str], *,
                       width: float = PDF_WIDTH,
                       labels: Mapping[str, str] | None = None) -> Drawing:
    """One horizontal 100 % bar per domain, split into the share of people at each level (light
    to dark) and the people not assessed (grey); each domain's name on its own line above its
    bar, a legend of the level names on top, the percentage printed where a segment is wide
    enough for it.

    ``rows``: dicts with ``name``, ``counts`` ({level: people}) and ``unassessed`` (people).
    ``level_names``: {level: name} or the names from level 1 up (their number sets the number
    of levels). ``width``: PDF_WIDTH for A4, WEB_WIDTH for web pages. ``labels`` overrides
    texts (keys not_assessed, no_data, title); by default they come from gettext.
    """
    register_fonts()
    labels = {**_distribution_labels(),
              **{k: clean_text(v) for k, v in (labels or {}).items()}}
    top_level = max(1, len(level_names) if not isinstance(level_names, Mapping)
                    else max(level_names, default=1))
    names = _level_names(level_names, top_level)
    palette = level_palette(top_level)
    m = _Metrics(width)
    x0, x1 = PAD, width - PAD
    plot_w = x1 - x0
    size = m.small + 0.5
    row_lines = [_wrap(clean_text(r.get("name")), BOLD, m.name, plot_w, MAX_NAME_LINES)
                 for r in rows]
    show_missing = any((r.get("unassessed") or 0) > 0 for r in rows)
    entries = [(f"{n} {names[n]}".strip(), palette[n - 1]) for n in range(1, top_level + 1)]
    if show_missing:
        entries.append((labels["not_assessed"], UNASSESSED))
    legend = _distribution_legend(x0, x1, entries, size)
    legend_h = len(legend) * (m.leading + 6) + 6
    bar_h = m.bar * 1.25
    heights = [m.leading - 2 + (len(lines) - 1) * m.leading + m.name_to_bar + bar_h + m.row_gap
               for lines in row_lines]
    height = legend_h + sum(heights) + 2
    drawing = Drawing(width, height, initialFontName=REGULAR, initialFontSize=m.small)
    drawing._title = labels["title"]
    drawing._desc = _distribution_description(rows, names, labels)

    g = Group()
    y = height - m.leading - 4
    box = 12 * size / 8.5
    for line in legend:
        for text, fill, x in line:
            g.add(Rect(x, y, box, size, fillColor=fill, strokeColor=None))
            g.add(String(x + box + 4, y + 1, text, fontName=REGULAR, fontSize=size,
                         fillColor=INK))
        y -= m.leading + 6
    drawing.add(g)

    top = height - legend_h
    for row, lines, h in zip(rows, row_lines, heights):
        drawing.add(_distribution_row(row, lines, top, x0, x1, bar_h, top_level, palette, m,
                                      labels))
        top -= h
    return drawing


def _segments(row: Mapping[str, Any], top_level: int) -> list[tuple[str, int]]:
    counts = row.get("counts") or {}
    parts = [(str(n), max(0, int(counts.get(n, 0) or 0))) for n in range(1, top_level + 1)]
    parts.append(("unassessed", max(0, int(row.get("unassessed") or 0))))
    return parts


def _distribution_row(row: Mapping[str, Any], lines: list[str], top: float, x0: float, x1: float,
                      bar_h: float, top_level: int, palette: list, m: _Metrics,
                      labels: Mapping[str, str]) -> Group:
    g = Group()
    y = top - m.leading + 2
    for line in lines:
        g.add(String(x0, y, line, fontName=BOLD, fontSize=m.name, fillColor=INK))
        y -= m.leading
    bar_y = y + m.leading - m.name_to_bar - bar_h
    parts = _segments(row, top_level)
    total = sum(n for _key, n in parts)
    if not total:
        g.add(Rect(x0, bar_y, x1 - x0, bar_h, fillColor=TRACK, strokeColor=None))
        g.add(String(x0 + 4, bar_y + (bar_h - m.small) / 2 + 1, labels["no_data"],
                     fontName=REGULAR, fontSize=m.small, fillColor=MUTED))
        return g
    x = x0
    for key, count in parts:
        if not count:
            continue
        w = (x1 - x0) * count / total
        fill = UNASSESSED if key == "unassessed" else palette[int(key) - 1]
        seg = Rect(x, bar_y, w, bar_h, fillColor=fill, strokeColor=SEGMENT_EDGE, strokeWidth=0.6)
        seg._svgAttrs = {"class": "seg-unassessed" if key == "unassessed" else f"seg-level-{key}"}
        g.add(seg)
        text = _percent(count / total)
        if stringWidth(text, REGULAR, m.small) + 4 <= w:
            g.add(String(x + w / 2, bar_y + (bar_h - m.small) / 2 + 1.5, text, fontName=REGULAR,
                         fontSize=m.small, fillColor=_text_on(fill), textAnchor="middle"))
        x += w
    return g


def _distribution_description(rows: Sequence[Mapping[str, Any]], names: dict[int, str],
                              labels: Mapping[str, str]) -> str:
    """One sentence per domain for screen readers: name: level people (share); …"""
    parts = []
    for row in rows:
        segments = _segments(row, len(names))
        total = sum(n for _key, n in segments)
        if not total:
            parts.append(f"{clean_text(row.get('name'))}: {labels['no_data']}.")
            continue
        said = []
        for key, count in segments:
            if count:
                label = (labels["not_assessed"] if key == "unassessed"
                         else f"{key} {names.get(int(key), '')}".strip())
                said.append(f"{label} {count} ({_percent(count / total)})")
        parts.append(f"{clean_text(row.get('name'))}: {'; '.join(said)}.")
    return " ".join(parts)
