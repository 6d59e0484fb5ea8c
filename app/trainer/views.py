"""Trainer pages: questionnaires and versions, drafts with the YAML editor, publishing, diffs,
preview and try-scoring, item statistics and export."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..engine import questionnaire as engine
from ..engine.diff import describe, diff
from ..models import QuestionnaireVersion
from ..services import audit, drafts, exports, item_stats
from ..services.csv_files import write_csv
from ..services.errors import ServiceError
from ..services.item_stats import version_statistics
from ..services.questionnaires import parsed
from ..services.validation import is_ascii_digits
from ..web import loaders
from ..web.access import roles_required
from ..web.downloads import download
from ..web.forms import ActionForm
from .forms import YamlForm, YamlUploadForm

@roles_required("trainer", "admin")
def require_trainer():
    """Trainers own the questionnaires; admins may work on them too."""


def lang() -> str:
    return str(get_locale() or "id")


def max_bytes() -> int:
    return current_app.config["QUESTIONNAIRE_MAX_BYTES"]




def save_or_explain(draft: QuestionnaireVersion, source: str, lock: str | None, *, editor: str):
    """Save a draft from either editor; (200, None) when saved, else the status and any conflict.
    The person's text is never lost: on a conflict or error the page shows it again."""
    try:
        drafts.save_draft(draft, source, int(lock or 0) if is_ascii_digits(str(lock or "0")) else -1,
                          actor_id=current_user.id, max_bytes=max_bytes(), editor=editor)
    except drafts.Conflict as error:
        return 409, error
    except ServiceError as error:
        flash(str(error.message), "error")
        return 400, None
    flash(_("The draft was saved."), "success")
    return 200, None


def home():
    return render_template("trainer/home.html", overview=drafts.overview(), action=ActionForm(),
                           upload=YamlUploadForm())


def new_draft(version_id: int):
    version = loaders.version(version_id)
    if ActionForm().validate_on_submit():
        draft = drafts.draft_from_version(version, actor_id=current_user.id)
        return redirect(url_for("trainer.edit_yaml", version_id=draft.id))
    abort(400)


def upload():
    form = YamlUploadForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        draft = drafts.draft_from_upload(form.file.data.read(max_bytes() + 1), actor_id=current_user.id,
                                         max_bytes=max_bytes())
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("trainer.home"))
    return redirect(url_for("trainer.edit_yaml", version_id=draft.id))


def edit_yaml(version_id: int):
    draft = loaders.draft(version_id)
    form = YamlForm()
    conflict = None
    status = 200
    if request.method == "GET":
        form.source.data, form.lock.data = draft.source, str(draft.lock_version)
    elif form.validate_on_submit():
        status, conflict = save_or_explain(draft, form.source.data.replace("\r\n", "\n"), form.lock.data,
                                           editor="yaml")
        if status == 200:
            return redirect(url_for("trainer.edit_yaml", version_id=draft.id))
    else:
        status = 400
    source = form.source.data or ""
    problems = engine.validate(source, max_bytes=max_bytes())
    return render_template("trainer/yaml.html", draft=draft, form=form, problems=problems, conflict=conflict,
                           lines=source.split("\n"), lang=lang(), action=ActionForm()), status


def publish(version_id: int):
    draft = loaders.draft(version_id)
    problems = engine.validate(draft.source, max_bytes=max_bytes())
    current = drafts.current_published(draft.questionnaire)
    changes = diff(parsed(current), engine.load(draft.source)) if current is not None and not problems else []
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            version = drafts.publish(draft, actor_id=current_user.id, max_bytes=max_bytes())
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Version %(number)d is published. New assessments use it from now on; assessments in progress "
                    "stay on their version.", number=version.number), "success")
            return redirect(url_for("trainer.home"))
    return render_template("trainer/publish.html", draft=draft, current=current, problems=problems,
                           changes=[(c, describe(c, lang())) for c in changes], form=form, lang=lang()), \
        400 if request.method == "POST" else 200


