"""Fixtures shared by the tests: one migrated database per run (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set), emptied after every test; and the markers every test gets from its
folder. Helpers live in tests/factories.py (data) and tests/pages.py (requests): import those,
never this file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.services import rate_limits

TESTS = Path(__file__).resolve().parent
#: Markers given to every test of a folder (registered in pytest.ini; `make test-fast` leaves out
#: browser, servers and slow). A test elsewhere that starts a process takes @pytest.mark.servers.
FOLDER_MARKERS = {
    "browser": ("browser", "servers"),  # real Chromium, against a werkzeug server in a thread
    "deploy": ("servers",),  # nginx, gunicorn and redis-server processes
    "faults": ("servers",),  # gunicorn killed mid-request, database outages, concurrent writers
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        for name in FOLDER_MARKERS.get(top_folder(Path(item.path)), ()):
            item.add_marker(name)


def top_folder(path: Path) -> str:
    """The folder right under tests/ that holds ``path`` ("" for tests/ itself or elsewhere)."""
    path = path.resolve()
    parts = path.relative_to(TESTS).parts if TESTS in path.parents else ()
    return parts[0] if len(parts) > 1 else ""


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
    """An app context for tests that call services directly (tests/services). Tests that also send
    requests must not hold it open while they do (requests would share its `g`): they open short
    `with app.app_context()` blocks, or use the factories that take the `app`."""
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()
