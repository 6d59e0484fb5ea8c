"""Unit figures for HR: participation, levels, gaps and training needs.

Every figure is a grouped SQL query over the stored result rows (`domain_results`,
`plan_entries`) of each person's latest submitted assessment; the engine's aggregate helpers
shape the grouped rows. Nothing here loops over people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from typing import Any, Iterable, Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, distinct, func, literal_column, select

from ..engine import questionnaire as engine
from ..engine.statistics import level_distribution, module_demand, share_below_target
from ..extensions import db
from ..models import Assessment, AssessmentStatus, DomainResult, EmploymentType, PlanEntry, QuestionnaireVersion, \
    Role, Round, Unit, User, UserRole, VersionStatus
from .validation import is_ascii_digits
from . import rounds as round_rules
from .clock import office_zone
from ..reports.unit_data import Participation, RoundRef, Scope, UnitRef, UnitSummary, VersionRef
from .errors import NotFound, ServiceError
from .questionnaires import parsed
from .permissions import in_scope


class FilterError(ServiceError):
    """A filter value that is malformed (not merely out of scope)."""


@dataclass(frozen=True)
class Filters:
    """What a dashboard, report or export covers. `unit` is always inside the person's scope;
    `round` is the round whose data set is counted, None for assessments outside any round."""

    unit: Unit
    position: str | None = None
    version_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    round: Round | None = None

    @property
    def round_id(self) -> int | None:
        return self.round.id if self.round is not None else None

    @cached_property
    def units(self) -> list[Unit]:
        """The unit and every unit below it, read once per set of filters."""
        return list(db.session.scalars(select(Unit).where(Unit.path.startswith(self.unit.path))))

    @property
    def unit_ids(self) -> list[int]:
        """The figures name the subtree as a list of ids rather than a subquery, so that
        PostgreSQL's planner estimates from its statistics how many people these units hold
        (for a subquery it guesses, and for a unit guesses far too many)."""
        return [unit.id for unit in self.units]

    def describe(self) -> dict[str, Any]:
        return {"unit": self.unit.code, "position": self.position, "version": self.version_id,
                "from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None, "round": self.round_id}

    def plain(self) -> Scope:
        round_ref = None if self.round is None else \
            RoundRef.of(self.round, round_rules.state_of(self.round) == round_rules.CLOSED)
        return Scope(UnitRef.of(self.unit), self.position, self.version_id, self.date_from, self.date_to, round_ref)

    def as_args(self) -> dict[str, str]:
        args = {"unit": str(self.unit.id), "round": str(self.round_id) if self.round is not None else OUTSIDE_ROUNDS}
        for key, value in (("position", self.position), ("version", self.version_id),
                           ("from", self.date_from), ("to", self.date_to)):
            if value:
                args[key] = value.isoformat() if isinstance(value, date) else str(value)
        return args


#: The ``round`` argument that asks for the assessments made outside any round.
OUTSIDE_ROUNDS = "none"


def _parse_round(raw: str | None, unit: Unit) -> Round | None:
    """The round named by ``raw`` among those meeting the unit; without one, the newest of them
    (or, when there is none, the assessments outside any round)."""
    raw = (raw or "").strip()
    if raw == OUTSIDE_ROUNDS:
        return None
    meeting = round_rules.rounds_meeting(unit)
    if not raw:
        begun = [r for r in meeting if round_rules.state_of(r) != round_rules.PLANNED]
        return (begun or meeting or [None])[0]
    if not is_ascii_digits(raw):
        raise FilterError(_l("Unknown round."))
    found = next((r for r in meeting if r.id == int(raw)), None)
    if found is None:
        raise NotFound(_l("This round does not exist."))
    return found


def office_midnight(day: date) -> datetime:
    """The start of ``day`` at the office, as the naive UTC time assessments store: a filter's
    dates are the office's, as the pages show them."""
    local = datetime.combine(day, datetime.min.time()).replace(tzinfo=office_zone())
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _parse_date(raw: str | None, label) -> date | None:
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw.strip())
        if not 1900 <= day.year <= 9998:
            raise ValueError(raw)
        return day
    except ValueError:
        raise FilterError(_l("%(field)s must be a date written as YYYY-MM-DD.", field=label)) from None


