"""Units: the organisation tree, and the scope of a person over it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, func, literal, select, update

from ..extensions import db
from ..models import Round, Unit, User
from .validation import clean_name, name_problem, unit_code_problem
from . import audit
from .clock import office_today
from .csv_files import CsvImportRefused, CsvProblem, read_csv_rows
from .errors import NotFound, ServiceError


def unit_by_code(code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.code == code.strip().upper()))


def require_unit(code: str) -> Unit:
    unit = unit_by_code(code)
    if unit is None:
        raise NotFound(_l("Unit %(code)s does not exist.", code=code))
    return unit


def subtree_ids_select(unit: Unit):
    """A SELECT of the ids of the unit and every unit below it."""
    return select(Unit.id).where(Unit.path.startswith(unit.path))


def units_in_scope(scope: Unit | None) -> list[Unit]:
    """The units a person may manage, ordered as a tree; None means every unit."""
    query = select(Unit).order_by(Unit.path)
    if scope is not None:
        query = query.where(Unit.path.startswith(scope.path))
    units = list(db.session.scalars(query))
    return tree_order(units)


def tree_order(units: list[Unit]) -> list[Unit]:
    """Depth-first order with siblings by name (paths hold ids, which do not sort by name)."""
    by_parent: dict[int | None, list[Unit]] = {}
    ids = {u.id for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        by_parent.setdefault(parent, []).append(unit)
    ordered: list[Unit] = []

    def walk(parent: int | None) -> None:
        for child in sorted(by_parent.get(parent, []), key=lambda u: u.name.lower()):
            ordered.append(child)
            walk(child.id)

    walk(None)
    return ordered


def _check_code_and_name(code: str, name: str) -> tuple[str, str]:
    code = (code or "").strip().upper()
    problem = unit_code_problem(code)
    if problem:
        raise ServiceError(problem, field="code")
    name = _checked_name(name)
    if unit_by_code(code) is not None:
        raise ServiceError(_l("Unit code %(code)s is already used.", code=code), field="code")
    return code, name


def _checked_name(name: str) -> str:
    """The name as stored, or ServiceError: the same rule as for people's names."""
    problem = name_problem(name)
    if problem:
        raise ServiceError(problem, field="name")
    return clean_name(name)


def create_unit(code: str, name: str, parent: Unit | None, *, actor_id: int | None, ip: str | None = None) -> Unit:
    code, name = _check_code_and_name(code, name)
    unit = Unit(code=code, name=name, parent=parent, path="/")
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    audit.record("unit.create", actor_id=actor_id, target_type="unit", target_id=unit.id,
                 details={"code": code, "name": name, "parent": parent.code if parent else None}, ip=ip)
    return unit


def rename_unit(unit: Unit, name: str, *, actor_id: int | None, ip: str | None = None) -> None:
    name = _checked_name(name)
    audit.record("unit.rename", actor_id=actor_id, target_type="unit", target_id=unit.id,
                 details={"from": unit.name, "to": name}, ip=ip)
    unit.name = name


def move_unit(unit: Unit, new_parent: Unit | None, *, actor_id: int | None, ip: str | None = None) -> None:
    """Put a unit (with everything below it) under another unit, or at the top."""
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ServiceError(_l("A unit cannot be moved under itself or under one of its own sub-units."),
                           field="parent")
    old_path = unit.path
    new_path = f"{new_parent.path if new_parent else '/'}{unit.id}/"
    db.session.execute(
        update(Unit)
        .where(Unit.path.startswith(old_path))
        .values(path=literal(new_path, String) + func.substr(Unit.path, len(old_path) + 1))
        .execution_options(synchronize_session=False)
    )
    audit.record("unit.move", actor_id=actor_id, target_type="unit", target_id=unit.id,
                 details={"from": unit.parent.code if unit.parent else None,
                          "to": new_parent.code if new_parent else None}, ip=ip)
    unit.parent = new_parent
    db.session.flush()
    db.session.expire_all()


def set_unit_active(unit: Unit, active: bool, *, actor_id: int | None, ip: str | None = None) -> None:
    if not active and any(child.active for child in unit.children):
        raise ServiceError(_l("Deactivate the sub-units first."))
    unit.active = active
    audit.record("unit.activate" if active else "unit.deactivate", actor_id=actor_id,
                 target_type="unit", target_id=unit.id, details={"code": unit.code}, ip=ip)


@dataclass
class Deactivation:
    """What deactivating a unit does, for its confirmation page and its message."""
    people: int  # active people in the unit and every unit below it
    people_directly: int  # of them, directly in the unit
    sub_units: list[Unit]  # every unit below it
    active_sub_units: list[Unit]  # they must be deactivated first
    rounds: int  # open or planned rounds of the unit: they go on


def deactivation(unit: Unit) -> Deactivation:
    """Deactivating takes nobody's account away: the unit's people still sign in, answer and see
    their results. It only stops new use of the unit: nobody is added to or saved in it
    (`users.check_user`), and no round is planned or changed for it (`rounds.check`)."""
    below = [u for u in tree_order(list(db.session.scalars(select(Unit).where(Unit.path.startswith(unit.path)))))
             if u.id != unit.id]
    by_unit = dict(db.session.execute(select(User.unit_id, func.count(User.id))
                                      .where(User.unit_id.in_(subtree_ids_select(unit)), User.active.is_(True))
                                      .group_by(User.unit_id)).all())
    rounds = db.session.scalar(select(func.count(Round.id)).where(
        Round.unit_id == unit.id, Round.closed_at.is_(None), Round.closes_on >= office_today())) or 0
    return Deactivation(people=sum(by_unit.values()), people_directly=by_unit.get(unit.id, 0), sub_units=below,
                        active_sub_units=[u for u in below if u.active], rounds=rounds)


@dataclass(frozen=True)
class UnitRow:
    line: int
    code: str
    name: str
    parent_code: str


UNIT_COLUMNS = ("code", "name", "parent_code")


def import_units(data: bytes, *, actor_id: int | None, ip: str | None = None) -> list[Unit]:
    """Create units from CSV (code, name, parent_code); all or nothing.

    A parent may be an existing unit or one defined earlier in the same file."""
    rows, problems = read_csv_rows(data, UNIT_COLUMNS, required=("code", "name"))
    parsed = [UnitRow(line, r["code"].strip().upper(), r["name"], r.get("parent_code", "").strip().upper())
              for line, r in rows]
    seen: set[str] = set()
    for row in parsed:
        problem = unit_code_problem(row.code)
        if problem:
            problems.append(CsvProblem(row.line, problem))
        elif row.code in seen or unit_by_code(row.code) is not None:
            problems.append(CsvProblem(row.line, _l("Unit code %(code)s is already used.", code=row.code)))
        problem = name_problem(row.name)
        if problem:
            problems.append(CsvProblem(row.line, problem))
        if row.parent_code and row.parent_code not in seen and unit_by_code(row.parent_code) is None:
            problems.append(CsvProblem(row.line, _l(
                "Parent unit %(code)s does not exist (define it on an earlier line).",
                                                  code=row.parent_code)))
        seen.add(row.code)
    if problems:
        raise CsvImportRefused(problems)
    created: dict[str, Unit] = {}
    for row in parsed:
        parent = created.get(row.parent_code) or (unit_by_code(row.parent_code) if row.parent_code else None)
        created[row.code] = create_unit(row.code, row.name, parent, actor_id=actor_id, ip=ip)
    return list(created.values())


def count_units() -> int:
    return db.session.scalar(select(func.count(Unit.id))) or 0

