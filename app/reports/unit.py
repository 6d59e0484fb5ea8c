"""The unit training-needs report (AKPK, *Analisis Kebutuhan Pengembangan Kompetensi*) as PDF,
and the charts of the unit dashboard, both built from a ``UnitSummary`` (no database access).

Fixed labels come from gettext: wrap the calls in ``flask_babel.force_locale(lang)``;
questionnaire texts are read from the summary's model in ``lang``. Every text is laid out by
``Text`` (``reports/text.py``), which never reads markup, so names print literally.
"""
from __future__ import annotations

import math
from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from babel import numbers
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer

from .charts import WEB_WIDTH, _text_on, _wrap, clean_text, distribution_chart, to_svg
from .fonts import BOLD
from .layout import FRAME_WIDTH, Furniture, build_pdf, styles, table
from .palette import RULE
from .personal import _page_label, mode_label
from .text import KeepText, Text

DASH = "—"

# Heat-map ramp for "share below target": light (few people below) to dark (most people below).
HEAT_STOPS = [(0.0, "#fff5eb"), (0.25, "#fdd0a2"), (0.5, "#fd8d3c"), (0.75, "#e6550d"),
              (1.0, "#a63603")]
HEAT_EMPTY = colors.HexColor("#f7fafc")
POSITION_COLUMN = 3.6 * cm
HEAD_SIZE = 7
HEAD_LEADING = 8.5
HEAD_LENGTH = 92     # rotated column heads: the longest line, in points
HEAD_LINES = 3
CHART_ROWS = 10      # domains per level-distribution drawing in the PDF


# -- small helpers --------------------------------------------------------------------------

def _lang(lang: str) -> str:
    return "en" if lang == "en" else "id"


#: The locale of the report being built, looked up once instead of for every number.
_REPORT_LOCALE: ContextVar[str | None] = ContextVar("unit_report_locale", default=None)


def _locale() -> str:
    return _REPORT_LOCALE.get() or str(get_locale())


def _int(value: int) -> str:
    return _formatted(value, "#,##0", _locale())


def _pct(share: float | None) -> str:
    return DASH if share is None else _formatted(share, "#,##0%", _locale())


@lru_cache(maxsize=8192)
def _formatted(value: float, pattern: str, locale: str) -> str:
    """Babel's number formatting, cached: a unit report formats the same counts many times."""
    if pattern.endswith("%"):
        return numbers.format_percent(value, format=pattern, locale=locale)
    return numbers.format_decimal(value, format=pattern, locale=locale)


def _date(value: Any) -> str:
    return format_date(value, format="long") if value is not None else DASH


def heat_color(share: float) -> colors.Color:
    """The ramp colour of a share 0..1."""
    share = max(0.0, min(1.0, float(share)))
    for (lo, c_lo), (hi, c_hi) in zip(HEAT_STOPS, HEAT_STOPS[1:]):
        if share <= hi:
            return colors.linearlyInterpolatedColor(colors.HexColor(c_lo), colors.HexColor(c_hi),
                                                    lo, hi, share)
    return colors.HexColor(HEAT_STOPS[-1][1])


def _dark(color: colors.Color) -> bool:
    """Whether white text reads better than black on ``color`` (WCAG contrast)."""
    return _text_on(color) == colors.white


def _fits(text: str, style: ParagraphStyle, column: float) -> bool:
    """Whether ``text`` fits one line of a table column (with the table's padding), so that it
    can be a plain string cell."""
    return "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= column - 8


def _head_row(labels: Sequence[str], st: dict, right: Iterable[int] = ()) -> list:
    right = set(right)
    return [Text(label, st["cell_head_right" if n in right else "cell_head"])
            for n, label in enumerate(labels)]


def _has_results(summary: Any) -> bool:
    return summary.model is not None and summary.assessed > 0


