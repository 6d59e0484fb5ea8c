"""Unit plans (the AKPK of a round): two blueprints, one per surface. ``hr_plan`` under /hr/plan
is HR's plan page (budget ceiling, quarter and provider per module, the unit's prices of the
modes, a revision of a set plan); ``approver`` under /approver is the approver's (the PPK or the
official it delegates to): the drafts in their scope and setting one. These tables are every URL
of the two blueprints."""

from flask import Blueprint

from . import approval, views

hr_bp = Blueprint("hr_plan", __name__)
hr_bp.before_request(views.require_hr)

HR_ROUTES = [
    ("/", views.page, ["GET"]),
    ("/ceiling", views.ceiling, ["POST"]),
    ("/modules/<module_id>", views.module_choice, ["POST"]),
    ("/modes/<mode>", views.mode_cost, ["POST"]),
    ("/revision", views.revision, ["POST"]),
]
for rule, view, methods in HR_ROUTES:
    hr_bp.add_url_rule(rule, view_func=view, methods=methods)

approver_bp = Blueprint("approver", __name__)
approver_bp.before_request(approval.require_approver)

APPROVER_ROUTES = [
    ("/", approval.index, ["GET"]),
    ("/plans/<int:plan_id>", approval.plan, ["GET"]),
    ("/plans/<int:plan_id>/set", approval.set_plan, ["POST"]),
]
for rule, view, methods in APPROVER_ROUTES:
    approver_bp.add_url_rule(rule, view_func=view, methods=methods)

__all__ = ["approver_bp", "hr_bp"]
