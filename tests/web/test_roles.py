"""Each role lands on its own home; navigation shows only what the active role may use."""

from __future__ import annotations

import pytest

from tests.factories import create_person
from tests.pages import csrf_from, login

HOMES = {"respondent": "/saya/", "hr": "/hr/", "trainer": "/trainer/", "admin": "/admin/"}


@pytest.mark.parametrize("role", HOMES)
def test_each_role_lands_on_its_home(app, client, role):
    person = create_person(app, (role,))
    assert login(client, person.nip).headers["Location"] == HOMES[role]
    assert client.get(HOMES[role]).status_code == 200


def test_navigation_shows_only_the_active_roles_pages(app, client):
    person = create_person(app, ("respondent",))
    login(client, person.nip)
    page = client.get("/saya/").get_data(as_text=True)
    assert 'href="/saya/"' in page
    assert 'href="/admin/' not in page and 'href="/hr/' not in page and 'name="role"' not in page


def test_a_person_with_several_roles_can_switch(app, client):
    person = create_person(app, ("respondent", "hr"))
    assert login(client, person.nip).headers["Location"] == "/hr/"
    page = client.get("/hr/").get_data(as_text=True)
    assert 'name="role"' in page and 'href="/hr/employees"' in page
    response = client.post("/auth/role", data={"role": "respondent", "csrf_token": csrf_from(page)})
    assert response.headers["Location"] == "/saya/"
    page = client.get("/saya/").get_data(as_text=True)
    assert 'href="/hr/employees"' not in page


def test_switching_to_a_role_one_does_not_hold_changes_nothing(app, client):
    person = create_person(app, ("respondent", "hr"))
    login(client, person.nip)
    page = client.get("/hr/").get_data(as_text=True)
    response = client.post("/auth/role", data={"role": "admin", "csrf_token": csrf_from(page)})
    assert response.headers["Location"] == "/hr/"
    assert client.get("/admin/").status_code == 403
