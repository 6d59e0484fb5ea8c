"""Invitation links: set a password once, before they expire, only with an untampered link."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Invitation, User, utcnow
from app.services import invitations
from tests.factories import make_unit, make_user
from tests.pages import csrf_from, login

NEW_PASSWORD = "Sandi-baru-2026"


@pytest.fixture
def invited(app):
    with app.app_context():
        user = make_user(make_unit(), password=None, name="Dewi Undangan", email="dewi@contoh.go.id")
        invitation = invitations.issue(user, actor_id=None)
        db.session.commit()
        with app.test_request_context():
            token = invitations.token_for(invitation)
        return {"user_id": user.id, "nip": user.nip, "invitation_id": invitation.id, "token": token}


def set_password(client, token, password=NEW_PASSWORD, confirm=None):
    page = client.get(f"/auth/invitation/{token}", follow_redirects=True)
    if page.status_code != 200:
        return page
    return client.post("/auth/invitation", data={
        "password": password, "confirm": confirm or password, "csrf_token": csrf_from(page.get_data(as_text=True))})


def test_link_sets_the_password_and_signs_in(client, invited):
    response = set_password(client, invited["token"])
    assert response.status_code == 302
    assert client.get("/saya/").status_code == 200
    client.application.test_client()
    other = client.application.test_client()
    assert login(other, invited["nip"], NEW_PASSWORD).status_code == 302


def test_link_works_only_once(client, invited):
    assert set_password(client, invited["token"]).status_code == 302
    again = client.application.test_client().get(f"/auth/invitation/{invited['token']}")
    assert again.status_code == 400
    assert "sudah digunakan" in again.get_data(as_text=True)


def test_expired_link_is_refused(app, client, invited):
    with app.app_context():
        db.session.get(Invitation, invited["invitation_id"]).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = client.get(f"/auth/invitation/{invited['token']}")
    assert response.status_code == 400
    assert "kedaluwarsa" in response.get_data(as_text=True)


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
                                    lambda t: "x" + t, lambda t: "garbage", lambda t: t.split(".")[0]])
def test_tampered_link_is_refused(client, invited, mangle):
    response = client.get(f"/auth/invitation/{mangle(invited['token'])}")
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "tidak sah" in response.get_data(as_text=True)


def test_a_new_link_replaces_the_old_one(app, client, invited):
    with app.app_context():
        invitations.issue(db.session.get(User, invited["user_id"]), actor_id=None)
        db.session.commit()
    response = client.get(f"/auth/invitation/{invited['token']}")
    assert response.status_code == 400
    assert "diganti" in response.get_data(as_text=True)


def test_weak_password_is_refused_and_the_link_stays_usable(client, invited):
    response = set_password(client, invited["token"], "pendek")
    assert response.status_code == 200
    assert "minimal" in response.get_data(as_text=True)
    assert set_password(client, invited["token"]).status_code == 302


def test_passwords_must_match(client, invited):
    response = set_password(client, invited["token"], NEW_PASSWORD, "Sandi-lain-2026")
    assert "tidak sama" in response.get_data(as_text=True)


def test_password_is_stored_hashed(app, client, invited):
    set_password(client, invited["token"])
    with app.app_context():
        stored = db.session.get(User, invited["user_id"]).password_hash
    assert NEW_PASSWORD not in stored and stored.startswith("scrypt:")


def test_the_link_is_exchanged_on_first_use_so_a_logged_copy_is_useless(client, invited):
    """The token in the link stands in access logs, proxies and chat histories. The first opening
    moves it into this browser's session and changes it: the address bar no longer shows it, and
    the same link opened anywhere else is refused."""
    first = client.get(f"/auth/invitation/{invited['token']}")
    assert first.status_code == 303 and first.headers["Location"] == "/auth/invitation"
    assert invited["token"] not in client.get("/auth/invitation").get_data(as_text=True)
    elsewhere = client.application.test_client().get(f"/auth/invitation/{invited['token']}")
    assert elsewhere.status_code == 400
    assert "sudah dibuka di peramban lain" in elsewhere.get_data(as_text=True)
    again = client.get(f"/auth/invitation/{invited['token']}", follow_redirects=True)
    assert again.status_code == 200, "the browser that opened it may follow the link again"
    assert set_password(client, invited["token"]).status_code == 302


def test_the_password_form_without_an_opened_link_is_refused(client, invited):
    assert client.get("/auth/invitation").status_code == 400


@pytest.mark.parametrize("path", ["/auth/login", "/auth/invitation/{token}", "/auth/invitation"])
def test_sign_in_and_invitation_pages_are_not_cached(client, invited, path):
    response = client.get(path.format(token=invited["token"]), follow_redirects=True)
    assert response.headers["Cache-Control"] == "no-store"
