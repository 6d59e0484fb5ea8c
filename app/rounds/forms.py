"""The form to open or change a round."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length


class RoundForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Give the round a name, such as “AKPK 2027”.")),
                                               Length(max=120)])
    unit = SelectField(_l("For the people of"), validators=[DataRequired(message=_l("Choose a unit from the list."))],
                       validate_choice=False)
    version = SelectField(_l("Questionnaire version"),
                          validators=[DataRequired(message=_l("Choose a published questionnaire version."))],
                          validate_choice=False)
    opens_on = DateField(_l("Opens on"), validators=[DataRequired(message=_l("Enter the opening date."))])
    closes_on = DateField(_l("Closes on"), validators=[DataRequired(message=_l("Enter the closing date."))])
