"""Charts drawn once with ReportLab graphics: the same Drawing goes into PDF reports and, through
``to_svg``, inline into web pages (one chart code path). This module holds the levels chart of
the personal report, the SVG conversion and the helpers the charts share; the unit report's
level distribution is in ``distribution.py``.

The levels chart puts each domain's name on its own line above its bar, so long names wrap
instead of squeezing the bars, and the chart stays readable when a phone scales it down.
"""
from __future__ import annotations

import re
from typing import Any, Mapping, Sequence
from xml.dom import minidom

from flask_babel import gettext as _
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing, Group, Line, Path, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from .fonts import BOLD, REGULAR, register_fonts
from .palette import ACCENT, GAP, GAP_EDGE, GRID, INK, MUTED, TRACK


PDF_WIDTH = 480   # fits A4 between 2 cm margins
WEB_WIDTH = 320   # for web pages: the text grows so that a phone shows it at a readable size
PAD = 4
MAX_NAME_LINES = 2

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
SVG_FONTS = "'DejaVu Sans', DejaVuSans, Verdana, sans-serif"
# CSS properties renderSVG writes into style="" that SVG also accepts as presentation
# attributes: inline style attributes are blocked by the app's Content-Security-Policy.
_PRESENTATION = {"fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
                 "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
                 "stroke-dashoffset", "font-family", "font-size", "font-weight", "font-style",
                 "text-anchor"}


def clean_text(value: Any) -> str:
    """Text as printable characters: control characters (invalid in XML) removed."""
    return _CONTROL.sub("", "" if value is None else str(value))


def _level_names(level_names: Mapping[int, str] | Sequence[str], top_level: int) -> dict[int, str]:
    if isinstance(level_names, Mapping):
        return {n: clean_text(level_names.get(n, "")) for n in range(1, top_level + 1)}
    names = list(level_names)
    return {n: clean_text(names[n - 1]) if n <= len(names) else "" for n in range(1, top_level + 1)}


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and stringWidth(last + " …", font, size) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + " …"
    return kept


def _default_labels() -> dict[str, str]:
    return {"achieved": _("Achieved level"), "target": _("Target"), "gap": _("Gap to target"),
            "not_assessed": _("Not assessed"), "title": _("Achieved and target level per domain")}


class _Metrics:
    """Sizes in drawing units. A narrow drawing is shown enlarged on a wide screen and at about
    its own width on a phone, so narrower drawings get larger text (up to 1.45 ×)."""

    def __init__(self, width: float):
        s = max(1.0, min(1.45, 420 / width))
        self.name, self.leading = 9 * s, 11 * s
        self.small = 8 * s
        self.bar = 12 * s
        self.name_to_bar = 10 * s  # last name baseline → top of the bar: descenders, marker
        self.row_gap = 9 * s
        self.marker = 2 * s

    def row_height(self, name_lines: int) -> float:
        first_baseline = self.leading - 2
        return (first_baseline + (name_lines - 1) * self.leading + self.name_to_bar + self.bar
                + self.row_gap)


class _Layout:
    """Geometry shared by the parts of the chart."""

    def __init__(self, width: float, top_level: int, m: _Metrics):
        self.width, self.top_level, self.m = width, top_level, m
        self.x0, self.x1 = PAD, width - PAD - 2 * m.marker  # room for a marker at the top level
        self.height = 0.0

    def x(self, level: float) -> float:
        return self.x0 + (self.x1 - self.x0) * level / self.top_level


def _legend_entries(layout: _Layout, labels: Mapping[str, str], show_gap: bool) -> list[list]:
    """Legend entries (key, x) in lines that fit the width."""
    keys = ["achieved"] + (["gap"] if show_gap else []) + ["target"]
    size, lines, x = layout.m.small + 0.5, [[]], layout.x0
    for key in keys:
        room = 16 * size / 8.5 + stringWidth(labels[key], REGULAR, size)
        if lines[-1] and x + room > layout.x1:
            lines.append([])
            x = layout.x0
        lines[-1].append((key, x))
        x += room + 14
    return lines


