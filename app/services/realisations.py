"""Realisation: the competency development people completed, recorded by HR one by one or by CSV
import (issue 14, point 3), and what it means for a person's plan and a unit's set plan.

Rules of a realisation: the person is in the officer's scope (their unit or below; a person
outside it is refused with the words used for an NIP nobody has, so nothing reveals who exists
elsewhere); the module is in the catalogue of a published questionnaire (the newest version of
each); the date is neither in the future (the office's date) nor before 2000; JP is a whole
number from 1 to 200 (empty: the module's JP); the provider is at most 200 characters (empty:
the module's provider). The same person, module and date twice is refused. A CSV import is all
or nothing, like the employee import: every bad row is listed with its line, and nothing is
written unless every row is good.

A module of a person's plan counts as done when the person has a realisation of that module
completed on or after the assessment's submit date minus ``DONE_WINDOW_DAYS``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Iterator

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..engine.model import Module
from ..extensions import db
from ..models import Assessment, AssessmentStatus, PlanEntry, Realisation, Unit, UnitPlan, User
from . import audit
from .clock import office_time, office_today
from .csv_files import CsvImportRefused, CsvProblem, read_csv_rows
from .errors import Conflicting, NotFound, ServiceError
from .permissions import in_scope
from .questionnaires import latest_published, parsed
from .validation import clean_nip

COLUMNS = ("nip", "module", "date", "jp", "provider")
REQUIRED = ("nip", "module", "date")
CELL_LIMITS = {"nip": 40, "module": 64, "date": 20, "jp": 10, "provider": 200}
MIN_JP, MAX_JP = 1, 200
PROVIDER_MAX = 200
EARLIEST = date(2000, 1, 1)
DONE_WINDOW_DAYS = 365
IN_CHUNK = 500
DATE_FORMATS = ((re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z"), ("y", "m", "d")),
                (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\Z"), ("d", "m", "y")),
                (re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})\Z"), ("d", "m", "y")))

UNKNOWN_NIP = _l("Unknown NIP: no employee with this NIP in your units.")


@dataclass(frozen=True)
class Checked:
    """A realisation that passed every rule, ready to be written."""

    person: User
    module_id: str
    completed_on: date
    jp: int
    provider: str


# -- the catalogue ------------------------------------------------------------------------------

def catalogue() -> dict[str, Module]:
    """Every module of the newest published version of each questionnaire, by id (the first
    questionnaire that has an id wins)."""
    modules: dict[str, Module] = {}
    for version in latest_published():
        for module in parsed(version).modules:
            modules.setdefault(module.id, module)
    return modules


def module_choices(lang: str) -> list[tuple[str, str, Module]]:
    """(id, title, module) of the catalogue, by title."""
    return sorted(((m.id, m.title.get(lang), m) for m in catalogue().values()), key=lambda c: (c[1].lower(), c[0]))


# -- checking -----------------------------------------------------------------------------------

def parse_date(raw: Any) -> date | None:
    """YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY (a date object as it is); None when it is none of them."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw or "").strip()
    for pattern, order in DATE_FORMATS:
        match = pattern.match(text)
        if match and text.isascii():
            parts = dict(zip(order, (int(g) for g in match.groups())))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


