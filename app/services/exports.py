"""Tables HR can take away, as CSV or XLSX: results per person and domain, the training needs
per module (year 1 and later years), who needs which module (with plan year and class), and the
year-1 plan with its budget; and a workbook of all four.

Every table is a list of typed columns: the XLSX writes numbers and dates as typed cells with a
number format, a bold filled header row that wraps, frozen below the header, columns as wide as
their contents; the CSV writes the same values in the reader's dialect (comma and decimal point,
or semicolon and decimal comma: ``csv_files``). Labels, never codes: modes, routes, funding and
statuses in the person's language, positions and domains by name (a module keeps its id next to
its title: the realisation import names modules by id). Text cells a spreadsheet would run as
formulas are neutralised (``csv_files.safe_cell``) while numbers stay numbers. The plan sheet
reads ``unit_plans.figures_of``, as the page and the PDF do."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain, islice
from typing import Any, Callable, Iterable, Iterator

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from ..engine import questionnaire as engine
from ..engine.budget import CLASSICAL, PER_CLASS, classes, spec_for
from ..extensions import db
from ..models import Assessment, DomainResult, PlanStatus, QuestionnaireVersion, Unit, User
from ..reports.figures import mode_label
from ..reports.unit_data import UnitSummary
from . import module_people, unit_plans
from .csv_files import COMMA, SEMICOLON, safe_cell, stream_csv
from .errors import ServiceError
from .questionnaires import parsed
from .unit_reports import Filters, assessment_conditions, summarise

WORKBOOK = "workbook"
TABLES = ("results", "needs", "module-people", "plan", WORKBOOK)
FORMATS = ("csv", "xlsx")
#: The ``sep`` argument of a CSV download.
SEPARATORS = {"semicolon": SEMICOLON, "comma": COMMA}
# Rows of one XLSX download, built in memory within the request (openpyxl, about 10 µs a cell):
# 100,000 rows are 12,500 people of the shipped questionnaire, some 12 s. Larger: the CSV, which
# streams.
XLSX_MAX_ROWS = 100_000
MIMETYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def offered(table: str, fmt: str) -> bool:
    """Whether the download exists: every table as CSV or XLSX, the workbook as XLSX only."""
    return table in TABLES and fmt in FORMATS and not (table == WORKBOOK and fmt != "xlsx")


# -- columns and sheets ----------------------------------------------------------------------

TEXT, INTEGER, COUNT, DECIMAL, DAY, RUPIAH = "text", "integer", "count", "decimal", "day", "rupiah"
#: Excel number formats (codes, not locale texts: Excel shows them with the reader's separators).
NUMBER_FORMATS = {INTEGER: "0", COUNT: "#,##0", DECIMAL: "0.00", DAY: "yyyy-mm-dd", RUPIAH: "#,##0"}
MIN_WIDTH, MAX_WIDTH = 6, 60
WIDTH_SAMPLE = 500  # rows read ahead to size the columns; the rest streams
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", start_color="1F4E79", end_color="1F4E79")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: Iterable[list[Any]]
    #: Rows under the table (totals, the ceiling): (label, value, kind) in the first two columns.
    footer: list[tuple[str, Any, str]] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return [column.title for column in self.columns]


class _Names:
    """The names of one version's positions, domains and levels in one language, read once: a
    row then costs three dictionary lookups, not a scan of the model's lists."""

    def __init__(self, model: engine.Questionnaire, lang: str):
        self.positions = {p.id: p.name.get(lang) for p in model.positions}
        self.domains = {d.id: d.name.get(lang) for d in model.domains}
        self.levels = {level.level: level.name.get(lang) for level in model.scale}


# -- results -----------------------------------------------------------------------------------

def results_columns() -> list[Column]:
    return [Column(_("NIP")), Column(_("Name")), Column(_("Unit")), Column(_("Position")), Column(_("Domain")),
            Column(_("Score"), DECIMAL), Column(_("Level"), INTEGER), Column(_("Level name")),
            Column(_("Target"), INTEGER), Column(_("Gap"), INTEGER), Column(_("Questionnaire version"), INTEGER),
            Column(_("Submitted"), DAY)]


