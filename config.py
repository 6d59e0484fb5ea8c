"""Configuration classes.

Each class only holds defaults. `load_config` picks a class by name and then lets an environment
variable of the same name override every setting (`DATABASE_URL` sets `SQLALCHEMY_DATABASE_URI`).
Nothing here reads the environment or raises at import time: the checks run in `create_app`.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
import zlib
from collections import Counter
from typing import Any, Mapping
from urllib.parse import urlsplit

INSECURE_SECRET = "dev-only-insecure-secret-key"
ROOT = Path(__file__).resolve().parent  # the repository: templates, static, migrations, questionnaires


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
    REDIS_URL = ""  # when set, and RATELIMIT_STORAGE_URI is left at memory://, counters live in this Redis
    LOGIN_FAILURE_LIMIT = "5 per minute"
    TRUSTED_PROXIES = 0  # reverse-proxy hops whose X-Forwarded-For/-Proto/-Host are believed
    TRUSTED_HOSTS: tuple[str, ...] = ()  # Host headers served; empty in production: the host of BASE_URL
    IMPORT_MAX_ROWS = 5000  # employees in one CSV import
    PENDING_ANSWERS_MAX_ROWS = 10000  # answers kept for expired sessions, in all
    INVITATION_TTL_HOURS = 168
    BASE_URL = "http://127.0.0.1:5000"  # used for links printed by commands
    PASSWORD_MIN_LENGTH = 10
    OFFICE_TIMEZONE = "Asia/Jakarta"  # dates of rounds and times on pages are the office's (WIB)
    PNS_MIN_JP = 20  # yearly competency development every PNS is entitled to, at least
    PPPK_MAX_JP = 24  # yearly competency development of a PPPK, at most (PP No. 49 Tahun 2018)
    STATS_MIN_RESPONSES = 100  # item statistics are shown from this many people (one attempt each)
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

#: Environment names that set another setting. TRAINING_ENTITLEMENT_JP is the earlier name of
#: PNS_MIN_JP (from before PPPK had a figure of their own).
ENV_ALIASES = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI", "TRAINING_ENTITLEMENT_JP": "PNS_MIN_JP"}


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
    """Settings for the named environment with environment-variable overrides applied. A
    setting's own name wins over an alias of it (``ENV_ALIASES``) when both are set."""
    cls = CONFIGS.get((name or "development").lower())
    if cls is None:
        raise ValueError(f"Unknown configuration {name!r}; use one of {', '.join(CONFIGS)}")
    settings = settings_of(cls)
    for env_name, raw in environ.items():
        key = ENV_ALIASES.get(env_name, env_name)
        if key != env_name and key in environ:
            continue
        if key in settings:
            settings[key] = parse_env_value(raw, settings[key])
    settings["CONFIG_NAME"] = cls.__name__
    return settings


MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 96
MIN_COMPRESSED_BITS = 128


def estimated_bits(secret: str) -> float:
    """Shannon estimate of a key's entropy: its length times the bits per character of its own
    character distribution. 'a' * 32 has none; secrets.token_urlsafe(48) has about 330."""
    if not secret:
        return 0.0
    counts = Counter(secret)
    per_char = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values())
    return per_char * len(secret)


def compressed_bits(secret: str) -> int:
    """What zlib leaves of a key: repeated patterns that a character count misses
    ("0123456789" * 4) shrink to almost nothing."""
    return 8 * (len(zlib.compress(secret.encode(), 9)) - len(zlib.compress(b"", 9)))


def secret_problem(secret: str) -> str | None:
    """Estimates, not proof: they refuse the keys people make up, not every weak one."""
    if (secret in ("", INSECURE_SECRET) or len(secret) < MIN_SECRET_LENGTH
            or estimated_bits(secret) < MIN_SECRET_BITS or compressed_bits(secret) < MIN_COMPRESSED_BITS):
        return ("SECRET_KEY must be set to a random value of at least 32 characters, such as the output of "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'")
    return None


def problems_for_production(settings: Mapping[str, Any]) -> list[str]:
    """Reasons a production configuration must not start."""
    problems = []
    secret = secret_problem(settings.get("SECRET_KEY") or "")
    if secret:
        problems.append(secret)
    if settings.get("RATELIMIT_ENABLED", True) and str(settings.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        problems.append("the sign-in limit needs a store shared by every worker: set REDIS_URL (or "
                        "RATELIMIT_STORAGE_URI) to a Redis server such as redis://127.0.0.1:6379/0")
    return problems


def problems_for_development(settings: Mapping[str, Any], served_by_gunicorn: bool) -> list[str]:
    """The development defaults (a public key, no secure cookies) are for `flask run` on one's own
    machine; served by gunicorn on the public key they are a production server started without its
    configuration. (Benchmarks run the development settings under gunicorn with a key of their own.)"""
    if served_by_gunicorn and (settings.get("SECRET_KEY") or INSECURE_SECRET) == INSECURE_SECRET:
        return ["the development configuration is not for gunicorn: set SWANILAI_CONFIG=production "
                "(and SECRET_KEY, DATABASE_URL, REDIS_URL, BASE_URL)"]
    return []


def trusted_hosts(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """The Host headers to serve: TRUSTED_HOSTS, else in production the host of BASE_URL."""
    hosts = tuple(settings.get("TRUSTED_HOSTS") or ())
    if hosts or settings.get("CONFIG_NAME") != ProductionConfig.__name__:
        return hosts
    host = urlsplit(settings.get("BASE_URL") or "").hostname
    return (host,) if host else ()


def environment_name(environ: Mapping[str, str] = os.environ) -> str:
    return environ.get("SWANILAI_CONFIG", "development")
