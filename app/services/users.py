"""People: creation one by one or from an employee CSV, changes, deactivation."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Invitation, Role, Unit, User
from ..validation import SLUG_RE, clean_nip, email_problem, nip_problem
from . import audit, invitations
from .csv_files import CsvImportRefused, CsvProblem, read_csv_rows
from .errors import ServiceError
from .sessions import end_all_sessions
from .units import in_scope, unit_by_code

ALL_ROLES = tuple(r.value for r in Role)
EMPLOYEE_COLUMNS = ("nip", "name", "email", "unit_code", "position", "roles")


@dataclass
class UserInput:
    nip: str
    name: str
    email: str
    unit_code: str
    position_id: str = ""
    roles: set[str] = field(default_factory=lambda: {Role.RESPONDENT.value})


@dataclass
class Checked:
    """A UserInput that passed every check, with the unit resolved."""

    nip: str
    name: str
    email: str
    unit: Unit
    position_id: str | None
    roles: set[str]


@dataclass(frozen=True)
class Authority:
    """What the acting person may do: the units they may place people in (None = all) and the
    roles they may hand out. Admins hold every role; HR hands out respondent and hr in scope."""

    actor_id: int | None
    scope: Unit | None
    assignable_roles: frozenset[str]
    ip: str | None = None


def find_by_login(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return db.session.scalar(select(User).where(func.lower(User.email) == identifier.lower()))
    return db.session.scalar(select(User).where(User.nip == clean_nip(identifier)))


def parse_roles(raw: str) -> set[str]:
    return {part.strip().lower() for part in raw.replace(";", ",").replace(" ", ",").split(",") if part.strip()}


def check_user(data: UserInput, authority: Authority, known_positions: set[str] | None,
               *, existing: User | None = None) -> tuple[Checked | None, list[tuple[str, object]]]:
    """Every problem of a person's data as (field, message); the checked data when there is none."""
    problems: list[tuple[str, object]] = []
    nip = clean_nip(data.nip)
    problem = nip_problem(nip)
    if problem:
        problems.append(("nip", problem))
    elif _taken(User.nip, nip, existing):
        problems.append(("nip", _l("NIP %(nip)s is already registered.", nip=nip)))
    name = (data.name or "").strip()
    if not name or len(name) > 200:
        problems.append(("name", _l("The name must have 1 to 200 characters.")))
    email = (data.email or "").strip().lower()
    problem = email_problem(email)
    if problem:
        problems.append(("email", problem))
    elif _taken(func.lower(User.email), email, existing):
        problems.append(("email", _l("E-mail %(email)s is already registered.", email=email)))
    unit = unit_by_code(data.unit_code or "")
    if unit is None or (authority.scope is not None and not in_scope(authority.scope, unit)):
        problems.append(("unit_code", _l("Unit %(code)s does not exist or is outside your scope.",
                                         code=(data.unit_code or "").strip() or "-")))
    elif not unit.active:
        problems.append(("unit_code", _l("Unit %(code)s is deactivated.", code=unit.code)))
    position = (data.position_id or "").strip()
    if position and (not SLUG_RE.match(position) or (known_positions is not None and position not in known_positions)):
        problems.append(("position", _l("Position %(position)s is not in the questionnaire. Known positions: %(known)s.",
                                        position=position, known=", ".join(sorted(known_positions or [])) or "-")))
    roles = set(data.roles)
    if not roles:
        problems.append(("roles", _l("Give the person at least one role.")))
    unknown = roles - set(ALL_ROLES)
    if unknown:
        problems.append(("roles", _l("Unknown role(s): %(roles)s. Use %(allowed)s.",
                                     roles=", ".join(sorted(unknown)), allowed=", ".join(ALL_ROLES))))
    elif roles - authority.assignable_roles:
        problems.append(("roles", _l("You may only give the role(s) %(allowed)s.",
                                     allowed=", ".join(sorted(authority.assignable_roles)))))
    if problems:
        return None, problems
    return Checked(nip, name, email, unit, position or None, roles), []


def _taken(column, value, existing: User | None) -> bool:
    query = select(User.id).where(column == value)
    if existing is not None:
        query = query.where(User.id != existing.id)
    return db.session.scalar(query) is not None


def create_user(checked: Checked, authority: Authority, *, source: str = "form") -> tuple[User, Invitation]:
    user = User(nip=checked.nip, name=checked.name, email=checked.email, unit=checked.unit,
                position_id=checked.position_id)
    user.set_roles(checked.roles)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor_id=authority.actor_id, target_type="user", target_id=user.id,
                 details={"nip": user.nip, "unit": checked.unit.code, "roles": sorted(checked.roles),
                          "source": source}, ip=authority.ip)
    return user, invitations.issue(user, actor_id=authority.actor_id, ip=authority.ip)


