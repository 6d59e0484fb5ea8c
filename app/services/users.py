"""People: creation one by one or from an employee CSV, changes, deactivation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable, Iterable, Iterator

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import AuditEvent, EmploymentType, Invitation, Role, Unit, User, UserRole, new_token, utcnow
from .validation import EMAIL_MAX_LENGTH, NIP_LENGTH, SLUG_RE, clean_name, clean_nip, email_problem, is_ascii_digits, \
    name_problem, nip_problem
from . import audit, invitations
from .csv_files import CsvImportRefused, CsvProblem, read_csv_rows
from .errors import ServiceError
from .sessions import end_all_sessions
from .permissions import in_scope
from .units import unit_by_code

ALL_ROLES = tuple(r.value for r in Role)
EMPLOYMENT_TYPES = tuple(t.value for t in EmploymentType)
EMPLOYEE_COLUMNS = ("nip", "name", "email", "unit_code", "position", "roles", "employment")
#: Longest cell accepted per column of the employee CSV (others: csv_files.MAX_CELL_LENGTH). A
#: NIP may be written with spaces; a position id is at most 64 characters in the database.
EMPLOYEE_CELL_LIMITS = {"nip": 40, "email": EMAIL_MAX_LENGTH, "unit_code": 32, "position": 64, "roles": 100,
                        "employment": 16}
IN_CHUNK = 500  # values per IN (...) list

Problems = list[tuple[str, object]]  # (form field, message)


@dataclass
class UserInput:
    nip: str
    name: str
    email: str
    unit_code: str
    position_id: str = ""
    roles: set[str] = field(default_factory=lambda: {Role.RESPONDENT.value})
    employment_type: str = ""  # "pns" or "pppk", any case; empty: pns


@dataclass
class Checked:
    """A UserInput that passed every check, with the unit resolved."""

    nip: str
    name: str
    email: str
    unit: Unit
    position_id: str | None
    roles: set[str]
    employment_type: str = EmploymentType.PNS.value


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


@dataclass(frozen=True)
class Lookups:
    """What `check_user` needs to know from the database: whether a NIP or an e-mail address is
    taken, and the unit with a code. For one person each answer is a query
    (`database_lookups`); for a whole file they are read beforehand in a few queries
    (`prefetched_lookups`)."""

    nip_taken: Callable[[str], bool]
    email_taken: Callable[[str], bool]
    unit: Callable[[str], Unit | None]


def database_lookups(existing: User | None = None) -> Lookups:
    """Lookups by query; `existing` (the person being edited) does not count as taking their own NIP."""
    return Lookups(nip_taken=lambda nip: _taken(User.nip, nip, existing),
                   email_taken=lambda email: _taken(func.lower(User.email), email, existing),
                   unit=unit_by_code)


def _taken(column, value, existing: User | None) -> bool:
    query = select(User.id).where(column == value)
    if existing is not None:
        query = query.where(User.id != existing.id)
    return db.session.scalar(query) is not None


def check_user(data: UserInput, authority: Authority, known_positions: set[str] | None,
               *, existing: User | None = None, lookups: Lookups | None = None) -> tuple[Checked | None, Problems]:
    """Every problem of a person's data as (field, message); the checked data when there is none."""
    lookups = lookups or database_lookups(existing)
    nip = clean_nip(data.nip)
    name = clean_name(data.name)
    email = (data.email or "").strip().lower()
    position = (data.position_id or "").strip()
    roles = set(data.roles)
    employment = (data.employment_type or "").strip().lower() or EmploymentType.PNS.value
    unit, unit_problems = _unit_problems(data.unit_code or "", authority, lookups)
    problems = (_nip_problems(nip, lookups) + _fields("name", name_problem(name)) + _email_problems(email, lookups)
                + unit_problems + _position_problems(position, known_positions) + _role_problems(roles, authority)
                + _employment_problems(employment))
    if problems:
        return None, problems
    return Checked(nip, name, email, unit, position or None, roles, employment), []


def _fields(field_name: str, *messages) -> Problems:
    return [(field_name, message) for message in messages if message]


def _nip_problems(nip: str, lookups: Lookups) -> Problems:
    problem = nip_problem(nip)
    if problem is None and lookups.nip_taken(nip):
        problem = _l("NIP %(nip)s is already registered.", nip=nip)
    return _fields("nip", problem)


