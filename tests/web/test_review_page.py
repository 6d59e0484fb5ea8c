"""The review step, through the test client: it lists the answers per domain as the person saw
them (anchor and option texts, not ids; "not applicable to my work"; a multi-select answer as a
list, "none of these" when none was picked; the text written), marks what is still missing, links
each domain to its page with ``?from=review``, and a domain page opened that way leads straight
back to review (its action "review"), also after saving in place."""

from __future__ import annotations

import html
import re

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.engine.test_items_fit_the_person import TEXT
from tests.factories import create_person, published_version
from tests.pages import assessment_id_of, csrf_from, login, start_assessment


@pytest.fixture
def version_id(app):
    return published_version(app, TEXT)  # strategi-rencana offers "not applicable"


@pytest.fixture
def aid(app, client, version_id):
    login(client, create_person(app, ("respondent",), name="Sari Periksa").nip)
    return assessment_id_of(start_assessment(client, version_id, position="admin-medsos"))


def translated(app, msgid: str) -> str:
    with app.test_request_context(), force_locale("id"):
        return _(msgid)


def post_domain(client, aid: int, domain: str, answers: dict, action: str = "stay", query: str = ""):
    url = f"/saya/penilaian/{aid}/domain/{domain}{query}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={**answers, "action": action, "csrf_token": token})


def section(page: str, domain: str) -> str:
    match = re.search(rf'<section class="card review-domain" id="review-{domain}".*?</section>', page, re.S)
    assert match, f"no answers section for {domain}"
    return html.unescape(match.group(0))


def answer_of(block: str, item: str) -> str:
    match = re.search(rf'data-item="{item}">\s*<dt>.*?</dt>\s*<dd>(.*?)</dd>', block, re.S)
    assert match, f"{item} is not listed"
    return match.group(1)


def text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def review(client, aid: int) -> str:
    return client.get(f"/saya/penilaian/{aid}/kirim").get_data(as_text=True)


def test_the_review_lists_the_answers_per_domain_as_the_person_saw_them(app, client, aid):
    post_domain(client, aid, "strategi", {"strategi-rencana": "na", "strategi-evaluasi": "3", "strategi-kanal": "c",
                                          "strategi-tanda": ["b", "a"], "strategi-komentar": "Kalender konten bulanan"})
    post_domain(client, aid, "krisis", {"krisis-pantau": "2", "krisis-hoaks": "b", "krisis-tim": "a"})
    page = review(client, aid)

    strategi = section(page, "strategi")
    assert "Strategi" in text(strategi.split("</h3>")[0])
    assert text(answer_of(strategi, "strategi-rencana")) == translated(app, "Not applicable to my work")
    assert text(answer_of(strategi, "strategi-evaluasi")) == "Setiap bulan"  # the anchor, not "3"
    assert text(answer_of(strategi, "strategi-kanal")) == "Semua akun resmi"  # the option, not "c"
    picked = answer_of(strategi, "strategi-tanda")
    assert re.findall(r"<li>(.*?)</li>", picked) == ["Centang verifikasi", "Tautan dari situs resmi"]
    assert text(answer_of(strategi, "strategi-komentar")) == "Kalender konten bulanan"
    assert "Strategi" in strategi and "Saya menyusun rencana konten." in strategi  # the question itself

    krisis = section(page, "krisis")
    assert text(answer_of(krisis, "krisis-hoaks")) == "Klarifikasi resmi"
    assert text(answer_of(krisis, "krisis-tim")) == "Tidak ada"
    assert text(answer_of(krisis, "krisis-unit")) == translated(app, "(not answered)")  # optional, left out

    # The items of other positions are not listed; the domain order is the questionnaire's.
    assert page.index('id="review-strategi"') < page.index('id="review-krisis"')
    assert 'class="problems"' not in page and "<form method=\"post\">" in page  # all answered: submit


def test_none_of_these_and_what_is_missing(app, client, aid):
    post_domain(client, aid, "strategi", {"strategi-rencana": "2", "strategi-tanda": "__none__"})
    page = review(client, aid)
    strategi = section(page, "strategi")
    assert text(answer_of(strategi, "strategi-tanda")) == translated(app, "None of these")
    assert text(answer_of(strategi, "strategi-rencana")) == "Kadang"
    missing = answer_of(strategi, "strategi-kanal")
    assert text(missing) == translated(app, "(not answered)")
    assert f'href="/saya/penilaian/{aid}/domain/strategi?from=review#item-strategi-kanal"' in missing
    assert 'data-item="strategi-kanal">' in strategi and 'review-answer missing" data-item="strategi-kanal"' in strategi
    assert 'class="problems"' in page
    assert f"/saya/penilaian/{aid}/domain/krisis?from=review#item-krisis-hoaks" in page  # the problem list too


def test_each_domain_links_to_its_page_and_back_to_review(app, client, aid):
    page = review(client, aid)
    for domain in ("strategi", "krisis"):
        change = re.search(r'<a class="button secondary small change" href="([^"]+)"', section(page, domain))
        assert change and change.group(1) == f"/saya/penilaian/{aid}/domain/{domain}?from=review"

    # Opened from review, the domain page offers the way back as its primary action …
    domain_page = client.get(f"/saya/penilaian/{aid}/domain/strategi?from=review").get_data(as_text=True)
    assert re.search(r'<button type="submit" name="action" value="review" class="forward">', domain_page)
    assert 'value="next"' not in domain_page
    plain = client.get(f"/saya/penilaian/{aid}/domain/strategi").get_data(as_text=True)
    assert 'value="review"' not in plain and 'value="next"' in plain

    # … which saves and goes to review; saving in place keeps the way back.
    back = post_domain(client, aid, "strategi", {"strategi-kanal": "b"}, action="review", query="?from=review")
    assert back.status_code == 302 and back.headers["Location"] == f"/saya/penilaian/{aid}/kirim"
    assert text(answer_of(section(review(client, aid), "strategi"), "strategi-kanal")) == "Satu akun"
    stay = post_domain(client, aid, "strategi", {"strategi-kanal": "c"}, query="?from=review")
    assert stay.headers["Location"] == f"/saya/penilaian/{aid}/domain/strategi?from=review"
    onward = post_domain(client, aid, "strategi", {"strategi-kanal": "c"}, action="goto:krisis", query="?from=review")
    assert onward.headers["Location"] == f"/saya/penilaian/{aid}/domain/krisis?from=review"
    # Without it, the pages go on as before.
    assert post_domain(client, aid, "strategi", {}, action="next").headers["Location"] == \
        f"/saya/penilaian/{aid}/domain/krisis"
    assert post_domain(client, aid, "krisis", {}, action="review").headers["Location"] == \
        f"/saya/penilaian/{aid}/kirim"
