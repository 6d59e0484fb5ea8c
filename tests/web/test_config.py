"""Configuration classes, environment overrides and the production guard."""

from __future__ import annotations

import sqlite3

import pytest

import config
from app import create_app, normalise_database_url


def test_defaults_are_development_with_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SWANILAI_CONFIG", raising=False)
    monkeypatch.setenv("SWANILAI_INSTANCE", str(tmp_path))
    app = create_app()
    assert app.config["CONFIG_NAME"] == "DevelopmentConfig"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'swanilai.db'}"


def test_every_setting_can_come_from_the_environment():
    settings = config.load_config("development", {
        "DATABASE_URL": "postgresql://u@h/db", "PASSWORD_MIN_LENGTH": "14", "HSTS": "true",
        "LANGUAGES": "id,en", "SESSION_IDLE_MINUTES": "5", "UNRELATED": "x"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql://u@h/db"
    assert settings["PASSWORD_MIN_LENGTH"] == 14
    assert settings["HSTS"] is True
    assert settings["LANGUAGES"] == ("id", "en")
    assert settings["SESSION_IDLE_MINUTES"] == 5
    assert "UNRELATED" not in settings


def test_unknown_configuration_name_is_refused():
    with pytest.raises(ValueError, match="Unknown configuration"):
        config.load_config("staging", {})


def test_importing_config_reads_nothing_from_the_environment(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "")
    monkeypatch.setenv("PASSWORD_MIN_LENGTH", "not a number")
    importlib.reload(config)  # must not raise


@pytest.mark.parametrize("secret", [None, "", config.INSECURE_SECRET, "short"])
def test_production_refuses_to_start_without_a_real_secret(monkeypatch, secret):
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_with_a_secret_sets_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["DEBUG"] is False


@pytest.mark.parametrize("url,expected", [
    ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
    ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
    ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
    ("sqlite:///x.db", "sqlite:///x.db"),
])
def test_database_urls_use_psycopg_3(url, expected):
    assert normalise_database_url(url) == expected


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.db'}",
                                 "SQLITE_BUSY_TIMEOUT_MS": 4321})
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 4321
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert sqlite3.connect(tmp_path / "wal.db").execute("PRAGMA journal_mode").fetchone()[0] == "wal"
