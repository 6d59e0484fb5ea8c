from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, TextAreaField


class YamlUploadForm(FlaskForm):
    file = FileField(_l("Questionnaire file (YAML)"), validators=[FileRequired(message=_l("Choose a YAML file."))])


class YamlForm(FlaskForm):
    source = TextAreaField(_l("Questionnaire (YAML)"), render_kw={"rows": 30, "spellcheck": "false"})
    lock = HiddenField()


class TryScoringForm(FlaskForm):
    position = SelectField(_l("Position"), validate_choice=False)
