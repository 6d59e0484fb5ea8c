"""`flask units …` and `flask users …`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..web.links import invitation_url, invitations_csv
from ..services.csv_files import CsvImportRefused
from ..services.errors import ServiceError
from ..services.passwords import check_policy, hash_password
from ..services.questionnaires import known_positions
from ..services.units import create_unit, import_units, require_unit
from ..services.users import ALL_ROLES, EMPLOYMENT_TYPES, Authority, UserInput, check_user, create_user, \
    import_employees

COMMAND_LINE = Authority(actor_id=None, scope=None, assignable_roles=frozenset(ALL_ROLES), ip="cli")


def fail(message) -> None:
    db.session.rollback()
    raise click.ClickException(str(message))


def report_csv_problems(refused: CsvImportRefused) -> None:
    db.session.rollback()
    for problem in refused.problems:
        click.echo(f"baris {problem.line}: {problem.message}", err=True)
    raise click.ClickException(str(refused.message))


@click.group("units", help="Manage units.")
def units_cli() -> None:
    pass


@units_cli.command("create")
@click.argument("code")
@click.argument("name")
@click.option("--parent", "parent_code", help="Code of the unit above this one.")
@with_appcontext
def units_create(code: str, name: str, parent_code: str | None) -> None:
    """Create a unit CODE called NAME."""
    try:
        parent = require_unit(parent_code) if parent_code else None
        unit = create_unit(code, name, parent, actor_id=None, ip="cli")
    except ServiceError as error:
        fail(error.message)
    db.session.commit()
    click.echo(f"Unit {unit.code} dibuat: {unit.name}")


@units_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def units_import(file: Path) -> None:
    """Create units from a CSV file with columns code, name, parent_code (all or nothing)."""
    try:
        created = import_units(file.read_bytes(), actor_id=None, ip="cli")
    except CsvImportRefused as refused:
        report_csv_problems(refused)
    db.session.commit()
    click.echo(f"{len(created)} unit diimpor.")


@click.group("users", help="Manage users.")
def users_cli() -> None:
    pass


def read_password(nip: str, email: str, name: str) -> str:
    """From standard input when it is not a terminal (scripts), otherwise a hidden prompt."""
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Kata sandi", hide_input=True, confirmation_prompt=True)
    try:
        check_policy(password, personal=(nip, email.split("@")[0], *name.split()))
    except ServiceError as error:
        fail(error.message)
    return password


@users_cli.command("create")
@click.option("--nip", required=True)
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--unit", "unit_code", required=True, help="Unit code.")
@click.option("--position", default="", help="Position profile id from the questionnaire.")
@click.option("--role", "roles", multiple=True, type=click.Choice(ALL_ROLES), default=("respondent",),
              show_default=True)
@click.option("--employment", "employment_type", type=click.Choice(EMPLOYMENT_TYPES, case_sensitive=False),
              default="pns", show_default=True,
              help="PNS or PPPK: the plan is compared with PNS_MIN_JP (at least) or PPPK_MAX_JP (at most) a year.")
@click.option("--invite", is_flag=True, help="Print an invitation link instead of asking for a password.")
@with_appcontext
def users_create(nip, name, email, unit_code, position, roles, employment_type, invite) -> None:
    """Create a user; the password is read from standard input or a prompt."""
    checked, problems = check_user(UserInput(nip, name, email, unit_code, position, set(roles), employment_type),
                                   COMMAND_LINE, known_positions())
    if checked is None:
        fail("\n".join(f"{field}: {message}" for field, message in problems))
    password = None if invite else read_password(checked.nip, checked.email, checked.name)
    user, invitation = create_user(checked, COMMAND_LINE, source="cli")
    if password is not None:
        user.password_hash = hash_password(password)
        invitation.used_at = invitation.created_at
    db.session.commit()
    click.echo(f"Pengguna {user.nip} ({user.name}, {user.employment_type.upper()}) dibuat dengan peran "
               f"{', '.join(sorted(user.roles))}.")
    if invite:
        click.echo(f"Tautan undangan: {invitation_url(invitation)}")


@users_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--links", "links_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the invitation links to this CSV file (default: standard output).")
@with_appcontext
def users_import(file: Path, links_file: Path | None) -> None:
    """Import employees from CSV (nip, name, email, unit_code, position, roles, employment); all or nothing."""
    try:
        created = import_employees(file.read_bytes(), COMMAND_LINE, known_positions())
    except CsvImportRefused as refused:
        report_csv_problems(refused)
    db.session.commit()
    body = invitations_csv([inv for _user, inv in created])
    if links_file:
        links_file.write_bytes(body)
        click.echo(f"{len(created)} pegawai diimpor; tautan undangan ditulis ke {links_file}.")
    else:
        click.echo(f"{len(created)} pegawai diimpor.", err=True)
        click.echo(body.decode("utf-8-sig"), nl=False)
