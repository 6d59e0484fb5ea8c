"""The structured editor: the same stored document as the YAML editor, problems next to their
field, add / remove / reorder, type changes, and refusal of fields outside the page."""

from __future__ import annotations

import re

import pytest

from app.engine.editing import plain_document
from app.extensions import db
from app.models import QuestionnaireVersion
from tests.factories import MINI, create_person, published_version
from tests.pages import csrf_from, login, new_draft

SOURCE = MINI.read_text(encoding="utf-8")


@pytest.fixture
def draft(app, client):
    version_id = published_version(app, SOURCE)
    person = create_person(app, ("trainer",), email="pelatih@contoh.go.id")
    login(client, person.nip)
    return new_draft(client, version_id)


def form_fields(html: str) -> dict[str, str]:
    """Every input, select and textarea of the editor form with its current value, as a browser sends it."""
    form = html.split('class="card editor"')[1].split("</form>")[0]
    fields = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form):
        fields[name] = value
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[name] = body
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        selected = re.search(r'<option value="([^"]*)" selected', body)
        fields[name] = selected.group(1) if selected else ""
    import html as html_lib

    return {k: html_lib.unescape(v) for k, v in fields.items()}


def post_section(client, draft_id, section, changes=None, action="save"):
    url = f"/trainer/drafts/{draft_id}/edit?section={section}"
    page = client.get(url).get_data(as_text=True)
    fields = form_fields(page)
    fields.update(changes or {})
    fields["action"] = action
    return client.post(url, data=fields)


def stored(app, draft_id) -> str:
    with app.app_context():
        return db.session.get(QuestionnaireVersion, draft_id).source


def save_yaml(client, draft_id, source):
    page = client.get(f"/trainer/drafts/{draft_id}/yaml").get_data(as_text=True)
    lock = page.split('name="lock" value="')[1].split('"')[0]
    return client.post(f"/trainer/drafts/{draft_id}/yaml", data={"source": source, "lock": lock,
                                                                   "csrf_token": csrf_from(page)})


def test_form_and_yaml_editing_give_the_same_document(app, client, draft):
    response = post_section(client, draft, "domain-0", {"domains.0.items.0.text.en": "I plan content weekly."})
    assert response.status_code == 302
    via_form = plain_document(stored(app, draft))
    save_yaml(client, draft, SOURCE.replace("I draw up a content plan.", "I plan content weekly."))
    via_yaml = plain_document(stored(app, draft))
    assert via_form == via_yaml


def test_every_problem_reaches_the_page_next_to_its_field(app, client, draft):
    response = post_section(client, draft, "domain-0", {"domains.0.items.1.options.2.score": "banyak",
                                                        "domains.0.items.0.text.en": ""})
    assert response.status_code == 302, "an invalid draft is still saved"
    page = client.get(f"/trainer/drafts/{draft}/edit?section=domain-0").get_data(as_text=True)
    score_field = page.split('name="domains.0.items.1.options.2.score"')[1].split("</div>")[0]
    assert 'class="error"' in score_field
    text_field = page.split('name="domains.0.items.0.text.en"')[1].split("</fieldset>")[0]
    assert 'class="error"' in text_field
    english = client.get(f"/trainer/drafts/{draft}/edit?section=domain-0",
                         headers={"Cookie": "swanilai_lang=en"}).get_data(as_text=True)
    assert "problem" in english


def test_add_an_item_then_fix_its_problems(app, client, draft):
    post_section(client, draft, "domain-1", action="add:domains.1.items")
    document = plain_document(stored(app, draft))
    assert len(document["domains"][1]["items"]) == 4
    page = client.get(f"/trainer/drafts/{draft}/edit?section=domain-1").get_data(as_text=True)
    assert 'name="domains.1.items.3.id"' in page and 'class="error"' in page
    changes = {"domains.1.items.3.id": "krisis-baru", "domains.1.items.3.text.id": "Pertanyaan baru",
               "domains.1.items.3.text.en": "New question"}
    for n in range(4):
        changes[f"domains.1.items.3.anchors.{n}.id"] = f"Jangkar {n}"
        changes[f"domains.1.items.3.anchors.{n}.en"] = f"Anchor {n}"
    post_section(client, draft, "domain-1", changes)
    page = client.get(f"/trainer/drafts/{draft}/edit?section=domain-1").get_data(as_text=True)
    assert "Tidak ada masalah" in page


def test_changing_an_item_type_gives_it_options(app, client, draft):
    post_section(client, draft, "domain-1", {"domains.1.items.0.type": "choice"})
    item = plain_document(stored(app, draft))["domains"][1]["items"][0]
    assert "anchors" not in item and len(item["options"]) == 2


def test_remove_and_reorder(app, client, draft):
    post_section(client, draft, "modules", action="down:modules.0")
    modules = [m["id"] for m in plain_document(stored(app, draft))["modules"]]
    assert modules[:2] == ["m-strategi-2", "m-strategi-1"]
    asked = post_section(client, draft, "modules", action="remove:modules.4")
    assert asked.status_code == 302 and len(plain_document(stored(app, draft))["modules"]) == 5  # asks first
    confirm = client.get(asked.headers["Location"]).get_data(as_text=True)
    form = confirm.split(f'action="/trainer/drafts/{draft}/remove"')[1].split("</form>")[0]
    client.post(f"/trainer/drafts/{draft}/remove",
                data=dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)))
    assert len(plain_document(stored(app, draft))["modules"]) == 4


def test_fields_outside_the_page_and_ids_that_collide_are_refused_or_reported(app, client, draft):
    response = post_section(client, draft, "meta", {"domains.0.id": "hack"})
    assert response.status_code == 400
    post_section(client, draft, "domain-1", {"domains.1.id": "strategi"})
    page = client.get(f"/trainer/drafts/{draft}/edit?section=domain-1").get_data(as_text=True)
    assert "strategi" in page and 'class="error"' in page


def test_unreadable_yaml_sends_the_trainer_to_the_yaml_editor(app, client, draft):
    save_yaml(client, draft, "title: [unclosed\n")
    page = client.get(f"/trainer/drafts/{draft}/edit").get_data(as_text=True)
    assert f"/trainer/drafts/{draft}/yaml" in page
