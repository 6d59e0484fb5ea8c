"""services/pending called directly: answers posted after a session ended are sealed into the
sign-in form, kept only for their own respondent's assessment in progress, one row per
assessment and domain, up to a total, and handed back once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import PendingAnswers, utcnow
from app.services import pending
from tests.factories import MINI_LOW, make_assessment, make_unit, make_user, make_version

FORM = MultiDict([("strategi-kanal", "c"), ("strategi-tanda", "a"), ("strategi-tanda", "b"),
                  ("strategi-komentar", "Tulisan panjang"), ("csrf_token", "rahasia")])


@pytest.fixture
def world(ctx):
    unit = make_unit()
    version = make_version()
    owner, stranger = make_user(unit, email="pemilik@contoh.go.id"), make_user(unit, email="lain@contoh.go.id")
    return {"owner": owner, "stranger": stranger, "assessment": make_assessment(owner, version),
            "submitted": make_assessment(stranger, version, answers=MINI_LOW, submit=True)}


def rows() -> int:
    return db.session.scalar(select(func.count(PendingAnswers.id)))


def test_sealed_fields_come_back_without_the_csrf_token(world):
    sealed = pending.seal(world["assessment"].id, "strategi", FORM)
    data = pending.unseal(sealed)
    assert data == {"assessment": world["assessment"].id, "domain": "strategi",
                    "fields": {"strategi-kanal": ["c"], "strategi-tanda": ["a", "b"],
                               "strategi-komentar": ["Tulisan panjang"]}}
    assert "rahasia" not in sealed


@pytest.mark.parametrize("sealed", [None, "", "tidak-bertanda-tangan", "x" * (4 * pending.MAX_PAYLOAD_BYTES + 1)])
def test_unsigned_or_oversized_seals_open_to_nothing(ctx, sealed):
    assert pending.unseal(sealed) is None


def test_a_changed_seal_opens_to_nothing(world):
    sealed = pending.seal(world["assessment"].id, "strategi", FORM)
    # The last base64 character carries padding bits, so changing it may not change the bytes:
    # change one in the middle of the signature instead.
    at = len(sealed) - 8
    assert pending.unseal(sealed[:at] + ("A" if sealed[at] != "A" else "B") + sealed[at + 1:]) is None


def test_too_much_to_carry_is_not_sealed(world):
    assert pending.seal(world["assessment"].id, "strategi",
                        MultiDict({"strategi-komentar": "x" * (pending.MAX_PAYLOAD_BYTES + 1)})) is None


def test_kept_for_the_owner_and_handed_back_for_that_page_only(world):
    assessment, owner = world["assessment"], world["owner"]
    key = pending.keep_sealed(pending.seal(assessment.id, "strategi", FORM), owner.id)
    db.session.commit()
    assert key and rows() == 1
    assert pending.take(key, assessment.id, "krisis") is None, "another domain's page"
    assert pending.take(key, assessment.id + 1, "strategi") is None, "another assessment"
    assert pending.take("not-a-key", assessment.id, "strategi") is None
    kept = pending.take(key, assessment.id, "strategi")
    assert kept.getlist("strategi-tanda") == ["a", "b"] and kept["strategi-kanal"] == "c"
    pending.forget(key)
    db.session.commit()
    assert rows() == 0


def test_nothing_is_kept_for_someone_else_or_a_submitted_assessment(world):
    sealed = pending.seal(world["assessment"].id, "strategi", FORM)
    assert pending.keep_sealed(sealed, world["stranger"].id) is None
    assert pending.keep_sealed(pending.seal(world["submitted"].id, "strategi", FORM), world["stranger"].id) is None
    assert pending.keep_sealed(pending.seal(999_999, "strategi", FORM), world["owner"].id) is None
    assert pending.keep_sealed("tidak-bertanda-tangan", world["owner"].id) is None
    assert rows() == 0


def test_a_newer_post_replaces_the_row_of_its_domain(world):
    assessment, owner = world["assessment"], world["owner"]
    for text in ("satu", "dua"):
        pending.keep_sealed(pending.seal(assessment.id, "strategi", MultiDict({"strategi-komentar": text})), owner.id)
    pending.keep_sealed(pending.seal(assessment.id, "krisis", MultiDict({"krisis-pantau": "3"})), owner.id)
    db.session.commit()
    kept = {row.domain_id: row.payload for row in db.session.scalars(select(PendingAnswers))}
    assert kept == {"strategi": {"strategi-komentar": ["dua"]}, "krisis": {"krisis-pantau": ["3"]}}


def test_the_total_is_capped(app, world):
    assessment, owner = world["assessment"], world["owner"]
    app.config["PENDING_ANSWERS_MAX_ROWS"] = 1
    try:
        assert pending.keep_sealed(pending.seal(assessment.id, "strategi", FORM), owner.id)
        assert pending.keep_sealed(pending.seal(assessment.id, "krisis", FORM), owner.id) is None
    finally:
        app.config["PENDING_ANSWERS_MAX_ROWS"] = 10000
    assert rows() == 1


def test_purge_deletes_rows_older_than_two_days_only(world):
    assessment, owner = world["assessment"], world["owner"]
    old = pending.keep_sealed(pending.seal(assessment.id, "strategi", FORM), owner.id)
    fresh = pending.keep_sealed(pending.seal(assessment.id, "krisis", FORM), owner.id)
    db.session.execute(update(PendingAnswers).where(PendingAnswers.id == old)
                       .values(created_at=utcnow() - pending.KEEP_FOR - timedelta(minutes=1)))
    assert pending.purge() == 1
    db.session.commit()
    assert db.session.scalars(select(PendingAnswers.id)).all() == [fresh]
    assert pending.purge() == 0
