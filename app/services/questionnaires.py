"""Questionnaire versions in the database, read through the engine."""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from sqlalchemy import func, select

from ..engine import questionnaire as engine
from ..extensions import db
from ..models import Questionnaire, QuestionnaireVersion, VersionStatus, utcnow
from . import audit


def checksum(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


_MODELS: OrderedDict[str, engine.Questionnaire] = OrderedDict()
_CACHE_SIZE = 64


def parsed(version: QuestionnaireVersion) -> engine.Questionnaire:
    """The engine's model of a stored version, parsed once per distinct content. The source text
    (often 100 KB) is read from the database only when this content is not parsed yet."""
    model = _MODELS.get(version.checksum)
    if model is None:
        model = engine.load(version.source, stored=version.status != VersionStatus.DRAFT.value)
        _MODELS[version.checksum] = model
        while len(_MODELS) > _CACHE_SIZE:
            _MODELS.popitem(last=False)
    return model


def published_versions() -> list[QuestionnaireVersion]:
    return list(db.session.scalars(
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.status == VersionStatus.PUBLISHED.value)
        .order_by(QuestionnaireVersion.questionnaire_id, QuestionnaireVersion.number.desc())))


def latest_published() -> list[QuestionnaireVersion]:
    """The newest published version of every questionnaire."""
    latest: dict[int, QuestionnaireVersion] = {}
    for version in published_versions():
        latest.setdefault(version.questionnaire_id, version)
    return list(latest.values())


def position_choices(lang: str) -> list[tuple[str, str]]:
    """(id, name) of every position in the newest published versions, in questionnaire order."""
    choices: dict[str, str] = {}
    for version in latest_published():
        for position in parsed(version).positions:
            choices.setdefault(position.id, position.name.get(lang))
    return list(choices.items())


def known_positions() -> set[str] | None:
    """Position ids a person may hold; None while no questionnaire is published (any slug is then accepted)."""
    versions = latest_published()
    if not versions:
        return None
    return {position.id for version in versions for position in parsed(version).positions}


def version_by_number(slug: str, number: int | None) -> QuestionnaireVersion | None:
    """A published or retired version by number; the newest published one when number is None."""
    query = (select(QuestionnaireVersion).join(Questionnaire)
             .where(Questionnaire.slug == slug, QuestionnaireVersion.number.is_not(None)))
    if number is None:
        query = query.where(QuestionnaireVersion.status == VersionStatus.PUBLISHED.value)
    else:
        query = query.where(QuestionnaireVersion.number == number)
    return db.session.scalar(query.order_by(QuestionnaireVersion.number.desc()).limit(1))


def import_published(source: str, *, actor_id: int | None, max_bytes: int) -> tuple[QuestionnaireVersion, bool]:
    """Store a questionnaire file as the next published version; (version, created).

    Validates completely first (QuestionnaireInvalid on any problem). Does nothing when the same
    content is already the newest published version."""
    model = engine.load(source, max_bytes=max_bytes)
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == model.id))
    if questionnaire is None:
        questionnaire = Questionnaire(slug=model.id)
        db.session.add(questionnaire)
        db.session.flush()
    digest = checksum(source)
    latest = version_by_number(model.id, None)
    if latest is not None and latest.checksum == digest:
        return latest, False
    highest = db.session.scalar(select(func.max(QuestionnaireVersion.number))
                                .where(QuestionnaireVersion.questionnaire_id == questionnaire.id)) or 0
    now = utcnow()
    version = QuestionnaireVersion(questionnaire=questionnaire, number=highest + 1,
                                   status=VersionStatus.PUBLISHED.value, title=model.title.id[:300], source=source,
                                   checksum=digest, created_by_id=actor_id, published_at=now,
                                   published_by_id=actor_id)
    db.session.add(version)
    db.session.flush()
    audit.record("questionnaire.import", actor_id=actor_id, target_type="questionnaire_version",
                 target_id=version.id, details={"slug": model.id, "number": version.number, "checksum": digest})
    return version, True
