"""Rules that relate one part of a questionnaire document to another.

They run on the plain document produced by the schema walk (``format1.QUESTIONNAIRE``), which
may be incomplete when the file had shape problems: every rule looks only at the parts that
converted and quietly skips the rest, so one mistake is reported once, not again by every rule
that depends on it. Each rule is a function ``(doc, ctx, facts)``; ``CHECKS`` lists them in order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from .messages import ID_KINDS, Bi
from .model import (ANCHORED, CAPPABLE_TYPES, DEFAULT_MODEL, ITEM_TYPES, SCENARIO_TYPES,
                    SCORED_TYPES, SCORING_MODELS)
from .context import Context, join

Entry = tuple[str, dict]  # (path, converted mapping)

# The most domains a questionnaire may have. A competency framework for one field has far fewer
# (the shipped one has 8), and every domain costs a row per person in the stored results and the
# exports, a bar in the charts and a column in the unit report's heat map (eight to a table), so
# a limit keeps those readable and bounded: 24 is three heat-map tables, three chart parts.
MAX_DOMAINS = 24


def _entries(value: Any, path: str) -> Iterator[Entry]:
    if isinstance(value, list):
        for i, entry in enumerate(value):
            if isinstance(entry, dict):
                yield f"{path}[{i}]", entry


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass
class Facts:
    """What the rules need to know about the whole document, gathered once."""

    top: int | None                                  # N, when the scale is a list of 2..9
    domains: dict[str, str] = field(default_factory=dict)   # domain id → path (first one)
    items: dict[str, dict] = field(default_factory=dict)    # item id → item (first one)
    model: str | None = None                         # the scoring model, when it is a known one
    positions: list[str] = field(default_factory=list)      # position ids, in file order

    @property
    def anchored(self) -> bool:
        return self.model == ANCHORED

    @classmethod
    def of(cls, doc: dict) -> "Facts":
        scale = doc.get("scale")
        top = len(scale) if isinstance(scale, list) and 2 <= len(scale) <= 9 else None
        scoring = doc.get("scoring")
        model = scoring.get("model", DEFAULT_MODEL) if isinstance(scoring, dict) else None
        facts = cls(top, model=model if model in SCORING_MODELS else None)
        for path, domain in domain_entries(doc):
            if isinstance(domain.get("id"), str):
                facts.domains.setdefault(domain["id"], path)
        for _, item in item_entries(doc):
            if isinstance(item.get("id"), str):
                facts.items.setdefault(item["id"], item)
        for _, position in _entries(doc.get("positions"), "positions"):
            if isinstance(position.get("id"), str) and position["id"] not in facts.positions:
                facts.positions.append(position["id"])
        return facts


def _scored(item: dict) -> bool:
    """A rating, choice or multi item that is not written ``scored: false``."""
    return item.get("type") in SCORED_TYPES and item.get("scored") is not False


def domain_entries(doc: dict) -> Iterator[Entry]:
    return _entries(doc.get("domains"), "domains")


def item_entries(doc: dict) -> Iterator[Entry]:
    for path, domain in domain_entries(doc):
        yield from _entries(domain.get("items"), join(path, "items"))


# -- the rules --------------------------------------------------------------------------

def check_format(doc: dict, ctx: Context, facts: Facts) -> None:
    if _is_int(doc.get("format")) and doc["format"] != 1:
        ctx.report("unsupported_format", "format", value=doc["format"])


def check_domain_count(doc: dict, ctx: Context, facts: Facts) -> None:
    domains = doc.get("domains")
    if isinstance(domains, list) and len(domains) > MAX_DOMAINS:
        ctx.report("too_many_domains", "domains", count=len(domains), max=MAX_DOMAINS)


def check_scale_numbering(doc: dict, ctx: Context, facts: Facts) -> None:
    scale = doc.get("scale")
    for i, level in enumerate(scale if isinstance(scale, list) else ()):
        if isinstance(level, dict) and _is_int(level.get("level")) and level["level"] != i + 1:
            ctx.report("scale_numbering", f"scale[{i}].level", value=level["level"],
                       expected=i + 1, position=i + 1)


def check_thresholds(doc: dict, ctx: Context, facts: Facts) -> None:
    scoring = doc.get("scoring")
    thresholds = scoring.get("thresholds") if isinstance(scoring, dict) else None
    if not isinstance(thresholds, list):
        return
    if facts.top is not None and len(thresholds) != facts.top - 1:
        ctx.report("thresholds_count", "scoring.thresholds", levels=facts.top,
                   expected=facts.top - 1, count=len(thresholds))
    previous = None
    for i, value in enumerate(thresholds):
        if not isinstance(value, (int, float)):
            continue
        if previous is not None and value <= previous:
            ctx.report("thresholds_not_increasing", f"scoring.thresholds[{i}]",
                       value=value, previous=previous)
        previous = value


def check_caps(doc: dict, ctx: Context, facts: Facts) -> None:
    scoring = doc.get("scoring")
    if not isinstance(scoring, dict):
        return
    for path, cap in _entries(scoring.get("caps"), "scoring.caps"):
        item_id = cap.get("item")
        if isinstance(item_id, str):
            item = facts.items.get(item_id)
            if item is None:
                ctx.report("unknown_item", join(path, "item"), value=item_id)
            elif item.get("type") in ITEM_TYPES and item["type"] not in CAPPABLE_TYPES:
                ctx.report("cap_item_type", join(path, "item"), item=item_id, type=item["type"])
        _check_level(ctx, cap, path, "max_level", 1, facts.top)
        # Under anchored a cap applies at or below its bar: a bar of 1 catches the best answer too.
        if facts.anchored and _is_number(cap.get("below")) and cap["below"] >= 1:
            ctx.report("cap_applies_always", join(path, "below"), value=cap["below"])


def check_scenario_check(doc: dict, ctx: Context, facts: Facts) -> None:
    """The anchored model's tiers lower, never raise, never below level 1, never right answers,
    and run from the mildest (``below`` falling, ``lower_by`` rising)."""
    scoring = doc.get("scoring")
    if not facts.anchored or not isinstance(scoring, dict):
        return
    previous = None
    for path, tier in _entries(scoring.get("scenario_check"), "scoring.scenario_check"):
        below, lower_by = tier.get("below"), tier.get("lower_by")
        if _is_number(below) and below >= 1:
            ctx.report("scenario_check_always", join(path, "below"), value=below)
        if _is_int(lower_by) and facts.top is not None and not 1 <= lower_by <= facts.top - 1:
            ctx.report("lower_by_out_of_range", join(path, "lower_by"), value=lower_by,
                       max=facts.top - 1, top=facts.top)
        if not (_is_number(below) and _is_int(lower_by)):
            continue
        if previous is not None and not (below < previous[0] and lower_by > previous[1]):
            ctx.report("scenario_check_order", path, below=below, lower_by=lower_by,
                       previous_below=previous[0], previous_lower_by=previous[1])
        previous = (below, lower_by)


def _check_level(ctx: Context, entry: dict, path: str, key: str,
                 low: int, high: int | None) -> bool:
    """Report a level outside low..high; True when the value is a usable level."""
    value = entry.get(key)
    if not _is_int(value) or high is None:
        return False
    if low <= value <= high:
        return True
    ctx.report("level_out_of_range", join(path, key), field=key, value=value, low=low, high=high)
    return False


def _check_unique(ctx: Context, kind: str, entries: Iterator[Entry]) -> None:
    first_line: dict[str, int] = {}
    for path, entry in entries:
        value = entry.get("id")
        if not isinstance(value, str):
            continue
        id_path = join(path, "id")
        if value in first_line:
            ctx.report("duplicate_id", id_path, value=value, kind=ID_KINDS[kind],
                       first_line=first_line[value])
        else:
            first_line[value] = ctx.locate(id_path)[0]


def check_unique_ids(doc: dict, ctx: Context, facts: Facts) -> None:
    _check_unique(ctx, "domain", domain_entries(doc))
    _check_unique(ctx, "item", item_entries(doc))
    for path, item in item_entries(doc):
        _check_unique(ctx, "option", _entries(item.get("options"), join(path, "options")))
    _check_unique(ctx, "position", _entries(doc.get("positions"), "positions"))
    _check_unique(ctx, "module", _entries(doc.get("modules"), "modules"))


def check_domain_levels(doc: dict, ctx: Context, facts: Facts) -> None:
    for path, domain in domain_entries(doc):
        levels = domain.get("levels")
        if facts.top is not None and isinstance(levels, list) and len(levels) != facts.top:
            ctx.report("domain_levels_count", join(path, "levels"), expected=facts.top,
                       count=len(levels))


def check_options(doc: dict, ctx: Context, facts: Facts) -> None:
    for path, item in item_entries(doc):
        options = item.get("options")
        if not isinstance(options, list) or len(options) < 2:
            continue  # too few options is reported by the schema
        scores = [o.get("score") for o in options if isinstance(o, dict)]
        if len(scores) == len(options) and all(isinstance(s, (int, float)) for s in scores) \
                and not any(s > 0 for s in scores):
            ctx.report("no_positive_score", join(path, "options"))


def check_scored_items(doc: dict, ctx: Context, facts: Facts) -> None:
    for path, domain in domain_entries(doc):
        items = domain.get("items")
        if not isinstance(items, list) or not items:
            continue
        types = [i.get("type") if isinstance(i, dict) else None for i in items]
        unscored = all(t == "text" or (t == "rating" and not _scored(i))
                       for t, i in zip(types, items))
        if unscored:
            ctx.report("no_scored_items", join(path, "items"), domain=domain.get("id", "?"))


def check_item_keys(doc: dict, ctx: Context, facts: Facts) -> None:
    """An item's ``positions`` name positions of this questionnaire; a rating written
    ``scored: false`` never enters a score, so a weight would mean nothing."""
    for path, item in item_entries(doc):
        positions = item.get("positions")
        for i, value in enumerate(positions if isinstance(positions, list) else ()):
            if isinstance(value, str) and value not in facts.positions:
                ctx.report("unknown_position", f"{join(path, 'positions')}[{i}]", value=value,
                           known=facts.positions)
        if item.get("type") == "rating" and item.get("scored") is False and "weight" in item:
            ctx.report("key_not_allowed", join(path, "weight"), key="weight",
                       type="rating (scored: false)")


def check_position_coverage(doc: dict, ctx: Context, facts: Facts) -> None:
    """Items limited to positions still leave every position something to be scored on in every
    domain: a scored item (under anchored: a self-rating and a scenario). Otherwise that
    position could never get a level in the domain."""
    needs = ((Bi("butir rating berskor", "scored rating item"), ("rating",)),
             (Bi("butir skenario (choice atau multi)", "scenario item (choice or multi)"),
              SCENARIO_TYPES)) if facts.anchored else ((Bi("butir berskor", "scored item"), SCORED_TYPES),)
    for path, domain in domain_entries(doc):
        items = [i for _, i in _entries(domain.get("items"), "")]
        if not any(isinstance(i.get("positions"), list) for i in items):
            continue  # nothing limited: the domain's own checks say enough
        for position_id, (what, types) in ((p, need) for p in facts.positions for need in needs):
            kind = [i for i in items if _scored(i) and i.get("type") in types]
            if kind and not any(not isinstance(i.get("positions"), list) or position_id in i["positions"]
                                for i in kind):
                ctx.report("no_items_for_position", join(path, "items"),
                           domain=domain.get("id", "?"), position=position_id, what=what)


# The most anchors a rating item may have (format1: 2 to 7), hence the largest anchored scale.
MAX_ANCHORS = 7


def check_anchored_items(doc: dict, ctx: Context, facts: Facts) -> None:
    """Under anchored, anchor k of every rating item is the behaviour of level k (so every level
    can be reached), and every domain has self-ratings and scenarios that check them."""
    if not facts.anchored:
        return
    if facts.top is not None and facts.top > MAX_ANCHORS:
        ctx.report("anchored_scale_size", "scale", count=facts.top)
    elif facts.top is not None:
        for path, item in item_entries(doc):
            anchors = item.get("anchors")
            if item.get("type") == "rating" and _scored(item) and isinstance(anchors, list) \
                    and 2 <= len(anchors) <= MAX_ANCHORS and len(anchors) != facts.top:
                ctx.report("anchors_not_levels", join(path, "anchors"), item=item.get("id", "?"),
                           levels=facts.top, count=len(anchors))
    for path, domain in domain_entries(doc):
        items = domain.get("items")
        if not isinstance(items, list) or not items:
            continue
        types = {i.get("type") if isinstance(i, dict) else None for i in items}
        if not types <= set(ITEM_TYPES) or not any(_scored(i) for i in items):
            continue  # an unreadable type is reported already; nothing scored: no_scored_items
        if not any(i.get("type") == "rating" and _scored(i) for i in items):
            ctx.report("no_rating_items", join(path, "items"), domain=domain.get("id", "?"))
        if not types & set(SCENARIO_TYPES):
            ctx.report("no_scenario_items", join(path, "items"), domain=domain.get("id", "?"))


def check_positions(doc: dict, ctx: Context, facts: Facts) -> None:
    known = list(facts.domains)
    for path, position in _entries(doc.get("positions"), "positions"):
        targets = position.get("targets")
        if isinstance(targets, dict):
            for domain_id, target in targets.items():
                target_path = join(path, f"targets.{domain_id}")
                if domain_id not in facts.domains:
                    ctx.report("unknown_domain", target_path, value=domain_id, known=known)
                elif _is_int(target) and facts.top is not None and target > facts.top:
                    ctx.report("target_above_scale", target_path, value=target, top=facts.top)
                elif _is_int(target) and facts.top is not None and target < 1:
                    ctx.report("target_below_scale", target_path, value=target, top=facts.top)
            for domain_id in facts.domains:
                if domain_id not in targets:
                    ctx.report("missing_target", join(path, "targets"), domain=domain_id,
                               position=position.get("id", "?"))
        importance = position.get("importance")
        if isinstance(importance, dict):
            for domain_id in importance:
                if domain_id not in facts.domains:
                    ctx.report("unknown_domain", join(path, f"importance.{domain_id}"),
                               value=domain_id, known=known)


def check_modules(doc: dict, ctx: Context, facts: Facts) -> None:
    for path, module in _entries(doc.get("modules"), "modules"):
        domain_id = module.get("domain")
        if isinstance(domain_id, str) and domain_id not in facts.domains:
            ctx.report("unknown_domain", join(path, "domain"), value=domain_id,
                       known=list(facts.domains))
        top = facts.top
        from_ok = _check_level(ctx, module, path, "from_level", 1,
                               top - 1 if top is not None else None)
        to_ok = _check_level(ctx, module, path, "to_level", 2, top)
        if from_ok and to_ok and module["to_level"] <= module["from_level"]:
            ctx.report("module_levels_order", join(path, "to_level"),
                       from_level=module["from_level"], to_level=module["to_level"])


def check_closable(doc: dict, ctx: Context, facts: Facts) -> None:
    """Every level from 1 to (highest target of the domain) − 1 must be lifted by some module."""
    if facts.top is None:
        return
    highest: dict[str, int] = {}
    for _, position in _entries(doc.get("positions"), "positions"):
        targets = position.get("targets")
        for domain_id, target in (targets.items() if isinstance(targets, dict) else ()):
            if _is_int(target) and 1 <= target <= facts.top:
                highest[domain_id] = max(target, highest.get(domain_id, 1))
    spans = [(m["domain"], m["from_level"], m["to_level"])
             for _, m in _entries(doc.get("modules"), "modules")
             if isinstance(m.get("domain"), str) and _is_int(m.get("from_level"))
             and _is_int(m.get("to_level"))]
    for domain_id, path in facts.domains.items():
        target = highest.get(domain_id, 1)
        for level in range(1, target):
            if not any(d == domain_id and f <= level < t for d, f, t in spans):
                ctx.report("gap_not_closable", path, domain=domain_id, level=level,
                           next=level + 1, target=target)


CHECKS: tuple[Callable[[dict, Context, Facts], None], ...] = (
    check_format,
    check_domain_count,
    check_scale_numbering,
    check_thresholds,
    check_caps,
    check_scenario_check,
    check_unique_ids,
    check_domain_levels,
    check_options,
    check_scored_items,
    check_anchored_items,
    check_positions,
    check_item_keys,
    check_position_coverage,
    check_modules,
    check_closable,
)


# Rules that bound what may be published from now on; a version stored before a rule existed keeps
# loading, so its results, reports and exports stay readable.
FOR_NEW_VERSIONS_ONLY = frozenset({check_domain_count})


def run_checks(doc: dict, ctx: Context, *, stored: bool = False) -> None:
    facts = Facts.of(doc)
    for check in CHECKS:
        if not (stored and check in FOR_NEW_VERSIONS_ONLY):
            check(doc, ctx, facts)