def parse_filters(args: Mapping[str, str], scope: Unit) -> Filters:
    """Filters from request or command-line arguments. A unit outside the scope is NotFound
    (the same answer as a unit that does not exist); malformed values are FilterError."""
    unit = scope
    raw_unit = (args.get("unit") or "").strip()
    if raw_unit:
        if not is_ascii_digits(raw_unit) or len(raw_unit) > 9:
            raise FilterError(_l("Unknown unit."))
        unit = db.session.get(Unit, int(raw_unit))
        if unit is None or not in_scope(scope, unit):
            raise NotFound(_l("Unit not found."))
    version_id = None
    raw_version = (args.get("version") or "").strip()
    if raw_version:
        version = (db.session.get(QuestionnaireVersion, int(raw_version))
                   if is_ascii_digits(raw_version) and len(raw_version) <= 9 else None)
        if version is None or version.status == VersionStatus.DRAFT.value:
            raise FilterError(_l("Unknown questionnaire version."))  # a draft has no results, and may not parse
        version_id = int(raw_version)
    position = (args.get("position") or "").strip() or None
    if position is not None and (len(position) > 64 or not position.replace("-", "").isalnum()):
        raise FilterError(_l("Unknown position."))
    date_from = _parse_date(args.get("from"), _l("The start date"))
    date_to = _parse_date(args.get("to"), _l("The end date"))
    if date_from and date_to and date_from > date_to:
        raise FilterError(_l("The start date is after the end date."))
    return Filters(unit, position, version_id, date_from, date_to, _parse_round(args.get("round"), unit))


def filter_conditions(filters: Filters, moment) -> list:
    """Assessments in the unit's subtree (as the unit was at the start) matching the filters;
    `moment` is the column the date range applies to."""
    conditions = [Assessment.unit_id.in_(filters.unit_ids),
                  Assessment.round_id.is_(None) if filters.round is None else Assessment.round_id == filters.round.id]
    if filters.position:
        conditions.append(Assessment.position_id == filters.position)
    if filters.version_id:
        conditions.append(Assessment.version_id == filters.version_id)
    if filters.date_from:
        conditions.append(moment >= office_midnight(filters.date_from))
    if filters.date_to:
        conditions.append(moment < office_midnight(filters.date_to + timedelta(days=1)))
    return conditions


def assessment_conditions(filters: Filters) -> list:
    """Which results a figure counts: the latest submitted assessment of each person in the round."""
    return [Assessment.status == AssessmentStatus.SUBMITTED.value, Assessment.latest.is_(True),
            *filter_conditions(filters, Assessment.submitted_at)]


def _counted(statement: Select, filters: Filters, table) -> Select:
    """``statement`` over ``table``'s rows of the assessments the filters count.

    The rows are read through the table's unit-first index, range by range for the units of
    the subtree, and each is checked against the set of counted assessments; ``+ 0`` keeps
    SQLite from looking the rows up assessment by assessment instead. So the rows arrive in
    the order of the index, and a GROUP BY that follows it needs no sort (SQLite groups by
    sorting, which cost more than everything else for a province)."""
    counted = select(Assessment.id).where(*assessment_conditions(filters))
    return statement.where(table.unit_id.in_(filters.unit_ids),
                           (table.assessment_id + literal_column("0")).in_(counted))


