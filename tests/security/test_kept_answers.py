"""Finding F9: a POST without a session to a domain page stored up to 64 KB per request as kept
answers, for any assessment id, without limit. Now nothing is stored for a visitor without a live
session; the answers travel back to the browser inside the sign-in form and are kept only after
their own respondent signs in, one row per assessment and domain, with a cap on the total."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import PendingAnswers, QuestionnaireVersion, User, utcnow
from app.services import assessments, pending
from app.services.sessions import end_all_sessions
from tests.factories import PASSWORD, create_person, published_version
from tests.pages import assessment_id_of, csrf_from, login, start_assessment

KEPT_RE = re.compile(r'name="kept" type="hidden" value="([^"]*)"')


@pytest.fixture
def version_id(app):
    return published_version(app)


@pytest.fixture
def person(app, client, version_id):
    person = create_person(app, ("respondent",), email="ani@contoh.go.id")
    login(client, person.nip)
    return person


def kept_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(PendingAnswers.id))) or 0


def test_an_anonymous_flood_stores_nothing(app, client, person, version_id):
    """Someone else's real assessment id, as in the finding, posted to by a client with no session."""
    aid = assessment_id_of(start_assessment(client, version_id))
    flood = app.test_client()
    for attempt in range(40):
        response = flood.post(f"/saya/penilaian/{aid}/domain/x{attempt}", data={"strategi-komentar": "x" * 60_000})
        assert response.status_code == 401
    assert kept_rows(app) == 0


def sealed_after_session_end(app, client, person, version_id, answers):
    aid = assessment_id_of(start_assessment(client, version_id))
    url = f"/saya/penilaian/{aid}/domain/strategi"
    client.get(url)
    with app.app_context():
        end_all_sessions(person.id)
        db.session.commit()
    page = client.post(url, data=answers).get_data(as_text=True)
    return aid, url, KEPT_RE.search(page).group(1), page


def test_sealed_answers_are_kept_only_for_their_own_respondent(app, client, person, version_id):
    aid, url, sealed, page = sealed_after_session_end(app, client, person, version_id,
                                                      {"strategi-komentar": "Milik Ani"})
    stranger = create_person(app, ("respondent",), email="lain@contoh.go.id")
    other = app.test_client()
    other_page = other.get("/auth/login").get_data(as_text=True)
    response = other.post("/auth/login", data={"login": stranger.nip, "password": PASSWORD, "next": url,
                                               "kept": sealed, "csrf_token": csrf_from(other_page)})
    assert response.status_code == 302
    assert kept_rows(app) == 0, "another account's sign-in does not keep Ani's answers"


def test_a_tampered_seal_is_ignored(app, client, person, version_id):
    aid, url, sealed, page = sealed_after_session_end(app, client, person, version_id, {"strategi-komentar": "Asli"})
    response = client.post("/auth/login", data={"login": person.nip, "password": PASSWORD, "next": url,
                                                "kept": sealed[:-3] + "abc", "csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert kept_rows(app) == 0


def test_one_row_per_assessment_and_domain_and_a_total_cap(app, person, version_id):
    with app.app_context(), app.test_request_context():
        user = db.session.get(User, person.id)
        assessment = assessments.start(user, db.session.get(QuestionnaireVersion, version_id), "admin-medsos")
        db.session.commit()
        for text in ("satu", "dua", "tiga"):
            assert pending.keep_sealed(pending.seal(assessment.id, "strategi", MultiDict({"k": text})), user.id)
        db.session.commit()
        rows = db.session.scalars(select(PendingAnswers)).all()
        assert [row.payload for row in rows] == [{"k": ["tiga"]}]
        app.config["PENDING_ANSWERS_MAX_ROWS"] = 1
        try:
            assert pending.keep_sealed(pending.seal(assessment.id, "krisis", MultiDict({"k": "x"})), user.id) is None
        finally:
            app.config["PENDING_ANSWERS_MAX_ROWS"] = 10000


def test_old_kept_answers_are_purged_by_the_daily_retention_command(app, person, version_id):
    with app.app_context(), app.test_request_context():
        user = db.session.get(User, person.id)
        assessment = assessments.start(user, db.session.get(QuestionnaireVersion, version_id), "admin-medsos")
        pending.keep_sealed(pending.seal(assessment.id, "strategi", MultiDict({"k": "lama"})), user.id)
        db.session.execute(db.update(PendingAnswers).values(created_at=utcnow() - timedelta(days=3)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    assert "jawaban titipan" in result.output
    assert kept_rows(app) == 0
