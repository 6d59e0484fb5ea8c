"""The unit plan through the pages (issue 14, the budget ceiling and approval): HR enters a budget
ceiling as Indonesians write rupiah and sees what it covers in priority order, overrides the cost
of a mode for their unit, chooses a quarter and provider per module; an approver sets the plan
(name and NIP from their profile, place, date, position), after which every write is refused
until HR starts a revision, which replaces it. Without the approver role, or outside the
approver's unit, every approver page answers 404. Bad input is refused and nothing is written.

Three people of MINI answered lowest have three year-1 needs (default prices, budget.DEFAULT_MODES):
"Krisis di kelas" (classroom, 8 JP, one class of 30: Rp 45.000.000), "Mentoring krisis"
(mentoring, 3 × Rp 1.500.000 = Rp 4.500.000) and "Dasar strategi" (e-learning, 3 × Rp 250.000 =
Rp 750.000): Rp 50.250.000 in all; "Strategi lanjut" is in year 2.

The Indonesian words asserted (Draf, Ditetapkan, Didanai penuh ...) are the translations proposed
for the new messages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, ModeCost, UnitPlan, UnitPlanModule, User
from app.services.clock import office_today
from tests.factories import create_person, make_unit, open_round, published_version, submitted_assessment
from tests.pages import csrf_from, login, post_form

APPROVER_NIP = "197702142000031905"


@pytest.fixture
def setting(app):
    """PROV (with DINAS below it) and LAIN; a round for PROV with three people answered lowest."""
    with app.app_context():
        prov = make_unit("PROV", "Provinsi Contoh")
        make_unit("DINAS", "Dinas Contoh", prov)
        make_unit("LAIN", "Provinsi Lain")
    version_id = published_version(app)
    round_id = open_round(app, "PROV", version_id=version_id)
    for n in range(3):
        submitted_assessment(app, create_person(app, unit_code="PROV", name=f"Pegawai {n}"), version_id=version_id)
    hr = create_person(app, ("hr",), unit_code="PROV", name="Rina HR")
    approver = create_person(app, ("approver",), unit_code="PROV", name="Ahmad Fauzi", nip=APPROVER_NIP)
    return {"round": round_id, "hr": hr, "approver": approver, "plan_url": f"/hr/plan/?round={round_id}"}


def signed_in(app, person):
    client = app.test_client()
    login(client, person.nip)
    return client


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def row_of(html: str, module_id: str) -> list[str]:
    """The cells of a module's row in the needs table, as text."""
    match = re.search(rf'<tr data-module="{module_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, module_id
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


def total(html: str, name: str) -> str:
    match = re.search(rf'data-total="{name}">(.*?)</dd>', html, re.S)
    assert match, name
    return text_of(match.group(1)).strip()


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def post_ceiling(client, setting, value):
    return post_form(client, f"/hr/plan/ceiling?round={setting['round']}", {"ceiling": value},
                     page=setting["plan_url"])


def plans(app) -> list[UnitPlan]:
    with app.app_context():
        return [(p.id, p.status, p.budget_ceiling, p.replaces_id)
                for p in db.session.scalars(select(UnitPlan).order_by(UnitPlan.id))]


# -- HR: the page and the budget ceiling ----------------------------------------------------------

def test_the_plan_page_lists_the_year_one_needs_in_priority_order(app, setting):
    client = signed_in(app, setting["hr"])
    response = client.get(setting["plan_url"])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert [m for m in re.findall(r'<tr data-module="([^"]+)"', html)] == [
        "m-krisis-kelas", "m-krisis-mentor", "m-strategi-1"]
    kelas = row_of(html, "m-krisis-kelas")
    assert kelas[1:9] == ["Krisis di kelas", "Krisis", "Klasikal", "Klasikal", "3", "8", "1", "45.000.000"]
    mentor = row_of(html, "m-krisis-mentor")
    assert mentor[3:9] == ["Nonklasikal", "Mentoring", "3", "6", "—", "4.500.000"]  # no classes for mentoring
    assert total(html, "needed") == "Rp 50.250.000"
    assert 'data-status="draft"' in html and "Draf" in html
    assert "Strategi lanjut" in text_of(html[html.index('id="later-years"'):])  # year 2, shown apart
    assert 'href="/hr/plan/"' in html  # HR's navigation has the plan
    assert plans(app) == []  # looking writes nothing


@pytest.mark.parametrize("written", ["150.000.000", "150000000", "Rp 150.000.000", "Rp150.000.000",
                                     " rp. 150.000.000 "])
def test_the_ceiling_is_taken_as_indonesians_write_it(app, setting, written):
    client = signed_in(app, setting["hr"])
    response = post_ceiling(client, setting, written)
    assert response.status_code == 302
    [(plan_id, status, ceiling, replaces)] = plans(app)
    assert (status, ceiling, replaces) == ("draft", 150_000_000, None)
    html = client.get(setting["plan_url"]).get_data(as_text=True)
    assert 'value="150.000.000"' in html
    assert total(html, "remaining") == "Rp 99.750.000"
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.ceiling"))
        assert event.target_id == str(plan_id) and event.details["to"] == 150_000_000


@pytest.mark.parametrize("written", ["", "0", "-150000000", "Rp -150.000.000", "150.000.000,50", "1500000.5",
                                     "150,000,000", "1.50.000", "seratus juta", "150jt", "1e9",
                                     "1.000.000.000.000.001", "99999999999999999999", "١٥٠٠٠٠"])
def test_a_bad_ceiling_is_refused_with_nothing_written(app, setting, written):
    client = signed_in(app, setting["hr"])
    with app.app_context():
        audit_before = count(AuditEvent)
    response = post_ceiling(client, setting, written)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="ceiling-error"' in html
    assert any(word in text_of(html[html.index('id="ceiling-error"'):]).split("<")[0]
               for word in ("rupiah", "nol", "terlalu besar"))
    assert plans(app) == []
    with app.app_context():
        assert count(AuditEvent) == audit_before


def test_the_ceiling_is_spent_in_priority_order(app, setting):
    """Rp 5.000.000: the class of Rp 45.000.000 does not fit (none), mentoring does (whole), and
    the rest, Rp 500.000, pays e-learning for 2 of the 3 (part)."""
    client = signed_in(app, setting["hr"])
    before = client.get(setting["plan_url"]).get_data(as_text=True)
    assert row_of(before, "m-krisis-kelas")[12] == "Didanai penuh"
    assert post_ceiling(client, setting, "Rp 5.000.000").status_code == 302
    html = client.get(setting["plan_url"]).get_data(as_text=True)
    kelas, mentor, strategi = (row_of(html, m) for m in ("m-krisis-kelas", "m-krisis-mentor", "m-strategi-1"))
    assert kelas[9:13] == ["0", "0", "3", "Tidak didanai"]
    assert mentor[9:13] == ["3", "4.500.000", "0", "Didanai penuh"]
    assert strategi[9:13] == ["2", "500.000", "1", "Didanai sebagian"]
    assert total(html, "funded").startswith("Rp 5.000.000")
    assert total(html, "unfunded").startswith("Rp 45.250.000")
    assert total(html, "remaining") == "Rp 0"


def test_outside_rounds_no_plan_can_be_made(app, setting):
    client = signed_in(app, setting["hr"])
    html = client.get("/hr/plan/?round=none").get_data(as_text=True)
    assert 'class="no-plan"' in html and 'name="ceiling"' not in html
    response = post_form(client, "/hr/plan/ceiling?round=none", {"ceiling": "150.000.000"}, page=setting["plan_url"])
    assert response.status_code == 400
    assert plans(app) == []


def test_a_unit_outside_the_officers_scope_is_not_found(app, setting):
    client = signed_in(app, setting["hr"])
    with app.app_context():
        from app.services.units import unit_by_code

        other = unit_by_code("LAIN").id
    assert client.get(f"/hr/plan/?unit={other}").status_code == 404
    response = post_form(client, f"/hr/plan/ceiling?unit={other}", {"ceiling": "150.000.000"},
                         page=setting["plan_url"])
    assert response.status_code == 404
    assert plans(app) == []


# -- HR: the unit's prices, quarter and provider ---------------------------------------------------

def post_cost(client, setting, mode, data):
    return post_form(client, f"/hr/plan/modes/{mode}?round={setting['round']}",
                     {f"c-{mode}-{name}": value for name, value in data.items()}, page=setting["plan_url"])


def test_a_cost_override_changes_the_figures(app, setting):
    """Classroom at Rp 10.000.000 per class of 2: 3 people → 2 classes, Rp 20.000.000; the total
    is then 20.000.000 + 4.500.000 + 750.000 = Rp 25.250.000."""
    client = signed_in(app, setting["hr"])
    response = post_cost(client, setting, "classroom", {"cost_per": "class", "amount": "Rp 10.000.000",
                                                        "class_size": "2"})
    assert response.status_code == 302
    html = client.get(setting["plan_url"]).get_data(as_text=True)
    assert row_of(html, "m-krisis-kelas")[7:9] == ["2", "20.000.000"]
    assert total(html, "needed") == "Rp 25.250.000"
    # Per participant and without a class size: no classes, 3 × Rp 2.000.000.
    assert post_cost(client, setting, "classroom", {"cost_per": "participant", "amount": "2.000.000",
                                                    "class_size": ""}).status_code == 302
    html = client.get(setting["plan_url"]).get_data(as_text=True)
    assert row_of(html, "m-krisis-kelas")[7:9] == ["—", "6.000.000"]
    assert total(html, "needed") == "Rp 11.250.000"
    with app.app_context():
        [row] = db.session.scalars(select(ModeCost))
        assert (row.unit_id, row.mode, row.cost_per, row.amount, row.class_size) == (
            setting["hr"].unit_id, "classroom", "participant", 2_000_000, None)
        assert count(AuditEvent) and db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "plan.mode_cost")) == 2


