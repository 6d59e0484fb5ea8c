"""Error pages in the person's language, the health check, security headers and the language switch."""

from __future__ import annotations

import pytest

from app import create_app
from tests.factories import create_person
from tests.pages import csrf_from, login


def test_unknown_page_is_a_plain_404_in_indonesian(client):
    response = client.get("/tidak-ada")
    text = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Tidak ditemukan" in text and "Traceback" not in text


def test_json_clients_get_json_errors(client):
    response = client.get("/tidak-ada", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.is_json


def test_a_body_over_the_limit_gets_413_with_a_message(app, client):
    big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/auth/login", data=big, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.get_data(as_text=True)


def test_an_unexpected_error_shows_no_stack_trace(app):
    application = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "PROPAGATE_EXCEPTIONS": False})

    @application.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = application.test_client().get("/boom")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in text and "Traceback" not in text


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"app": "ok", "database": "ok", "status": "ok"}


def test_healthz_and_pages_answer_503_when_the_database_is_down(tmp_path):
    missing = tmp_path / "no-such-dir" / "db.sqlite"
    application = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    client = application.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"
    page = client.post("/auth/login", data={"login": "x@y.id", "password": "z",
                                            "csrf_token": csrf_from(client.get("/auth/login").get_data(as_text=True))})
    assert page.status_code == 503
    assert "Layanan sedang tidak tersedia" in page.get_data(as_text=True)


def test_security_headers_are_set(client):
    headers = client.get("/auth/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_of_signed_in_people_are_not_cached(app, client):
    person = create_person(app)
    login(client, person.nip)
    assert client.get("/saya/").headers["Cache-Control"] == "no-store"


def test_indonesian_is_the_default_and_english_is_remembered(app, client):
    assert 'lang="id"' in client.get("/auth/login").get_data(as_text=True)
    assert "Masuk" in client.get("/auth/login").get_data(as_text=True)
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/language", data={"lang": "en", "next": "/auth/login", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'lang="en"' in page and "Sign in" in page


def test_language_choice_is_stored_for_the_signed_in_person(app, client):
    person = create_person(app)
    login(client, person.nip)
    token = csrf_from(client.get("/saya/").get_data(as_text=True))
    client.post("/language", data={"lang": "en", "next": "https://evil.example/", "csrf_token": token})
    other_device = app.test_client()
    login(other_device, person.nip)
    assert 'lang="en"' in other_device.get("/saya/").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["fr", "", "id<script>"])
def test_unknown_languages_are_ignored(client, lang):
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    client.post("/language", data={"lang": lang, "csrf_token": token})
    assert 'lang="id"' in client.get("/auth/login").get_data(as_text=True)
