"""Preview a draft exactly as a respondent sees it, and try the scoring rules on answers,
without storing anything."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..engine import questionnaire as engine
from ..engine.answers import AnswersInvalid, check_answers
from ..engine.training import assess, result_to_dict
from ..web import loaders
from ..web.answer_forms import TamperedForm, answers_from_form, domain_form_class
from ..web.forms import choices
from .forms import TryScoringForm
from .views import lang, max_bytes


def model_or_problems(source: str):
    try:
        return engine.load(source, max_bytes=max_bytes()), []
    except engine.QuestionnaireInvalid as invalid:
        return None, invalid.problems


def preview(version_id: int):
    """All domains on one page as the respondent would see them; posting scores the answers."""
    version = loaders.version(version_id)
    model, problems = model_or_problems(version.source)
    if model is None:
        return render_template("trainer/preview.html", version=version, model=None, problems=problems,
                               lang=lang()), 400
    form = TryScoringForm()
    form.position.choices = choices((p.id, p.name.get(lang())) for p in model.positions)
    posted = request.form if request.method == "POST" else None
    # Options in file order (no seed): the trainer checks them against the file and the editor.
    # Respondents see them shuffled, each assessment in an order of its own (engine.option_order).
    domain_forms = [(domain, domain_form_class(domain, lang(), _none_label(), seed=None)(formdata=posted))
                    for domain in model.domains]
    result, errors = None, {}
    if request.method == "POST" and form.validate_on_submit():
        if form.position.data not in {p.id for p in model.positions}:
            abort(400)
        raw = {}
        try:
            for domain in model.domains:
                raw.update(answers_from_form(_domain_fields(request.form, domain), domain))
            result = result_to_dict(model, assess(model, check_answers(model, raw), form.position.data), lang())
        except AnswersInvalid as invalid:
            errors = {item_id: error.message(lang()) for item_id, error in invalid.errors.items()}
        except TamperedForm:
            abort(400)
    return render_template("trainer/preview.html", version=version, model=model, problems=[], form=form,
                           domain_forms=domain_forms, result=result, errors=errors, lang=lang())


def _domain_fields(form, domain):
    """The posted fields that belong to one domain (the preview shows all domains at once)."""
    ids = {item.id for item in domain.items}
    return MultiDict([(key, value) for key, value in form.items(multi=True) if key in ids])


def _none_label() -> str:
    return _("None of these")
