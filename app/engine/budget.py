"""What a unit's development needs cost, and what a budget ceiling covers.

Each mode of development has a route as Peraturan LAN No. 10 Tahun 2018 names them (classical:
training in a class; non-classical: coaching, mentoring, e-learning, self-development), a cost per
participant or per class, and a class size only when it is run in classes: classes are counted
for those modes alone.

A ceiling is spent on the needs in their priority order: a need is funded whole when it fits;
otherwise as many whole classes (or participants, for a cost per participant) as the rest of the
money pays for, and the next needs are still tried with what remains, so a small module further
down is not left out for a large one above it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Mapping, Sequence

CLASSICAL, NON_CLASSICAL = "classical", "non-classical"
ROUTES = (CLASSICAL, NON_CLASSICAL)
PER_PARTICIPANT, PER_CLASS = "participant", "class"
COST_BASES = (PER_PARTICIPANT, PER_CLASS)


@dataclass(frozen=True)
class ModeSpec:
    mode: str
    route: str
    cost_per: str
    amount: int  # rupiah per participant or per class
    class_size: int | None  # None: the mode is not run in classes

    @property
    def has_classes(self) -> bool:
        return self.class_size is not None


#: Used for a mode the questionnaire's catalogue does not price (demo-scale rupiah figures).
DEFAULT_MODES: dict[str, ModeSpec] = {
    "classroom": ModeSpec("classroom", CLASSICAL, PER_CLASS, 45_000_000, 30),
    "coaching": ModeSpec("coaching", NON_CLASSICAL, PER_CLASS, 6_000_000, 5),
    "mentoring": ModeSpec("mentoring", NON_CLASSICAL, PER_PARTICIPANT, 1_500_000, None),
    "e-learning": ModeSpec("e-learning", NON_CLASSICAL, PER_PARTICIPANT, 250_000, None),
    "self-study": ModeSpec("self-study", NON_CLASSICAL, PER_PARTICIPANT, 0, None),
}


def specs(catalogue: Mapping[str, ModeSpec], overrides: Mapping[str, ModeSpec]) -> dict[str, ModeSpec]:
    """The modes in effect: the defaults, then the questionnaire catalogue's, then a unit's own."""
    return {**DEFAULT_MODES, **catalogue, **overrides}


def spec_for(mode: str, modes: Mapping[str, ModeSpec]) -> ModeSpec:
    """A mode nobody priced is non-classical, free and without classes, rather than an error."""
    return modes.get(mode) or ModeSpec(mode, NON_CLASSICAL, PER_PARTICIPANT, 0, None)


@dataclass(frozen=True)
class Need:
    """A module needed by ``people`` in the plan's year."""

    module_id: str
    domain_id: str
    mode: str
    jp: int
    people: int


def classes(people: int, spec: ModeSpec) -> int | None:
    """Classes of at most ``class_size`` for ``people``; None for a mode without classes."""
    if not spec.has_classes or people <= 0:
        return None if not spec.has_classes else 0
    return -(-people // spec.class_size)


def cost(people: int, spec: ModeSpec) -> int:
    if spec.cost_per == PER_CLASS:
        return (classes(people, spec) or 0) * spec.amount if spec.has_classes else people * spec.amount
    return people * spec.amount


def _affordable(people: int, spec: ModeSpec, money: int) -> int:
    """The most of ``people`` whose cost fits ``money`` (whole classes for a cost per class)."""
    if cost(people, spec) <= money:
        return people
    if spec.amount <= 0:
        return people
    if money <= 0:
        return 0
    if spec.cost_per == PER_CLASS and spec.has_classes:
        return min(people, (money // spec.amount) * spec.class_size)
    return min(people, money // spec.amount)


@dataclass(frozen=True)
class Line:
    """A need with its mode, cost and funding (``funded_*`` equal the whole when no ceiling)."""

    need: Need
    spec: ModeSpec
    classes: int | None
    cost: int
    funded_people: int
    funded_cost: int

    @property
    def unfunded_people(self) -> int:
        return self.need.people - self.funded_people

    @property
    def unfunded_cost(self) -> int:
        return self.cost - self.funded_cost

    @property
    def funded(self) -> str:
        """``"whole"``, ``"part"`` or ``"none"``."""
        if self.funded_people >= self.need.people:
            return "whole"
        return "part" if self.funded_people else "none"


@dataclass(frozen=True)
class Budget:
    lines: tuple[Line, ...]
    ceiling: int | None

    @property
    def total(self) -> int:
        return sum(line.cost for line in self.lines)

    @property
    def funded(self) -> int:
        return sum(line.funded_cost for line in self.lines)

    @property
    def unfunded(self) -> int:
        return self.total - self.funded

    @property
    def remaining(self) -> int | None:
        """Money of the ceiling left over; None without a ceiling."""
        return None if self.ceiling is None else self.ceiling - self.funded


def costed(needs: Iterable[Need], modes: Mapping[str, ModeSpec]) -> list[Line]:
    lines = []
    for need in needs:
        spec = spec_for(need.mode, modes)
        amount = cost(need.people, spec)
        lines.append(Line(need, spec, classes(need.people, spec), amount, need.people, amount))
    return lines


def fund(needs: Sequence[Need], modes: Mapping[str, ModeSpec], ceiling: int | None) -> Budget:
    """The needs in their given (priority) order, costed, and funded from ``ceiling``."""
    lines = costed(needs, modes)
    if ceiling is None:
        return Budget(tuple(lines), None)
    if ceiling < 0:
        raise ValueError(f"a budget ceiling is not negative: {ceiling}")
    money = ceiling
    funded = []
    for line in lines:
        people = _affordable(line.need.people, line.spec, money)
        spent = cost(people, line.spec)
        money -= spent
        funded.append(replace(line, funded_people=people, funded_cost=spent))
    return Budget(tuple(funded), ceiling)
