"""Every respondent page on a 360 px phone, in real headless Chromium: nothing scrolls sideways,
neither the document nor any element inside it (for every element ``scrollWidth <= clientWidth``;
a table that scrolls inside its own box hides the gap and JP columns just as well as a page that
does), and the primary action is where a thumb finds it.

The pages: "My assessments" with and without an assessment in progress (and with a history), the
start page, each domain page of the shipped eight-domain questionnaire, the review step, the
result (with a position aimed for, so its table shows too), the correction request and the
discard confirmation. Screenshots go to /tmp/phone-shots/ for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Assessment
from app.engine.questionnaire import load
from tests.factories import FULL, PASSWORD, create_person, published_version, started_assessment, \
    submitted_assessment

SHOTS = Path("/tmp/phone-shots")
PHONE = {"width": 360, "height": 800}
MODEL = load(FULL.read_text(encoding="utf-8"))
POSITION = "admin-medsos"

#: Every element whose content is wider than its box, with what a person needs to find it.
OVERFLOWING = """() => {
  const wide = [];
  for (const el of document.querySelectorAll('*')) {
    if (el.scrollWidth > el.clientWidth) {
      const name = el.getAttribute('class') || '';
      wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${name ? '.' + name.split(' ').join('.') : ''}`
                + ` scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
    }
  }
  return {page: [document.documentElement.scrollWidth, window.innerWidth], wide: wide};
}"""


def lowest_answers(position: str) -> dict:
    """The weakest answer to every item of ``position`` (free text left out): gaps everywhere,
    so the result has a plan of several years."""
    answers = {}
    for item in MODEL.items:
        if not item.applies_to(position) or item.type == "text":
            continue
        if item.type == "rating":
            answers[item.id] = 1
        elif item.type == "choice":
            answers[item.id] = min(item.options, key=lambda o: o.score).id
        elif item.type == "multi":
            answers[item.id] = [o.id for o in item.options if o.score <= 0][:1]
    return answers


def first_domain_answers(position: str) -> dict:
    first = MODEL.domains[0].id
    return {k: v for k, v in lowest_answers(position).items() if MODEL.item(k).domain_id == first}


def sign_in(page, base: str, nip: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("input[name=login]", nip)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/saya/")


def assert_fits(page, name: str) -> None:
    """Nothing on the page is wider than its box at 360 px; a screenshot either way."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    found = page.evaluate(OVERFLOWING)
    width, inner = found["page"]
    assert width <= inner, f"{name}: the page scrolls sideways (scrollWidth {width} > {inner})"
    assert not found["wide"], f"{name}: elements scroll sideways at 360 px:\n" + "\n".join(found["wide"])


def in_first_viewport(page, selector: str) -> bool:
    """Whether the element is wholly inside the first screen, without scrolling."""
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= PHONE["width"] \
        and box["y"] + box["height"] <= PHONE["height"]


def is_primary(page, selector: str) -> bool:
    """A primary button: filled with the brand colour, unlike the secondary ones (white)."""
    return page.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor") not in (
        "rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    yield context.new_page()
    context.close()


def test_home_and_start_fit_a_phone_and_start_is_the_primary_action(app, live_server, phone):
    version_id = published_version(app, FULL)
    person = create_person(app, name="Rahmawati Kusumaningtyas Prameswari", email="rahma@contoh.go.id")
    sign_in(phone, live_server, person.nip)
    assert_fits(phone, "home-new")
    start = "main section.card a.button:text-is('Mulai penilaian mandiri')"
    assert in_first_viewport(phone, start), "start is on the first screen"
    assert is_primary(phone, start)

    phone.click(start)
    phone.wait_for_url(f"{live_server}/saya/mulai/{version_id}")
    assert_fits(phone, "start")


