"""Assessment rounds in real headless Chromium.

HR opens a round through the form as a person would (keyboard in the date fields), follows its
participation (total row, the not-started list with a reminder per person), is told plainly when
a round's dates are the wrong way round (and no second round appears), and closes the round after
its confirmation page. A respondent on a 360 px phone starts the round's assessment, leaves it half
done, continues where they left off, and however they come back to the start page (its address
again, the browser's history, an old tab with the consent form) ends up in the one assessment.

Screenshots of the key steps go to /tmp/rounds-shots/ for a person to look at."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from babel.dates import format_date
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assessment, Round
from app.services.clock import office_today
from tests.factories import PASSWORD, create_person, open_round, published_version, started_assessment, \
    submitted_assessment

SHOTS = Path("/tmp/rounds-shots")
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
ASSESSMENT_URL = re.compile(r"/saya/penilaian/(\d+)/")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, base: str, nip: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("input[name=login]", nip)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


def type_date(page, selector: str, day) -> None:
    """Type a date into an <input type=date> the way a person does: click its first part and type
    the digits. The parts' order is the browser's own locale (month first for Chromium's en-US,
    day first for id-ID), so a first try with 01, 02, 2000 tells which order this one uses."""
    page.click(selector, position={"x": 12, "y": 12})
    page.keyboard.type("01022000", delay=20)
    probe = page.input_value(selector)
    orders = {"2000-01-02": "%m%d%Y", "2000-02-01": "%d%m%Y"}
    assert probe in orders, f"unexpected date field order: typed 01 02 2000, got {probe!r}"
    page.click(selector, position={"x": 12, "y": 12})
    page.keyboard.type(day.strftime(orders[probe]), delay=20)
    assert page.input_value(selector) == day.isoformat(), "the browser took the typed date"


def no_horizontal_scroll(page) -> tuple[bool, int, int]:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return width <= inner, width, inner


def assessment_id_in(url: str) -> int:
    match = ASSESSMENT_URL.search(url)
    assert match, f"not an assessment page: {url}"
    return int(match.group(1))


def test_hr_opens_a_round_follows_participation_and_closes_it(app, live_server, browser):
    version_id = published_version(app)
    hr = create_person(app, ("hr",), name="Hana Kepegawaian", email="hana@contoh.go.id")
    waiting = create_person(app, name="Wulan Belum", email="wulan@contoh.go.id")
    busy = create_person(app, name="Joko Sedang", email="joko@contoh.go.id")
    done = create_person(app, name="Dewi Selesai", email="dewi@contoh.go.id")
    today = office_today()
    closes = today + timedelta(days=30)

    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    sign_in(page, live_server, hr.nip)
    page.click("header nav a:text-is('Putaran')")
    page.wait_for_url(f"{live_server}/hr/rounds/")
    assert "Belum ada putaran." in page.inner_text("main table")
    page.click("main a.button:text-is('Buka putaran baru')")
    page.wait_for_url(f"{live_server}/hr/rounds/new")
    assert page.input_value("#unit") == str(hr.unit_id), "HR's own unit is chosen already"

    page.click("#name")
    page.keyboard.type("AKPK 2027")
    page.select_option("#version", str(version_id))
    type_date(page, "#opens_on", today)
    type_date(page, "#closes_on", closes)
    shot(page, "hr-01-new-round-form")
    page.click("main form button[type=submit]:text-is('Simpan putaran')")
    page.wait_for_url(re.compile(rf"{live_server}/hr/rounds/\d+$"))
    round_id = int(page.url.rsplit("/", 1)[1])
    assert page.inner_text("h1").startswith("AKPK 2027")
    assert page.inner_text("h1 .badge") == "Dibuka"
    assert "Putaran “AKPK 2027” sudah siap." in page.inner_text(".flash.success")
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        assert (round_.name, round_.unit_id, round_.version_id) == ("AKPK 2027", hr.unit_id, version_id)
        assert (round_.opens_on, round_.closes_on) == (today, closes)

    # Two of the three respondents take part after the round exists: one half way, one submitted.
    started_assessment(app, busy, {"strategi-rencana": 2})
    submitted_assessment(app, done)
    page.reload()
    shot(page, "hr-02-round-participation")
    total = page.locator("tr.total td")
    assert total.nth(0).inner_text() == "Unit PROV"
    assert [total.nth(n).inner_text() for n in (1, 2, 3)] == ["3", "1", "1"]
    assert total.nth(4).inner_text().startswith("1 (")  # "1 (33%)"

    assert page.inner_text("#not-started") == "Belum mulai (1)"
    rows = page.locator("table.reminders tbody tr")
    assert rows.count() == 1
    assert rows.nth(0).locator("td").nth(0).inner_text() == "Wulan Belum"
    reminder = rows.nth(0).locator("textarea")
    assert reminder.get_attribute("readonly") is not None
    text = reminder.input_value()
    link = f"http://127.0.0.1:5000/saya/putaran/{round_id}"
    assert "Wulan Belum" in text and "AKPK 2027" in text and link in text
    assert format_date(closes, "medium", locale="id") in text
    listed = page.inner_text("table.reminders")
    assert "Joko Sedang" not in listed and "Dewi Selesai" not in listed

    # The waiting person follows the reminder's link on a 360 px phone and lands on the start page.
    phone = browser.new_context(viewport=PHONE, locale="id-ID")
    respondent = phone.new_page()
    sign_in(respondent, live_server, waiting.nip)
    respondent.wait_for_url(f"{live_server}/saya/")
    card = respondent.locator("section.card.current")
    assert card.locator("h2").inner_text() == "AKPK 2027"
    assert card.locator("a.button").inner_text() == "Mulai penilaian"
    shot(respondent, "hr-03-respondent-home-360")
    fits, width, inner = no_horizontal_scroll(respondent)
    assert fits, f"/saya/ scrolls sideways at 360 px: scrollWidth {width} > innerWidth {inner}"
    respondent.goto(live_server + link.removeprefix("http://127.0.0.1:5000"))
    respondent.wait_for_url(f"{live_server}/saya/mulai/{version_id}")
    assert "Putaran “AKPK 2027”" in respondent.inner_text("p.lead")

    # A round whose closing date comes before its opening date is refused in plain Indonesian.
    page.goto(f"{live_server}/hr/rounds/")
    page.click("main a.button:text-is('Buka putaran baru')")
    page.click("#name")
    page.keyboard.type("AKPK 2027 salah")
    page.select_option("#version", str(version_id))
    type_date(page, "#opens_on", today + timedelta(days=10))
    type_date(page, "#closes_on", today + timedelta(days=5))
    page.click("main form button[type=submit]")
    page.wait_for_selector(".field.has-error")
    shot(page, "hr-04-bad-dates-error")
    assert page.inner_text("#closes_on-error") == "Tanggal penutupan sebelum tanggal pembukaan."
    assert page.locator("p.error").count() == 1
    assert page.input_value("#name") == "AKPK 2027 salah", "what was typed stays in the form"
    page.click("header nav a:text-is('Putaran')")
    page.wait_for_url(f"{live_server}/hr/rounds/")
    names = page.locator("main table tbody tr td:first-child").all_inner_texts()
    assert names == ["AKPK 2027"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Round.id))) == 1

    # Closing asks first, then the round is closed everywhere.
    page.click("main table a:text-is('AKPK 2027')")
    page.wait_for_url(f"{live_server}/hr/rounds/{round_id}")
    page.click("main a.button:text-is('Tutup putaran')")
    page.wait_for_url(f"{live_server}/hr/rounds/{round_id}/close")
    shot(page, "hr-05-close-confirmation")
    assert "AKPK 2027" in page.inner_text("h1")
    with app.app_context():
        assert db.session.get(Round, round_id).closed_at is None, "the confirmation page closes nothing"
    page.click("main form button.danger")
    page.wait_for_url(f"{live_server}/hr/rounds/{round_id}")
    shot(page, "hr-06-round-closed")
    assert page.inner_text("h1 .badge") == "Ditutup"
    assert page.locator("main a.button:text-is('Tutup putaran')").count() == 0
    assert page.locator("table.reminders textarea").count() == 0, "no reminders for a closed round"
    page.click("header nav a:text-is('Putaran')")
    assert page.locator("main table tbody tr .badge").all_inner_texts() == ["Ditutup"]
    with app.app_context():
        assert db.session.get(Round, round_id).closed_at is not None

    # The reminder's link now says the round is closed.
    respondent.goto(live_server + link.removeprefix("http://127.0.0.1:5000"))
    respondent.wait_for_url(f"{live_server}/saya/")
    assert respondent.inner_text(".flash.error") == "Putaran “AKPK 2027” sudah ditutup."
    assert respondent.locator("a:text-is('Mulai penilaian')").count() == 0
    shot(respondent, "hr-07-respondent-after-close-360")
    phone.close()
    context.close()


def test_respondent_resumes_the_round_and_never_gets_a_second_assessment(app, live_server, browser):
    version_id = published_version(app)
    round_id = open_round(app, version_id=version_id)
    person = create_person(app, name="Sari Ponsel", email="sari@contoh.go.id")
    start_url = f"{live_server}/saya/mulai/{version_id}"

    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    sign_in(page, live_server, person.nip)
    page.wait_for_url(f"{live_server}/saya/")
    shot(page, "resp-01-home-not-started-360")
    fits, width, inner = no_horizontal_scroll(page)
    assert fits, f"/saya/ scrolls sideways at 360 px: scrollWidth {width} > innerWidth {inner}"

    # An old tab: the person opened the consent form twice (say, from two reminder messages).
    old_tab = context.new_page()
    old_tab.goto(start_url)

    page.click("section.card.current a.button:text-is('Mulai penilaian')")
    page.wait_for_url(start_url)
    assert "Putaran “AKPK 2027”" in page.inner_text("p.lead")
    page.select_option("select[name=position]", "admin-medsos")
    page.check("input[name=consent]")
    shot(page, "resp-02-consent-360")
    page.click("main form.card button[type=submit]")
    page.wait_for_url("**/domain/strategi")
    assessment_id = assessment_id_in(page.url)

    page.check("input[name=strategi-rencana][value='3']")
    page.check("input[name=strategi-kanal][value='b']")
    page.wait_for_selector("#autosave-status[data-state=saved]", timeout=10000)
    shot(page, "resp-03-first-domain-partly-360")

    page.click("header nav a:text-is('Penilaian saya')")
    page.wait_for_url(f"{live_server}/saya/")
    card = page.locator("section.card.current")
    assert card.locator("a.button").inner_text() == "Lanjutkan dari yang terakhir"
    assert "0 dari 2 domain selesai" in card.inner_text()
    assert card.locator("progress").get_attribute("value") == "0"
    assert card.locator("progress").get_attribute("max") == "2"
    assert card.locator("a:text-is('Mulai penilaian')").count() == 0
    shot(page, "resp-04-home-in-progress-360")
    fits, width, inner = no_horizontal_scroll(page)
    assert fits, f"/saya/ scrolls sideways at 360 px: scrollWidth {width} > innerWidth {inner}"

    card.locator("a.button").click()
    page.wait_for_url(f"{live_server}/saya/penilaian/{assessment_id}/domain/strategi")
    assert page.is_checked("input[name=strategi-rencana][value='3']")
    assert page.is_checked("input[name=strategi-kanal][value='b']")
    assert not page.is_checked("input[name=strategi-rencana][value='2']")

    # The start page's address again leads to the same assessment.
    page.goto(start_url)
    assert assessment_id_in(page.url) == assessment_id
    assert page.is_checked("input[name=strategi-rencana][value='3']")

    # Back through the history to the consent form (the pages are no-store, so the browser asks
    # the server again, which sends the person on to the assessment); if the browser does show the
    # form again, it is submitted again.
    for _ in range(8):
        if page.url == f"{live_server}/saya/":
            break
        page.go_back()
    assert page.url == f"{live_server}/saya/", "the history reached My assessments"
    page.go_back()  # the first domain, just after consent
    response = page.go_back()  # the consent form
    if page.url == start_url:  # shown from the browser's memory: submit it again
        page.check("input[name=consent]")
        page.click("main form.card button[type=submit]")
        page.wait_for_url("**/domain/**")
    else:  # asked for again, and the server sent the person on to their assessment
        assert response is not None
        first = response.request
        while first.redirected_from is not None:
            first = first.redirected_from
        assert first.url == start_url, "the history went back to the consent form"
    assert assessment_id_in(page.url) == assessment_id

    # The old tab's consent form, submitted now, also leads to the same assessment.
    old_tab.select_option("select[name=position]", "admin-medsos")
    old_tab.check("input[name=consent]")
    old_tab.click("main form.card button[type=submit]")
    old_tab.wait_for_url("**/domain/**")
    assert assessment_id_in(old_tab.url) == assessment_id
    assert old_tab.is_checked("input[name=strategi-rencana][value='3']")
    shot(old_tab, "resp-05-old-tab-lands-in-same-assessment-360")

    # The reminder's link leads there too.
    page.goto(f"{live_server}/saya/putaran/{round_id}")
    assert assessment_id_in(page.url) == assessment_id

    with app.app_context():
        ids = db.session.scalars(select(Assessment.id).where(Assessment.user_id == person.id,
                                                             Assessment.round_id == round_id)).all()
        everything = db.session.scalar(select(func.count(Assessment.id)).where(Assessment.user_id == person.id))
    assert ids == [assessment_id]
    assert everything == 1

    page.goto(f"{live_server}/saya/")
    history = page.locator("main table tbody tr")
    assert history.count() == 1
    assert history.nth(0).locator("td").nth(0).inner_text() == "AKPK 2027"
    context.close()
