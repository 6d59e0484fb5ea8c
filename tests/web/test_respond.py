"""The respondent's whole flow through the test client: consent, answering, autosave, resume,
never losing answers, submit (idempotent), result, PDF, own data, and refusal of tampering."""

from __future__ import annotations

import io
import re
import threading

import pytest
from pypdf import PdfReader
from sqlalchemy import event, func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import Answer, Assessment, AuditEvent, DomainResult, PlanEntry
from tests.factories import MINI, PASSWORD, create_person, published_version
from tests.pages import assessment_id_of, checked_values, csrf_from, login, start_assessment

FULL_STRATEGI = {"strategi-rencana": "1", "strategi-kanal": "a", "strategi-tanda": ["c"],
                 "strategi-komentar": "Perlu pelatihan"}
FULL_KRISIS = {"krisis-pantau": "5", "krisis-hoaks": "b"}


@pytest.fixture
def version_id(app):
    return published_version(app)


@pytest.fixture
def person(app, client, version_id):
    person = create_person(app, ("respondent",), name="Ani <b>Responden</b>", email="ani@contoh.go.id")
    login(client, person.nip)
    return person


def post_domain(client, assessment_id, domain, answers, action="stay", token=None):
    url = f"/saya/penilaian/{assessment_id}/domain/{domain}"
    if token is None:
        token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={**answers, "action": action, "csrf_token": token})


def stored(app, assessment_id) -> dict:
    with app.app_context():
        return dict(db.session.execute(select(Answer.item_id, Answer.value)
                                       .where(Answer.assessment_id == assessment_id)).all())


def test_consent_notice_covers_what_the_law_asks(client, person, version_id):
    page = client.get(f"/saya/mulai/{version_id}").get_data(as_text=True)
    for words in ("UU No. 27 Tahun 2022", "bukan sertifikasi"):
        assert words in page


def test_starting_needs_consent_and_a_known_position(app, client, person, version_id):
    page = client.get(f"/saya/mulai/{version_id}").get_data(as_text=True)
    refused = client.post(f"/saya/mulai/{version_id}", data={"position": "admin-medsos", "csrf_token": csrf_from(page)})
    assert refused.status_code == 400
    assert start_assessment(client, version_id, position="bupati").status_code == 400
    response = start_assessment(client, version_id)
    assert response.status_code == 302
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id_of(response))
        assert assessment.consent_at is not None and assessment.position_id == "admin-medsos"


def test_answer_page_shows_anchors_progress_and_domain_list(client, person, version_id):
    aid = assessment_id_of(start_assessment(client, version_id))
    page = client.get(f"/saya/penilaian/{aid}/domain/strategi").get_data(as_text=True)
    assert "Tidak pernah" in page and "Selalu" in page  # rating anchors, not bare numbers
    assert "Domain 1 dari 2" in page  # Indonesian by default
    assert 'value="goto:krisis"' in page
    assert "autosave.js" in page


def test_whole_flow_with_resume_submit_result_pdf_and_data(app, client, person, version_id):
    aid = assessment_id_of(start_assessment(client, version_id))
    response = post_domain(client, aid, "strategi", FULL_STRATEGI, action="later")
    assert response.headers["Location"].endswith("/saya/")
    assert stored(app, aid)["strategi-tanda"] == ["c"]
    resume = client.get(f"/saya/penilaian/{aid}")
    assert resume.headers["Location"].endswith("/domain/krisis"), "resume opens the first domain with gaps"
    page = client.get(f"/saya/penilaian/{aid}/domain/strategi").get_data(as_text=True)
    assert checked_values(page, "strategi-tanda") == {"c"}, "the saved answers come back checked, no others"
    assert checked_values(page, "strategi-rencana") == {"1"} and checked_values(page, "strategi-kanal") == {"a"}
    response = post_domain(client, aid, "krisis", FULL_KRISIS, action="finish")
    assert response.headers["Location"].endswith(f"/penilaian/{aid}/kirim")
    review = client.get(f"/saya/penilaian/{aid}/kirim").get_data(as_text=True)
    response = client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": csrf_from(review)})
    assert response.headers["Location"].endswith(f"/penilaian/{aid}/hasil")

    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        assert assessment.status == "submitted" and assessment.total_jp == 12
        levels = dict(db.session.execute(select(DomainResult.domain_id, DomainResult.level)
                                         .where(DomainResult.assessment_id == aid)).all())
        assert levels == {"strategi": 1, "krisis": 4}
        assert db.session.scalar(select(func.count(PlanEntry.id)).where(PlanEntry.assessment_id == aid)) == 2

    result = client.get(f"/saya/penilaian/{aid}/hasil")
    html = result.get_data(as_text=True)
    assert result.status_code == 200 and "<svg" in html
    assert "Dasar strategi" in html and "Strategi lanjut" in html  # the plan's modules
    pdf = client.get(f"/saya/penilaian/{aid}/laporan.pdf")
    assert pdf.status_code == 200 and pdf.headers["Cache-Control"] == "no-store"
    assert pdf.headers["Content-Disposition"] == f'attachment; filename="laporan-swanilai-{aid}.pdf"'
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Ani <b>Responden</b>" in text.replace("\n", " ") or "Ani <b>Responden</b>" in text
    assert "Dasar strategi" in text and "Mahir" in text

    data = client.get("/saya/data-saya.json")
    assert data.status_code == 200 and data.headers["Cache-Control"] == "no-store"
    exported = data.get_json()
    assert exported["profile"]["email"] == "ani@contoh.go.id"
    assert exported["assessments"][0]["answers"]["krisis-hoaks"] == "b"
    assert exported["assessments"][0]["answer_texts"]["krisis-hoaks"] == "Klarifikasi resmi"  # as shown
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"assessment.start", "assessment.submit", "report.individual", "person.export"} <= actions