@pytest.mark.parametrize("data", [
    {"cost_per": "class", "amount": "10.000.000", "class_size": ""},  # a cost per class needs a class size
    {"cost_per": "class", "amount": "10.000.000", "class_size": "0"},
    {"cost_per": "class", "amount": "10.000.000", "class_size": "2,5"},
    {"cost_per": "participant", "amount": "0", "class_size": ""},
    {"cost_per": "participant", "amount": "-1", "class_size": ""},
    {"cost_per": "participant", "amount": "2.000.000,00", "class_size": ""},
    {"cost_per": "participant", "amount": "dua juta", "class_size": ""},
    {"cost_per": "hour", "amount": "2.000.000", "class_size": ""},
])
def test_a_bad_cost_is_refused_with_nothing_written(app, setting, data):
    client = signed_in(app, setting["hr"])
    response = post_cost(client, setting, "classroom", data)
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    with app.app_context():
        assert count(ModeCost) == 0
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "plan.mode_cost")) == 0


def test_an_unknown_mode_is_not_found(app, setting):
    client = signed_in(app, setting["hr"])
    assert post_cost(client, setting, "bertapa", {"cost_per": "participant", "amount": "1"}).status_code == 404


def post_choice(client, setting, module_id, quarter, provider):
    return post_form(client, f"/hr/plan/modules/{module_id}?round={setting['round']}",
                     {f"m-{module_id}-quarter": quarter, f"m-{module_id}-provider": provider},
                     page=setting["plan_url"])


