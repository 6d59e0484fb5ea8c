"""The form to create and edit a person, for the admin and HR registrations of the people pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    nip = StringField(_l("NIP (18 digits)"), validators=[DataRequired(message=_l("Enter the NIP.")), Length(max=40)])
    name = StringField(_l("Full name"), validators=[DataRequired(message=_l("Enter the name.")), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(message=_l("Enter the e-mail address.")),
                                                  Length(max=254)])
    unit_code = SelectField(_l("Unit"), validators=[DataRequired(message=_l("Choose a unit."))], validate_choice=False)
    position = SelectField(_l("Position"), validate_choice=False)
    roles = CheckboxesField(_l("Roles"), validate_choice=False)
    #: PNS or PPPK (choices: the view), checked by the service like the unit.
    employment = SelectField(_l("Employment status"), default="pns", validate_choice=False)
