"""Levels that explain themselves (issue 12, part 4): the result page and the personal PDF show,
per domain, the descriptor of the level reached and of the next level, from the questionnaire's
own words; read back from the page HTML and the PDF text."""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.extensions import db
from app.models import Assessment
from app.services import assessments
from tests.factories import MINI_LOW, create_person, published_version, submitted_assessment
from tests.pages import login


def test_page_and_pdf_name_the_reached_and_the_next_level(app, client):
    version_id = published_version(app)
    person = create_person(app, email="jelas@contoh.go.id")
    aid = submitted_assessment(app, person, MINI_LOW, version_id=version_id)
    with app.app_context(), app.test_request_context():
        result = assessments.result_for(db.session.get(Assessment, aid), "id")
    strategi = next(d for d in result["domains"] if d["id"] == "strategi")
    assert strategi["descriptor"] == f"S{strategi['level']}"
    assert strategi["next_level"]["descriptor"] == f"S{strategi['level'] + 1}"
    login(client, person.nip)
    page = client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True)
    next_name = strategi["next_level"]["name"]
    assert f"Untuk mencapai {next_name}" in page and f"S{strategi['level'] + 1}" in page
    pdf = client.get(f"/saya/penilaian/{aid}/laporan.pdf").data
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert f"Untuk mencapai {next_name}" in text
    assert f"S{strategi['level'] + 1}" in text


def test_the_top_level_has_no_next_level(app):
    with app.app_context():
        from app.engine.questionnaire import load
        from tests.factories import MINI

        model = load(MINI.read_text(encoding="utf-8"))
        result = {"domains": [{"id": "strategi", "level": model.top_level}, {"id": "krisis", "level": None}]}
        assessments.with_descriptors(model, result, "en")
    assert result["domains"][0]["next_level"] is None and result["domains"][0]["descriptor"] == "S4"
    assert result["domains"][1]["descriptor"] is None and result["domains"][1]["next_level"] is None
