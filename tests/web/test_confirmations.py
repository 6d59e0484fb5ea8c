"""Destructive and closing actions ask first, stating the consequence with its numbers, and change
nothing until confirmed: retiring a version (and publishing it again), deleting a draft,
deactivating a unit, removing an element in the form editor (restorable until the draft is saved
again). Every action leaves its audit row."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from app.engine.editing import plain_document
from app.extensions import db
from app.models import AuditEvent, QuestionnaireVersion, Unit
from app.services.audit_log import ACTIONS
from tests.factories import MINI, create_person, make_unit, make_user, open_round, published_version, \
    started_assessment, submitted_assessment
from tests.pages import csrf_from, login, new_draft, post_form
from tests.web.test_trainer_editor import post_section

SOURCE = MINI.read_text(encoding="utf-8")


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def version_status(app, version_id) -> str | None:
    with app.app_context():
        version = db.session.get(QuestionnaireVersion, version_id)
        return version.status if version else None


def source_of(app, version_id) -> str:
    with app.app_context():
        return db.session.get(QuestionnaireVersion, version_id).source


def audit_rows(app, action) -> list[AuditEvent]:
    with app.app_context():
        rows = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        for row in rows:
            db.session.expunge(row)
        return rows


@pytest.fixture
def published(app):
    return published_version(app, SOURCE)


@pytest.fixture
def trainer(app, client, published):
    person = create_person(app, ("trainer",), email="pelatih@contoh.go.id")
    login(client, person.nip)
    return client


# -- retiring and publishing again ---------------------------------------------------------------

def test_retiring_the_only_published_version_says_so_with_the_numbers_and_changes_nothing(app, trainer, published):
    for n in range(3):
        started_assessment(app, create_person(app, email=f"mulai{n}@contoh.go.id"), version_id=published)
    submitted_assessment(app, create_person(app, email="selesai@contoh.go.id"), version_id=published)
    response = trainer.get(f"/trainer/versions/{published}/retire")
    page = text_of(response)
    assert response.status_code == 200
    assert "satu-satunya versi terbit" in page or "only published version" in page
    assert re.search(r"\b3\b[^.]*(sedang berjalan|in progress)", page), page
    assert re.search(r"\b1\b[^.]*(sudah dikirim|submitted)", page) or "1 " in page
    assert version_status(app, published) == "published", "the page changes nothing"
    assert not audit_rows(app, "version.retire")


def test_retire_is_refused_on_the_page_while_a_round_uses_the_version(app, trainer, published):
    open_round(app, "PROV", version_id=published)
    page = text_of(trainer.get(f"/trainer/versions/{published}/retire"))
    assert "AKPK 2027" in page and 'type="submit" class="danger"' not in page
    response = post_form(trainer, f"/trainer/versions/{published}/retire")
    assert response.status_code == 400 and version_status(app, published) == "published"


def test_retire_then_publish_again(app, trainer, published):
    response = post_form(trainer, f"/trainer/versions/{published}/retire")
    assert response.status_code == 302 and version_status(app, published) == "retired"
    home = trainer.get("/trainer/").get_data(as_text=True)
    assert f"/trainer/versions/{published}/unretire" in home, "the version list offers to publish it again"
    page = trainer.get(f"/trainer/versions/{published}/unretire")
    assert page.status_code == 200 and version_status(app, published) == "retired"
    response = post_form(trainer, f"/trainer/versions/{published}/unretire")
    assert response.status_code == 302 and version_status(app, published) == "published"
    rows = audit_rows(app, "version.unretire")
    assert len(rows) == 1 and rows[0].target_id == str(published) and rows[0].details == {"number": 1}
    assert len(audit_rows(app, "version.retire")) == 1


def test_an_older_version_cannot_be_published_again_next_to_a_newer_one(app, trainer, published):
    post_form(trainer, f"/trainer/versions/{published}/retire")
    newer = published_version(app, SOURCE.replace("Kuesioner mini", "Kuesioner mini baru"))
    assert f"/trainer/versions/{published}/unretire" not in trainer.get("/trainer/").get_data(as_text=True)
    response = post_form(trainer, f"/trainer/versions/{published}/unretire")
    assert response.status_code == 400 and version_status(app, published) == "retired"
    assert version_status(app, newer) == "published"
    assert trainer.get(f"/trainer/versions/{published}/retire").status_code == 404


# -- deleting a draft ----------------------------------------------------------------------------

def test_deleting_a_draft_states_its_changes_then_deletes_it(app, trainer, published):
    draft = new_draft(trainer, published)
    post_section(trainer, draft, "domain-0", {"domains.0.items.0.text.en": "I plan content weekly.",
                                              "domains.0.name.en": "Planning"})
    response = trainer.get(f"/trainer/drafts/{draft}/delete")
    page = text_of(response)
    assert response.status_code == 200
    assert re.search(r"\b2\b[^.]*(perubahan|changes?)[^.]*1\b", page), page
    assert version_status(app, draft) == "draft", "the page changes nothing"
    assert f"/trainer/drafts/{draft}/delete" in trainer.get("/trainer/").get_data(as_text=True)
    response = post_form(trainer, f"/trainer/drafts/{draft}/delete")
    assert response.status_code == 302 and version_status(app, draft) is None
    assert version_status(app, published) == "published"
    rows = audit_rows(app, "draft.delete")
    assert len(rows) == 1 and rows[0].target_id == str(draft) and rows[0].details["questionnaire"] == "mini"


def test_an_unchanged_draft_loses_nothing_and_a_published_version_cannot_be_deleted(app, trainer, published):
    draft = new_draft(trainer, published)
    page = text_of(trainer.get(f"/trainer/drafts/{draft}/delete"))
    assert "versi 1" in page or "version 1" in page
    assert trainer.get(f"/trainer/drafts/{published}/delete").status_code == 404
    assert post_form(trainer, f"/trainer/drafts/{published}/delete",
                     page="/trainer/").status_code == 404
    assert version_status(app, published) == "published"


# -- deactivating a unit -------------------------------------------------------------------------

@pytest.fixture
def tree(app, client):
    """PROV > DINAS > BIDANG; 3 active people in DINAS (and one inactive), 2 in BIDANG, an admin in PROV."""
    with app.app_context():
        prov = make_unit("PROV", "Provinsi")
        dinas = make_unit("DINAS", "Dinas Kominfo", prov)
        bidang = make_unit("BIDANG", "Bidang IKP", dinas)
        for n in range(3):
            make_user(dinas, email=f"dinas{n}@contoh.go.id")
        make_user(dinas, email="keluar@contoh.go.id", active=False)
        for n in range(2):
            make_user(bidang, email=f"bidang{n}@contoh.go.id")
        admin = make_user(prov, ("admin",), email="admin@contoh.go.id")
        ids = {"PROV": prov.id, "DINAS": dinas.id, "BIDANG": bidang.id}
        nip = admin.nip
    login(client, nip)
    return ids


def unit_active(app, unit_id) -> bool:
    with app.app_context():
        return db.session.get(Unit, unit_id).active


def test_a_unit_with_active_sub_units_names_them_and_is_not_deactivated(app, client, tree):
    page = text_of(client.get(f"/admin/units/{tree['DINAS']}/deactivate"))
    assert "Bidang IKP" in page and 'type="submit" class="danger"' not in page
    assert unit_active(app, tree["DINAS"])


def test_deactivating_a_unit_states_the_people_and_sub_units_then_says_what_happened(app, client, tree):
    assert f"/admin/units/{tree['BIDANG']}/deactivate" in client.get("/admin/units").get_data(as_text=True)
    response = post_form(client, f"/admin/units/{tree['BIDANG']}/active/0",
                         page=f"/admin/units/{tree['BIDANG']}/deactivate")
    assert response.status_code == 302 and not unit_active(app, tree["BIDANG"])
    response = client.get(f"/admin/units/{tree['DINAS']}/deactivate")
    page = text_of(response)
    assert response.status_code == 200 and unit_active(app, tree["DINAS"]), "the page changes nothing"
    assert re.search(r"\b5\b[^.]*\(3\b", page), "5 active people in the unit and below, 3 directly"
    assert "Bidang IKP" in page, "the deactivated sub-unit is named"
    assert "masuk" in page or "sign in" in page, "people keep signing in"
    response = post_form(client, f"/admin/units/{tree['DINAS']}/active/0",
                         page=f"/admin/units/{tree['DINAS']}/deactivate")
    assert response.status_code == 302 and not unit_active(app, tree["DINAS"])
    message = text_of(client.get("/admin/units"))
    assert "Dinas Kominfo" in message and re.search(r"\b5\b", message) and "disimpan" not in message.lower()
    rows = audit_rows(app, "unit.deactivate")
    assert {r.details["code"] for r in rows} == {"BIDANG", "DINAS"}


# -- the form editor: remove asks first, restore until saved again -------------------------------

def stored_doc(app, draft):
    return plain_document(source_of(app, draft))


def test_removing_an_item_asks_first_naming_it_and_its_options(app, trainer, published):
    draft = new_draft(trainer, published)
    before = source_of(app, draft)
    response = post_section(trainer, draft, "domain-0", action="remove:domains.0.items.1")
    assert response.status_code == 302 and "/remove?" in response.headers["Location"]
    assert source_of(app, draft) == before, "nothing removed yet (and nothing else changed)"
    page = text_of(trainer.get(response.headers["Location"]))
    assert "butir 2" in page or "item 2" in page
    assert "Kanal mana untuk pengumuman darurat?" in page and "Strategi" in page
    assert re.search(r"\b3\b (opsi|options)", page), page
    assert len(stored_doc(app, draft)["domains"][0]["items"]) == 4


def test_other_edits_on_the_page_are_kept_when_remove_is_pressed(app, trainer, published):
    draft = new_draft(trainer, published)
    post_section(trainer, draft, "domain-0", {"domains.0.name.en": "Planning"}, action="remove:domains.0.items.0")
    doc = stored_doc(app, draft)
    assert doc["domains"][0]["name"]["en"] == "Planning" and len(doc["domains"][0]["items"]) == 4


def confirm_remove(client, draft, section, path):
    page = client.get(f"/trainer/drafts/{draft}/remove?section={section}&path={path}").get_data(as_text=True)
    lock = page.split('name="lock" value="')[1].split('"')[0]
    return client.post(f"/trainer/drafts/{draft}/remove", data={
        "csrf_token": csrf_from(page), "lock": lock, "section": section, "path": path})


def undo_form(page: str) -> dict:
    form = page.split('/restore"')[1].split("</form>")[0]
    return {"csrf_token": csrf_from(form), "undo": form.split('name="undo" value="')[1].split('"')[0]}


def test_a_removed_item_comes_back_with_undo(app, trainer, published):
    draft = new_draft(trainer, published)
    original = stored_doc(app, draft)
    response = confirm_remove(trainer, draft, "domain-0", "domains.0.items.1")
    assert response.status_code == 200
    doc = stored_doc(app, draft)
    assert [i["id"] for i in doc["domains"][0]["items"]] == ["strategi-rencana", "strategi-tanda", "strategi-komentar"]
    page = response.get_data(as_text=True)
    assert "Kanal mana" in html.unescape(page) and "/restore" in page
    response = trainer.post(f"/trainer/drafts/{draft}/restore", data=undo_form(page))
    assert response.status_code == 302
    assert stored_doc(app, draft) == original, "the item is back where it was, exactly"


def test_a_removed_domain_comes_back_but_not_after_the_draft_was_saved_again(app, trainer, published):
    draft = new_draft(trainer, published)
    page = text_of(trainer.get(f"/trainer/drafts/{draft}/remove?section=domain-1&path=domains.1"))
    assert "domain 2" in page and "Krisis" in page and re.search(r"\b3\b (butir|items)", page), page
    response = confirm_remove(trainer, draft, "domain-1", "domains.1")
    assert response.status_code == 200 and len(stored_doc(app, draft)["domains"]) == 1
    undo = undo_form(response.get_data(as_text=True))
    post_section(trainer, draft, "meta", {"description.en": "Changed after the removal."})
    response = trainer.post(f"/trainer/drafts/{draft}/restore", data=undo)
    assert response.status_code == 302 and len(stored_doc(app, draft)["domains"]) == 1, "saved again: no undo"


def test_an_anchor_removal_names_it_and_a_forged_undo_is_refused(app, trainer, published):
    draft = new_draft(trainer, published)
    page = text_of(trainer.get(f"/trainer/drafts/{draft}/remove?section=domain-0&path=domains.0.items.0.anchors.3"))
    assert "4" in page and "Saya menyusun rencana konten." in page
    confirm_remove(trainer, draft, "domain-0", "domains.0.items.0.anchors.3")
    assert len(stored_doc(app, draft)["domains"][0]["items"][0]["anchors"]) == 3
    page = trainer.get(f"/trainer/drafts/{draft}/edit?section=domain-0").get_data(as_text=True)
    response = trainer.post(f"/trainer/drafts/{draft}/restore", data={"csrf_token": csrf_from(page),
                                                                      "undo": "forged.token"})
    assert response.status_code == 400
    assert trainer.get(f"/trainer/drafts/{draft}/remove?section=meta&path=domains.0").status_code == 404


def test_a_stale_confirmation_removes_nothing(app, trainer, published):
    draft = new_draft(trainer, published)
    page = trainer.get(f"/trainer/drafts/{draft}/remove?section=modules&path=modules.0").get_data(as_text=True)
    post_section(trainer, draft, "meta", {"description.en": "Someone saved in between."})
    response = trainer.post(f"/trainer/drafts/{draft}/remove", data={
        "csrf_token": csrf_from(page), "lock": page.split('name="lock" value="')[1].split('"')[0],
        "section": "modules", "path": "modules.0"})
    assert response.status_code == 302 and len(stored_doc(app, draft)["modules"]) == 5


def test_every_new_action_has_a_label():
    for code in ("version.unretire", "draft.delete", "unit.deactivate"):
        assert code in ACTIONS


def test_the_editor_shown_after_a_removal_posts_to_the_editor(app, trainer, published):
    """After a removal the editor is shown at the removal's address; its form must still post
    to the editor, or the next save answers 404 and what was typed is lost."""
    draft = new_draft(trainer, published)
    page = confirm_remove(trainer, draft, "domain-0", "domains.0.items.1").get_data(as_text=True)
    form = page.split('class="card editor"')[0].rsplit("<form", 1)[1]
    assert f'action="/trainer/drafts/{draft}/edit?section=' in form


def test_an_undo_token_does_not_restore_into_another_draft_with_the_same_id(app, trainer, published):
    from app.models import QuestionnaireVersion, utcnow

    draft = new_draft(trainer, published)
    page = confirm_remove(trainer, draft, "domain-0", "domains.0.items.1").get_data(as_text=True)
    undo = undo_form(page)
    with app.app_context():  # as if the draft were deleted and its id given to a new one
        row = db.session.get(QuestionnaireVersion, draft)
        row.created_at = utcnow().replace(year=2030)
        db.session.commit()
    assert trainer.post(f"/trainer/drafts/{draft}/restore", data=undo).status_code == 400
