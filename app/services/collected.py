"""The answers collected on questionnaire versions, as the trainer's statistics and calibration
read them: one attempt per person (each person's latest submitted assessment; anonymised ones
count each once, having no person to repeat) and their stored answers, read in chunks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from sqlalchemy import func, select

from ..extensions import db
from ..models import Answer, Assessment, AssessmentStatus

CHUNK = 500  # ids per IN list, well inside SQLite's and PostgreSQL's parameter limits


@dataclass
class Headcount:
    """How many people a page counts against the minimum it needs before it shows figures."""

    respondents: int
    minimum: int

    @property
    def enough(self) -> bool:
        return self.respondents >= self.minimum

    @property
    def missing(self) -> int:
        """How many more people must submit before figures are shown."""
        return max(0, self.minimum - self.respondents)


def latest_per_person(version_ids: Iterable[int]) -> list[int]:
    """Ids of each person's latest submitted assessment among these versions, oldest first."""
    submitted = (Assessment.version_id.in_(list(version_ids)), Assessment.status == AssessmentStatus.SUBMITTED.value)
    named = select(func.max(Assessment.id)).where(*submitted, Assessment.user_id.is_not(None)) \
        .group_by(Assessment.user_id)
    anonymous = select(Assessment.id).where(*submitted, Assessment.user_id.is_(None))
    return sorted(set(db.session.scalars(named)) | set(db.session.scalars(anonymous)))


def chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def answers_of(ids: list[int], item_ids: set[str] | None = None) -> dict[int, dict[str, Any]]:
    """Stored answers per assessment (only of ``item_ids`` when given), every id present."""
    answers: dict[int, dict[str, Any]] = {assessment_id: {} for assessment_id in ids}
    for chunk in chunks(ids):
        statement = select(Answer.assessment_id, Answer.item_id, Answer.value).where(Answer.assessment_id.in_(chunk))
        if item_ids is not None:
            statement = statement.where(Answer.item_id.in_(sorted(item_ids)))
        for assessment_id, item_id, value in db.session.execute(statement):
            answers[assessment_id][item_id] = value
    return answers
