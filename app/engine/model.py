"""The questionnaire model: frozen plain data, built only from a validated document.

Every object here is immutable and hashable, so a loaded questionnaire can be cached and shared
between requests and threads without copying.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

ITEM_TYPES = ("rating", "choice", "multi", "text")
SCORED_TYPES = ("rating", "choice", "multi")
CAPPABLE_TYPES = ("choice", "multi")
SCENARIO_TYPES = CAPPABLE_TYPES  # the items that check a self-rating under the anchored model
COMBINE_METHODS = ("weighted_mean",)
# How a domain's level is decided (``scoring.model``, see questionnaires/README.md):
# ``anchored``: the self-rated level (the rounded weighted mean of the rating answers, anchor k
# describing the behaviour of level k), lowered by the scenario check and capped;
# ``thresholds``: the earlier rule, 1 + the thresholds the 0–100 domain score reaches. A file that
# does not name a model was written for ``thresholds``, so it keeps scoring as it did.
ANCHORED, THRESHOLDS = "anchored", "thresholds"
SCORING_MODELS = (ANCHORED, THRESHOLDS)
DEFAULT_MODEL = THRESHOLDS
HALF_DOWN, DOWN = "half_down", "down"
ROUNDINGS = (HALF_DOWN, DOWN)
DEFAULT_ROUNDING = HALF_DOWN
MODES = ("classroom", "e-learning", "coaching", "mentoring", "self-study")
LANGUAGES = ("id", "en")

DEFAULT_MIN_ANSWERED = 0.5
DEFAULT_CAP_BELOW = 0.5
DEFAULT_CHECK_BELOW, DEFAULT_CHECK_LOWER_BY = 0.5, 1  # the check when a file writes none
DEFAULT_WEIGHT = 1
DEFAULT_MAX_LENGTH = 2000
# The answer "not applicable to my work" to a rating item that offers it (``not_applicable: true``):
# answered, but left out of every score (see "Butir yang sesuai dengan orangnya" in the README).
NOT_APPLICABLE = "na"


class UnknownId(KeyError):
    """An id that the questionnaire does not have. ``str()`` is a readable sentence."""

    kind = "id"

    def __init__(self, value: str):
        super().__init__(value)
        self.value = value

    def __str__(self) -> str:
        return f"unknown {self.kind}: {self.value!r}"


class UnknownDomain(UnknownId):
    kind = "domain"


class UnknownItem(UnknownId):
    kind = "item"


class UnknownPosition(UnknownId):
    kind = "position"


class UnknownModule(UnknownId):
    kind = "module"


class FrozenMap(Mapping):
    """An immutable, hashable mapping that keeps insertion order (used for targets/importance)."""

    __slots__ = ("_data",)

    def __init__(self, pairs: Mapping | Iterable[tuple[Any, Any]] = ()):
        object.__setattr__(self, "_data", dict(pairs))

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("FrozenMap is immutable")

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


@dataclass(frozen=True)
class Text:
    """A bilingual text: ``id`` is Indonesian (the default language), ``en`` English."""

    id: str
    en: str

    def get(self, lang: str = "id") -> str:
        return self.en if lang == "en" else self.id

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True)
class Level:
    level: int
    name: Text
    descriptor: Text


@dataclass(frozen=True)
class DomainLevel:
    descriptor: Text
    example: Text


@dataclass(frozen=True)
class Option:
    id: str
    text: Text
    score: float


@dataclass(frozen=True)
class Item:
    """``positions``: the positions the item is shown to and scored for (empty: everyone);
    ``not_applicable``: a rating item that offers the answer NOT_APPLICABLE; ``unscored``: a rating
    item written ``scored: false`` (an "about your unit" question), answered but never scored."""

    id: str
    domain_id: str
    type: str
    text: Text
    weight: float = DEFAULT_WEIGHT
    required: bool = True
    anchors: tuple[Text, ...] = ()
    options: tuple[Option, ...] = ()
    max_length: int = DEFAULT_MAX_LENGTH
    positions: tuple[str, ...] = ()
    not_applicable: bool = False
    unscored: bool = False

    @property
    def scored(self) -> bool:
        return self.type != "text" and not self.unscored

    def applies_to(self, position_id: str | None) -> bool:
        """Whether the item is shown to and scored for the position (None: every position, as in
        the trainer's preview and the item statistics)."""
        return position_id is None or not self.positions or position_id in self.positions

    @property
    def points(self) -> int:
        """Number of points of a rating item (one per anchor)."""
        return len(self.anchors)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def accepted_values(self) -> list[int | str] | list[str] | int:
        """What an answer may be: rating → [1..K] (and NOT_APPLICABLE when offered); choice/multi
        → option ids; text → max length."""
        if self.type == "rating":
            points: list = list(range(1, self.points + 1))
            return points + [NOT_APPLICABLE] if self.not_applicable else points
        if self.type in CAPPABLE_TYPES:
            return [o.id for o in self.options]
        return self.max_length


@dataclass(frozen=True)
class Domain:
    id: str
    name: Text
    description: Text
    levels: tuple[DomainLevel, ...]
    items: tuple[Item, ...]

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.scored)

    @property
    def rating_items(self) -> tuple[Item, ...]:
        """The self-ratings: under the anchored model, their mean is the self-rated level (an
        unscored "about your unit" rating is not one)."""
        return tuple(i for i in self.items if i.type == "rating" and i.scored)

    @property
    def scenario_items(self) -> tuple[Item, ...]:
        """The scenarios (choice and multi): under the anchored model, they check the self-rating."""
        return tuple(i for i in self.items if i.type in SCENARIO_TYPES)

    def scored_items_for(self, position_id: str | None) -> tuple[Item, ...]:
        """The scored items that count for the position (None: all of them)."""
        return tuple(i for i in self.scored_items if i.applies_to(position_id))

    def for_position(self, position_id: str | None) -> "Domain":
        """The domain as a person in the position sees it: only the items for that position."""
        if all(i.applies_to(position_id) for i in self.items):
            return self
        return replace(self, items=tuple(i for i in self.items if i.applies_to(position_id)))