def test_quarter_and_provider_are_saved(app, setting):
    client = signed_in(app, setting["hr"])
    assert post_choice(client, setting, "m-krisis-kelas", "3", "  LAN   RI ").status_code == 302
    html = client.get(setting["plan_url"]).get_data(as_text=True)
    assert row_of(html, "m-krisis-kelas")[13:15] == ["III", "LAN RI"]
    assert row_of(html, "m-krisis-mentor")[13:15] == ["—", "Diskominfo"]  # the catalogue's provider
    with app.app_context():
        [row] = db.session.scalars(select(UnitPlanModule))
        assert (row.module_id, row.quarter, row.provider) == ("m-krisis-kelas", 3, "LAN RI")
    # Back to no quarter and the catalogue's provider.
    assert post_choice(client, setting, "m-krisis-kelas", "", "").status_code == 302
    assert row_of(client.get(setting["plan_url"]).get_data(as_text=True), "m-krisis-kelas")[13:15] == ["—", "BPSDM"]


@pytest.mark.parametrize("module_id, quarter, provider", [
    ("m-krisis-kelas", "5", ""), ("m-krisis-kelas", "I", ""), ("m-krisis-kelas", "1", "x" * 201),
    ("m-tidak-ada", "1", ""),
])
def test_a_bad_choice_is_refused_with_nothing_written(app, setting, module_id, quarter, provider):
    client = signed_in(app, setting["hr"])
    assert post_choice(client, setting, module_id, quarter, provider).status_code == 400
    assert plans(app) == []


# -- the approver -----------------------------------------------------------------------------------

