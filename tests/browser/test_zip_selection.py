"""The results list's ZIP selection in real headless Chromium (static/select.js): the "download the
selected PDFs" button is disabled until someone is ticked, "select all" ticks everyone on the page
and untick-all disables the button again, and a live count says how many are ticked."""

from __future__ import annotations

from tests.factories import PASSWORD, create_person, published_version, submitted_assessment

DESKTOP = {"width": 1366, "height": 900}


def test_select_all_count_and_the_disabled_button(app, live_server, browser):
    published_version(app)
    hr = create_person(app, ("hr",), email="sdm@contoh.go.id")
    for number in range(3):
        person = create_person(app, email=f"p{number}@contoh.go.id", name=f"Pegawai {number}")
        submitted_assessment(app, person)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/auth/login")
        page.fill("input[name=login]", hr.nip)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.goto(f"{live_server}/hr/people")
        button = page.locator("[data-zip-selected]")
        count = page.locator("[data-selected-count]")
        select_all = page.locator("[data-select-all]")
        boxes = page.locator("input[type=checkbox][name=ids]")
        assert boxes.count() == 3
        assert button.is_disabled() and count.is_visible() and select_all.is_visible()
        assert count.inner_text() in ("Belum ada yang dipilih", "Nobody selected")

        boxes.nth(1).check()
        assert button.is_enabled()
        assert "1" in count.inner_text()
        assert page.evaluate("document.querySelector('[data-select-all]').indeterminate")

        select_all.check()
        assert all(boxes.nth(i).is_checked() for i in range(3))
        assert "3" in count.inner_text() and button.is_enabled()

        select_all.uncheck()
        assert not any(boxes.nth(i).is_checked() for i in range(3))
        assert button.is_disabled()

        boxes.nth(0).check()
        boxes.nth(2).check()
        assert "2" in count.inner_text()
        with page.expect_download() as download:
            button.click()
        assert download.value.suggested_filename.endswith(".zip")
    finally:
        context.close()
