"""How the unit dashboard, the unit PDF and the ZIP of personal PDFs scale with the province.

Run: ``.venv/bin/python bench/unit_reports.py`` (or ``make bench``); ``--max 10000`` for a short run.
On a temporary SQLite database (or on the empty PostgreSQL database named by ``DATABASE_URL``) it

1. seeds the demo units and the shipped questionnaire, then grows the province to 1,000, 10,000
   and 100,000 submitted assessments (``--max``). The first ``--scored`` people (default 1,000)
   come from ``seed_respondents`` (the code behind ``flask seed-demo --respondents``: real
   answers, scored by the engine); the rest are SQL copies of them (``INSERT … SELECT`` of their
   users, roles, assessments, answers, domain results and plan entries under new ids), because
   scoring costs 5–10 ms a person, so 100,000 would take 10–15 minutes. Seeding times are
   printed. A size that would pass the time budget (``--budget``, 290 s) is skipped and said so;
2. keeps a sub-unit ("BENCH") of about 2,000 people (``--unit-size``; a fifth of the province
   below 10,000) by moving people in or out of it, since the demo units split people evenly;
3. at each size times, interleaved: ``summarise()`` (the dashboard's grouped queries) for the
   whole province and for that unit, the unit PDF (``unit_report_pdf``) of that unit and the
   reference: one GROUP BY over the raw ``answers`` of the same assessments (count per item and
   the average of the numeric value of rating items), with a per-query breakdown;
4. streams ``pdf_zip_stream`` over 1,000 assessments (``--zip``) in a fresh process, as a worker
   would, discarding the chunks, while a thread samples the RSS; stopped early (and said so)
   when the budget runs out.

Targets (printed, never asserted): province summarise < 0.5 × the reference at 100,000 people
(smaller sizes for information); the unit dashboard request (``summarise`` and its charts) and
the unit PDF request (``unit_report_pdf``, which computes the figures itself) each < 100 ms of
server time, their sum printed for information; growth between sizes at most linear in people;
ZIP peak RSS growth < 50 MB.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    banner, make_app, median, ms, run_main, temp_instance, time_budget, timed, verdict,
)

SIZES = (1_000, 10_000, 100_000)
LANG = "id"
PROVINCE_TARGET = 0.5  # province summarise / reference
UNIT_TARGET_S = 0.100  # the unit dashboard, and the unit PDF: server time of each request
PROVINCE_TARGET_PEOPLE = 100_000  # the province ratio is a target at this size
ZIP_TARGET_MB = 50.0
GROWTH_NOISE = 1.2  # a shared machine: a time ratio up to 1.2 × the people ratio still counts as linear
BENCH_UNIT = "BENCH"


# -- memory ---------------------------------------------------------------------------------------

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int:
    """Current resident set size (Linux /proc), else the peak so far (getrusage)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


class RssSampler(threading.Thread):
    """Samples the RSS every few milliseconds until stopped; keeps the peak."""

    def __init__(self, interval: float = 0.005):
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = rss_bytes()
        self.samples = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.note()
            self._halt.wait(self.interval)

    def note(self) -> None:
        self.peak = max(self.peak, rss_bytes())
        self.samples += 1

    def stop(self) -> None:
        self._halt.set()
        self.join(1)
        self.note()


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


# -- seeding ----------------------------------------------------------------------------------------

def setup(app) -> tuple[int, object]:
    """The demo units and the shipped questionnaire, published; (version id, model)."""
    from app.commands.demo import DEFAULT_QUESTIONNAIRE, UNITS
    from app.extensions import db
    from app.services.questionnaires import import_published, parsed
    from app.services.units import create_unit, unit_by_code

    for code, name, parent in UNITS:
        create_unit(code, name, unit_by_code(parent) if parent else None, actor_id=None, ip="bench")
    version, _ = import_published(DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8"), actor_id=None,
                                  max_bytes=app.config["QUESTIONNAIRE_MAX_BYTES"])
    db.session.commit()
    return version.id, parsed(version)


def add_bench_unit():
    """Created after ``seed_respondents`` so the seeder's even split does not include it."""
    from app.extensions import db
    from app.services.units import create_unit, unit_by_code

    unit = unit_by_code(BENCH_UNIT) or create_unit(BENCH_UNIT, "Unit uji (benchmark)", unit_by_code("BANTEN"),
                                                    actor_id=None, ip="bench")
    db.session.commit()
    return unit


