"""Trainer: drafts saved even when invalid, YAML editing with located problems, concurrent saves
refused, publish makes N+1 and leaves assessments on N, published versions immutable, retire,
preview and try-scoring without storing, export, item statistics against a hand computation."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, Assessment, AuditEvent, QuestionnaireVersion
from tests.factories import MINI, create_person, published_version, started_assessment, submitted_assessment
from tests.pages import csrf_from, login, new_draft

SOURCE = MINI.read_text(encoding="utf-8")
BOUNDARY = "swanilai-test-boundary"


@pytest.fixture
def published(app):
    return published_version(app, SOURCE)


@pytest.fixture
def trainer(app, client, published):
    person = create_person(app, ("trainer",), email="pelatih@contoh.go.id")
    login(client, person.nip)
    return client


def save_yaml(client, draft_id, source, lock=None):
    page = client.get(f"/trainer/drafts/{draft_id}/yaml").get_data(as_text=True)
    if lock is None:
        lock = page.split('name="lock" value="')[1].split('"')[0]
    return client.post(f"/trainer/drafts/{draft_id}/yaml", data={"source": source, "lock": lock,
                                                                   "csrf_token": csrf_from(page)})


def version_row(app, version_id) -> QuestionnaireVersion:
    with app.app_context():
        version = db.session.get(QuestionnaireVersion, version_id)
        version.source  # noqa: B018 - load the deferred text before the session closes
        db.session.expunge(version)
        return version


def test_overview_lists_versions_with_counts(app, trainer, published):
    respondent = create_person(app, email="hitung@contoh.go.id")
    started_assessment(app, respondent, version_id=published, position="pimpinan")
    page = trainer.get("/trainer/").get_data(as_text=True)
    assert "mini" in page and "Kuesioner mini" in page
    row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "<td>1</td>" in row, "version 1 with its one assessment"


def test_invalid_draft_is_saved_and_every_problem_is_shown_with_its_line(app, trainer, published):
    draft_id = new_draft(trainer, published)
    broken = SOURCE.replace("thresholds: [40, 60, 80]", "thresholds: [40, 30, 80]").replace("weight: 2", "weight: dua")
    response = save_yaml(trainer, draft_id, broken)
    assert response.status_code == 302
    assert version_row(app, draft_id).source == broken, "an invalid draft is kept"
    page = trainer.get(f"/trainer/drafts/{draft_id}/yaml").get_data(as_text=True)
    assert "scoring.thresholds" in page and "domains[0].items[0].weight" in page
    line = broken.splitlines().index(next(t for t in broken.splitlines() if "thresholds" in t)) + 1
    assert f'href="#line-{line}"' in page


def test_publishing_an_invalid_draft_is_refused(app, trainer, published):
    draft_id = new_draft(trainer, published)
    save_yaml(trainer, draft_id, SOURCE.replace("jp: 4", "jp: -4"))
    page = trainer.get(f"/trainer/drafts/{draft_id}/publish").get_data(as_text=True)
    response = trainer.post(f"/trainer/drafts/{draft_id}/publish", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 400
    assert version_row(app, draft_id).status == "draft"


def test_concurrent_saves_conflict_and_nothing_is_overwritten(app, trainer, published):
    draft_id = new_draft(trainer, published)
    page = trainer.get(f"/trainer/drafts/{draft_id}/yaml").get_data(as_text=True)
    lock = page.split('name="lock" value="')[1].split('"')[0]
    first = SOURCE.replace("Kuesioner mini", "Perubahan pertama")
    second = SOURCE.replace("Kuesioner mini", "Perubahan kedua")
    assert save_yaml(trainer, draft_id, first, lock=lock).status_code == 302
    response = save_yaml(trainer, draft_id, second, lock=lock)
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Perubahan kedua" in text and "Perubahan pertama" in text, "both versions are on the page"
    assert "Perubahan pertama" in version_row(app, draft_id).source


def test_publish_creates_n_plus_one_and_assessments_stay_on_n(app, trainer, published):
    respondent = create_person(app, email="r@contoh.go.id")
    assessment_id = started_assessment(app, respondent, version_id=published)
    draft_id = new_draft(trainer, published)
    save_yaml(trainer, draft_id, SOURCE.replace("Saya memantau isu.", "Saya memantau isu setiap hari."))
    page = trainer.get(f"/trainer/drafts/{draft_id}/publish").get_data(as_text=True)
    assert "krisis-pantau" in page, "the publish page lists what changed"
    response = trainer.post(f"/trainer/drafts/{draft_id}/publish", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    version = version_row(app, draft_id)
    assert version.status == "published" and version.number == 2
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).version_id == published
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"draft.create", "draft.save", "version.publish"} <= actions


def test_a_crafted_request_cannot_change_a_published_version(app, trainer, published):
    before = version_row(app, published).source
    page = trainer.get("/trainer/").get_data(as_text=True)
    token = csrf_from(page)
    for url in (f"/trainer/drafts/{published}/yaml", f"/trainer/drafts/{published}/publish",
                f"/trainer/drafts/{published}/edit"):
        response = trainer.post(url, data={"source": "format: 1", "lock": "1", "csrf_token": token,
                                           "title.id": "Diubah"})
        assert response.status_code == 404, url
    assert version_row(app, published).source == before


def test_retire_stops_new_assessments_but_keeps_reports(app, trainer, published):
    page = trainer.get("/trainer/").get_data(as_text=True)
    trainer.post(f"/trainer/versions/{published}/retire", data={"csrf_token": csrf_from(page)})
    assert version_row(app, published).status == "retired"
    respondent = create_person(app, email="r2@contoh.go.id")
    other = app.test_client()
    login(other, respondent.nip)
    assert other.get(f"/saya/mulai/{published}").status_code == 404


def test_upload_creates_a_draft_even_when_invalid_but_refuses_non_yaml(app, trainer):
    page = trainer.get("/trainer/").get_data(as_text=True)
    bad = SOURCE.replace("jp: 4", "jp: empat")
    response = trainer.post("/trainer/upload", data={"csrf_token": csrf_from(page),
                                                     "file": (io.BytesIO(bad.encode()), "mini.yaml")},
                            content_type="multipart/form-data")
    assert response.status_code == 302 and "/drafts/" in response.headers["Location"]
    for content in (b"{{{ not yaml", b"a: &x 1\nb: *x\n", b"!!python/object:os.system x"):
        page = trainer.get("/trainer/").get_data(as_text=True)
        response = trainer.post("/trainer/upload", data={"csrf_token": csrf_from(page),
                                                         "file": (io.BytesIO(content), "x.yaml")},
                                content_type="multipart/form-data")
        assert response.status_code == 302 and response.headers["Location"].endswith("/trainer/")
    with app.app_context():
        assert db.session.scalar(select(func.count(QuestionnaireVersion.id))) == 2


def test_an_oversized_upload_is_refused_with_413(app, trainer):
    page = trainer.get("/trainer/").get_data(as_text=True)
    big = b"a" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    # The body is built here: the test client would spool a body this large to a temporary file
    # that nothing closes once the app refuses it unread (a ResourceWarning, an error in this suite).
    body = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf_from(page)}\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.yaml"\r\n'
            f"Content-Type: application/x-yaml\r\n\r\n").encode() + big + f"\r\n--{BOUNDARY}--\r\n".encode()
    response = trainer.post("/trainer/upload", data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 413


def test_preview_and_try_scoring_store_nothing(app, trainer, published):
    page = trainer.get(f"/trainer/versions/{published}/preview").get_data(as_text=True)
    assert "Tidak pernah" in page and "Domain 2 dari 2" in page
    response = trainer.post(f"/trainer/versions/{published}/preview", data={
        "csrf_token": csrf_from(page), "position": "admin-medsos", "strategi-rencana": "3", "strategi-kanal": "c",
        "strategi-tanda": ["a", "b", "c"], "krisis-pantau": "5", "krisis-hoaks": "c", "krisis-tim": "2"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "70.8" in text and "Coaching krisis" in text and "Mentoring krisis" in text
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 0
        assert db.session.scalar(select(func.count(Assessment.id))) == 0


def test_export_returns_the_exact_source(trainer, published):
    response = trainer.get(f"/trainer/versions/{published}/export.yaml")
    assert response.data.decode("utf-8") == SOURCE
    assert response.headers["Content-Disposition"] == 'attachment; filename="mini-v1.yaml"'


def test_item_statistics_need_enough_answers_and_match_a_hand_computation(app, trainer, published):
    """Three respondents on strategi: rencana 1/2/4 (s = 0, 1/3, 1), kanal a/b/c (s = 0, 1/2, 1),
    tanda [c]/[a]/[a,b] (s = 0, 1/2, 1). Item-rest of rencana against kanal + tanda = 0, 1, 2:
    dx = −4/9, −1/9, 5/9; dy = −1, 0, 1; Σdxdy = 1; Σdx² = 42/81; Σdy² = 2;
    r = 1 / √(84/81) = 9/√84 = 0.982. Cronbach's alpha = 3/2 · (1 − (21/81 + 1/4 + 1/4) / (183/81)) = 0.996."""
    app.config["STATS_MIN_RESPONSES"] = 3
    try:
        profiles = [
            {"strategi-rencana": 1, "strategi-kanal": "a", "strategi-tanda": ["c"], "krisis-pantau": 1,
             "krisis-hoaks": "a"},
            {"strategi-rencana": 2, "strategi-kanal": "b", "strategi-tanda": ["a"], "krisis-pantau": 3,
             "krisis-hoaks": "c"},
            {"strategi-rencana": 4, "strategi-kanal": "c", "strategi-tanda": ["a", "b"], "krisis-pantau": 5,
             "krisis-hoaks": "b"},
        ]
        few = trainer.get(f"/trainer/versions/{published}/statistics").get_data(as_text=True)
        assert "3" in few and "Cronbach" not in few
        for n, answers in enumerate(profiles):
            person = create_person(app, email=f"s{n}@contoh.go.id")
            submitted_assessment(app, person, answers, version_id=published, position="pimpinan")
        page = trainer.get(f"/trainer/versions/{published}/statistics").get_data(as_text=True)
        assert "Cronbach" in page
        assert "0,98" in page and "1,00" in page  # Indonesian decimals
    finally:
        app.config["STATS_MIN_RESPONSES"] = 10


def test_diff_between_versions_lists_the_changes(app, trainer, published):
    draft_id = new_draft(trainer, published)
    save_yaml(trainer, draft_id, SOURCE.replace("thresholds: [40, 60, 80]", "thresholds: [45, 60, 80]"))
    page = trainer.get(f"/trainer/drafts/{draft_id}/publish").get_data(as_text=True)
    trainer.post(f"/trainer/drafts/{draft_id}/publish", data={"csrf_token": csrf_from(page)})
    page = trainer.get(f"/trainer/diff?from={published}&to={draft_id}").get_data(as_text=True)
    assert "45" in page and "40" in page
    assert trainer.get("/trainer/diff?from=x&to=1").status_code == 400


def test_questionnaire_texts_with_markup_are_escaped_in_editor_and_preview(app, trainer, published):
    draft_id = new_draft(trainer, published)
    save_yaml(trainer, draft_id, SOURCE.replace("Saya memantau isu.", "<script>alert(1)</script>"))
    for url in (f"/trainer/drafts/{draft_id}/yaml", f"/trainer/versions/{draft_id}/preview",
                f"/trainer/drafts/{draft_id}/edit?section=domain-1"):
        page = trainer.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page, url
        assert "&lt;script&gt;" in page, url
