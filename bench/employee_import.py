"""How fast the employee CSV import is, and how long it holds the database's write lock.

Run: ``.venv/bin/python bench/employee_import.py`` (``--sizes 1000,5000``, ``--runs``, ``--existing``).
On a temporary SQLite database (WAL, as the app runs it; or the empty PostgreSQL database named
by ``DATABASE_URL``) with 30 units and ``--existing`` registered people (default 10,000, so the
NIP and e-mail look-ups read a real table), it times, in turn at each size:

(a) ``import_employees`` on a CSV of N new employees (every row valid: the whole check, the bulk
    write of people, roles, invitations and audit events, the objects returned for the links)
    and the commit, as the HR page and ``flask users import`` do;
(b) the baseline: one bare executemany INSERT of the same N people into the same ``users`` table
    (the columns the import sets) and a commit, through SQLAlchemy Core.

It prints rows/s of both, the ratio (median of the paired ratios, steady on a shared machine)
and the write phase of (a): from its first INSERT to the end of the commit, the time other
writers (autosaves) wait. Then it times the refusal of a file one row over IMPORT_MAX_ROWS.

Targets (printed, never asserted): at 5,000 rows (the row limit) the write phase < 1 s, far
below SQLITE_BUSY_TIMEOUT_MS (15 s) that an autosave waits before answering 503 (the per-row
import held it 303 s for 44,067 rows); the import ≤ 20× the bare INSERT: per person it writes
about 5.5 rows (the person, 1.5 roles, an invitation, two audit events) and reads two back (the
person and the invitation, for the links) where the baseline writes one, and it parses and
checks every cell besides.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    banner, make_app, median, ms, paired_ratio, run_main, temp_instance, time_budget, verdict,
)

UNITS = 30
RATIO_TARGET = 20.0
WRITE_PHASE_TARGET_S = 1.0
TARGET_SIZE = 5_000


# -- synthetic employees ----------------------------------------------------------------------

def nip(n: int) -> str:
    """The n-th of a series of distinct valid NIPs: 999 sequence numbers per birth date."""
    born = date(1960, 1, 1) + timedelta(days=n // 999)
    return f"{born:%Y%m%d}{born.year + 25}011{n % 999 + 1:03d}"


def people(first: int, count: int, rng: random.Random) -> list[dict[str, str]]:
    return [{"nip": nip(n), "name": f"Pegawai Uji {n}", "email": f"pegawai{n}@bench.go.id",
             "unit_code": f"U{rng.randrange(UNITS):02d}", "position": "", "roles": rng.choice(("", "respondent;hr"))}
            for n in range(first, first + count)]


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    out.write("nip,name,email,unit_code,position,roles\n")
    for row in rows:
        out.write(f"{row['nip']},{row['name']},{row['email']},{row['unit_code']},{row['position']},{row['roles']}\n")
    return out.getvalue().encode("utf-8")


# -- the two things measured ----------------------------------------------------------------------

class WritePhase:
    """Seconds from the first INSERT of a piece of work to the end of its commit."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.first_insert: float | None = None
        event.listen(engine, "before_cursor_execute", self._statement)

    def _statement(self, _conn, _cursor, statement, *_args) -> None:
        if self.first_insert is None and statement.lstrip().upper().startswith("INSERT"):
            self.first_insert = time.perf_counter()

    def start(self) -> None:
        self.first_insert = None

    def until_now(self) -> float:
        return time.perf_counter() - self.first_insert if self.first_insert is not None else 0.0


def service_import(data: bytes, authority, expected: int, phase: WritePhase) -> tuple[float, float]:
    """(seconds, write-phase seconds) of one import and its commit."""
    from app.extensions import db
    from app.services.users import import_employees

    phase.start()
    start = time.perf_counter()
    created = import_employees(data, authority, None)
    db.session.commit()
    seconds = time.perf_counter() - start
    assert len(created) == expected, (len(created), expected)
    db.session.expunge_all()  # do not let the identity map grow from run to run
    return seconds, phase.until_now()


def bare_insert(rows: list[dict[str, str]], unit_ids: dict[str, int]) -> float:
    """Seconds of one executemany INSERT of the same people into ``users`` and its commit."""
    from sqlalchemy import insert

    from app.extensions import db
    from app.models import User, utcnow

    now = utcnow()
    values = [{"nip": r["nip"], "name": r["name"], "email": r["email"], "unit_id": unit_ids[r["unit_code"]],
               "active": True, "created_at": now} for r in rows]
    start = time.perf_counter()
    with db.engine.begin() as connection:
        connection.execute(insert(User.__table__), values)
    return time.perf_counter() - start


