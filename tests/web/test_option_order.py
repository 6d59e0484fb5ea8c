"""Options on the answer pages: shuffled per assessment, the same on every visit, posted and stored
by option id (issue 12). The trainer preview shows the file order."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.engine.option_order import assessment_seed, option_order
from app.engine.questionnaire import load
from app.extensions import db
from app.models import Answer
from app.services import reports
from app.web.answer_forms import NONE_OPTION, domain_form_class
from tests.factories import FULL, create_person, published_version
from tests.pages import assessment_id_of, checked_values, csrf_from, login, start_assessment

INPUT_RE = re.compile(r"<input\b[^>]*>")
NAME_RE = re.compile(r'name="([^"]*)"')
VALUE_RE = re.compile(r'value="([^"]*)"')
MODEL = load(FULL.read_bytes())
WITH_OPTIONS = [item for item in MODEL.items if item.type in ("choice", "multi")]


def shown_values(html: str) -> dict[str, list[str]]:
    """item id → the values of its radio buttons / check boxes, in page order."""
    found: dict[str, list[str]] = {}
    for tag in INPUT_RE.findall(html):
        name, value = NAME_RE.search(tag), VALUE_RE.search(tag)
        if name and value and ('type="radio"' in tag or 'type="checkbox"' in tag):
            found.setdefault(name.group(1), []).append(value.group(1))
    return found


def page_url(assessment_id: int, domain_id: str) -> str:
    return f"/saya/penilaian/{assessment_id}/domain/{domain_id}"


def all_pages(client, assessment_id: int) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for domain in MODEL.domains:
        response = client.get(page_url(assessment_id, domain.id))
        assert response.status_code == 200
        values.update(shown_values(response.get_data(as_text=True)))
    return values


@pytest.fixture
def version_id(app):
    return published_version(app, FULL)


def respondent(app, version_id, name: str):
    client = app.test_client()
    person = create_person(app, name=name)
    login(client, person.nip)
    return client, assessment_id_of(start_assessment(client, version_id))


@pytest.fixture
def two(app, version_id):
    return respondent(app, version_id, "Pertama"), respondent(app, version_id, "Kedua")


def test_the_values_are_the_option_ids_and_none_of_these_stays_last(two):
    (client, aid), _ = two
    values = all_pages(client, aid)
    for item in WITH_OPTIONS:
        option_ids = [o.id for o in item.options]
        if item.type == "choice":
            assert sorted(values[item.id]) == sorted(option_ids)
        else:
            assert sorted(values[item.id][:-1]) == sorted(option_ids) and values[item.id][-1] == NONE_OPTION


def test_the_page_shows_the_order_of_the_assessment(two):
    (client, aid), _ = two
    values = all_pages(client, aid)
    for item in WITH_OPTIONS:
        expected = [o.id for o in option_order(item, assessment_seed(aid))]
        assert values[item.id][:len(expected)] == expected, item.id


def test_two_assessments_see_different_orders(two):
    (first, first_id), (second, second_id) = two
    one, other = all_pages(first, first_id), all_pages(second, second_id)
    differing = [item.id for item in WITH_OPTIONS if one[item.id] != other[item.id]]
    assert len(differing) >= len(WITH_OPTIONS) // 2
    assert any(one[i.id] != [o.id for o in i.options] for i in WITH_OPTIONS)  # not the file order


def test_the_order_is_the_same_on_reload_and_after_saving(app, two):
    (client, aid), _ = two
    before = all_pages(client, aid)
    assert all_pages(client, aid) == before
    item = MODEL.item("krisis-ralat")
    url = page_url(aid, "krisis")
    picked = before[item.id][2]  # whatever option is shown third
    response = client.post(url, data={item.id: picked, "action": "stay",
                                      "csrf_token": csrf_from(client.get(url).get_data(as_text=True))})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert shown_values(page)[item.id] == before[item.id]
    assert checked_values(page, item.id) == {picked}
    with app.app_context():
        stored = db.session.scalar(select(Answer.value).where(Answer.assessment_id == aid,
                                                              Answer.item_id == item.id))
    assert stored == picked  # the id, not a position


def test_the_report_names_the_chosen_option_by_its_text(app, two):
    """The PDF appendix reads the stored id and prints the option's text, whatever order it was shown in."""
    item = MODEL.item("keamanan-phishing")
    key = max(item.options, key=lambda o: o.score)
    with app.test_request_context():
        assert reports.answer_text(item, key.id, "id") == key.text.id
        assert reports.answer_text(item, key.id, "en") == key.text.en
        multi = MODEL.item("keamanan-kebocoran")
        assert reports.answer_text(multi, ["d", "a"], "en") == "; ".join(
            multi.option(o).text.en for o in ("d", "a"))


def test_the_preview_form_keeps_the_file_order():
    for domain in MODEL.domains:
        form = domain_form_class(domain, "id", "Tidak ada yang sesuai", seed=None)()
        for item in domain.items:
            if item.type in ("choice", "multi"):
                shown = [choice.value for choice in form[item.id].choices]
                assert shown[:len(item.options)] == [o.id for o in item.options]


def test_rating_anchors_are_never_shuffled():
    for domain in MODEL.domains:
        form = domain_form_class(domain, "en", "None of these", seed=assessment_seed(99))()
        for item in domain.items:
            if item.type == "rating":  # "not applicable", where offered, comes after the anchors
                expected = [str(n) for n in range(1, item.points + 1)] + (["na"] if item.not_applicable else [])
                assert [choice.value for choice in form[item.id].choices] == expected
