"""The unit report's appendix: the people who need each module, by name.

The lists are long (a person is listed once per module they need: the demo province has nine
lines a person), so they are not ReportLab ``Table``s. A Table that runs over many pages is split
one page at a time, and every split builds a new Table of the rows left and measures them again;
measuring itself walks the rows with ``list.index`` and sums the heights of the rows before each
one. A list of N names cost O(N²) (a unit of 6,667 people: 100 s). ``PeopleTable`` measures each
row once, and a page break is a bisection in the running total of the row heights, so the
appendix costs the same per line however long it is (``bench/unit_appendix.py``).

The people are listed in natural order of their names, then their NIP: digits count as
numbers, so "Contoh 9" comes before "Contoh 10". A synchronous download has a bound: at most
``MAX_LISTED`` lines in all, shared out between the modules; a module with more people says
how many are not listed and how to list them.

Each module's heading (and its mode line) stays on the page of the first rows of its list
(``_keep_room``): a heading is never the last thing on a page. When the lists come from
``services/module_people`` they carry each person's plan year and, for a mode run in classes,
a class number (classes of at most the mode's class size, in the order of the list); the
table then shows both. ``build_appendix_pdf`` makes the appendix of one module (or a few) a
document of its own.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from datetime import datetime
from typing import Any, Mapping, Sequence

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from .charts import clean_text
from .figures import long_date, mode_label, page_label, report_locale
from .layout import FRAME_HEIGHT, FRAME_WIDTH, Furniture, HouseCell, build_pdf, styles
from .palette import HEAD_FILL, RULE, ZEBRA
from .text import Text, wrap_words

DASH = "—"
MAX_LISTED = 50_000   # lines in one appendix: about 1,500 pages, built in some 3 s
COLUMNS = (6.2 * cm, 4 * cm, FRAME_WIDTH - 10.2 * cm)   # name, NIP, unit
_DIGITS = re.compile(r"(\d+)")


# -- order and bound --------------------------------------------------------------------------------

def natural_key(text: Any) -> tuple:
    """A sort key that reads runs of digits as numbers and ignores case: "contoh 9" < "Contoh 10"."""
    parts: list[Any] = _DIGITS.split(str(text or "").casefold())
    parts[1::2] = [int(run) for run in parts[1::2]]  # text, number, text, …: same types line up
    return tuple(parts)


def in_natural_order(people: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """People sorted by name, then NIP, in natural order."""
    return sorted(people, key=lambda p: (natural_key(p.get("name")), natural_key(p.get("nip"))))


def listed_counts(sizes: Sequence[int], budget: int) -> list[int]:
    """How many people each module lists when ``budget`` people may be listed in all.

    Every module gets an equal share of what is left; a module that needs less than its share
    leaves the rest to the larger ones (smallest first), so small modules are listed in full."""
    counts = [0] * len(sizes)
    left = max(0, budget)
    order = sorted(range(len(sizes)), key=lambda n: sizes[n])
    for done, n in enumerate(order):
        counts[n] = min(sizes[n], left // (len(order) - done))
        left -= counts[n]
    return counts


# -- the list as a flowable --------------------------------------------------------------------------

def _cell_lines(value: Any, font: str, size: float, width: float) -> list[str]:
    """The lines of one cell, as ``Text`` would wrap them. Most cells are a plain text that fits
    (printable: no control character, line break or space other than " "), which one width
    measurement settles; the others are cleaned and wrapped word by word."""
    if (type(value) is str and value.isprintable() and "  " not in value
            and value == value.strip() and stringWidth(value, font, size) <= width):
        return [value]
    return [line for hard in clean_text(value).split("\n")
            for line in wrap_words(hard, font, size, width)]


class _Measured:
    """The texts of a list wrapped into lines, and the running total of its row heights."""

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[Any]],
                 widths: Sequence[float], head_style: ParagraphStyle, cell_style: ParagraphStyle):
        self.widths = list(widths)
        self.head_style, self.cell_style = head_style, cell_style
        self._known: dict[tuple, list[str]] = {}  # a unit's name is on many rows: wrapped once
        self.header = self._lines_of(header, head_style)
        self.rows = [self._lines_of(row, cell_style) for row in rows]
        del self._known
        self.header_height = self._height_of(self.header, head_style)
        tops = [0.0]
        for row in self.rows:
            tops.append(tops[-1] + self._height_of(row, cell_style))
        self.tops = tops  # tops[n]: the height of rows 0..n-1

    def _lines_of(self, cells: Sequence[Any], style: ParagraphStyle) -> list[list[str]]:
        pad = HouseCell.leftPadding + HouseCell.rightPadding
        out = []
        for cell, width in zip(cells, self.widths):
            key = (cell, style.fontName, style.fontSize, width)
            lines = self._known.get(key)
            if lines is None:
                lines = self._known[key] = _cell_lines(cell, style.fontName, style.fontSize,
                                                       width - pad)
            out.append(lines)
        return out

    @staticmethod
    def _height_of(cells: list[list[str]], style: ParagraphStyle) -> float:
        return (max(len(lines) for lines in cells) * style.leading
                + HouseCell.topPadding + HouseCell.bottomPadding)


class PeopleTable(Flowable):
    """A table of plain texts with a header row repeated on every page, drawn like the report's
    other tables (``layout.table``): header fill, zebra rows, a rule under every row, the same
    padding. Rows are measured once; a page break splits between rows in O(log rows)."""

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[Any]],
                 widths: Sequence[float], head_style: ParagraphStyle, cell_style: ParagraphStyle):
        self._view(_Measured(header, rows, widths, head_style, cell_style), 0, len(rows))

    def _view(self, measured: _Measured, start: int, end: int) -> None:
        Flowable.__init__(self)
        self._measured, self._start, self._end = measured, start, end
        self.width = sum(measured.widths)

    @property
    def rows(self) -> int:
        """How many rows this piece draws (the header not counted)."""
        return self._end - self._start

    def _body_height(self) -> float:
        return self._measured.tops[self._end] - self._measured.tops[self._start]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.height = self._measured.header_height + self._body_height()
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        tops = self._measured.tops
        room = availHeight - self._measured.header_height + 1e-6
        cut = bisect_right(tops, tops[self._start] + room, self._start, self._end + 1) - 1
        if cut <= self._start:
            return []  # not even one row fits: the whole piece moves to the next page
        if cut >= self._end:
            return [self]
        return [self._piece(self._start, cut), self._piece(cut, self._end)]

    def _piece(self, start: int, end: int) -> "PeopleTable":
        """Rows start..end-1 of the same measured list (nothing is measured again); a new
        flowable, so that nothing ReportLab noted on this one (``_postponed``) carries over."""
        piece = type(self).__new__(type(self))
        piece._view(self._measured, start, end)
        return piece

    def draw(self) -> None:
        canvas, m = self.canv, self._measured
        top = m.header_height + self._body_height()
        bands = [(top, m.header_height, m.header, m.head_style, HEAD_FILL)]
        y = top - m.header_height
        for n in range(self._start, self._end):
            height = m.tops[n + 1] - m.tops[n]
            bands.append((y, height, m.rows[n], m.cell_style, ZEBRA if n % 2 else None))
            y -= height
        canvas.saveState()
        self._draw_backgrounds(bands)
        self._draw_rules(bands)
        self._draw_texts(bands)
        canvas.restoreState()

    def _draw_backgrounds(self, bands: list[tuple]) -> None:
        """The header fill and the zebra rows, one path per colour."""
        by_fill: dict[Any, Any] = {}
        for top, height, _cells, _style, fill in bands:
            if fill is not None:
                path = by_fill.get(fill)
                if path is None:
                    path = by_fill[fill] = self.canv.beginPath()
                path.rect(0, top - height, self.width, height)
        for fill, path in by_fill.items():
            self.canv.setFillColor(fill)
            self.canv.drawPath(path, stroke=0, fill=1)

    def _draw_rules(self, bands: list[tuple]) -> None:
        path = self.canv.beginPath()
        for top, height, _cells, _style, _fill in bands:
            path.moveTo(0, top - height)
            path.lineTo(self.width, top - height)
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.4)
        self.canv.drawPath(path, stroke=1, fill=0)

    def _draw_texts(self, bands: list[tuple]) -> None:
        text = self.canv.beginText()
        font = None
        for top, _height, cells, style, _fill in bands:
            if font != style.fontName:
                text.setFont(style.fontName, style.fontSize, style.leading)
                text.setFillColor(style.textColor)
                font = style.fontName
            x = HouseCell.leftPadding
            for width, lines in zip(self._measured.widths, cells):
                y = top - HouseCell.topPadding - style.fontSize
                for line in lines:
                    text.setTextOrigin(x, y)
                    text.textOut(line)
                    y -= style.leading
                x += width
        self.canv.drawText(text)


# -- the appendix ---------------------------------------------------------------------------------------

def _module_title(model: Any, module_id: str, lang: str) -> str:
    if model is None:
        return module_id
    try:
        return model.module(module_id).title.get(lang)
    except KeyError:
        return module_id


def _entries_in_needs_order(summary: Any, appendix: Sequence[Mapping[str, Any]]) -> list:
    """The modules somebody needs, in the order of the report's needs (by headcount)."""
    order = {need.module_id: n for n, need in enumerate(summary.needs)}
    return sorted((e for e in appendix if e.get("people")),
                  key=lambda e: (order.get(e["module_id"], len(order)), str(e["module_id"])))


