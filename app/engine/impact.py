"""The impact preview of a draft (see "Kalibrasi" / "Calibration" in questionnaires/README.md):
``rescore`` scores answers stored on a published version with the draft's rules — only answers to
items the draft has, and accepts as they are, count; an item the draft changed is scored by the
draft's rules — and ``impact`` compares each person's stored outcome with the draft's, per domain
(level up / down / unchanged, newly or no longer assessed, gap larger / smaller, people below
target) and per unit (people whose level or gap changes in some domain, the plans' JP before and
after). Plain values in, plain values out; nothing is stored."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from .answers import AnswerInvalid, check_answer
from .model import Questionnaire, UnknownItem, UnknownPosition
from .training import Result, assess


@dataclass(frozen=True)
class Outcome:
    """One person's result as compared: level and gap per domain (None: not assessed), plan JP."""

    levels: Mapping[str, int | None]
    gaps: Mapping[str, int | None]
    total_jp: int


def outcome_of(result: Result) -> Outcome:
    gaps = {g.domain_id: g.gap for g in result.gaps}
    return Outcome({d.domain_id: d.level for d in result.scores.domains},
                   {d.domain_id: gaps.get(d.domain_id) for d in result.scores.domains}, result.plan.total_jp)


def rescore(q: Questionnaire, answers: Mapping[str, Any], position_id: str) -> tuple[Result | None, int]:
    """The draft ``q``'s result for answers stored on another version, and how many answers did
    not count (to an item ``q`` has, but in a form it no longer accepts, e.g. a removed option).
    Answers to items ``q`` does not have are left out silently. The result is None when ``q`` has
    no position ``position_id``."""
    clean: dict[str, Any] = {}
    refused = 0
    for item_id, value in answers.items():
        try:
            item = q.item(item_id)
        except UnknownItem:
            continue
        try:
            checked = check_answer(item, value)
        except AnswerInvalid:
            refused += 1
            continue
        if checked is not None:
            clean[item_id] = checked
    try:
        return assess(q, clean, position_id), refused
    except UnknownPosition:
        return None, refused


@dataclass
class DomainImpact:
    """People whose level in the domain goes up, down or stays; ``gained``: assessed only with
    the draft, ``lost``: only before; gaps compared where both sides have one; ``below_*``: people
    with a gap (below target) before and after."""

    domain_id: str
    up: int = 0
    down: int = 0
    same: int = 0
    gained: int = 0
    lost: int = 0
    gap_up: int = 0
    gap_down: int = 0
    gap_same: int = 0
    below_before: int = 0
    below_after: int = 0

    @property
    def changed(self) -> int:
        return self.up + self.down + self.gained + self.lost


@dataclass
class UnitImpact:
    unit_id: int
    people: int = 0
    level_changed: int = 0  # people whose level changes in at least one domain
    gap_changed: int = 0
    jp_before: int = 0
    jp_after: int = 0

    @property
    def jp_change(self) -> int:
        return self.jp_after - self.jp_before


@dataclass
class Impact:
    people: int = 0  # compared
    no_position: int = 0  # left out: the draft has no longer their position
    domains: list[DomainImpact] = field(default_factory=list)
    units: list[UnitImpact] = field(default_factory=list)

    @property
    def jp_before(self) -> int:
        return sum(u.jp_before for u in self.units)

    @property
    def jp_after(self) -> int:
        return sum(u.jp_after for u in self.units)

    @property
    def level_changed(self) -> int:
        return sum(u.level_changed for u in self.units)


def impact(rows: Iterable[tuple[int, Outcome, Outcome | None]], domain_ids: Sequence[str]) -> Impact:
    """Compare (unit id, stored outcome, the draft's outcome or None) per domain of ``domain_ids``
    and per unit (units in the order they first appear)."""
    out = Impact(domains=[DomainImpact(d) for d in domain_ids])
    units: dict[int, UnitImpact] = {}
    for unit_id, before, after in rows:
        if after is None:
            out.no_position += 1
            continue
        out.people += 1
        unit = units.setdefault(unit_id, UnitImpact(unit_id))
        unit.people += 1
        unit.jp_before += before.total_jp
        unit.jp_after += after.total_jp
        level_changed = gap_changed = False
        for d in out.domains:
            old, new = before.levels.get(d.domain_id), after.levels.get(d.domain_id)
            old_gap, new_gap = before.gaps.get(d.domain_id), after.gaps.get(d.domain_id)
            d.below_before += bool(old_gap)
            d.below_after += bool(new_gap)
            if old is None and new is None:
                continue
            if old is None or new is None:
                d.gained += old is None
                d.lost += new is None
                level_changed = gap_changed = True
                continue
            d.up += new > old
            d.down += new < old
            d.same += new == old
            level_changed |= new != old
            if old_gap is not None and new_gap is not None:
                d.gap_up += new_gap > old_gap
                d.gap_down += new_gap < old_gap
                d.gap_same += new_gap == old_gap
                gap_changed |= new_gap != old_gap
        unit.level_changed += level_changed
        unit.gap_changed += gap_changed
    out.units = list(units.values())
    return out
