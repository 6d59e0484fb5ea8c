"""Fixtures of the fault tests (helpers are in support.py). They use the session's migrated
database (SQLite, or PostgreSQL with TEST_DATABASE_URL) like the rest of the suite, and serve the
app only on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.factories import FULL, published_version


@pytest.fixture
def full_version(app) -> int:
    """The shipped questionnaire (8 domains), published."""
    return published_version(app, FULL)
