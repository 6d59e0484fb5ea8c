"""The demo's yearly cycle: synthetic people of the province answering three rounds, so the first
look at the dashboard shows a round in progress and the trend against the year before.

- "AKPK 2025" and "AKPK 2026" are closed: about nine in ten people submitted in each;
- "AKPK 2027" is open (it opened two weeks ago and closes in four): about half have submitted,
  some are in progress, the others have not started (HR's reminder list);
- a person's skill grows a little from one round to the next, more for those who trained, so
  some gaps close; about one in five people is a PPPK, and some name a position they aim for;
- last year's plan (the province's, for "AKPK <this year>") is set by the demo approver with a
  budget ceiling, and HR recorded the modules those who trained completed (realisation); next
  year's plan is a draft with a ceiling, waiting to be set."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import insert, select

from ..engine import questionnaire as engine
from ..engine.stored import result_to_plain
from ..extensions import db
from ..models import Assessment, AssessmentStatus, EmploymentType, Realisation, Role, Round, Unit, User, UserRole
from ..services import unit_plans
from ..services.clock import office_today
from ..services.unit_reports import Filters, summarise
from ..services.results import answer_rows, result_rows, score_assessment, write_answers, write_result_rows
from .demo_people import random_answers, synthetic_nip


@dataclass(frozen=True)
class DemoRound:
    name: str
    opens_on: date
    closes_on: date
    closed: bool
    submitted: float  # share of people who submitted
    in_progress: float  # share of the others who started


def demo_rounds(today: date) -> list[DemoRound]:
    this_year = today.year
    return [
        DemoRound(f"AKPK {this_year - 1}", date(this_year - 2, 11, 3), date(this_year - 2, 12, 12), True, 0.88, 0.4),
        DemoRound(f"AKPK {this_year}", date(this_year - 1, 11, 2), date(this_year - 1, 12, 11), True, 0.91, 0.4),
        DemoRound(f"AKPK {this_year + 1}", today - timedelta(days=14), today + timedelta(days=28), False, 0.52, 0.35),
    ]


@dataclass
class Person:
    user_id: int
    unit_id: int
    position_id: str
    employment_type: str
    target_position_id: str | None
    skill: float


def seed_rounds(version_id: int, model: engine.Questionnaire, count: int, rng: random.Random) -> int:
    """``count`` synthetic people and their assessments in the three demo rounds; returns how
    many assessments were submitted."""
    root = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(1))
    units = list(db.session.scalars(select(Unit).where(Unit.parent_id.is_not(None)).order_by(Unit.id)))
    people = _people(model, units, count, rng)
    submitted = 0
    rounds = demo_rounds(office_today())
    for n, demo in enumerate(rounds):
        round_ = Round(name=demo.name, unit_id=root.id, version_id=version_id, opens_on=demo.opens_on,
                       closes_on=demo.closes_on, closed_at=_moment(demo.closes_on, 17) if demo.closed else None)
        db.session.add(round_)
        db.session.flush()
        count_submitted, results = _answer_round(round_, demo, model, people, rng)
        submitted += count_submitted
        last_closed = n == len(rounds) - 2
        if last_closed:
            _set_plan(round_, root, demo, 600_000_000)
        elif not demo.closed:
            _draft_plan(round_, root, 300_000_000)
        for person in people:  # a year of experience, and training for some
            bump = rng.choice((0.0, 0.03, 0.05, 0.12))
            person.skill = min(1.0, person.skill + bump)
            if last_closed and bump == 0.12 and person.user_id in results:
                _realise(person, results[person.user_id], demo.closes_on, rng)
        db.session.commit()
    return submitted


def _approver() -> User | None:
    return db.session.scalars(select(User).join(UserRole, UserRole.user_id == User.id)
                              .where(UserRole.role == Role.APPROVER.value).order_by(User.id).limit(1)).first()


def _set_plan(round_: Round, root: Unit, demo: DemoRound, ceiling: int) -> None:
    approver = _approver()
    plan = _draft_plan(round_, root, ceiling)
    if approver is None:
        return
    summary = summarise(Filters(root, round=round_))
    figures = unit_plans.plan_figures(summary, root, plan)
    unit_plans.set_plan(plan, approver, "Serang", demo.closes_on + timedelta(days=21),
                        "Kepala Badan Kepegawaian Daerah", figures, summary)


def _draft_plan(round_: Round, root: Unit, ceiling: int):
    plan = unit_plans.ensure_draft(round_, root, actor_id=None)
    plan.budget_ceiling = ceiling
    db.session.flush()
    return plan


def _realise(person: Person, result, closed_on: date, rng: random.Random) -> None:
    """The first one or two modules of the person's plan, completed during the year after."""
    today = office_today()
    for entry in result.plan.entries[:rng.choice((1, 2))]:
        day = min(today, closed_on + timedelta(days=rng.randrange(60, 330)))
        db.session.add(Realisation(user_id=person.user_id, module_id=entry.module_id, completed_on=day,
                                   jp=entry.jp, provider="BPSDM Provinsi Banten"))


