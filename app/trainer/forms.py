from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField


class YamlForm(FlaskForm):
    source = TextAreaField(_l("Questionnaire (YAML)"), render_kw={"rows": 30, "spellcheck": "false"})
    lock = HiddenField()


class TryScoringForm(FlaskForm):
    position = SelectField(_l("Position"), validate_choice=False)
