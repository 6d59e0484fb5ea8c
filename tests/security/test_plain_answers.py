"""Info findings of the authorised test: conflicting and malformed requests get a plain 400 or
409 page, never a 500 or a 503 that blames the database."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.models import QuestionnaireVersion
from tests.factories import create_person, published_version, started_assessment
from tests.pages import csrf_from, login, new_draft


@pytest.fixture
def published(app) -> int:
    return published_version(app)


@pytest.fixture
def trainer(app, client, published):
    """A signed-in trainer's client."""
    login(client, create_person(app, ("trainer",), email="pelatih@contoh.go.id").nip)
    return client


def test_two_publishes_of_one_draft_give_one_version_and_a_plain_409(app, client, trainer, published):
    """The second publish finds the draft changed under it (StaleDataError: a 500 before)."""
    draft_id = new_draft(trainer, published)
    url = f"/trainer/drafts/{draft_id}/publish"
    second = app.test_client()
    login(second, create_person(app, ("trainer",), email="pelatih2@contoh.go.id").nip)
    token = csrf_from(trainer.get(url).get_data(as_text=True))
    second_token = csrf_from(second.get(url).get_data(as_text=True))
    answers, started = [], []

    def publish_elsewhere():
        answers.append(second.post(url, data={"csrf_token": second_token}).status_code)

    def before_update(_conn, _cursor, statement, *_args):
        if statement.startswith("UPDATE questionnaire_versions") and not started:
            started.append(True)
            other = threading.Thread(target=publish_elsewhere)
            other.start()
            other.join()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before_update)
    try:
        response = trainer.post(url, data={"csrf_token": token})
    finally:
        event.remove(engine, "before_cursor_execute", before_update)
    assert answers == [302], "the other publish went through"
    assert response.status_code == 409
    assert "pada saat yang sama" in response.get_data(as_text=True)
    with app.app_context():
        numbers = db.session.scalars(select(QuestionnaireVersion.number).where(
            QuestionnaireVersion.number.is_not(None))).all()
        assert sorted(numbers) == [1, 2]


def test_an_autosave_nested_100000_levels_deep_gets_400(app, client, published):
    person = create_person(app, ("respondent",), email="dalam@contoh.go.id")
    assessment_id = started_assessment(app, person, version_id=published)
    login(client, person.nip)
    token = csrf_from(client.get("/auth/password").get_data(as_text=True))
    body = '{"domain": "x", "answers": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post(f"/saya/penilaian/{assessment_id}/autosave", data=body, content_type="application/json",
                           headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert response.status_code == 400
    assert response.is_json


@pytest.mark.parametrize("value", ["{draft}", "²", "99999"])
def test_a_version_filter_naming_a_draft_or_nothing_gets_400(app, client, trainer, published, value):
    draft_id = new_draft(trainer, published)
    hr = app.test_client()
    login(hr, create_person(app, ("hr",), email="sdm@contoh.go.id").nip)
    response = hr.get("/hr/dashboard?version=" + value.format(draft=draft_id))
    assert response.status_code == 400
    assert "Versi kuesioner tidak dikenal" in response.get_data(as_text=True)


@pytest.mark.parametrize("role,url", [
    ("hr", "/hr/people?page=²"), ("hr", "/hr/people.zip?ids=²"), ("hr", "/hr/dashboard?unit=１"),
    ("trainer", "/trainer/diff?from=²&to=1"),
])
def test_look_alike_digits_in_a_url_get_400_not_500(app, client, url, role):
    """`"²".isdigit()` is True and `int("²")` fails: numbers in URLs are ASCII digits or refused."""
    login(client, create_person(app, (role,), email=f"{role}-digits@contoh.go.id").nip)
    assert client.get(url).status_code == 400


def test_a_parallel_publish_of_another_draft_gets_409_not_a_database_outage():
    """Two drafts published at once want the same number (IntegrityError): before, this was
    answered as "the database cannot be reached" (503)."""
    from sqlalchemy.exc import IntegrityError

    from app import create_app

    def clash():
        raise IntegrityError("INSERT …", {}, Exception("UNIQUE constraint failed"))

    other = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    other.add_url_rule("/_clash", "clash", clash)
    response = other.test_client().get("/_clash")
    assert response.status_code == 409
    assert "pada saat yang sama" in response.get_data(as_text=True)
