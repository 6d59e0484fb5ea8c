"""Findings F3, F4, F5, F16 and F20 of the authorised test: the sign-in limit holds under parallel
bursts, cannot be used to keep someone out, counts an account once whichever identifier is typed,
covers the password-change page, and takes as long for a deactivated account as for any other."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.extensions import db
from app.models import AuditEvent
from app.services import passwords
from tests.factories import PASSWORD, create_person
from tests.pages import csrf_from, login


@pytest.fixture
def person(app):
    return create_person(app, name="Ani Responden", email="ani@contoh.go.id")


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_parallel_burst_gets_only_the_limit_checked(app, person, monkeypatch):
    """F3: 30 simultaneous guesses from one address; each password check is slow enough that all 30
    are in flight together. Only 5 may be checked; the others get 429 without a check."""
    checked = []
    real_verify = passwords.verify_password

    def slow_verify(stored_hash, password):
        checked.append(password)
        time.sleep(0.3)
        return real_verify(stored_hash, password)

    monkeypatch.setattr(passwords, "verify_password", slow_verify)
    clients, tokens = [], []
    for _ in range(30):
        client = client_at(app, "10.1.1.1")
        tokens.append(csrf_from(client.get("/auth/login").get_data(as_text=True)))
        clients.append(client)
    start = threading.Barrier(30)

    def attempt(index: int) -> int:
        start.wait(timeout=10)
        return clients[index].post("/auth/login", data={"login": person.nip, "password": f"salah-Sandi-{index}",
                                                        "csrf_token": tokens[index]}).status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        codes = list(pool.map(attempt, range(30)))
    assert sorted(codes).count(401) == 5
    assert codes.count(429) == 25
    assert len(checked) == 5


def test_knowing_a_nip_is_not_enough_to_keep_its_owner_out(app, person):
    """F4: an attacker fails 5 times on the victim's NIP (from 5 addresses, so the address limit does
    not stop them first); the victim's correct password from their own address still works."""
    for attempt in range(5):
        assert login(client_at(app, f"10.2.0.{attempt + 1}"), person.nip, "salah-Sandi-1").status_code == 401
    assert login(client_at(app, "10.2.0.1"), person.nip, "salah-Sandi-1").status_code == 429
    assert login(client_at(app, "10.9.9.9"), person.nip, PASSWORD).status_code == 302


def test_a_locked_account_gives_each_fresh_address_one_try(app, person):
    """F4, the price of the above: while the account is over its limit, a wrong password from a
    fresh address counts against that address, which then gets 429 even with the right password."""
    for attempt in range(5):
        login(client_at(app, f"10.3.0.{attempt + 1}"), person.nip, "salah-Sandi-1")
    assert login(client_at(app, "10.3.1.1"), person.nip, "salah-Sandi-2").status_code == 429
    assert login(client_at(app, "10.3.1.1"), person.nip, PASSWORD).status_code == 429


def test_nip_and_e_mail_of_one_account_share_one_counter(app, person):
    """F5: alternating the NIP and the e-mail does not double the guesses an account gets."""
    identifiers = [person.nip, person.email.upper(), f"{person.nip[:8]} {person.nip[8:]}"]
    for attempt in range(5):
        identifier = identifiers[attempt % len(identifiers)]
        assert login(client_at(app, f"10.4.0.{attempt + 1}"), identifier, "salah-Sandi-1").status_code == 401
    assert login(client_at(app, "10.4.1.1"), person.email, "salah-Sandi-9").status_code == 429


def _change_password(client, current: str):
    page = client.get("/auth/password").get_data(as_text=True)
    return client.post("/auth/password", data={"current": current, "password": "baru-Sandi-4567",
                                               "confirm": "baru-Sandi-4567", "csrf_token": csrf_from(page)})


def test_guessing_the_current_password_is_limited_and_audited(app, person):
    """F16: the password-change page is a second place to guess a password from a stolen session."""
    client = client_at(app, "10.5.0.1")
    assert login(client, person.nip).status_code == 302
    for attempt in range(5):
        assert _change_password(client, f"tebakan-{attempt}").status_code == 400
    assert _change_password(client, "tebakan-9").status_code == 429
    assert _change_password(client, PASSWORD).status_code == 429
    with app.app_context():
        failures = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "auth.password_change_failed")).all()
        assert len(failures) == 5
        assert all(event.target_id == str(person.id) for event in failures)


def test_a_correct_current_password_is_not_counted(app, person):
    client = client_at(app, "10.6.0.1")
    login(client, person.nip)
    assert _change_password(client, "tebakan-1").status_code == 400
    assert _change_password(client, PASSWORD).status_code == 302


def test_a_deactivated_account_has_its_password_checked_like_any_other(app, monkeypatch):
    """F20: answering a deactivated account without hashing took 18 ms instead of 180, which told
    an attacker the account exists and is deactivated. Every kind of account costs one check."""
    inactive = create_person(app, active=False, email="pasif@contoh.go.id")
    active = create_person(app, email="aktif@contoh.go.id")
    calls = []
    real_verify = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda h, p: calls.append(h) or real_verify(h, p))
    for identifier in (inactive.nip, active.nip, "nobody@contoh.go.id"):
        for password in (PASSWORD, "salah-Sandi-1"):
            calls.clear()
            code = login(app.test_client(), identifier, password).status_code
            assert len(calls) == 1, (identifier, password)
            assert code == (302 if identifier == active.nip and password == PASSWORD else 401)


def test_an_unreachable_store_keeps_limiting_in_this_process(app, person, caplog):
    """Redis down: sign-in still works, and the limit falls back to this worker's memory instead
    of disappearing; a warning says so."""
    from app.services import rate_limits
    from limits.storage import storage_from_string

    working = app.extensions[rate_limits.EXTENSION_KEY]
    app.extensions[rate_limits.EXTENSION_KEY] = storage_from_string("redis://127.0.0.1:1/0")
    try:
        assert login(client_at(app, "10.7.0.1"), person.nip).status_code == 302
        for attempt in range(5):
            assert login(client_at(app, "10.7.0.2"), f"x{attempt}@contoh.go.id", "salah-Sandi-1").status_code == 401
        assert login(client_at(app, "10.7.0.2"), "y@contoh.go.id", "salah-Sandi-1").status_code == 429
        assert "rate-limit store unavailable" in caplog.text
    finally:
        app.extensions[rate_limits.EXTENSION_KEY] = working
