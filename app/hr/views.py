"""HR pages: the units in the person's scope and the correction requests of their people."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from ..web.forms import ActionForm
from ..web.access import roles_required
from ..services import privacy
from ..services.units import units_in_scope
from ..services.users import active_people_per_unit
from ..web import loaders

@roles_required("hr")
def require_hr():
    """Every HR page needs the hr role; the scope is the person's own unit and everything below it."""


def home():
    units = units_in_scope(current_user.unit)
    counts = active_people_per_unit([u.id for u in units])
    return render_template("hr/home.html", units=units, counts=counts, scope=current_user.unit)


def corrections():
    return render_template("hr/corrections.html", corrections=privacy.open_corrections(current_user.unit),
                           action=ActionForm())


def correction_done(correction_id: int):
    correction = loaders.correction_for_hr(correction_id)
    if ActionForm().validate_on_submit():
        privacy.resolve_correction(correction, actor_id=current_user.id, ip=request.remote_addr)
    return redirect(url_for("hr.corrections"))