def _position_name(model: Any, position_id: str | None, lang: str) -> str:
    if position_id is None:
        return _("No position")
    try:
        return model.position(position_id).name.get(lang)
    except (KeyError, AttributeError):
        return position_id


def _version_label(version: Any) -> str:
    return _("%(title)s, version %(version)s", title=version.title or "",
             version=version.number if version.number is not None else DASH)


def _needed(summary: Any) -> list[tuple[Any, Any]]:
    """(need, module) of every module somebody needs, in the summary's order (by headcount).

    The JP figures are computed here from the module (JP per person × headcount), so they do
    not depend on what the aggregate carries in its ``jp`` field."""
    out = []
    for need in summary.needs:
        if need.headcount <= 0:
            continue
        try:
            module = summary.model.module(need.module_id)
        except KeyError:
            continue
        out.append((need, module))
    return out


# -- the dashboard ----------------------------------------------------------------------------

def distribution_rows(summary: Any, lang: str) -> list[dict]:
    """Rows of ``distribution_chart``: every domain of the model, in its order."""
    rows = []
    for domain in summary.model.domains:
        counts = summary.levels.get(domain.id)
        rows.append({"name": domain.name.get(lang),
                     "counts": dict(counts.counts) if counts else {},
                     "unassessed": counts.unassessed if counts else 0})
    return rows


def level_names(model: Any, lang: str) -> dict[int, str]:
    return {level.level: level.name.get(lang) for level in model.scale}


def dashboard_charts(summary: Any, lang: str) -> dict[str, str]:
    """Inline SVG of the dashboard's charts: {"levels": the level distribution per domain}
    (an empty string when there are no results)."""
    lang = _lang(lang)
    if summary.model is None:
        return {"levels": ""}
    drawing = distribution_chart(distribution_rows(summary, lang),
                                 level_names(summary.model, lang), width=WEB_WIDTH)
    return {"levels": to_svg(drawing)}


# -- cover --------------------------------------------------------------------------------------

def report_title() -> str:
    return _("Competency development needs analysis (AKPK)")


def disclaimer() -> str:
    return _("The levels in this report come from self-assessments: each person rated their own "
             "competency. They are not a competency test and not a certification; use them to "
             "plan competency development.")


def _period(filters: Any) -> str:
    if filters.date_from and filters.date_to:
        return _("%(start)s to %(end)s", start=_date(filters.date_from),
                 end=_date(filters.date_to))
    if filters.date_from:
        return _("From %(date)s", date=_date(filters.date_from))
    if filters.date_to:
        return _("Until %(date)s", date=_date(filters.date_to))
    return _("All dates")


def _filter_rows(summary: Any, lang: str) -> list[tuple[str, str]]:
    filters = summary.filters
    position = (_position_name(summary.model, filters.position, lang) if filters.position
                else _("All positions"))
    if filters.version_id:
        chosen = [v for v in summary.versions if getattr(v, "id", None) == filters.version_id]
        version = _version_label(chosen[0]) if chosen else str(filters.version_id)
    else:
        version = _("All versions")
    return [(_("Position"), position), (_("Questionnaire version"), version),
            (_("Submitted between"), _period(filters))]


def _cover(summary: Any, lang: str, appendix: bool, generated_at: datetime, st: dict) -> list:
    unit = summary.filters.unit
    versions = "\n".join(_version_label(v) for v in summary.versions) or DASH
    rows = [(_("Unit"), f"{unit.name} ({unit.code})")]
    rows += _filter_rows(summary, lang)
    rows += [(_("Questionnaire versions in the results"), versions),
             (_("People assessed"), _int(summary.assessed)),
             (_("Generated on"), _date(generated_at)),
             (_("Appendix"), _("Included: the people who need each module") if appendix
              else _("Not included"))]
    data = [[Text(label, st["cell_head"]), Text(value, st["cell"])]
            for label, value in rows]
    subtitle = summary.model.title.get(lang) if summary.model is not None else ""
    return [
        Spacer(1, 2 * cm),
        Text(report_title(), st["title"]),
        Text(subtitle, st["subtitle"]) if subtitle else Spacer(1, 12),
        Text(_("Scope: the latest submitted self-assessment of every person in "
               "%(unit)s and in every unit below it, matching the filters below.",
               unit=unit.name), st["body"]),
        Spacer(1, 6),
        table(data, [5.2 * cm, FRAME_WIDTH - 5.2 * cm], header=False, zebra=False),
        Spacer(1, 0.8 * cm),
        Text(disclaimer(), st["note"]),
        PageBreak(),
    ]