def _legend(layout: _Layout, lines: list[list], labels: Mapping[str, str]) -> Group:
    g, m = Group(), layout.m
    size = m.small + 0.5
    y = layout.height - m.leading - 4
    swatches = {"achieved": (ACCENT, None), "gap": (GAP, GAP_EDGE)}
    for line in lines:
        for key, x in line:
            box = 12 * size / 8.5
            if key == "target":
                for shape in _target_marker(x + box / 2, y, size * 0.8, m.marker):
                    g.add(shape)
            else:
                fill, edge = swatches[key]
                g.add(Rect(x, y, box, size, fillColor=fill, strokeColor=edge,
                           strokeWidth=0.8 if edge else 0))
            g.add(String(x + box + 4, y + 1, labels[key], fontName=REGULAR, fontSize=size,
                         fillColor=INK))
        y -= m.leading + 6
    return g


def _target_marker(x: float, y: float, h: float, stroke: float = 2) -> list:
    """A dark vertical line over the bar with a small triangle on top."""
    t = 2 * stroke
    return [Line(x, y - stroke, x, y + h + stroke, strokeColor=INK, strokeWidth=stroke),
            Polygon([x - t, y + h + 3 * stroke, x + t, y + h + 3 * stroke, x, y + h + stroke / 2],
                    fillColor=INK, strokeColor=None)]


def _row(layout: _Layout, row: Mapping[str, Any], lines: list[str], top: float,
         labels: Mapping[str, str]) -> list:
    """The shapes of one domain, added straight to the drawing: every group and shape costs
    time when the PDF is drawn, so the level separators are one path, not a line each."""
    m = layout.m
    shapes: list = []
    y = top - m.leading + 2
    for line in lines:
        shapes.append(String(layout.x0, y, line, fontName=BOLD, fontSize=m.name, fillColor=INK))
        y -= m.leading
    bar_y = y + m.leading - m.name_to_bar - m.bar
    shapes.append(Rect(layout.x0, bar_y, layout.x1 - layout.x0, m.bar, fillColor=TRACK,
                       strokeColor=None))
    separators = Path(strokeColor=colors.white, strokeWidth=1, fillColor=None)
    for n in range(1, layout.top_level):
        separators.moveTo(layout.x(n), bar_y)
        separators.lineTo(layout.x(n), bar_y + m.bar)
    shapes.append(separators)
    level, target = row.get("level"), _clamp(row.get("target"), layout.top_level)
    if level is None:
        shapes.append(String(layout.x0 + 4, bar_y + (m.bar - m.small) / 2 + 1, labels["not_assessed"],
                             fontName=REGULAR, fontSize=m.small, fillColor=MUTED))
    else:
        level = _clamp(level, layout.top_level)
        bar = Rect(layout.x0, bar_y, layout.x(level) - layout.x0, m.bar, fillColor=ACCENT,
                   strokeColor=None)
        bar._svgAttrs = {"class": "bar-achieved"}
        shapes.append(bar)
        if target and target > level:
            gap = Rect(layout.x(level), bar_y, layout.x(target) - layout.x(level), m.bar,
                       fillColor=GAP, strokeColor=GAP_EDGE, strokeWidth=0.8,
                       strokeDashArray=[2, 1.5])
            gap._svgAttrs = {"class": "bar-gap"}
            shapes.append(gap)
    if target:
        shapes += _target_marker(layout.x(target), bar_y, m.bar, m.marker)
    return shapes


def _clamp(value: Any, top_level: int) -> int | None:
    if value is None:
        return None
    return max(0, min(int(value), top_level))


def _axis(layout: _Layout, axis_lines: list[list[str]], axis_h: float, size: float) -> Group:
    g = Group()
    top = axis_h
    rule = Path(strokeColor=GRID, strokeWidth=0.6, fillColor=None)
    rule.moveTo(layout.x0, top - 2)
    rule.lineTo(layout.x1, top - 2)
    for n in range(0, layout.top_level + 1):
        rule.moveTo(layout.x(n), top - 2)
        rule.lineTo(layout.x(n), top - 5)
    g.add(rule)
    for n in range(1, layout.top_level + 1):
        y = top - 5 - size - 1
        for line in axis_lines[n - 1]:
            g.add(String(layout.x(n - 0.5), y, line, fontName=REGULAR, fontSize=size,
                         fillColor=MUTED, textAnchor="middle"))
            y -= size + 2
    return g


