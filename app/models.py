"""Database tables.

Times are stored as naive UTC (`utcnow`) so SQLite and PostgreSQL return the same values.
Results of a submitted assessment are stored as rows (`DomainResult`, `PlanEntry`) so that unit
reports are grouped SQL queries instead of Python loops over people.
"""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime, timezone
from typing import Any, Optional

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Role(str, enum.Enum):
    RESPONDENT = "respondent"
    HR = "hr"
    TRAINER = "trainer"
    ADMIN = "admin"
    #: The official who sets a unit's development plan: the PPK, or the official it delegates to.
    APPROVER = "approver"


ROLE_ORDER = (Role.ADMIN, Role.APPROVER, Role.HR, Role.TRAINER, Role.RESPONDENT)


class EmploymentType(str, enum.Enum):
    """A civil servant is a PNS (entitled to at least 20 JP of competency development a year) or
    a PPPK, on a work agreement (at most 24 JP a year, PP No. 49 Tahun 2018)."""

    PNS = "pns"
    PPPK = "pppk"


class Unit(db.Model):
    """An organisational unit. `path` is the materialised chain of ids ("/1/4/9/") so that
    "this unit and everything below it" is one prefix match."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(String(512), default="/", index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    parent: Mapped[Optional["Unit"]] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.name")

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # Participation counts the active people of a subtree (and position) from this index alone.
    __table_args__ = (Index("ix_users_registered", "unit_id", "active", "position_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    position_id: Mapped[Optional[str]] = mapped_column(String(64))
    employment_type: Mapped[str] = mapped_column(String(8), default=EmploymentType.PNS.value,
                                                 server_default=EmploymentType.PNS.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[Optional[str]] = mapped_column(String(255))
    language: Mapped[Optional[str]] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(DateTime)

    unit: Mapped[Unit] = relationship(lazy="joined")
    role_rows: Mapped[list["UserRole"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UserRole.role"
    )

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def set_roles(self, roles: set[str]) -> None:
        keep = [row for row in self.role_rows if row.role in roles]
        have = {row.role for row in keep}
        self.role_rows = keep + [UserRole(role=r) for r in sorted(roles - have)]

    def has_role(self, role: Role | str) -> bool:
        return str(getattr(role, "value", role)) in self.roles

    #: The server-side login session this object was loaded for (set by the session loader).
    login_session_id = None

    def get_id(self) -> str:
        """Flask-Login keeps this in the cookie: the id of a server-side `LoginSession`, so that a
        session can be ended (logout, deactivation, role change) even if the cookie is replayed."""
        return self.login_session_id or ""

    @property
    def is_active(self) -> bool:
        return bool(self.active)


class LoginSession(db.Model):
    """One sign-in. Ending it (or all of a person's) makes their cookies worthless at once."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_token)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[Optional[datetime]] = mapped_column(DateTime)


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class Invitation(db.Model):
    """A one-time link to set a password. The link is a signed (id, nonce) pair; the nonce is
    stored so HR can download pending links again, and it is useless without the SECRET_KEY."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    nonce: Mapped[str] = mapped_column(String(64), default=new_token)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    opened_at: Mapped[Optional[datetime]] = mapped_column(DateTime)  # first opened; the nonce changed then
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def pending(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > utcnow()


class Questionnaire(db.Model):
    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    versions: Mapped[list["QuestionnaireVersion"]] = relationship(
        back_populates="questionnaire", order_by="QuestionnaireVersion.id"
    )


class VersionStatus(str, enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class QuestionnaireVersion(db.Model):
    """A questionnaire's source text. Drafts have no number; publishing assigns N+1 and freezes
    the row. `lock_version` makes a concurrent save of the same draft fail instead of overwrite."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    number: Mapped[Optional[int]] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=VersionStatus.DRAFT.value)
    title: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(Text, deferred=True)  # read only when a model is not parsed yet
    checksum: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    published_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    retired_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="versions")
    published_by: Mapped[Optional[User]] = relationship(foreign_keys=[published_by_id])

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT.value

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED.value


