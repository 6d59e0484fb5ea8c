"""Sign-in, sign-out, invitation links and the choice of role."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..models import utcnow
from ..web.access import ACTIVE_ROLE_KEY, choose_active_role, home_url
from ..web.errors import render_error
from ..web.transaction import keep_despite_refusal
from ..services import audit, invitations, passwords, pending
from ..services.errors import ServiceError
from ..services.passwords import credentials_match
from ..services.pending import SESSION_KEY as PENDING_KEY
from ..services.sessions import end_session, start_session
from ..services.users import find_by_login
from ..web.urls import is_local_path
from ..web.forms import LoginForm
from .forms import ChangePasswordForm, LogoutForm, RoleForm, SetPasswordForm
from .throttle import account_key, sign_in_throttle

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_url())
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = find_by_login(form.login.data)
        throttle = sign_in_throttle()
        account = account_key(user.id if user else None, form.login.data)
        attempt = throttle.begin(request.remote_addr or "-", account)
        if not attempt.allowed:
            abort(429)
        if credentials_match(user, form.password.data):
            throttle.succeeded(attempt)
            return _sign_in(user, form.next.data, kept=pending.keep_sealed(form.kept.data, user.id))
        audit.record("auth.login_failed", actor_id=None, target_type="user",
                     target_id=user.id if user else None, ip=request.remote_addr)
        keep_despite_refusal()
        if throttle.over_limit(account):
            return render_error(429)
        g.login_failed = True
        form.password.errors.append(_("The NIP/e-mail or password is wrong, or the account is not active."))
    return render_template("auth/login.html", form=form), 401 if g.get("login_failed") else 200


def _sign_in(user, next_path: str | None, kept: str | None = None):
    """A fresh session for the signed-in person, so a session id planted before sign-in is useless."""
    session.clear()
    if kept:
        session[PENDING_KEY] = kept
    start_session(user)
    login_user(user)
    session.permanent = True
    session[ACTIVE_ROLE_KEY] = choose_active_role(user.roles, None)
    user.last_login_at = utcnow()
    audit.record("auth.login", actor_id=user.id, target_type="user", target_id=user.id, ip=request.remote_addr)
    if is_local_path(next_path):
        return redirect(next_path)
    return redirect(home_url())


@bp.post("/logout")
@login_required
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        audit.record("auth.logout", actor_id=current_user.id, target_type="user", target_id=current_user.id,
                     ip=request.remote_addr)
        end_session(current_user.login_session_id)
        logout_user()
        session.clear()
        flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/role")
@login_required
def switch_role():
    form = RoleForm()
    if form.validate_on_submit() and form.role.data in current_user.roles:
        session[ACTIVE_ROLE_KEY] = form.role.data
    return redirect(home_url())


INVITATION_KEY = "invitation_token"


@bp.get("/invitation/<token>")
def invitation_link(token: str):
    """The link from HR, exchanged on first use for a token in this browser's session."""
    held = session.get(INVITATION_KEY)
    if held and invitations.invitation_id_of(held) == invitations.invitation_id_of(token):
        return redirect(url_for("auth.invitation"), 303)  # the same browser following the link again
    try:
        pending = invitations.open_invitation(token)
    except invitations.InvitationRefused as refused:
        return render_template("auth/invitation_refused.html", message=refused.message), 400
    session[INVITATION_KEY] = invitations.claim(pending, ip=request.remote_addr)
    return redirect(url_for("auth.invitation"), 303)


@bp.route("/invitation", methods=["GET", "POST"])
def invitation():
    try:
        pending = invitations.open_invitation(session.get(INVITATION_KEY) or "")
    except invitations.InvitationRefused as refused:
        return render_template("auth/invitation_refused.html", message=refused.message), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept(session[INVITATION_KEY], form.password.data, ip=request.remote_addr)
        except ServiceError as error:
            form.password.errors.append(error.message)
        else:
            flash(_("Your password is set. Welcome to Swanilai."), "success")
            return _sign_in(user, None)
    return render_template("auth/invitation.html", form=form, person=pending.user)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Guessing the current password here is limited like sign-in and audited."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        throttle = sign_in_throttle()
        attempt = throttle.begin(request.remote_addr or "-", account_key(current_user.id, ""))
        if not attempt.allowed:
            abort(429)
        try:
            passwords.change_password(current_user, form.current.data, form.password.data)
        except ServiceError as error:
            if error.field == "current":
                audit.record("auth.password_change_failed", actor_id=current_user.id, target_type="user",
                             target_id=current_user.id, ip=request.remote_addr)
                keep_despite_refusal()
            else:
                throttle.succeeded(attempt)
            getattr(form, error.field or "password").errors.append(error.message)
        else:
            throttle.succeeded(attempt)
            flash(_("Your password was changed. You were signed out everywhere else."), "success")
            return _sign_in(current_user._get_current_object(), None)
    return render_template("auth/password.html", form=form), 400 if request.method == "POST" else 200
