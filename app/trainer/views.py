"""Trainer pages: the questionnaires and their versions."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select

from ..extensions import db
from ..models import Assessment, Questionnaire
from ..roles import roles_required

bp = Blueprint("trainer", __name__)


@bp.before_request
@roles_required("trainer", "admin")
def require_trainer():
    """Trainers own the questionnaires; admins may look too."""


@bp.get("/")
def home():
    questionnaires = list(db.session.scalars(select(Questionnaire).order_by(Questionnaire.slug)))
    assessment_counts = dict(db.session.execute(
        select(Assessment.version_id, func.count(Assessment.id)).group_by(Assessment.version_id)).all())
    return render_template("trainer/home.html", questionnaires=questionnaires, assessment_counts=assessment_counts)
