"""Items that fit the person, through the respondent's pages (issue 12, part 3): a domain page
shows only the items of the person's position, offers "not applicable" where the item allows it,
states one response instruction; an answer "not applicable" is saved, counts as answered, and when
too many answers are "not applicable" the result says "not enough answers" instead of a level;
the PDF appendix prints it and lists only the person's items."""

from __future__ import annotations

import io

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Answer
from tests.engine.helpers import edited
from tests.engine.test_items_fit_the_person import TEXT
from tests.factories import create_person, published_version
from tests.pages import assessment_id_of, checked_values, csrf_from, login, post_form, start_assessment

# min_answered 0.75: for the head of unit (pimpinan) the strategy domain holds two scored items,
# strategi-rencana (which offers "not applicable") and strategi-kanal; strategi-evaluasi and
# strategi-tanda are for admin-medsos only.
SOURCE = edited("min_answered: 0.5", "min_answered: 0.75", TEXT)
INSTRUCTION = "Answer with what you actually do now, not what should be done."


@pytest.fixture
def version_id(app):
    return published_version(app, SOURCE)


@pytest.fixture
def person(app, client, version_id):
    person = create_person(app, ("respondent",), name="Budi Pimpinan")
    login(client, person.nip)
    return person


def translated(app, msgid: str, lang: str = "id") -> str:
    with app.test_request_context(), force_locale(lang):
        return _(msgid)


def started(client, version_id, position) -> int:
    return assessment_id_of(start_assessment(client, version_id, position=position))


def started_anew(app, client, version_id, position) -> int:
    """A second person's assessment: a person has one self-assessment in progress at a time."""
    post_form(client, "/auth/logout", page="/saya/")
    login(client, create_person(app, ("respondent",), name="Sari Admin").nip)
    return started(client, version_id, position)


def page(client, aid, domain="strategi") -> str:
    return client.get(f"/saya/penilaian/{aid}/domain/{domain}").get_data(as_text=True)


def post(client, aid, domain, answers, action="stay"):
    url = f"/saya/penilaian/{aid}/domain/{domain}"
    return client.post(url, data={**answers, "action": action, "csrf_token": csrf_from(page(client, aid, domain))})


def stored(app, aid) -> dict:
    with app.app_context():
        return dict(db.session.execute(select(Answer.item_id, Answer.value).where(Answer.assessment_id == aid)).all())


def test_the_page_shows_only_the_items_of_the_position(app, client, person, version_id):
    head = page(client, started(client, version_id, "pimpinan"))
    assert 'id="item-strategi-rencana"' in head and 'id="item-strategi-kanal"' in head
    assert "strategi-evaluasi" not in head and "strategi-tanda" not in head
    assert "0 of 2 questions answered" in head or "0 dari 2" in head  # the person's scored items
    admin = page(client, started_anew(app, client, version_id, "admin-medsos"))
    assert 'id="item-strategi-evaluasi"' in admin and 'id="item-strategi-tanda"' in admin


def test_not_applicable_is_offered_last_where_the_item_allows_it(app, client, person, version_id):
    html = page(client, started(client, version_id, "pimpinan"))
    rencana = html[html.index('id="item-strategi-rencana"'):html.index('id="item-strategi-kanal"')]
    values = [chunk.split('"')[0] for chunk in rencana.split('value="')[1:]]
    assert values == ["1", "2", "3", "4", "na"]
    assert translated(app, "Not applicable to my work") in rencana
    krisis = page(client, started_anew(app, client, version_id, "admin-medsos"), "krisis")
    pantau = krisis[krisis.index('id="item-krisis-pantau"'):krisis.index('id="item-krisis-unit"')]
    assert 'value="na"' not in pantau  # krisis-pantau does not offer it
    assert translated(app, "About your unit: this answer is not scored.") in krisis


def test_one_response_instruction_on_every_domain_page(app, client, person, version_id):
    aid = started(client, version_id, "pimpinan")
    for domain in ("strategi", "krisis"):
        html = page(client, aid, domain)
        assert html.count(translated(app, INSTRUCTION)) == 1
        assert "what you usually do" not in html


def test_an_item_of_another_position_cannot_be_posted(app, client, person, version_id):
    aid = started(client, version_id, "pimpinan")
    refused = post(client, aid, "strategi", {"strategi-rencana": "2", "strategi-evaluasi": "4"})
    assert refused.status_code == 400
    assert stored(app, aid) == {}


def test_not_applicable_is_saved_and_too_many_give_not_enough_answers(app, client, person, version_id):
    aid = started(client, version_id, "pimpinan")
    assert post(client, aid, "strategi", {"strategi-rencana": "na", "strategi-kanal": "c"}).status_code == 302
    assert post(client, aid, "krisis", {"krisis-pantau": "3", "krisis-hoaks": "b"}).status_code == 302
    assert stored(app, aid) == {"strategi-rencana": "na", "strategi-kanal": "c", "krisis-pantau": 3,
                                "krisis-hoaks": "b"}
    assert checked_values(page(client, aid), "strategi-rencana") == {"na"}  # shown as saved

    review = client.get(f"/saya/penilaian/{aid}/kirim").get_data(as_text=True)
    assert "strategi-evaluasi" not in review  # never missing for the head of unit
    assert "2/2" in review  # "not applicable" counts as answered
    submitted = client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": csrf_from(review)})
    assert submitted.headers["Location"].endswith(f"/penilaian/{aid}/hasil")

    result = client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True)
    assert "Terlalu sedikit jawaban: 1 dari 2 butir dijawab, padahal perlu setidaknya 2." in result
    assert translated(app, "not assessed") in result

    pdf = client.get(f"/saya/penilaian/{aid}/laporan.pdf?lampiran=1")  # with the answers appendix
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert translated(app, "Not applicable") in text
    assert "Saya mengevaluasi rencana konten." not in text  # the appendix lists the person's items only


def test_the_admin_must_answer_the_items_of_the_position(app, client, person, version_id):
    aid = started(client, version_id, "admin-medsos")
    post(client, aid, "strategi", {"strategi-rencana": "na", "strategi-kanal": "c"})
    post(client, aid, "krisis", {"krisis-pantau": "3", "krisis-hoaks": "b"})
    review = client.get(f"/saya/penilaian/{aid}/kirim").get_data(as_text=True)
    assert "#item-strategi-evaluasi" in review and "#item-strategi-tanda" in review
    assert "#item-strategi-rencana" not in review  # offers "not applicable": not required
    refused = client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": csrf_from(review)})
    assert refused.status_code == 400