def draft_with_ceiling(app, setting, ceiling="Rp 5.000.000") -> int:
    client = signed_in(app, setting["hr"])
    assert post_ceiling(client, setting, ceiling).status_code == 302
    assert post_choice(client, setting, "m-krisis-mentor", "2", "LAN RI").status_code == 302
    close_round(app, setting["round"])  # a plan is set from a closed round's frozen data set
    return plans(app)[-1][0]


def close_round(app, round_id: int) -> None:
    from app.models import Round, utcnow

    with app.app_context():
        db.session.get(Round, round_id).closed_at = utcnow()
        db.session.commit()


def seen_on(client, plan_id) -> str:
    """The fingerprint of the figures the approver's page showed (a hidden field of its form)."""
    page = client.get(f"/approver/plans/{plan_id}").get_data(as_text=True)
    match = re.search(r'name="seen" type="hidden" value="([0-9a-f]*)"|name="seen" value="([0-9a-f]*)"', page)
    return (match.group(1) or match.group(2)) if match else ""


def set_it(client, plan_id, **data):
    payload = {"place": "Serang", "on": office_today().isoformat(), "position": "Kepala Badan Kepegawaian Daerah",
               "seen": seen_on(client, plan_id)}
    return post_form(client, f"/approver/plans/{plan_id}/set", {**payload, **data},
                     page=f"/approver/plans/{plan_id}")


def test_the_approver_sets_the_plan(app, setting):
    plan_id = draft_with_ceiling(app, setting)
    approver = signed_in(app, setting["approver"])
    listing = approver.get("/approver/").get_data(as_text=True)
    assert f'href="/approver/plans/{plan_id}"' in listing and "5.000.000" in listing and "50.250.000" in listing
    page = approver.get(f"/approver/plans/{plan_id}").get_data(as_text=True)
    assert 'data-status="draft"' in page and APPROVER_NIP in page and 'name="position"' in page
    assert f'value="{office_today().isoformat()}"' in page  # the office's date by default
    response = set_it(approver, plan_id)
    assert response.status_code == 302
    with app.app_context():
        plan = db.session.get(UnitPlan, plan_id)
        assert plan.status == "set" and plan.set_at is not None and plan.set_on == office_today()
        assert (plan.set_place, plan.approver_name, plan.approver_nip, plan.approver_position) == (
            "Serang", "Ahmad Fauzi", APPROVER_NIP, "Kepala Badan Kepegawaian Daerah")
        assert plan.approver_id == setting["approver"].id
        assert plan.snapshot["ceiling"] == 5_000_000
        lines = {line["module"]: line for line in plan.snapshot["lines"]}
        assert list(lines) == ["m-krisis-kelas", "m-krisis-mentor", "m-strategi-1"]
        assert (lines["m-krisis-mentor"]["funded_people"], lines["m-krisis-mentor"]["quarter"],
                lines["m-krisis-mentor"]["provider"]) == (3, 2, "LAN RI")
        assert lines["m-strategi-1"]["funded_people"] == 2
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.set"))
        assert event.actor_id == setting["approver"].id and event.target_id == str(plan_id)
    hr_page = signed_in(app, setting["hr"]).get(setting["plan_url"]).get_data(as_text=True)
    assert 'data-status="set"' in hr_page and "Ditetapkan" in hr_page
    assert "Ahmad Fauzi" in hr_page and APPROVER_NIP in hr_page and "Serang" in hr_page
    assert "Kepala Badan Kepegawaian Daerah" in hr_page
    assert 'name="ceiling"' not in hr_page and "Mulai revisi" in hr_page
    assert f'href="/approver/plans/{plan_id}"' not in approver.get("/approver/").get_data(as_text=True).split(
        "<h2>")[0]  # no longer among the drafts


@pytest.mark.parametrize("data, field", [
    ({"position": ""}, "position"), ({"position": "   "}, "position"), ({"on": ""}, "on"),
    ({"on": "31-12-2026"}, "on"), ({"on": "2999-01-01"}, "on"), ({"place": "x" * 101}, "place"),
])
def test_setting_with_bad_input_is_refused(app, setting, data, field):
    plan_id = draft_with_ceiling(app, setting)
    approver = signed_in(app, setting["approver"])
    response = set_it(approver, plan_id, **data)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(UnitPlan, plan_id).status == "draft"
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "plan.set")) == 0


