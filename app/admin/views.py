"""Administration: units, users and the audit log. Every page needs the admin role."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import format_decimal, get_locale, gettext as _
from flask_login import current_user

from ..web.downloads import download
from ..models import Unit
from ..web.forms import ActionForm, CsvUploadForm, choices
from ..web.access import roles_required
from .forms import UnitEditForm, UnitForm
from ..services import audit as audit_service
from ..services import audit_log
from ..services import privacy
from ..services.csv_files import CsvImportRefused, stream_csv
from ..services.errors import ServiceError
from ..services.units import create_unit, deactivation, import_units, move_unit, rename_unit, set_unit_active, \
    units_in_scope
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


@bp.get("/units/<int:unit_id>/deactivate")
def unit_deactivate(unit_id: int):
    """Deactivating asks first, stating how many people and sub-units it concerns and what it does."""
    unit = loaders.unit(unit_id)
    if not unit.active:
        return redirect(url_for("admin.units"))
    return render_template("admin/unit_deactivate.html", unit=unit, effect=deactivation(unit), form=ActionForm())


@bp.post("/units/<int:unit_id>/active/<int:active>")
def unit_active(unit_id: int, active: int):
    unit = loaders.unit(unit_id)
    if ActionForm().validate_on_submit():
        effect = None if active else deactivation(unit)
        try:
            set_unit_active(unit, bool(active), actor_id=current_user.id, ip=request.remote_addr)
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            if effect is None:
                flash(_("The unit %(name)s is active again: people can be added to it and rounds planned for it.",
                        name=unit.name), "success")
            else:
                flash(_("The unit %(name)s is deactivated. Its %(people)s active people (with %(units)s deactivated "
                        "sub-units) keep their accounts and can still sign in; nobody can be added to the unit and "
                        "no round can be planned for it.", name=unit.name, people=format_decimal(effect.people),
                        units=format_decimal(len(effect.sub_units))), "success")
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
    """The audit log, newest first: who did what, when (office time), on which object."""
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 10**6)
    filters, errors = _audit_filters()
    events, more = ([], False) if errors else audit_log.page_of(filters, page)
    rows = audit_log.rows_for(events, str(get_locale()), links=current_user.roles, url=url_for)
    return _audit_page(filters, errors, rows=rows, page=page, more=more), 400 if errors else 200


def _audit_page(filters: audit_log.AuditFilters, errors: dict[str, str], **context) -> str:
    return render_template("admin/audit.html", filters=filters, errors=errors, args=filters.as_args(),
                           raw=request.args, actors=audit_log.actors_in_log(),
                           action_groups=audit_log.grouped_actions(), object_types=audit_log.OBJECT_TYPES,
                           **context)


def _audit_date(name: str, errors: dict[str, str]) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        day = date.fromisoformat(raw)
        if not 1900 <= day.year <= 9998:  # beyond, office midnight has no UTC time
            raise ValueError(raw)
        return day
    except ValueError:
        errors[name] = _("Enter a date as YYYY-MM-DD, for example 2026-12-31.")
        return None


def _audit_filters() -> tuple[audit_log.AuditFilters, dict[str, str]]:
    """The filters from the query string and the errors of the bad ones (field → message)."""
    errors: dict[str, str] = {}
    args = request.args
    actor = args.get("actor", "").strip()[:20]
    if actor and actor not in (audit_log.SYSTEM, audit_log.COMMAND_LINE) and (
            not is_ascii_digits(actor) or len(actor) > 9):
        errors["actor"] = _("Choose a person from the list.")
        actor = ""
    object_type = args.get("type", "").strip()[:32]
    if object_type and object_type not in audit_log.OBJECT_TYPES:
        errors["type"] = _("Choose an object type from the list.")
        object_type = ""
    object_id = args.get("object", "").strip()[:64]
    if object_id and object_type in audit_log.NUMBERED_TYPES and (not is_ascii_digits(object_id) or len(object_id) > 9):
        errors["object"] = _("An object number is digits only.")
        object_id = ""
    date_from, date_to = _audit_date("from", errors), _audit_date("to", errors)
    if date_from and date_to and date_from > date_to:
        errors["to"] = _("The end date is before the start date.")
    actions = [code.strip()[:64] for code in args.getlist("action")[:100] if code.strip()]
    filters = audit_log.AuditFilters(actor=actor, person=args.get("q", "").strip()[:100], actions=actions,
                                     object_type=object_type, object_id=object_id, date_from=date_from,
                                     date_to=date_to)
    return filters, errors


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
    """The audit log with the page's filters, oldest first, with the readable columns added."""
    filters, errors = _audit_filters()
    if errors:
        return _audit_page(filters, errors, rows=[], page=1, more=False), 400
    details = {key: value for key, value in filters.as_args().items() if key != "q"}
    if filters.person:
        details["search"] = True  # not the words: they may name a person erased later
    audit_service.record("audit.export", actor_id=current_user.id, details=details or None,
                         ip=request.remote_addr)
    rows = audit_log.export_rows(filters, str(get_locale()))
    return download(stream_with_context(stream_csv(audit_log.EXPORT_HEADER, rows)), "text/csv",
                    "audit-swanilai.csv")
