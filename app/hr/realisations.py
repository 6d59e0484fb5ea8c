"""HR's realisation pages: the competency development their people completed, recorded one by
one or by CSV import (all or nothing, as the employee import), listed and deleted. The rules are
in ``services/realisations.py``; the scope is the officer's unit and everything below it."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..services import realisations as service
from ..services.csv_files import CsvImportRefused, write_csv
from ..services.errors import NotFound, ServiceError
from ..services.units import units_in_scope
from ..services.validation import is_ascii_digits
from ..web.downloads import download
from ..web.forms import ActionForm, CsvUploadForm, choices
from .forms import RealisationForm


def lang() -> str:
    return str(get_locale() or "id")


def _number(raw: str, default: int = 1) -> int:
    return int(raw) if is_ascii_digits(raw) and len(raw) < 10 else default


def unit_filter_or_404(units: list | None = None):
    """The unit asked for with ``?unit=`` (None without one), as on every HR page: a unit outside
    the officer's scope (or none at all) answers 404, a malformed one 400."""
    raw = request.args.get("unit", "")
    if not raw:
        return None
    if not is_ascii_digits(raw) or len(raw) > 9:
        abort(400)
    unit = next((u for u in (units if units is not None else units_in_scope(current_user.unit))
                 if u.id == int(raw)), None)
    if unit is None:
        abort(404)
    return unit


def realisations():
    """The list, filtered by unit (and below) and module, a page at a time."""
    scope = current_user.unit
    units = units_in_scope(scope)
    unit = unit_filter_or_404(units)
    modules = service.module_choices(lang())
    module_id = request.args.get("module", "")[:64]
    if module_id and module_id not in {m for m, _t, _m in modules}:
        module_id = ""
    per_page = current_app.config["USERS_PER_PAGE"]
    number = _number(request.args.get("page", "1"))
    rows, total = service.search(scope, unit=unit, module_id=module_id, page=number, per_page=per_page)
    pages = max(1, -(-total // per_page))
    titles = {m: title for m, title, _m in modules}
    return render_template("hr/realisations.html", action=ActionForm(), rows=rows, total=total,
                           page=min(number, pages), pages=pages, units=units, unit=unit, modules=modules,
                           module_id=module_id, titles=titles)


def realisation_new():
    """Record one realisation; JP and provider left empty take the module's."""
    unit_filter_or_404()
    form = RealisationForm()
    modules = service.module_choices(lang())
    form.module.choices = choices([("", _("Choose a module"))] + [
        (m, _("%(title)s (%(jp)d JP, %(provider)s)", title=title, jp=module.jp, provider=module.provider))
        for m, title, module in modules])
    status = 200
    if form.validate_on_submit():
        person = service.person_in_scope(form.nip.data, current_user.unit)
        try:
            service.record(person, form.module.data, form.completed_on.data, form.jp.data, form.provider.data,
                           actor=current_user.id, scope=current_user.unit, ip=request.remote_addr)
        except ServiceError as refused:
            for field_name, message in getattr(refused, "problems", [(refused.field, refused.message)]):
                field = getattr(form, field_name or "nip", form.nip)
                field.errors = list(field.errors) + [message]
        else:
            flash(_("The realisation was recorded."), "success")
            return redirect(url_for("hr.realisations"))
    if request.method == "POST":
        status = 400
    return render_template("hr/realisations_form.html", form=form), status


def realisation_import():
    unit_filter_or_404()
    form = CsvUploadForm()
    problems, created = [], []
    if form.validate_on_submit():
        try:
            created = service.import_csv(form.file.data.read(), current_user.id, current_user.unit,
                                         ip=request.remote_addr)
        except CsvImportRefused as refused:
            problems = refused.problems
            flash(str(refused.message), "error")
        else:
            flash(_("%(count)d realisations were imported.", count=len(created)), "success")
    status = 400 if problems or (request.method == "POST" and form.errors) else 200
    return render_template("hr/realisations_import.html", form=form, problems=problems, created=len(created),
                           max_rows=current_app.config["IMPORT_MAX_ROWS"]), status


def realisation_template():
    """A CSV with the header row and one example row (the first module of the catalogue)."""
    unit_filter_or_404()
    modules = service.module_choices(lang())
    example = modules[0][2] if modules else None
    rows = [["198501012010011001", example.id, "2025-03-17", example.jp, example.provider]] if example else []
    return download(write_csv(service.COLUMNS, rows), "text/csv", "realisasi-template.csv")


def realisation_delete(realisation_id: int):
    """The list's button posts here and gets the confirmation; the confirmation posts here with
    ``confirm`` and deletes (POST only: a link cannot delete, nor show another unit's row)."""
    try:
        row = service.in_scope_or_404(realisation_id, current_user.unit)
    except NotFound:
        abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("confirm") == "1":
        service.delete(row, current_user.id, current_user.unit, ip=request.remote_addr)
        flash(_("The realisation was deleted."), "success")
        return redirect(url_for("hr.realisations"))
    titles = {m: title for m, title, _m in service.module_choices(lang())}
    return render_template("hr/realisations_delete.html", row=row, form=form, titles=titles)