def _axis_labels(names: dict[int, str], size: float, band: float) -> tuple[list[list[str]], float]:
    """"1 Beginning" under each band; when one does not fit, every band gets the number on a
    line of its own and the name below it, in a smaller size if a word is still too wide."""
    one_line = [f"{n} {name}".strip() for n, name in names.items()]
    if all(stringWidth(text, REGULAR, size) <= band for text in one_line):
        return [[text] for text in one_line], size
    widest = max((stringWidth(word, REGULAR, 1) for name in names.values()
                  for word in name.split()), default=0)
    if widest:
        size = max(5.0, min(size, band / widest))
    return [[str(n)] + _wrap(name, REGULAR, size, band, 2) for n, name in names.items()], size


class _LevelsChart:
    """The levels chart measured once: the wrapped names, the height of every row, the legend
    and the axis, so that it can be drawn whole (``levels_chart``) or in parts that each fit a
    page (``levels_chart_parts``)."""

    def __init__(self, rows: Sequence[Mapping[str, Any]], top_level: int,
                 level_names: Mapping[int, str] | Sequence[str], width: float,
                 labels: Mapping[str, str] | None):
        register_fonts()
        self.rows = list(rows)
        self.labels = {**_default_labels(), **{k: clean_text(v) for k, v in (labels or {}).items()}}
        top_level = max(1, int(top_level))
        self.names = _level_names(level_names, top_level)
        self.m = m = _Metrics(width)
        self.width = width
        self.top_level = top_level
        frame = _Layout(width, top_level, m)
        plot_w = frame.x1 - frame.x0
        self.row_lines = [_wrap(clean_text(r.get("name")), BOLD, m.name, plot_w, MAX_NAME_LINES)
                          for r in self.rows]
        self.axis_lines, self.axis_size = _axis_labels(self.names, m.small, plot_w / top_level - 4)
        show_gap = any(r.get("level") is not None and (r.get("target") or 0) > r["level"]
                       for r in self.rows)  # the same legend on every part
        self.legend_lines = _legend_entries(frame, self.labels, show_gap)
        self.legend_h = len(self.legend_lines) * (m.leading + 6) + 6
        self.axis_h = 8 + max(len(a) for a in self.axis_lines) * (self.axis_size + 2)
        self.natural = [m.row_height(len(lines)) for lines in self.row_lines]

    def parts(self, max_height: float) -> list[range]:
        """Consecutive rows in as few groups as fit ``max_height`` each (legend, rows, axis),
        of about equal height, so that the last part is not a stub; a group has a row at least."""
        room = max_height - self.legend_h - self.axis_h
        greedy = _fill(self.natural, room)
        if len(greedy) < 2:
            return greedy
        even = _fill(self.natural, sum(self.natural) / len(greedy) + max(self.natural) / 2)
        fits = len(even) == len(greedy) and all(
            sum(self.natural[n] for n in part) <= room for part in even)
        return even if fits else greedy

    def draw(self, rows: range, height: float | None = None) -> Drawing:
        layout = _Layout(self.width, self.top_level, self.m)
        natural = [self.natural[n] for n in rows]
        body = sum(natural)
        layout.height = max(height or 0, self.legend_h + body + self.axis_h)
        stretch = (layout.height - self.legend_h - self.axis_h) / body if body else 1
        drawing = Drawing(self.width, layout.height, initialFontName=REGULAR,
                          initialFontSize=self.m.small)
        drawing._title = self.labels["title"]
        drawing._desc = _description([self.rows[n] for n in rows], self.names, self.labels)
        drawing.add(_legend(layout, self.legend_lines, self.labels))
        top = layout.height - self.legend_h
        for n, h in zip(rows, natural):
            for shape in _row(layout, self.rows[n], self.row_lines[n], top, self.labels):
                drawing.add(shape)
            top -= h * stretch
        drawing.add(_axis(layout, self.axis_lines, self.axis_h, self.axis_size))
        return drawing


def _fill(heights: Sequence[float], room: float) -> list[range]:
    """Consecutive indexes in groups filled up to ``room`` in turn (one at least each)."""
    groups: list[range] = []
    start, used = 0, 0.0
    for n, h in enumerate(heights):
        if n > start and used + h > room:
            groups.append(range(start, n))
            start, used = n, 0.0
        used += h
    groups.append(range(start, len(heights)))
    return groups