def results_header() -> list[str]:
    return [column.title for column in results_columns()]


def result_rows(filters: Filters, lang: str) -> Iterator[list[Any]]:
    """One row per person and domain, streamed from one query; the submit day as a date."""
    names: dict[int, _Names] = {}
    statement = (select(User.nip, User.name, Unit.name, Assessment.position_id, DomainResult.domain_id,
                        DomainResult.score, DomainResult.level, DomainResult.target, DomainResult.gap,
                        Assessment.version_id, QuestionnaireVersion.number, Assessment.submitted_at)
                 .join(Assessment, Assessment.id == DomainResult.assessment_id)
                 .join(User, User.id == Assessment.user_id)
                 .join(Unit, Unit.id == Assessment.unit_id)
                 .join(QuestionnaireVersion, QuestionnaireVersion.id == Assessment.version_id)
                 .where(*assessment_conditions(filters))
                 .order_by(Unit.name, User.name, Assessment.id, DomainResult.id))
    for nip, name, unit, position, domain_id, score, level, target, gap, version_id, number, submitted in \
            db.session.execute(statement.execution_options(yield_per=2000)):
        of = names.get(version_id)
        if of is None:
            of = names[version_id] = _Names(parsed(db.session.get(QuestionnaireVersion, version_id)), lang)
        yield [nip, name, unit, of.positions.get(position, position), of.domains.get(domain_id, domain_id),
               score, level, of.levels.get(level, "") if level else "", target, gap, number,
               submitted.date() if submitted else None]


def result_row_count(filters: Filters) -> int:
    return db.session.scalar(select(func.count(DomainResult.id))
                             .join(Assessment, Assessment.id == DomainResult.assessment_id)
                             .where(*assessment_conditions(filters))) or 0


# -- labels ----------------------------------------------------------------------------------------

ROUTE_LABELS = {CLASSICAL: _l("Classical"), "non-classical": _l("Non-classical")}
FUNDING_LABELS = {"whole": _l("Funded"), "part": _l("Partly funded"), "none": _l("Not funded")}
STATUS_LABELS = {PlanStatus.DRAFT.value: _l("Draft"), PlanStatus.SET.value: _l("Set")}
COST_BASIS_LABELS = {PER_CLASS: _l("Per class"), "participant": _l("Per participant")}


def _label(labels: dict, code: str | None) -> str:
    label = labels.get(code)
    return str(label) if label is not None else (code or "")


def route_label(route: str) -> str:
    """"Klasikal" / "Nonklasikal" (Peraturan LAN No. 10 Tahun 2018) in the current language."""
    return _label(ROUTE_LABELS, route)


# -- the unit's figures, read once for every sheet of a download --------------------------------------

class UnitFigures:
    """The summary, the plan's figures and the modes in effect, computed when first asked for."""

    def __init__(self, filters: Filters, lang: str):
        self.filters, self.lang = filters, lang
        self._summary: UnitSummary | None = None
        self._figures: Any = None

    @property
    def summary(self) -> UnitSummary:
        if self._summary is None:
            self._summary = summarise(self.filters)
        return self._summary

    @property
    def model(self) -> engine.Questionnaire | None:
        return self.summary.model

    @property
    def figures(self) -> unit_plans.PlanFigures:
        """What the page and the PDF show of the plan: a set plan's frozen figures, else live ones."""
        if self._figures is None:
            plan = unit_plans.current_plan(self.filters.round, self.filters.unit)
            covered = unit_plans.plan_filters(self.filters)
            summary = self.summary if covered == self.filters else summarise(covered)
            self._figures = unit_plans.figures_of(summary, self.filters.unit, plan)
        return self._figures

    @property
    def modes(self) -> dict:
        """The unit's modes, with a set plan's frozen ones over them (so the classes agree)."""
        return {**unit_plans.modes_for(self.filters.unit, self.model), **self.figures.modes}

    def module_title(self, module_id: str) -> str:
        try:
            return self.model.module(module_id).title.get(self.lang)
        except (KeyError, AttributeError):
            return module_id

    def domain_name(self, domain_id: str) -> str:
        try:
            return self.model.domain(domain_id).name.get(self.lang)
        except (KeyError, AttributeError):
            return domain_id