# -- participation -----------------------------------------------------------------------------

def _participation(summary: Any, st: dict) -> list:
    head = [_("Unit"), _("Registered"), _("Started"), _("Submitted"), _("Progress")]
    rows = [_head_row(head, st, right=(1, 2, 3, 4))]

    def line(p: Any, name: str, style: str) -> list:
        share = p.submitted / p.registered if p.registered else None
        return [Text(name, st[style]),
                _int(p.registered), _int(p.started), _int(p.submitted), _pct(share)]

    for p in summary.sub_units:
        rows.append(line(p, f"{p.unit.name} ({p.unit.code})", "cell"))
    rows.append(line(summary.total, _("Total"), "cell_head"))
    widths = [FRAME_WIDTH - 4 * 2.5 * cm] + [2.5 * cm] * 4
    return [Text(_("Participation"), st["h1"]),
            Text(_("Registered: active respondents. Started: people who opened the "
                   "questionnaire. Submitted: people who sent their answers; the "
                   "figures below count only them."), st["small"]),
            table(rows, widths, right=(1, 2, 3, 4), extra=[("LINEABOVE", (0, -1), (-1, -1), 0.8, "#4a5568")])]


# -- levels and share below target --------------------------------------------------------------

def _below_counts(summary: Any, domain_id: str) -> tuple[int | None, int | None]:
    """(people below target, people assessed) in a domain, from the heat map's cells."""
    cells = [value for (_position, domain), value in summary.heat.items() if domain == domain_id]
    if cells:
        return sum(b for b, _a in cells), sum(a for _b, a in cells)
    counts = summary.levels.get(domain_id)
    share = summary.below.get(domain_id)
    assessed = counts.assessed if counts else None
    if share is None or assessed is None:
        return None, assessed
    return round(share * assessed), assessed


def _levels(summary: Any, lang: str, st: dict) -> list:
    model = summary.model
    rows_of_chart = distribution_rows(summary, lang)
    names = level_names(model, lang)
    # A drawing cannot split across pages: long questionnaires get one chart per CHART_ROWS
    # domains, each with its legend.
    charts = [distribution_chart(rows_of_chart[n:n + CHART_ROWS], names, width=FRAME_WIDTH)
              for n in range(0, len(rows_of_chart), CHART_ROWS)] or [Spacer(1, 1)]
    head = [_("Domain"), _("Assessed"), _("Below target"), _("Share below target")]
    rows = [_head_row(head, st, right=(1, 2, 3))]
    for domain in model.domains:
        below, assessed = _below_counts(summary, domain.id)
        share = summary.below.get(domain.id)
        rows.append([Text(domain.name.get(lang), st["cell"]),
                     _int(assessed) if assessed is not None else DASH,
                     _int(below) if below is not None else DASH, _pct(share)])
    widths = [FRAME_WIDTH - 3 * 2.6 * cm] + [2.6 * cm] * 3
    return [
        KeepText([
            Text(_("Levels per domain"), st["h1"]),
            Text(_("The share of the people assessed at each proficiency level, per "
                   "domain. Not assessed: too few items of the domain were "
                   "answered."), st["small"]),
            Spacer(1, 4),
            charts[0]]),
        *charts[1:],
        CondPageBreak(4 * cm),
        Text(_("Share of people below target"), st["h1"]),
        Text(_("Below target: people whose level is below the target of their "
               "position."), st["small"]),
        table(rows, widths, right=(1, 2, 3)),
    ]


