"""`flask report …`, `flask export …` and `flask retention …`: work that offices run on a schedule."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from ..extensions import db
from ..models import Assessment
from ..reports.personal import build_personal_pdf
from ..services import audit, pending
from ..services.assessments import SUBMITTED
from ..services.errors import ServiceError
from ..services.privacy import apply_retention
from ..services.exports import FORMATS, TABLES, export_table
from ..services.reports import personal_report, unit_report_pdf
from ..services.unit_reports import Filters, parse_filters
from ..services.units import unit_by_code


@click.group("report", help="Write reports to files.")
def report_cli() -> None:
    pass


@report_cli.command("individual")
@click.argument("assessment_id", type=int)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@with_appcontext
def individual(assessment_id: int, output: Path, lang: str) -> None:
    """The personal training-gap report of a submitted assessment."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or assessment.status != SUBMITTED:
        raise click.ClickException(f"Asesmen {assessment_id} tidak ada atau belum dikirim.")
    with force_locale(lang):
        body = build_personal_pdf(personal_report(assessment, lang))
    output.write_bytes(body)
    audit.record("report.individual", actor_id=None, target_type="assessment", target_id=assessment.id,
                 details={"lang": lang, "via": "cli"}, ip="cli")
    db.session.commit()
    click.echo(f"{output} ({len(body)} bytes)")


def unit_filters(unit_code: str, position: str | None, version: int | None, date_from: str | None,
                 date_to: str | None, round_id: str | None = None) -> Filters:
    unit = unit_by_code(unit_code)
    if unit is None:
        raise click.ClickException(f"Unit {unit_code} tidak ada.")
    args = {"position": position or "", "version": str(version or ""), "from": date_from or "", "to": date_to or "",
            "round": round_id or ""}
    try:
        return parse_filters(args, unit)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None


def filter_options(command):
    for option in reversed([
        click.option("--round", "round_id", help="The round, by its id, or 'none' for assessments outside any "
                                                 "round (default: the newest round of the unit)."),
        click.option("--position", help="Only this position profile id."),
        click.option("--version-id", "version", type=int,
                     help="Only this questionnaire version, by its id (as the dashboard's filter; "
                          "`questionnaire export --version` takes a version number)."),
        click.option("--from", "date_from", help="Submitted on or after YYYY-MM-DD."),
        click.option("--to", "date_to", help="Submitted on or before YYYY-MM-DD."),
        click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True),
    ]):
        command = option(command)
    return command


@report_cli.command("unit")
@click.argument("unit_code")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--appendix", is_flag=True, help="Add the list of people who need each module.")
@filter_options
@with_appcontext
def unit_report(unit_code, output, appendix, round_id, position, version, date_from, date_to, lang) -> None:
    """The unit's training-needs analysis (AKPK) of a round as PDF."""
    filters = unit_filters(unit_code, position, version, date_from, date_to, round_id)
    body = unit_report_pdf(filters, lang, appendix=appendix)
    output.write_bytes(body)
    record_unit_file("report.unit", filters, appendix=appendix)
    click.echo(f"{output} ({len(body)} bytes)")


def record_unit_file(action: str, filters, **details) -> None:
    """The audit line of a unit report or export written from the command line."""
    audit.record(action, actor_id=None, target_type="unit", target_id=filters.unit.id,
                 details={**filters.describe(), **details, "via": "cli"}, ip="cli")
    db.session.commit()


@click.group("export", help="Export tables to files.")
def export_cli() -> None:
    pass


@export_cli.command("unit")
@click.argument("unit_code")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("--table", type=click.Choice(TABLES), default="results", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@filter_options
@with_appcontext
def unit_export(unit_code, fmt, table, output, round_id, position, version, date_from, date_to, lang) -> None:
    """Results per person and domain, or the training needs, of a round as CSV or XLSX."""
    filters = unit_filters(unit_code, position, version, date_from, date_to, round_id)
    try:
        body, _mimetype = export_table(table, fmt, filters, lang)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    with output.open("wb") as handle:
        for chunk in ([body] if isinstance(body, bytes) else body):
            handle.write(chunk)
    record_unit_file("export." + table, filters, format=fmt)
    click.echo(f"{output}")


@click.group("retention", help="Apply the data-retention period.")
def retention_cli() -> None:
    pass


@retention_cli.command("apply")
@click.option("--months", type=click.IntRange(1, 1200), help="Override RETENTION_MONTHS.")
@click.option("--dry-run", is_flag=True, help="Only count what would be anonymised.")
@with_appcontext
def retention_apply(months: int | None, dry_run: bool) -> None:
    """Anonymise assessments older than the retention period (their scores stay in unit figures)."""
    period = months or current_app.config["RETENTION_MONTHS"]
    count = apply_retention(period, dry_run=dry_run)
    purged = 0 if dry_run else pending.purge()
    db.session.commit()
    verb = "akan dianonimkan" if dry_run else "dianonimkan"
    click.echo(f"{count} penilaian lebih tua dari {period} bulan {verb}.")
    if purged:
        click.echo(f"{purged} jawaban titipan dari sesi yang berakhir lebih dari 2 hari lalu dihapus.")