def people_count() -> int:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Assessment

    return db.session.scalar(select(func.count()).select_from(Assessment)
                             .where(Assessment.status == "submitted", Assessment.latest.is_(True)))


def clone_people(count: int) -> None:
    """Copy the first ``count`` people (by id) with everything they submitted, under new ids:
    users, roles, assessments with the stored result, answers, domain results, plan entries."""
    from sqlalchemy import String, cast, func, insert, literal, select

    from app.extensions import db
    from app.models import Answer, Assessment, DomainResult, PlanEntry, User, UserRole

    last_user = db.session.scalar(select(User.id).order_by(User.id).offset(count - 1).limit(1))
    user_off = db.session.scalar(select(func.max(User.id))) + 1 - db.session.scalar(select(func.min(User.id)))
    chunk = Assessment.user_id <= last_user
    first_a = db.session.scalar(select(func.min(Assessment.id)).where(chunk))
    a_off = db.session.scalar(select(func.max(Assessment.id))) + 1 - first_a
    chunk_ids = select(Assessment.id).where(chunk).scalar_subquery()

    def copy(model, where, overrides, skip=("id",)):
        table = model.__table__
        columns = [c for c in table.columns if c.name not in skip or c.name in overrides]
        exprs = [overrides.get(c.name, c) for c in columns]
        db.session.execute(insert(table).from_select([c.name for c in columns], select(*exprs).where(where)))

    new_user = User.id + user_off
    copy(User, User.id <= last_user, {
        "id": new_user, "nip": literal("B") + cast(new_user, String),
        "email": literal("b") + cast(new_user, String) + literal("@salinan.swanilai.id")})
    copy(UserRole, UserRole.user_id <= last_user, {"user_id": UserRole.user_id + user_off}, skip=())
    copy(Assessment, chunk, {"id": Assessment.id + a_off, "user_id": Assessment.user_id + user_off})
    copy(Answer, Answer.assessment_id.in_(chunk_ids), {"assessment_id": Answer.assessment_id + a_off})
    copy(DomainResult, DomainResult.assessment_id.in_(chunk_ids),
         {"assessment_id": DomainResult.assessment_id + a_off})
    copy(PlanEntry, PlanEntry.assessment_id.in_(chunk_ids), {"assessment_id": PlanEntry.assessment_id + a_off})
    db.session.commit()


def after_bulk_load() -> None:
    """PostgreSQL: move the id sequences past the copied ids, then VACUUM ANALYZE: what
    autovacuum does shortly after such a load (it refreshes the planner's statistics and marks
    the pages all-visible, which index-only scans need). SQLite is left as the app leaves it
    (the app never runs ANALYZE)."""
    from sqlalchemy import text

    from app.extensions import db

    if db.engine.dialect.name != "postgresql":
        return
    for table in ("users", "assessments", "answers", "domain_results", "plan_entries"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT max(id) FROM {table}))"))
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def rebalance(unit, wanted: int) -> int:
    """Move people (their user row, assessments and result rows) into or out of ``unit`` until
    it holds ``wanted`` latest submitted assessments; the earliest people move in (all positions,
    all units), the newest move out to DISKOMINFO.IKP. Returns the unit's size."""
    from sqlalchemy import select, update

    from app.extensions import db
    from app.models import Assessment, DomainResult, PlanEntry, User
    from app.services.units import unit_by_code

    latest = (Assessment.status == "submitted", Assessment.latest.is_(True))
    inside = list(db.session.scalars(select(Assessment.user_id).where(*latest, Assessment.unit_id == unit.id)
                                     .order_by(Assessment.id)))
    if len(inside) > wanted:
        moving, target = inside[wanted:], unit_by_code("DISKOMINFO.IKP").id
    else:
        moving = list(db.session.scalars(select(Assessment.user_id).where(*latest, Assessment.unit_id != unit.id)
                                         .order_by(Assessment.id).limit(wanted - len(inside))))
        target = unit.id
    for start in range(0, len(moving), 5000):
        part = moving[start:start + 5000]
        db.session.execute(update(User).where(User.id.in_(part)).values(unit_id=target))
        db.session.execute(update(Assessment).where(Assessment.user_id.in_(part)).values(unit_id=target))
        moved = select(Assessment.id).where(Assessment.user_id.in_(part))
        for table in (DomainResult, PlanEntry):  # the copies of the assessment's unit move along
            db.session.execute(update(table).where(table.assessment_id.in_(moved)).values(unit_id=target))
    db.session.commit()
    return len(inside) - len(moving) if len(inside) > wanted else len(inside) + len(moving)