@dataclass(frozen=True)
class Cap:
    """At most ``max_level`` when the item's score is below ``below`` (``thresholds`` model) or
    at or below it (``anchored`` model)."""

    item_id: str
    below: float
    max_level: int
    reason: Text | None = None


@dataclass(frozen=True)
class ScenarioCheck:
    """A tier of the anchored model's scenario check: when the domain's scenario score (0..1) is
    at or below ``below``, the self-rated level is lowered by ``lower_by`` (never below 1)."""

    below: float
    lower_by: int

    def __str__(self) -> str:  # how a change of the tiers is quoted to a trainer
        return f"≤ {self.below}: −{self.lower_by}"


@dataclass(frozen=True)
class Scoring:
    """The scoring rules. ``thresholds`` is used (and only written) under the ``thresholds``
    model; ``rounding`` and ``scenario_check`` only under ``anchored`` (None and () otherwise).
    The tiers of ``scenario_check`` are in file order: ``below`` falling, ``lower_by`` rising."""

    combine: str
    thresholds: tuple[float, ...] = ()
    min_answered: float = DEFAULT_MIN_ANSWERED
    caps: tuple[Cap, ...] = ()
    model: str = DEFAULT_MODEL
    rounding: str | None = None
    scenario_check: tuple[ScenarioCheck, ...] = ()

    @property
    def anchored(self) -> bool:
        return self.model == ANCHORED


@dataclass(frozen=True)
class Position:
    """A kind of position (jabatan). ``importance`` holds only the weights written in the file."""

    id: str
    name: Text
    targets: FrozenMap
    importance: FrozenMap = FrozenMap()

    def target(self, domain_id: str) -> int:
        return self.targets[domain_id]

    def importance_of(self, domain_id: str) -> float:
        return self.importance.get(domain_id, 1)


@dataclass(frozen=True)
class Module:
    id: str
    title: Text
    domain_id: str
    from_level: int
    to_level: int
    jp: int
    mode: str
    provider: str
    #: The curriculum standard the module follows (PP 11/2017 art. 207 (f)); empty: not stated.
    curriculum: str = ""


@dataclass(frozen=True)
class Questionnaire:
    format: int
    id: str
    title: Text
    description: Text
    scale: tuple[Level, ...]
    scoring: Scoring
    domains: tuple[Domain, ...]
    positions: tuple[Position, ...]
    modules: tuple[Module, ...]
    #: The catalogue's price of each mode it prices (``budget.ModeSpec``s); others use the defaults.
    modes: tuple[Any, ...] = ()

    @property
    def top_level(self) -> int:
        return len(self.scale)

    @cached_property
    def items(self) -> tuple[Item, ...]:
        """Every item, domain by domain, in file order."""
        return tuple(item for domain in self.domains for item in domain.items)

    @cached_property
    def _index(self) -> dict[str, dict[str, Any]]:
        return {
            "item": {i.id: i for i in self.items},
            "domain": {d.id: d for d in self.domains},
            "position": {p.id: p for p in self.positions},
            "module": {m.id: m for m in self.modules},
        }

    def item(self, item_id: str) -> Item:
        return _lookup(self._index["item"], item_id, UnknownItem)

    def domain(self, domain_id: str) -> Domain:
        return _lookup(self._index["domain"], domain_id, UnknownDomain)

    def position(self, position_id: str) -> Position:
        return _lookup(self._index["position"], position_id, UnknownPosition)

    def module(self, module_id: str) -> Module:
        return _lookup(self._index["module"], module_id, UnknownModule)

    def domain_order(self, domain_id: str) -> int:
        return self.domains.index(self.domain(domain_id))

    def level_name(self, level: int, lang: str = "id") -> str:
        return self.scale[level - 1].name.get(lang)

    def caps_for(self, domain_id: str) -> tuple[Cap, ...]:
        return tuple(c for c in self.scoring.caps if self.item(c.item_id).domain_id == domain_id)


def _lookup(index: dict[str, Any], key: Any, error: type[UnknownId]) -> Any:
    try:
        return index[key]
    except (KeyError, TypeError):
        raise error(key) from None