def _people(model: engine.Questionnaire, units: list[Unit], count: int, rng: random.Random) -> list[Person]:
    positions = [p.id for p in model.positions]
    offset = db.session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0
    rows, shapes = [], []
    for n in range(count):
        index = offset + n
        unit = units[index % len(units)]
        position = positions[index % len(positions)]
        pppk = rng.random() < 0.2
        rows.append({"nip": synthetic_nip(index), "name": f"Pegawai Contoh {index}",
                     "email": f"pegawai{index}@contoh.swanilai.id", "unit_id": unit.id, "position_id": position,
                     "active": True, "employment_type": (EmploymentType.PPPK if pppk else EmploymentType.PNS).value})
        others = [p for p in positions if p != position]
        target = rng.choice(others) if others and rng.random() < 0.25 else None
        skill = min(1.0, max(0.0, rng.betavariate(2.2, 2.0) + (unit.id % 3 - 1) * 0.08 - 0.08))
        shapes.append((unit.id, position, rows[-1]["employment_type"], target, skill))
    user_ids = list(db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), rows))
    db.session.execute(insert(UserRole), [{"user_id": uid, "role": "respondent"} for uid in user_ids])
    return [Person(uid, *shape) for uid, shape in zip(user_ids, shapes)]


def _moment(day: date, hour: int) -> datetime:
    """A time on ``day`` at the office (WIB, UTC+7), stored as naive UTC."""
    local = datetime.combine(day, time(hour)).replace(tzinfo=timezone(timedelta(hours=7)))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _answer_round(round_: Round, demo: DemoRound, model: engine.Questionnaire, people: list[Person],
                  rng: random.Random) -> int:
    last_day = min(demo.closes_on, office_today())
    span = max(1, (last_day - demo.opens_on).days)
    rows, scored, results = [], [], {}
    for person in people:
        roll = rng.random()
        if roll >= demo.submitted + (1 - demo.submitted) * demo.in_progress:
            continue  # not started
        started = _moment(demo.opens_on + timedelta(days=rng.randrange(span)), rng.randrange(8, 16))
        answers = random_answers(model, rng, person.skill)
        row = {"user_id": person.user_id, "version_id": round_.version_id, "round_id": round_.id,
               "unit_id": person.unit_id, "position_id": person.position_id,
               "target_position_id": person.target_position_id, "started_at": started, "consent_at": started,
               "updated_at": started + timedelta(minutes=25)}
        if roll < demo.submitted:
            result = score_assessment(model, answers, person.position_id, person.employment_type)
            row.update(status=AssessmentStatus.SUBMITTED.value, submitted_at=started + timedelta(minutes=31),
                       latest=True, total_jp=result.plan.total_jp, result=result_to_plain(result),
                       employment_type=person.employment_type)
            scored.append((person, answers, result))
            results[person.user_id] = result
        else:
            row.update(status=AssessmentStatus.IN_PROGRESS.value, latest=False)
            first = model.domains[0].id
            answers = {item: value for item, value in answers.items() if model.item(item).domain_id == first}
            scored.append((person, answers, None))
        rows.append(row)
    ids = list(db.session.scalars(insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True), rows))
    answers_rows, domains, plans = [], [], []
    for assessment_id, (person, answers, result) in zip(ids, scored):
        answers_rows.extend(answer_rows(assessment_id, answers))
        if result is not None:
            domain_rows, plan_rows = result_rows(model, assessment_id, person.unit_id, result)
            domains.extend(domain_rows)
            plans.extend(plan_rows)
    write_answers(answers_rows)
    write_result_rows(domains, plans)
    return sum(1 for *_, result in scored if result is not None), results