def _in_list_order(people: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """By plan year when the people have one (each year's classes together), then natural
    order of name and NIP."""
    return sorted(people, key=lambda p: (p.get("year") or 0, natural_key(p.get("name")),
                                         natural_key(p.get("nip"))))


def _has_classes(entry: Mapping[str, Any]) -> bool:
    """Whether the list numbers classes: the mode is run in classes and the people carry one."""
    return entry.get("class_size") is not None and any(p.get("class") is not None for p in entry["people"])


def _has_years(entry: Mapping[str, Any]) -> bool:
    return any(p.get("year") is not None for p in entry["people"])


def _columns(years: bool, with_classes: bool) -> tuple[list[str], tuple[float, ...], list[str]]:
    """(header, widths, keys) of a module's list: name, NIP, unit, and the plan year and the
    class number when the list has them."""
    header, keys = [_("Name"), _("NIP"), _("Unit")], ["name", "nip", "unit"]
    extra: list[float] = []
    if years:
        header.append(_("Year"))
        keys.append("year")
        extra.append(1.6 * cm)  # room for “Tahun” on one line
    if with_classes:
        header.append(_("Class"))
        keys.append("class")
        extra.append(1.4 * cm)
    if not extra:
        return header, COLUMNS, keys
    name, nip, unit = COLUMNS
    shrink = sum(extra)
    return header, (name - shrink / 2, nip, unit - shrink / 2, *extra), keys


def _people_rows(people: Sequence[Mapping[str, Any]], keys: Sequence[str] = ("name", "nip", "unit")
                 ) -> list[tuple[str, ...]]:
    return [tuple(DASH if p.get(key) in (None, "") else str(p.get(key)) for key in keys) for p in people]


def _not_listed(left_out: int, st: dict) -> Text:
    return Text(ngettext(
        "%(count)s more person needs this module but is not listed: the appendix lists at most "
        "%(max)s names. Choose a unit below this one or a position in the filters to list "
        "everyone.",
        "%(count)s more people need this module but are not listed: the appendix lists at most "
        "%(max)s names. Choose a unit below this one or a position in the filters to list "
        "everyone.", left_out, count=format_decimal(left_out, format="#,##0"),
        max=format_decimal(MAX_LISTED, format="#,##0")), st["small"])


def _mode_line(entry: Mapping[str, Any], st: dict) -> Text | None:
    """Under the heading: the mode, and the class size when the list numbers classes."""
    mode = entry.get("mode")
    if not mode:
        return None
    if _has_classes(entry):
        text = _("%(mode)s: classes of at most %(size)s people, numbered in the order of this list.",
                 mode=mode_label(mode), size=format_decimal(entry["class_size"], format="#,##0"))
    else:
        text = _("%(mode)s: not run in classes.", mode=mode_label(mode))
    return Text(text, ParagraphStyle("appendix_mode", st["small"], spaceAfter=3))


#: Rows of a list that stay on the page of its heading: a heading is never the last thing on a
#: page, and never sits above a lone row either.
ROWS_WITH_HEADING = 3


def _keep_room(head: Sequence[Flowable], table: PeopleTable | None) -> float:
    """The height the heading block and the first rows of its list need on one page."""
    height = 0.0
    for flowable in head:
        height += flowable.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    if table is not None:
        measured = table._measured
        height += measured.header_height + measured.tops[min(ROWS_WITH_HEADING, len(measured.rows))]
    return height + 2  # rounding in the frame's own sums


def module_blocks(summary: Any, lang: str, appendix: Sequence[Mapping[str, Any]], st: dict) -> list:
    """Per module a heading with its headcount (and mode), kept on one page with the first rows
    of its list, then the list; empty when nobody needs a module.

    ``appendix``: [{"module_id", "people": [{"name", "nip", "unit"}]}] in any order; an entry may
    also have "mode" and "class_size", its people "year" and "class" (``services/module_people``):
    then the list shows the plan year and, for a mode run in classes, the class number."""
    entries = _entries_in_needs_order(summary, appendix)
    listed = listed_counts([len(e["people"]) for e in entries], MAX_LISTED)
    # Not keep-with-next: ReportLab would keep the heading with the whole list, and a list
    # longer than a page then starts on a new page, leaving the page before half empty. The
    # CondPageBreak keeps room for the heading and the first rows instead.
    heading = ParagraphStyle("appendix_module", st["h2"], keepWithNext=0)
    out: list = []
    for entry, count in zip(entries, listed):
        people = entry["people"]
        title = _module_title(summary.model, entry["module_id"], lang)
        head: list[Flowable] = [Text(ngettext("%(module)s (%(num)d person)", "%(module)s (%(num)d people)",
                                              len(people), module=title), heading)]
        mode_line = _mode_line(entry, st)
        if mode_line is not None:
            head.append(mode_line)
        shown = _in_list_order(people)[:count]
        header, widths, keys = _columns(_has_years(entry), _has_classes(entry))
        table = (PeopleTable(header, _people_rows(shown, keys), widths, st["cell_head"], st["cell"])
                 if shown else None)
        out += [CondPageBreak(_keep_room(head, table)), *head]
        if table is not None:
            out.append(table)
        if count < len(people):
            out.append(_not_listed(len(people) - count, st))
    return out


def appendix_story(summary: Any, lang: str, appendix: Sequence[Mapping[str, Any]],
                   st: dict) -> list:
    """The appendix flowables: per module a heading with its headcount and its people.

    ``appendix``: as ``module_blocks`` reads it."""
    out: list = [PageBreak(), Text(_("Appendix: people per module"), st["h1"])]
    blocks = module_blocks(summary, lang, appendix, st)
    return out + (blocks or [Text(_("Nobody needs a module."), st["body"])])


def build_appendix_pdf(summary: Any, lang: str, appendix: Sequence[Mapping[str, Any]], *,
                       generated_at: datetime) -> bytes:
    """The appendix alone as a PDF (the list of one module, or of a few), with the report's
    page furniture; ``appendix`` as ``module_blocks`` reads it. Wrap the call in
    ``force_locale(lang)``."""
    with report_locale():
        st = styles()
        unit = summary.filters.unit
        lang = "en" if lang == "en" else "id"
        entries = _entries_in_needs_order(summary, appendix)
        titles = [_module_title(summary.model, e["module_id"], lang) for e in entries]
        scope = unit.name
        if summary.filters.round is not None:
            scope = f"{unit.name} · {summary.filters.round.name}"
        story: list = [Text(_("Appendix: people per module"), st["h1"]), Text(scope, st["small"])]
        story += module_blocks(summary, lang, appendix, st) or [Text(_("Nobody needs a module."), st["body"])]
        furniture = Furniture(
            header_left="Swanilai · AKPK",
            header_right=f"{unit.name} ({unit.code})",
            footer_left=_("Generated on %(date)s", date=long_date(generated_at)),
            page_label=page_label())
        title = _("Appendix: people per module")
        if len(titles) == 1:
            title = f"{title}: {titles[0]}"
        return build_pdf(story, furniture, title=title, author="Swanilai", subject=f"{title}: {unit.name}",
                         lang=lang)