def parse_jp(raw: Any) -> int | None:
    """A whole number of JP from 1 to 200, or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw or "").strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 4:
            return None
        value = int(text)
    return value if MIN_JP <= value <= MAX_JP else None


def person_in_scope(nip: str, scope: Unit | None) -> User | None:
    """The person with this NIP when they are in the scope; None otherwise (the same either way)."""
    nip = clean_nip(nip)
    if not nip:
        return None
    person = db.session.scalar(select(User).where(User.nip == nip))
    return person if person is not None and in_scope(scope, person.unit) else None


def check(person: User | None, module_id: str, completed_on: Any, jp: Any, provider: Any, *,
          scope: Unit | None, modules: dict[str, Module] | None = None,
          today: date | None = None) -> tuple[Checked | None, list[tuple[str, Any]]]:
    """The realisation, or None with every problem as (field, message)."""
    modules = catalogue() if modules is None else modules
    today = today or office_today()
    problems: list[tuple[str, Any]] = []
    if person is None or not in_scope(scope, person.unit):
        problems.append(("nip", UNKNOWN_NIP))
    module_id = (module_id or "").strip()
    module = modules.get(module_id)
    if not module_id:
        problems.append(("module", _l("Choose a module.")))
    elif module is None:
        problems.append(("module", _l("Unknown module %(module)s: it is not in the catalogue of a published "
                                      "questionnaire.", module=module_id)))
    day = parse_date(completed_on)
    if completed_on in (None, "") or (isinstance(completed_on, str) and not completed_on.strip()):
        problems.append(("date", _l("Enter the date the development was completed.")))
    elif day is None:
        problems.append(("date", _l("%(value)s is not a date: write it as YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY.",
                                    value=str(completed_on).strip()[:20])))
    elif day > today:
        problems.append(("date", _l("The date %(date)s is in the future: record development once it is completed.",
                                    date=day.isoformat())))
    elif day < EARLIEST:
        problems.append(("date", _l("The date %(date)s is before the year 2000.", date=day.isoformat())))
    if jp is None or (isinstance(jp, str) and not jp.strip()):  # empty: the module's JP
        hours = module.jp if module is not None else None
    else:
        hours = parse_jp(jp)
        if hours is None:
            problems.append(("jp", _l("JP must be a whole number from 1 to 200.")))
    given = " ".join(str(provider or "").split())
    if len(given) > PROVIDER_MAX:
        problems.append(("provider", _l("The provider is too long: at most %(max)d characters.", max=PROVIDER_MAX)))
    if problems:
        return None, problems
    return Checked(person, module.id, day, hours, given or module.provider), []


def _already(checked: Checked) -> bool:
    return db.session.scalar(select(func.count(Realisation.id)).where(
        Realisation.user_id == checked.person.id, Realisation.module_id == checked.module_id,
        Realisation.completed_on == checked.completed_on)) > 0


def _already_recorded_message(checked: Checked):
    return _l("This realisation is already recorded: %(module)s on %(date)s.", module=checked.module_id,
              date=checked.completed_on.isoformat())


# -- writing ------------------------------------------------------------------------------------

def _write(checked: Checked, actor: int | None, ip: str | None, source: str) -> Realisation:
    row = Realisation(user_id=checked.person.id, module_id=checked.module_id, completed_on=checked.completed_on,
                      jp=checked.jp, provider=checked.provider, recorded_by_id=actor)
    db.session.add(row)
    db.session.flush()
    audit.record("realisation.record", actor_id=actor, target_type="user", target_id=checked.person.id, ip=ip,
                 details={"realisation": row.id, "module": row.module_id, "completed_on": row.completed_on.isoformat(),
                          "jp": row.jp, "provider": row.provider, "source": source})
    return row


def record(person: User | None, module_id: str, completed_on: Any, jp: Any, provider: Any = "", *,
           actor: int | None, scope: Unit | None, ip: str | None = None) -> Realisation:
    """Record one realisation of ``person`` (None: the NIP entered belongs to nobody in scope);
    ``actor`` is the officer's user id. Raises ServiceError (with the field) before writing."""
    checked, problems = check(person, module_id, completed_on, jp, provider, scope=scope)
    if problems:
        field, message = problems[0]
        error = ServiceError(message, field=field)
        error.problems = problems
        raise error
    if _already(checked):
        raise ServiceError(_already_recorded_message(checked), field="module")
    return _write(checked, actor, ip, "form")