def test_every_respondent_page_fits_a_phone(app, live_server, phone):
    version_id = published_version(app, FULL)
    person = create_person(app, name="Rahmawati Kusumaningtyas Prameswari", email="rahma@contoh.go.id")
    submitted_assessment(app, person, lowest_answers(POSITION), version_id=version_id, position=POSITION)
    with app.app_context():
        done = db.session.scalars(db.select(Assessment)).one()
        done.target_position_id = "kepala-unit"
        db.session.commit()
        done_id = done.id
    current = started_assessment(app, person, first_domain_answers(POSITION), version_id=version_id,
                                 position=POSITION)
    sign_in(phone, live_server, person.nip)

    # "My assessments": continuing is the primary action, on the first screen; the history fits.
    assert_fits(phone, "home-in-progress")
    resume = "main section.card.current a.button:text-is('Lanjutkan dari yang terakhir')"
    assert in_first_viewport(phone, resume)
    assert is_primary(phone, resume)
    assert "1 dari 8 domain selesai" in phone.inner_text("main section.card.current")
    history = phone.locator("table.history tbody tr").first
    assert history.locator("td[data-label]").count() >= 5, "each cell says what it is when stacked"
    assert history.locator("a:text-is('Lanjutkan')").is_visible() or \
        phone.locator("table.history a:text-is('Lanjutkan')").first.is_visible()

    # Each domain page: the bottom bar is one row, fixed, with Next always on screen.
    for n, domain in enumerate(MODEL.domains):
        phone.goto(f"{live_server}/saya/penilaian/{current}/domain/{domain.id}")
        assert_fits(phone, f"domain-{n + 1}-{domain.id}")
        bar = phone.locator(".bottom-bar")
        assert bar.evaluate("e => getComputedStyle(e).position") == "fixed"
        boxes = bar.locator("button").evaluate_all(
            "bs => bs.map(b => { const r = b.getBoundingClientRect(); return [r.top, r.bottom]; })")
        assert max(top for top, _ in boxes) < min(bottom for _, bottom in boxes), f"{domain.id}: one row"
        assert bar.bounding_box()["height"] <= 72, f"{domain.id}: the bar stays low"
        forward = ".bottom-bar button[value=next]" if n + 1 < len(MODEL.domains) else \
            ".bottom-bar button[value=finish]"
        assert in_first_viewport(phone, forward)
        assert is_primary(phone, forward)
        if n:
            assert not is_primary(phone, ".bottom-bar button[value=prev]"), "Back looks secondary"
        assert in_first_viewport(phone, ".save-line"), "the saved status (and Save) is at the top"
        phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        last = phone.locator("fieldset.item").last.bounding_box()
        bar_top = bar.bounding_box()["y"]
        assert last["y"] + last["height"] <= bar_top + 1, "the bar never covers the last question"

    phone.goto(f"{live_server}/saya/penilaian/{current}/kirim")
    assert_fits(phone, "review")

    phone.goto(f"{live_server}/saya/penilaian/{done_id}/hasil")
    assert_fits(phone, "result")
    for label in ("Kesenjangan", "JP"):
        cell = phone.locator(f"main td[data-label='{label}']").first
        assert cell.is_visible(), f"the {label} of the first row is on screen"
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    total = phone.locator("main .plan-total")
    assert total.is_visible() and total.bounding_box()["x"] + total.bounding_box()["width"] <= PHONE["width"]

    phone.goto(f"{live_server}/saya/koreksi")
    assert_fits(phone, "correction")

    phone.goto(f"{live_server}/saya/penilaian/{current}/buang")
    assert_fits(phone, "discard")


def test_autosave_updates_the_counters_at_the_top(app, live_server, phone):
    version_id = published_version(app, FULL)
    person = create_person(app)
    current = started_assessment(app, person, {}, version_id=version_id, position=POSITION)
    sign_in(phone, live_server, person.nip)
    domain = MODEL.domains[0].for_position(POSITION)
    phone.goto(f"{live_server}/saya/penilaian/{current}/domain/{domain.id}")
    count = len(domain.scored_items_for(POSITION))
    assert phone.inner_text("#answered-count") == f"0 dari {count} pertanyaan terjawab"
    first = domain.scored_items_for(POSITION)[0]
    phone.locator(f"fieldset[data-item='{first.id}'] input").first.check()
    phone.wait_for_selector("#autosave-status[data-state=saved]", timeout=10000)
    assert phone.inner_text("#answered-count") == f"1 dari {count} pertanyaan terjawab"
    assert phone.inner_text(f".domain-list [data-domain-count='{domain.id}']") == f"1/{count}"
    assert re.match(r"Tersimpan \d\d[.:]\d\d", phone.inner_text("#autosave-status"))
