"""Swanilai: competency self-assessment for governing social media in public service.

`create_app` is the only place that wires configuration, extensions, blueprints and commands.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config as config_module

from .extensions import babel, csrf, db, login_manager, migrate

ROOT = config_module.ROOT


def create_app(config_name: str | None = None, overrides: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=os.environ.get("SWANILAI_INSTANCE", str(ROOT / "instance")),
    )
    register_config(app, config_name, overrides)
    register_proxies(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_cli(app)
    return app


def register_config(app: Flask, config_name: str | None, overrides: Mapping[str, Any] | None) -> None:
    name = (config_name or config_module.environment_name(os.environ)).lower()
    app.config.update(config_module.load_config(name, os.environ))
    if overrides:
        app.config.update(overrides)
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    app.config["TRUSTED_HOSTS"] = list(config_module.trusted_hosts(app.config)) or None
    if name == "production":
        problems = config_module.problems_for_production(app.config)
        if problems:
            raise RuntimeError("Refusing to start in production: " + "; ".join(problems))
    elif name == "development":
        problems = config_module.problems_for_development(app.config, "gunicorn" in sys.modules)
        if problems:
            raise RuntimeError("Refusing to start: " + "; ".join(problems))
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "swanilai.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})


def register_proxies(app: Flask) -> None:
    """Believe the forwarded address, scheme and host of exactly TRUSTED_PROXIES proxies in front;
    with none trusted (the default) a client cannot choose the address the sign-in limit counts."""
    hops = int(app.config["TRUSTED_PROXIES"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def normalise_database_url(url: str) -> str:
    """Accept the usual `postgres://` and `postgresql://` spellings and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def register_extensions(app: Flask) -> None:
    from .auth.session import load_user_from_session_id, unauthorized
    from .web.i18n import select_locale
    from .services import rate_limits

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(ROOT / "translations"))
    rate_limits.init_store(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"  # phones change IP often; sessions are server-side anyway
    login_manager.user_loader(load_user_from_session_id)
    login_manager.unauthorized_handler(unauthorized)
    from .extensions import configure_engine_events

    with app.app_context():
        configure_engine_events(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def register_url_converters(app: Flask) -> None:
    from .web.urls import DatabaseId

    app.url_map.converters["int"] = DatabaseId


def register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .hr import bp as hr_bp
    from .main import bp as main_bp
    from .people import views as people
    from .plans import approver_bp as plan_approver_bp
    from .plans import hr_bp as hr_plan_bp
    from .respond import bp as respond_bp
    from .rounds import bp as rounds_bp
    from .rounds import views as rounds
    from .trainer import bp as trainer_bp
    from .web.transaction import register_transactions

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(respond_bp, url_prefix="/saya")
    app.register_blueprint(hr_bp, url_prefix="/hr")
    app.register_blueprint(trainer_bp, url_prefix="/trainer")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(people.bp, url_prefix="/admin/users", name=people.ADMIN)
    app.register_blueprint(people.bp, url_prefix="/hr/employees", name=people.HR)
    app.register_blueprint(rounds_bp, url_prefix="/admin/rounds", name=rounds.ADMIN)
    app.register_blueprint(rounds_bp, url_prefix="/hr/rounds", name=rounds.HR)
    app.register_blueprint(hr_plan_bp, url_prefix="/hr/plan")
    app.register_blueprint(plan_approver_bp, url_prefix="/approver")
    register_transactions(app)


def register_error_handlers(app: Flask) -> None:
    from .web.errors import register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from .web.headers import add_security_headers

    app.after_request(add_security_headers)


def register_template_helpers(app: Flask) -> None:
    from flask_babel import format_decimal, format_percent, get_locale

    from .web.i18n import format_day, local_time
    from .web.navigation import inject_navigation
    from .reports.figures import mode_label

    app.context_processor(inject_navigation)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["mode_label"] = mode_label
    app.jinja_env.globals["format_decimal"] = format_decimal
    app.jinja_env.globals["format_percent"] = format_percent
    app.jinja_env.filters["format_day"] = format_day
    app.jinja_env.filters["local_time"] = local_time


def register_cli(app: Flask) -> None:
    from .commands import register_commands

    register_commands(app)
