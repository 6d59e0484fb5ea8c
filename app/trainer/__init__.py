"""The trainer pages. This table is every URL of the blueprint; the views live in `views`
(versions, drafts in the YAML editor, publishing, diffs, export, statistics), `editor` (the form
editor) and `preview` (preview and try-scoring)."""

from flask import Blueprint

from . import calibration, editor, preview, views

bp = Blueprint("trainer", __name__)
bp.before_request(views.require_trainer)

ROUTES = [
    ("/", views.home, ["GET"]),
    ("/upload", views.upload, ["POST"]),
    ("/versions/<int:version_id>/draft", views.new_draft, ["POST"]),
    ("/versions/<int:version_id>/retire", views.retire, ["GET", "POST"]),
    ("/versions/<int:version_id>/unretire", views.unretire, ["GET", "POST"]),
    ("/versions/<int:version_id>/export.yaml", views.export, ["GET"]),
    ("/versions/<int:version_id>/statistics", views.statistics, ["GET"]),
    ("/versions/<int:version_id>/statistics.<fmt>", views.statistics_export, ["GET"]),
    ("/versions/<int:version_id>/calibration", calibration.calibration, ["GET"]),
    ("/versions/<int:version_id>/preview", preview.preview, ["GET", "POST"]),
    ("/drafts/<int:version_id>/yaml", views.edit_yaml, ["GET", "POST"]),
    ("/drafts/<int:version_id>/edit", editor.edit_form, ["GET", "POST"]),
    ("/drafts/<int:version_id>/publish", views.publish, ["GET", "POST"]),
    ("/drafts/<int:version_id>/delete", views.delete_draft, ["GET", "POST"]),
    ("/drafts/<int:version_id>/remove", editor.remove_element, ["GET", "POST"]),
    ("/drafts/<int:version_id>/restore", editor.restore_element, ["POST"]),
    ("/drafts/<int:version_id>/impact", calibration.impact, ["GET"]),
    ("/diff", views.compare, ["GET"]),
]
for rule, view, methods in ROUTES:
    bp.add_url_rule(rule, view_func=view, methods=methods)

__all__ = ["bp"]
