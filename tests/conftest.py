"""Fixtures shared by the web tests: one migrated database per run (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set), emptied after every test."""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.services import rate_limits
from app.models import Unit, User
from app.services.passwords import hash_password

PASSWORD = "rahasia-Benar-123"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def database_url(tmp_dir: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.db'}"


def reset_schema(url: str) -> None:
    """PostgreSQL keeps its database between runs: start each run from an empty schema."""
    if not url.startswith("postgres"):
        return
    from sqlalchemy import create_engine

    from app import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    url = database_url(instance)
    reset_schema(url)
    application = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    application.instance_path = str(instance)
    from flask_migrate import upgrade

    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def clean_database(request):
    """Empty every table after each test that used the app, and forget rate-limit counters."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        rate_limits.reset()


@pytest.fixture
def ctx(app):
    """An app context for tests that call services directly. Tests that also send requests must
    not hold it open while they do (requests would share its `g`); they use `in_app` instead."""
    with app.app_context():
        yield


def snapshot(user: User) -> SimpleNamespace:
    """Plain values of a user, usable after the session that loaded it is gone."""
    return SimpleNamespace(id=user.id, nip=user.nip, email=user.email, name=user.name, unit_id=user.unit_id)


def create_person(app, roles=("respondent",), unit_code="PROV", **kwargs) -> SimpleNamespace:
    with app.app_context():
        from app.services.units import unit_by_code

        unit = unit_by_code(unit_code) or make_unit(unit_code, f"Unit {unit_code}")
        return snapshot(make_user(unit, roles, **kwargs))


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


def make_unit(code="PROV", name="Provinsi Contoh", parent: Unit | None = None) -> Unit:
    from app.services.units import create_unit

    unit = create_unit(code, name, parent, actor_id=None)
    db.session.commit()
    return unit


NIP_SEQ = iter(range(100, 900))


def make_user(unit: Unit, roles=("respondent",), *, password: str | None = PASSWORD, nip: str | None = None,
              name: str = "Pegawai Uji", email: str | None = None, active: bool = True) -> User:
    nip = nip or f"198501012010011{next(NIP_SEQ):03d}"
    user = User(nip=nip, name=name, email=email or f"u{nip}@contoh.go.id", unit=unit, active=active,
                password_hash=hash_password(password) if password else None)
    user.set_roles(set(roles))
    db.session.add(user)
    db.session.commit()
    return user


def login(client, identifier: str, password: str = PASSWORD, next_path: str = ""):
    page = client.get("/auth/login")
    return client.post("/auth/login", data={"login": identifier, "password": password, "next": next_path,
                                            "csrf_token": csrf_from(page.get_data(as_text=True))})


def post_form(client, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
    """POST with the CSRF token taken from a page the person would have seen."""
    html = client.get(page or url).get_data(as_text=True)
    payload = dict(data or {})
    payload["csrf_token"] = csrf_from(html)
    return client.post(url, data=payload, **kwargs)
