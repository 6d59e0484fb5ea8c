"""The schema comes from Alembic migrations: one head, up from empty, and equal to the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import ROOT, create_app
from app.extensions import db


def script_directory():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(cfg)


def test_there_is_a_single_migration_head():
    assert len(script_directory().get_heads()) == 1


def test_migrated_schema_matches_the_models(app):
    """The session database was built by `upgrade()` (SQLite or PostgreSQL); no model change may
    be missing a migration."""
    with app.app_context():
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_upgrade_from_empty_and_downgrade_to_base_on_sqlite(tmp_path):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}"})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"units", "users", "user_roles", "invitations", "login_sessions", "questionnaires",
                "questionnaire_versions", "assessments", "answers", "domain_results", "plan_entries",
                "audit_events"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
