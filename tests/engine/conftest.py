"""Fixtures of the engine tests (no Flask here); the helpers are in helpers.py."""
from __future__ import annotations

import pytest

from app.engine.questionnaire import Questionnaire, load

from .helpers import MINI_TEXT


@pytest.fixture(scope="session")
def mini_text() -> str:
    return MINI_TEXT


@pytest.fixture(scope="session")
def mini() -> Questionnaire:
    return load(MINI_TEXT)
