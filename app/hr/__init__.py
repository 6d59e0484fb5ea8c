"""The HR pages. This table is every URL of the blueprint; the views live in `views` (units and
correction requests) and `results` (dashboard, results, reports, exports). The employee pages
are the people blueprint, registered for HR under /hr/employees."""

from flask import Blueprint

from . import results, views
from . import realisations

bp = Blueprint("hr", __name__)
bp.before_request(views.require_hr)

ROUTES = [
    ("/", views.home, ["GET"]),
    ("/corrections", views.corrections, ["GET"]),
    ("/corrections/<int:correction_id>/done", views.correction_done, ["POST"]),
    ("/dashboard", results.dashboard, ["GET"]),
    ("/people", results.people, ["GET"]),
    ("/assessments/<int:assessment_id>", results.assessment, ["GET"]),
    ("/assessments/<int:assessment_id>/laporan.pdf", results.assessment_pdf, ["GET"]),
    ("/people.zip", results.people_zip, ["GET"]),
    ("/report.pdf", results.unit_report, ["GET"]),
    ("/export/<table>.<fmt>", results.export, ["GET"]),
    ("/realisations", realisations.realisations, ["GET"]),
    ("/realisations/new", realisations.realisation_new, ["GET", "POST"]),
    ("/realisations/import", realisations.realisation_import, ["GET", "POST"]),
    ("/realisations/template.csv", realisations.realisation_template, ["GET"]),
    ("/realisations/<int:realisation_id>/delete", realisations.realisation_delete, ["POST"]),
]
for rule, view, methods in ROUTES:
    bp.add_url_rule(rule, view_func=view, methods=methods)

__all__ = ["bp"]