# -- needs -----------------------------------------------------------------------------------------

def needs_columns() -> list[Column]:
    return [Column(_("Module")), Column(_("Title")), Column(_("Domain")), Column(_("Mode")),
            Column(_("JP per person"), COUNT), Column(_("People"), COUNT), Column(_("Total JP"), COUNT),
            Column(_("Classes"), COUNT), Column(_("Route")), Column(_("People in year 1"), COUNT),
            Column(_("Classes in year 1"), COUNT), Column(_("People in later years"), COUNT),
            Column(_("JP in later years"), COUNT)]


def needs_header() -> list[str]:
    return [column.title for column in needs_columns()]


def need_rows(filters: Filters, lang: str, unit: UnitFigures | None = None) -> list[list[Any]]:
    """One row per module: all plan years, then year 1 and the later years apart. Classes only
    for a mode run in classes (blank otherwise), of the mode's class size in this unit."""
    unit = unit or UnitFigures(filters, lang)
    summary = unit.summary
    if summary.model is None:
        return []
    modes = unit.modes
    first_year = {d.module_id: d.headcount for d in summary.needs_by_year.get(1, ())}
    later: dict[str, int] = {}
    for year, demands in summary.needs_by_year.items():
        if year > 1:
            for demand in demands:
                later[demand.module_id] = later.get(demand.module_id, 0) + demand.headcount
    rows = []
    for need in summary.needs:
        module = summary.model.module(need.module_id)
        spec = spec_for(module.mode, modes)
        year_one = first_year.get(module.id, 0)
        rows.append([module.id, module.title.get(lang), unit.domain_name(module.domain_id), mode_label(module.mode),
                     module.jp, need.headcount, need.total_jp, classes(need.headcount, spec),
                     route_label(spec.route), year_one, classes(year_one, spec) if year_one else None,
                     later.get(module.id, 0), later.get(module.id, 0) * module.jp])
    return rows


# -- who needs which module ------------------------------------------------------------------------

def module_people_columns() -> list[Column]:
    return [Column(_("Module")), Column(_("Title")), Column(_("Domain")), Column(_("Mode")), Column(_("NIP")),
            Column(_("Name")), Column(_("Unit")), Column(_("Position")), Column(_("Plan year"), INTEGER),
            Column(_("Class"), INTEGER)]


def module_people_rows(unit: UnitFigures, module_id: str | None = None) -> list[list[Any]]:
    """One row per person and module, in the appendix's order, with the plan year and the class
    number (blank for a mode without classes)."""
    rows = []
    for listed in module_people.module_lists(unit.filters, unit.summary, unit.modes, unit.lang,
                                             module_id=module_id):
        module = unit.model.module(listed.module_id)
        title, domain, mode = module.title.get(unit.lang), unit.domain_name(module.domain_id), mode_label(listed.mode)
        rows += [[module.id, title, domain, mode, p.nip, p.name, p.unit, p.position, p.year, p.class_number]
                 for p in listed.people]
    return rows


# -- the plan ----------------------------------------------------------------------------------------

def plan_columns() -> list[Column]:
    return [Column(_("Priority"), INTEGER), Column(_("Module")), Column(_("Title")), Column(_("Domain")),
            Column(_("Mode")), Column(_("Route")), Column(_("Provider")), Column(_("Quarter"), INTEGER),
            Column(_("JP per person"), COUNT), Column(_("People"), COUNT), Column(_("Classes"), COUNT),
            Column(_("Class size"), COUNT), Column(_("Cost basis")), Column(_("Unit cost (Rp)"), RUPIAH),
            Column(_("Cost (Rp)"), RUPIAH), Column(_("Funded people"), COUNT), Column(_("Funded cost (Rp)"), RUPIAH),
            Column(_("Unfunded people"), COUNT), Column(_("Unfunded cost (Rp)"), RUPIAH), Column(_("Funding"))]


