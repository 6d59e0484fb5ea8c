"""What a person does through the pages, with Flask's test client: sign in, post a form with the
CSRF token of the page they saw, start an assessment, make a draft."""

from __future__ import annotations

import re

from tests.factories import PASSWORD

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
INPUT_RE = re.compile(r"<input\b[^>]*>")
ATTRIBUTE_RE = re.compile(r'([\w-]+)(?:="([^"]*)")?')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


def checked_values(html: str, name: str) -> set[str]:
    """The values of the checked radio buttons and check boxes called ``name`` in a page."""
    found = set()
    for tag in INPUT_RE.findall(html):
        attributes = dict(ATTRIBUTE_RE.findall(tag[len("<input"):]))
        if attributes.get("name") == name and "checked" in attributes:
            found.add(attributes.get("value", ""))
    return found


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


def start_assessment(client, version_id: int, position: str = "admin-medsos"):
    """A signed-in respondent consents and starts answering ``version_id`` (the response: a
    redirect to the first domain)."""
    page = client.get(f"/saya/mulai/{version_id}").get_data(as_text=True)
    return client.post(f"/saya/mulai/{version_id}", data={"position": position, "consent": "y",
                                                          "csrf_token": csrf_from(page)})


def assessment_id_of(response) -> int:
    return int(response.headers["Location"].split("/penilaian/")[1].split("/")[0])


def new_draft(client, version_id: int) -> int:
    """A signed-in trainer makes a draft from ``version_id``; the draft's id."""
    token = csrf_from(client.get("/trainer/").get_data(as_text=True))
    response = client.post(f"/trainer/versions/{version_id}/draft", data={"csrf_token": token})
    assert response.status_code == 302
    return int(response.headers["Location"].split("/drafts/")[1].split("/")[0])
