"""The consent notice on the start page names the right to object to decisions based solely on
automated processing, and says what the level is: a self-assessment for development planning,
not a decision about the person (UU No. 27 Tahun 2022; issue 12, part 7)."""

from __future__ import annotations

import pytest

from app.web.i18n import LANGUAGE_COOKIE
from tests.factories import create_person, published_version
from tests.pages import login


@pytest.fixture
def start_page(app, client):
    version_id = published_version(app)
    login(client, create_person(app).nip)
    client.set_cookie(LANGUAGE_COOKIE, "en")
    return client.get(f"/saya/mulai/{version_id}").get_data(as_text=True)


def test_the_notice_names_the_right_to_object_to_automated_decisions(start_page):
    assert "UU No. 27 Tahun 2022" in start_page
    assert "object to a decision based solely on automated processing" in start_page


def test_the_notice_says_the_level_is_not_a_decision_about_the_person(start_page):
    assert "self-assessment used to plan your competency development, not a decision about you" in start_page
    assert "not a certification or a formal test of competency" in start_page