# -- heat map -------------------------------------------------------------------------------------

def _heat_positions(summary: Any, lang: str) -> list[tuple[str | None, str]]:
    """Positions with results: those of the model in its order, then any others."""
    seen = {position for position, _domain in summary.heat}
    known = [(p.id, p.name.get(lang)) for p in summary.model.positions if p.id in seen]
    ids = {p for p, _name in known}
    others = sorted((p for p in seen if p not in ids), key=lambda p: (p is None, p or ""))
    return known + [(p, _position_name(summary.model, p, lang)) for p in others]


class VerticalLabel(Flowable):
    """A column head written bottom to top (up to three lines), so that many domain columns fit
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


def _heads_fit(column: float) -> bool:
    """Whether rotated heads of HEAD_LINES lines fit the column width (with padding)."""
    return HEAD_LINES * HEAD_LEADING <= column - 4


def _heat_legend(st: dict) -> Any:
    steps = [0, 0.25, 0.5, 0.75, 1]
    cell = ParagraphStyle("heat_key", st["cell"], fontSize=7, leading=9, alignment=TA_CENTER)
    row = [Text(_pct(s), ParagraphStyle(
        "heat_key_dark" if _dark(heat_color(s)) else "heat_key_light", cell,
        textColor=colors.white if _dark(heat_color(s)) else st["cell"].textColor))
        for s in steps]
    row.insert(0, Text(_("Colour key"), st["cell"]))
    widths = [3 * cm] + [1.4 * cm] * len(steps)
    extra = [("BACKGROUND", (n + 1, 0), (n + 1, 0), heat_color(s)) for n, s in enumerate(steps)]
    extra.append(("LINEBELOW", (0, 0), (-1, -1), 0, colors.white))
    return table([row], widths, header=False, zebra=False, extra=extra)


def _heat_map(summary: Any, lang: str, st: dict) -> list:
    model = summary.model
    positions = _heat_positions(summary, lang)
    domains = list(model.domains)
    out = [CondPageBreak(6 * cm),
           Text(_("Positions × domains: share below target"), st["h1"]),
           Text(_("Each cell: the share of the people in that position who are below "
                  "the target in that domain; n = people assessed. The darker the "
                  "cell, the larger the share."), st["small"])]
    if not positions or not domains:
        return out + [Text(_("No results"), st["body"])]
    col = (FRAME_WIDTH - POSITION_COLUMN) / len(domains)
    head_style = ParagraphStyle("heat_head", st["cell_head"], alignment=TA_CENTER)
    names = [d.name.get(lang) for d in domains]
    numbered = not _heads_fit(col)
    header = [Text(_("Position"), st["cell_head"])]
    header += [Text(str(n), head_style) if numbered else VerticalLabel(name)
               for n, name in enumerate(names, 1)]
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
    for r, (position_id, position_name) in enumerate(positions, 1):
        row: list = [Text(position_name, position_style)]
        for c, domain in enumerate(domains, 1):
            below, assessed = summary.heat.get((position_id, domain.id), (0, 0))
            if not assessed:
                row.append(DASH)
                extra.append(("BACKGROUND", (c, r), (c, r), HEAT_EMPTY))
                continue
            share = below / assessed
            fill = heat_color(share)
            row.append(f"{_pct(share)}\nn = {_int(assessed)}")
            extra.append(("BACKGROUND", (c, r), (c, r), fill))
            if _dark(fill):
                extra.append(("TEXTCOLOR", (c, r), (c, r), colors.white))
        rows.append(row)
    out.append(table(rows, [POSITION_COLUMN] + [col] * len(domains), zebra=False, extra=extra))
    out.append(Spacer(1, 4))
    out.append(_heat_legend(st))
    if numbered:
        out.append(Spacer(1, 4))
        out += [Text(f"{n}. {name}", st["small"]) for n, name in enumerate(names, 1)]
    return out


# -- training needs --------------------------------------------------------------------------------

def _needs(summary: Any, lang: str, class_size: int, entitlement_jp: int, st: dict) -> list:
    model = summary.model
    needed = _needed(summary)
    out = [CondPageBreak(6 * cm), Text(_("Prioritised training needs"), st["h1"])]
    if not needed:
        out.append(Text(_("No training needs: everyone meets the targets."),
                        st["body"]))
    else:
        out.append(Text(_(
            "Modules ordered by the number of people who need them. Suggested classes: the "
            "people divided by a class size of %(size)d, rounded up.", size=class_size),
            st["small"]))
        head = [_("No."), _("Module and domain"), _("Mode"), _("JP per person"), _("People"),
                _("Total JP"), _("Classes")]
        fixed = [1.0, 2.0, 1.6, 1.9, 1.7, 1.5]  # "Pegawai" fits its column
        widths = [fixed[0] * cm, FRAME_WIDTH - sum(fixed) * cm] + [w * cm for w in fixed[1:]]
        rows = [_head_row(head, st, right=(0, 3, 4, 5, 6))]
        total_classes = 0
        for rank, (need, module) in enumerate(needed, 1):
            classes = math.ceil(need.headcount / class_size)
            total_classes += classes
            try:
                domain = model.domain(module.domain_id).name.get(lang)
            except KeyError:
                domain = module.domain_id
            mode = mode_label(module.mode)
            rows.append([_int(rank),
                         [Text(module.title.get(lang), st["cell"]),
                          Text(domain, st["cell_note"])],
                         mode if _fits(mode, st["cell"], widths[2]) else Text(mode, st["cell"]),
                         _int(module.jp), _int(need.headcount), _int(module.jp * need.headcount),
                         _int(classes)])
        rows.append([Text("", st["cell"]), Text(_("Total"), st["cell_head"]),
                     "", "", "",
                     Text(_int(needed_jp(summary)), st["cell_head_right"]),
                     Text(_int(total_classes), st["cell_head_right"])])
        out.append(table(rows, widths, right=(0, 3, 4, 5, 6),
                         extra=[("LINEABOVE", (0, -1), (-1, -1), 0.8, "#4a5568")]))
    out += _entitlement(summary, entitlement_jp, st)
    return out


def needed_jp(summary: Any) -> int:
    """JP the unit's training needs add up to: JP per person × people, over every module."""
    return sum(module.jp * need.headcount for need, module in _needed(summary))


