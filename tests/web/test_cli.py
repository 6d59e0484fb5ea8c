"""The `flask` commands: they work as written and fail with a clear message and a non-zero exit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assessment, DomainResult, Round, Unit, User
from app.services.units import unit_by_code
from tests.pages import login

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def test_units_create_with_parent_and_errors(app, cli):
    assert cli.invoke(args=["units", "create", "PROV", "Provinsi"]).exit_code == 0
    result = cli.invoke(args=["units", "create", "DINAS", "Dinas", "--parent", "PROV"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert unit_by_code("DINAS").parent.code == "PROV"
    result = cli.invoke(args=["units", "create", "X", "X", "--parent", "NOPE"])
    assert result.exit_code != 0 and "NOPE" in result.output
    result = cli.invoke(args=["units", "create", "PROV", "Lagi"])
    assert result.exit_code != 0 and "PROV" in result.output


def test_units_import(app, cli, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,parent_code\nP,Provinsi,\nD,Dinas,P\n", encoding="utf-8")
    assert cli.invoke(args=["units", "import", str(path)]).exit_code == 0
    path.write_text("code,name,parent_code\nE,Dinas E,P\nE,Dup,P\n", encoding="utf-8")
    result = cli.invoke(args=["units", "import", str(path)])
    assert result.exit_code != 0 and "baris 3" in result.output
    with app.app_context():
        assert unit_by_code("E") is None


def test_users_create_reads_the_password_from_stdin(app, cli, client):
    cli.invoke(args=["units", "create", "PROV", "Provinsi"])
    result = cli.invoke(args=["users", "create", "--nip", "198001012005011001", "--name", "Ani Lestari",
                              "--email", "ani@contoh.go.id", "--unit", "PROV", "--role", "respondent",
                              "--role", "hr"], input="Kuat-sekali-2026\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.nip == "198001012005011001"))
        assert user.roles == {"respondent", "hr"}
    assert login(client, "198001012005011001", "Kuat-sekali-2026").status_code == 302


@pytest.mark.parametrize("args,stdin,expected", [
    (["--nip", "123"], "Kuat-sekali-2026\n", "nip"),
    (["--unit", "NOPE"], "Kuat-sekali-2026\n", "NOPE"),
    ([], "pendek\n", "10"),
])
def test_users_create_refuses_bad_input(app, cli, args, stdin, expected):
    cli.invoke(args=["units", "create", "PROV", "Provinsi"])
    base = {"--nip": "198001012005011001", "--name": "Ani", "--email": "ani@contoh.go.id", "--unit": "PROV"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    flat = [part for pair in base.items() for part in pair]
    result = cli.invoke(args=["users", "create", *flat], input=stdin)
    assert result.exit_code != 0
    assert expected in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_users_import_writes_links(app, cli, tmp_path):
    cli.invoke(args=["units", "create", "PROV", "Provinsi"])
    source = tmp_path / "pegawai.csv"
    source.write_text("nip,name,email,unit_code,position,roles\n"
                      "198001012005011001,Ani,ani@contoh.go.id,PROV,,\n", encoding="utf-8")
    links = tmp_path / "links.csv"
    result = cli.invoke(args=["users", "import", str(source), "--links", str(links)])
    assert result.exit_code == 0, result.output
    assert "/auth/invitation/" in links.read_text(encoding="utf-8-sig")
    source.write_text("nip,name,email,unit_code\n198001012005011002,Budi,budi@contoh.go.id,NOPE\n", encoding="utf-8")
    result = cli.invoke(args=["users", "import", str(source)])
    assert result.exit_code != 0 and "baris 2" in result.output


def test_seed_demo_creates_a_province_users_questionnaire_and_respondents(app, cli):
    result = cli.invoke(args=["seed-demo", "--respondents", "12"])
    assert result.exit_code == 0, result.output
    for role in ("admin", "hr", "trainer", "respondent"):
        assert role in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Unit.id))) >= 8
        submitted = db.session.scalar(select(func.count(Assessment.id)).where(Assessment.status == "submitted"))
        rounds = list(db.session.scalars(select(Round).order_by(Round.opens_on)))
        assert [r.closed_at is not None for r in rounds] == [True, True, False]
        assert 12 < submitted < 3 * 12  # nearly everyone in the two closed rounds, about half in the open one
        assert db.session.scalar(select(func.count(DomainResult.id))) == submitted * 8
        per_round = db.session.execute(select(Assessment.round_id, Assessment.user_id, func.count())
                                       .group_by(Assessment.round_id, Assessment.user_id)).all()
        assert all(count == 1 for *_key, count in per_round)  # one assessment per person per round
        assert f"{submitted} penilaian terkirim" in result.output
    again = cli.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "admin" in again.output


def test_seed_demo_works_when_the_instance_folder_does_not_exist(tmp_path, monkeypatch):
    """A fresh checkout with DATABASE_URL elsewhere has no instance/ folder: the demo makes it for
    the credentials file instead of ending in a traceback."""
    from flask_migrate import upgrade

    from app import create_app

    instance = tmp_path / "not-yet" / "instance"
    monkeypatch.setenv("SWANILAI_INSTANCE", str(instance))
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'elsewhere.db'}"})
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert (instance / "demo-credentials.txt").exists() and "approver" in result.output
    with app.app_context():
        db.engine.dispose()