# -- what is timed --------------------------------------------------------------------------------

def reference_query(filters, rating_ids: list[str]):
    """One grouped query over the raw answers of the same assessments the dashboard counts: per
    item the number of answers and the average numeric value of rating items."""
    from sqlalchemy import Float, Text, case, cast, func, select

    from app.extensions import db
    from app.models import Answer, Assessment
    from app.services.unit_reports import assessment_conditions

    numeric = cast(cast(Answer.value, Text), Float)
    statement = (select(Answer.item_id, func.count(), func.avg(case((Answer.item_id.in_(rating_ids), numeric))))
                 .join(Assessment, Assessment.id == Answer.assessment_id)
                 .where(*assessment_conditions(filters)).group_by(Answer.item_id))
    return db.session.execute(statement).all()


def breakdown(filters) -> dict[str, float]:
    """Seconds of each query function ``summarise`` calls: the median of three runs, or one
    run where a call takes over 0.2 s (at 100,000 people)."""
    from app.services import unit_reports as reports

    parts = {"participation": reports.participation, "versions_in": reports.versions_in,
             "reference_model": reports.reference_model, "domain_figures": reports.domain_figures,
             "module_headcounts": reports.module_headcounts}
    times = {}
    for name, fn in parts.items():
        first = timed(lambda: fn(filters))[0]  # noqa: B023 - timed() runs it before the loop moves on
        times[name] = first if first > 0.2 else \
            median([first] + [timed(lambda: fn(filters))[0] for _ in range(2)])  # noqa: B023 - likewise
    return times


def explain(filters) -> str:
    """The database's plan of ``domain_figures``, the largest of the dashboard's queries."""
    from sqlalchemy import text

    from app.extensions import db
    from app.services.unit_reports import domain_figures_query

    statement = domain_figures_query(filters)
    sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    rows = db.session.execute(text(prefix + sql)).all()
    return "\n".join("      " + " | ".join(str(v) for v in row) for row in rows)


def measure(unit_id: int, rating_ids: list[str], runs: int, cap_seconds: float, warm_up: bool) -> dict:
    """Interleaved rounds of the four things the targets are about (after a warm-up round at the
    first size only: the caches are process-wide): at least one round, more while the rounds so
    far plus one more fit in ``cap_seconds``, at most ``runs``."""
    from app.extensions import db
    from app.models import Unit
    from app.reports.unit import dashboard_charts
    from app.services.reports import unit_report_pdf
    from app.services.unit_reports import parse_filters, summarise

    root = db.session.scalar(db.select(Unit).where(Unit.parent_id.is_(None)))
    province = parse_filters({}, root)
    unit = parse_filters({"unit": str(unit_id)}, root)
    fns = {
        "province": lambda: summarise(province),
        "reference": lambda: reference_query(province, rating_ids),
        "unit": lambda: summarise(unit),
        "unit_dashboard": lambda: dashboard_charts(summarise(unit), LANG),
        "unit_pdf": lambda: unit_report_pdf(unit, LANG, appendix=False),
    }
    first = {name: timed(fn)[0] for name, fn in fns.items()} if warm_up else {}
    samples: dict[str, list[float]] = {name: [] for name in fns}
    cpu: dict[str, list[float]] = {name: [] for name in fns}
    start = time.perf_counter()
    while len(samples["province"]) < runs:
        round_start = time.perf_counter()
        for name, fn in fns.items():
            cpu_start = time.process_time()
            samples[name].append(timed(fn)[0])
            cpu[name].append(time.process_time() - cpu_start)
        round_seconds = time.perf_counter() - round_start
        if time.perf_counter() - start + round_seconds > cap_seconds:
            break
    summary_p, summary_u = summarise(province), summarise(unit)
    charts = [timed(lambda: dashboard_charts(summary_u, LANG))[0] for _ in range(3)]
    rows = fns["reference"]()
    return {"samples": samples, "cpu": cpu, "first": first, "round_seconds": round_seconds,
            "province_people": summary_p.assessed, "unit_people": summary_u.assessed, "reference_rows": rows,
            "pdf_bytes": len(fns["unit_pdf"]()), "in_process_db": db.engine.dialect.name == "sqlite",
            "charts": median(charts), "breakdown_province": breakdown(province), "breakdown_unit": breakdown(unit),
            "province_filters": province, "unit_filters": unit}