def _entitlement(summary: Any, entitlement_jp: int, st: dict) -> list:
    needed = needed_jp(summary)
    available = entitlement_jp * summary.assessed
    rows = [
        (_("JP needed for the modules above"), _int(needed)),
        (_("People assessed"), _int(summary.assessed)),
        (_("Entitlement per person a year"), _("%(jp)s JP", jp=_int(entitlement_jp))),
        (_("Entitlement of the people assessed"), _("%(jp)s JP", jp=_int(available))),
        (_("Share of the entitlement needed"), _pct(needed / available) if available else DASH),
    ]
    data = [[Text(label, st["cell"]), Text(value, st["cell_right"])]
            for label, value in rows]
    if not available:
        verdict = ""
    elif needed <= available:
        verdict = _("The training needs fit within the yearly entitlement of the people "
                    "assessed.")
    else:
        verdict = _("The training needs exceed the yearly entitlement of the people assessed: "
                    "start with the modules at the top of the list, or spread the plan over "
                    "more than one year.")
    block = [Text(_("Training hours against the entitlement"), st["h2"]),
             Text(_("Every civil servant is entitled to at least %(jp)d JP of "
                    "competency development a year.", jp=entitlement_jp), st["small"]),
             table(data, [FRAME_WIDTH - 4 * cm, 4 * cm], header=False)]
    if verdict:
        block.append(Spacer(1, 4))
        block.append(Text(verdict, st["body"]))
    return [Spacer(1, 6), KeepText(block)]


