"""The employee pages: one blueprint, registered for admins (every unit, every role) and for HR
(their own unit and the units below it; respondent and hr roles). Which of the two a request came
through decides the acting person's `Authority`; the scope check lives in the loader."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..models import Role, User
from ..services import audit, invitations
from ..services.csv_files import CsvImportRefused
from ..services.errors import ServiceError
from ..services.permissions import holds_more_rights, in_scope
from ..services.questionnaires import known_positions, position_choices
from ..services.units import units_in_scope
from ..services.users import EMPLOYMENT_TYPES, Authority, UserInput, check_user, create_user, import_employees, \
    search_users, set_user_active, update_user
from ..services.validation import is_ascii_digits
from ..web.access import roles_required
from ..web.downloads import download
from ..web.forms import ActionForm, CsvUploadForm, choices
from ..web.links import invitation_url, invitations_csv
from ..web.navigation import ROLE_LABELS
from .forms import UserForm

bp = Blueprint("people", __name__)
ADMIN, HR = "admin_people", "hr_people"  # the names it is registered under (app/__init__.py)
ALL_ROLES = tuple(r.value for r in Role)
HR_ROLES = frozenset({Role.RESPONDENT.value, Role.HR.value})


@bp.before_request
def require_role():
    """Admin pages need the admin role, HR pages the hr role."""
    return roles_required("admin" if request.blueprint == ADMIN else "hr")(lambda: None)()


def authority() -> Authority:
    """What the signed-in person may do on the pages this request came through."""
    if request.blueprint == ADMIN:
        return Authority(current_user.id, None, frozenset(ALL_ROLES), request.remote_addr)
    return Authority(current_user.id, current_user.unit, HR_ROLES, request.remote_addr)


def person_or_404(user_id: int, acting: Authority) -> User:
    """A person in the actor's scope (404 otherwise) whom the actor may manage (403 otherwise:
    HR must not take over an account that holds more rights than HR can grant)."""
    user = db.session.get(User, user_id)
    if user is None or not in_scope(acting.scope, user.unit):
        abort(404)
    if holds_more_rights(user.roles, acting.assignable_roles):
        abort(403)
    return user


def _fill_choices(form: UserForm, authority: Authority, user: User | None = None) -> None:
    units = units_in_scope(authority.scope)
    form.unit_code.choices = choices([("", "—")] + [(u.code, "\u2003" * u.depth + u.name) for u in units if u.active])
    lang = str(get_locale() or "id")
    positions = position_choices(lang)
    if user is not None and user.position_id and user.position_id not in dict(positions):
        positions.append((user.position_id, user.position_id))
    form.position.choices = choices([("", _("(not set)"))] + positions)
    form.roles.choices = choices((r, ROLE_LABELS[r]) for r in ALL_ROLES if r in authority.assignable_roles)
    form.employment.choices = choices((t, t.upper()) for t in EMPLOYMENT_TYPES)  # "PNS", "PPPK" in both languages


def _input_from(form: UserForm) -> UserInput:
    return UserInput(nip=form.nip.data or "", name=form.name.data or "", email=form.email.data or "",
                     unit_code=form.unit_code.data or "", position_id=form.position.data or "",
                     roles=set(form.roles.data or []), employment_type=form.employment.data or "")


def _attach(form: UserForm, problems) -> None:
    """The service's problems next to their fields; a field the form already refused (an empty
    NIP, say) keeps the form's message alone rather than saying the same thing twice."""
    fields = {"nip": form.nip, "name": form.name, "email": form.email, "unit_code": form.unit_code,
              "position": form.position, "roles": form.roles, "employment": form.employment}
    refused = {name for name, f in fields.items() if f.errors}
    for field_name, message in problems:
        if field_name in refused:
            continue
        fields[field_name].errors = list(fields[field_name].errors) + [message]


def _checked_or_problems(form: UserForm, acting: Authority, existing: User | None = None):
    """The form's and the service's checks together, so that every problem shows at once (the
    form's required fields used to hide the service's checks until they were filled in). The
    checked data, or None with every problem attached to its field. Nothing is checked when the
    form was not posted with a valid CSRF token."""
    valid = form.validate_on_submit()
    if not form.is_submitted() or "csrf_token" in form.errors:
        return None
    checked, problems = check_user(_input_from(form), acting, known_positions(), existing=existing)
    if valid and checked is not None:
        return checked
    _attach(form, problems)
    return None


def page(template: str, status: int = 200, **context):
    return render_template(template, prefix=request.blueprint, **context), status