def retire(version_id: int):
    """Retiring asks first, stating what it closes and how many people are in the middle of it."""
    version = loaders.version(version_id)
    if version.status != drafts.PUBLISHED:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            drafts.retire(version, actor_id=current_user.id)
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Version %(number)d is retired: no new assessments start on it; its reports keep working. "
                    "It can be published again from the list of versions.", number=version.number), "success")
            return redirect(url_for("trainer.home"))
    return render_template("trainer/retire.html", version=version, form=form,
                           consequence=drafts.retire_consequence(version)), 400 if request.method == "POST" else 200


def unretire(version_id: int):
    """Publishing a retired version again asks first too."""
    version = loaders.version(version_id)
    if version.status != drafts.RETIRED:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            drafts.unretire(version, actor_id=current_user.id)
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Version %(number)d is published again: new assessments may start on it.",
                    number=version.number), "success")
            return redirect(url_for("trainer.home"))
    return render_template("trainer/unretire.html", version=version, form=form,
                           newer=drafts.newer_published(version),
                           current=drafts.current_published(version.questionnaire)), \
        400 if request.method == "POST" else 200


def delete_draft(version_id: int):
    """Deleting a draft asks first, stating how many changes are lost."""
    draft = loaders.draft(version_id)
    form = ActionForm()
    if form.validate_on_submit():
        drafts.delete_draft(draft, actor_id=current_user.id)
        flash(_("The draft was deleted."), "success")
        return redirect(url_for("trainer.home"))
    return render_template("trainer/delete_draft.html", draft=draft, form=form,
                           loss=drafts.draft_loss(draft, max_bytes=max_bytes())), \
        400 if request.method == "POST" else 200


def compare():
    old_id, new_id = request.args.get("from", ""), request.args.get("to", "")
    if not old_id and not new_id:
        return render_template("trainer/diff.html", overview=drafts.overview(), changes=None, lang=lang())
    if not is_ascii_digits(old_id) or not is_ascii_digits(new_id):
        abort(400)
    old, new = loaders.version(int(old_id)), loaders.version(int(new_id))
    try:
        changes = diff(engine.load(old.source), engine.load(new.source))
    except engine.QuestionnaireInvalid:
        flash(_("A draft with problems cannot be compared yet; fix its problems first."), "error")
        return redirect(url_for("trainer.home"))
    return render_template("trainer/diff.html", old=old, new=new, lang=lang(),
                           changes=[(c, describe(c, lang())) for c in changes])


def export(version_id: int):
    version = loaders.version(version_id)
    audit.record("version.export", actor_id=current_user.id, target_type="questionnaire_version",
                 target_id=version.id)
    label = f"v{version.number}" if version.number else f"draft-{version.id}"
    name = f"{version.questionnaire.slug}-{label}.yaml"
    return download(version.source.encode("utf-8"), "application/x-yaml", name)


def _published_statistics(version_id: int):
    version = loaders.version(version_id)
    if version.is_draft:
        abort(404)
    return version, version_statistics(version, minimum=current_app.config["STATS_MIN_RESPONSES"])


def statistics(version_id: int):
    version, stats = _published_statistics(version_id)
    return render_template("trainer/statistics.html", version=version, stats=stats, model=parsed(version),
                           lang=lang(), flag_labels=item_stats.FLAG_LABELS)


def statistics_export(version_id: int, fmt: str):
    """The item statistics as CSV or XLSX, one row per item, figures as numbers."""
    if fmt not in exports.FORMATS:
        abort(404)
    version, stats = _published_statistics(version_id)
    if not stats.enough:
        abort(404)
    header, rows = item_stats.table(parsed(version), stats, lang())
    audit.record("statistics.export", actor_id=current_user.id, target_type="questionnaire_version",
                 target_id=version.id, details={"format": fmt})
    name = f"statistik-{version.questionnaire.slug}-v{version.number}.{fmt}"
    if fmt == "csv":
        return download(write_csv(header, rows), exports.MIMETYPES["csv"], name)
    return download(exports.xlsx_bytes(_("Item statistics"), header, rows), exports.MIMETYPES["xlsx"], name)
