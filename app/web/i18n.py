"""Language choice: an explicit choice (cookie, then the user's profile), else Indonesian."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_request_context, request
from flask_babel import format_date, format_time
from flask_login import current_user

from ..services.clock import office_time

LANGUAGE_COOKIE = "swanilai_lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    user_language = getattr(current_user, "language", None)
    if user_language in languages:
        return user_language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_day(value) -> str:
    """A date as the reader's locale writes it ("2 Des 2026", "Dec 2, 2026"); a stored (naive
    UTC) time gives the office's date; "—" for none."""
    if not value:
        return "—"
    if isinstance(value, datetime):
        value = office_time(value).date()
    return format_date(value, "medium")


def local_time(value) -> str:
    """A stored (naive UTC) time at the office, in the reader's locale, with the zone named
    ("2 Des 2026 14.05 WIB"); "—" for none."""
    if not value:
        return "—"
    moment = office_time(value)
    wall = moment.replace(tzinfo=None)
    return f"{format_date(wall, 'medium')} {format_time(wall, 'short')} {moment.tzname()}"
