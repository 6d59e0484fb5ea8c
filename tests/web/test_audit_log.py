"""The audit log as an admin reads it: who, what (a sentence in the reader's language), when
(office time, zone named), on what (a link while the object exists); filters by person, several
actions, object and office dates; bad values refused inline; the export with the same filters."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Unit
from app.services import audit, audit_log
from app.services.exports import TABLES
from tests.factories import create_person
from tests.pages import login, post_form

APP_DIR = Path(__file__).resolve().parents[2] / "app"
LANGUAGE_COOKIE = "swanilai_lang"


@pytest.fixture
def admin(app, client):
    person = create_person(app, ("admin",), unit_code="BANTEN", name="Admin Utama", email="admin@contoh.go.id")
    login(client, person.nip)
    return person


def add_event(app, action, *, at, actor_id=None, target_type=None, target_id=None, details=None, ip=None) -> int:
    with app.app_context():
        event = audit.record(action, actor_id=actor_id, target_type=target_type, target_id=target_id,
                             details=details, ip=ip)
        event.at = at
        db.session.commit()
        return event.id


def unit_id(app, code) -> int:
    with app.app_context():
        return db.session.scalar(select(Unit.id).where(Unit.code == code))


def page(client, query: str = "", lang: str = "id"):
    client.set_cookie(LANGUAGE_COOKIE, lang)
    return client.get("/admin/audit" + (("?" + query) if query else ""))


def rows_of(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)


def expected_sentence(app, action: str, lang: str, **values) -> str:
    with app.test_request_context(), force_locale(lang):
        text = str(audit_log.ACTIONS[action].sentence) % values
    return text[:1].upper() + text[1:]


def test_sentences_in_indonesian_and_english_with_office_time(app, client, admin):
    response = post_form(client, "/admin/units", {"code": "X1", "name": "Unit X1", "parent": ""})
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.create"))
        event.at = datetime(2026, 12, 2, 7, 5)  # 14.05 in Jakarta
        db.session.commit()

    html_id = page(client, "action=unit.create").get_data(as_text=True)
    html_en = page(client, "action=unit.create", lang="en").get_data(as_text=True)
    for html, lang in ((html_id, "id"), (html_en, "en")):
        sentence = expected_sentence(app, "unit.create", lang, who="Admin Utama", object="Unit X1 (X1)")
        assert sentence in html, lang
        assert "{" not in sentence and "unit.create" != sentence
    assert "created the unit Unit X1 (X1)" in html_en
    assert "2 Des 2026 14.05 WIB" in html_id
    assert "Dec 2, 2026" in html_en and "WIB" in html_en
    assert '"code":' not in html_id and "{&#34;" not in html_id, "no raw JSON"
    assert "X1" in html_id


def test_who_and_objects_link_only_while_they_exist(app, client, admin):
    at = datetime(2026, 3, 1, 3, 0)
    banten = unit_id(app, "BANTEN")
    add_event(app, "unit.rename", at=at, actor_id=admin.id, target_type="unit", target_id=banten,
              details={"from": "Lama", "to": "Baru"})
    add_event(app, "unit.rename", at=at, actor_id=admin.id, target_type="unit", target_id=99999,
              details={"from": "Hilang", "to": "Pergi"})
    add_event(app, "retention.apply", at=at, target_type="assessment", details={"months": 60}, ip="cli")
    add_event(app, "invitation.open", at=at, target_type="user", target_id=admin.id, ip="10.0.0.1")
    add_event(app, "user.update", at=at, actor_id=admin.id, target_type="user", target_id=88888,
              details={"name": ["A", "B"], "password": "rahasia"})
    html = page(client, lang="en").get_data(as_text=True)
    rows = rows_of(html)
    assert len(rows) >= 5
    existing = next(row for row in rows if "Lama" in row)
    missing = next(row for row in rows if "Hilang" in row)
    assert f'href="/admin/units/{banten}"' in existing
    assert f'href="/admin/users/{admin.id}"' in existing, "the actor links to the person page"
    assert "/admin/units/99999" not in missing and "99999" in missing and "no longer exists" in missing
    assert "from:</span> Lama" in existing and "to:</span> Baru" in existing
    cli = next(row for row in rows if "retention.apply" in row)
    assert "command line" in cli.lower()
    opened = next(row for row in rows if "invitation.open" in row)
    assert "system" in opened.lower() and f'href="/admin/users/{admin.id}"' in opened
    gone = next(row for row in rows if "user.update" in row)
    assert "/admin/users/88888" not in gone and "rahasia" not in html


def test_unknown_action_codes_fall_back_to_the_code(app, client, admin):
    add_event(app, "something.new", at=datetime(2026, 3, 1), actor_id=admin.id)
    rows = rows_of(page(client).get_data(as_text=True))
    assert any("something.new" in row for row in rows)
    with app.test_request_context():
        assert audit_log.label_of("something.new") == "something.new"


def test_filters_narrow_by_person_actions_object_and_office_dates(app, client, admin):
    other = create_person(app, ("hr",), unit_code="BANTEN", name="Siti Petugas")
    banten = unit_id(app, "BANTEN")
    day = datetime(2026, 5, 10, 3, 0)
    a = add_event(app, "auth.login", at=day, actor_id=admin.id, target_type="user", target_id=admin.id)
    b = add_event(app, "auth.login", at=day, actor_id=other.id, target_type="user", target_id=other.id)
    c = add_event(app, "unit.rename", at=day, actor_id=admin.id, target_type="unit", target_id=banten)
    d = add_event(app, "round.close", at=day, actor_id=other.id, target_type="round", target_id=5)
    # 16 May 2026 23.30 WIB is 16.30 UTC; 17 May 00.30 WIB is 16 May 17.30 UTC
    e = add_event(app, "auth.logout", at=datetime(2026, 5, 16, 16, 30), actor_id=other.id)
    f = add_event(app, "auth.logout", at=datetime(2026, 5, 16, 17, 30), actor_id=other.id)

    def ids(query):
        response = page(client, query)
        assert response.status_code == 200, (query, response.get_data(as_text=True)[:300])
        html = response.get_data(as_text=True)
        return {event_id for event_id in (a, b, c, d, e, f) if f'data-event="{event_id}"' in html}

    assert ids("") >= {a, b, c, d, e, f}
    assert ids(f"actor={other.id}") == {b, d, e, f}
    assert ids("q=siti") == {b, d, e, f}
    assert ids(f"q={other.nip}") == {b, d, e, f}
    assert ids("action=auth.login&action=round.close") == {a, b, d}
    assert ids(f"type=unit&object={banten}") == {c}
    assert ids("type=round") == {d}
    assert ids("from=2026-05-16&to=2026-05-16") == {e}, "office dates, not UTC dates"
    assert ids("from=2026-05-17") == {f}
    assert ids(f"actor={other.id}&action=auth.logout&to=2026-05-16") == {e}

    html = page(client, "action=auth.login&action=round.close").get_data(as_text=True)
    assert re.search(r'<option value="auth.login" selected>', html) and 'value="round.close" selected' in html
    assert "<optgroup" in html, "actions are grouped by area"
    assert "Siti Petugas" in html.split('id="audit-actor"', 1)[1].split("</select>", 1)[0]


@pytest.mark.parametrize("query,field", [
    ("from=2026-13-01", "from"), ("to=kemarin", "to"), ("from=2026-05-20&to=2026-05-01", "to"),
    ("type=nothing", "type"), ("type=unit&object=abc", "object"), ("actor=x'1", "actor")])
def test_bad_filters_are_refused_inline_and_kept(app, client, admin, query, field):
    response = page(client, query + "&action=auth.login")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="audit-{field}-error"' in html and f'aria-describedby="audit-{field}-error"' in html
    assert 'value="auth.login" selected' in html, "the other filters are kept"
    assert 'class="audit-filters"' in html
    assert client.get("/admin/audit.csv?" + query).status_code == 400


def test_export_keeps_the_filters_and_adds_the_sentence(app, client, admin):
    banten = unit_id(app, "BANTEN")
    day = datetime(2026, 5, 10, 3, 0)
    add_event(app, "unit.rename", at=day, actor_id=admin.id, target_type="unit", target_id=banten,
              details={"from": "Lama", "to": "Baru"})
    add_event(app, "auth.login", at=day, actor_id=admin.id)
    client.set_cookie(LANGUAGE_COOKIE, "en")
    response = client.get("/admin/audit.csv?action=unit.rename&from=2026-05-10&to=2026-05-10")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[2] == "Action" and "What" in header
    assert [row[2] for row in body] == ["unit.rename"]
    what = body[0][header.index("What")]
    assert what == "Admin Utama renamed the unit Unit BANTEN (BANTEN)."
    assert "from: Lama" in body[0][header.index("Details")] and "{" not in body[0][header.index("Details")]
    assert "WIB" in body[0][header.index("When (office time)")]
    with app.app_context():
        exported = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.export"))
        assert exported.details["action"] == ["unit.rename"] and exported.details["from"] == "2026-05-10"


RECORD_RE = re.compile(r"(?:audit(?:_service)?\.record|record_unit_file)\(\s*([^)]*?)(?:,\s*actor_id|,\s*filters)",
                       re.S)
LITERAL_RE = re.compile(r'"([a-z_]+\.[a-z_.-]*)"')


def recorded_codes() -> set[str]:
    codes = set()
    for path in APP_DIR.rglob("*.py"):
        for call in RECORD_RE.findall(path.read_text(encoding="utf-8")):
            for code in LITERAL_RE.findall(call):
                if code.endswith("."):  # "export." + table
                    codes |= {code + table for table in TABLES}
                else:
                    codes.add(code)
    return codes


def test_every_recorded_action_has_a_label_and_a_sentence(app):
    codes = recorded_codes()
    assert len(codes) > 40 and {"assessment.start", "round.create", "plan.set", "report.zip",
                                "user.deactivate", "export.needs", "audit.export"} <= codes
    missing = codes - set(audit_log.ACTIONS)
    assert not missing, f"actions recorded in app/ without a label in app/services/audit_log.py: {sorted(missing)}"
    with app.test_request_context():
        for code, action in audit_log.ACTIONS.items():
            assert action.area in audit_log.AREAS, code
            assert str(action.label) and str(action.sentence) % {"who": "X", "object": "Y"}


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01", "actor=99999999999999999999",
                                   "page=99999999999999999999", "type=user&object=99999999999999999999"])
def test_out_of_range_filters_are_answered_not_a_500(app, client, admin, query):
    assert client.get(f"/admin/audit?{query}").status_code in (200, 400)
    assert client.get(f"/admin/audit.csv?{query}").status_code in (200, 400)