# -- appendix -------------------------------------------------------------------------------------

def _appendix(summary: Any, lang: str, appendix: list[Mapping[str, Any]], st: dict) -> list:
    out = [PageBreak(), Text(_("Appendix: people per module"), st["h1"])]
    order = {need.module_id: n for n, need in enumerate(summary.needs)}
    entries = sorted((e for e in appendix if e.get("people")),
                     key=lambda e: (order.get(e["module_id"], len(order)), str(e["module_id"])))
    if not entries:
        return out + [Text(_("Nobody needs a module."), st["body"])]
    for entry in entries:
        module_id = entry["module_id"]
        title = module_id
        if summary.model is not None:
            try:
                title = summary.model.module(module_id).title.get(lang)
            except KeyError:
                pass
        people = entry["people"]
        rows = [_head_row([_("Name"), _("NIP"), _("Unit")], st)]
        rows += [[Text(p.get("name") or DASH, st["cell"]),
                  Text(p.get("nip") or DASH, st["cell"]),
                  Text(p.get("unit") or DASH, st["cell"])] for p in people]
        head = Text(ngettext("%(module)s (%(num)d person)", "%(module)s (%(num)d people)",
                             len(people), module=title), st["h2"])
        widths = [6.2 * cm, 4 * cm, FRAME_WIDTH - 10.2 * cm]
        out += [CondPageBreak(3 * cm), head, table(rows, widths)]
    return out


# -- the document -----------------------------------------------------------------------------------

def build_unit_pdf(summary: Any, lang: str, *, class_size: int, entitlement_jp: int,
                   appendix: list[dict] | None, generated_at: datetime) -> bytes:
    """The unit's training-needs analysis (AKPK) as PDF bytes.

    ``summary``: ``services.unit_reports.UnitSummary``. ``class_size``: people per class for the
    suggested number of classes. ``entitlement_jp``: the yearly JP each person is entitled to.
    ``appendix``: None for no appendix, else [{"module_id", "people": [{"name", "nip",
    "unit"}]}] (listed in the order of the needs). Without results the PDF still builds: cover,
    participation and a sentence saying there is no data yet.
    """
    token = _REPORT_LOCALE.set(str(get_locale()))
    try:
        return _build_unit_pdf(summary, _lang(lang), class_size=max(1, int(class_size)),
                               entitlement_jp=entitlement_jp, appendix=appendix, generated_at=generated_at)
    finally:
        _REPORT_LOCALE.reset(token)


def _build_unit_pdf(summary: Any, lang: str, *, class_size: int, entitlement_jp: int,
                    appendix: list[dict] | None, generated_at: datetime) -> bytes:
    st = styles()
    st["cell_note"] = ParagraphStyle("cell_note", st["small"], fontSize=7.5, leading=9.5,
                                     spaceAfter=0)
    unit = summary.filters.unit
    story = _cover(summary, lang, appendix is not None, generated_at, st)
    story += _participation(summary, st)
    if _has_results(summary):
        story += _levels(summary, lang, st)
        story += _heat_map(summary, lang, st)
        story += _needs(summary, lang, class_size, entitlement_jp, st)
    else:
        story.append(Spacer(1, 8))
        story.append(Text(_("No submitted assessments yet for these filters."),
                          st["body"]))
    story.append(Text(disclaimer(), st["note"]))
    if appendix is not None:
        story += _appendix(summary, lang, appendix, st)
    title = report_title()
    furniture = Furniture(
        header_left="Swanilai · AKPK",
        header_right=f"{unit.name} ({unit.code})",
        footer_left=_("Generated on %(date)s", date=_date(generated_at)),
        page_label=_page_label())
    subject = summary.model.title.get(lang) if summary.model is not None else title
    return build_pdf(story, furniture, title=f"{title}: {unit.name}", author="Swanilai",
                     subject=subject, lang=lang)
