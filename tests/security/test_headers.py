"""Security headers on every page, and pages that keep to the Content-Security-Policy.

Every GET route of every blueprint is generated from the URL map (as in tests/web/test_access.py),
filled with the ids of real objects so that the pages render with content, and opened by a person
who holds every role. Each answer carries a Content-Security-Policy without 'unsafe-inline' or
'unsafe-eval', nosniff, X-Frame-Options DENY, a Referrer-Policy and Cache-Control no-store; each
HTML page has no inline script, no style attribute, no <style> element and no event-handler
attribute (the policy would block them, so they would be broken as well as risky).
HSTS is sent by the production configuration only."""

from __future__ import annotations

import itertools
import secrets
from html.parser import HTMLParser

import pytest

from app import create_app
from app.extensions import db
from app.models import UnitPlan, User
from app.services import drafts, invitations, privacy
from tests.factories import MINI, create_person, make_assessment, make_round, make_version
from tests.pages import login

ALL_ROLES = ("respondent", "hr", "trainer", "admin")
LOW = {"strategi-rencana": 1, "strategi-kanal": "a", "strategi-tanda": ["c"], "strategi-komentar": "Catatan",
       "krisis-pantau": 1, "krisis-hoaks": "a"}
SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


class InlineCode(HTMLParser):
    """Everything a Content-Security-Policy without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        if tag == "script" and not names.get("src"):
            self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>: {names['style']!r}")
        for name, value in names.items():
            if name.startswith("on"):
                self.problems.append(f"{name} attribute on <{tag}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    scan = InlineCode()
    scan.feed(html)
    scan.close()
    return scan.problems


def policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [w.lower() for w in words[1:]]
    return directives


def check_headers(response, where: str, *, signed_in: bool = True) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy")
    assert csp, f"{where}: no Content-Security-Policy"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{where}: {csp}"
    directives = policy(csp)
    for name in ("script-src", "style-src"):
        sources = directives.get(name, directives.get("default-src"))
        assert sources, f"{where}: no {name} (nor default-src) in {csp}"
        assert not {"*", "data:", "http:", "https:", "'unsafe-hashes'"} & set(sources), f"{where}: {name} {sources}"
    assert directives.get("object-src") == ["'none'"], f"{where}: {csp}"
    assert directives.get("frame-ancestors") == ["'none'"], f"{where}: {csp}"
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Referrer-Policy") in SAFE_REFERRER_POLICIES, f"{where}: {headers.get('Referrer-Policy')}"
    if where.startswith("/static/"):  # cached by the browser only: the answer may carry the session cookie
        assert headers.get("Cache-Control") == "private, max-age=3600", f"{where}: {headers.get('Cache-Control')}"
    elif signed_in:
        assert "no-store" in headers.get("Cache-Control", ""), f"{where}: Cache-Control {headers.get('Cache-Control')}"
    assert "Strict-Transport-Security" not in headers, f"{where}: HSTS in the testing configuration"


@pytest.fixture
def world(app):
    """A person with every role, a submitted and an in-progress assessment, a published version,
    a draft, another person with a pending invitation and an open correction request."""
    person = create_person(app, ALL_ROLES, unit_code="PROV", name="Semua Peran", email="semua@contoh.go.id")
    invited = create_person(app, ("respondent",), unit_code="PROV", password=None, email="baru@contoh.go.id")
    with app.app_context():
        version = make_version(MINI)
        user = db.session.get(User, person.id)
        submitted = make_assessment(user, version, answers=LOW, submit=True)
        in_progress = make_assessment(user, version, answers={"strategi-rencana": 2})
        draft = drafts.draft_from_version(version, actor_id=person.id)
        round_ = make_round(user.unit, version)
        plan = UnitPlan(round_id=round_.id, unit_id=user.unit_id, status="draft", budget_ceiling=1_000_000)
        db.session.add(plan)
        invitation = invitations.issue(db.session.get(User, invited.id), actor_id=person.id)
        privacy.request_correction(user, "Nama saya salah eja.")
        db.session.commit()
        samples = {
            "assessment_id": [submitted.id, in_progress.id],
            "version_id": [version.id, draft.id],
            "user_id": [person.id, invited.id],
            "unit_id": [user.unit_id],
            "domain_id": ["strategi", "krisis"],
            "token": [invitations.token_for(invitation)],
            "filename": ["swanilai.css", "autosave.js"],
            "table": ["results", "needs"],
            "fmt": ["csv", "xlsx"],
            "rest": [f"{submitted.id}/hasil"],
            "round_id": [round_.id],
            "plan_id": [plan.id],
            "module_id": ["m-strategi-1"],
            "mode": ["classroom"],  # the former /saya/asesmen/… addresses
        }
    return person, samples


def get_urls(app, samples) -> list[str]:
    """Every GET route with every combination of the sample arguments."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        arguments = sorted(rule.arguments)
        for values in itertools.product(*(samples[name] for name in arguments)):
            urls.append(rule.build(dict(zip(arguments, values)), append_unknown=False)[1])
    return sorted(set(urls))


def test_every_page_has_the_security_headers_and_no_inline_code(app, world):
    person, samples = world
    urls = get_urls(app, samples)
    blueprints = {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules()}
    assert {"main", "auth", "respond", "hr", "trainer", "admin", "static"} <= blueprints
    client = app.test_client()
    assert login(client, person.nip).status_code == 302
    pages = 0
    published, draft = samples["version_id"]
    extra = [f"/trainer/drafts/{draft}/edit?section={section}"
             for section in ("meta", "scale", "domain-0", "domain-1", "positions", "modules")]
    extra += [f"/trainer/diff?from={published}&to={draft}", "/hr/people?sort=status&dir=desc",
              "/hr/people?sort=bukan", "/bukan-halaman", "/hr/assessments/99999", "/trainer/drafts/99999/yaml"]
    for url in urls + extra:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        check_headers(response, url)
        if response.mimetype == "text/html":
            assert not inline_code(response.get_data(as_text=True)), (url, inline_code(response.get_data(as_text=True)))
            pages += response.status_code == 200
        response.close()  # a static file is streamed from an open file until then
    assert pages >= 40, f"only {pages} pages rendered: the sample ids no longer fit the routes"


def test_pages_for_visitors_who_are_not_signed_in(app, world):
    _person, samples = world
    client = app.test_client()
    for url in ["/", "/auth/login", "/healthz", "/saya/", "/bukan-halaman",
                f"/auth/invitation/{samples['token'][0]}", "/auth/invitation/rusak"]:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        check_headers(response, url, signed_in=False)
        if response.mimetype == "text/html":
            assert not inline_code(response.get_data(as_text=True)), url


def test_hsts_only_in_production(app, monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # never reached by these pages
    monkeypatch.setenv("BASE_URL", "https://swanilai.example")
    monkeypatch.setenv("SWANILAI_INSTANCE", str(tmp_path))
    production = create_app("production", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.db'}"})
    client = production.test_client()
    for url in ("/auth/login", "/healthz", "/bukan-halaman"):
        response = client.get(url, base_url="https://swanilai.example")
        hsts = response.headers.get("Strict-Transport-Security", "")
        assert "max-age=" in hsts, (url, hsts)
        assert int(hsts.split("max-age=")[1].split(";")[0]) >= 15552000, hsts  # at least 180 days
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    with production.app_context():
        db.engine.dispose()
    testing = app.test_client()
    assert "Strict-Transport-Security" not in testing.get("/auth/login").headers
