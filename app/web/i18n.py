"""Language choice: an explicit choice (cookie, then the user's profile), else Indonesian."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_login import current_user

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
    """A date as the reader's locale writes it ("2 Des 2026", "Dec 2, 2026"); "—" for none."""
    from flask_babel import format_date

    return format_date(value, "medium") if value else "—"
