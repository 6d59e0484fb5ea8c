"""Forms to create and edit people and units, shared by the admin and HR pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    nip = StringField(_l("NIP (18 digits)"), validators=[DataRequired(message=_l("Enter the NIP.")), Length(max=40)])
    name = StringField(_l("Full name"), validators=[DataRequired(message=_l("Enter the name.")), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(message=_l("Enter the e-mail address.")), Length(max=254)])
    unit_code = SelectField(_l("Unit"), validators=[DataRequired(message=_l("Choose a unit."))], validate_choice=False)
    position = SelectField(_l("Position"), validate_choice=False)
    roles = CheckboxesField(_l("Roles"), validate_choice=False)


class UnitForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(message=_l("Enter a code.")), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Enter a name.")), Length(max=200)])
    parent = SelectField(_l("Parent unit"), validate_choice=False)


class UnitEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Enter a name.")), Length(max=200)])
    parent = SelectField(_l("Parent unit"), validate_choice=False)


class CsvUploadForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a CSV file."))])


class ActionForm(FlaskForm):
    """A button that changes something (deactivate, reissue): CSRF only."""