def plan_rows(unit: UnitFigures) -> list[list[Any]]:
    """The year-1 budget lines in priority order, as the plan figures give them."""
    if unit.model is None:
        return []
    figures = unit.figures
    rows = []
    for rank, line in enumerate(figures.budget.lines, 1):
        need, spec = line.need, line.spec
        rows.append([rank, need.module_id, unit.module_title(need.module_id), unit.domain_name(need.domain_id),
                     mode_label(need.mode), route_label(spec.route), figures.providers.get(need.module_id) or "",
                     figures.quarters.get(need.module_id), need.jp, need.people, line.classes, spec.class_size,
                     _label(COST_BASIS_LABELS, spec.cost_per), spec.amount, line.cost, line.funded_people,
                     line.funded_cost, line.unfunded_people, line.unfunded_cost, _label(FUNDING_LABELS, line.funded)])
    return rows


def plan_footer(unit: UnitFigures) -> list[tuple[str, Any, str]]:
    """Under the plan: its status, the totals and what the ceiling leaves."""
    if unit.model is None:
        return []
    budget = unit.figures.budget
    return [(_("Plan status"), _label(STATUS_LABELS, unit.figures.status), TEXT),
            (_("Total cost (Rp)"), budget.total, RUPIAH),
            (_("Budget ceiling (Rp)"), budget.ceiling, RUPIAH),
            (_("Funded (Rp)"), budget.funded, RUPIAH),
            (_("Unfunded (Rp)"), budget.unfunded, RUPIAH),
            (_("Left of the ceiling (Rp)"), budget.remaining, RUPIAH)]


# -- the sheets of a download ----------------------------------------------------------------------

def sheets(table: str, filters: Filters, lang: str) -> list[Sheet]:
    """The sheets of ``table`` (the workbook: all four, results first)."""
    unit = UnitFigures(filters, lang)
    makers: dict[str, Callable[[], Sheet]] = {
        "results": lambda: Sheet(_("Results"), results_columns(), result_rows(filters, lang)),
        "needs": lambda: Sheet(_("Training needs"), needs_columns(), need_rows(filters, lang, unit)),
        "module-people": lambda: Sheet(_("Who needs which module"), module_people_columns(),
                                       module_people_rows(unit)),
        "plan": lambda: Sheet(_("Plan and budget"), plan_columns(), plan_rows(unit), plan_footer(unit)),
    }
    chosen = [name for name in makers if name != WORKBOOK] if table == WORKBOOK else [table]
    return [makers[name]() for name in chosen]


def check_xlsx_size(table: str, filters: Filters) -> None:
    """Refuse, before any work, an XLSX that would hold more than XLSX_MAX_ROWS rows: it is built in
    memory within one request. (The needs and plan tables have one row per module and are small.)"""
    count = 0
    if table in ("results", WORKBOOK):
        count += result_row_count(filters)
    if table in ("module-people", WORKBOOK):
        count += module_people.row_count(filters)
    if count > XLSX_MAX_ROWS:
        raise ExportTooLarge(_l("This export has %(count)s rows; an XLSX download holds at most %(max)s. "
                                "Download the CSV, which has every row, or narrow the filters (a unit below, a "
                                "position, dates).", count=format_decimal(count, format="#,##0"),
                                max=format_decimal(XLSX_MAX_ROWS, format="#,##0")))


def export_table(table: str, fmt: str, filters: Filters, lang: str, *, sep: str = COMMA):
    """(body, mimetype); the CSV body is an iterator so large units stream. ``sep``: the CSV's
    separator ("," with decimal points, ";" with decimal commas)."""
    if not offered(table, fmt):
        raise ServiceError(_l("There is no such export."))
    if fmt == "csv":
        (sheet,) = sheets(table, filters, lang)
        return stream_csv(sheet.header, chain(sheet.rows, _footer_rows(sheet)), sep=sep), MIMETYPES["csv"]
    check_xlsx_size(table, filters)
    return workbook_bytes(sheets(table, filters, lang)), MIMETYPES["xlsx"]


def _footer_rows(sheet: Sheet) -> Iterator[list[Any]]:
    if sheet.footer:
        yield []
        for label, value, _kind in sheet.footer:
            yield [label, value]


