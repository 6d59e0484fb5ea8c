"""Assessment rounds: open one for a unit and everything below it, follow who has not started,
close it to freeze its data set.

Rules (each refused with a plain message before anything is written):

- the closing date is not before the opening date, and the version is published;
- two rounds that are not closed never cover the same people on the same day: their units'
  subtrees intersect (one unit is the other or above it) and their date ranges meet;
- a closed round changes no more; a round whose assessments have started keeps its version.

A round is *planned* before its opening date, *open* from it to its closing date (the office's
dates, both included) and *closed* after that or once someone closed it (``closed_at``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select

from ..extensions import db
from ..models import Assessment, QuestionnaireVersion, Role, Round, Unit, User, UserRole, VersionStatus, utcnow
from . import audit
from .clock import office_today
from .errors import Conflicting, NotFound, ServiceError
from .permissions import in_scope
from .validation import clean_name

PLANNED, OPEN, CLOSED = "planned", "open", "closed"
NAME_MAX = 120


def state(opens_on: date, closes_on: date, closed: bool, today: date) -> str:
    """``planned``, ``open`` or ``closed`` on ``today``."""
    if closed or today > closes_on:
        return CLOSED
    return PLANNED if today < opens_on else OPEN


def state_of(round_: Round, today: date | None = None) -> str:
    return state(round_.opens_on, round_.closes_on, round_.closed_at is not None, today or office_today())


def is_open(round_: Round, today: date | None = None) -> bool:
    return state_of(round_, today) == OPEN


def covers(round_: Round, unit: Unit) -> bool:
    """The round is for this unit's people: its unit is the unit or above it."""
    return unit.path.startswith(round_.unit.path)


@dataclass(frozen=True)
class RoundInput:
    name: str
    unit_id: int | None
    version_id: int | None
    opens_on: date | None
    closes_on: date | None


def _subtrees_meet(path: str):
    """Rounds whose unit is ``path``'s unit, above it or below it."""
    return or_(Unit.path.startswith(path), func.substr(path, 1, func.length(Unit.path)) == Unit.path)


def overlapping(unit: Unit, opens_on: date, closes_on: date, *, except_id: int | None = None,
                today: date | None = None) -> list[Round]:
    """Rounds not closed that cover some of the same people on some of the same days."""
    today = today or office_today()
    query = (select(Round).join(Unit, Round.unit_id == Unit.id)
             .where(_subtrees_meet(unit.path), Round.closed_at.is_(None), Round.closes_on >= today,
                    Round.opens_on <= closes_on, Round.closes_on >= opens_on))
    if except_id is not None:
        query = query.where(Round.id != except_id)
    return list(db.session.scalars(query.order_by(Round.opens_on)))


def check(data: RoundInput, scope: Unit | None, *,
          existing: Round | None = None) -> tuple[str, Unit, QuestionnaireVersion]:
    """The cleaned name, the unit and the version, or ServiceError naming the field."""
    name = clean_name(data.name or "")
    if not name:
        raise ServiceError(_l("Give the round a name, such as “AKPK 2027”."), field="name")
    if len(name) > NAME_MAX:
        raise ServiceError(_l("The name is too long (at most %(max)s characters).", max=NAME_MAX), field="name")
    unit = db.session.get(Unit, data.unit_id) if data.unit_id else None
    if unit is None or not in_scope(scope, unit) or not unit.active:
        raise ServiceError(_l("Choose a unit from the list."), field="unit")
    version = db.session.get(QuestionnaireVersion, data.version_id) if data.version_id else None
    if version is None or version.status != VersionStatus.PUBLISHED.value:
        raise ServiceError(_l("Choose a published questionnaire version."), field="version")
    if data.opens_on is None:
        raise ServiceError(_l("Enter the opening date."), field="opens_on")
    if data.closes_on is None:
        raise ServiceError(_l("Enter the closing date."), field="closes_on")
    if data.closes_on < data.opens_on:
        raise ServiceError(_l("The closing date is before the opening date."), field="closes_on")
    today = office_today()
    if data.closes_on < today:
        raise ServiceError(_l("The closing date has already passed."), field="closes_on")
    if existing is not None and has_assessments(existing) and data.opens_on > today >= existing.opens_on:
        raise ServiceError(_l("People have already started in this round, so it cannot open later than today."),
                           field="opens_on")
    clash = overlapping(unit, data.opens_on, data.closes_on, except_id=existing.id if existing else None)
    if clash:
        other = clash[0]
        raise ServiceError(_l("These dates overlap the round “%(name)s” (%(unit)s, %(opens)s – %(closes)s), which "
                              "covers some of the same people. Change the dates or the unit.",
                              name=other.name, unit=other.unit.name, opens=other.opens_on.isoformat(),
                              closes=other.closes_on.isoformat()), field="opens_on")
    return name, unit, version


def create(data: RoundInput, scope: Unit | None, *, actor_id: int, ip: str | None = None) -> Round:
    name, unit, version = check(data, scope)
    round_ = Round(name=name, unit_id=unit.id, version_id=version.id, opens_on=data.opens_on,
                   closes_on=data.closes_on, created_by_id=actor_id)
    db.session.add(round_)
    db.session.flush()
    audit.record("round.create", actor_id=actor_id, target_type="round", target_id=round_.id,
                 details={"name": name, "unit": unit.code, "version": version.id,
                          "opens_on": data.opens_on.isoformat(), "closes_on": data.closes_on.isoformat()}, ip=ip)
    return round_


