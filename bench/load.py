"""Load test: 50 respondents and 5 HR officers at once against gunicorn, and not one answer lost.

Run: ``.venv/bin/python bench/load.py`` (or ``make load``). In one run it

1. takes a temporary SQLite database (or the empty database named by ``DATABASE_URL``, e.g. a
   PostgreSQL one made with ``createdb``), migrates it, imports the shipped questionnaire with
   ``flask questionnaire import``, creates the demo units with ``flask seed-demo`` and, with the
   services, 50 respondents in the units below the province and 5 HR officers at the province;
2. serves the app with ``gunicorn -w 2`` on 127.0.0.1 (development configuration, a real secret
   key, sign-in rate limit off);
3. for at least ``--duration`` seconds (60; no new round starts after it, and everything stops at
   ``--hard-stop``, 90) runs 55 simulated people, one thread each, with their own cookies:
   - a respondent signs in, then over and over: opens "My assessments", starts an assessment
     (consent), opens every domain page and answers it through autosave JSON posts
     (``X-CSRFToken``, the whole domain each time as static/autosave.js sends it: first half,
     then all, sometimes a changed mind), reviews, submits and opens the result;
   - an HR officer signs in, then over and over: opens the dashboard, downloads the province
     report PDF, opens the results list and downloads individual PDFs from it;
   arriving spread over ``--ramp-up`` seconds (10), with a short random pause between requests
   (``--think-ms``, mean 200 ms);
4. prints requests/s and p50/p95/p99 per endpoint and every error, stops the server, and checks
   in the database that every answer each respondent sent and got 200 for is stored as sent
   (and every acknowledged submit is stored with its result rows).

Exit status: 0 when there was no error and no lost answer, 1 otherwise, 3 past the time budget.
Only 127.0.0.1; the temporary folder is removed (kept with SWANILAI_BENCH_KEEP=1).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    ROOT, Server, banner, bench_env, flask_command, make_app, ms, percentile, run_main, sqlite_url, temp_instance,
    time_budget,
)

QUESTIONNAIRE = ROOT / "questionnaires" / "tata-kelola-media-sosial.yaml"
PASSWORD = "Beban-uji-2024-rahasia"
HR_UNIT = "BANTEN"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
ENDPOINT_PATTERNS = [  # path → the endpoint it is counted under
    (re.compile(r"^/saya/mulai/\d+$"), "/saya/mulai/<v>"),
    (re.compile(r"^/saya/penilaian/\d+/domain/[^/]+$"), "/saya/penilaian/<a>/domain/<d>"),
    (re.compile(r"^/saya/penilaian/\d+/autosave$"), "/saya/penilaian/<a>/autosave"),
    (re.compile(r"^/saya/penilaian/\d+/kirim$"), "/saya/penilaian/<a>/kirim"),
    (re.compile(r"^/saya/penilaian/\d+/hasil$"), "/saya/penilaian/<a>/hasil"),
    (re.compile(r"^/hr/assessments/\d+/laporan\.pdf$"), "/hr/assessments/<a>/laporan.pdf"),
]


class Stop(Exception):
    """The hard stop has passed: the simulated person stops where they are."""


def endpoint(method: str, path: str) -> str:
    path = path.split("?")[0]
    for pattern, name in ENDPOINT_PATTERNS:
        if pattern.match(path):
            return f"{method} {name}"
    return f"{method} {path}"


# -- measurements ------------------------------------------------------------------------------

class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.first = self.last = None

    def add(self, name: str, began: float, ended: float, error: str | None) -> None:
        with self.lock:
            self.first = began if self.first is None else min(self.first, began)
            self.last = ended if self.last is None else max(self.last, ended)
            self.latencies[name].append(ended - began)
            if error:
                self.errors[name].append(error)

    @property
    def wall(self) -> float:
        return (self.last - self.first) if self.first is not None else 0.0


# -- one simulated person ---------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Unexpected(Exception):
    """An answer other than the one the step expects (already recorded as an error)."""


@dataclass
class Person:
    port: int
    recorder: Recorder
    hard_stop: float
    think: float
    rng: random.Random
    cookies: dict[str, str] = field(default_factory=dict)

    def pause(self) -> None:
        if self.think > 0:
            time.sleep(self.rng.uniform(0, 2 * self.think))

    def request(self, method: str, path: str, *, expect: int, body: bytes | None = None,
                headers: dict[str, str] | None = None, check=None) -> Reply:
        """One request, timed and checked: ``expect`` is the status it must answer (and ``check``
        a further test of the answer); anything else is an error."""
        if time.monotonic() > self.hard_stop:
            raise Stop()
        sent = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "swanilai-load", "Accept": "text/html",
                **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        name = endpoint(method, path)
        began = time.perf_counter()
        error = None
        reply = None
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            reply = Reply(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
            for key, value in raw.getheaders():
                if key.lower() == "set-cookie":
                    jar = SimpleCookie()
                    jar.load(value)
                    for cookie, morsel in jar.items():
                        if morsel.value == "" or morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                            self.cookies.pop(cookie, None)
                        else:
                            self.cookies[cookie] = morsel.value
        except OSError as failure:
            error = f"{type(failure).__name__}: {failure}"
        finally:
            connection.close()
        ended = time.perf_counter()
        if reply is not None and reply.status != expect:
            error = f"HTTP {reply.status} (expected {expect}) {path} {reply.location or reply.text[:160]!r}"
        elif reply is not None and check is not None and not check(reply):
            error = f"HTTP {reply.status} {path}: unexpected answer {reply.text[:160]!r}"
        self.recorder.add(name, began, ended, error)
        if error:
            raise Unexpected(error)
        self.pause()
        return reply

    def get(self, path: str, expect: int = 200, check=None) -> Reply:
        return self.request("GET", path, expect=expect, check=check)

    def post_form(self, path: str, form: dict, expect: int = 302) -> Reply:
        return self.request("POST", path, expect=expect, body=urlencode(form, doseq=True).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, path: str, payload: dict, token: str, check=None) -> Reply:
        return self.request("POST", path, expect=200, body=json.dumps(payload).encode(), check=check,
                            headers={"Content-Type": "application/json", "Accept": "application/json",
                                     "X-CSRFToken": token})

    def sign_in(self, login: str) -> Reply:
        page = self.get("/auth/login")
        return self.post_form("/auth/login", {"login": login, "password": PASSWORD, "next": "",
                                              "csrf_token": token_of(page)})


def token_of(reply: Reply) -> str:
    match = CSRF.search(reply.text)
    if not match:
        raise ValueError("no csrf_token on the page")
    return match.group(1) or match.group(2)


def is_pdf(reply: Reply) -> bool:
    return reply.body.startswith(b"%PDF")


def saved(reply: Reply) -> bool:
    try:
        return json.loads(reply.body).get("saved") is True
    except ValueError:
        return False


@dataclass
class Tracked:
    """What one assessment should hold: the answers the server acknowledged, and its submit."""

    answers: dict = field(default_factory=dict)
    submitted: bool = False


def respondent(person: Person, nip: str, model, version_id: int, position: str, until: float,
               tracked: dict[int, Tracked], counts: dict) -> None:
    from app.commands.demo import random_answers
    from app.engine.answers import check_answers

    person.sign_in(nip)
    while time.monotonic() < until:
        home = person.get("/saya/")
        if f"/saya/mulai/{version_id}" not in home.text:
            raise Unexpected(f"no start link for version {version_id} on /saya/")
        start = person.get(f"/saya/mulai/{version_id}")
        reply = person.post_form(f"/saya/mulai/{version_id}", {"position": position, "consent": "y",
                                                                "csrf_token": token_of(start)})
        assessment_id = int(reply.location.split("/penilaian/")[1].split("/")[0])
        mine = tracked.setdefault(assessment_id, Tracked())
        autosave = f"/saya/penilaian/{assessment_id}/autosave"
        answers = random_answers(model, person.rng, person.rng.random())
        for domain in model.domains:
            page = person.get(f"/saya/penilaian/{assessment_id}/domain/{domain.id}")
            token = token_of(page)
            items = list(domain.items)
            full = {}
            for item in items:
                if item.type == "text":
                    full[item.id] = person.rng.choice(["", f"Catatan uji beban {person.rng.randrange(1000)}"])
                elif item.type == "rating":
                    full[item.id] = str(answers[item.id])  # a form sends text
                else:
                    full[item.id] = answers[item.id]
            half = {item.id: (full[item.id] if index < len(items) // 2 else None) for index, item in enumerate(items)}
            steps = [half, full]
            if person.rng.random() < 0.3:  # a changed mind on one item, saved again
                changed = dict(full)
                item = person.rng.choice([i for i in items if i.type == "rating"] or items)
                if item.type == "rating":
                    changed[item.id] = str(person.rng.randint(1, len(item.anchors)))
                steps.append(changed)
            for payload in steps:
                person.post_json(autosave, {"domain": domain.id, "answers": payload}, token, check=saved)
                clean = check_answers(model, payload, domain_id=domain.id)
                for item in items:
                    mine.answers.pop(item.id, None)
                mine.answers.update(clean)
                counts["autosaves"] += 1
        review = person.get(f"/saya/penilaian/{assessment_id}/kirim")
        reply = person.post_form(f"/saya/penilaian/{assessment_id}/kirim", {"csrf_token": token_of(review)})
        if not reply.location.endswith(f"/saya/penilaian/{assessment_id}/hasil"):
            raise Unexpected(f"submit of {assessment_id} went to {reply.location}")
        mine.submitted = True
        counts["submits"] += 1
        person.get(f"/saya/penilaian/{assessment_id}/hasil")


def hr_officer(person: Person, nip: str, until: float, counts: dict) -> None:
    person.sign_in(nip)
    while time.monotonic() < until:
        person.get("/hr/dashboard")
        person.get("/hr/report.pdf", check=is_pdf)
        people = person.get("/hr/people")
        ids = sorted(set(re.findall(r"/hr/assessments/(\d+)/laporan\.pdf", people.text)))
        for assessment_id in person.rng.sample(ids, min(2, len(ids))):
            person.get(f"/hr/assessments/{assessment_id}/laporan.pdf", check=is_pdf)
        counts["hr_rounds"] += 1


def guarded(work, errors: list[str], delay: float, *args) -> None:
    time.sleep(delay)  # people arrive over the ramp-up, not all in the same millisecond
    try:
        work(*args)
    except (Stop, Unexpected):
        pass  # Unexpected is already recorded; the person stops, as a real one would retry later
    except Exception as error:  # noqa: BLE001 - a failure of the script itself is an error too
        errors.append(f"{work.__name__}: {type(error).__name__}: {error}")


# -- preparing the database -----------------------------------------------------------------------

def prepare(folder: Path, database_url: str, env: dict, respondents: int, hr: int) -> dict:
    flask_command(["questionnaire", "import", str(QUESTIONNAIRE)], env)
    flask_command(["seed-demo"], env, timeout=120)
    app = make_app(folder, "development", {"SQLALCHEMY_DATABASE_URI": database_url}, migrate=False)
    from sqlalchemy import select

    from app.commands.demo import synthetic_nip
    from app.commands.people import COMMAND_LINE
    from app.extensions import db
    from app.models import Unit
    from app.services.passwords import hash_password
    from app.services.questionnaires import latest_published, parsed
    from app.services.users import UserInput, check_user, create_user

    with app.app_context():
        version = latest_published()[0]
        model = parsed(version)
        units = [u.code for u in db.session.scalars(select(Unit).where(Unit.parent_id.is_not(None)).order_by(Unit.id))]
        positions = [p.id for p in model.positions]
        password_hash = hash_password(PASSWORD)
        people = {"respondents": [], "hr": []}
        for n in range(respondents + hr):
            is_hr = n >= respondents
            data = UserInput(synthetic_nip(500_000 + n), f"{'Petugas SDM' if is_hr else 'Responden'} Beban {n}",
                             f"beban{n}@load.swanilai.id", HR_UNIT if is_hr else units[n % len(units)],
                             "" if is_hr else positions[n % len(positions)], {"hr"} if is_hr else {"respondent"})
            checked, problems = check_user(data, COMMAND_LINE, set(positions))
            if checked is None:
                raise RuntimeError(f"user {data.nip}: {problems}")
            user, invitation = create_user(checked, COMMAND_LINE, source="load")
            user.password_hash = password_hash
            invitation.used_at = invitation.created_at
            if is_hr:
                people["hr"].append(user.nip)
            else:
                people["respondents"].append((user.nip, positions[n % len(positions)]))
        db.session.commit()
        version_id = version.id
        db.engine.dispose()
    return {"app": app, "model": model, "version_id": version_id, **people}


def verify(app, tracked: dict[int, Tracked], domains: int) -> list[str]:
    """Every acknowledged answer stored as sent; every acknowledged submit stored with its rows."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Answer, Assessment, DomainResult

    problems = []
    with app.app_context():
        for assessment_id, want in sorted(tracked.items()):
            stored = dict(db.session.execute(select(Answer.item_id, Answer.value)
                                             .where(Answer.assessment_id == assessment_id)).all())
            lost = {k: v for k, v in want.answers.items() if stored.get(k) != v}
            extra = set(stored) - set(want.answers)
            if lost or extra:
                problems.append(f"assessment {assessment_id}: {len(lost)} answers lost or different "
                                f"{sorted(lost)[:5]}, {len(extra)} unexpected {sorted(extra)[:5]}")
            if want.submitted:
                status = db.session.scalar(select(Assessment.status).where(Assessment.id == assessment_id))
                rows = db.session.scalar(select(func.count(DomainResult.id))
                                         .where(DomainResult.assessment_id == assessment_id))
                if status != "submitted" or rows != domains:
                    problems.append(f"assessment {assessment_id}: submit acknowledged, stored as {status} "
                                    f"with {rows} domain rows")
        db.engine.dispose()
    return problems


