"""The trend section of the unit report (AKPK) and the dashboard's trend chart: the summary's
round against the previous one (``UnitSummary.trend``, filled by ``services/trends.py``).

The PDF shows the trend chart (``trend_chart.py``), a table with the same numbers and the level
distribution of both rounds, and the gap changes of the people assessed in both rounds, as
counts. Without a previous round (or for the assessments outside any round) the section is one
line. The dashboard (``templates/hr/dashboard.html``) shows the same texts and numbers."""
from __future__ import annotations

from typing import Sequence

from flask_babel import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Spacer

from .charts import WEB_WIDTH, to_svg
from .figures import DASH, integer, percent
from .layout import FRAME_WIDTH, table
from .text import KeepText, Text
from .trend_chart import CURRENT, PREVIOUS, trend_chart
from .unit_data import DomainTrend, RoundFigures, Trend, UnitSummary

CHART_ROWS = 10  # domains per trend drawing in the PDF (a drawing cannot break across pages)


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "id"


# -- texts shared with the dashboard ----------------------------------------------------------

def heading() -> str:
    return _("Compared with the previous round")


def absent_line(summary: UnitSummary) -> str:
    """The section's one line when there is nothing to compare with."""
    if summary.filters.round is None:
        return _("These figures are outside any round, so there is no previous round to compare them with.")
    return _("There is no round before “%(round)s” to compare it with.", round=summary.filters.round.name)


def intro(trend: Trend) -> str:
    return _("“%(current)s” against the previous round, “%(previous)s”, for the same unit and position. Each "
             "round counts the latest submitted self-assessment of every person in it.",
             current=trend.current.name, previous=trend.previous.name)


def no_common_domain() -> str:
    return _("No domain has results in both rounds.")


def gaps_heading() -> str:
    return _("Gaps of the people assessed in both rounds")


def gaps_definition(trend: Trend) -> str:
    return _("Assessed in both rounds: the same person, with a level in the domain in each round. Below target "
             "before: of them, those below the target of their position in “%(previous)s”. Of those: closed, at "
             "the target now; narrowed, still below it by fewer levels; unchanged or wider, as many levels below "
             "it or more.", previous=trend.previous.name)


def levels_note(summary: UnitSummary, lang: str) -> str:
    levels = ", ".join(f"{level.level} {level.name.get(_lang(lang))}" for level in summary.model.scale)
    return _("Level columns: the people at each level (%(levels)s).", levels=levels)


# -- the chart ----------------------------------------------------------------------------------

def chart_rows(summary: UnitSummary, lang: str) -> list[dict]:
    """Rows of ``trend_chart``: the trend's domains in the model's order."""
    names = {d.id: d.name.get(_lang(lang)) for d in summary.model.domains}
    return [{"name": names.get(d.domain_id, d.domain_id),
             PREVIOUS: (d.previous.below, d.previous.assessed),
             CURRENT: (d.current.below, d.current.assessed)} for d in summary.trend.domains]


def _has_chart(summary: UnitSummary) -> bool:
    return summary.model is not None and summary.trend is not None and bool(summary.trend.domains)


def trend_svg(summary: UnitSummary, lang: str) -> str:
    """The dashboard's trend chart as inline SVG; an empty string when there is none."""
    if not _has_chart(summary):
        return ""
    trend = summary.trend
    return to_svg(trend_chart(chart_rows(summary, lang), previous=trend.previous.name,
                              current=trend.current.name, width=WEB_WIDTH))


# -- the PDF section ------------------------------------------------------------------------------

def trend_story(summary: UnitSummary, lang: str, st: dict) -> list:
    """The section's flowables: heading, then one line, or the chart and the two tables."""
    lang = _lang(lang)
    trend = summary.trend
    head = [CondPageBreak(6 * cm), Text(heading(), st["h1"])]
    if trend is None:
        return head + [Text(absent_line(summary), st["body"])]
    if not trend.domains:
        return head + [Text(intro(trend), st["small"]), Text(no_common_domain(), st["body"])]
    rows = chart_rows(summary, lang)
    charts = [trend_chart(rows[n:n + CHART_ROWS], previous=trend.previous.name, current=trend.current.name,
                          width=FRAME_WIDTH) for n in range(0, len(rows), CHART_ROWS)]
    return [head[0], KeepText([head[1], Text(intro(trend), st["small"]), Spacer(1, 4), charts[0]]),
            *charts[1:],
            Spacer(1, 6),
            _shares_table(summary, lang, st),
            Text(levels_note(summary, lang), st["small"]),
            CondPageBreak(4 * cm),
            Text(gaps_heading(), st["h2"]),
            Text(gaps_definition(trend), st["small"]),
            _gaps_table(summary, lang, st),
            *training_story(summary, lang, st)]


def trained_any(summary: UnitSummary) -> bool:
    return any(domain.gaps.trained for domain in summary.trend.domains)


