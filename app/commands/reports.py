"""`flask report …`: reports written to files, for offices that run them on a schedule."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from ..extensions import db
from ..models import Assessment
from ..reports.personal import build_personal_pdf
from ..result_view import report_data
from ..services import audit
from ..services.assessments import SUBMITTED


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
        body = build_personal_pdf(report_data(assessment, lang))
    output.write_bytes(body)
    audit.record("report.individual", actor_id=None, target_type="assessment", target_id=assessment.id,
                 details={"lang": lang, "via": "cli"}, ip="cli")
    db.session.commit()
    click.echo(f"{output} ({len(body)} bytes)")
