"""The approver's pages (the PPK, or the official it delegates to): the draft plans of their unit
and below, a plan with its figures, and setting it (place, date, position; name and NIP from the
approver's own profile). Without the approver role every page answers 404, as for any object
outside one's rights; so does a plan outside the approver's scope."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..models import PlanStatus, Role, UnitPlan
from ..services import rounds as round_rules
from ..services import unit_plans as service
from ..services import unit_reports as reports
from ..services.clock import office_today
from ..services.errors import Conflicting, NotFound, ServiceError
from ..services.permissions import may_use
from ..web.forms import ActionForm
from .figures import later_rows, rows_of, totals_of
from .forms import SetPlanForm

APPROVER = Role.APPROVER.value


def require_approver():
    """A visitor signs in first; a signed-in person without the approver role gets 404."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not may_use(current_user.roles, (APPROVER,)):
        abort(404)
    return None


def lang() -> str:
    return str(get_locale() or "id")


def plan_or_404(plan_id: int) -> UnitPlan:
    try:
        return service.plan_in_scope(plan_id, current_user.unit)
    except NotFound:
        abort(404)


def summary_of(plan: UnitPlan):
    return reports.summarise(reports.Filters(plan.unit, round=plan.round))


def index():
    drafts = []
    for plan in service.plans_in_scope(current_user.unit, PlanStatus.DRAFT.value):
        drafts.append((plan, totals_of(service.plan_figures(summary_of(plan), plan.unit, plan))))
    done = [(plan, totals_of(service.frozen_figures(plan)))
            for plan in service.plans_in_scope(current_user.unit, PlanStatus.SET.value)]
    return render_template("plans/approver_list.html", drafts=drafts, done=done)


def render_plan(plan: UnitPlan, form: SetPlanForm | None = None, status: int = 200):
    summary = summary_of(plan)
    figures = service.figures_of(summary, plan.unit, plan)
    if form is None:
        form = SetPlanForm(formdata=None)
        form.on.data = office_today()
    if not plan.is_set:
        form.seen.data = service.fingerprint(figures, summary)
    return render_template("plans/approver_plan.html", plan=plan, summary=summary, figures=figures,
                           rows=rows_of(figures, summary.model, lang()), totals=totals_of(figures),
                           later=later_rows(figures, summary.model, lang()), form=form,
                           current=service.current_plan(plan.round, plan.unit), action=ActionForm(),
                           round_open=round_rules.state_of(plan.round) != round_rules.CLOSED), status


def plan(plan_id: int):
    return render_plan(plan_or_404(plan_id))


def set_plan(plan_id: int):
    loaded = plan_or_404(plan_id)
    form = SetPlanForm()
    if not form.validate_on_submit():
        return render_plan(loaded, form, 400)
    summary = summary_of(loaded)
    figures = service.plan_figures(summary, loaded.unit, loaded)
    try:
        service.set_plan(loaded, current_user._get_current_object(), form.place.data, form.on.data,
                         form.position.data, figures, summary, seen=form.seen.data or "", ip=request.remote_addr)
    except NotFound:
        abort(404)
    except Conflicting as problem:
        flash(str(problem.message), "error")
        return render_plan(loaded, form, 409)
    except ServiceError as problem:
        getattr(form, problem.field or "position", form.position).errors.append(problem.message)
        return render_plan(loaded, form, 400)
    flash(_("The plan of %(unit)s for %(round)s is set.", unit=loaded.unit.name, round=loaded.round.name), "success")
    return redirect(url_for("approver.plan", plan_id=loaded.id))
