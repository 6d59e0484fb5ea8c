"""The respondent's own forms: start with consent, submit, ask for a correction."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired


class StartForm(FlaskForm):
    position = SelectField(_l("Your position"), validators=[DataRequired(message=_l("Choose your position."))],
                           validate_choice=False)
    target_position = SelectField(_l("The position you aim for (optional)"), validate_choice=False)
    consent = BooleanField(_l("I have read this notice and agree that my answers are processed for this purpose."),
                           validators=[DataRequired(message=_l("You can only start after agreeing to the notice."))])


class SubmitForm(FlaskForm):
    pass


class TargetPositionForm(FlaskForm):
    target_position = SelectField(_l("The position you aim for"), validate_choice=False)


class CorrectionForm(FlaskForm):
    message = TextAreaField(_l("What should be corrected?"), validators=[
        DataRequired(message=_l("Describe what should be corrected."))], render_kw={"rows": 4, "maxlength": 2000})
