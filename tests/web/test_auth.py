"""Sign-in, sign-out, rate limiting, redirects and sessions."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import AuditEvent, User
from tests.factories import PASSWORD, create_person
from tests.pages import csrf_from, login, post_form


@pytest.fixture
def person(app):
    return create_person(app, name="Ani Responden", email="ani@contoh.go.id")


def test_sign_in_with_nip_lands_on_role_home(client, person):
    response = login(client, person.nip)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/saya/")
    assert "Ani Responden" in client.get("/saya/").get_data(as_text=True)


def test_sign_in_with_email_any_case(client, person):
    response = login(client, "ANI@contoh.go.id")
    assert response.status_code == 302


def test_nip_written_with_spaces_is_accepted(client, person):
    spaced = f"{person.nip[:8]} {person.nip[8:14]} {person.nip[14]} {person.nip[15:]}"
    assert login(client, spaced).status_code == 302


@pytest.mark.parametrize("identifier,password", [("ani@contoh.go.id", "salah-Sandi-1"),
                                                 ("nobody@contoh.go.id", PASSWORD)])
def test_wrong_password_or_unknown_user_gets_the_same_plain_message(client, person, identifier, password):
    response = login(client, identifier, password)
    assert response.status_code == 401
    assert "NIP/e-mail atau kata sandi salah" in response.get_data(as_text=True)
    assert client.get("/saya/").status_code == 302


def test_failed_sign_in_is_audited_without_the_password(client, person, app):
    login(client, person.nip, "salah-Sandi-1")
    with app.app_context():
        events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all()
        assert len(events) == 1
        assert "salah-Sandi-1" not in str(events[0].details)


def test_inactive_account_cannot_sign_in(client, app):
    user = create_person(app, active=False)
    assert login(client, user.nip).status_code == 401


def test_sixth_failed_attempt_from_one_address_gets_429(client, person):
    for attempt in range(5):
        response = login(client, f"orang{attempt}@contoh.go.id", "salah-Sandi-1")
        assert response.status_code == 401
    response = login(client, "orang9@contoh.go.id", "salah-Sandi-1")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.get_data(as_text=True)


def test_sixth_failed_attempt_on_one_account_from_many_addresses_gets_429(app, person):
    for attempt in range(5):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{attempt + 1}"
        assert login(client, person.nip, "salah-Sandi-1").status_code == 401
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.99"
    assert login(client, person.nip, "salah-Sandi-2").status_code == 429
    client.environ_base["REMOTE_ADDR"] = "10.0.0.1"
    assert login(client, person.nip, PASSWORD).status_code == 429  # an address that failed on it


def test_successful_sign_ins_do_not_count_towards_the_limit(app, person):
    for _ in range(7):
        client = app.test_client()
        assert login(client, person.nip).status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "http:/evil",
                                    "javascript:alert(1)", "/\r\nLocation: http://evil"])
def test_next_outside_the_site_is_ignored(client, person, target):
    response = login(client, person.nip, next_path=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/saya/"


def test_local_next_is_honoured(client, person):
    response = login(client, person.nip, next_path="/saya/?tab=1")
    assert response.headers["Location"] == "/saya/?tab=1"


def test_logout_needs_post_and_kills_the_session(client, person):
    login(client, person.nip)
    stolen = client.get_cookie("session").value
    assert client.get("/auth/logout").status_code == 405
    response = post_form(client, "/auth/logout", page="/saya/")
    assert response.status_code == 302
    assert client.get("/saya/").status_code == 302
    replay = client.application.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/saya/").status_code == 302, "an old session cookie must not work after logout"


def test_session_id_changes_at_sign_in(client, person):
    client.get("/auth/login")
    before = client.get_cookie("session").value
    login(client, person.nip)
    assert client.get_cookie("session").value != before


def test_deactivated_user_is_signed_out_at_once(client, person, app):
    login(client, person.nip)
    assert client.get("/saya/").status_code == 200
    with app.app_context():
        user = db.session.get(User, person.id)
        user.active = False
        db.session.commit()
    assert client.get("/saya/").status_code == 302


def test_sign_in_without_csrf_token_is_refused(client, person):
    response = client.post("/auth/login", data={"login": person.nip, "password": PASSWORD})
    assert response.status_code == 400
    assert "Formulir" in response.get_data(as_text=True)


def test_signed_in_person_visiting_login_goes_home(client, person):
    login(client, person.nip)
    assert client.get("/auth/login").headers["Location"].endswith("/saya/")


def test_login_page_has_a_csrf_token(client):
    assert csrf_from(client.get("/auth/login").get_data(as_text=True))