def test_submit_lists_missing_required_items_with_links(app, client, person, version_id):
    aid = assessment_id_of(start_assessment(client, version_id))
    post_domain(client, aid, "strategi", FULL_STRATEGI)
    review = client.get(f"/saya/penilaian/{aid}/kirim").get_data(as_text=True)
    assert f"/saya/penilaian/{aid}/domain/krisis?from=review#item-krisis-hoaks" in review
    response = client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": csrf_from(review)})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Assessment, aid).status == "in_progress"


def finished(app, client, version_id) -> int:
    aid = assessment_id_of(start_assessment(client, version_id))
    post_domain(client, aid, "strategi", FULL_STRATEGI)
    post_domain(client, aid, "krisis", FULL_KRISIS)
    return aid


def test_double_submit_gives_one_result(app, client, person, version_id):
    aid = finished(app, client, version_id)
    token = csrf_from(client.get(f"/saya/penilaian/{aid}/kirim").get_data(as_text=True))
    first = client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": token})
    second = client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(DomainResult.id)).where(DomainResult.assessment_id == aid)) == 2


def test_concurrent_submits_give_exactly_one_result(app, client, person, version_id):
    aid = finished(app, client, version_id)
    from app.services import assessments as service

    errors, barrier = [], threading.Barrier(2)

    def submit():
        with app.app_context():
            try:
                assessment = db.session.get(Assessment, aid)
                barrier.wait()
                service.submit(assessment)
                db.session.commit()
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(func.count(DomainResult.id)).where(DomainResult.assessment_id == aid)) == 2
        assert db.session.scalar(select(func.count(PlanEntry.id)).where(PlanEntry.assessment_id == aid)) == 2


def test_an_answer_saved_while_a_submit_scores_is_not_lost(app, client, person, version_id):
    """The submit reads and scores the answers, then claims the assessment only if it is
    unchanged since: here another request saves an answer in that very gap (from an engine
    event, just before the claim's UPDATE runs), so the first claim fails and the submit
    scores again with the answer saved last."""
    aid = finished(app, client, version_id)
    from app.services import assessments as service

    def save_elsewhere():
        with app.app_context():
            other = db.session.get(Assessment, aid)
            service.save_answers(other, {"krisis-pantau": "1"}, domain_id="krisis")
            db.session.commit()
            db.session.remove()

    claims = []

    def before_claim(_conn, _cursor, statement, *_args):
        if statement.startswith("UPDATE assessments SET status"):
            claims.append(statement)
            if len(claims) == 1:
                saver = threading.Thread(target=save_elsewhere)
                saver.start()
                saver.join()

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", before_claim)
        try:
            assessment = db.session.get(Assessment, aid)
            service.submit(assessment)
            db.session.commit()
        finally:
            event.remove(engine, "before_cursor_execute", before_claim)
        assert assessment.status == service.SUBMITTED and assessment.latest
    assert len(claims) == 2, "the first claim must fail: the answers changed after they were read"
    with app.app_context():
        krisis = db.session.scalar(select(DomainResult.level).where(DomainResult.assessment_id == aid,
                                                                    DomainResult.domain_id == "krisis"))
        assert db.session.scalar(select(Answer.value).where(Answer.assessment_id == aid,
                                                            Answer.item_id == "krisis-pantau")) == 1
        assert krisis < 4, "scored with the answer saved last (level 4 with the earlier answer)"


