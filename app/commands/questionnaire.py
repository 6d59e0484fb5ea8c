"""`flask questionnaire …`: validate, summarise, try-score, import and export questionnaire files."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..engine import questionnaire as engine
from ..engine.answers import AnswersInvalid, check_answers
from ..engine.model import UnknownPosition
from ..engine.training import assess, result_to_dict
from ..extensions import db
from ..services.questionnaires import import_published, version_by_number

LANG = click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
                    help="Language of messages and texts.")


def read_questionnaire_file(path: Path) -> str:
    data = path.read_bytes()
    limit = current_app.config["QUESTIONNAIRE_MAX_BYTES"]
    if len(data) > limit:
        raise click.ClickException(f"File is {len(data)} bytes; the limit is {limit} bytes.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException("The file is not UTF-8 text.") from None


def load_or_fail(path: Path, lang: str) -> engine.Questionnaire:
    try:
        return engine.load(read_questionnaire_file(path), max_bytes=current_app.config["QUESTIONNAIRE_MAX_BYTES"])
    except engine.QuestionnaireInvalid as invalid:
        for problem in invalid.problems:
            click.echo(f"{path}:{problem.line}:{problem.column}: {problem.path}: {problem.message(lang)}", err=True)
        raise click.ClickException(f"{len(invalid.problems)} problem(s) in {path}.") from None


@click.group("questionnaire", help="Questionnaire files: validate, summary, score, import, export.")
def questionnaire_cli() -> None:
    pass


@questionnaire_cli.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@LANG
@with_appcontext
def validate(file: Path, lang: str) -> None:
    """Check FILE completely; exit 0 with a summary line, or list every problem and exit 1."""
    model = load_or_fail(file, lang)
    click.echo(f"OK {model.id}: {len(model.domains)} domains, {len(model.items)} items, "
               f"{len(model.positions)} positions, {len(model.modules)} modules")


def summary_of(model: engine.Questionnaire, lang: str) -> dict:
    return {
        "id": model.id,
        "title": model.title.get(lang),
        "levels": [{"level": level.level, "name": level.name.get(lang)} for level in model.scale],
        "domains": [{"id": d.id, "name": d.name.get(lang), "items": len(d.items)} for d in model.domains],
        "items": [{"id": i.id, "domain": i.domain_id, "type": i.type, "required": i.required,
                   "accepts": i.accepted_values()} for i in model.items],
        "positions": [{"id": p.id, "name": p.name.get(lang)} for p in model.positions],
        "modules": [{"id": m.id, "domain": m.domain_id, "from": m.from_level, "to": m.to_level, "jp": m.jp,
                     "mode": m.mode} for m in model.modules],
    }


@questionnaire_cli.command("summary")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@LANG
@with_appcontext
def summary(file: Path, as_json: bool, lang: str) -> None:
    """Domains, items (with the answers they accept), positions and modules of FILE."""
    data = summary_of(load_or_fail(file, lang), lang)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{data['id']}: {data['title']}")
    click.echo("Levels: " + ", ".join(f"{lv['level']} {lv['name']}" for lv in data["levels"]))
    for domain in data["domains"]:
        click.echo(f"\n[{domain['id']}] {domain['name']}")
        for item in (i for i in data["items"] if i["domain"] == domain["id"]):
            click.echo(f"  {item['id']:<32} {item['type']:<7} {'wajib' if item['required'] else 'opsional':<9}"
                       f" {item['accepts']}")
    click.echo("\nPositions: " + ", ".join(f"{p['id']} ({p['name']})" for p in data["positions"]))
    click.echo("Modules:")
    for m in data["modules"]:
        click.echo(f"  {m['id']:<28} {m['domain']:<16} {m['from']}→{m['to']} {m['jp']:>3} JP {m['mode']}")


@questionnaire_cli.command("score")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--answers", "answers_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON object: item id → answer.")
@click.option("--position", required=True, help="Position profile id.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@LANG
@with_appcontext
def score(file: Path, answers_file: Path, position: str, as_json: bool, lang: str) -> None:
    """Score ANSWERS against FILE for a position, without touching the database."""
    model = load_or_fail(file, lang)
    try:
        answers = json.loads(answers_file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{answers_file} is not valid JSON: {error}") from None
    if not isinstance(answers, dict):
        raise click.ClickException(f"{answers_file} must hold a JSON object: item id → answer.")
    try:
        checked = check_answers(model, answers)
        result = assess(model, checked, position)
    except AnswersInvalid as invalid:
        raise click.ClickException("\n".join(f"{item_id}: {error.message(lang)}"
                                             for item_id, error in invalid.errors.items())) from None
    except UnknownPosition:
        raise click.ClickException(f"Unknown position {position!r}; known: "
                                   + ", ".join(p.id for p in model.positions)) from None
    data = result_to_dict(model, result, lang)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    print_result(data)


def print_result(data: dict) -> None:
    for domain in data["domains"]:
        score_text = "—" if domain["score"] is None else f"{domain['score']:.1f}"
        gap_text = "—" if domain["gap"] is None else domain["gap"]
        click.echo(f"{domain['id']:<20} score {score_text:>5}  level {domain['level_name'] or '—':<12} "
                   f"target {domain['target_name']:<12} gap {gap_text}")
        for reason in domain["reasons"]:
            click.echo(f"    - {reason['text']}")
    plan = data["plan"]
    click.echo("Plan:")
    for module in plan["modules"]:
        click.echo(f"  {module['id']:<28} {module['jp']:>3} JP  {module['mode']:<11} {module['title']}")
    for unclosable in plan["unclosable"]:
        click.echo(f"  ! {unclosable['text']}")
    click.echo(plan["entitlement_note"])  # it opens with the total


@questionnaire_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@LANG
@with_appcontext
def import_file(file: Path, lang: str) -> None:
    """Store FILE as the next published version (nothing happens if it is already the newest)."""
    source = read_questionnaire_file(file)
    try:
        version, created = import_published(source, actor_id=None,
                                            max_bytes=current_app.config["QUESTIONNAIRE_MAX_BYTES"])
    except engine.QuestionnaireInvalid:
        db.session.rollback()
        load_or_fail(file, lang)
        raise
    db.session.commit()
    slug = version.questionnaire.slug
    if created:
        click.echo(f"{slug}: version {version.number} published.")
    else:
        click.echo(f"{slug}: unchanged, version {version.number} is already this content.")


@questionnaire_cli.command("export")
@click.argument("slug")
@click.option("--version", "number", type=int, help="Version number (default: the newest published).")
@with_appcontext
def export(slug: str, number: int | None) -> None:
    """Print the source of a stored version."""
    version = version_by_number(slug, number)
    if version is None:
        raise click.ClickException(f"No version {number or '(published)'} of questionnaire {slug!r}.")
    click.echo(version.source, nl=not version.source.endswith("\n"))
