"""Administration: units, users and the audit log. Every page needs the admin role."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..web.downloads import download
from ..models import Unit
from ..web.forms import ActionForm, CsvUploadForm, choices
from ..web.access import roles_required
from .forms import UnitEditForm, UnitForm
from ..services import audit as audit_service
from ..services import privacy
from ..services.csv_files import CsvImportRefused, stream_csv
from ..services.errors import ServiceError
from ..services.units import create_unit, import_units, move_unit, rename_unit, set_unit_active, units_in_scope
from ..services.users import people_counts
from ..services.validation import is_ascii_digits
from ..web import loaders

bp = Blueprint("admin", __name__)


@bp.before_request
@roles_required("admin")
def require_admin():
    """Every admin page, present and future, needs the admin role."""




def _parent_choices(exclude: Unit | None = None) -> list[tuple[str, str]]:
    units = units_in_scope(None)
    return [("", _("(top level)"))] + [
        (str(u.id), "\u2003" * u.depth + f"{u.name} ({u.code})") for u in units
        if u.active and (exclude is None or not u.path.startswith(exclude.path))]


def _parent_from(value: str | None) -> Unit | None:
    if not value:
        return None
    if not is_ascii_digits(value):
        abort(400)
    return loaders.unit(int(value))


@bp.get("/")
def home():
    return render_template("admin/home.html", counts=people_counts())


@bp.route("/units", methods=["GET", "POST"])
def units():
    form = UnitForm()
    form.parent.choices = choices(_parent_choices())
    status = 200
    if form.validate_on_submit():
        try:
            unit = create_unit(form.code.data, form.name.data, _parent_from(form.parent.data),
                               actor_id=current_user.id, ip=request.remote_addr)
        except ServiceError as error:
            getattr(form, error.field or "code").errors.append(error.message)
        else:
            flash(_("Unit %(name)s was created.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    if request.method == "POST":
        status = 400
    return render_template("admin/units.html", units=units_in_scope(None), form=form,
                           upload=CsvUploadForm(), action=ActionForm()), status


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit(unit_id: int):
    unit = loaders.unit(unit_id)
    form = UnitEditForm()
    form.parent.choices = choices(_parent_choices(exclude=unit))
    if request.method == "GET":
        form.name.data = unit.name
        form.parent.data = str(unit.parent_id or "")
    elif form.validate_on_submit():
        try:
            if form.name.data.strip() != unit.name:
                rename_unit(unit, form.name.data, actor_id=current_user.id, ip=request.remote_addr)
            new_parent = _parent_from(form.parent.data)
            if (new_parent.id if new_parent else None) != unit.parent_id:
                move_unit(unit, new_parent, actor_id=current_user.id, ip=request.remote_addr)
        except ServiceError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            flash(_("The unit was saved."), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit.html", unit=unit, form=form, action=ActionForm()), \
        400 if request.method == "POST" else 200


@bp.post("/units/<int:unit_id>/active/<int:active>")
def unit_active(unit_id: int, active: int):
    unit = loaders.unit(unit_id)
    if ActionForm().validate_on_submit():
        try:
            set_unit_active(unit, bool(active), actor_id=current_user.id, ip=request.remote_addr)
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The unit was saved."), "success")
    return redirect(url_for("admin.units"))


@bp.post("/units/import")
def units_import():
    form = CsvUploadForm()
    problems = []
    if form.validate_on_submit():
        try:
            created = import_units(form.file.data.read(), actor_id=current_user.id, ip=request.remote_addr)
        except CsvImportRefused as refused:
            problems = refused.problems
        else:
            flash(_("%(count)d units were imported.", count=len(created)), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/units_import.html", form=form, problems=problems), 400


@bp.get("/audit")
def audit():
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    action = request.args.get("action", "")[:64]
    events, more = privacy.audit_page(action, page)
    return render_template("admin/audit.html", events=events, page=page, more=more, action=action)


@bp.post("/users/<int:user_id>/erase")
def erase(user_id: int):
    """Erase a person: their account goes, their assessments stay only as anonymous figures."""
    user = loaders.person(user_id)
    if not ActionForm().validate_on_submit() or request.form.get("confirm") != user.nip:
        flash(_("Type the person's NIP to confirm the erasure."), "error")
        return redirect(url_for("admin_people.person", user_id=user.id))
    try:
        count = privacy.erase_person(user, actor_id=current_user.id, ip=request.remote_addr)
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("admin_people.person", user_id=user_id))
    flash(_("The person's data was erased; %(count)d assessments remain as anonymous figures.", count=count),
          "success")
    return redirect(url_for("admin_people.index"))


@bp.get("/audit.csv")
def audit_csv():
    action = request.args.get("action", "")[:64]
    audit_service.record("audit.export", actor_id=current_user.id, details={"action": action or None},
                         ip=request.remote_addr)
    return download(stream_with_context(stream_csv(privacy.AUDIT_HEADER, privacy.audit_rows(action))), "text/csv",
                    "audit-swanilai.csv")
