"""services/assessments called directly: start after consent on a published version, save
answers all or nothing, submit once with the result stored in rows SQL can aggregate, and
ownership that reports someone else's assessment as missing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.engine.answers import AnswersInvalid
from app.extensions import db
from app.models import Answer, AuditEvent, DomainResult, PlanEntry
from app.services import assessments
from app.services.errors import NotFound, ServiceError
from tests.factories import MINI_LOW, make_assessment, make_unit, make_user, make_version

# The golden answers of tests/engine/test_golden.py: strategi level 3 (no gap), krisis capped at 2 (gap 2).
GOLDEN = {"strategi-rencana": 3, "strategi-kanal": "c", "strategi-tanda": ["a", "b", "c"],
          "strategi-komentar": "Perlu pelatihan.", "krisis-pantau": 5, "krisis-hoaks": "c", "krisis-tim": 2}


@pytest.fixture
def world(ctx):
    unit = make_unit()
    return {"version": make_version(), "ani": make_user(unit, email="ani@contoh.go.id"),
            "budi": make_user(unit, email="budi@contoh.go.id")}


def stored(assessment) -> dict:
    return dict(db.session.execute(select(Answer.item_id, Answer.value)
                                   .where(Answer.assessment_id == assessment.id)).all())


def test_start_copies_unit_and_position_and_fills_an_empty_profile(world):
    ani = world["ani"]
    assessment = assessments.start(ani, world["version"], "pimpinan")
    db.session.commit()
    assert assessment.status == assessments.IN_PROGRESS and assessment.consent_at is not None
    assert (assessment.unit_id, assessment.position_id) == (ani.unit_id, "pimpinan")
    assert ani.position_id == "pimpinan"
    assert assessments.first_open_domain(assessment) == "strategi"


def test_start_refuses_an_unknown_position_and_a_draft(world):
    with pytest.raises(ServiceError) as refused:
        assessments.start(world["ani"], world["version"], "bupati")
    assert refused.value.field == "position"
    world["version"].status = "draft"
    with pytest.raises(ServiceError):
        assessments.start(world["ani"], world["version"], "admin-medsos")


def test_saving_is_all_or_nothing_and_an_empty_answer_clears(world):
    assessment = make_assessment(world["ani"], world["version"])
    assert assessments.save_answers(assessment, {"strategi-rencana": "2", "strategi-kanal": "b"},
                                    domain_id="strategi") == 2
    with pytest.raises(AnswersInvalid) as invalid:
        assessments.save_answers(assessment, {"strategi-rencana": "3", "strategi-kanal": "z"}, domain_id="strategi")
    assert set(invalid.value.errors) == {"strategi-kanal"}
    db.session.commit()
    assert stored(assessment) == {"strategi-rencana": 2, "strategi-kanal": "b"}, "the good answer was not kept"
    assessments.save_answers(assessment, {"strategi-kanal": ""}, domain_id="strategi")
    db.session.commit()
    assert stored(assessment) == {"strategi-rencana": 2}


def test_an_item_of_another_domain_is_refused_on_a_domain_page(world):
    assessment = make_assessment(world["ani"], world["version"])
    with pytest.raises(AnswersInvalid):
        assessments.save_answers(assessment, {"krisis-pantau": "3"}, domain_id="strategi")


def test_submit_needs_every_required_answer(world):
    assessment = make_assessment(world["ani"], world["version"], answers={"strategi-rencana": 1})
    with pytest.raises(assessments.MissingAnswers) as missing:
        assessments.submit(assessment)
    assert missing.value.by_domain == {"strategi": ["strategi-kanal", "strategi-tanda"],
                                       "krisis": ["krisis-pantau", "krisis-hoaks"]}
    assert assessment.status == assessments.IN_PROGRESS


def test_submit_stores_the_result_once_in_rows(world):
    assessment = make_assessment(world["ani"], world["version"], answers=GOLDEN)
    assessments.submit(assessment)
    db.session.commit()
    assert assessment.status == assessments.SUBMITTED and assessment.latest and assessment.total_jp == 12
    levels = dict(db.session.execute(select(DomainResult.domain_id, DomainResult.level)
                                     .where(DomainResult.assessment_id == assessment.id)).all())
    assert levels == {"strategi": 3, "krisis": 2}
    modules = db.session.scalars(select(PlanEntry.module_id).where(PlanEntry.assessment_id == assessment.id)
                                 .order_by(PlanEntry.module_id)).all()
    assert modules == ["m-krisis-coaching", "m-krisis-mentor"]
    assert assessments.submit(assessment) is assessment, "a second submit returns the stored result"
    db.session.commit()
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "assessment.submit")).all()) == 1
    with pytest.raises(assessments.AlreadySubmitted):
        assessments.save_answers(assessment, {"strategi-rencana": "1"}, domain_id="strategi")


def test_the_newest_submit_is_the_latest_result(world):
    first = make_assessment(world["ani"], world["version"], answers=MINI_LOW, submit=True)
    second = make_assessment(world["ani"], world["version"], answers=GOLDEN, submit=True)
    db.session.expire_all()  # unmark_earlier changes the first row with an UPDATE
    assert (first.latest, second.latest) == (False, True)
    assert [a.id for a in assessments.own_assessments(world["ani"])] == [second.id, first.id]


def test_the_result_reads_in_either_language(world):
    assessment = make_assessment(world["ani"], world["version"], answers=GOLDEN, submit=True)
    names = {lang: [d["level_name"] for d in assessments.result_for(assessment, lang)["domains"]]
             for lang in ("id", "en")}
    assert names == {"id": ["Mahir", "Menengah"], "en": ["Advanced", "Intermediate"]}


def test_someone_elses_assessment_does_not_exist_for_you(world):
    assessment = make_assessment(world["ani"], world["version"])
    assert assessments.own_assessment(world["ani"], assessment.id).id == assessment.id
    for assessment_id in (assessment.id, 999_999):
        with pytest.raises(NotFound):
            assessments.own_assessment(world["budi"], assessment_id)
    assert assessments.own_assessments(world["budi"]) == []
