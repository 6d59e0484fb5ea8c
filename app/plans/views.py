"""HR's plan page for a unit and round (the filters of the dashboard: ``unit``, ``round``): its
status, the budget ceiling, the year-1 needs in priority order with what the ceiling covers,
the quarter and provider per module, the unit's own prices of the modes, and later years.
Every write goes through services/unit_plans.py; a refused one shows the page again (400)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..engine.budget import COST_BASES
from ..reports.figures import mode_label
from ..services import rounds as round_rules
from ..services import unit_plans as service
from ..services import unit_reports as reports
from ..services.errors import Conflicting, NotFound, ServiceError
from ..services.units import units_in_scope
from ..web.access import roles_required
from ..web.errors import render_error
from ..web.forms import ActionForm, choices
from .figures import QUARTERS, cost_basis_label, later_rows, rows_of, totals_of
from .forms import CeilingForm, ModeCostForm, ModuleChoiceForm


@roles_required("hr")
def require_hr():
    """Every HR plan page needs the hr role; the scope is the officer's unit and below."""


def lang() -> str:
    return str(get_locale() or "id")


def filters_or_error():
    try:
        return service.plan_filters(reports.parse_filters(request.args, current_user.unit)), None
    except NotFound:
        return None, render_error(404)
    except reports.FilterError as error:
        return None, render_error(400, str(error.message))


def plan_args(filters) -> dict:
    """The page's own arguments: the unit and the round (none: outside rounds)."""
    return {"unit": filters.unit.id, "round": filters.round.id if filters.round is not None else "none"}


def back(filters):
    return redirect(url_for("hr_plan.page", **plan_args(filters)))


def module_form(module_id: str, figures, formdata=None) -> ModuleChoiceForm:
    form = ModuleChoiceForm(formdata=formdata, prefix=f"m-{module_id}")
    form.quarter.choices = choices([("", _("None"))] + [(str(n), label) for n, label in QUARTERS.items()])
    if formdata is None:
        quarter = figures.quarters.get(module_id)
        form.quarter.data = str(quarter) if quarter else ""
        form.provider.data = figures.providers.get(module_id, "")
    return form


def cost_form(spec, formdata=None) -> ModeCostForm:
    form = ModeCostForm(formdata=formdata, prefix=f"c-{spec.mode}")
    form.cost_per.choices = choices((basis, cost_basis_label(basis)) for basis in COST_BASES)
    if formdata is None:
        form.cost_per.data = spec.cost_per
        form.amount.data = format_decimal(spec.amount) if spec.amount else ""
        form.class_size.data = str(spec.class_size) if spec.class_size else ""
    return form


def render_page(filters, *, status: int = 200, ceiling_form=None, bad_module=None, bad_mode=None):
    """The page; ``bad_*`` is (key, form with errors) of a refused post, shown as posted."""
    summary = reports.summarise(filters)
    model = summary.model
    plan = service.current_plan(filters.round, filters.unit)
    figures = service.figures_of(summary, filters.unit, plan)
    if ceiling_form is None:
        ceiling_form = CeilingForm(formdata=None)
        if plan is not None and plan.budget_ceiling:
            ceiling_form.ceiling.data = format_decimal(plan.budget_ceiling)
    module_forms = {line.need.module_id: module_form(line.need.module_id, figures)
                    for line in figures.budget.lines}
    if bad_module:
        module_forms[bad_module[0]] = bad_module[1]
    own_modes = service.modes_for(current_user.unit, model)
    cost_forms = {mode: cost_form(spec) for mode, spec in own_modes.items()}
    if bad_mode:
        cost_forms[bad_mode[0]] = bad_mode[1]
    return render_template(
        "plans/hr.html", filters=filters, args=plan_args(filters), summary=summary, plan=plan, figures=figures,
        rows=rows_of(figures, model, lang()), totals=totals_of(figures),
        later=later_rows(figures, model, lang()), ceiling_form=ceiling_form, module_forms=module_forms,
        cost_forms=cost_forms, own_modes=own_modes, own_unit=current_user.unit, action=ActionForm(),
        quarters=QUARTERS, cost_basis_label=cost_basis_label,
        units=units_in_scope(current_user.unit), rounds=round_rules.rounds_meeting(current_user.unit),
        replaced=service.plan_in_scope(plan.replaces_id, current_user.unit) if plan and plan.replaces_id else None,
    ), status