def has_assessments(round_: Round) -> bool:
    return bool(db.session.scalar(select(exists().where(Assessment.round_id == round_.id))))


def update(round_: Round, data: RoundInput, scope: Unit | None, *, actor_id: int, ip: str | None = None) -> Round:
    if state_of(round_) == CLOSED:
        raise Conflicting(_l("This round is closed; its data set no longer changes."))
    name, unit, version = check(data, scope, existing=round_)
    started = has_assessments(round_)
    if started and (unit.id != round_.unit_id or version.id != round_.version_id):
        raise ServiceError(_l("People have already started in this round, so its unit and questionnaire "
                              "version stay as they are."), field="version")
    before = {"name": round_.name, "opens_on": round_.opens_on.isoformat(), "closes_on": round_.closes_on.isoformat(),
              "unit": round_.unit.code, "version": round_.version_id}
    round_.name, round_.unit_id, round_.version_id = name, unit.id, version.id
    round_.opens_on, round_.closes_on = data.opens_on, data.closes_on
    db.session.flush()
    audit.record("round.update", actor_id=actor_id, target_type="round", target_id=round_.id,
                 details={"before": before, "name": name, "opens_on": data.opens_on.isoformat(),
                          "closes_on": data.closes_on.isoformat(), "unit": unit.code, "version": version.id}, ip=ip)
    return round_


def close(round_: Round, *, actor_id: int, ip: str | None = None) -> Round:
    """Freeze the round: nobody starts, answers or submits in it any more. Idempotent."""
    if round_.closed_at is not None:
        return round_
    round_.closed_at = utcnow()
    round_.closed_by_id = actor_id
    db.session.flush()
    audit.record("round.close", actor_id=actor_id, target_type="round", target_id=round_.id, ip=ip)
    return round_


def in_view(scope: Unit | None):
    """Rounds someone with this scope may follow: their unit is in the scope, or above it (a
    province round covers the people of a sub-unit's HR office too)."""
    query = select(Round).join(Unit, Round.unit_id == Unit.id)
    if scope is not None:
        query = query.where(_subtrees_meet(scope.path))
    return query


def rounds_in_view(scope: Unit | None) -> list[Round]:
    """Newest first."""
    return list(db.session.scalars(in_view(scope).order_by(Round.opens_on.desc(), Round.id.desc())))


def round_in_view(round_id: int, scope: Unit | None) -> Round:
    round_ = db.session.scalar(in_view(scope).where(Round.id == round_id))
    if round_ is None:
        raise NotFound(_l("This round does not exist."))
    return round_


def may_manage(round_: Round, scope: Unit | None) -> bool:
    """Changing or closing a round needs its unit in the scope (viewing a covering one does not)."""
    return in_scope(scope, round_.unit)


def rounds_meeting(unit: Unit) -> list[Round]:
    """Rounds covering some people of ``unit``'s subtree, newest first: a dashboard's choices."""
    return list(db.session.scalars(in_view(unit).order_by(Round.opens_on.desc(), Round.id.desc())))


def previous(round_: Round, unit: Unit) -> Round | None:
    """The round a trend compares ``round_`` with: the newest that opened before it and covers
    all of its people (its unit is ``round_``'s or above it), so both count the same population
    (a round of one office is not the province's previous round). ``unit``: the figures' unit,
    which both rounds must meet."""
    for candidate in rounds_meeting(unit):
        if (candidate.opens_on, candidate.id) < (round_.opens_on, round_.id) and covers(candidate, round_.unit):
            return candidate
    return None


def rounds_for_person(user: User) -> list[Round]:
    """Rounds covering the person's unit that are open or planned, soonest first."""
    today = office_today()
    ancestors = [int(part) for part in user.unit.path.strip("/").split("/") if part]
    return list(db.session.scalars(
        select(Round).where(Round.unit_id.in_(ancestors), Round.closed_at.is_(None), Round.closes_on >= today)
        .order_by(Round.opens_on, Round.id)))


def open_round_for(user: User) -> Round | None:
    """The round the person answers in today, if any (rounds that are not closed never overlap)."""
    return next((r for r in rounds_for_person(user) if is_open(r)), None)


@dataclass(frozen=True)
class NotStarted:
    user: User
    unit_name: str
    has_password: bool


def not_started_query(round_: Round, scope: Unit | None):
    """Active respondents the round covers (within the scope) with no assessment in it."""
    started = exists().where(Assessment.round_id == round_.id, Assessment.user_id == User.id)
    query = (select(User, Unit.name).join(Unit, User.unit_id == Unit.id)
             .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == Role.RESPONDENT.value))
             .where(User.active.is_(True), Unit.path.startswith(round_.unit.path), ~started))
    if scope is not None:
        query = query.where(Unit.path.startswith(scope.path))
    return query


def not_started(round_: Round, scope: Unit | None, *, page: int, per_page: int) -> tuple[list[NotStarted], int]:
    """One page of the people who have not started, by unit then name, and how many there are."""
    query = not_started_query(round_, scope)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(query.order_by(Unit.name, User.name, User.id)
                              .offset((page - 1) * per_page).limit(per_page)).all()
    return [NotStarted(user, unit_name, user.password_hash is not None) for user, unit_name in rows], total
