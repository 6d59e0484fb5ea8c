"""Trends: a round's unit figures against the round before it (``rounds.previous``).

Both rounds are counted for the same unit subtree and position filter, each with its own data
set: the latest submitted assessment of every person in that round. The previous round takes
neither the version nor the date filter of the current one (a round has its own version and
dates, so those filters would leave it empty). Per domain of the reference model that has
results in both rounds: the share below target and the level distribution of each round, and,
for the people assessed in the domain in both rounds, how their gap changed, from one grouped
query. Nothing here loops over people.

``unit_reports.summarise`` calls ``trend_for``; this module imports ``unit_reports`` (its
filters and figure queries) and not the other way round, so ``summarise`` imports it lazily."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from sqlalchemy import Select, case, distinct, exists, func, literal, select

from ..engine import questionnaire as engine
from ..engine.statistics import level_distribution
from ..extensions import db
from ..models import Assessment, DomainResult, Realisation
from ..reports.unit_data import DomainTrend, GapChange, RoundFigures, RoundRef, Trend
from . import rounds as round_rules
from .unit_reports import DomainFigure, Filters, assessment_conditions, below_target, domain_figures, domain_levels


def previous_filters(filters: Filters) -> Filters | None:
    """The same unit and position filters for the round before ``filters.round``; None when
    the filters are outside any round or the round is the first one meeting the unit."""
    if filters.round is None:
        return None
    before = round_rules.previous(filters.round, filters.unit)
    if before is None:
        return None
    return replace(filters, round=before, version_id=None, date_from=None, date_to=None)


def trend_for(filters: Filters, model: engine.Questionnaire,
              figures: list[DomainFigure] | None = None) -> Trend | None:
    """The filters' round against the previous one, or None when there is nothing to compare
    with. ``figures``: the current round's ``domain_figures(filters)`` when already read."""
    before = previous_filters(filters)
    if before is None:
        return None
    current = round_figures(filters, model, figures)
    previous = round_figures(before, model)
    changes = gap_changes(filters, before, model)
    domains = tuple(DomainTrend(d.id, previous[d.id], current[d.id], changes.get(d.id, GapChange()))
                    for d in model.domains if d.id in previous and d.id in current)
    return Trend(_ref(before.round), _ref(filters.round), domains)


def _ref(round_) -> RoundRef:
    return RoundRef.of(round_, round_rules.state_of(round_) == round_rules.CLOSED)


def round_figures(filters: Filters, model: engine.Questionnaire,
                  figures: Iterable[DomainFigure] | None = None) -> dict[str, RoundFigures]:
    """Domain id → the round's figures, for each domain with result rows in it (``figures``
    when given, else read for ``filters``)."""
    figures = list(domain_figures(filters) if figures is None else figures)
    levels = level_distribution(domain_levels(figures), top_level=model.top_level)
    counts: dict[str, tuple[int, int]] = {}
    for domain_id, below, assessed in below_target(figures):
        was_below, was_assessed = counts.get(domain_id, (0, 0))
        counts[domain_id] = (was_below + below, was_assessed + assessed)
    return {domain_id: RoundFigures(assessed=counts[domain_id][1], below=counts[domain_id][0],
                                    levels=tuple((level, people) for level, people in lc.counts.items()
                                                 if 1 <= level <= model.top_level),
                                    unassessed=lc.unassessed)
            for domain_id, lc in levels.items()}


def _results(filters: Filters):
    """The domain results of the assessments the filters count, with the person."""
    return (select(DomainResult.domain_id, DomainResult.gap, Assessment.user_id)
            .join(Assessment, Assessment.id == DomainResult.assessment_id)
            .where(DomainResult.unit_id.in_(filters.unit_ids), DomainResult.gap.is_not(None),
                   Assessment.user_id.is_not(None), *assessment_conditions(filters))
            .subquery())


def gap_changes_query(current: Filters, previous: Filters, model: engine.Questionnaire) -> Select:
    """One grouped query: per domain, the people assessed in it in both rounds (the same person,
    a counted assessment in each), those below target before, and of those the ones whose gap
    is closed (0 now), narrowed (smaller, not 0) or unchanged or wider; and of those below
    target before, the ones who completed a module of the domain (a realisation, the module's
    domain as ``model``'s catalogue says) from the previous round's opening to the current
    round's closing, and how many of them closed the gap. A person counts once per domain
    (``count(distinct …)``); a domain without a level in either round is left out."""
    now, before = _results(current), _results(previous)

    def people(condition=None):
        return func.count(distinct(now.c.user_id if condition is None else case((condition, now.c.user_id))))

    had_gap = before.c.gap > 0
    trained = _trained(now, previous.round.opens_on, current.round.closes_on, model)
    return (select(now.c.domain_id, people(), people(had_gap), people(had_gap & (now.c.gap == 0)),
                   people(had_gap & (now.c.gap > 0) & (now.c.gap < before.c.gap)),
                   people(had_gap & (now.c.gap >= before.c.gap)), people(had_gap & trained),
                   people(had_gap & trained & (now.c.gap == 0)))
            .join(before, (before.c.user_id == now.c.user_id) & (before.c.domain_id == now.c.domain_id))
            .group_by(now.c.domain_id))


def _trained(now, since, until, model: engine.Questionnaire):
    """Whether the person of a row of ``now`` completed a module of the row's domain in the window."""
    domains = {m.id: m.domain_id for m in model.modules}
    if not domains:
        return literal(False)
    return exists().where(Realisation.user_id == now.c.user_id,
                          case(domains, value=Realisation.module_id, else_=None) == now.c.domain_id,
                          Realisation.completed_on >= since, Realisation.completed_on <= until)


def gap_changes(current: Filters, previous: Filters, model: engine.Questionnaire) -> dict[str, GapChange]:
    return {domain_id: GapChange(*counts)
            for domain_id, *counts in db.session.execute(gap_changes_query(current, previous, model))}