def page():
    filters, error = filters_or_error()
    if error:
        return error
    return render_page(filters)


def _refused(form, error: ServiceError, default: str) -> None:
    getattr(form, error.field or default, getattr(form, default)).errors.append(error.message)


def _general_refusal(filters, error: ServiceError):
    flash(str(error.message), "error")
    return render_page(filters, status=409 if isinstance(error, Conflicting) else 400)


def ceiling():
    filters, error = filters_or_error()
    if error:
        return error
    form = CeilingForm()
    if not form.validate_on_submit():
        return render_page(filters, status=400, ceiling_form=form)
    try:
        plan = service.set_ceiling(filters.round, filters.unit, form.ceiling.data, actor_id=current_user.id,
                                   ip=request.remote_addr)
    except ServiceError as problem:
        if problem.field in {"ceiling"}:
            _refused(form, problem, "ceiling")
            return render_page(filters, status=400, ceiling_form=form)
        return _general_refusal(filters, problem)
    flash(_("The budget ceiling is Rp %(amount)s.", amount=format_decimal(plan.budget_ceiling)), "success")
    return back(filters)


def module_choice(module_id: str):
    filters, error = filters_or_error()
    if error:
        return error
    form = module_form(module_id, None, formdata=request.form)
    if not form.validate_on_submit():
        return render_page(filters, status=400, bad_module=(module_id, form))
    summary = reports.summarise(filters)
    try:
        service.set_module_choice(filters.round, filters.unit, summary.model, module_id, form.quarter.data,
                                  form.provider.data, actor_id=current_user.id, ip=request.remote_addr)
    except ServiceError as problem:
        if problem.field in {"quarter", "provider"}:
            _refused(form, problem, "quarter")
            return render_page(filters, status=400, bad_module=(module_id, form))
        return _general_refusal(filters, problem)
    flash(_("The quarter and provider of the module are saved."), "success")
    return back(filters)


def mode_cost(mode: str):
    filters, error = filters_or_error()
    if error:
        return error
    summary = reports.summarise(filters)
    known = service.modes_for(current_user.unit, summary.model)
    if mode not in known:
        return render_error(404)
    form = cost_form(known[mode], formdata=request.form)
    if not form.validate_on_submit():
        return render_page(filters, status=400, bad_mode=(mode, form))
    try:
        service.set_mode_cost(current_user.unit, mode, form.cost_per.data or "", form.amount.data,
                              form.class_size.data, known_modes=known,
                              plan=service.current_plan(filters.round, filters.unit), actor_id=current_user.id,
                              ip=request.remote_addr)
    except ServiceError as problem:
        if problem.field in {"cost_per", "amount", "class_size"}:
            _refused(form, problem, "amount")
            return render_page(filters, status=400, bad_mode=(mode, form))
        return _general_refusal(filters, problem)
    flash(_("The cost of %(mode)s is saved for %(unit)s and the units below it.",
            mode=mode_label(mode), unit=current_user.unit.name), "success")
    return back(filters)


def revision():
    filters, error = filters_or_error()
    if error:
        return error
    if not ActionForm().validate_on_submit():
        return render_page(filters, status=400)
    try:
        service.start_revision(filters.round, filters.unit, actor_id=current_user.id, ip=request.remote_addr)
    except ServiceError as problem:
        return _general_refusal(filters, problem)
    flash(_("A revision of the plan is started as a draft. The set plan stays on record."), "success")
    return back(filters)
