"""Item statistics of a published version for trainers: which items to rewrite."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..engine.statistics import ItemStatistics, domain_alpha, item_statistics
from ..extensions import db
from ..models import Answer, Assessment, AssessmentStatus, QuestionnaireVersion
from .questionnaires import parsed


@dataclass
class DomainStatistics:
    domain_id: str
    alpha: float | None
    items: tuple[ItemStatistics, ...]


@dataclass
class VersionStatistics:
    respondents: int
    minimum: int
    domains: list[DomainStatistics] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.respondents >= self.minimum


def version_statistics(version: QuestionnaireVersion, *, minimum: int) -> VersionStatistics:
    """Answer distributions, item-rest correlations and Cronbach's alpha per domain, over the
    submitted assessments of this version; computed only when at least `minimum` people answered."""
    submitted = (Assessment.version_id == version.id, Assessment.status == AssessmentStatus.SUBMITTED.value)
    respondents = db.session.scalar(select(func.count(Assessment.id)).where(*submitted)) or 0
    stats = VersionStatistics(respondents, minimum)
    if not stats.enough:
        return stats
    model = parsed(version)
    responses: dict[int, dict] = {}
    rows = db.session.execute(select(Answer.assessment_id, Answer.item_id, Answer.value)
                              .join(Assessment, Assessment.id == Answer.assessment_id).where(*submitted))
    for assessment_id, item_id, value in rows:
        responses.setdefault(assessment_id, {})[item_id] = value
    answers = list(responses.values())
    for domain in model.domains:
        stats.domains.append(DomainStatistics(domain.id, domain_alpha(model, answers, domain.id),
                                              tuple(item_statistics(model, answers, domain.id))))
    return stats
