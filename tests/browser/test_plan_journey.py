"""The unit plan in real headless Chromium (issue 14): HR opens "Rencana" from the navigation,
types a budget ceiling as Indonesians write it and sees what it covers change (a class that no
longer fits is unfunded, a module is funded in part); an approver signs in, lands on the drafts
waiting for them, opens the plan and sets it with their position and place (name and NIP come
from their profile, the date is today's at the office); the plan then reads "Ditetapkan" for the
approver and for HR, whose ceiling form has become a "Mulai revisi" button.

The Indonesian words are the translations proposed for the new messages. Screenshots go to
/tmp/plan-shots/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

from app.extensions import db
from app.models import UnitPlan
from app.services.clock import office_today
from tests.factories import PASSWORD, create_person, open_round, published_version, submitted_assessment

SHOTS = Path("/tmp/plan-shots")
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, base: str, nip: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("input[name=login]", nip)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


def funding(page, module_id: str) -> str:
    return page.inner_text(f"tr[data-module='{module_id}'] td.funding")


def no_horizontal_scroll(page) -> tuple[bool, int, int]:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return width <= inner, width, inner


def test_hr_sets_a_ceiling_and_an_approver_sets_the_plan(app, live_server, browser):
    version_id = published_version(app)
    round_id = open_round(app, "PROV", version_id=version_id)
    for n in range(3):
        submitted_assessment(app, create_person(app, name=f"Pegawai {n}", email=f"p{n}@contoh.go.id"),
                             version_id=version_id)
    hr = create_person(app, ("hr",), name="Hana Kepegawaian", email="hana@contoh.go.id")
    approver = create_person(app, ("approver",), name="Ahmad Fauzi", email="kepala@contoh.go.id")

    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    sign_in(page, live_server, hr.nip)
    page.click("header nav a:text-is('Rencana')")
    page.wait_for_url(f"{live_server}/hr/plan/")
    assert page.inner_text("h2#plan-status .badge") == "Draf"
    assert [funding(page, m) for m in ("m-krisis-kelas", "m-krisis-mentor", "m-strategi-1")] == [
        "Didanai penuh"] * 3  # without a ceiling everything is counted as needed
    assert page.inner_text("[data-total=needed]") == "Rp 50.250.000"
    shot(page, "hr-01-plan-without-ceiling")

    page.click("#ceiling")
    page.keyboard.type("Rp 5.000.000")
    page.click("form.ceiling-form button[type=submit]")
    page.wait_for_url(f"{live_server}/hr/plan/?unit={hr.unit_id}&round={round_id}")
    assert "Pagu anggaran Rp 5.000.000." in page.inner_text(".flash.success")
    assert page.input_value("#ceiling") == "5.000.000"
    assert funding(page, "m-krisis-kelas") == "Tidak didanai"  # one class costs Rp 45.000.000
    assert funding(page, "m-krisis-mentor") == "Didanai penuh"
    assert funding(page, "m-strategi-1") == "Didanai sebagian"  # 2 of 3 with the Rp 500.000 left
    assert page.inner_text("[data-total=funded]").startswith("Rp 5.000.000")
    assert page.inner_text("[data-total=unfunded]").startswith("Rp 45.250.000")
    assert page.inner_text("[data-total=remaining]") == "Rp 0"
    shot(page, "hr-02-plan-with-ceiling")

    # A ceiling with decimals is refused in plain Indonesian and the old one stays.
    page.fill("#ceiling", "5.000.000,50")
    page.click("form.ceiling-form button[type=submit]")
    assert "Masukkan bilangan bulat rupiah" in page.inner_text("#ceiling-error")
    with app.app_context():
        [plan] = db.session.query(UnitPlan).all()
        assert (plan.status, plan.budget_ceiling) == ("draft", 5_000_000)

    # HR closes the round (a plan is set from a frozen data set), confirming on the way.
    page.goto(f"{live_server}/hr/rounds/{round_id}/close")
    page.click("main form button.danger")
    page.wait_for_url(f"{live_server}/hr/rounds/{round_id}")
    assert "Ditutup" in page.inner_text("h1")

    # The approver, on a phone, sets the plan.
    phone = browser.new_context(viewport=PHONE, locale="id-ID")
    kepala = phone.new_page()
    sign_in(kepala, live_server, approver.nip)
    kepala.wait_for_url(f"{live_server}/approver/")
    shot(kepala, "approver-01-plans-to-set-360")
    kepala.click("table.plan-list a:text-is('AKPK 2027')")
    kepala.wait_for_url(f"{live_server}/approver/plans/{plan.id}")
    assert kepala.inner_text("h2#plan-status .badge") == "Draf"
    assert approver.nip in kepala.inner_text("form.set-plan")
    assert kepala.input_value("#on") == office_today().isoformat()
    fits, width, inner = no_horizontal_scroll(kepala)
    assert fits, f"the plan scrolls sideways at 360 px: scrollWidth {width} > innerWidth {inner}"
    kepala.fill("#position", "Kepala Badan Kepegawaian Daerah")
    kepala.fill("#place", "Serang")
    shot(kepala, "approver-02-set-form-360")
    kepala.click("form.set-plan button[type=submit]")
    kepala.wait_for_url(f"{live_server}/approver/plans/{plan.id}")
    assert kepala.inner_text("h2#plan-status .badge") == "Ditetapkan"
    signature = kepala.inner_text("dl.signature")
    for expected in ("Ahmad Fauzi", approver.nip, "Kepala Badan Kepegawaian Daerah", "Serang"):
        assert expected in signature
    assert kepala.locator("form.set-plan").count() == 0
    shot(kepala, "approver-03-set-360")

    page.goto(f"{live_server}/hr/plan/?unit={hr.unit_id}&round={round_id}")
    assert page.inner_text("h2#plan-status .badge") == "Ditetapkan"
    assert page.locator("#ceiling").count() == 0
    assert page.locator("main button:text-is('Mulai revisi')").count() == 1
    shot(page, "hr-03-plan-set")
    with app.app_context():
        assert db.session.get(UnitPlan, plan.id).status == "set"
    phone.close()
    context.close()
