"""What the unit dashboard and the unit report (AKPK) are drawn from: plain values, no ORM object
and no database access. ``services.unit_reports.summarise`` fills a ``UnitSummary``; the page,
the PDF and the exports read the same one, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from ..engine.questionnaire import Questionnaire
from .figures import position_name


class UnitLike(Protocol):
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str
    depth: int = 0

    @classmethod
    def of(cls, unit: Any) -> "UnitRef":
        return cls(unit.id, unit.code, unit.name, getattr(unit, "depth", 0))


@dataclass(frozen=True)
class VersionRef:
    id: int
    number: int | None
    title: str

    @classmethod
    def of(cls, version: Any) -> "VersionRef":
        return cls(version.id, version.number, version.title or "")


@dataclass(frozen=True)
class RoundRef:
    id: int
    name: str
    opens_on: date
    closes_on: date
    closed: bool

    @classmethod
    def of(cls, round_: Any, closed: bool) -> "RoundRef":
        return cls(round_.id, round_.name, round_.opens_on, round_.closes_on, closed)


@dataclass(frozen=True)
class Scope:
    """The filters a summary was made for, as plain values; ``round`` None: the assessments made
    outside any round."""

    unit: UnitRef
    position: str | None = None
    version_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    round: RoundRef | None = None


@dataclass
class Participation:
    unit: UnitLike
    registered: int = 0
    started: int = 0
    submitted: int = 0
    submitted_pppk: int = 0  # of ``submitted``, those who submitted as PPPK; the others are PNS

    @property
    def share_submitted(self) -> float:
        return self.submitted / self.registered if self.registered else 0.0


@dataclass(frozen=True)
class RoundFigures:
    """One domain in one round: ``assessed`` people with a level in it, ``below`` of them under
    the target of their position, ``levels`` (level, people) from level 1 up to the reference
    model's top level, and ``unassessed`` people without a level (too few answers)."""

    assessed: int
    below: int
    levels: tuple[tuple[int, int], ...] = ()
    unassessed: int = 0

    @property
    def share_below(self) -> float | None:
        return self.below / self.assessed if self.assessed else None


@dataclass(frozen=True)
class GapChange:
    """People assessed in the domain in both rounds (``both``); of them, ``had_gap`` were below
    target in the previous round, and of those ``closed`` are at target now, ``narrowed`` are
    still below it by fewer levels and ``unchanged_or_wider`` are as far below it, or further.
    ``closed + narrowed + unchanged_or_wider == had_gap``. Of ``had_gap``, ``trained`` completed
    a module of the domain (as HR recorded it) between the previous round's opening and the
    current round's closing, and ``trained_closed`` of them closed their gap."""

    both: int = 0
    had_gap: int = 0
    closed: int = 0
    narrowed: int = 0
    unchanged_or_wider: int = 0
    trained: int = 0
    trained_closed: int = 0

    @property
    def untrained(self) -> int:
        return self.had_gap - self.trained

    @property
    def untrained_closed(self) -> int:
        return self.closed - self.trained_closed


@dataclass(frozen=True)
class DomainTrend:
    domain_id: str
    previous: RoundFigures
    current: RoundFigures
    gaps: GapChange = GapChange()


@dataclass(frozen=True)
class Trend:
    """The summary's round against the round before it, for the same unit and position: the
    domains of the reference model that have results in both rounds, in the model's order."""

    previous: RoundRef
    current: RoundRef
    domains: tuple[DomainTrend, ...] = ()


@dataclass
class UnitSummary:
    filters: Scope
    model: Questionnaire | None
    total: Participation
    sub_units: list[Participation]
    levels: dict = field(default_factory=dict)
    below: dict = field(default_factory=dict)
    heat: dict = field(default_factory=dict)  # (position id, domain id) -> (below target, assessed)
    needs: tuple = ()  # every year of the personal plans together
    #: Plan year (1 = the coming year, within each person's yearly entitlement) → its needs.
    needs_by_year: dict = field(default_factory=dict)
    versions: list[VersionRef] = field(default_factory=list)
    #: The round compared with the previous one; None without a round or a round before it.
    trend: Trend | None = None

    @property
    def assessed(self) -> int:
        return self.total.submitted

    @property
    def assessed_pppk(self) -> int:
        """People assessed as PPPK (at most PPPK_MAX_JP a year each)."""
        return min(self.total.submitted_pppk, self.assessed)

    @property
    def assessed_pns(self) -> int:
        """People assessed as PNS (at least PNS_MIN_JP a year each): everyone else assessed."""
        return self.assessed - self.assessed_pppk

    @property
    def total_jp(self) -> int:
        return sum(need.total_jp for need in self.needs)

    def heat_positions(self, lang: str) -> list[tuple[str | None, str]]:
        """The heat map's rows, for the page and the PDF alike: the positions with results, those
        of the model in its order, then any others (a position no longer in the questionnaire,
        people without a position)."""
        seen = {position for position, _domain in self.heat}
        model_positions = self.model.positions if self.model else ()
        known = [(p.id, p.name.get(lang)) for p in model_positions if p.id in seen]
        ids = {p for p, _name in known}
        others = sorted((p for p in seen if p not in ids), key=lambda p: (p is None, p or ""))
        return known + [(p, position_name(self.model, p, lang)) for p in others]
