"""Pages for everyone: the front door, the language switch and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, make_response, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..web.access import home_url
from ..extensions import db
from ..web.i18n import LANGUAGE_COOKIE
from ..web.urls import is_local_path

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(home_url())
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language():
    """Remember the chosen language in a cookie and, for a signed-in person, in their profile."""
    chosen = request.form.get("lang", "")
    target = request.form.get("next", "")
    response = make_response(redirect(target if is_local_path(target) else url_for("main.index")))
    if chosen in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
        if current_user.is_authenticated:
            current_user.language = chosen
    return response


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify(app="ok", database=database, status="ok" if status == 200 else "degraded"), status
