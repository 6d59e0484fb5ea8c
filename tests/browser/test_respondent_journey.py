"""A respondent on a phone, in real headless Chromium: sign in, answer two domains (autosaved),
reload and find the answers, finish, submit, see the chart, download the PDF."""

from __future__ import annotations

from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Answer
from tests.factories import PASSWORD, create_person, published_version


def test_respondent_answers_reloads_submits_and_downloads(app, live_server, page, tmp_path):
    version_id = published_version(app)
    person = create_person(app, ("respondent",), name="Sari Browser", email="sari@contoh.go.id")

    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=login]", person.nip)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/saya/")

    page.click(f"a[href='/saya/mulai/{version_id}']")
    page.select_option("select[name=position]", "admin-medsos")
    page.check("input[name=consent]")
    page.click("main form.card button[type=submit]")
    page.wait_for_url("**/domain/strategi")

    page.check("input[name=strategi-rencana][value='2']")
    page.check("input[name=strategi-kanal][value='c']")
    page.check("input[name=strategi-tanda][value='a']")
    page.fill("textarea[name=strategi-komentar]", "Catatan dari ponsel")
    page.wait_for_selector("#autosave-status[data-state=saved]", timeout=10000)
    page.reload()
    assert page.is_checked("input[name=strategi-rencana][value='2']")
    assert page.is_checked("input[name=strategi-kanal][value='c']")
    assert page.is_checked("input[name=strategi-tanda][value='a']")
    assert page.input_value("textarea[name=strategi-komentar]") == "Catatan dari ponsel"

    page.click("button[value=next]")
    page.wait_for_url("**/domain/krisis")
    page.check("input[name=krisis-pantau][value='4']")
    page.check("input[name=krisis-hoaks][value='b']")
    page.wait_for_selector("#autosave-status[data-state=saved]", timeout=10000)
    page.reload()
    assert page.is_checked("input[name=krisis-hoaks][value='b']")
    with app.app_context():
        saved = dict(db.session.execute(select(Answer.item_id, Answer.value)).all())
    assert saved["krisis-hoaks"] == "b" and saved["strategi-tanda"] == ["a"]

    page.click("button[value=finish]")
    page.wait_for_url("**/kirim")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/hasil")
    assert page.locator(".chart svg").count() == 1
    assert page.locator(".chart svg rect").count() > 2
    assert "Dasar strategi" in page.content() or "Strategi lanjut" in page.content()

    with page.expect_download() as download_info:
        page.click("a[href$='laporan.pdf']")
    target = tmp_path / "laporan.pdf"
    download_info.value.save_as(target)
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Sari Browser" in text