def levels_chart(rows: Sequence[Mapping[str, Any]], top_level: int,
                 level_names: Mapping[int, str] | Sequence[str], *, width: float = PDF_WIDTH,
                 height: float | None = None, labels: Mapping[str, str] | None = None) -> Drawing:
    """Horizontal bars of the achieved level per domain, the gap up to the target, and a marker
    at the target; each domain's name on its own line above its bar.

    ``rows``: dicts with ``name``, ``level`` (int, or None = not assessed) and ``target``.
    ``level_names``: {level: name} or the names from level 1 up. ``width``: PDF_WIDTH for A4,
    WEB_WIDTH for web pages. ``height``: None for as tall as the rows need (a larger value
    spreads the rows). ``labels`` overrides texts (keys achieved, target, gap, not_assessed,
    title); by default they come from gettext in the current locale.
    """
    chart = _LevelsChart(rows, top_level, level_names, width, labels)
    return chart.draw(range(len(chart.rows)), height)


def levels_chart_parts(rows: Sequence[Mapping[str, Any]], top_level: int,
                       level_names: Mapping[int, str] | Sequence[str], *, max_height: float,
                       width: float = PDF_WIDTH,
                       labels: Mapping[str, str] | None = None) -> list[Drawing]:
    """``levels_chart`` for a PDF: as one drawing when it is at most ``max_height`` tall, else
    as several, each with the legend and the axis, none taller than ``max_height`` (a drawing
    cannot break across pages, so a chart of many domains must be cut)."""
    chart = _LevelsChart(rows, top_level, level_names, width, labels)
    return [chart.draw(part) for part in chart.parts(max_height)]


def _description(rows: Sequence[Mapping[str, Any]], names: dict[int, str],
                 labels: Mapping[str, str]) -> str:
    """One sentence per domain for screen readers: name: achieved level; target."""
    parts = []
    for row in rows:
        level, target = row.get("level"), row.get("target")
        achieved = (labels["not_assessed"] if level is None
                    else f"{labels['achieved']} {level} {names.get(level, '')}".strip())
        goal = f"{target} {names.get(target, '')}".strip() if target is not None else "—"
        parts.append(f"{clean_text(row.get('name'))}: {achieved}; {labels['target']} {goal}.")
    return " ".join(parts)


def _style_to_attributes(element: minidom.Element) -> None:
    if element.hasAttribute("style"):
        for declaration in element.getAttribute("style").split(";"):
            prop, _sep, value = declaration.partition(":")
            prop, value = prop.strip(), value.strip()
            if prop in _PRESENTATION and value:
                if prop == "font-family":
                    if value.endswith("-Bold"):
                        element.setAttribute("font-weight", "bold")
                    value = SVG_FONTS
                element.setAttribute(prop, value)
        element.removeAttribute("style")
    for attr in ("id", "clip"):
        if element.hasAttribute(attr):
            element.removeAttribute(attr)
    if element.hasAttribute("transform") and not element.getAttribute("transform"):
        element.removeAttribute("transform")
    for child in element.childNodes:
        if child.nodeType == child.ELEMENT_NODE:
            _style_to_attributes(child)


def _set_text(doc: minidom.Document, svg: minidom.Element, tag: str, text: str) -> None:
    node = svg.getElementsByTagName(tag)[0]
    for child in list(node.childNodes):
        node.removeChild(child)
    node.appendChild(doc.createTextNode(text))


def to_svg(drawing: Drawing, *, title: str | None = None) -> str:
    """The drawing as one ``<svg>`` element, ready to embed inline in HTML: no XML prolog or
    doctype, no ids (several charts may share a page), colours as presentation attributes
    (allowed by a Content-Security-Policy without 'unsafe-inline'), ``role="img"``, an
    ``aria-label`` and ``<title>``/``<desc>``. Texts are escaped by the DOM serialiser."""
    register_fonts()
    title = clean_text(title if title is not None else getattr(drawing, "_title", ""))
    canvas = renderSVG.SVGCanvas((drawing.width, drawing.height), useClip=True)
    renderSVG.draw(drawing, canvas, 0, 0)
    doc, svg = canvas.doc, canvas.svg
    _style_to_attributes(svg)
    _set_text(doc, svg, "title", title)
    _set_text(doc, svg, "desc", clean_text(getattr(drawing, "_desc", "")))
    svg.setAttribute("role", "img")
    svg.setAttribute("aria-label", title)
    svg.setAttribute("class", "chart")
    svg.setAttribute("width", "100%")
    svg.removeAttribute("height")
    return svg.toxml()
