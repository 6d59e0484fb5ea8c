"""Submit throughput of the app under gunicorn, against a minimal Flask app on the same machine.

Run: ``.venv/bin/python bench/submit_throughput.py`` (or ``make bench``). In one run it

1. migrates a temporary SQLite database, imports the shipped questionnaire with
   ``flask questionnaire import``, and prepares K respondents, each with an in-progress
   assessment whose answers are all saved (Core inserts, answers drawn like ``seed-demo``'s;
   their password hashes use a cheap scrypt so the untimed sign-ins stay quick);
2. serves the app with ``gunicorn -w 2`` on 127.0.0.1 (development configuration, a real secret
   key, sign-in rate limit off) and, next to it, ``bench/minimal_app.py`` the same way;
3. signs every respondent in through ``/auth/login`` and opens their review page for its CSRF
   token (not timed);
4. with the same generator (4 threads, a fixed number of requests, a time limit) sends the
   submits ``POST /saya/penilaian/<id>/kirim`` and the minimal app's one-row and 40-row inserts,
   in alternating rounds so that other load on the machine weighs on all of them alike; and,
   for information, the app's cheapest signed-in request ("signed-in-floor": ``GET`` of the same
   URL for an assessment already submitted, answered with a redirect after loading the session,
   the person and the assessment);

and prints requests/s and p50/p95/p99 latency of each, and the ratio of submit to the 40-row
baseline (target: ≥ 60 %), next to the ratio the signed-in floor reaches. Servers are stopped (their
process group) even on error; the whole run has a time budget.
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    ROOT, Server, banner, bench_env, flask_command, make_app, ms, percentile, run_main, sqlite_url,
    temp_instance, time_budget, verdict,
)
from loadgen import Client, Response, Run, csrf_token, drive, merge  # noqa: E402

TARGET = 0.60
QUESTIONNAIRE = ROOT / "questionnaires" / "tata-kelola-media-sosial.yaml"
PASSWORD = "bench-password-2024"
FAST_HASH = "scrypt:1024:8:1"
BUDGET_SECONDS = 88


# -- preparing the database ----------------------------------------------------------------------

def prepare_respondents(app, count: int, seed: int) -> list[dict]:
    """``count`` respondents with an in-progress assessment whose answers are all saved:
    [{"nip", "assessment_id"}]. Everything with Core inserts, in one transaction."""
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from app.commands.demo import random_answers, synthetic_nip
    from app.engine.answers import check_answers, missing_required
    from app.extensions import db
    from app.models import Assessment, AssessmentStatus, QuestionnaireVersion, User, UserRole, utcnow
    from app.services.questionnaires import parsed
    from app.services.results import answer_rows, write_answers
    from app.services.units import create_unit

    rng = random.Random(seed)
    with app.app_context():
        version = db.session.scalar(select(QuestionnaireVersion).where(QuestionnaireVersion.number == 1))
        model = parsed(version)
        unit = create_unit("BENCH", "Unit Uji Beban", None, actor_id=None, ip="bench")
        db.session.flush()
        # A cheap scrypt (the testing configuration's): the method is part of the stored hash, so
        # sign-in checks it as any other; only the untimed sign-ins get faster.
        password_hash = generate_password_hash(PASSWORD, method=FAST_HASH)
        now = utcnow()
        positions = [p.id for p in model.positions]
        people = [{"nip": synthetic_nip(n), "name": f"Responden Uji {n}", "email": f"uji{n}@bench.swanilai.id",
                   "unit_id": unit.id, "position_id": positions[n % len(positions)], "active": True,
                   "password_hash": password_hash, "created_at": now} for n in range(count)]
        user_ids = list(db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), people))
        db.session.execute(insert(UserRole), [{"user_id": uid, "role": "respondent"} for uid in user_ids])
        assessments = [{"user_id": uid, "version_id": version.id, "unit_id": unit.id,
                        "position_id": person["position_id"], "status": AssessmentStatus.IN_PROGRESS.value,
                        "started_at": now, "updated_at": now, "consent_at": now, "latest": False}
                       for uid, person in zip(user_ids, people)]
        assessment_ids = list(db.session.scalars(
            insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True), assessments))
        texts = [item.id for item in model.items if item.type == "text"]
        rows = []
        for assessment_id in assessment_ids:
            answers = random_answers(model, rng, rng.betavariate(2.2, 2.0))
            answers.update({item_id: "Komentar singkat dari responden uji beban." for item_id in texts})
            answers = check_answers(model, answers)  # stored as the app stores them
            assert not missing_required(model, answers), "the prepared answers must be complete"
            rows.extend(answer_rows(assessment_id, answers))
        write_answers(rows)
        db.session.commit()
        db.engine.dispose()
        return [{"nip": person["nip"], "assessment_id": aid} for person, aid in zip(people, assessment_ids)]


# -- signing in (not timed) --------------------------------------------------------------------------

def signed_in(port: int, person: dict) -> tuple[Client, str, str]:
    """A client signed in as ``person`` with the review page open: (client, path, CSRF token)."""
    client = Client(port)
    page = client.get("/auth/login")
    if page.status != 200:
        raise RuntimeError(f"GET /auth/login: HTTP {page.status}")
    answer = client.post("/auth/login", {"csrf_token": csrf_token(page.text), "login": person["nip"],
                                         "password": PASSWORD, "next": ""})
    if answer.status != 302:
        raise RuntimeError(f"sign-in of {person['nip']} refused: HTTP {answer.status}")
    path = f"/saya/penilaian/{person['assessment_id']}/kirim"
    review = client.get(path)
    if review.status != 200:
        raise RuntimeError(f"GET {path}: HTTP {review.status}")
    return client, path, csrf_token(review.text)


def submit_job(prepared: tuple[Client, str, str]):
    client, path, token = prepared
    return lambda: client.post(path, {"csrf_token": token})


def redirect_job(prepared: tuple[Client, str, str]):
    client, path, _token = prepared
    return lambda: client.get(path)


def submitted(response: Response) -> bool:
    return response.status == 302 and "/hasil" in (response.header("Location") or "")


def saved(response: Response) -> bool:
    return response.status == 200


# -- measuring -------------------------------------------------------------------------------------

def measure(jobs: dict, warmup: int, rounds: int, concurrency: int,
            max_seconds: float) -> tuple[dict[str, Run], dict[str, list[Run]]]:
    """Warm every endpoint up, then run the timed requests in ``rounds`` slices, taking the
    endpoints in turn; one merged Run per endpoint, and the slices."""
    for requests, check in jobs.values():
        drive(requests[:warmup], check, concurrency=concurrency, max_seconds=max_seconds)
    slices: dict[str, list[Run]] = {name: [] for name in jobs}
    for index in range(rounds):
        for name, (requests, check) in jobs.items():
            timed_part = requests[warmup:]
            size = -(-len(timed_part) // rounds)
            part = timed_part[index * size:(index + 1) * size]
            left = max_seconds - sum(run.wall for run in slices[name])
            if part and left > 0:
                slices[name].append(drive(part, check, concurrency=concurrency, max_seconds=left))
    return {name: merge(parts) for name, parts in slices.items()}, slices


# -- reporting -------------------------------------------------------------------------------------

def line(name: str, run: Run) -> str:
    values = run.latencies
    note = f"  ({len(run.errors)} errors)" if run.errors else ""
    if run.stopped_early:
        note += f"  (stopped at the time limit after {run.done}/{run.planned})"
    return (f"  {name:<16} {run.done:5d} req  {run.per_second:8.1f} req/s   p50 {ms(percentile(values, 50)):>9}"
            f"   p95 {ms(percentile(values, 95)):>9}   p99 {ms(percentile(values, 99)):>9}{note}")


def show_errors(name: str, run: Run) -> None:
    for error in sorted(set(run.errors))[:5]:
        print(f"    {name}: {error}")


# -- the run -----------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed submits (and timed requests per baseline)")
    parser.add_argument("--warmup", type=int, default=12, help="untimed requests before each timed run")
    parser.add_argument("--rounds", type=int, default=5,
                        help="the timed requests run in this many rounds, alternating between the three servers' "
                             "endpoints, so that other load on the machine weighs on all of them alike")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=20,
                        help="time limit of the timed requests of each endpoint (all rounds together)")
    parser.add_argument("--budget", type=int, default=BUDGET_SECONDS, help="seconds the whole run may take")
    args = parser.parse_args()
    total = args.requests + args.warmup

    phases: dict[str, float] = {}
    began = time.perf_counter()
    with time_budget(args.budget), temp_instance() as folder:
        database_url = sqlite_url(folder)
        env = bench_env(folder, database_url)
        app = make_app(folder, "development", {"SQLALCHEMY_DATABASE_URI": database_url})
        flask_command(["questionnaire", "import", str(QUESTIONNAIRE)], env)
        people = prepare_respondents(app, total, seed=2022)
        phases["database, questionnaire import, respondents"] = time.perf_counter() - began

        from minimal_app import init_db

        minimal_db = folder / "minimal.db"
        init_db(str(minimal_db))
        minimal_env = bench_env(folder, database_url, MINIMAL_DB=str(minimal_db))
        with Server("app:create_app()", env, folder / "gunicorn-app.log") as app_server, \
                Server("minimal_app:create_app()", minimal_env, folder / "gunicorn-minimal.log",
                       chdir=ROOT / "bench") as minimal_server:
            started = time.perf_counter()
            pool = ThreadPoolExecutor(args.concurrency)
            try:
                prepared = list(pool.map(lambda person: signed_in(app_server.port, person), people))
            finally:
                pool.shutdown(wait=False, cancel_futures=True)
            phases["sign-in and review page of every respondent"] = time.perf_counter() - started
            started = time.perf_counter()
            client = Client(minimal_server.port)
            # The floor of any signed-in request of the app: the review page of an assessment
            # the warm-up already submitted answers with a redirect after loading the session,
            # the person, their roles and the assessment (no form, no scoring, no write).
            floor = [redirect_job(p) for p in prepared[:args.warmup]]
            jobs = {"submit": ([submit_job(p) for p in prepared], submitted),
                    "minimal-1-row": ([lambda: client.post("/one", {})] * total, saved),
                    "minimal-40-rows": ([lambda: client.post("/forty", {})] * total, saved),
                    "signed-in-floor": ([floor[n % len(floor)] for n in range(total)], submitted)}
            runs, slices = measure(jobs, args.warmup, args.rounds, args.concurrency, args.max_seconds)
            phases["warm-up and timed requests"] = time.perf_counter() - started
            if any(run.errors for run in runs.values()):
                print(app_server.log_tail())
        check = sqlite3.connect(str(folder / "swanilai.db"))
        stored = check.execute("SELECT count(*) FROM assessments WHERE status = 'submitted'").fetchone()[0]
        domain_rows = check.execute("SELECT count(*) FROM domain_results").fetchone()[0]
        plan_rows = check.execute("SELECT count(*) FROM plan_entries").fetchone()[0]
        check.close()
        submit = runs["submit"]

        banner(f"Submit throughput, gunicorn -w 2, {args.concurrency} client threads, SQLite (WAL)")
        print(f"{args.requests} timed requests each after {args.warmup} warm-up requests, in {args.rounds} "
              f"alternating rounds; "
              f"submit = POST /saya/penilaian/<id>/kirim of a complete assessment of {QUESTIONNAIRE.name} "
              f"(sign-in and review page not timed)")
        for name, run in runs.items():
            print(line(name, run))
            show_errors(name, run)
        print(f"stored after the run: {stored} submitted assessments, {domain_rows} domain_results rows, "
              f"{plan_rows} plan_entries rows")
        per_round = [a.per_second / b.per_second for a, b in zip(slices["submit"], slices["minimal-40-rows"])
                     if b.per_second]
        if per_round:
            print(f"submit / minimal-40-rows per round: {min(per_round):.0%} … {max(per_round):.0%}")
        baseline = runs["minimal-40-rows"].per_second
        ratio = submit.per_second / baseline if baseline else 0.0
        floor_ratio = runs["signed-in-floor"].per_second / baseline if baseline else 0.0
        print(f"information: signed-in-floor / minimal-40-rows = {floor_ratio:.0%} — the most any signed-in "
              "request of the app reaches (session, person, roles, ownership, redirect; no CSRF form, no "
              "scoring, no write)")
        ok = ratio >= TARGET and not submit.errors and not submit.stopped_early
        print("phases: " + "; ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items()))
        print(f"RATIO submit / minimal-40-rows = {ratio:.0%}   target ≥ {TARGET:.0%}   {verdict(ok)}")
    return 0


if __name__ == "__main__":
    run_main(main)
