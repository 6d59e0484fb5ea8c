"""The reminder HR pastes into WhatsApp (or an e-mail) for a person who has not started: in the
person's language, with the round's closing date and the link that takes them to it."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..models import Round, User
from ..web.i18n import format_day


def round_link(round_: Round) -> str:
    """The absolute address of the round for the person (sign-in first, then their assessment)."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for("respond.round_entry", round_id=round_.id)


def reminder(person: User, round_: Round, link: str, *, activated: bool) -> str:
    language = person.language if person.language in current_app.config["LANGUAGES"] else "id"
    with force_locale(language):
        text = _("Dear %(name)s, please take the competency self-assessment “%(round)s” in Swanilai by "
                 "%(day)s. It takes about 30 minutes and your answers are saved as you go: %(link)s",
                 name=person.name, round=round_.name, day=format_day(round_.closes_on), link=link)
        if not activated:
            text += " " + _("(Your account is not activated yet: use the invitation link you received, or ask "
                            "your HR office for a new one.)")
    return text