def test_a_set_plan_refuses_every_write(app, setting):
    plan_id = draft_with_ceiling(app, setting)
    approver = signed_in(app, setting["approver"])
    assert set_it(approver, plan_id).status_code == 302
    hr = signed_in(app, setting["hr"])
    with app.app_context():
        snapshot = db.session.get(UnitPlan, plan_id).snapshot
        audit_before = count(AuditEvent)
    refusals = [
        post_ceiling(hr, setting, "150.000.000"),
        post_choice(hr, setting, "m-krisis-kelas", "1", "LAN"),
        post_cost(hr, setting, "classroom", {"cost_per": "participant", "amount": "1.000"}),
        set_it(approver, plan_id, place="Pandeglang"),
    ]
    for response in refusals:
        assert response.status_code == 409, response.status_code
    assert "Rencana ini sudah ditetapkan; mulai revisi untuk mengubahnya." in refusals[0].get_data(as_text=True)
    with app.app_context():
        plan = db.session.get(UnitPlan, plan_id)
        assert (plan.budget_ceiling, plan.set_place, plan.snapshot) == (5_000_000, "Serang", snapshot)
        assert count(ModeCost) == 0 and count(UnitPlan) == 1 and count(AuditEvent) == audit_before


def test_a_revision_replaces_the_set_plan(app, setting):
    plan_id = draft_with_ceiling(app, setting)
    approver = signed_in(app, setting["approver"])
    assert set_it(approver, plan_id).status_code == 302
    hr = signed_in(app, setting["hr"])
    response = post_form(hr, f"/hr/plan/revision?round={setting['round']}", page=setting["plan_url"])
    assert response.status_code == 302
    [first, second] = plans(app)
    assert first == (plan_id, "set", 5_000_000, None)
    assert second[1:] == ("draft", 5_000_000, plan_id)
    page = hr.get(setting["plan_url"]).get_data(as_text=True)
    assert 'data-status="draft"' in page and 'name="ceiling"' in page
    assert post_ceiling(hr, setting, "60.000.000").status_code == 302
    assert plans(app)[0] == (plan_id, "set", 5_000_000, None)  # the set plan does not change
    # The approver sees the revision, and no longer a way to set the old plan.
    assert f'href="/approver/plans/{second[0]}"' in approver.get("/approver/").get_data(as_text=True)
    assert 'name="position"' not in approver.get(f"/approver/plans/{plan_id}").get_data(as_text=True)
    assert set_it(approver, second[0], place="Serang").status_code == 302
    with app.app_context():
        assert db.session.get(UnitPlan, second[0]).snapshot["ceiling"] == 60_000_000
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.revision")).details[
            "replaces"] == plan_id