def participation(filters: Filters) -> tuple[Participation, list[Participation]]:
    """People registered (active respondents), who started and who submitted, for the unit and
    for each sub-unit directly below it (each counting its whole subtree). Of those who
    submitted, ``submitted_pppk`` made a submitted assessment as PPPK (the type an assessment
    keeps from its submit); the others were PNS."""
    covered = filters.unit_ids if filters.round is None else \
        [u.id for u in filters.units if u.path.startswith(filters.round.unit.path)]  # a sub-unit's round
    registered = dict(db.session.execute(
        select(User.unit_id, func.count(User.id)).join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role == Role.RESPONDENT.value, User.unit_id.in_(covered))
        .where(*([User.position_id == filters.position] if filters.position else []))
        .group_by(User.unit_id)).all())
    activity_conditions = filter_conditions(filters, func.coalesce(Assessment.submitted_at, Assessment.updated_at))
    submitted = Assessment.status == AssessmentStatus.SUBMITTED.value
    as_pppk = submitted & (Assessment.employment_type == EmploymentType.PPPK.value)
    activity = db.session.execute(
        select(Assessment.unit_id, func.count(distinct(Assessment.user_id)),
               func.count(distinct(case((submitted, Assessment.user_id)))),
               func.count(distinct(case((as_pppk, Assessment.user_id)))))
        .where(*activity_conditions).group_by(Assessment.unit_id)).all()
    units = filters.units
    children = sorted((u for u in units if u.parent_id == filters.unit.id), key=lambda u: u.name.lower())
    total = Participation(UnitRef.of(filters.unit))
    rows = {child.id: Participation(UnitRef.of(child)) for child in children}
    direct = Participation(UnitRef(filters.unit.id, filters.unit.code,
                                   str(_l("%(unit)s (directly)", unit=filters.unit.name)),
                                   getattr(filters.unit, "depth", 0)))
    by_id = {u.id: u for u in units}
    for unit_id, count in registered.items():
        _add(total, rows, by_id, filters.unit, unit_id, direct, registered=count)
    for unit_id, started, submitted_people, pppk in activity:
        _add(total, rows, by_id, filters.unit, unit_id, direct, started=started, submitted=submitted_people,
             submitted_pppk=pppk)
    has_people = direct.registered or direct.started or direct.submitted
    return total, ([direct] if children and has_people else []) + list(rows.values())


def _add(total: Participation, rows: dict[int, Participation], by_id: dict[int, Unit], root: Unit, unit_id: int,
         direct: Participation | None = None, **counts: int) -> None:
    """Add a unit's counts to the total and to the sub-unit row whose subtree holds it, or, for
    the people in ``root`` itself, to ``direct`` (its "(directly)" row): the rows add up to the total."""
    unit = by_id.get(unit_id)
    if unit is None:
        return
    child_id = _child_of(root, unit)
    own = [rows[child_id]] if child_id in rows else ([direct] if direct is not None and unit.id == root.id else [])
    for row in [total] + own:
        for key, value in counts.items():
            setattr(row, key, getattr(row, key) + value)


def _child_of(root: Unit, unit: Unit) -> int | None:
    ids = [int(part) for part in unit.path.strip("/").split("/")]
    depth = root.path.strip("/").count("/") + 1
    return ids[depth] if len(ids) > depth else None


@dataclass(frozen=True)
class DomainFigure:
    """How many people of a position are at a level in a domain with a given gap to its target."""

    position_id: str | None
    domain_id: str
    level: int | None
    gap: int | None
    count: int

    @property
    def below(self) -> bool:
        return self.gap is not None and self.gap > 0


def domain_figures(filters: Filters) -> list[DomainFigure]:
    """The one grouped query over the domain results behind the level distribution, the share
    below target and the heat map (each a sum over these rows; a group may come once per unit)."""
    return [DomainFigure(position, domain, level, gap, count)
            for domain, position, level, gap, count in db.session.execute(domain_figures_query(filters))]


def domain_figures_query(filters: Filters) -> Select:
    """Grouped by the columns of the figures index, in its order (the unit first, and the gap
    itself rather than whether it is above zero), so that reading the index needs no sort."""
    groups = (DomainResult.domain_id, DomainResult.position_id, DomainResult.level, DomainResult.gap)
    return _counted(select(*groups, func.count()), filters, DomainResult).group_by(DomainResult.unit_id, *groups)


def domain_levels(figures: Iterable[DomainFigure]) -> list[tuple[str, int | None, int]]:
    """Rows (domain, level, people) for ``level_distribution``."""
    return [(f.domain_id, f.level, f.count) for f in figures]


def below_target(figures: Iterable[DomainFigure]) -> list[tuple[str, int, int]]:
    """Rows (domain, people below target, people assessed) for ``share_below_target``."""
    return [(f.domain_id, f.count if f.below else 0, f.count if f.level is not None else 0) for f in figures]


