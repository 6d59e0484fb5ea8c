"""Every page of a blueprint, generated from the URL map so that a new route cannot escape:
anonymous visitors are sent to sign-in, other roles get 403, the right role gets in."""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from tests.factories import create_person, started_assessment
from tests.pages import login

ALL_ROLES = ("respondent", "hr", "trainer", "admin")
# Which roles may use each blueprint (admins also reach the trainer pages).
ALLOWED = {"admin": {"admin"}, "admin_people": {"admin"}, "hr": {"hr"}, "hr_people": {"hr"},
           "trainer": {"trainer", "admin"}, "respond": {"respondent"}}
SAMPLE_ARGS = {"unit_id": 1, "user_id": 1, "active": 0, "domain_id": "strategi", "table": "needs", "fmt": "csv"}


def routes_of(app, blueprint: str, sample: dict | None = None) -> list[tuple[str, str]]:
    """(method, url) for every rule of the blueprint, with sample ids filled in."""
    sample = {**SAMPLE_ARGS, **(sample or {})}
    routes = []
    rule: Rule
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] != blueprint:
            continue
        url = rule.build({arg: sample.get(arg, 1) for arg in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, url))
    return routes


def all_routes(app):
    return [(bp, method, url) for bp in ALLOWED for method, url in routes_of(app, bp)]


def test_every_blueprint_has_routes(app):
    for blueprint in ALLOWED:
        assert routes_of(app, blueprint), blueprint


@pytest.fixture
def people(app):
    return {role: create_person(app, (role,), email=f"{role}@contoh.go.id") for role in ALL_ROLES}


def test_anonymous_visitor_is_sent_to_sign_in(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for _blueprint, method, url in all_routes(app):
            response = client.open(url, method=method)
            if (method, "/domain/") == ("POST", url[url.find("/domain/"):][:8]):
                # answers posted without a session come back inside the sign-in form (finding F9)
                assert response.status_code == 401 and 'action="/auth/login"' in response.get_data(as_text=True)
                continue
            assert response.status_code == 302, (method, url, response.status_code)
            assert "/auth/login" in response.headers["Location"], (method, url)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


@pytest.mark.parametrize("role", ALL_ROLES)
def test_roles_without_the_right_get_403(app, people, role):
    client = app.test_client()
    login(client, people[role].nip)
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for blueprint, method, url in all_routes(app):
            if role in ALLOWED[blueprint]:
                continue
            response = client.open(url, method=method)
            assert response.status_code == 403, (role, method, url, response.status_code)
            assert "Tidak diizinkan" in response.get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_right_role_reaches_every_page_without_ids(app, people, role):
    client = app.test_client()
    login(client, people[role].nip)
    for blueprint, method, url in all_routes(app):
        if role not in ALLOWED[blueprint] or method != "GET" or "/1" in url:
            continue
        response = client.get(url)
        assert response.status_code == 200, (role, url, response.status_code)


def test_every_post_route_needs_a_csrf_token(app):
    """A person holding every role, owning assessment 1, posts to every route without a token:
    each is refused with 400 and nothing is written."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Answer, AuditEvent

    everyone = create_person(app, ALL_ROLES, email="semua@contoh.go.id")
    sample = {"assessment_id": started_assessment(app, everyone)}
    client = app.test_client()
    login(client, everyone.nip)
    with app.app_context():
        audit_before = db.session.scalar(select(func.count(AuditEvent.id)))
    posts = [(m, u) for rule_bp in ALLOWED for m, u in routes_of(app, rule_bp, sample) if m == "POST"]
    posts += [("POST", "/auth/logout"), ("POST", "/auth/role"), ("POST", "/language")]
    for _method, url in posts:
        response = client.post(url, data={"name": "x", "strategi-kanal": "a", "code": "NEW", "role": "admin"})
        assert response.status_code == 400, (url, response.status_code)
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == audit_before
        assert db.session.scalar(select(func.count(Answer.id))) == 0
