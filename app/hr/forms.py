"""HR's forms: recording one realisation (completed competency development)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length


class RealisationForm(FlaskForm):
    """The values are checked by ``services.realisations.check``; the form only bounds lengths."""

    nip = StringField(_l("NIP"), validators=[DataRequired(message=_l("Enter the NIP.")), Length(max=40)])
    module = SelectField(_l("Module"), validate_choice=False)
    completed_on = StringField(_l("Completed on"), render_kw={"type": "date"}, validators=[Length(max=20)])
    jp = StringField(_l("JP"), render_kw={"inputmode": "numeric"}, validators=[Length(max=10)])
    provider = StringField(_l("Provider"), validators=[Length(max=200)])