def heat_map(figures: Iterable[DomainFigure]) -> dict[tuple[str | None, str], tuple[int, int]]:
    """(position, domain) → (people below target, people assessed)."""
    cells: dict[tuple[str | None, str], tuple[int, int]] = {}
    for f in figures:
        below, assessed = cells.get((f.position_id, f.domain_id), (0, 0))
        cells[(f.position_id, f.domain_id)] = (below + (f.count if f.below else 0),
                                               assessed + (f.count if f.level is not None else 0))
    return cells


def module_headcounts(filters: Filters) -> list[tuple[str, int]]:
    """Rows (module, people who need it), a module once per unit: ``module_demand`` adds them up
    ((assessment, module) is unique, so a row counts people)."""
    counts: dict[str, int] = {}
    for module_id, _year, people in module_headcounts_by_year(filters):
        counts[module_id] = counts.get(module_id, 0) + people
    return list(counts.items())


def module_headcounts_by_year(filters: Filters) -> list[tuple[str, int, int]]:
    """Rows (module, plan year, people who need it that year), a module once per unit and year."""
    return [tuple(row) for row in db.session.execute(_counted(
        select(PlanEntry.module_id, PlanEntry.year, func.count()), filters, PlanEntry)
        .group_by(PlanEntry.unit_id, PlanEntry.module_id, PlanEntry.year)).all()]


def demand_by_year(model: engine.Questionnaire, rows) -> dict[int, tuple]:
    """Plan year → the modules needed that year (people > 0), most people first."""
    years: dict[int, list[tuple[str, int]]] = {}
    known = {m.id for m in model.modules}
    for module_id, year, people in rows:
        if module_id in known:
            years.setdefault(int(year), []).append((module_id, people))
    return {year: _most_needed(module_demand(model, rows_of_year)) for year, rows_of_year in sorted(years.items())}


def _most_needed(needs) -> tuple:
    return tuple(sorted((need for need in needs if need.headcount),
                        key=lambda need: (-need.headcount, -need.total_jp, need.module_id)))


def versions_in(filters: Filters) -> list[QuestionnaireVersion]:
    ids = select(Assessment.version_id).distinct().where(*assessment_conditions(filters))
    return list(db.session.scalars(select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(ids))
                                   .order_by(QuestionnaireVersion.id)))


def reference_model(filters: Filters, versions: list[QuestionnaireVersion] | None = None
                    ) -> engine.Questionnaire | None:
    """The questionnaire whose domains, positions and modules label the figures: the filtered
    version, else the newest version that has results here (``versions``: ``versions_in``)."""
    if filters.version_id:
        return parsed(db.session.get(QuestionnaireVersion, filters.version_id))
    versions = versions_in(filters) if versions is None else versions
    return parsed(versions[-1]) if versions else None


def summarise(filters: Filters) -> UnitSummary:
    """Everything the dashboard and the unit report show, from grouped queries: participation,
    versions, domain figures, module headcounts and the trend against the previous round.

    ``trends`` imports this module (its filters and figure queries), so it is imported here."""
    from . import trends

    total, sub_units = participation(filters)
    versions = versions_in(filters)
    model = reference_model(filters, versions)
    summary = UnitSummary(filters.plain(), model, total, sub_units, versions=[VersionRef.of(v) for v in versions])
    if model is None:
        return summary
    figures = domain_figures(filters)
    summary.levels = level_distribution(domain_levels(figures), top_level=model.top_level)
    summary.below = share_below_target(below_target(figures))
    summary.heat = heat_map(figures)
    summary.trend = trends.trend_for(filters, model, figures)
    by_year = module_headcounts_by_year(filters)
    summary.needs_by_year = demand_by_year(model, by_year)
    all_years: dict[str, int] = {}
    for module_id, _year, people in by_year:
        all_years[module_id] = all_years.get(module_id, 0) + people
    known = {m.id for m in model.modules}
    summary.needs = _most_needed(module_demand(model, [(m, n) for m, n in all_years.items() if m in known]))
    return summary
