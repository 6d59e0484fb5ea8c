"""A person's assessments: start with consent, save answers, submit once, read the result.

Every function takes the person as an argument and checks ownership itself; an assessment of
someone else is reported as NotFound, never as "forbidden", so ids cannot be probed."""

from __future__ import annotations

from typing import Any, Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value

from ..engine import questionnaire as engine
from ..engine.answers import AnswersInvalid, check_answers, missing_required
from ..engine.stored import result_from_plain, result_to_plain
from ..engine.training import result_to_dict
from ..extensions import db
from ..models import Answer, Assessment, AssessmentStatus, EmploymentType, QuestionnaireVersion, Round, User, \
    VersionStatus, utcnow
from . import audit
from . import rounds as round_rules
from .errors import Conflicting, NotFound, ServiceError
from .questionnaires import latest_published, parsed
from .results import result_rows, score_assessment, write_result_rows

IN_PROGRESS = AssessmentStatus.IN_PROGRESS.value
SUBMITTED = AssessmentStatus.SUBMITTED.value


class AlreadySubmitted(Conflicting):
    """The assessment is submitted and read-only."""


class RoundClosed(Conflicting):
    """The assessment's round is closed: its data set is frozen."""


class MissingAnswers(Exception):
    """Required items without an answer, by domain: {domain id: [item id, …]}."""

    def __init__(self, by_domain: dict[str, list[str]]):
        super().__init__(", ".join(by_domain))
        self.by_domain = by_domain


def own_assessments(user: User) -> list[Assessment]:
    return list(db.session.scalars(select(Assessment).where(Assessment.user_id == user.id)
                                   .order_by(Assessment.started_at.desc(), Assessment.id.desc())))


def own_assessment(user: User, assessment_id: int) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or assessment.user_id != user.id:
        raise NotFound(_l("This assessment does not exist."))
    return assessment


def open_versions() -> list[QuestionnaireVersion]:
    """The newest published version of each questionnaire: the ones a self-assessment may use."""
    return latest_published()


def versions_to_start(user: User) -> list[QuestionnaireVersion]:
    """What the person may start on: the version of the round open for them, else the newest
    published ones (a self-assessment outside any round)."""
    round_ = round_rules.open_round_for(user)
    if round_ is not None:
        return [round_.version] if round_.version.status == VersionStatus.PUBLISHED.value else []
    return open_versions()


def progress(assessment: Assessment) -> tuple[int, int]:
    """(domains whose questions for the person's position are all answered, domains)."""
    model = model_of(assessment)
    answered = stored_answers(assessment)
    done = sum(1 for domain in model.domains
               if all(item.id in answered for item in domain.scored_items_for(assessment.position_id)))
    return done, len(model.domains)


def start(user: User, version: QuestionnaireVersion, position_id: str, *, target_position_id: str | None = None,
          ip: str | None = None) -> Assessment:
    """Begin an assessment after consent, or return the one the person already has: in the
    round open for them (at most one per person per round), else their self-assessment in
    progress outside any round. Unit and position are copied so that later moves of the person
    do not rewrite this assessment's history."""
    if version.status != VersionStatus.PUBLISHED.value:
        raise ServiceError(_l("This questionnaire version is no longer open for new assessments."))
    round_ = round_rules.open_round_for(user)
    if round_ is not None and round_.version_id != version.id:
        raise ServiceError(_l("The round “%(name)s” is open for you: answer its questionnaire.", name=round_.name))
    model = parsed(version)
    positions = {p.id for p in model.positions}
    if position_id not in positions:
        raise ServiceError(_l("Choose your position from the list."), field="position")
    if target_position_id and target_position_id not in positions:
        raise ServiceError(_l("Choose the position you aim for from the list."), field="target_position")
    lock_person(user)
    existing = current_assessment(user, round_)
    if existing is not None:
        return existing
    now = utcnow()
    assessment = Assessment(user_id=user.id, version_id=version.id, round_id=round_.id if round_ else None,
                            unit_id=user.unit_id, position_id=position_id,
                            target_position_id=(target_position_id or None) if target_position_id != position_id
                            else None,
                            status=IN_PROGRESS, started_at=now, updated_at=now, consent_at=now)
    db.session.add(assessment)
    if not user.position_id:
        user.position_id = position_id
    db.session.flush()
    audit.record("assessment.start", actor_id=user.id, target_type="assessment", target_id=assessment.id,
                 details={"version": version.id, "position": position_id, "round": assessment.round_id,
                          "target_position": assessment.target_position_id,
                          "position_on_profile": user.position_id}, ip=ip)
    return assessment


