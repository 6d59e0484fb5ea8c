"""The whole respondent journey with the keyboard alone, in real headless Chromium on a phone:
sign in, choose the position and consent, answer every domain of the MINI questionnaire, review,
submit and open the result again from "My assessments".

Only the keyboard acts on the pages (Tab, Shift+Tab, Space, Enter, the arrow keys and typing):
no mouse click, no `page.click`, `fill`, `check` or `select_option`. The test reads the page to
know where the focus is and what is checked, and opens the sign-in page by its address."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Answer, Assessment
from tests.factories import PASSWORD, create_person, published_version

PHONE = {"width": 360, "height": 800}
MAX_TABS = 80


def focused(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, *, back: bool = False) -> None:
    """Press Tab (Shift+Tab with ``back``) until the focus is on ``selector``."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if focused(page, selector):
            return
    where = page.evaluate("document.activeElement && document.activeElement.outerHTML.slice(0, 120)")
    raise AssertionError(f"{key} never reached {selector} on {page.url}; the focus is on {where}")


def answer_domain_with_the_keyboard(page) -> dict:
    """Answer every question of the domain page shown, by keyboard; what was chosen, per item."""
    items = page.evaluate("""[...document.querySelectorAll('fieldset.item')].map(f => ({
        id: f.dataset.item, type: f.dataset.type}))""")
    assert items, f"no question on {page.url}"
    chosen = {}
    for item in items:
        inside = f"fieldset[data-item='{item['id']}'] input, fieldset[data-item='{item['id']}'] textarea"
        tab_to(page, inside)
        if item["type"] == "text":
            page.keyboard.type("Diketik dengan papan ketik")
            chosen[item["id"]] = "Diketik dengan papan ketik"
            continue
        if item["type"] == "multi":  # check boxes: Space on the first, Tab to the second, Space
            page.keyboard.press("Space")
            first = page.evaluate("document.activeElement.value")
            page.keyboard.press("Tab")
            page.keyboard.press("Space")
            expected = sorted([first, page.evaluate("document.activeElement.value")])
        else:  # a radio group: the arrow key moves to the second option and chooses it
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
            expected = [page.evaluate("document.activeElement.value")]
        values = page.evaluate("""id => [...document.querySelectorAll(
            `fieldset[data-item='${id}'] input:checked`)].map(i => i.value).sort()""", item["id"])
        assert len(values) == (2 if item["type"] == "multi" else 1) and values == expected, (item, values, expected)
        chosen[item["id"]] = values if item["type"] == "multi" else values[0]
    return chosen


def test_the_respondent_journey_with_the_keyboard_alone(app, live_server, browser):
    version_id = published_version(app)
    person = create_person(app, name="Tari Papan Ketik", email="tari@contoh.go.id")
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()

    # Sign in: the skip link comes first, then the fields; Shift+Tab goes back.
    page.goto(f"{live_server}/auth/login")
    tab_to(page, "a.skip")
    tab_to(page, "input[name=login]")
    page.keyboard.type(person.nip)
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    tab_to(page, "input[name=login]", back=True)
    assert page.evaluate("document.activeElement.value") == person.nip
    tab_to(page, "input[name=password]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/saya/")

    # Start: the link, the position (arrow key in the closed list), consent (Space), Enter.
    tab_to(page, f"main a[href='/saya/mulai/{version_id}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/saya/mulai/{version_id}")
    tab_to(page, "select[name=position]")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "admin-medsos"
    tab_to(page, "input[name=consent]")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    tab_to(page, "main form.card button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/domain/strategi")

    # Every domain, each question by keyboard, then Enter on "Next" / "Review and submit".
    chosen = {}
    chosen.update(answer_domain_with_the_keyboard(page))
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/domain/krisis")
    chosen.update(answer_domain_with_the_keyboard(page))
    tab_to(page, "button[value=finish]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kirim")

    # Review: nothing missing; the answers are listed; Enter on "Submit my answers".
    assert page.locator("main .problems").count() == 0, page.inner_text("main .problems")
    assert "Diketik dengan papan ketik" in page.inner_text("main")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/hasil")
    assert page.locator(".chart svg").count() == 1
    with app.app_context():
        assessment = db.session.scalar(select(Assessment).where(Assessment.user_id == person.id))
        assert assessment.submitted_at is not None
        saved = dict(db.session.execute(select(Answer.item_id, Answer.value)
                                        .where(Answer.assessment_id == assessment.id)).all())
    assert set(chosen) >= {"strategi-rencana", "strategi-kanal", "strategi-tanda", "strategi-komentar",
                           "krisis-pantau", "krisis-hoaks"}
    for key, value in chosen.items():
        stored = sorted(saved.get(key) or []) if isinstance(value, list) else saved.get(key)
        assert str(stored) == str(value), (key, stored, value)
    result_url = page.url

    # Back to "My assessments" through the main navigation, and the result opened from its row.
    tab_to(page, "header nav a[href='/saya/']", back=True)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/saya/")
    tab_to(page, f"main a[href='{result_url.removeprefix(live_server)}']")
    page.keyboard.press("Enter")
    page.wait_for_url(result_url)
    assert page.locator(".chart svg").count() == 1
    context.close()