def zip_run(count: int, max_seconds: float) -> dict:
    """Stream the ZIP of ``count`` personal PDFs (the first of the province, as the HR download
    orders them), discarding the chunks, while a thread samples the RSS."""
    from flask_babel import force_locale

    from app.extensions import db
    from app.models import Assessment, Unit
    from app.reports.personal import build_personal_pdf
    from app.services.reports import pdf_zip_stream, personal_report as report_data
    from app.services.hr_people import assessment_ids
    from app.services.unit_reports import parse_filters

    started = rss_bytes()
    root = db.session.scalar(db.select(Unit).where(Unit.parent_id.is_(None)))
    ids = assessment_ids(parse_filters({}, root), [])[:count]
    with force_locale(LANG):  # one PDF first: fonts, catalogues and imports are not the stream's growth
        build_personal_pdf(report_data(db.session.get(Assessment, ids[0]), LANG))
    db.session.expunge_all()
    gc.collect()
    baseline = rss_bytes()
    sampler = RssSampler()
    sampler.start()
    chunks = size = 0
    stopped = False
    start, cpu_start = time.perf_counter(), time.process_time()
    stream = pdf_zip_stream(ids, LANG)
    try:
        for chunk in stream:
            size += len(chunk)
            chunks += 1
            sampler.note()
            if time.perf_counter() - start > max_seconds:
                stopped = True
                break
    finally:
        stream.close()
        sampler.stop()
    return {"requested": len(ids), "pdfs": min(chunks, len(ids)), "bytes": size,
            "seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu_start,
            "started": started, "baseline": baseline, "peak": sampler.peak, "end": rss_bytes(),
            "samples": sampler.samples, "stopped": stopped}


def zip_child(folder: Path, database_url: str, count: int, max_seconds: float) -> None:
    """In a fresh process, as a worker would be: the app on the benchmark's database, one ZIP;
    the figures as JSON on stdout."""
    overrides = {"SQLALCHEMY_DATABASE_URI": database_url} if database_url else {}
    app = make_app(folder, "development", overrides, migrate=False)
    with app.test_request_context():
        print(json.dumps(zip_run(count, max_seconds)))