def test_an_autosave_racing_a_submit_changes_no_answer_after_it(app, client, person, version_id):
    """Finding F11: the autosave request has read the assessment (in progress) when a submit in
    another request commits; its write must then be refused, or the stored answers would no
    longer be the ones the stored result was computed from."""
    aid = finished(app, client, version_id)
    from app.services import assessments as service

    def submit_elsewhere():
        with app.app_context():
            service.submit(db.session.get(Assessment, aid))
            db.session.commit()
            db.session.remove()

    with app.app_context():
        stale = db.session.get(Assessment, aid)
        assert stale.status == service.IN_PROGRESS
        submitter = threading.Thread(target=submit_elsewhere)
        submitter.start()
        submitter.join()
        with pytest.raises(service.AlreadySubmitted):
            service.save_answers(stale, {"krisis-pantau": "1"}, domain_id="krisis")
        db.session.rollback()
    with app.app_context():
        assert db.session.scalar(select(Answer.value).where(Answer.assessment_id == aid,
                                                            Answer.item_id == "krisis-pantau")) == 5


def test_a_submitted_assessment_is_read_only(app, client, person, version_id):
    aid = finished(app, client, version_id)
    token = csrf_from(client.get(f"/saya/penilaian/{aid}/kirim").get_data(as_text=True))
    client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": token})
    response = post_domain(client, aid, "krisis", {"krisis-pantau": "1", "krisis-hoaks": "a"}, token=token)
    assert response.status_code == 409
    autosave = client.post(f"/saya/penilaian/{aid}/autosave",
                           json={"domain": "krisis", "answers": {"krisis-pantau": 1}}, headers={"X-CSRFToken": token})
    assert autosave.status_code == 409
    assert stored(app, aid)["krisis-pantau"] == 5


@pytest.mark.parametrize("tampered", [
    {"strategi-kanal": "z"},                       # an option the item does not have
    {"strategi-rencana": "9"},                     # out of range
    {"strategi-rencana": "abc"},                   # wrong type
    {"krisis-hoaks": "b"},                         # an item of another domain
    {"bukan-item": "1"},                           # an item of no version
])
def test_tampered_forms_are_refused_and_nothing_is_saved(app, client, person, version_id, tampered):
    aid = assessment_id_of(start_assessment(client, version_id))
    response = post_domain(client, aid, "strategi", {"strategi-rencana": "3", **tampered})
    assert response.status_code == 400
    assert stored(app, aid) == {}


def test_a_duplicated_field_is_refused(app, client, person, version_id):
    aid = assessment_id_of(start_assessment(client, version_id))
    url = f"/saya/penilaian/{aid}/domain/strategi"
    token = csrf_from(client.get(url).get_data(as_text=True))
    response = client.post(url, data=MultiDict([("strategi-kanal", "a"), ("strategi-kanal", "c"),
                                                ("csrf_token", token)]))
    assert response.status_code == 400
    assert stored(app, aid) == {}


def test_autosave_saves_and_refuses_bad_values(app, client, person, version_id):
    aid = assessment_id_of(start_assessment(client, version_id))
    token = csrf_from(client.get(f"/saya/penilaian/{aid}/domain/strategi").get_data(as_text=True))
    ok = client.post(f"/saya/penilaian/{aid}/autosave", headers={"X-CSRFToken": token},
                     json={"domain": "strategi", "answers": {"strategi-rencana": 2, "strategi-tanda": []}})
    assert ok.status_code == 200 and ok.get_json()["saved"] is True
    assert stored(app, aid) == {"strategi-rencana": 2, "strategi-tanda": []}
    bad = client.post(f"/saya/penilaian/{aid}/autosave", headers={"X-CSRFToken": token},
                      json={"domain": "strategi", "answers": {"strategi-rencana": 3, "strategi-kanal": "z"}})
    assert bad.status_code == 400 and "strategi-kanal" in bad.get_json()["errors"]
    assert stored(app, aid)["strategi-rencana"] == 2, "nothing from a bad request is saved"
    no_csrf = client.post(f"/saya/penilaian/{aid}/autosave", json={"domain": "strategi", "answers": {}})
    assert no_csrf.status_code == 400


def test_another_persons_assessment_answers_404_everywhere(app, client, person, version_id):
    aid = finished(app, client, version_id)
    token = csrf_from(client.get(f"/saya/penilaian/{aid}/kirim").get_data(as_text=True))
    client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": token})
    intruder = create_person(app, ("respondent",), email="lain@contoh.go.id")
    other = app.test_client()
    login(other, intruder.nip)
    other_token = csrf_from(other.get("/saya/").get_data(as_text=True))
    for url in (f"/saya/penilaian/{aid}", f"/saya/penilaian/{aid}/domain/strategi", f"/saya/penilaian/{aid}/kirim",
                f"/saya/penilaian/{aid}/hasil", f"/saya/penilaian/{aid}/laporan.pdf"):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/saya/penilaian/{aid}/domain/strategi",
                      data={"strategi-rencana": "4", "csrf_token": other_token}).status_code == 404
    assert other.post(f"/saya/penilaian/{aid}/autosave", headers={"X-CSRFToken": other_token},
                      json={"domain": "strategi", "answers": {"strategi-rencana": 4}}).status_code == 404
    assert stored(app, aid)["strategi-rencana"] == 1