def lock_person(user: User) -> None:
    """Serialise two starts of the same person (a double tap, two tabs) until the transaction
    ends: PostgreSQL locks the person's row; SQLite ignores FOR UPDATE and opens its transaction
    only at the first write, so a no-op write takes its (database-wide) write lock here, before
    the check for an existing assessment, and the second start waits, then finds the first's."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(User).where(User.id == user.id).values(id=User.id)
                           .execution_options(synchronize_session=False))
    else:
        db.session.execute(select(User.id).where(User.id == user.id).with_for_update())


def current_assessment(user: User, round_: Round | None) -> Assessment | None:
    """The person's assessment in ``round_``; without a round, their self-assessment in progress."""
    query = select(Assessment).where(Assessment.user_id == user.id)
    if round_ is not None:
        query = query.where(Assessment.round_id == round_.id)
    else:
        query = query.where(Assessment.round_id.is_(None), Assessment.status == IN_PROGRESS)
    return db.session.scalars(query.order_by(Assessment.id.desc()).limit(1)).first()


def discard(assessment: Assessment, *, ip: str | None = None) -> None:
    """Delete a self-assessment in progress outside any round, with its answers. An assessment of
    a round stays: it is part of the round's data set."""
    if assessment.status != IN_PROGRESS:
        raise AlreadySubmitted(_l("This assessment is already submitted; it is kept in your history."))
    if assessment.round_id is not None:
        raise Conflicting(_l("An assessment of a round cannot be discarded; continue it instead."))
    audit.record("assessment.discard", actor_id=assessment.user_id, target_type="assessment",
                 target_id=assessment.id, details={"version": assessment.version_id}, ip=ip)
    db.session.execute(delete(Answer).where(Answer.assessment_id == assessment.id))
    db.session.delete(assessment)
    db.session.flush()


def may_discard(assessment: Assessment) -> bool:
    return assessment.status == IN_PROGRESS and assessment.round_id is None


def require_open_round(assessment: Assessment) -> None:
    """Answers change only while the assessment's round is open (always, outside rounds)."""
    round_ = assessment.round
    if round_ is not None and not round_rules.is_open(round_):
        raise RoundClosed(_l("The round “%(name)s” is closed, so its answers can no longer be changed.",
                             name=round_.name))


def set_target_position(assessment: Assessment, position_id: str | None, *, ip: str | None = None) -> None:
    """Name (or clear, with an empty value) the position the person aims for."""
    position_id = position_id or None
    if position_id is not None and position_id not in {p.id for p in model_of(assessment).positions}:
        raise ServiceError(_l("Choose the position you aim for from the list."), field="target_position")
    if position_id == assessment.position_id:
        position_id = None
    assessment.target_position_id = position_id
    audit.record("assessment.target_position", actor_id=assessment.user_id, target_type="assessment",
                 target_id=assessment.id, details={"target_position": position_id}, ip=ip)


def model_of(assessment: Assessment) -> engine.Questionnaire:
    return parsed(assessment.version)


def stored_answers(assessment: Assessment) -> dict[str, Any]:
    rows = db.session.execute(select(Answer.item_id, Answer.value).where(Answer.assessment_id == assessment.id))
    return {item_id: value for item_id, value in rows}


