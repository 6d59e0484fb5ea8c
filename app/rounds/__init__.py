"""Assessment rounds, one blueprint registered twice: for admins (every unit) under /admin/rounds
and for HR (their unit and below, and the rounds above it that cover their people) under
/hr/rounds. This table is every URL of the blueprint."""

from flask import Blueprint

from . import views

bp = Blueprint("rounds", __name__)
bp.before_request(views.require_role)

ROUTES = [
    ("/", views.index, ["GET"]),
    ("/new", views.new, ["GET", "POST"]),
    ("/<int:round_id>", views.detail, ["GET"]),
    ("/<int:round_id>/edit", views.edit, ["GET", "POST"]),
    ("/<int:round_id>/close", views.close, ["GET", "POST"]),
]
for rule, view, methods in ROUTES:
    bp.add_url_rule(rule, view_func=view, methods=methods)

__all__ = ["bp"]
