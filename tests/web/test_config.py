"""Configuration classes, environment overrides and the production guard."""

from __future__ import annotations

import os
import secrets
import sqlite3
import sys

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


HOSTILE_ENVIRONMENT = {"SECRET_KEY": "from-the-environment", "PASSWORD_MIN_LENGTH": "not a number",
                       "DATABASE_URL": "postgresql://elsewhere/db", "HSTS": "true", "LANGUAGES": "xx",
                       "TRUSTED_PROXIES": "7", "SWANILAI_CONFIG": "production"}


def test_importing_config_reads_nothing_from_the_environment(monkeypatch):
    """Importing config neither raises on bad values nor takes any value in: every class keeps its
    defaults, and the environment counts only in `load_config`, when `create_app` calls it."""
    import importlib

    defaults = {name: config.settings_of(cls) for name, cls in config.CONFIGS.items()}
    try:
        with monkeypatch.context() as patched:
            for name, value in HOSTILE_ENVIRONMENT.items():
                patched.setenv(name, value)
            importlib.reload(config)  # must not raise on "not a number"
            assert {name: config.settings_of(cls) for name, cls in config.CONFIGS.items()} == defaults
            assert config.load_config("testing", {}) == {**defaults["testing"], "CONFIG_NAME": "TestingConfig"}
            taken = config.load_config("testing", {k: v for k, v in os.environ.items() if k != "PASSWORD_MIN_LENGTH"})
            assert taken["SECRET_KEY"] == "from-the-environment" and taken["TRUSTED_PROXIES"] == 7
            assert taken["SQLALCHEMY_DATABASE_URI"] == "postgresql://elsewhere/db" and taken["HSTS"] is True
            with pytest.raises(ValueError):  # the bad number fails when read, not when imported
                config.load_config("testing", {"PASSWORD_MIN_LENGTH": "not a number"})
    finally:
        importlib.reload(config)  # the module as the rest of the suite knows it


@pytest.fixture
def production_env(monkeypatch):
    """What a production start needs besides the database: a random key and a shared store."""
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("BASE_URL", "https://swanilai.example")


@pytest.mark.parametrize("secret", [None, "", config.INSECURE_SECRET, "short", "a" * 32, "ab" * 40,
                                    "0123456789" * 4])
def test_production_refuses_to_start_without_a_real_secret(monkeypatch, production_env, secret):
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_with_a_secret_sets_secure_cookies(production_env):
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


def test_a_random_key_has_enough_estimated_entropy():
    assert config.secret_problem(secrets.token_urlsafe(48)) is None
    assert config.secret_problem(secrets.token_hex(32)) is None
    assert config.estimated_bits("a" * 64) == 0


def test_production_refuses_a_per_worker_sign_in_limit(monkeypatch, production_env):
    """F6: with memory:// every gunicorn worker counts on its own, so the limit multiplies."""
    monkeypatch.delenv("REDIS_URL")
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_redis_url_becomes_the_rate_limit_store(production_env):
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:1/0"


def test_development_defaults_refuse_to_be_served_by_gunicorn(monkeypatch):
    """`gunicorn 'app:create_app()'` without SWANILAI_CONFIG must not serve the public key."""
    monkeypatch.delenv("SWANILAI_CONFIG", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setitem(sys.modules, "gunicorn", sys.modules[__name__])
    with pytest.raises(RuntimeError, match="SWANILAI_CONFIG=production"):
        create_app(None, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_serves_only_the_host_of_base_url(production_env):
    """Invitation links are built from the Host header: an unknown host gets 400, not a link."""
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    client = app.test_client()
    assert client.get("/auth/login", base_url="https://swanilai.example").status_code == 200
    response = client.get("/auth/login", base_url="https://evil.example")
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)


@pytest.mark.parametrize("hops,expected", [(0, "127.0.0.1"), (1, "203.0.113.9"), (2, "198.51.100.7")])
def test_trusted_proxies_decide_which_forwarded_address_counts(hops, expected):
    """F2: only as many X-Forwarded-For entries as there are trusted proxies are believed."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "TRUSTED_PROXIES": hops})
    app.add_url_rule("/_address", "address", lambda: __import__("flask").request.remote_addr)
    forwarded = "1.2.3.4, 198.51.100.7, 203.0.113.9"
    response = app.test_client().get("/_address", headers={"X-Forwarded-For": forwarded})
    assert response.get_data(as_text=True) == expected