def test_answers_posted_after_the_session_ended_are_kept_and_shown_after_sign_in(app, client, person, version_id):
    aid = assessment_id_of(start_assessment(client, version_id))
    url = f"/saya/penilaian/{aid}/domain/strategi"
    token = csrf_from(client.get(url).get_data(as_text=True))
    with app.app_context():  # the session ends on the server (idle timeout, logout elsewhere…)
        from app.models import LoginSession
        from app.services.sessions import end_all_sessions

        end_all_sessions(person.id)
        db.session.commit()
        assert db.session.scalar(select(func.count(LoginSession.id)).where(LoginSession.ended_at.is_(None))) == 0
    response = client.post(url, data={"strategi-kanal": "c", "strategi-komentar": "Tulisan panjang saya",
                                      "csrf_token": token, "action": "stay"})
    assert response.status_code == 401
    sign_in_page = response.get_data(as_text=True)
    assert "Jawaban Anda disimpan" in sign_in_page
    assert stored(app, aid) == {}, "nothing is saved without a signed-in person"
    kept = re.search(r'name="kept" type="hidden" value="([^"]+)"', sign_in_page).group(1)
    back = client.post("/auth/login", data={"login": person.nip, "password": PASSWORD, "next": url, "kept": kept,
                                            "csrf_token": csrf_from(sign_in_page)})
    assert back.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert "Tulisan panjang saya" in page
    token = csrf_from(page)
    post_domain(client, aid, "strategi", {"strategi-kanal": "c", "strategi-komentar": "Tulisan panjang saya"},
                token=token)
    assert stored(app, aid) == {"strategi-kanal": "c", "strategi-komentar": "Tulisan panjang saya"}


def test_an_expired_csrf_token_keeps_the_typed_answers_on_the_page(app, client, person, version_id):
    aid = assessment_id_of(start_assessment(client, version_id))
    response = post_domain(client, aid, "strategi", {"strategi-komentar": "Jangan hilang"}, token="kedaluwarsa")
    assert response.status_code == 400
    assert "Jangan hilang" in response.get_data(as_text=True)
    assert stored(app, aid) == {}


def test_assessment_stays_on_its_version_after_a_new_one_is_published(app, client, person, version_id):
    aid = assessment_id_of(start_assessment(client, version_id))
    post_domain(client, aid, "strategi", FULL_STRATEGI)
    newer = MINI.read_text(encoding="utf-8").replace("Saya menyusun rencana konten.", "Pertanyaan versi dua.")
    new_version = published_version(app, newer)
    assert new_version != version_id
    page = client.get(f"/saya/penilaian/{aid}/domain/strategi").get_data(as_text=True)
    assert "Saya menyusun rencana konten." in page and "Pertanyaan versi dua." not in page
    post_domain(client, aid, "krisis", FULL_KRISIS)
    token = csrf_from(client.get(f"/saya/penilaian/{aid}/kirim").get_data(as_text=True))
    client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(Assessment, aid).version_id == version_id
    home = client.get("/saya/").get_data(as_text=True)
    assert f"/saya/mulai/{new_version}" in home and f"/saya/mulai/{version_id}" not in home


def test_markup_in_questionnaire_texts_is_escaped_on_every_page(app, client, person):
    source = MINI.read_text(encoding="utf-8").replace("Saya menyusun rencana konten.",
                                                      "<script>alert(1)</script> & <b>x")
    version = published_version(app, source)
    aid = assessment_id_of(start_assessment(client, version))
    page = client.get(f"/saya/penilaian/{aid}/domain/strategi").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_report_command_writes_the_pdf(app, client, person, version_id, tmp_path):
    aid = finished(app, client, version_id)
    token = csrf_from(client.get(f"/saya/penilaian/{aid}/kirim").get_data(as_text=True))
    client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": token})
    output = tmp_path / "laporan.pdf"
    result = app.test_cli_runner().invoke(args=["report", "individual", str(aid), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "Dasar strategi" in "".join(page.extract_text() for page in PdfReader(output).pages)
    missing = app.test_cli_runner().invoke(args=["report", "individual", "9999", "-o", str(output)])
    assert missing.exit_code != 0 and "9999" in missing.output


def test_addresses_from_before_the_rename_lead_to_the_same_page(app, client, person, version_id):
    """Links sent as /saya/asesmen/… (before the word in URLs became penilaian) keep working."""
    aid = assessment_id_of(start_assessment(client, version_id))
    response = client.get(f"/saya/asesmen/{aid}/domain/strategi?x=1")
    assert response.status_code == 308
    assert response.headers["Location"] == f"/saya/penilaian/{aid}/domain/strategi?x=1"