def check_posted(model: engine.Questionnaire, raw: Mapping[str, Any], domain_id: str | None) -> dict[str, Any]:
    """Validate posted answers with the engine; AnswersInvalid lists every bad one."""
    return check_answers(model, raw, domain_id=domain_id)


def save_answers(assessment: Assessment, raw: Mapping[str, Any], *, domain_id: str | None) -> int:
    """Store the posted answers of one domain (or any domains) all at once, or none of them.

    Answers posted as empty are removed (the person cleared them). The answers are written only
    after a conditional UPDATE has found the assessment still in progress, in the same
    transaction: a submit that got there first makes this refuse, and one that comes later sees
    ``updated_at`` moved and scores again, so stored answers always match the stored result."""
    if assessment.status != IN_PROGRESS:
        raise AlreadySubmitted(_l("This assessment is already submitted and can no longer be changed."))
    require_open_round(assessment)
    model = model_of(assessment)
    clean = check_posted(model, raw, domain_id)
    now = utcnow()
    still_open = db.session.execute(
        update(Assessment).where(Assessment.id == assessment.id, Assessment.status == IN_PROGRESS)
        .values(updated_at=now).execution_options(synchronize_session=False))
    if still_open.rowcount != 1:
        raise AlreadySubmitted(_l("This assessment is already submitted and can no longer be changed."))
    set_committed_value(assessment, "updated_at", now)
    cleared = [item_id for item_id in raw if item_id not in clean]
    if cleared:
        db.session.execute(delete(Answer).where(Answer.assessment_id == assessment.id, Answer.item_id.in_(cleared)))
    if clean:
        upsert_answers(assessment.id, clean)
    return len(clean)


def upsert_answers(assessment_id: int, answers: Mapping[str, Any]) -> None:
    """One INSERT … ON CONFLICT for all answers (SQLite and PostgreSQL both support it)."""
    now = utcnow()
    rows = [{"assessment_id": assessment_id, "item_id": item_id, "value": value, "updated_at": now}
            for item_id, value in answers.items()]
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(Answer).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[Answer.assessment_id, Answer.item_id],
        set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at})
    db.session.execute(statement)


def first_open_domain(assessment: Assessment) -> str:
    """Where to resume: the first domain with an unanswered scored item of the person's position
    ("not applicable" is an answer), else the last domain."""
    model = model_of(assessment)
    answered = stored_answers(assessment)
    for domain in model.domains:
        if any(item.id not in answered for item in domain.scored_items_for(assessment.position_id)):
            return domain.id
    return model.domains[-1].id


def missing_by_domain(model: engine.Questionnaire, answers: Mapping[str, Any],
                      position_id: str | None = None) -> dict[str, list[str]]:
    """Required items without an answer, by domain; with ``position_id``, only the items the
    person in that position is asked (an item limited to other positions is never missing)."""
    missing: dict[str, list[str]] = {}
    for item_id in missing_required(model, answers, position_id=position_id):
        missing.setdefault(model.item(item_id).domain_id, []).append(item_id)
    return missing


SUBMIT_ATTEMPTS = 3


def submit(assessment: Assessment, *, ip: str | None = None) -> Assessment:
    """Score and freeze the assessment in one transaction; idempotent. The caller commits.

    The answers are read and scored first, outside any write; then one conditional UPDATE
    stores the result and claims the assessment, but only while it is still in progress and
    unchanged since the answers were read (saving answers moves ``updated_at``). So the stored
    result is computed from exactly the frozen answers, a database that serialises writers
    (SQLite) holds its write lock only for the few writes at the end, and of two simultaneous
    submits (double click, two tabs) exactly one claims; the other finds it submitted and
    returns the stored result. When answers were saved in between, the submit scores again."""
    for _attempt in range(SUBMIT_ATTEMPTS):
        if assessment.status == SUBMITTED:
            return assessment
        require_open_round(assessment)
        if _claim_with_result(assessment, ip):
            return assessment
        db.session.rollback()
        db.session.refresh(assessment)
    raise ServiceError(_l("The answers changed while they were being submitted. Please submit again."))


