"""The employee pages that admins (every unit) and HR (their own units) share.

Each function takes the acting person's `Authority` and the blueprint's endpoint prefix, so the
admin and HR blueprints stay thin and the scope check lives in one place."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .downloads import download
from .extensions import db
from .links import invitation_url, invitations_csv
from .models import Role, User
from .navigation import ROLE_LABELS
from .people_forms import ActionForm, CsvUploadForm, UserForm
from .roles import holds_more_rights
from .services import audit, invitations
from .services.csv_files import CsvImportRefused
from .services.errors import ServiceError
from .services.questionnaires import known_positions, position_choices
from .services.units import in_scope, units_in_scope
from .services.users import Authority, UserInput, check_user, create_user, import_employees, search_users, \
    set_user_active, update_user
from .validation import is_ascii_digits

ALL_ROLES = tuple(r.value for r in Role)
HR_ROLES = frozenset({Role.RESPONDENT.value, Role.HR.value})


def authority_for(user: User, *, as_admin: bool) -> Authority:
    if as_admin:
        return Authority(user.id, None, frozenset(ALL_ROLES), request.remote_addr)
    return Authority(user.id, user.unit, HR_ROLES, request.remote_addr)


def user_in_scope_or_404(user_id: int, authority: Authority) -> User:
    user = db.session.get(User, user_id)
    if user is None or (authority.scope is not None and not in_scope(authority.scope, user.unit)):
        abort(404)
    if holds_more_rights(user.roles, authority.assignable_roles):
        abort(403)  # HR must not take over an account that holds more rights than HR can grant
    return user


def _fill_choices(form: UserForm, authority: Authority, user: User | None = None) -> None:
    units = units_in_scope(authority.scope)
    form.unit_code.choices = [("", "—")] + [(u.code, "\u2003" * u.depth + u.name) for u in units if u.active]
    lang = str(get_locale() or "id")
    positions = position_choices(lang)
    if user is not None and user.position_id and user.position_id not in dict(positions):
        positions.append((user.position_id, user.position_id))
    form.position.choices = [("", _("(not set)"))] + positions
    form.roles.choices = [(r, ROLE_LABELS[r]) for r in ALL_ROLES if r in authority.assignable_roles]


def _input_from(form: UserForm) -> UserInput:
    return UserInput(nip=form.nip.data or "", name=form.name.data or "", email=form.email.data or "",
                     unit_code=form.unit_code.data or "", position_id=form.position.data or "",
                     roles=set(form.roles.data or []))


def _attach(form: UserForm, problems) -> None:
    fields = {"nip": form.nip, "name": form.name, "email": form.email, "unit_code": form.unit_code,
              "position": form.position, "roles": form.roles}
    for field_name, message in problems:
        fields[field_name].errors = list(fields[field_name].errors) + [message]


def list_people(authority: Authority, prefix: str):
    query = request.args.get("q", "")[:100]
    page = request.args.get("page", 1, type=int) or 1
    per_page = current_app.config["USERS_PER_PAGE"]
    users, total = search_users(authority.scope, query, page=page, per_page=per_page)
    pages = max(1, -(-total // per_page))
    return render_template("people/list.html", users=users, total=total, page=min(max(page, 1), pages),
                           pages=pages, query=query, prefix=prefix, upload=CsvUploadForm())


def new_person(authority: Authority, prefix: str):
    form = UserForm()
    _fill_choices(form, authority)
    if request.method == "GET":
        form.roles.data = [Role.RESPONDENT.value]
    if form.validate_on_submit():
        checked, problems = check_user(_input_from(form), authority, known_positions())
        if checked is not None:
            user, invitation = create_user(checked, authority)
            db.session.commit()
            flash(_("%(name)s was created. Send them the invitation link below.", name=user.name), "success")
            return redirect(url_for(f"{prefix}.person", user_id=user.id))
        _attach(form, problems)
    return render_template("people/form.html", form=form, person=None, prefix=prefix), 200 if request.method == "GET" or not form.errors else 400


def edit_person(authority: Authority, prefix: str, user_id: int):
    user = user_in_scope_or_404(user_id, authority)
    form = UserForm(obj=None)
    _fill_choices(form, authority, user)
    if request.method == "GET":
        form.nip.data, form.name.data, form.email.data = user.nip, user.name, user.email
        form.unit_code.data, form.position.data, form.roles.data = user.unit.code, user.position_id or "", sorted(user.roles)
    elif form.validate_on_submit():
        checked, problems = check_user(_input_from(form), authority, known_positions(), existing=user)
        if checked is not None:
            update_user(user, checked, authority)
            db.session.commit()
            flash(_("The changes were saved."), "success")
            return redirect(url_for(f"{prefix}.person", user_id=user.id))
        _attach(form, problems)
    pending = invitations.pending_for([user])
    link = invitation_url(pending[-1]) if pending else None
    if link:
        audit.record("invitation.show", actor_id=authority.actor_id, target_type="user", target_id=user.id,
                     details={"invitation": pending[-1].id}, ip=authority.ip)
        db.session.commit()
    return render_template("people/form.html", form=form, person=user, prefix=prefix, link=link,
                           action=ActionForm()), 200 if request.method == "GET" or not form.errors else 400


def set_active(authority: Authority, prefix: str, user_id: int, active: bool):
    user = user_in_scope_or_404(user_id, authority)
    if ActionForm().validate_on_submit():
        try:
            set_user_active(user, active, authority)
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is now active.", name=user.name) if active else
                  _("%(name)s is deactivated and signed out.", name=user.name), "success")
    return redirect(url_for(f"{prefix}.person", user_id=user.id))


def reissue(authority: Authority, prefix: str, user_id: int):
    user = user_in_scope_or_404(user_id, authority)
    if ActionForm().validate_on_submit():
        invitations.issue(user, actor_id=authority.actor_id, ip=authority.ip)
        db.session.commit()
        flash(_("A new invitation link was made; earlier links no longer work."), "success")
    return redirect(url_for(f"{prefix}.person", user_id=user.id))


def import_people(authority: Authority, prefix: str):
    form = CsvUploadForm()
    problems = []
    created = []
    if form.validate_on_submit():
        try:
            created = import_employees(form.file.data.read(), authority, known_positions())
        except CsvImportRefused as refused:
            db.session.rollback()
            problems = refused.problems
            flash(str(refused.message), "error")
        else:
            db.session.commit()
            flash(_("%(count)d employees were imported. Download their invitation links below.", count=len(created)),
                  "success")
    status = 400 if problems or (request.method == "POST" and form.errors) else 200
    return render_template("people/import.html", form=form, problems=problems,
                           created=[user for user, _ in created], prefix=prefix), status


def invitation_csv(authority: Authority, prefix: str):
    """Pending invitation links of the people in scope (or of the ids asked for) whom the actor may
    manage: a link to an account with more rights than the actor's would hand that account over.
    The import page posts its ids: thousands of them do not fit in a URL."""
    wanted = {int(v) for v in request.values.getlist("user") if is_ascii_digits(v)}
    users, _total = search_users(authority.scope, "", page=1, per_page=1_000_000)
    users = [u for u in users if (not wanted or u.id in wanted)
             and not holds_more_rights(u.roles, authority.assignable_roles)]
    pending = invitations.pending_for(users)
    audit.record("invitation.export", actor_id=authority.actor_id,
                 details={"count": len(pending), "users": [inv.user_id for inv in pending]}, ip=authority.ip)
    db.session.commit()
    return download(invitations_csv(pending), "text/csv", "undangan-swanilai.csv")


def signed_in_authority(as_admin: bool) -> Authority:
    return authority_for(current_user, as_admin=as_admin)
