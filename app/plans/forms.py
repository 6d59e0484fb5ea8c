"""The plan pages' forms. Amounts are text: the service reads rupiah as Indonesians write them
("Rp 150.000.000") and refuses anything else with a plain message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import Optional


class CeilingForm(FlaskForm):
    ceiling = StringField(_l("Budget ceiling (rupiah)"))


class ModuleChoiceForm(FlaskForm):
    quarter = SelectField(_l("Planned quarter"), validate_choice=False)
    provider = StringField(_l("Provider"))


class ModeCostForm(FlaskForm):
    cost_per = SelectField(_l("Cost"), validate_choice=False)
    amount = StringField(_l("Amount (rupiah)"))
    class_size = StringField(_l("Class size"))


class SetPlanForm(FlaskForm):
    place = StringField(_l("Place"))
    on = DateField(_l("Date"), validators=[Optional()])
    position = StringField(_l("Position"))
    seen = HiddenField()  # the fingerprint of the figures the approver read