# -- writing XLSX ------------------------------------------------------------------------------------

def xlsx_bytes(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """A table of untyped columns as a workbook of one sheet: numbers stay numbers, dates dates
    (their kind is read from the values); every text through ``safe_cell``."""
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    columns = [Column(h, _kind_of([row[n] for row in sample if n < len(row)])) for n, h in enumerate(header)]
    return workbook_bytes([Sheet(title, columns, chain(sample, rows))])


def _kind_of(values: list[Any]) -> str:
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, (date, datetime)) for v in present):
        return DAY
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return COUNT
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return DECIMAL
    return TEXT


def workbook_bytes(sheets_: list[Sheet]) -> bytes:
    """The sheets as one workbook (openpyxl, write-only), the first sheet active."""
    workbook = Workbook(write_only=True)
    for sheet in sheets_:
        _write_sheet(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    """A sheet name Excel takes: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in str(title)).strip("' ")
    return (cleaned or "Sheet")[:31]


def _write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    ws = workbook.create_sheet(_sheet_title(sheet.title))
    rows = _safe_rows(sheet.rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    for n, width in enumerate(_widths(sheet, sample), 1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A2"
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=safe_cell(column.title))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        header.append(cell)
    ws.append(header)
    typed = _TypedCells(ws, sheet.columns)
    for row in chain(sample, rows):
        ws.append(typed.row(row))
    if sheet.footer:
        ws.append([])
        for label, value, kind in sheet.footer:
            label_cell = WriteOnlyCell(ws, value=safe_cell(label))
            label_cell.font = Font(bold=True)
            value_cell = WriteOnlyCell(ws, value=safe_cell(value))
            if kind in NUMBER_FORMATS:
                value_cell.number_format = NUMBER_FORMATS[kind]
            ws.append([label_cell, value_cell])


class _TypedCells:
    """One styled cell per number or date column, reused row after row: the write-only sheet
    writes a row out as it is appended, so a column's number format costs nothing per row."""

    def __init__(self, ws, columns: list[Column]):
        self.cells: list[Any] = []
        for column in columns:
            cell = None
            if column.kind in NUMBER_FORMATS:
                cell = WriteOnlyCell(ws)
                cell.number_format = NUMBER_FORMATS[column.kind]
            self.cells.append(cell)

    def row(self, values: list[Any]) -> list[Any]:
        out = []
        for n, value in enumerate(values):
            cell = self.cells[n] if n < len(self.cells) else None
            if cell is None or value is None or isinstance(value, (str, bool)):
                out.append(value)
            else:
                cell.value = value
                out.append(cell)
        return out


def _widths(sheet: Sheet, sample: list[list[Any]]) -> list[float]:
    """Each column as wide as its longest value in the sample (a date: 11), at least the
    header's longest word (the header wraps), within MIN_WIDTH..MAX_WIDTH."""
    widths = []
    for n, column in enumerate(sheet.columns):
        longest = max((len(word) for word in str(column.title).split()), default=0)
        for row in sample:
            if n < len(row) and row[n] is not None:
                value = row[n]
                length = 11 if isinstance(value, (date, datetime)) else max(
                    (len(line) for line in str(value).splitlines()), default=0)
                longest = max(longest, length)
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))))
    if sheet.footer and widths:
        widths[0] = float(min(MAX_WIDTH, max(widths[0], *(len(label) + 2 for label, _v, _k in sheet.footer))))
    return widths


def _safe_rows(rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """Every cell through ``safe_cell``, each distinct text once: a unit, position, domain or
    level name repeats on thousands of rows, and a person's name and NIP on one row per domain."""
    done: dict[str, Any] = {}
    for row in rows:
        out = []
        for value in row:
            if type(value) is str:
                safe = done.get(value)
                if safe is None:
                    safe = done[value] = safe_cell(value)
                out.append(safe)
            else:
                out.append(safe_cell(value))
        yield out


class ExportTooLarge(ServiceError):
    """An XLSX export over XLSX_MAX_ROWS; the CSV of the same table streams any size."""
