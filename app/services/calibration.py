"""Calibration from collected data for trainers (issue 12, part 5): a published version's
distributions and suggested scoring parameters, and a draft's impact preview on the answers
collected on a published version. Nothing is written: publishing stays a new version, stored
results stay tied to their version. The arithmetic is in ``app/engine/calibration.py`` and
``app/engine/impact.py``.

Who counts: each person's latest submitted assessment of the version, once (anonymised ones
each once: they have no person to repeat). Nothing is shown below ``minimum`` people
(``STATS_MIN_RESPONSES``); the page then says how many more are needed.

- The calibration reads the **stored results** (computed at submit with the version's rules):
  levels, levels before caps, caps, and under ``anchored`` the self-rated level and scenario
  score. Only under ``thresholds`` (whose results hold no self-rating) are the rating answers read
  too, for the self-rated level the contrasting-groups method uses as its criterion.
- The impact preview reads the stored answers, domain results and plan totals, and scores the
  answers again with the draft's rules (``engine.impact.rescore``): about a millisecond per
  person, in the request.

Bound: both read at most ``LIMIT`` people (20,000): the latest assessments; the page says so when
there are more. Moving the work to background jobs is a later issue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..engine import questionnaire as engine
from ..engine.calibration import DEFAULT_PERCENTILE, Calibration, calibrate, observe
from ..engine.impact import Impact, Outcome, impact, outcome_of, rescore
from ..engine.model import Questionnaire
from ..engine.stored import result_from_plain
from ..extensions import db
from ..models import Assessment, DomainResult, QuestionnaireVersion, Unit
from .collected import Headcount, answers_of, chunks, latest_per_person
from .errors import ServiceError
from .questionnaires import parsed

LIMIT = 20_000  # people read at most, the latest assessments (re-scoring costs about 1 ms each)


class DraftInvalid(ServiceError):
    """The draft has problems: nothing can be scored with it yet."""

    def __init__(self, problems):
        super().__init__(_l("The draft has problems; fix them before previewing its impact."))
        self.problems = problems


@dataclass
class Counted(Headcount):
    """A headcount of which at most ``limit`` people are read."""

    limit: int = LIMIT

    @property
    def limited(self) -> bool:
        """More people than ``limit``: only the latest ``limit`` are read."""
        return self.respondents > self.limit

    @property
    def counted(self) -> int:
        return min(self.respondents, self.limit)


@dataclass
class CalibrationPage(Counted):
    calibration: Calibration | None = None


@dataclass
class ImpactPage(Counted):
    impact: Impact | None = None
    refused_answers: int = 0  # stored answers the draft no longer accepts (e.g. a removed option)
    unit_names: dict[int, str] = field(default_factory=dict)
    domain_names: dict[str, str] = field(default_factory=dict)


def version_calibration(version: QuestionnaireVersion, *, minimum: int,
                        percentile: int = DEFAULT_PERCENTILE) -> CalibrationPage:
    """Distributions and suggested values of a published (or retired) version, from ``minimum``
    people on; method figures need a tenth of ``minimum`` people (at least 1) in each group."""
    model = parsed(version)
    ids = latest_per_person([version.id])
    page = CalibrationPage(len(ids), minimum, LIMIT)
    if not page.enough:
        return page
    ratings = {item.id for domain in model.domains for item in domain.rating_items}
    people = []
    for chunk in chunks(ids[-page.limit:]):
        stored = db.session.execute(select(Assessment.id, Assessment.result).where(Assessment.id.in_(chunk))).all()
        results = {i: result_from_plain(model, data) for i, data in stored if data}
        lacking = [i for i, result in results.items()
                   if any(ds.self_rated_level is None and ds.level is not None for ds in result.scores.domains)]
        answers = answers_of(lacking, ratings) if lacking else {}
        people += [observe(model, result, answers.get(i)) for i, result in results.items()]
    page.calibration = calibrate(model, people, percentile=percentile, min_group=max(1, minimum // 10))
    return page


def draft_model(draft: QuestionnaireVersion) -> Questionnaire:
    try:
        return parsed(draft)
    except engine.QuestionnaireInvalid as invalid:
        raise DraftInvalid(invalid.problems) from None


def draft_impact(draft: QuestionnaireVersion, against: QuestionnaireVersion, *, minimum: int,
                 lang: str) -> ImpactPage:
    """What the draft's rules would make of the answers collected on ``against``: per domain the
    people whose level goes up, down or stays and whose gap changes, per unit (the assessment's
    unit) the people affected and the plans' JP before (stored) and after (the draft). Only
    answers to items the draft has count, each scored by the draft's rules. Raises DraftInvalid."""
    model, old = draft_model(draft), parsed(against)
    ids = latest_per_person([against.id])
    page = ImpactPage(len(ids), minimum, LIMIT)
    if not page.enough:
        return page
    rows: list[tuple[int, Outcome, Outcome | None]] = []
    for chunk in chunks(ids[-page.limit:]):
        people = db.session.execute(select(Assessment.id, Assessment.unit_id, Assessment.position_id,
                                           Assessment.total_jp).where(Assessment.id.in_(chunk))).all()
        levels: dict[int, dict[str, int | None]] = {i: {} for i in chunk}
        gaps: dict[int, dict[str, int | None]] = {i: {} for i in chunk}
        for assessment_id, domain_id, level, gap in db.session.execute(
                select(DomainResult.assessment_id, DomainResult.domain_id, DomainResult.level, DomainResult.gap)
                .where(DomainResult.assessment_id.in_(chunk))):
            levels[assessment_id][domain_id] = level
            gaps[assessment_id][domain_id] = gap
        answers = answers_of(chunk)
        for assessment_id, unit_id, position_id, total_jp in people:
            result, refused = rescore(model, answers[assessment_id], position_id)
            page.refused_answers += refused
            before = Outcome(levels[assessment_id], gaps[assessment_id], total_jp or 0)
            rows.append((unit_id, before, None if result is None else outcome_of(result)))
    kept = {d.id for d in model.domains}
    page.impact = impact(rows, [d.id for d in model.domains] + [d.id for d in old.domains if d.id not in kept])
    page.domain_names = {d.id: d.name.get(lang) for d in (*old.domains, *model.domains)}
    unit_ids = [u.unit_id for u in page.impact.units]
    page.unit_names = dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all()) \
        if unit_ids else {}
    page.impact.units.sort(key=lambda u: (page.unit_names.get(u.unit_id, "").lower(), u.unit_id))
    return page
