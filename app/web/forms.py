"""Forms more than one blueprint uses: a button that changes something, a CSV upload, and the
sign-in form (which the answer pages also show when a session has ended)."""

from __future__ import annotations

from typing import Any, Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, PasswordField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as the choices of a select, radio or checkbox field."""
    return [SelectChoice(str(value), str(label)) for value, label in pairs]


class CsvUploadForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a CSV file."))])


class ActionForm(FlaskForm):
    """A button that changes something (deactivate, reissue): CSRF only."""


class LoginForm(FlaskForm):
    login = StringField(_l("NIP or e-mail"), validators=[DataRequired(message=_l("Enter your NIP or e-mail.")),
                                                        Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password.")),
                                                        Length(max=200)])
    next = HiddenField()
    kept = HiddenField()  # answers posted after the session ended (services.pending.seal)
