"""Tables HR can take away: results per person and domain, and the training needs, as CSV or
XLSX. Headers in the person's language; cells that a spreadsheet would run as formulas are
neutralised while numbers stay numbers."""

from __future__ import annotations

import io
import math
from typing import Any, Iterator

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select

from ..engine import questionnaire as engine
from ..extensions import db
from ..models import Assessment, DomainResult, PlanEntry, QuestionnaireVersion, Unit, User, utcnow
from ..reports.unit import build_unit_pdf
from .csv_files import safe_cell, stream_csv
from .questionnaires import parsed
from .unit_reports import Filters, assessment_conditions, summarise

TABLES = ("results", "needs")
FORMATS = ("csv", "xlsx")
MIMETYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def results_header() -> list[str]:
    return [_("NIP"), _("Name"), _("Unit"), _("Position"), _("Domain"), _("Score"), _("Level"), _("Level name"),
            _("Target"), _("Gap"), _("Questionnaire version"), _("Submitted")]


def result_rows(filters: Filters, lang: str) -> Iterator[list[Any]]:
    """One row per person and domain, streamed from one query."""
    models: dict[int, engine.Questionnaire] = {}
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
        if version_id not in models:
            models[version_id] = parsed(db.session.get(QuestionnaireVersion, version_id))
        model = models[version_id]
        yield [nip, name, unit, _name(model.positions, position, lang), _name(model.domains, domain_id, lang),
               score, level, model.level_name(level, lang) if level else "", target, gap, number,
               submitted.strftime("%Y-%m-%d") if submitted else ""]


def _name(things, wanted: str, lang: str) -> str:
    return next((thing.name.get(lang) for thing in things if thing.id == wanted), wanted)


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


def xlsx_bytes(title: str, header: list[str], rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_table(table: str, fmt: str, filters: Filters, lang: str):
    """(body, mimetype); the CSV body is an iterator so large units stream."""
    header, rows = ((results_header(), result_rows(filters, lang)) if table == "results"
                    else (needs_header(), need_rows(filters, lang)))
    if fmt == "csv":
        return stream_csv(header, rows), MIMETYPES["csv"]
    return xlsx_bytes(_("Results") if table == "results" else _("Training needs"), header, rows), MIMETYPES["xlsx"]


def module_people(filters: Filters) -> list[dict[str, Any]]:
    """Who needs which module, for the report's optional appendix (names are listed, not counted)."""
    rows = db.session.execute(
        select(PlanEntry.module_id, User.name, User.nip, Unit.name)
        .join(Assessment, Assessment.id == PlanEntry.assessment_id)
        .join(User, User.id == Assessment.user_id)
        .join(Unit, Unit.id == Assessment.unit_id)
        .where(*assessment_conditions(filters))
        .order_by(PlanEntry.module_id, User.name)).all()
    grouped: dict[str, list[dict[str, str]]] = {}
    for module_id, name, nip, unit in rows:
        grouped.setdefault(module_id, []).append({"name": name, "nip": nip, "unit": unit})
    return [{"module_id": module_id, "people": people} for module_id, people in grouped.items()]


def unit_report_pdf(filters: Filters, lang: str, *, appendix: bool) -> bytes:
    """The unit's training-needs analysis (AKPK) as PDF; the caller records the download."""
    config = current_app.config
    with force_locale(lang):
        return build_unit_pdf(summarise(filters), lang, class_size=config["CLASS_SIZE"],
                              entitlement_jp=config["TRAINING_ENTITLEMENT_JP"],
                              appendix=module_people(filters) if appendix else None, generated_at=utcnow())