def _email_problems(email: str, lookups: Lookups) -> Problems:
    problem = email_problem(email)
    if problem is None and lookups.email_taken(email):
        problem = _l("E-mail %(email)s is already registered.", email=email)
    return _fields("email", problem)


def _unit_problems(code: str, authority: Authority, lookups: Lookups) -> tuple[Unit | None, Problems]:
    unit = lookups.unit(code)
    if unit is None or not in_scope(authority.scope, unit):
        return None, _fields("unit_code", _l("Unit %(code)s does not exist or is outside your scope.",
                                             code=code.strip() or "-"))
    if not unit.active:
        return None, _fields("unit_code", _l("Unit %(code)s is deactivated.", code=unit.code))
    return unit, []


def _position_problems(position: str, known_positions: set[str] | None) -> Problems:
    if position and (not SLUG_RE.match(position) or (known_positions is not None and position not in known_positions)):
        return _fields("position", _l("Position %(position)s is not in the questionnaire. Known positions: %(known)s.",
                                      position=position, known=", ".join(sorted(known_positions or [])) or "-"))
    return []


def _employment_problems(employment: str) -> Problems:
    if employment not in EMPLOYMENT_TYPES:
        return _fields("employment", _l("Unknown employment type %(value)s: write pns or pppk (or leave it "
                                        "empty for pns).", value=employment))
    return []


def _role_problems(roles: set[str], authority: Authority) -> Problems:
    if not roles:
        return _fields("roles", _l("Give the person at least one role."))
    unknown = roles - set(ALL_ROLES)
    if unknown:
        return _fields("roles", _l("Unknown role(s): %(roles)s. Use %(allowed)s.",
                                   roles=", ".join(sorted(unknown)), allowed=", ".join(ALL_ROLES)))
    if roles - authority.assignable_roles:
        return _fields("roles", _l("You may only give the role(s) %(allowed)s.",
                                   allowed=", ".join(sorted(authority.assignable_roles))))
    return []


def create_user(checked: Checked, authority: Authority, *, source: str = "form") -> tuple[User, Invitation]:
    user = User(nip=checked.nip, name=checked.name, email=checked.email, unit=checked.unit,
                position_id=checked.position_id, employment_type=checked.employment_type)
    user.set_roles(checked.roles)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor_id=authority.actor_id, target_type="user", target_id=user.id,
                 details={"nip": user.nip, "unit": checked.unit.code, "roles": sorted(checked.roles),
                          "employment_type": checked.employment_type, "source": source}, ip=authority.ip)
    return user, invitations.issue(user, actor_id=authority.actor_id, ip=authority.ip)


