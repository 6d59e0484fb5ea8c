"""HR pages: the units in the person's scope and their employees."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from .. import people_views as people
from ..extensions import db
from ..models import CorrectionRequest
from ..people_forms import ActionForm
from ..roles import roles_required
from ..services import privacy
from ..services.units import in_scope, units_in_scope
from ..services.users import active_people_per_unit

bp = Blueprint("hr", __name__)
PREFIX = "hr"


@bp.before_request
@roles_required("hr")
def require_hr():
    """Every HR page needs the hr role; the scope is the person's own unit and everything below it."""


def _authority():
    return people.signed_in_authority(as_admin=False)


@bp.get("/")
def home():
    units = units_in_scope(current_user.unit)
    counts = active_people_per_unit([u.id for u in units])
    return render_template("hr/home.html", units=units, counts=counts, scope=current_user.unit)


@bp.get("/employees")
def employees():
    return people.list_people(_authority(), PREFIX)


@bp.route("/employees/new", methods=["GET", "POST"])
def new_user():
    return people.new_person(_authority(), PREFIX)


@bp.route("/employees/<int:user_id>", methods=["GET", "POST"])
def person(user_id: int):
    return people.edit_person(_authority(), PREFIX, user_id)


@bp.post("/employees/<int:user_id>/active/<int:active>")
def user_active(user_id: int, active: int):
    return people.set_active(_authority(), PREFIX, user_id, bool(active))


@bp.post("/employees/<int:user_id>/invitation")
def reissue(user_id: int):
    return people.reissue(_authority(), PREFIX, user_id)


@bp.route("/employees/import", methods=["GET", "POST"])
def import_users():
    return people.import_people(_authority(), PREFIX)


@bp.route("/employees/invitations.csv", methods=["GET", "POST"])
def invitations_csv():
    return people.invitation_csv(_authority(), PREFIX)


@bp.get("/corrections")
def corrections():
    return render_template("hr/corrections.html", corrections=privacy.open_corrections(current_user.unit),
                           action=ActionForm())


@bp.post("/corrections/<int:correction_id>/done")
def correction_done(correction_id: int):
    correction = db.session.get(CorrectionRequest, correction_id)
    if correction is None or not in_scope(current_user.unit, correction.user.unit):
        abort(404)
    if ActionForm().validate_on_submit():
        privacy.resolve_correction(correction, actor_id=current_user.id, ip=request.remote_addr)
        db.session.commit()
    return redirect(url_for("hr.corrections"))
