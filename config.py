"""Configuration classes.

Each class only holds defaults. `load_config` picks a class by name and then lets an environment
variable of the same name override every setting (`DATABASE_URL` sets `SQLALCHEMY_DATABASE_URI`).
Nothing here reads the environment or raises at import time: the checks run in `create_app`.
"""

from __future__ import annotations

import os
from typing import Any, Mapping

INSECURE_SECRET = "dev-only-insecure-secret-key"


class Config:
    """Defaults shared by every environment."""

    SECRET_KEY = INSECURE_SECRET
    SQLALCHEMY_DATABASE_URI = ""  # empty: SQLite file in the instance folder
    SQLITE_BUSY_TIMEOUT_MS = 15000
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    QUESTIONNAIRE_MAX_BYTES = 512 * 1024
    BABEL_DEFAULT_LOCALE = "id"
    LANGUAGES = ("id", "en")
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; see README
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    SESSION_IDLE_MINUTES = 30  # shared office PCs: a forgotten session ends soon
    SESSION_ABSOLUTE_HOURS = 8  # one working day
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    LOGIN_FAILURE_LIMIT = "5 per minute"
    INVITATION_TTL_HOURS = 168
    BASE_URL = "http://127.0.0.1:5000"  # used for links printed by commands
    PASSWORD_MIN_LENGTH = 10
    TRAINING_ENTITLEMENT_JP = 20
    STATS_MIN_RESPONSES = 10  # item statistics are shown from this many submitted assessments
    CLASS_SIZE = 30  # at most this many participants per suggested class
    RETENTION_MONTHS = 36  # how long assessments are kept before they are anonymised
    USERS_PER_PAGE = 50
    HSTS = False
    DEBUG = False
    TESTING = False


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    WTF_CSRF_ENABLED = True
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # fast hashes keep the suite quick


class ProductionConfig(Config):
    SECRET_KEY = ""
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

ENV_ALIASES = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI"}


def settings_of(cls: type[Config]) -> dict[str, Any]:
    """All upper-case settings of a class, inherited ones included."""
    return {name: getattr(cls, name) for name in dir(cls) if name.isupper()}


def parse_env_value(raw: str, default: Any) -> Any:
    """Convert an environment string to the type of the setting's default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int) and not isinstance(default, bool):
        return int(raw)
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if default is None and raw.strip().isdigit():
        return int(raw)
    return raw


def load_config(name: str | None, environ: Mapping[str, str]) -> dict[str, Any]:
    """Settings for the named environment with environment-variable overrides applied."""
    cls = CONFIGS.get((name or "development").lower())
    if cls is None:
        raise ValueError(f"Unknown configuration {name!r}; use one of {', '.join(CONFIGS)}")
    settings = settings_of(cls)
    for env_name, raw in environ.items():
        key = ENV_ALIASES.get(env_name, env_name)
        if key in settings:
            settings[key] = parse_env_value(raw, settings[key])
    settings["CONFIG_NAME"] = cls.__name__
    return settings


def problems_for_production(settings: Mapping[str, Any]) -> list[str]:
    """Reasons a production configuration must not start."""
    problems = []
    secret = settings.get("SECRET_KEY") or ""
    if secret in ("", INSECURE_SECRET) or len(secret) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    return problems


def environment_name(environ: Mapping[str, str] = os.environ) -> str:
    return environ.get("SWANILAI_CONFIG", "development")
