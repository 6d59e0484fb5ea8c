"""Fixtures of the fault tests (helpers are in support.py). They use the session's migrated
database (SQLite, or PostgreSQL with TEST_DATABASE_URL) like the rest of the suite, and serve the
app only on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.faults.support import FULL, publish


def on_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


@pytest.fixture
def full_version(app) -> int:
    """The shipped questionnaire (8 domains), published."""
    return publish(app, FULL)