def import_csv(data: bytes, actor: int | None, scope: Unit | None, *, ip: str | None = None,
               max_rows: int | None = None) -> list[Realisation]:
    """Every realisation of the CSV (columns nip, module, date, jp, provider), or none: a file with
    any bad row writes nothing and the error (``CsvImportRefused``) lists every bad row with its
    line number. At most ``max_rows`` rows (default: the IMPORT_MAX_ROWS setting)."""
    if max_rows is None:
        max_rows = current_app.config["IMPORT_MAX_ROWS"]
    rows, problems = read_csv_rows(data, COLUMNS, required=REQUIRED, max_lengths=CELL_LIMITS, max_rows=max_rows)
    people = _people_in_scope([row.get("nip", "") for _line, row in rows], scope)
    modules, today = catalogue(), office_today()
    checked_rows: list[tuple[int, Checked]] = []
    for line, row in rows:
        person = people.get(clean_nip(row.get("nip", "")))
        checked, row_problems = check(person, row.get("module", ""), row.get("date", ""), row.get("jp", ""),
                                      row.get("provider", ""), scope=scope, modules=modules, today=today)
        problems.extend(CsvProblem(line, message) for _field, message in row_problems)
        if checked is not None:
            checked_rows.append((line, checked))
    seen: dict[tuple[int, str, date], int] = {}
    stored = _stored_keys({c.person.id for _line, c in checked_rows})
    for line, checked in checked_rows:
        key = (checked.person.id, checked.module_id, checked.completed_on)
        if key in seen:
            problems.append(CsvProblem(line, _l("The same realisation already appears on line %(other)d.",
                                                other=seen[key])))
        elif key in stored:
            problems.append(CsvProblem(line, _already_recorded_message(checked)))
        seen.setdefault(key, line)
    if problems:
        raise CsvImportRefused(problems)
    if not checked_rows:
        raise CsvImportRefused([CsvProblem(2, _l("The file has no realisations below the header row."))])
    return [_write(checked, actor, ip, "import") for _line, checked in checked_rows]


def _chunks(values: Iterable, size: int = IN_CHUNK) -> Iterator[list]:
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _people_in_scope(nips: list[str], scope: Unit | None) -> dict[str, User]:
    """{NIP: person} of the NIPs that belong to someone in the scope, a query per IN_CHUNK NIPs."""
    wanted = {clean_nip(nip) for nip in nips} - {""}
    found: dict[str, User] = {}
    for chunk in _chunks(wanted):
        for person in db.session.scalars(select(User).where(User.nip.in_(chunk))):
            if in_scope(scope, person.unit):
                found[person.nip] = person
    return found


def _stored_keys(user_ids: set[int]) -> set[tuple[int, str, date]]:
    keys: set[tuple[int, str, date]] = set()
    for chunk in _chunks(user_ids):
        keys.update((u, m, d) for u, m, d in db.session.execute(
            select(Realisation.user_id, Realisation.module_id, Realisation.completed_on)
            .where(Realisation.user_id.in_(chunk))))
    return keys


def in_scope_or_404(realisation_id: int, scope: Unit | None) -> Realisation:
    """A realisation of a person in the scope; NotFound otherwise (as when it does not exist)."""
    row = db.session.get(Realisation, realisation_id)
    if row is None or row.user is None or not in_scope(scope, row.user.unit):
        raise NotFound(_l("This realisation does not exist."))
    return row


def delete(realisation: Realisation, actor: int | None, scope: Unit | None, *, ip: str | None = None) -> None:
    """Delete a realisation of a person in the scope (NotFound otherwise), audited."""
    if realisation.user is None or not in_scope(scope, realisation.user.unit):
        raise NotFound(_l("This realisation does not exist."))
    audit.record("realisation.delete", actor_id=actor, target_type="user", target_id=realisation.user_id, ip=ip,
                 details={"realisation": realisation.id, "module": realisation.module_id,
                          "completed_on": realisation.completed_on.isoformat(), "jp": realisation.jp})
    db.session.delete(realisation)
    db.session.flush()


# -- reading ------------------------------------------------------------------------------------

def search(scope: Unit | None, *, unit: Unit | None = None, module_id: str = "", page: int = 1,
           per_page: int = 50) -> tuple[list[Realisation], int]:
    """Realisations of the people in scope (and in ``unit`` and below, when given), newest first;
    (rows, total)."""
    statement = select(Realisation).join(Realisation.user).join(User.unit)
    for limit in (scope, unit):
        if limit is not None:
            statement = statement.where(Unit.path.startswith(limit.path))
    if module_id:
        statement = statement.where(Realisation.module_id == module_id)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = list(db.session.scalars(statement.order_by(Realisation.completed_on.desc(), Realisation.id.desc())
                                   .offset((max(page, 1) - 1) * per_page).limit(per_page)))
    return rows, total