class Round(db.Model):
    """An assessment round (*putaran*, such as "AKPK 2027"): the people of a unit and every unit
    below it answer one questionnaire version between two dates, at most once each.

    A round is open from ``opens_on`` to ``closes_on`` (dates in the office's time zone, both
    included) until it is closed; closing sets ``closed_at`` and freezes its data set: nobody
    starts, answers or submits in it any more. ``before_rounds`` marks the round the migration
    made for the assessments submitted before rounds existed."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    closed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    before_rounds: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    unit: Mapped[Unit] = relationship(lazy="joined")
    version: Mapped["QuestionnaireVersion"] = relationship()


class AssessmentStatus(str, enum.Enum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class Assessment(db.Model):
    """One sitting of the questionnaire. Unit and position are copied at the start, and the
    employment type at submit (the one the plan was compared with), so that later moves or
    changes of the person do not rewrite history."""

    __tablename__ = "assessments"
    # Unit figures select the latest submitted assessments of a subtree: the reporting index lets
    # a unit's queries read only that unit's rows instead of every latest assessment of the
    # province (its last column, the id, spares PostgreSQL reading the rows). Participation
    # counts who started and who submitted (and who of them as PPPK) from the activity index alone.
    __table_args__ = (
        Index("ix_assessments_reporting", "latest", "status", "round_id", "unit_id", "position_id", "version_id",
              "id"),
        Index("ix_assessments_activity", "unit_id", "user_id", "status", "submitted_at", "updated_at",
              "employment_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"), index=True)
    #: The round it was made in; null for a self-assessment outside any round.
    round_id: Mapped[Optional[int]] = mapped_column(ForeignKey("rounds.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    position_id: Mapped[str] = mapped_column(String(64))
    #: The position the person aims for, if they named one: the result also shows gaps against it.
    target_position_id: Mapped[Optional[str]] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=AssessmentStatus.IN_PROGRESS.value, index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submitted_at: Mapped[Optional[datetime]] = mapped_column(DateTime, index=True)
    consent_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    result: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    total_jp: Mapped[Optional[int]] = mapped_column(Integer)
    #: The person's employment type when submitting ("pns" or "pppk"); null while in progress.
    employment_type: Mapped[Optional[str]] = mapped_column(String(8))
    #: True on each person's most recent submitted assessment of its round (of those outside any
    #: round, for a self-assessment): a round's figures count each person once.
    latest: Mapped[bool] = mapped_column(Boolean, default=False, index=True)

    user: Mapped[Optional[User]] = relationship()
    version: Mapped[QuestionnaireVersion] = relationship()
    unit: Mapped[Unit] = relationship()
    round: Mapped[Optional[Round]] = relationship()

    @property
    def is_submitted(self) -> bool:
        return self.status == AssessmentStatus.SUBMITTED.value


class PendingAnswers(db.Model):
    """Answers posted after the session had expired, kept until the person signs in again.

    They are never saved on their own: the person sees them filled in and saves them, so a
    forged cross-site post cannot change anybody's answers."""

    __tablename__ = "pending_answers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_token)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    domain_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DomainResult(db.Model):
    """A submitted assessment's outcome in one domain; `level`, `score` and `gap` are null when
    the domain had too few answers to be assessed."""

    __tablename__ = "domain_results"
    # Unit figures count people per domain, position, level and gap of the units in a subtree.
    # The figures index holds those rows unit by unit, each unit's already in the order of the
    # groups: the database reads the units' ranges and sorts nothing, and never reads the rows.
    __table_args__ = (UniqueConstraint("assessment_id", "domain_id"),
                      Index("ix_domain_results_figures", "unit_id", "domain_id", "position_id", "level", "gap",
                            "assessment_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    domain_id: Mapped[str] = mapped_column(String(64))
    #: The assessment's unit and position, copied when the result is stored (an assessment keeps
    #: both for good), so that unit figures are counted from this table's index alone.
    unit_id: Mapped[int] = mapped_column(Integer)
    position_id: Mapped[str] = mapped_column(String(64))
    score: Mapped[Optional[float]] = mapped_column(Float)
    level: Mapped[Optional[int]] = mapped_column(Integer)
    target: Mapped[int] = mapped_column(Integer)
    gap: Mapped[Optional[int]] = mapped_column(Integer)


class PlanEntry(db.Model):
    """A training module in a submitted assessment's plan."""

    __tablename__ = "plan_entries"
    # Module headcounts read the units' ranges of this index, in module order (see DomainResult).
    __table_args__ = (UniqueConstraint("assessment_id", "module_id"),
                      Index("ix_plan_entries_headcounts", "unit_id", "module_id", "year", "assessment_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(64))
    #: The assessment's unit, copied when the result is stored.
    unit_id: Mapped[int] = mapped_column(Integer)
    domain_id: Mapped[str] = mapped_column(String(64))
    jp: Mapped[int] = mapped_column(Integer)
    #: The module's place in the plan, 0 first (the priority order); "position" means a jabatan.
    rank: Mapped[int] = mapped_column(Integer)
    #: The plan year it is scheduled in, 1 first: year 1 fits the person's yearly entitlement.
    year: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class ModeCost(db.Model):
    """An HR office's own cost (and class size) for a development mode in its unit and below,
    overriding the questionnaire catalogue's; ``cost_per`` is "participant" or "class"."""

    __tablename__ = "mode_costs"
    __table_args__ = (UniqueConstraint("unit_id", "mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    mode: Mapped[str] = mapped_column(String(32))
    cost_per: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)  # rupiah
    class_size: Mapped[Optional[int]] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PlanStatus(str, enum.Enum):
    DRAFT = "draft"
    SET = "set"


class UnitPlan(db.Model):
    """A unit's competency-development plan (the AKPK) for a round: a draft until an approver
    sets it (PP 11/2017 art. 207: drawn up by the PyB, set by the PPK). A set plan never changes:
    its figures are frozen in ``snapshot``; a revision is a new plan that ``replaces`` it."""

    __tablename__ = "unit_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), default=PlanStatus.DRAFT.value)
    budget_ceiling: Mapped[Optional[int]] = mapped_column(BigInteger)  # rupiah for the plan's year
    replaces_id: Mapped[Optional[int]] = mapped_column(ForeignKey("unit_plans.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    set_on: Mapped[Optional[date]] = mapped_column(Date)  # the date printed above the signature
    set_place: Mapped[Optional[str]] = mapped_column(String(100))
    approver_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approver_name: Mapped[Optional[str]] = mapped_column(String(200))
    approver_nip: Mapped[Optional[str]] = mapped_column(String(18))
    approver_position: Mapped[Optional[str]] = mapped_column(String(200))
    #: The plan's figures when it was set (modules, people, JP, costs, funding), as plain values.
    snapshot: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)

    round: Mapped[Round] = relationship()
    unit: Mapped[Unit] = relationship()
    modules: Mapped[list["UnitPlanModule"]] = relationship(cascade="all, delete-orphan",
                                                           order_by="UnitPlanModule.module_id")

    @property
    def is_set(self) -> bool:
        return self.status == PlanStatus.SET.value


class UnitPlanModule(db.Model):
    """HR's choices for one module in a unit plan: the planned quarter and the provider."""

    __tablename__ = "unit_plan_modules"
    __table_args__ = (UniqueConstraint("plan_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("unit_plans.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(64))
    quarter: Mapped[Optional[int]] = mapped_column(Integer)  # 1–4 of the plan's year
    provider: Mapped[Optional[str]] = mapped_column(String(200))  # empty: the catalogue's


class Realisation(db.Model):
    """Competency development a person completed (recorded by HR): the module, when, JP, who ran it."""

    __tablename__ = "realisations"
    __table_args__ = (Index("ix_realisations_person_module", "user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(64))
    completed_on: Mapped[date] = mapped_column(Date)
    jp: Mapped[int] = mapped_column(Integer)
    provider: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class CorrectionRequest(db.Model):
    """A person's request to correct their profile (right of correction, UU 27/2022); HR acts on it."""

    __tablename__ = "correction_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    resolved_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class AuditEvent(db.Model):
    """Who did what to which object. Holds no secrets and no answers."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[Optional[str]] = mapped_column(String(32))
    target_id: Mapped[Optional[str]] = mapped_column(String(64))
    details: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    ip: Mapped[Optional[str]] = mapped_column(String(64))

    actor: Mapped[Optional[User]] = relationship()