@bp.get("")
def index():
    acting = authority()
    query = request.args.get("q", "")[:100]
    raw_page = request.args.get("page", "1")
    number = int(raw_page) if is_ascii_digits(raw_page) else 1
    per_page = current_app.config["USERS_PER_PAGE"]
    users, total = search_users(acting.scope, query, page=number, per_page=per_page)
    pages = max(1, -(-total // per_page))
    return page("people/list.html", users=users, total=total, page=min(max(number, 1), pages), pages=pages,
                query=query, upload=CsvUploadForm())


@bp.route("/new", methods=["GET", "POST"])
def new():
    acting = authority()
    form = UserForm()
    _fill_choices(form, acting)
    if request.method == "GET":
        form.roles.data = [Role.RESPONDENT.value]
    checked = _checked_or_problems(form, acting) if request.method == "POST" else None
    if checked is not None:
        user, _invitation = create_user(checked, acting)
        flash(_("%(name)s was created. Send them the invitation link below.", name=user.name), "success")
        return redirect(url_for(f"{request.blueprint}.person", user_id=user.id))
    return page("people/form.html", 200 if request.method == "GET" or not form.errors else 400, form=form,
                person=None, header=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def person(user_id: int):
    acting = authority()
    user = person_or_404(user_id, acting)
    form = UserForm(obj=None)
    _fill_choices(form, acting, user)
    if request.method == "GET":
        form.nip.data, form.name.data, form.email.data = user.nip, user.name, user.email
        form.unit_code.data, form.position.data = user.unit.code, user.position_id or ""
        form.roles.data = sorted(user.roles)
        form.employment.data = user.employment_type
    else:
        checked = _checked_or_problems(form, acting, user)
        if checked is not None:
            update_user(user, checked, acting)
            flash(_("The changes were saved."), "success")
            return redirect(url_for(f"{request.blueprint}.person", user_id=user.id))
    pending = invitations.pending_for([user])
    link = invitation_url(pending[-1]) if pending else None
    if link and request.method == "GET":
        audit.record("invitation.show", actor_id=acting.actor_id, target_type="user", target_id=user.id,
                     details={"invitation": pending[-1].id}, ip=acting.ip)
    return page("people/form.html", 200 if request.method == "GET" or not form.errors else 400, form=form,
                person=user, link=link, action=ActionForm(), header=_header(user))


def _header(user: User) -> dict:
    """The person header of the employee page (hr/_person_header.html): name, NIP, unit, position."""
    lang = str(get_locale() or "id")
    position = dict(position_choices(lang)).get(user.position_id, user.position_id) if user.position_id else None
    return {"name": user.name, "nip": user.nip, "unit": user.unit.name if user.unit else "",
            "position": position or _("(not set)"), "round": None}


@bp.post("/<int:user_id>/active/<int:active>")
def set_active(user_id: int, active: int):
    acting = authority()
    user = person_or_404(user_id, acting)
    if ActionForm().validate_on_submit():
        try:
            set_user_active(user, bool(active), acting)
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            flash(_("%(name)s is now active.", name=user.name) if active else
                  _("%(name)s is deactivated and signed out.", name=user.name), "success")
    return redirect(url_for(f"{request.blueprint}.person", user_id=user.id))


@bp.post("/<int:user_id>/invitation")
def reissue(user_id: int):
    acting = authority()
    user = person_or_404(user_id, acting)
    if ActionForm().validate_on_submit():
        invitations.issue(user, actor_id=acting.actor_id, ip=acting.ip)
        flash(_("A new invitation link was made; earlier links no longer work."), "success")
    return redirect(url_for(f"{request.blueprint}.person", user_id=user.id))


@bp.route("/import", methods=["GET", "POST"])
def import_people():
    acting = authority()
    form = CsvUploadForm()
    problems, created = [], []
    if form.validate_on_submit():
        try:
            created = import_employees(form.file.data.read(), acting, known_positions())
        except CsvImportRefused as refused:
            problems = refused.problems
            flash(str(refused.message), "error")
        else:
            flash(_("%(count)d employees were imported. Download their invitation links below.", count=len(created)),
                  "success")
    status = 400 if problems or (request.method == "POST" and form.errors) else 200
    return page("people/import.html", status, form=form, problems=problems, created=[user for user, _ in created])


@bp.route("/invitations.csv", methods=["GET", "POST"])
def invitations_download():
    """Pending invitation links of the people in scope (or of the ids asked for) whom the actor may
    manage: a link to an account with more rights than the actor's would hand that account over.
    The import page posts its ids: thousands of them do not fit in a URL."""
    acting = authority()
    wanted = {int(v) for v in request.values.getlist("user") if is_ascii_digits(v)}
    users, _total = search_users(acting.scope, "", page=1, per_page=1_000_000)
    users = [u for u in users if (not wanted or u.id in wanted)
             and not holds_more_rights(u.roles, acting.assignable_roles)]
    pending = invitations.pending_for(users)
    audit.record("invitation.export", actor_id=acting.actor_id,
                 details={"count": len(pending), "users": [inv.user_id for inv in pending]}, ip=acting.ip)
    return download(invitations_csv(pending), "text/csv", "undangan-swanilai.csv")
