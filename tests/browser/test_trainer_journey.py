"""A trainer in real headless Chromium adds an item in the form editor, sees the validation
error next to it, fixes it, publishes, and a respondent then sees the new item."""

from __future__ import annotations


from tests.factories import PASSWORD, create_person, published_version


def sign_in(page, base, nip):
    page.goto(f"{base}/auth/login")
    page.fill("input[name=login]", nip)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


def test_trainer_adds_an_item_fixes_it_publishes_and_a_respondent_sees_it(app, live_server, browser):
    published_version(app)
    trainer = create_person(app, ("trainer",), name="Budi Pelatih", email="pelatih@contoh.go.id")
    respondent = create_person(app, ("respondent",), name="Sari Responden", email="sari@contoh.go.id")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, trainer.nip)
    page.wait_for_url(f"{live_server}/trainer/")
    page.click("button:has-text('Draf baru dari versi ini')")
    page.wait_for_url("**/drafts/*/yaml")
    draft_url = page.url.rsplit("/", 1)[0]

    page.goto(f"{draft_url}/edit?section=domain-1")
    page.click("button[value='add:domains.1.items']")
    page.wait_for_selector("input[name='domains.1.items.3.id']")
    field = page.locator("input[name='domains.1.items.3.id']").locator("xpath=..")
    assert field.locator(".error").count() >= 1, "the empty id is reported next to its field"

    page.fill("input[name='domains.1.items.3.id']", "krisis-baru")
    page.fill("textarea[name='domains.1.items.3.text.id']", "Saya melatih tim menghadapi krisis.")
    page.fill("textarea[name='domains.1.items.3.text.en']", "I train the team for crises.")
    for n in range(4):
        page.fill(f"textarea[name='domains.1.items.3.anchors.{n}.id']", f"Jangkar {n + 1}")
        page.fill(f"textarea[name='domains.1.items.3.anchors.{n}.en']", f"Anchor {n + 1}")
    page.click("button[value=save]")
    page.wait_for_selector(".flash.success")
    assert page.locator("section.problems").count() == 0

    page.goto(f"{draft_url}/publish")
    assert "krisis-baru" in page.content()
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/trainer/")
    context.close()

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server, respondent.nip)
    page.wait_for_url(f"{live_server}/saya/")
    page.click("a[href^='/saya/mulai/']")
    page.select_option("select[name=position]", "admin-medsos")
    page.check("input[name=consent]")
    page.click("main form.card button[type=submit]")
    page.wait_for_url("**/domain/strategi")
    page.click("button[value='goto:krisis']")
    page.wait_for_url("**/domain/krisis")
    assert "Saya melatih tim menghadapi krisis." in page.content()
    context.close()