def update_user(user: User, checked: Checked, authority: Authority) -> None:
    """Apply edited data. A change of roles or unit ends the person's sessions, so the new rights
    apply from their next sign-in."""
    before = {"nip": user.nip, "name": user.name, "email": user.email, "unit": user.unit.code,
              "position": user.position_id, "roles": sorted(user.roles)}
    after = {"nip": checked.nip, "name": checked.name, "email": checked.email, "unit": checked.unit.code,
             "position": checked.position_id, "roles": sorted(checked.roles)}
    changed = {k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
    if not changed:
        return
    if "roles" in changed or "unit" in changed:
        end_all_sessions(user.id)
    user.nip, user.name, user.email = checked.nip, checked.name, checked.email
    user.unit, user.position_id = checked.unit, checked.position_id
    user.set_roles(checked.roles)
    audit.record("user.update", actor_id=authority.actor_id, target_type="user", target_id=user.id,
                 details=changed, ip=authority.ip)


def set_user_active(user: User, active: bool, authority: Authority) -> None:
    if not active and user.id == authority.actor_id:
        raise ServiceError(_l("You cannot deactivate yourself."))
    user.active = active
    end_all_sessions(user.id)
    audit.record("user.activate" if active else "user.deactivate", actor_id=authority.actor_id,
                 target_type="user", target_id=user.id, details={"nip": user.nip}, ip=authority.ip)


def import_employees(data: bytes, authority: Authority, known_positions: set[str] | None) -> list[tuple[User, Invitation]]:
    """Create every person in the CSV, or nobody: a file with any bad row imports nothing and the
    error lists every bad row with its line number."""
    rows, problems = read_csv_rows(data, EMPLOYEE_COLUMNS, required=("nip", "name", "email", "unit_code"))
    checked_rows: list[Checked] = []
    seen: dict[str, dict[str, int]] = {"nip": {}, "email": {}}
    for line, row in rows:
        data_row = UserInput(nip=row.get("nip", ""), name=row.get("name", ""), email=row.get("email", ""),
                             unit_code=row.get("unit_code", ""), position_id=row.get("position", ""),
                             roles=parse_roles(row.get("roles", "")) or {Role.RESPONDENT.value})
        checked, row_problems = check_user(data_row, authority, known_positions)
        problems.extend(CsvProblem(line, message) for _, message in row_problems)
        if checked is None:
            continue
        for key, value in (("nip", checked.nip), ("email", checked.email)):
            if value in seen[key]:
                problems.append(CsvProblem(line, _l("The %(column)s %(value)s already appears on line %(other)d.",
                                                    column=key, value=value, other=seen[key][value])))
            seen[key][value] = line
        checked_rows.append(checked)
    if problems:
        raise CsvImportRefused(problems)
    if not checked_rows:
        raise CsvImportRefused([CsvProblem(2, _l("The file has no employees below the header row."))])
    return [create_user(checked, authority, source="import") for checked in checked_rows]


def search_users(scope: Unit | None, query: str = "", *, page: int = 1, per_page: int = 50):
    """People in scope matching a name, NIP or e-mail fragment, by name; (users, total)."""
    statement = select(User).join(User.unit)
    if scope is not None:
        statement = statement.where(Unit.path.startswith(scope.path))
    query = (query or "").strip()
    if query:
        like = f"%{query.lower()}%"
        conditions = [func.lower(User.name).like(like), func.lower(User.email).like(like)]
        if clean_nip(query).isdigit():
            conditions.append(User.nip.like(f"%{clean_nip(query)}%"))
        statement = statement.where(or_(*conditions))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    users = list(db.session.scalars(statement.order_by(User.name, User.id)
                                    .offset((max(page, 1) - 1) * per_page).limit(per_page)))
    return users, total


def people_counts() -> dict[str, int]:
    return {
        "units": db.session.scalar(select(func.count(Unit.id))) or 0,
        "users": db.session.scalar(select(func.count(User.id))) or 0,
        "active_users": db.session.scalar(select(func.count(User.id)).where(User.active.is_(True))) or 0,
    }


def active_people_per_unit(unit_ids: list[int]) -> dict[int, int]:
    if not unit_ids:
        return {}
    return dict(db.session.execute(
        select(User.unit_id, func.count(User.id)).where(User.unit_id.in_(unit_ids), User.active.is_(True))
        .group_by(User.unit_id)).all())
