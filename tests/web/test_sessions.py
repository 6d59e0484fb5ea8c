"""Sessions end at idle timeout, absolute lifetime, password change, role change and logout."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from app.extensions import db
from app.models import LoginSession, utcnow
from tests.factories import PASSWORD, create_person
from tests.pages import csrf_from, login


def age_sessions(app, **changes) -> None:
    with app.app_context():
        db.session.execute(update(LoginSession).values(**changes))
        db.session.commit()


def test_an_idle_session_ends(app, client):
    person = create_person(app)
    login(client, person.nip)
    assert client.get("/saya/").status_code == 200
    age_sessions(app, last_seen_at=utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1))
    assert client.get("/saya/").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_even_when_used(app, client):
    person = create_person(app)
    login(client, person.nip)
    age_sessions(app, created_at=utcnow() - timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"], minutes=1))
    assert client.get("/saya/").status_code == 302


def test_an_active_session_stays_alive(app, client):
    person = create_person(app)
    login(client, person.nip)
    age_sessions(app, last_seen_at=utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 1))
    assert client.get("/saya/").status_code == 200


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(app, client):
    person = create_person(app)
    other_device = app.test_client()
    login(other_device, person.nip)
    login(client, person.nip)
    page = client.get("/auth/password").get_data(as_text=True)
    wrong = client.post("/auth/password", data={"current": "salah", "password": "Baru-sekali-77",
                                                "confirm": "Baru-sekali-77", "csrf_token": csrf_from(page)})
    assert wrong.status_code == 400
    response = client.post("/auth/password", data={"current": PASSWORD, "password": "Baru-sekali-77",
                                                   "confirm": "Baru-sekali-77", "csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert client.get("/saya/").status_code == 200
    assert other_device.get("/saya/").status_code == 302
    assert login(app.test_client(), person.nip, "Baru-sekali-77").status_code == 302


def test_json_clients_get_401_not_a_redirect(client):
    response = client.post("/saya/penilaian/1/autosave", json={"domain": "x", "answers": {}})
    assert response.status_code == 401 and response.is_json