# -- the run ----------------------------------------------------------------------------------------

def table(recorder: Recorder) -> None:
    print(f"  {'endpoint':<40} {'count':>6} {'errors':>6} {'req/s':>7} {'p50':>10} {'p95':>10} {'p99':>10} {'max':>10}")
    total = 0
    for name in sorted(recorder.latencies, key=lambda n: (n.split(" ", 1)[1], n)):
        values = recorder.latencies[name]
        total += len(values)
        print(f"  {name:<40} {len(values):6d} {len(recorder.errors[name]):6d} "
              f"{len(values) / recorder.wall:7.1f} {ms(percentile(values, 50)):>10} {ms(percentile(values, 95)):>10} "
              f"{ms(percentile(values, 99)):>10} {ms(max(values)):>10}")
    every = [x for values in recorder.latencies.values() for x in values]
    print(f"  {'all':<40} {total:6d} {sum(len(e) for e in recorder.errors.values()):6d} "
          f"{total / recorder.wall:7.1f} {ms(percentile(every, 50)):>10} {ms(percentile(every, 95)):>10} "
          f"{ms(percentile(every, 99)):>10} {ms(max(every)):>10}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=50)
    parser.add_argument("--hr", type=int, default=5)
    parser.add_argument("--duration", type=float, default=60, help="seconds during which new rounds start")
    parser.add_argument("--hard-stop", type=float, default=90, help="seconds after which every request stops")
    parser.add_argument("--think-ms", type=float, default=200, help="mean pause between a person's requests")
    parser.add_argument("--ramp-up", type=float, default=10, help="people arrive spread over this many seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--budget", type=int, default=240, help="seconds the whole run may take")
    args = parser.parse_args()
    if args.hard_stop < args.duration:
        parser.error("--hard-stop must not be shorter than --duration")

    database_url = os.environ.get("DATABASE_URL", "")
    with time_budget(args.budget), temp_instance("swanilai-load-") as folder:
        database_url = database_url or sqlite_url(folder)
        kind = "PostgreSQL" if database_url.startswith("postgres") else "SQLite (WAL)"
        env = bench_env(folder, database_url)
        began = time.perf_counter()
        make_app(folder, "development", {"SQLALCHEMY_DATABASE_URI": database_url})  # migrate
        data = prepare(folder, database_url, env, args.respondents, args.hr)
        setup_seconds = time.perf_counter() - began

        recorder, crashes = Recorder(), []
        tracked: dict[str, dict[int, Tracked]] = {}
        counts: dict = defaultdict(int)
        with Server("app:create_app()", env, folder / "gunicorn.log", workers=args.workers) as server:
            start = time.monotonic()
            until, hard_stop = start + args.duration, start + args.hard_stop
            threads = []
            for index, (nip, position) in enumerate(data["respondents"]):
                person = Person(server.port, recorder, hard_stop, args.think_ms / 1000, random.Random(index))
                tracked[nip] = {}
                arrival = args.ramp_up * index / len(data["respondents"])
                threads.append(threading.Thread(target=guarded, daemon=True, args=(
                    respondent, crashes, arrival, person, nip, data["model"], data["version_id"], position, until,
                    tracked[nip], counts)))
            for index, nip in enumerate(data["hr"]):
                person = Person(server.port, recorder, hard_stop, args.think_ms / 1000, random.Random(1000 + index))
                threads.append(threading.Thread(target=guarded, daemon=True, args=(
                    hr_officer, crashes, args.ramp_up * (index + 0.5) / len(data["hr"]), person, nip, until, counts)))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(max(0.1, hard_stop + 65 - time.monotonic()))
            load_seconds = time.monotonic() - start
            hung = sum(thread.is_alive() for thread in threads)
            log_tail = server.log_tail()

        assessments = {aid: t for per_person in tracked.values() for aid, t in per_person.items()}
        problems = verify(data["app"], assessments, len(data["model"].domains))
        errors = sum(len(e) for e in recorder.errors.values())

        banner(f"Load: {args.respondents} respondents + {args.hr} HR officers, gunicorn -w {args.workers}, {kind}")
        print(f"setup {setup_seconds:.1f} s; load {load_seconds:.1f} s (new rounds for {args.duration:.0f} s, "
              f"hard stop {args.hard_stop:.0f} s); arrivals over {args.ramp_up:.0f} s; mean think time "
              f"{args.think_ms:.0f} ms; "
              f"questionnaire {QUESTIONNAIRE.name}: {len(data['model'].domains)} domains, "
              f"{len(data['model'].items)} items")
        table(recorder)
        print(f"completed: {counts['submits']} submitted assessments, {counts['autosaves']} acknowledged autosaves, "
              f"{counts['hr_rounds']} HR rounds (dashboard + unit PDF + list + individual PDFs)")
        print(f"checked in the database: {sum(len(t.answers) for t in assessments.values())} acknowledged answers "
              f"of {len(assessments)} assessments, {sum(t.submitted for t in assessments.values())} acknowledged "
              f"submits")
        for name, messages in sorted(recorder.errors.items()):
            for message in sorted(set(messages))[:5]:
                print(f"  ERROR {name}: {message}")
        for message in crashes:
            print(f"  ERROR (script) {message}")
        for message in problems[:20]:
            print(f"  LOST {message}")
        if hung:
            print(f"  ERROR {hung} simulated people did not stop")
        if errors or crashes:
            print("server log (last lines):\n" + log_tail)
        ok = not (errors or crashes or problems or hung)
        print(f"RESULT: {'OK' if ok else 'FAILED'} — {errors} request errors, {len(problems)} assessments with "
              f"lost answers")
    return 0 if ok else 1


if __name__ == "__main__":
    run_main(main)