def training_heading() -> str:
    return _("Below target before, by whether they completed a module of the domain")


def training_definition(trend) -> str:
    return _("Of the people below target in “%(previous)s”: those for whom HR recorded a completed module of "
             "the domain between the opening of “%(previous)s” and the closing of “%(current)s”, and the others; "
             "for each, how many are at the target now.", previous=trend.previous.name, current=trend.current.name)


def no_training_line() -> str:
    return _("No completed module of these domains is recorded between the two rounds.")


def training_labels() -> list[str]:
    return [_("Completed a module"), _("Gap closed"), _("Did not"), _("Gap closed")]


def training_cells(domain: DomainTrend) -> list[str]:
    g = domain.gaps
    return [integer(g.trained), integer(g.trained_closed), integer(g.untrained), integer(g.untrained_closed)]


def training_story(summary: UnitSummary, lang: str, st: dict) -> list:
    """The gaps of those below target before, split by whether they trained in the domain."""
    head = [CondPageBreak(4 * cm), Text(training_heading(), st["h2"])]
    if not trained_any(summary):
        return head + [Text(no_training_line(), st["small"])]
    names = {d.id: d.name.get(lang) for d in summary.model.domains}
    domain_w = 4.5 * cm
    widths = [domain_w] + [(FRAME_WIDTH - domain_w) / 4] * 4
    right = range(1, 5)
    rows = [_head([_("Domain")] + training_labels(), st, right)]
    for domain in summary.trend.domains:
        rows.append([Text(names.get(domain.domain_id, domain.domain_id), st["cell"]), *training_cells(domain)])
    return head + [Text(training_definition(summary.trend), st["small"]), table(rows, widths, right=right)]


def _head(labels: Sequence[str], st: dict, right: Sequence[int]) -> list:
    return [Text(label, st["cell_head_right" if n in right else "cell_head"]) for n, label in enumerate(labels)]


def _shares_table(summary: UnitSummary, lang: str, st: dict):
    """Two rows per domain (previous, current round): people assessed, below target, the share,
    and the people at each level."""
    trend = summary.trend
    top = [level.level for level in summary.model.scale]
    fixed = [2.6, 1.9, 1.8, 2.3]  # round, assessed, below target, share: each header word on one line
    domain_w = 2.7 * cm
    level_w = (FRAME_WIDTH - domain_w - sum(fixed) * cm) / max(1, len(top))
    widths = [domain_w] + [w * cm for w in fixed] + [level_w] * len(top)
    right = range(2, len(widths))
    head = [_("Domain"), _("Round"), _("Assessed"), _("Below target"), _("Share below target")]
    rows = [_head(head + [integer(level) for level in top], st, right)]
    extra = []
    names = {d.id: d.name.get(lang) for d in summary.model.domains}
    for domain in trend.domains:
        for n, (ref, figures) in enumerate(((trend.previous, domain.previous), (trend.current, domain.current))):
            rows.append([Text(names.get(domain.domain_id, domain.domain_id) if n == 0 else "", st["cell"]),
                         Text(ref.name, st["cell"]), *_figure_cells(figures, top)])
        last = len(rows) - 1
        extra.append(("LINEBELOW", (0, last), (-1, last), 0.8, "#4a5568"))
        extra.append(("NOSPLIT", (0, last - 1), (-1, last)))  # a domain's two rows stay on one page
    return table(rows, widths, zebra=False, right=right, extra=extra)


def _figure_cells(figures: RoundFigures, top: Sequence[int]) -> list[str]:
    levels = dict(figures.levels)
    return [integer(figures.assessed), integer(figures.below),
            percent(figures.share_below) if figures.assessed else DASH,
            *(integer(levels.get(level, 0)) for level in top)]


def gap_cells(domain: DomainTrend) -> list[str]:
    g = domain.gaps
    return [integer(g.both), integer(g.had_gap), integer(g.closed), integer(g.narrowed),
            integer(g.unchanged_or_wider)]


def gap_labels() -> list[str]:
    return [_("Assessed in both rounds"), _("Below target before"), _("Gap closed"), _("Gap narrowed"),
            _("Gap unchanged or wider")]


def _gaps_table(summary: UnitSummary, lang: str, st: dict):
    names = {d.id: d.name.get(lang) for d in summary.model.domains}
    domain_w = 3.5 * cm  # leaves each count column room for “Kesenjangan” on one line
    widths = [domain_w] + [(FRAME_WIDTH - domain_w) / 5] * 5
    right = range(1, 6)
    rows = [_head([_("Domain")] + gap_labels(), st, right)]
    for domain in summary.trend.domains:
        rows.append([Text(names.get(domain.domain_id, domain.domain_id), st["cell"]), *gap_cells(domain)])
    return table(rows, widths, right=right)
