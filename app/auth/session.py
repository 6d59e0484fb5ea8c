"""Loading the signed-in person for Flask-Login."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import ServiceUnavailable

from ..extensions import db
from ..models import User
from ..services.sessions import user_for_session


def load_user_from_session_id(session_id: str) -> User | None:
    """The person of a live session. When the database cannot be reached the request answers 503;
    the error page itself then renders as for a signed-out visitor instead of failing again."""
    if g.get("database_down"):
        return None
    config = current_app.config
    try:
        return user_for_session(session_id, timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
                                timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]))
    except SQLAlchemyError:
        db.session.rollback()
        g.database_down = True
        raise ServiceUnavailable() from None


def unauthorized():
    """Pages send the visitor to sign in (and back); JSON clients such as autosave get 401."""
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(error=_("Please sign in"), message=_("Sign in to continue.")), 401
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
