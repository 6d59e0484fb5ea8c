"""SQLite under concurrent writers: 8 people at once sign in, start, autosave every domain several
times (JSON, as static/autosave.js does) and submit, against the app served by werkzeug's threaded
server (writers in one process) and by gunicorn with 2 workers of 4 threads (writers in two
processes, as in production). Nobody may see "database is locked" (no 5xx at all), and every answer the server
acknowledged is what the database holds afterwards.

SQLite only: it has one writer at a time, which the app handles with WAL and a busy timeout;
PostgreSQL has row locks and is exercised by the other fault tests."""

from __future__ import annotations

import contextlib
import random
import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.engine.answers import check_answers
from app.extensions import db
from app.models import Answer, Assessment, DomainResult
from tests.factories import create_person
from tests.faults.support import (
    Gunicorn, HttpUser, assert_no_leak, complete_answers, model_of, on_postgres, server_env, werkzeug_server,
)

THREADS = 8
ROUNDS = 3


@pytest.fixture
def sqlite_only(app):
    if on_postgres(app):
        pytest.skip("SQLite's single-writer locking; on PostgreSQL writers do not wait on a database lock")


@contextlib.contextmanager
def served(app, how: str, folder):
    if how == "werkzeug-threads":
        with werkzeug_server(app) as base:
            yield base
    else:
        env = server_env(app.config["SQLALCHEMY_DATABASE_URI"], folder)
        with Gunicorn(env, folder / "gunicorn.log", workers=2, threads=4) as server:
            yield server.base


@pytest.mark.parametrize("how", ["werkzeug-threads", "gunicorn-2x4"])
def test_concurrent_autosaves_and_submits_never_show_a_locked_database(app, sqlite_only, full_version, how,
                                                                       tmp_path):
    model = model_of(app, full_version)
    people = [create_person(app, ("respondent",), name=f"Penguji Serentak {n}", email=f"serentak{n}@contoh.go.id")
              for n in range(THREADS)]
    statuses: Counter = Counter()
    failures: list[str] = []
    acknowledged: dict[int, dict] = {}  # assessment id → item → value, as last confirmed by the server
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def expect(reply, wanted: int, what: str) -> None:
        with lock:
            statuses[reply.status] += 1
        if reply.status != wanted or "locked" in reply.text:
            failures.append(f"{what}: HTTP {reply.status} {reply.text[:300]!r}")
        if reply.status >= 500:
            assert_no_leak(reply.text)

    def respondent(index: int, person) -> None:
        rng = random.Random(index)
        client = HttpUser(base, timeout=60)
        barrier.wait(timeout=30)  # everyone signs in at the same moment too
        client.sign_in(person.nip)
        start = client.token_of(f"/saya/mulai/{full_version}")
        reply = client.post_form(f"/saya/mulai/{full_version}", {"position": model.positions[0].id, "consent": "y",
                                                                   "csrf_token": start})
        expect(reply, 302, "start")
        aid = int(reply.location.split("/penilaian/")[1].split("/")[0])
        token = client.token_of(reply.location.replace(base, ""))
        mine: dict = {}
        for round_ in range(ROUNDS):
            for domain in model.domains:
                answers = complete_answers(model, rng)
                payload = {item.id: answers[item.id] for item in domain.items}
                for item in domain.items:  # now and then a comment is cleared, as a person may do
                    if item.type == "text" and round_ == ROUNDS - 1 and rng.random() < 0.5:
                        payload[item.id] = ""
                reply = client.post_json(f"/saya/penilaian/{aid}/autosave", {"domain": domain.id, "answers": payload},
                                         token)
                expect(reply, 200, f"autosave {aid}/{domain.id}")
                if reply.status == 200:
                    clean = check_answers(model, payload, domain_id=domain.id)
                    for item in domain.items:
                        mine.pop(item.id, None)
                    mine.update(clean)
        review = client.token_of(f"/saya/penilaian/{aid}/kirim")
        expect(client.post_form(f"/saya/penilaian/{aid}/kirim", {"csrf_token": review}), 302, f"submit {aid}")
        with lock:
            acknowledged[aid] = mine

    def guarded(index: int, person) -> None:
        try:
            respondent(index, person)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(f"respondent {index}: {type(error).__name__}: {error}")

    with served(app, how, tmp_path) as base:
        threads = [threading.Thread(target=guarded, args=(i, p), daemon=True) for i, p in enumerate(people)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
        assert not any(thread.is_alive() for thread in threads), "a respondent did not finish within 90 s"

    assert not failures, (f"{len(failures)} failed requests (status counts {dict(statuses)}):\n"
                          + "\n".join(failures[:10]))
    assert all(status < 500 for status in statuses), dict(statuses)
    assert len(acknowledged) == THREADS
    with app.app_context():
        for aid, answers in acknowledged.items():
            stored = dict(db.session.execute(select(Answer.item_id, Answer.value)
                                             .where(Answer.assessment_id == aid)).all())
            assert stored == answers, f"assessment {aid}: stored answers differ from the acknowledged ones"
            assert db.session.get(Assessment, aid).status == "submitted"
            rows = db.session.scalar(select(func.count(DomainResult.id)).where(DomainResult.assessment_id == aid))
            assert rows == len(model.domains)
    print(f"\n{sum(statuses.values())} requests from {THREADS} threads, statuses {dict(statuses)}")