def _claim_with_result(assessment: Assessment, ip: str | None) -> bool:
    model = model_of(assessment)
    read_at = assessment.updated_at
    try:
        answers = check_answers(model, stored_answers(assessment))
    except AnswersInvalid as invalid:  # answers are checked when saved; this guards old rows
        raise ServiceError(_l("Some stored answers are no longer valid: %(items)s.",
                              items=", ".join(invalid.errors))) from None
    missing = missing_by_domain(model, answers, assessment.position_id)
    if missing:
        raise MissingAnswers(missing)
    employment_type = employment_type_of(assessment)
    result = score_assessment(model, answers, assessment.position_id, employment_type)
    now = utcnow()
    frozen = {"status": SUBMITTED, "submitted_at": now, "updated_at": now, "latest": True,
              "total_jp": result.plan.total_jp, "result": result_to_plain(result),
              "employment_type": employment_type}
    claimed = db.session.execute(
        update(Assessment).where(Assessment.id == assessment.id, Assessment.status == IN_PROGRESS,
                                 Assessment.updated_at == read_at)
        .values(**frozen).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    unmark_earlier(assessment)
    write_result_rows(*result_rows(model, assessment.id, assessment.unit_id, result))
    audit.record("assessment.submit", actor_id=assessment.user_id, target_type="assessment",
                 target_id=assessment.id, details={"total_jp": result.plan.total_jp}, ip=ip)
    for key, value in frozen.items():  # what the UPDATE stored, without reading the row back
        set_committed_value(assessment, key, value)
    return True


def employment_type_of(assessment: Assessment) -> str:
    """The person's employment type at submit, which the assessment keeps (PNS without a person)."""
    user = assessment.user
    return user.employment_type if user is not None and user.employment_type else EmploymentType.PNS.value


def unmark_earlier(assessment: Assessment) -> None:
    """This submit is the person's current result of its round (``latest``); earlier ones of the
    same round (or, outside rounds, of none) stay as history."""
    same_round = (Assessment.round_id.is_(None) if assessment.round_id is None
                  else Assessment.round_id == assessment.round_id)
    db.session.execute(update(Assessment).where(Assessment.user_id == assessment.user_id, Assessment.latest.is_(True),
                                                same_round, Assessment.id != assessment.id)
                       .values(latest=False).execution_options(synchronize_session=False))


def result_for(assessment: Assessment, lang: str) -> dict[str, Any]:
    """The result computed at submit, with the texts of the assessment's own version."""
    if assessment.result is None:
        raise NotFound(_l("This assessment has no result yet."))
    model = model_of(assessment)
    return with_descriptors(model, result_to_dict(model, result_from_plain(model, assessment.result), lang), lang)


def with_descriptors(model: engine.Questionnaire, result: dict[str, Any], lang: str) -> dict[str, Any]:
    """Each domain with the descriptor of the level reached and of the next level, from the
    questionnaire's own words, so a level explains itself ("to reach Mahir you would …")."""
    for d in result["domains"]:
        domain = model.domain(d["id"])
        d["descriptor"] = _descriptor(model, domain, d["level"], lang)
        following = d["level"] + 1 if d["level"] is not None and d["level"] < model.top_level else None
        d["next_level"] = None if following is None else {
            "level": following, "name": model.level_name(following, lang),
            "descriptor": _descriptor(model, domain, following, lang)}
    return result


def _descriptor(model: engine.Questionnaire, domain, level: int | None, lang: str) -> str | None:
    if level is None or not 1 <= level <= len(domain.levels):
        return None
    return domain.levels[level - 1].descriptor.get(lang)