# -- setup ---------------------------------------------------------------------------------------

def setup(existing: int, rng: random.Random) -> dict[str, int]:
    """30 units under one province and ``existing`` registered people; {unit code: id}."""
    from app.extensions import db
    from app.services.units import create_unit

    province = create_unit("PROV", "Provinsi Bench", None, actor_id=None, ip="bench")
    units = {f"U{i:02d}": create_unit(f"U{i:02d}", f"Unit Bench {i}", province, actor_id=None, ip="bench")
             for i in range(UNITS)}
    db.session.commit()
    unit_ids = {code: unit.id for code, unit in units.items()}
    if existing:
        bare_insert(people(0, existing, rng), unit_ids)
    return unit_ids


def count_users() -> int:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import User

    return db.session.scalar(select(func.count(User.id))) or 0


def refusal_over_limit(limit: int, first: int, rng: random.Random) -> tuple[float, bool]:
    """(seconds, nothing written) for a file of limit + 1 rows."""
    from app.extensions import db
    from app.services.csv_files import CsvImportRefused
    from app.services.users import ALL_ROLES, Authority, import_employees

    authority = Authority(actor_id=None, scope=None, assignable_roles=frozenset(ALL_ROLES), ip="bench")
    data = csv_bytes(people(first, limit + 1, rng))
    before = count_users()
    start = time.perf_counter()
    try:
        import_employees(data, authority, None)
    except CsvImportRefused:
        db.session.rollback()
    else:
        raise AssertionError("a file over the row limit was imported")
    return time.perf_counter() - start, count_users() == before


# -- the run ---------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="rows per imported file, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="timed rounds per size (after one untimed)")
    parser.add_argument("--existing", type=int, default=10_000, help="people registered before the imports")
    parser.add_argument("--budget", type=int, default=90, help="seconds the whole run may take")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    database_url = os.environ.get("DATABASE_URL", "")
    rng = random.Random(2024)
    with time_budget(args.budget), temp_instance("swanilai-import-") as folder:
        app = make_app(folder, "development", {"SQLALCHEMY_DATABASE_URI": database_url} if database_url else {})
        from app.extensions import db
        from app.services.users import ALL_ROLES, Authority

        authority = Authority(actor_id=None, scope=None, assignable_roles=frozenset(ALL_ROLES), ip="bench")
        with app.test_request_context():
            print(f"database: {db.engine.dialect.name}"
                  f"{' (DATABASE_URL)' if database_url else ' (temporary file, WAL)'}; "
                  f"{args.existing:,} people registered before; {args.runs} timed rounds per size")
            unit_ids = setup(args.existing, rng)
            phase = WritePhase(db.engine)
            next_person = args.existing
            for size in sizes:
                service: list[float] = []
                writes: list[float] = []
                baseline: list[float] = []
                for round_number in range(args.runs + 1):  # round 0 warms up
                    rows = people(next_person, size, rng)
                    data = csv_bytes(rows)
                    copies = people(next_person + size, size, rng)  # the baseline's own new people
                    next_person += 2 * size
                    seconds, write_seconds = service_import(data, authority, size, phase)
                    base_seconds = bare_insert(copies, unit_ids)
                    if round_number:
                        service.append(seconds)
                        writes.append(write_seconds)
                        baseline.append(base_seconds)
                ratio = paired_ratio(service, baseline)
                write_phase = median(writes)
                banner(f"{size:,} rows")
                print(f"import_employees + commit: {ms(median(service))} = {size / median(service):,.0f} rows/s; "
                      f"write phase {ms(write_phase)}")
                print(f"bare executemany INSERT:  {ms(median(baseline))} = {size / median(baseline):,.0f} rows/s")
                print(f"ratio {ratio:.1f}× the bare INSERT (target ≤ {RATIO_TARGET:.0f}×): "
                      f"{verdict(ratio <= RATIO_TARGET)}")
                if size == TARGET_SIZE:
                    ok = write_phase < WRITE_PHASE_TARGET_S
                    print(f"write phase {ms(write_phase)} (target < {WRITE_PHASE_TARGET_S:.0f} s): {verdict(ok)}")
                sys.stdout.flush()
            limit = app.config["IMPORT_MAX_ROWS"]
            seconds, untouched = refusal_over_limit(limit, next_person, rng)
            banner("row limit")
            print(f"{limit + 1:,} rows refused in {ms(seconds)}; nothing written: {untouched}")
            db.session.remove()
    return 0


if __name__ == "__main__":
    run_main(main)
