"""Questionnaire drafts and versions for trainers.

A draft is edited freely and saved even when invalid (no work is lost); only a valid draft can be
published, which makes it version N+1 and freezes it. Published and retired versions are never
changed: a draft is a separate row. Concurrent saves of one draft are detected with the row's
`lock_version`, so nothing is overwritten silently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from ..engine import questionnaire as engine
from ..engine.diff import diff
from ..engine.editing import NotEditable, plain_document
from ..extensions import db
from ..models import Assessment, AssessmentStatus, AuditEvent, Questionnaire, QuestionnaireVersion, Round, \
    VersionStatus, utcnow
from .validation import SLUG_RE
from . import audit
from .clock import office_today
from .errors import Conflicting, ServiceError
from .questionnaires import checksum

DRAFT = VersionStatus.DRAFT.value
PUBLISHED = VersionStatus.PUBLISHED.value
RETIRED = VersionStatus.RETIRED.value


class Conflict(Conflicting):
    """Someone else saved the draft since it was opened."""

    def __init__(self, draft: QuestionnaireVersion):
        super().__init__(_l("Someone else saved this draft at %(when)s, after you opened it. Your text was "
                            "not saved: it is kept below. Compare it with the latest version and save again.",
                            when=draft.updated_at.strftime("%Y-%m-%d %H:%M")))
        self.latest_source = draft.source
        self.latest_lock = draft.lock_version


class NotADraft(ServiceError):
    """Published and retired versions cannot be changed."""


@dataclass
class VersionRow:
    version: QuestionnaireVersion
    assessments: int
    may_unretire: bool = False  # retired, and no newer version of its questionnaire is published


def overview() -> list[tuple[Questionnaire, list[VersionRow]]]:
    counts = dict(db.session.execute(select(Assessment.version_id, func.count(Assessment.id))
                                     .group_by(Assessment.version_id)).all())
    result = []
    for questionnaire in db.session.scalars(select(Questionnaire).order_by(Questionnaire.slug)):
        newest_first = sorted(questionnaire.versions, key=lambda v: (v.number is None, -(v.number or 0), -v.id))
        published = [v.number or 0 for v in newest_first if v.status == PUBLISHED]
        rows = [VersionRow(v, counts.get(v.id, 0),
                           v.status == RETIRED and not any(n > (v.number or 0) for n in published))
                for v in newest_first]
        result.append((questionnaire, rows))
    return result


def require_draft(version: QuestionnaireVersion) -> None:
    if version.status != DRAFT:
        raise NotADraft(_l("Version %(number)s is published and cannot be changed. Make a new draft from it.",
                           number=version.number))


def _title_of(source: str) -> str:
    try:
        title = plain_document(source).get("title")
    except NotEditable:
        return ""
    return str(title.get("id", ""))[:300] if isinstance(title, dict) else ""


def new_draft(questionnaire: Questionnaire, source: str, *, actor_id: int, origin: str) -> QuestionnaireVersion:
    draft = QuestionnaireVersion(questionnaire=questionnaire, status=DRAFT, source=source, checksum=checksum(source),
                                 title=_title_of(source), created_by_id=actor_id)
    db.session.add(draft)
    db.session.flush()
    audit.record("draft.create", actor_id=actor_id, target_type="questionnaire_version", target_id=draft.id,
                 details={"questionnaire": questionnaire.slug, "from": origin})
    return draft


def draft_from_version(version: QuestionnaireVersion, *, actor_id: int) -> QuestionnaireVersion:
    return new_draft(version.questionnaire, version.source, actor_id=actor_id,
                     origin=f"version {version.number}" if version.number else f"draft {version.id}")


def draft_from_upload(data: bytes, *, actor_id: int, max_bytes: int) -> QuestionnaireVersion:
    """A draft from an uploaded file. It may be invalid, but it must be readable YAML with an `id`
    so it is clear which questionnaire it belongs to."""
    if len(data) > max_bytes:
        raise ServiceError(_l("The file is larger than %(kb)d KB.", kb=max_bytes // 1024))
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(_l("The file is not UTF-8 text. Save it as UTF-8 and upload it again.")) from None
    try:
        document = plain_document(source)
    except NotEditable as problem:
        raise ServiceError(_l("The file cannot be read as YAML: %(problem)s",
                              problem="; ".join(p.format("id") for p in problem.problems))) from None
    slug = document.get("id")
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise ServiceError(_l("The file needs a valid `id` (small letters, digits and dashes) to know which "
                              "questionnaire it belongs to."))
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
    if questionnaire is None:
        questionnaire = Questionnaire(slug=slug)
        db.session.add(questionnaire)
        db.session.flush()
    return new_draft(questionnaire, source, actor_id=actor_id, origin="upload")


def save_draft(draft: QuestionnaireVersion, source: str, expected_lock: int, *, actor_id: int,
               max_bytes: int, editor: str) -> list[engine.Problem]:
    """Store the text whatever its problems, and return the problems. Conflict when the draft
    changed since the person opened it (their lock number is older)."""
    require_draft(draft)
    if len(source.encode("utf-8")) > max_bytes:
        raise ServiceError(_l("The text is larger than %(kb)d KB.", kb=max_bytes // 1024))
    if draft.lock_version != expected_lock:
        raise Conflict(draft)
    problems = engine.validate(source, max_bytes=max_bytes)
    if source == draft.source:
        return problems
    draft.source, draft.checksum, draft.title = source, checksum(source), _title_of(source) or draft.title
    draft.updated_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(db.session.get(QuestionnaireVersion, draft.id)) from None
    audit.record("draft.save", actor_id=actor_id, target_type="questionnaire_version", target_id=draft.id,
                 details={"editor": editor, "problems": len(problems), "checksum": draft.checksum})
    return problems


def publish(draft: QuestionnaireVersion, *, actor_id: int, max_bytes: int) -> QuestionnaireVersion:
    """Make the draft version N+1. Refused while it has problems or names another questionnaire."""
    require_draft(draft)
    problems = engine.validate(draft.source, max_bytes=max_bytes)
    if problems:
        raise ServiceError(_l("The draft has %(n)d problem(s); fix them before publishing.", n=len(problems)))
    model = engine.load(draft.source, max_bytes=max_bytes)
    if model.id != draft.questionnaire.slug:
        raise ServiceError(_l("The draft's id is %(id)s but it belongs to questionnaire %(slug)s. Keep the id, "
                              "or upload the file as a new questionnaire.", id=model.id, slug=draft.questionnaire.slug))
    highest = db.session.scalar(select(func.max(QuestionnaireVersion.number))
                                .where(QuestionnaireVersion.questionnaire_id == draft.questionnaire_id)) or 0
    now: datetime = utcnow()
    draft.number, draft.status, draft.published_at, draft.published_by_id = highest + 1, PUBLISHED, now, actor_id
    draft.title = model.title.id[:300]
    db.session.flush()
    audit.record("version.publish", actor_id=actor_id, target_type="questionnaire_version", target_id=draft.id,
                 details={"questionnaire": model.id, "number": draft.number, "checksum": draft.checksum})
    return draft


def retire(version: QuestionnaireVersion, *, actor_id: int) -> None:
    """No new assessments on this version; its reports keep working."""
    if version.status != PUBLISHED:
        raise ServiceError(_l("Only a published version can be retired."))
    waiting = rounds_using(version)
    if waiting:
        raise ServiceError(_l("The round “%(name)s” asks people to answer this version until %(day)s; it can be "
                              "retired once that round is closed.", name=waiting[0].name,
                              day=waiting[0].closes_on.isoformat()))
    version.status, version.retired_at = RETIRED, utcnow()
    audit.record("version.retire", actor_id=actor_id, target_type="questionnaire_version", target_id=version.id,
                 details={"number": version.number})


def rounds_using(version: QuestionnaireVersion) -> list[Round]:
    """Rounds not closed yet (open or planned) whose people answer ``version``."""
    return list(db.session.scalars(select(Round).where(Round.version_id == version.id, Round.closed_at.is_(None),
                                                       Round.closes_on >= office_today())))


def current_published(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    return db.session.scalar(select(QuestionnaireVersion)
                             .where(QuestionnaireVersion.questionnaire_id == questionnaire.id,
                                    QuestionnaireVersion.status == PUBLISHED)
                             .order_by(QuestionnaireVersion.number.desc()).limit(1))


@dataclass
class RetireConsequence:
    """What retiring a version does: shown on its confirmation page."""
    only_published: bool  # no new assessment can start on the questionnaire afterwards
    in_progress: int  # assessments started on this version and not submitted yet
    submitted: int
    rounds: list[Round]  # open or planned rounds on it: retiring is refused while there are any


def retire_consequence(version: QuestionnaireVersion) -> RetireConsequence:
    others = db.session.scalar(select(func.count(QuestionnaireVersion.id))
                               .where(QuestionnaireVersion.questionnaire_id == version.questionnaire_id,
                                      QuestionnaireVersion.status == PUBLISHED,
                                      QuestionnaireVersion.id != version.id)) or 0
    by_status = dict(db.session.execute(select(Assessment.status, func.count(Assessment.id))
                                        .where(Assessment.version_id == version.id)
                                        .group_by(Assessment.status)).all())
    return RetireConsequence(only_published=others == 0,
                             in_progress=by_status.get(AssessmentStatus.IN_PROGRESS.value, 0),
                             submitted=by_status.get(AssessmentStatus.SUBMITTED.value, 0),
                             rounds=rounds_using(version))


def newer_published(version: QuestionnaireVersion) -> QuestionnaireVersion | None:
    """A published version of the same questionnaire with a higher number, if any."""
    return db.session.scalar(select(QuestionnaireVersion)
                             .where(QuestionnaireVersion.questionnaire_id == version.questionnaire_id,
                                    QuestionnaireVersion.status == PUBLISHED,
                                    QuestionnaireVersion.number > (version.number or 0))
                             .order_by(QuestionnaireVersion.number.desc()).limit(1))


def may_unretire(version: QuestionnaireVersion) -> bool:
    return version.status == RETIRED and newer_published(version) is None


def unretire(version: QuestionnaireVersion, *, actor_id: int) -> None:
    """Publish a retired version again: new assessments may start on it. Only while no newer
    version of its questionnaire is published (else people would get the older one by mistake)."""
    if version.status != RETIRED:
        raise ServiceError(_l("Only a retired version can be published again."))
    newer = newer_published(version)
    if newer is not None:
        raise ServiceError(_l("Version %(newer)d of this questionnaire is published; an older version cannot be "
                              "published again next to it.", newer=newer.number))
    version.status, version.retired_at = PUBLISHED, None
    audit.record("version.unretire", actor_id=actor_id, target_type="questionnaire_version", target_id=version.id,
                 details={"number": version.number})


def draft_base(draft: QuestionnaireVersion) -> QuestionnaireVersion | None:
    """The version a draft was made from (its "draft.create" audit row says), else the
    questionnaire's current published version; None for a draft uploaded as a new questionnaire."""
    origin = db.session.scalar(select(AuditEvent.details).where(
        AuditEvent.action == "draft.create", AuditEvent.target_type == "questionnaire_version",
        AuditEvent.target_id == str(draft.id)).order_by(AuditEvent.id.desc()).limit(1)) or {}  # ids may come round
    word, _, number = str(origin.get("from", "")).partition(" ")
    if word == "version" and number.isdigit():
        base = db.session.scalar(select(QuestionnaireVersion).where(
            QuestionnaireVersion.questionnaire_id == draft.questionnaire_id,
            QuestionnaireVersion.number == int(number)))
        if base is not None:
            return base
    return current_published(draft.questionnaire)


@dataclass
class DraftLoss:
    """What deleting a draft loses: shown on its confirmation page."""
    base: QuestionnaireVersion | None
    changes: int | None  # changes against the base; None when they cannot be counted (draft invalid)
    unchanged: bool  # the text is the base's text: nothing is lost


def draft_loss(draft: QuestionnaireVersion, *, max_bytes: int) -> DraftLoss:
    base = draft_base(draft)
    if base is None:
        return DraftLoss(None, None, False)
    if base.source == draft.source:
        return DraftLoss(base, 0, True)
    try:
        changes = len(diff(engine.load(base.source, max_bytes=max_bytes),
                           engine.load(draft.source, max_bytes=max_bytes)))
    except engine.QuestionnaireInvalid:
        changes = None
    return DraftLoss(base, changes, False)


def delete_draft(draft: QuestionnaireVersion, *, actor_id: int) -> None:
    """Delete a draft (never a published or retired version). Its questionnaire stays."""
    require_draft(draft)
    details = {"questionnaire": draft.questionnaire.slug, "title": draft.title, "checksum": draft.checksum}
    audit.record("draft.delete", actor_id=actor_id, target_type="questionnaire_version", target_id=draft.id,
                 details=details)
    db.session.delete(draft)
    db.session.flush()
