"""Tables HR can take away: results per person and domain, and the training needs, as CSV or
XLSX. Headers in the person's language; cells that a spreadsheet would run as formulas are
neutralised while numbers stay numbers."""

from __future__ import annotations

import io
import math
from typing import Any, Iterable, Iterator

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import func, select

from ..engine import questionnaire as engine
from ..extensions import db
from ..models import Assessment, DomainResult, QuestionnaireVersion, Unit, User
from .csv_files import safe_cell, stream_csv
from .errors import ServiceError
from .questionnaires import parsed
from .unit_reports import Filters, assessment_conditions, summarise

TABLES = ("results", "needs")
FORMATS = ("csv", "xlsx")
# Rows of one XLSX download, built in memory within the request (openpyxl, about 10 µs a cell):
# 100,000 rows are 12,500 people of the shipped questionnaire, some 12 s. Larger: the CSV, which
# streams.
XLSX_MAX_ROWS = 100_000
MIMETYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def results_header() -> list[str]:
    return [_("NIP"), _("Name"), _("Unit"), _("Position"), _("Domain"), _("Score"), _("Level"), _("Level name"),
            _("Target"), _("Gap"), _("Questionnaire version"), _("Submitted")]


class _Names:
    """The names of one version's positions, domains and levels in one language, read once: a
    row then costs three dictionary lookups, not a scan of the model's lists."""

    def __init__(self, model: engine.Questionnaire, lang: str):
        self.positions = {p.id: p.name.get(lang) for p in model.positions}
        self.domains = {d.id: d.name.get(lang) for d in model.domains}
        self.levels = {level.level: level.name.get(lang) for level in model.scale}


def result_rows(filters: Filters, lang: str) -> Iterator[list[Any]]:
    """One row per person and domain, streamed from one query."""
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
               submitted.date().isoformat() if submitted else ""]


def needs_header() -> list[str]:
    return [_("Module"), _("Title"), _("Domain"), _("Mode"), _("JP per person"), _("People"), _("Total JP"),
            _("Classes")]


def need_rows(filters: Filters, lang: str) -> list[list[Any]]:
    summary = summarise(filters)
    if summary.model is None:
        return []
    class_size = current_app.config["CLASS_SIZE"]
    rows = []
    for need in summary.needs:
        module = summary.model.module(need.module_id)
        rows.append([module.id, module.title.get(lang), summary.model.domain(module.domain_id).name.get(lang),
                     module.mode, module.jp, need.headcount, need.total_jp, math.ceil(need.headcount / class_size)])
    return rows


def xlsx_bytes(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """The table as a workbook of one sheet (openpyxl, write-only), every cell through ``safe_cell``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([safe_cell(h) for h in header])
    for row in _safe_rows(rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def result_row_count(filters: Filters) -> int:
    return db.session.scalar(select(func.count(DomainResult.id))
                             .join(Assessment, Assessment.id == DomainResult.assessment_id)
                             .where(*assessment_conditions(filters))) or 0


def check_xlsx_size(table: str, filters: Filters) -> None:
    """Refuse, before any work, an XLSX that would hold more than XLSX_MAX_ROWS rows: it is built in
    memory within one request. (The needs table has one row per module and is always small.)"""
    if table != "results":
        return
    count = result_row_count(filters)
    if count > XLSX_MAX_ROWS:
        raise ExportTooLarge(_l("This export has %(count)s rows; an XLSX download holds at most %(max)s. "
                                "Download the CSV, which has every row, or narrow the filters (a unit below, a "
                                "position, dates).", count=format_decimal(count, format="#,##0"),
                                max=format_decimal(XLSX_MAX_ROWS, format="#,##0")))


def export_table(table: str, fmt: str, filters: Filters, lang: str):
    """(body, mimetype); the CSV body is an iterator so large units stream."""
    header, rows = ((results_header(), result_rows(filters, lang)) if table == "results"
                    else (needs_header(), need_rows(filters, lang)))
    if fmt == "csv":
        return stream_csv(header, rows), MIMETYPES["csv"]
    check_xlsx_size(table, filters)
    return xlsx_bytes(_("Results") if table == "results" else _("Training needs"), header, rows), MIMETYPES["xlsx"]