def done_for(user_id: int, *, since: date | None = None) -> dict[str, int]:
    """{module id: JP done} of a person (realisations completed on or after ``since``, when given)."""
    statement = (select(Realisation.module_id, func.sum(Realisation.jp)).where(Realisation.user_id == user_id)
                 .group_by(Realisation.module_id))
    if since is not None:
        statement = statement.where(Realisation.completed_on >= since)
    return {module_id: int(jp) for module_id, jp in db.session.execute(statement)}


def done_since(assessment: Assessment) -> date | None:
    """The earliest completion date that counts for the assessment's plan: the submit date in the
    office's calendar (as the report prints it) − 365 days."""
    if assessment.submitted_at is None:
        return None
    return office_time(assessment.submitted_at).date() - timedelta(days=DONE_WINDOW_DAYS)


def plan_done(assessment: Assessment) -> dict[str, dict[str, Any]]:
    """{module id: {"completed_on": latest date, "jp": JP done}} of the person's realisations that
    count for the assessment's plan (see ``done_since``); empty for an anonymised person."""
    since = done_since(assessment)
    if assessment.user_id is None or since is None:
        return {}
    statement = (select(Realisation.module_id, func.max(Realisation.completed_on), func.sum(Realisation.jp))
                 .where(Realisation.user_id == assessment.user_id, Realisation.completed_on >= since)
                 .group_by(Realisation.module_id))
    return {module_id: {"completed_on": _as_date(on), "jp": int(jp)}
            for module_id, on, jp in db.session.execute(statement)}


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def against_plan(plan: UnitPlan, unit: Unit) -> list[dict[str, Any]]:
    """Realisation against a set plan, per module of its snapshot (in the plan's order), then a
    total row (``"total": True``): people planned, JP planned (people × the module's JP), and of
    the people the plan targets with the module (their counted assessment of the round, made in
    ``unit`` or below, has it in year 1) those with a realisation of it completed on or after the
    round's opening date, and the JP they realised. Raises Conflicting for a plan that is not set."""
    if not plan.is_set or not plan.snapshot:
        raise Conflicting(_l("Realisation is compared only with a set plan."))
    lines = plan.snapshot.get("lines", [])
    module_ids = [line["module"] for line in lines]
    opens_on = plan.round.opens_on
    realised: dict[str, tuple[int, int]] = {}
    if module_ids:
        targeted = (select(Assessment.user_id, PlanEntry.module_id)
                    .join(PlanEntry, PlanEntry.assessment_id == Assessment.id)
                    .join(Unit, Unit.id == Assessment.unit_id)
                    .where(Assessment.round_id == plan.round_id, Assessment.latest.is_(True),
                           Assessment.status == AssessmentStatus.SUBMITTED.value, PlanEntry.year == 1,
                           Unit.path.startswith(unit.path), PlanEntry.module_id.in_(module_ids))
                    .subquery())
        statement = (select(Realisation.module_id, func.count(func.distinct(Realisation.user_id)),
                            func.sum(Realisation.jp))
                     .join(targeted, (targeted.c.user_id == Realisation.user_id)
                           & (targeted.c.module_id == Realisation.module_id))
                     .where(Realisation.completed_on >= opens_on)
                     .group_by(Realisation.module_id))
        realised = {module_id: (int(people), int(jp or 0)) for module_id, people, jp in db.session.execute(statement)}
    titles = _titles(plan)
    rows = []
    for line in lines:
        people, jp = realised.get(line["module"], (0, 0))
        title = titles.get(line["module"])
        named = {"id": title.id, "en": title.en} if title else dict.fromkeys(("id", "en"), line["module"])
        rows.append({"module": line["module"], "title": named,
                     "people_planned": int(line["people"]), "jp_planned": int(line["people"]) * int(line["jp"]),
                     "people_realised": people, "jp_realised": jp, "total": False})
    rows.append({"module": None, "title": None, "total": True,
                 **{key: sum(r[key] for r in rows)
                    for key in ("people_planned", "jp_planned", "people_realised", "jp_realised")}})
    return rows


def _titles(plan: UnitPlan) -> dict[str, Any]:
    """{module id: title (bilingual Text)} from the round's questionnaire version."""
    version = plan.round.version if plan.round is not None else None
    return {m.id: m.title for m in parsed(version).modules} if version is not None else {}