def zip_in_child(folder: Path, database_url: str, count: int, max_seconds: float) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    completed = subprocess.run(
        [sys.executable, __file__, "--zip-child", str(folder), "--zip", str(count), "--zip-seconds",
         str(max_seconds)], env=env, capture_output=True, text=True,
        timeout=max_seconds + 60)  # noqa: S603 - our own script
    if completed.returncode != 0:
        raise RuntimeError(f"the ZIP process failed ({completed.returncode}):\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# -- the run ------------------------------------------------------------------------------------------

def line(label: str, values: list[float], cpu: list[float]) -> str:
    return (f"  {label:<42} median {ms(median(values)):>10}   min {ms(min(values)):>10}"
            f"   max {ms(max(values)):>10}   CPU median {ms(median(cpu)):>10}")


def report_size(result: dict, seed_note: str) -> None:
    s, c = result["samples"], result["cpu"]
    banner(f"{result['province_people']:,} submitted assessments ({seed_note})")
    answers = sum(r[1] for r in result["reference_rows"])
    print(f"unit: {BENCH_UNIT}, {result['unit_people']:,} people; reference: {len(result['reference_rows'])} items, "
          f"{answers:,} answers; {len(s['province'])} interleaved round(s)"
          + (" after a warm-up round" if result["first"] else "") + "; CPU = this process's CPU time "
          f"({'includes' if result['in_process_db'] else 'excludes'} the database's work)")
    print(line("province summarise() (dashboard queries)", s["province"], c["province"]))
    print(line("reference GROUP BY over raw answers", s["reference"], c["reference"]))
    print(line("unit summarise() (dashboard queries)", s["unit"], c["unit"]))
    print(line("unit dashboard (summarise + its charts)", s["unit_dashboard"], c["unit_dashboard"]))
    print(line(f"unit PDF (unit_report_pdf, {result['pdf_bytes'] // 1024} KiB)", s["unit_pdf"], c["unit_pdf"]))
    print(f"  unit dashboard chart SVG alone (dashboard_charts): {ms(result['charts'])}")
    if result["first"]:
        print("  first (cold) calls: " + ", ".join(f"{k} {ms(v)}" for k, v in result["first"].items()))
    for scope in ("province", "unit"):
        parts = result[f"breakdown_{scope}"]
        print(f"  {scope} breakdown: " + ", ".join(f"{k} {ms(v)}" for k, v in parts.items())
              + f" (sum {ms(sum(parts.values()))})")
    ratio = median(s["province"]) / median(s["reference"])
    dashboard_s, pdf_s = median(s["unit_dashboard"]), median(s["unit_pdf"])
    at = "" if result["province_people"] >= PROVINCE_TARGET_PEOPLE else \
        f"   (the target is for {PROVINCE_TARGET_PEOPLE:,} people; here for information)"
    print(f"RATIO province summarise / reference = {ratio:.2f}   target < {PROVINCE_TARGET}   "
          f"{verdict(ratio < PROVINCE_TARGET)}   (CPU: {median(c['province']) / median(c['reference']):.2f}){at}")
    for label, seconds, key in (("dashboard request", dashboard_s, "unit_dashboard"),
                                ("PDF request", pdf_s, "unit_pdf")):
        print(f"UNIT {label}, {result['unit_people']:,} people = {ms(seconds)}   target < {ms(UNIT_TARGET_S)}   "
              f"{verdict(seconds < UNIT_TARGET_S)}   (CPU: {ms(median(c[key]))})")
    print(f"information: dashboard and PDF one after the other = {ms(dashboard_s + pdf_s)} (each request computes "
          "the unit's figures itself)")


def report_growth(results: list[dict]) -> None:
    if len(results) < 2:
        return
    banner("Growth between sizes (median time ratio vs. people ratio)")
    print(f"target ≤ linear: time ratio ≤ people ratio (× {GROWTH_NOISE} allowance for a shared machine)")
    for a, b in zip(results, results[1:]):
        people = b["province_people"] / a["province_people"]
        unit_people = b["unit_people"] / a["unit_people"]
        print(f"{a['province_people']:,} → {b['province_people']:,} people (×{people:.1f}); "
              f"unit {a['unit_people']:,} → {b['unit_people']:,} (×{unit_people:.1f}):")
        for name, label, factor in (("province", "province summarise", people),
                                    ("reference", "reference GROUP BY", people),
                                    ("unit", "unit summarise", unit_people),
                                    ("unit_pdf", "unit PDF", unit_people)):
            grow = median(b["samples"][name]) / median(a["samples"][name])
            print(f"  GROWTH {label:<20} ×{grow:6.2f} for ×{factor:.1f} people   "
                  f"{verdict(grow <= factor * GROWTH_NOISE)}")


def report_zip(z: dict) -> None:
    banner("Streamed ZIP of personal PDFs (pdf_zip_stream in a fresh process, chunks discarded)")
    if z["stopped"]:
        print(f"STOPPED after {z['seconds']:.0f} s (time left in the budget, --zip-seconds): "
              f"{z['pdfs']:,} of {z['requested']:,} PDFs")
    growth = z["peak"] - z["baseline"]
    print(f"  {z['pdfs']:,} PDFs, {mb(z['bytes'])} of ZIP in {z['seconds']:.1f} s = "
          f"{ms(z['seconds'] / max(1, z['pdfs']))} per PDF (CPU {ms(z['cpu'] / max(1, z['pdfs']))})")
    print(f"  RSS: app loaded {mb(z['started'])}, after one warm-up PDF {mb(z['baseline'])}, "
          f"peak while streaming {mb(z['peak'])}, at the end {mb(z['end'])} ({z['samples']:,} samples)")
    print(f"RSS peak growth while streaming {z['pdfs']:,} PDFs = {mb(growth)}   target < {ZIP_TARGET_MB:.0f} MB   "
          f"{verdict(growth < ZIP_TARGET_MB * 1024 * 1024)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=100_000, help="largest province size (of 1,000 / 10,000 / 100,000)")
    parser.add_argument("--scored", type=int, default=1_000,
                        help="people created by seed_respondents (scored); the rest are SQL copies of them")
    parser.add_argument("--unit-size", type=int, default=2_000, help="people in the measured unit")
    parser.add_argument("--runs", type=int, default=7, help="most timed rounds per size")
    parser.add_argument("--round-seconds", type=float, default=30,
                        help="rounds at one size stop when another would pass this (at least one round)")
    parser.add_argument("--zip", type=int, default=1_000, help="personal PDFs in the streamed ZIP (0: skip)")
    parser.add_argument("--zip-seconds", type=float, default=200, help="stop streaming the ZIP after this")
    parser.add_argument("--budget", type=int, default=290, help="seconds the whole run should take")
    parser.add_argument("--explain", action="store_true", help="print the plan of domain_figures at each size")
    parser.add_argument("--zip-child", help=argparse.SUPPRESS)  # internal: the ZIP's own process
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if args.zip_child:
        zip_child(Path(args.zip_child), database_url, args.zip, args.zip_seconds)
        return 0
    sizes = [n for n in SIZES if n <= args.max] or [args.max]
    began = time.perf_counter()

    def elapsed() -> float:
        return time.perf_counter() - began

    zip_reserve = min(args.zip_seconds, args.zip * 0.1) if args.zip else 0  # ~100 ms a PDF on a quiet machine
    with time_budget(args.budget + 60), temp_instance("swanilai-unit-") as folder:
        app = make_app(folder, "development", {"SQLALCHEMY_DATABASE_URI": database_url} if database_url else {})
        from app.commands.demo import seed_respondents
        from app.extensions import db

        results: list[dict] = []
        with app.test_request_context():
            print(f"database: {db.engine.dialect.name}"
                  f"{' (DATABASE_URL)' if database_url else ' (temporary file, WAL)'}; budget {args.budget} s "
                  f"(ZIP reserve {zip_reserve:.0f} s); sizes {', '.join(f'{n:,}' for n in sizes)}")
            version_id, model = setup(app)
            rating_ids = [item.id for item in model.items if item.type == "rating"]
            seed_rate = clone_rate = None  # seconds per person
            unit = None
            for size in sizes:
                have = people_count()
                scored = max(0, min(size - have, args.scored - have))
                copied = size - have - scored
                if results:  # will this size fit? seeding, the rounds (linear guess), breakdown, the ZIP after
                    grow = size / results[-1]["province_people"]
                    round_guess = results[-1]["round_seconds"] * grow
                    estimate = (scored * (seed_rate or 0.015) + copied * (clone_rate or 0.0005)
                                + max(round_guess, min(args.round_seconds, args.runs * round_guess))
                                + sum(results[-1]["breakdown_province"].values()) * grow * 1.5 + zip_reserve)
                    if elapsed() + estimate > args.budget:
                        print(f"\nSKIPPED {size:,}: about {estimate:.0f} s more (seeding, measuring, ZIP) would pass "
                              f"the budget of {args.budget} s at {elapsed():.0f} s; stopped at {have:,} people. "
                              f"Use --budget (or --zip 0) to reach it.")
                        break
                notes = []
                if scored:
                    seconds, _ = timed(lambda: seed_respondents(version_id, model, scored,  # noqa: B023 - run now
                                                                random.Random(2022)))
                    seed_rate = seconds / scored
                    notes.append(f"seed_respondents: {scored:,} people in {seconds:.1f} s = {ms(seed_rate)} each")
                if copied:
                    start = time.perf_counter()
                    while people_count() < size:
                        clone_people(min(people_count(), size - people_count()))
                    seconds = time.perf_counter() - start
                    clone_rate = seconds / copied
                    notes.append(f"{copied:,} copied in SQL in {seconds:.1f} s")
                unit = unit or add_bench_unit()
                rebalance(unit, min(args.unit_size, size // 5))
                after_bulk_load()
                result = measure(unit.id, rating_ids, args.runs, args.round_seconds, warm_up=not results)
                results.append(result)
                report_size(result, "; ".join(notes))
                if args.explain:
                    print("  plan of domain_figures, province:\n" + explain(result["province_filters"]))
                    print("  plan of domain_figures, unit:\n" + explain(result["unit_filters"]))
                sys.stdout.flush()
            report_growth(results)
            db.session.commit()
            db.session.remove()
        if args.zip:
            seconds = max(20.0, min(args.zip_seconds, args.budget - elapsed() - 15))
            report_zip(zip_in_child(folder, database_url or "", args.zip, seconds))
        print(f"\ntotal {elapsed():.0f} s")
    return 0


if __name__ == "__main__":
    run_main(main)