def update_user(user: User, checked: Checked, authority: Authority) -> None:
    """Apply edited data. A change of roles or unit ends the person's sessions, so the new rights
    apply from their next sign-in."""
    before = {"nip": user.nip, "name": user.name, "email": user.email, "unit": user.unit.code,
              "position": user.position_id, "roles": sorted(user.roles), "employment_type": user.employment_type}
    after = {"nip": checked.nip, "name": checked.name, "email": checked.email, "unit": checked.unit.code,
             "position": checked.position_id, "roles": sorted(checked.roles),
             "employment_type": checked.employment_type}
    changed = {k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
    if not changed:
        return
    if "roles" in changed or "unit" in changed:
        end_all_sessions(user.id)
    user.nip, user.name, user.email = checked.nip, checked.name, checked.email
    user.unit, user.position_id = checked.unit, checked.position_id
    user.employment_type = checked.employment_type
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


def import_employees(data: bytes, authority: Authority, known_positions: set[str] | None,
                     *, max_rows: int | None = None) -> list[tuple[User, Invitation]]:
    """Create every person in the CSV, or nobody: a file with any bad row imports nothing and the
    error lists every bad row with its line number.

    The file is read and checked completely first, with a fixed number of queries per 500 rows
    (`prefetched_lookups`), and only then written in bulk (`create_users_in_bulk`), so the
    write lock (SQLite has one for the whole database) is held for the inserts alone.
    A file with more than `max_rows` rows (default: the IMPORT_MAX_ROWS setting) is refused
    before any row is checked."""
    if max_rows is None:
        max_rows = current_app.config["IMPORT_MAX_ROWS"]
    rows, problems = read_csv_rows(data, EMPLOYEE_COLUMNS, required=("nip", "name", "email", "unit_code"),
                                   max_lengths=EMPLOYEE_CELL_LIMITS, max_rows=max_rows)
    inputs = [(line, _input_from_row(row)) for line, row in rows]
    lookups = prefetched_lookups([data_row for _line, data_row in inputs])
    checked_rows = _check_rows(inputs, authority, known_positions, lookups, problems)
    if problems:
        raise CsvImportRefused(problems)
    if not checked_rows:
        raise CsvImportRefused([CsvProblem(2, _l("The file has no employees below the header row."))])
    return create_users_in_bulk(checked_rows, authority, source="import")


def _input_from_row(row: dict[str, str]) -> UserInput:
    return UserInput(nip=row.get("nip", ""), name=row.get("name", ""), email=row.get("email", ""),
                     unit_code=row.get("unit_code", ""), position_id=row.get("position", ""),
                     roles=parse_roles(row.get("roles", "")) or {Role.RESPONDENT.value},
                     employment_type=row.get("employment", ""))


def _check_rows(inputs: list[tuple[int, UserInput]], authority: Authority, known_positions: set[str] | None,
                lookups: Lookups, problems: list[CsvProblem]) -> list[Checked]:
    """The rows that pass `check_user` and appear once in the file; every problem goes to `problems`."""
    checked_rows: list[Checked] = []
    seen: dict[str, dict[str, int]] = {"nip": {}, "email": {}}
    for line, data_row in inputs:
        checked, row_problems = check_user(data_row, authority, known_positions, lookups=lookups)
        problems.extend(CsvProblem(line, message) for _, message in row_problems)
        if checked is None:
            continue
        for key, value in (("nip", checked.nip), ("email", checked.email)):
            if value in seen[key]:
                problems.append(CsvProblem(line, _l("The %(column)s %(value)s already appears on line %(other)d.",
                                                    column=key, value=value, other=seen[key][value])))
            seen[key][value] = line
        checked_rows.append(checked)
    return checked_rows


def prefetched_lookups(inputs: list[UserInput]) -> Lookups:
    """Lookups for many people at once: the registered NIPs and e-mail addresses among theirs
    and their units, in one query per IN_CHUNK values (and one for the units of a normal file)."""
    nips = {nip for nip in (clean_nip(d.nip) for d in inputs) if len(nip) == NIP_LENGTH}
    emails = {(d.email or "").strip().lower() for d in inputs} - {""}
    codes = {(d.unit_code or "").strip().upper() for d in inputs} - {""}
    taken_nips = _stored_values(User.nip, nips)
    taken_emails = _stored_values(func.lower(User.email), emails)
    units = {unit.code: unit for chunk in _chunks(codes)
             for unit in db.session.scalars(select(Unit).where(Unit.code.in_(chunk)))}
    return Lookups(nip_taken=taken_nips.__contains__, email_taken=taken_emails.__contains__,
                   unit=lambda code: units.get(code.strip().upper()))


def _stored_values(column, values: set[str]) -> set[str]:
    """The values that `column` already holds, among `values`."""
    stored: set[str] = set()
    for chunk in _chunks(values):
        stored.update(db.session.scalars(select(column).where(column.in_(chunk))))
    return stored


def _chunks(values: Iterable, size: int = IN_CHUNK) -> Iterator[list]:
    """Lists of at most `size` values: IN lists stay far below SQLite's and PostgreSQL's limits
    on bound parameters."""
    values = sorted(values) if isinstance(values, (set, frozenset)) else list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def create_users_in_bulk(checked_rows: list[Checked], authority: Authority,
                         *, source: str) -> list[tuple[User, Invitation]]:
    """What `create_user` writes for each person (the person, their roles, an invitation, the
    audit events "user.create" and "invitation.issue" with the same details), written with one
    INSERT per table and batch of rows, in the caller's transaction. New people have no earlier
    invitation to revoke."""
    now = utcnow()
    expires_at = now + timedelta(hours=current_app.config["INVITATION_TTL_HOURS"])
    user_ids = _insert_and_read_ids(User, User.nip, [
        {"nip": c.nip, "name": c.name, "email": c.email, "unit_id": c.unit.id, "position_id": c.position_id,
         "employment_type": c.employment_type, "active": True, "created_at": now} for c in checked_rows])
    people = [(c, user_ids[c.nip]) for c in checked_rows]
    db.session.execute(insert(UserRole.__table__), [
        {"user_id": user_id, "role": role} for c, user_id in people for role in sorted(c.roles)])
    invitation_ids = _insert_invitations([user_id for _c, user_id in people], authority, now, expires_at)
    db.session.execute(insert(AuditEvent.__table__), [
        event for c, user_id in people
        for event in _creation_events(c, user_id, invitation_ids[user_id], expires_at, authority, now, source)])
    return _created([invitation_ids[user_id] for _c, user_id in people])


def _insert_invitations(user_ids: list[int], authority: Authority, now, expires_at) -> dict[int, int]:
    """One pending invitation per person; {user id: invitation id}. The nonce is set here, not
    left to the column default, so that the rows sent hold everything a link is made of; the
    expiry has no default at all."""
    return _insert_and_read_ids(Invitation, Invitation.user_id, [
        {"user_id": user_id, "nonce": new_token(), "created_at": now, "expires_at": expires_at,
         "created_by_id": authority.actor_id} for user_id in user_ids])


def _creation_events(checked: Checked, user_id: int, invitation_id: int, expires_at, authority: Authority,
                     now, source: str) -> list[dict]:
    """The audit rows `create_user` and `invitations.issue` record for one person."""
    return [
        _audit_row("user.create", user_id, authority, now, {
            "nip": checked.nip, "unit": checked.unit.code, "roles": sorted(checked.roles),
            "employment_type": checked.employment_type, "source": source}),
        _audit_row("invitation.issue", user_id, authority, now, {
            "invitation": invitation_id, "expires_at": expires_at.isoformat()}),
    ]


def _insert_and_read_ids(model, key, rows: list[dict]) -> dict:
    """Insert the rows with one executemany INSERT and read their new ids back by `key` (unique
    among the rows and indexed), IN_CHUNK keys a query: {value of key: id}.

    INSERT … RETURNING is no faster on SQLite and slower on PostgreSQL (SQLAlchemy sends it as
    multi-row VALUES statements of thousands of parameters), and it does not promise the rows'
    order, which SQLAlchemy can only guarantee on SQLite by sending one INSERT per row."""
    table = model.__table__
    db.session.execute(insert(table), rows)
    column = table.c[key.key]
    ids: dict = {}
    for chunk in _chunks(row[key.key] for row in rows):
        ids.update((value, new_id) for value, new_id in db.session.execute(
            select(column, table.c.id).where(column.in_(chunk))))
    return ids


def _audit_row(action: str, user_id: int, authority: Authority, at, details: dict) -> dict:
    """An audit event as `audit.record` adds it, as a row for a bulk insert."""
    clean = {k: v for k, v in details.items() if k not in audit.SECRET_KEYS}
    return {"at": at, "actor_id": authority.actor_id, "action": action, "target_type": "user",
            "target_id": str(user_id), "details": clean or None, "ip": authority.ip}


def _created(invitation_ids: list[int]) -> list[tuple[User, Invitation]]:
    """The new people and their invitations as objects, loaded a chunk at a time (with the unit).

    Their roles are loaded only if asked for: neither the import page nor the links file shows
    them, and loading 5,000 people's roles as well took longer than the rest of this function,
    which runs while the write lock is held."""
    loaded: dict[int, Invitation] = {}
    for chunk in _chunks(invitation_ids):
        statement = (select(Invitation).where(Invitation.id.in_(chunk))
                     .options(joinedload(Invitation.user).lazyload(User.role_rows)))
        loaded.update((invitation.id, invitation) for invitation in db.session.scalars(statement))
    return [(loaded[i].user, loaded[i]) for i in invitation_ids]


def search_users(scope: Unit | None, query: str = "", *, page: int = 1, per_page: int = 50):
    """People in scope matching a name, NIP or e-mail fragment, by name; (users, total)."""
    statement = select(User).join(User.unit)
    if scope is not None:
        statement = statement.where(Unit.path.startswith(scope.path))
    query = (query or "").strip()
    if query:
        like = f"%{query.lower()}%"
        conditions = [func.lower(User.name).like(like), func.lower(User.email).like(like)]
        if is_ascii_digits(clean_nip(query)):
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