# -- who may -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("roles", [("respondent",), ("hr",), ("trainer",), ("admin",)])
def test_without_the_approver_role_every_approver_page_is_not_found(app, setting, roles):
    plan_id = draft_with_ceiling(app, setting)
    client = signed_in(app, create_person(app, roles, unit_code="PROV", email=f"{roles[0]}@contoh.go.id"))
    assert client.get("/approver/").status_code == 404
    assert client.get(f"/approver/plans/{plan_id}").status_code == 404
    token = csrf_from(client.get(setting["plan_url"] if "hr" in roles else "/auth/change-password"
                                 ).get_data(as_text=True))
    response = client.post(f"/approver/plans/{plan_id}/set", data={
        "csrf_token": token, "place": "Serang", "on": office_today().isoformat(), "position": "Kepala"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(UnitPlan, plan_id).status == "draft"


def test_a_visitor_is_sent_to_sign_in(app, setting, client):
    for url in ("/approver/", "/approver/plans/1", "/hr/plan/"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_an_approver_of_another_unit_gets_404(app, setting):
    plan_id = draft_with_ceiling(app, setting)
    other = signed_in(app, create_person(app, ("approver",), unit_code="LAIN", email="lain@contoh.go.id"))
    below = signed_in(app, create_person(app, ("approver",), unit_code="DINAS", email="dinas@contoh.go.id"))
    for client in (other, below):
        assert f"/approver/plans/{plan_id}" not in client.get("/approver/").get_data(as_text=True)
        assert client.get(f"/approver/plans/{plan_id}").status_code == 404
        response = client.post(f"/approver/plans/{plan_id}/set", data={
            "csrf_token": csrf_from(client.get("/approver/").get_data(as_text=True)), "place": "Serang",
            "on": office_today().isoformat(), "position": "Kepala"})
        assert response.status_code == 404
    assert client.get("/approver/plans/999999").status_code == 404
    with app.app_context():
        assert db.session.get(UnitPlan, plan_id).status == "draft"


def test_the_approver_lands_on_their_plans(app, setting, client):
    response = login(client, setting["approver"].nip)
    assert response.headers["Location"] == "/approver/"
    page = client.get("/approver/").get_data(as_text=True)
    assert 'href="/approver/"' in page and "Rencana untuk ditetapkan" in page


def test_hr_cannot_give_the_approver_role_but_an_admin_can(app, setting):
    hr = signed_in(app, setting["hr"])
    form = hr.get("/hr/employees/new").get_data(as_text=True)
    assert 'value="approver"' not in form
    response = post_form(hr, "/hr/employees/new", {
        "nip": "198501012010011777", "name": "Calon Kepala", "email": "calon@contoh.go.id", "unit_code": "PROV",
        "position": "", "roles": ["respondent", "approver"], "employment": "pns"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.nip == "198501012010011777")) is None
    admin = signed_in(app, create_person(app, ("admin",), unit_code="PROV", email="admin@contoh.go.id"))
    assert 'value="approver"' in admin.get("/admin/users/new").get_data(as_text=True)
    response = post_form(admin, "/admin/users/new", {
        "nip": "198501012010011777", "name": "Calon Kepala", "email": "calon@contoh.go.id", "unit_code": "PROV",
        "position": "", "roles": ["approver"], "employment": "pns"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User).where(User.nip == "198501012010011777")).roles == {"approver"}


# -- found in review -----------------------------------------------------------------------------

def test_a_plan_of_an_open_round_is_not_set(app, setting):
    client = signed_in(app, setting["hr"])
    assert post_ceiling(client, setting, "Rp 5.000.000").status_code == 302
    plan_id = plans(app)[-1][0]
    approver = signed_in(app, setting["approver"])
    response = set_it(approver, plan_id)
    assert response.status_code == 409 and "masih dibuka" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(UnitPlan, plan_id).status == "draft"


def test_figures_that_changed_since_the_approver_read_them_are_not_set(app, setting):
    plan_id = draft_with_ceiling(app, setting)
    approver = signed_in(app, setting["approver"])
    seen = seen_on(approver, plan_id)
    assert post_ceiling(signed_in(app, setting["hr"]), setting, "Rp 1.000.000").status_code == 302
    response = set_it(approver, plan_id, seen=seen)
    assert response.status_code == 409 and "berubah" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(UnitPlan, plan_id).status == "draft"
    assert set_it(approver, plan_id).status_code == 302  # read again: now it is set


def test_the_setting_date_is_not_before_the_round_opened(app, setting):
    from datetime import timedelta

    plan_id = draft_with_ceiling(app, setting)
    approver = signed_in(app, setting["approver"])
    response = set_it(approver, plan_id, on=(office_today() - timedelta(days=1)).isoformat())
    assert response.status_code == 400 and "sebelum putaran dibuka" in response.get_data(as_text=True)


def test_a_set_plans_classes_agree_in_the_exports(app, setting):
    """The snapshot keeps each mode's class size, so the exports of a set plan count classes as before."""
    import io

    from openpyxl import load_workbook

    plan_id = draft_with_ceiling(app, setting)
    hr = signed_in(app, setting["hr"])

    def plan_sheet_classes():
        book = load_workbook(io.BytesIO(hr.get(f"/hr/export/plan.xlsx?round={setting['round']}").data))
        sheet = book.worksheets[0]
        header = [cell.value for cell in sheet[1]]
        column = header.index("Ukuran kelas")
        return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]

    before = plan_sheet_classes()
    assert any(size for size in before)
    assert set_it(signed_in(app, setting["approver"]), plan_id).status_code == 302
    assert plan_sheet_classes() == before


def test_the_plan_is_the_units_and_the_rounds_whatever_the_dashboard_filters(app, setting):
    client = signed_in(app, setting["hr"])
    whole = text_of(client.get(setting["plan_url"]).get_data(as_text=True))
    filtered = text_of(client.get(setting["plan_url"] + "&position=pimpinan&from=2999-01-01").get_data(as_text=True))
    assert "m-krisis-kelas" in whole or "Krisis" in whole
    assert filtered.split("Kebutuhan tahun pertama")[-1] == whole.split("Kebutuhan tahun pertama")[-1]
