"""Who needs which module: one row per person and module of the counted assessments, with the
plan year and, for a mode run in classes, the number of the person's class.

The same lists feed the appendix of the AKPK (the whole one, or one module's), and the "who needs
which module" sheet of the exports, so they agree. Within a module the people come by plan year,
then in natural order of name and NIP ("Contoh 2" before "Contoh 10"); in each year they fill
classes 1, 2, … of at most the mode's class size in that order, so year 1 has as many classes as
the plan counts for the module (``budget.classes`` with the same modes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..engine.budget import ModeSpec, spec_for
from ..extensions import db
from ..models import Assessment, PlanEntry, QuestionnaireVersion, Unit, User, utcnow
from ..reports.appendix import build_appendix_pdf, natural_key
from ..reports.unit_data import UnitSummary
from .errors import NotFound
from . import unit_plans
from .questionnaires import parsed
from .unit_reports import Filters, assessment_conditions, summarise

MODULE_ID_MAX_LENGTH = 64


@dataclass(frozen=True)
class Person:
    name: str
    nip: str
    unit: str
    position: str  # the position's name in the export's language
    year: int
    class_number: int | None  # None: the module's mode is not run in classes

    def as_plain(self) -> dict[str, Any]:
        """The person as the appendix reads one (``reports/appendix.py``)."""
        return {"name": self.name, "nip": self.nip, "unit": self.unit, "position": self.position,
                "year": self.year, "class": self.class_number}


@dataclass(frozen=True)
class ModuleList:
    module_id: str
    mode: str
    class_size: int | None
    people: tuple[Person, ...]

    def as_plain(self) -> dict[str, Any]:
        return {"module_id": self.module_id, "mode": self.mode, "class_size": self.class_size,
                "people": [person.as_plain() for person in self.people]}


def checked_module_id(raw: str | None, summary: UnitSummary) -> str:
    """A module somebody in these filters needs, or NotFound (also for a malformed id)."""
    module_id = (raw or "").strip()
    known = {need.module_id for need in summary.needs}
    if not module_id or len(module_id) > MODULE_ID_MAX_LENGTH or module_id not in known:
        raise NotFound(_("Nobody in these filters needs this module."))
    return module_id


def row_count(filters: Filters) -> int:
    """How many (person, module) rows the lists hold: for the bound of an XLSX download."""
    return db.session.scalar(select(func.count(PlanEntry.id))
                             .join(Assessment, Assessment.id == PlanEntry.assessment_id)
                             .where(*assessment_conditions(filters))) or 0


def module_lists(filters: Filters, summary: UnitSummary, modes: Mapping[str, ModeSpec], lang: str, *,
                 module_id: str | None = None) -> list[ModuleList]:
    """The people per module (only ``module_id``'s when given), modules in the order of the
    unit's needs, people numbered into classes per plan year with ``modes``
    (``unit_plans.modes_for``). A person whose account was anonymised is listed as such: the
    figures count them too."""
    model = summary.model
    if model is None:
        return []
    order = {need.module_id: n for n, need in enumerate(summary.needs)}
    statement = (select(PlanEntry.module_id, PlanEntry.year, User.name, User.nip, Unit.name,
                        Assessment.position_id, Assessment.version_id)
                 .join(Assessment, Assessment.id == PlanEntry.assessment_id)
                 .outerjoin(User, User.id == Assessment.user_id)
                 .join(Unit, Unit.id == Assessment.unit_id)
                 .where(*assessment_conditions(filters)))
    if module_id is not None:
        statement = statement.where(PlanEntry.module_id == module_id)
    positions = _PositionNames(lang)
    anonymised = _("(anonymised)")
    grouped: dict[str, list[tuple]] = {}
    for module, year, name, nip, unit, position_id, version_id in db.session.execute(statement):
        if module not in order:
            continue  # a module the reference questionnaire no longer has: not in the figures either
        grouped.setdefault(module, []).append(
            (int(year or 1), name if name is not None else anonymised, nip or "", unit or "",
             positions.name(version_id, position_id)))
    out = []
    for module in sorted(grouped, key=lambda m: (order[m], m)):
        mode = model.module(module).mode
        spec = spec_for(mode, modes)
        rows = sorted(grouped[module], key=lambda r: (r[0], natural_key(r[1]), natural_key(r[2])))
        people, seat, year_of = [], 0, None
        for year, name, nip, unit, position in rows:
            if year != year_of:
                seat, year_of = 0, year
            number = seat // spec.class_size + 1 if spec.has_classes else None
            seat += 1
            people.append(Person(name, nip, unit, position, year, number))
        out.append(ModuleList(module, mode, spec.class_size, tuple(people)))
    return out


def modes_in_effect(filters: Filters, summary: UnitSummary) -> dict[str, ModeSpec]:
    """The unit's modes (``unit_plans.modes_for``), a set plan's frozen ones over them: the
    classes of the lists are those the plan counts."""
    plan = unit_plans.current_plan(filters.round, filters.unit)
    frozen = unit_plans.figures_of(summary, filters.unit, plan).modes if plan is not None else {}
    return {**unit_plans.modes_for(filters.unit, summary.model), **frozen}


def appendix_entries(filters: Filters, summary: UnitSummary, lang: str) -> list[dict[str, Any]]:
    """Every module's list as the AKPK's appendix reads it (``reports/appendix.module_blocks``):
    with plan years and class numbers."""
    return [listed.as_plain() for listed in
            module_lists(filters, summary, modes_in_effect(filters, summary), lang)]


def appendix_pdf(filters: Filters, lang: str, module_id: str) -> tuple[bytes, str]:
    """One module's list of people alone, as PDF, and the module's id. NotFound when nobody in
    the filters needs the module (or it does not exist)."""
    with force_locale(lang):
        summary = summarise(filters)
        module_id = checked_module_id(module_id, summary)
        lists = module_lists(filters, summary, modes_in_effect(filters, summary), lang, module_id=module_id)
        body = build_appendix_pdf(summary, lang, [listed.as_plain() for listed in lists], generated_at=utcnow())
    return body, module_id


class _PositionNames:
    """Position names per questionnaire version in one language, each version read once."""

    def __init__(self, lang: str):
        self.lang = lang
        self._names: dict[int, dict[str, str]] = {}

    def name(self, version_id: int, position_id: str | None) -> str:
        if not position_id:
            return ""
        names = self._names.get(version_id)
        if names is None:
            model = parsed(db.session.get(QuestionnaireVersion, version_id))
            names = self._names[version_id] = {p.id: p.name.get(self.lang) for p in model.positions}
        return names.get(position_id, position_id)
