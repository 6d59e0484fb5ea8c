"""The unit training-needs report (AKPK, *Analisis Kebutuhan Pengembangan Kompetensi*) as PDF,
and the charts of the unit dashboard, both built from a ``UnitSummary`` (no database access).

Fixed labels come from gettext: wrap the calls in ``flask_babel.force_locale(lang)``;
questionnaire texts are read from the summary's model in ``lang``. Every text is laid out by
``Text`` (``reports/text.py``), which never reads markup, so names print literally.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence

from flask_babel import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, PageBreak, Spacer

from .appendix import appendix_story
from ..engine.questionnaire import Questionnaire
from ..engine.entitlement import PPPK_MAX_JP
from .charts import WEB_WIDTH, to_svg
from .distribution import distribution_chart
from .figures import DASH, integer, long_date, page_label, percent, position_name, report_locale
from .heatmap import heat_map
from .layout import FRAME_WIDTH, Furniture, build_pdf, styles, table, watermark
from .plan_data import PlanRef, PlanTable, from_summary
from .plan_section import later_years_story, plan_story
from .signature import approval_story, draft_mark, status_rows
from .text import KeepText, Text
from .realisation_section import realisation_story
from .trend_section import trend_story, trend_svg
from .unit_data import Participation, Scope, UnitSummary, VersionRef

CHART_ROWS = 10      # domains per level-distribution drawing in the PDF


# -- small helpers --------------------------------------------------------------------------

def _lang(lang: str) -> str:
    return "en" if lang == "en" else "id"


def _head_row(labels: Sequence[str], st: dict, right: Iterable[int] = ()) -> list:
    right = set(right)
    return [Text(label, st["cell_head_right" if n in right else "cell_head"])
            for n, label in enumerate(labels)]


def _has_results(summary: UnitSummary) -> bool:
    return summary.model is not None and summary.assessed > 0


def _version_label(version: VersionRef) -> str:
    return _("%(title)s, version %(version)s", title=version.title or "",
             version=version.number if version.number is not None else DASH)


def _needed(summary: UnitSummary) -> list[tuple[Any, Any]]:
    """(need, module) of every module somebody needs, in the summary's order (by headcount).

    The JP figures are computed here from the module (JP per person × headcount), so they do
    not depend on what the aggregate carries in its ``jp`` field."""
    out = []
    for need in summary.needs:
        if need.headcount <= 0:
            continue
        try:
            module = summary.model.module(need.module_id)
        except KeyError:
            continue
        out.append((need, module))
    return out


# -- the dashboard ----------------------------------------------------------------------------

def distribution_rows(summary: UnitSummary, lang: str) -> list[dict]:
    """Rows of ``distribution_chart``: every domain of the model, in its order."""
    rows = []
    for domain in summary.model.domains:
        counts = summary.levels.get(domain.id)
        rows.append({"name": domain.name.get(lang),
                     "counts": dict(counts.counts) if counts else {},
                     "unassessed": counts.unassessed if counts else 0})
    return rows


def level_names(model: Questionnaire, lang: str) -> dict[int, str]:
    return {level.level: level.name.get(lang) for level in model.scale}


def dashboard_charts(summary: UnitSummary, lang: str) -> dict[str, str]:
    """Inline SVG of the dashboard's charts: {"levels": the level distribution per domain, "trend":
    against the previous round} (an empty string for none; only "levels" without results)."""
    lang = _lang(lang)
    if summary.model is None:
        return {"levels": ""}
    drawing = distribution_chart(distribution_rows(summary, lang),
                                 level_names(summary.model, lang), width=WEB_WIDTH)
    return {"levels": to_svg(drawing), "trend": trend_svg(summary, lang)}


# -- cover --------------------------------------------------------------------------------------

def report_title() -> str:
    return _("Competency development needs analysis (AKPK)")


def disclaimer() -> str:
    return _("The levels in this report come from self-assessments: each person rated their own "
             "competency. They are not a competency test and not a certification; use them to "
             "plan competency development.")


def _period(filters: Scope) -> str:
    if filters.date_from and filters.date_to:
        return _("%(start)s to %(end)s", start=long_date(filters.date_from),
                 end=long_date(filters.date_to))
    if filters.date_from:
        return _("From %(date)s", date=long_date(filters.date_from))
    if filters.date_to:
        return _("Until %(date)s", date=long_date(filters.date_to))
    return _("All dates")


def _filter_rows(summary: UnitSummary, lang: str) -> list[tuple[str, str]]:
    filters = summary.filters
    position = (position_name(summary.model, filters.position, lang) if filters.position
                else _("All positions"))
    if filters.version_id:
        chosen = [v for v in summary.versions if getattr(v, "id", None) == filters.version_id]
        version = _version_label(chosen[0]) if chosen else str(filters.version_id)
    else:
        version = _("All versions")
    round_ = filters.round
    when = (_("%(opens)s – %(closes)s", opens=long_date(round_.opens_on), closes=long_date(round_.closes_on))
            + (" · " + _("closed") if round_.closed else " · " + _("open")) if round_ else "")
    return [(_("Round"), f"{round_.name} ({when})" if round_ else _("Outside any round")),
            (_("Position"), position), (_("Questionnaire version"), version),
            (_("Submitted between"), _period(filters))]


def _cover(summary: UnitSummary, lang: str, appendix: bool, generated_at: datetime, st: dict,
           plan_ref: PlanRef) -> list:
    unit = summary.filters.unit
    versions = "\n".join(_version_label(v) for v in summary.versions) or DASH
    rows = [(_("Unit"), f"{unit.name} ({unit.code})")]
    rows += _filter_rows(summary, lang)
    rows += status_rows(plan_ref)
    rows += [(_("Questionnaire versions in the results"), versions),
             (_("People assessed"), integer(summary.assessed)),
             (_("Generated on"), long_date(generated_at)),
             (_("Appendix"), _("Included: the people who need each module") if appendix
              else _("Not included"))]
    data = [[Text(label, st["cell_head"]), Text(value, st["cell"])]
            for label, value in rows]
    subtitle = summary.model.title.get(lang) if summary.model is not None else ""
    return [
        Spacer(1, 2 * cm),
        Text(report_title(), st["title"]),
        Text(subtitle, st["subtitle"]) if subtitle else Spacer(1, 12),
        Text(_("Scope: the latest submitted self-assessment of every person in "
               "%(unit)s and in every unit below it, matching the filters below.",
               unit=unit.name), st["body"]),
        Spacer(1, 6),
        table(data, [5.2 * cm, FRAME_WIDTH - 5.2 * cm], header=False, zebra=False),
        Spacer(1, 0.8 * cm),
        Text(disclaimer(), st["note"]),
        PageBreak(),
    ]


# -- participation -----------------------------------------------------------------------------

def _participation(summary: UnitSummary, st: dict) -> list:
    head = [_("Unit"), _("Registered"), _("Started"), _("Submitted"), _("Progress")]
    rows = [_head_row(head, st, right=(1, 2, 3, 4))]

    def line(p: Participation, name: str, style: str) -> list:
        share = p.submitted / p.registered if p.registered else None
        return [Text(name, st[style]),
                integer(p.registered), integer(p.started), integer(p.submitted), percent(share)]

    for p in summary.sub_units:
        rows.append(line(p, f"{p.unit.name} ({p.unit.code})", "cell"))
    rows.append(line(summary.total, _("Total"), "cell_head"))
    widths = [FRAME_WIDTH - 4 * 2.5 * cm] + [2.5 * cm] * 4
    return [Text(_("Participation"), st["h1"]),
            Text(_("Registered: active respondents. Started: people who opened the "
                   "questionnaire. Submitted: people who sent their answers; the "
                   "figures below count only them."), st["small"]),
            table(rows, widths, right=(1, 2, 3, 4), extra=[("LINEABOVE", (0, -1), (-1, -1), 0.8, "#4a5568")])]


# -- levels and share below target --------------------------------------------------------------

def _below_counts(summary: UnitSummary, domain_id: str) -> tuple[int | None, int | None]:
    """(people below target, people assessed) in a domain, from the heat map's cells."""
    cells = [value for (_position, domain), value in summary.heat.items() if domain == domain_id]
    if cells:
        return sum(b for b, _a in cells), sum(a for _b, a in cells)
    counts = summary.levels.get(domain_id)
    share = summary.below.get(domain_id)
    assessed = counts.assessed if counts else None
    if share is None or assessed is None:
        return None, assessed
    return round(share * assessed), assessed


def _levels(summary: UnitSummary, lang: str, st: dict) -> list:
    model = summary.model
    rows_of_chart = distribution_rows(summary, lang)
    names = level_names(model, lang)
    # A drawing cannot split across pages: long questionnaires get one chart per CHART_ROWS
    # domains, each with its legend.
    charts = [distribution_chart(rows_of_chart[n:n + CHART_ROWS], names, width=FRAME_WIDTH)
              for n in range(0, len(rows_of_chart), CHART_ROWS)] or [Spacer(1, 1)]
    head = [_("Domain"), _("Assessed"), _("Below target"), _("Share below target")]
    rows = [_head_row(head, st, right=(1, 2, 3))]
    for domain in model.domains:
        below, assessed = _below_counts(summary, domain.id)
        share = summary.below.get(domain.id)
        rows.append([Text(domain.name.get(lang), st["cell"]),
                     integer(assessed) if assessed is not None else DASH,
                     integer(below) if below is not None else DASH, percent(share)])
    widths = [FRAME_WIDTH - 3 * 2.6 * cm] + [2.6 * cm] * 3
    return [
        KeepText([
            Text(_("Levels per domain"), st["h1"]),
            Text(_("The share of the people assessed at each proficiency level, per "
                   "domain. Not assessed: too few items of the domain were "
                   "answered."), st["small"]),
            Spacer(1, 4),
            charts[0]]),
        *charts[1:],
        CondPageBreak(4 * cm),
        Text(_("Share of people below target"), st["h1"]),
        Text(_("Below target: people whose level is below the target of their "
               "position."), st["small"]),
        table(rows, widths, right=(1, 2, 3)),
    ]


# -- training needs --------------------------------------------------------------------------------

def _needs(summary: UnitSummary, lang: str, plan: PlanTable, entitlement_jp: int, pppk_max_jp: int,
           st: dict) -> list:
    """The year-1 plan with its budget (``plan_section``), the entitlement, the later years."""
    out = [CondPageBreak(6 * cm), Text(_("Prioritised training needs"), st["h1"])]
    out += plan_story(summary, plan, lang, st)
    out += _entitlement(summary, plan.jp, entitlement_jp, pppk_max_jp, st)
    out += later_years_story(summary, plan, lang, st)
    return out


def needed_jp(summary: UnitSummary) -> int:
    """JP the unit's training needs add up to: JP per person × people, over every module."""
    return sum(module.jp * need.headcount for need, module in _needed(summary))


def entitlement_of_assessed(summary: UnitSummary, pns_min_jp: int, pppk_max_jp: int) -> int:
    """The yearly JP of the people assessed: PNS people × their minimum + PPPK people × their maximum."""
    return summary.assessed_pns * pns_min_jp + summary.assessed_pppk * pppk_max_jp


def _people_times(people: int, jp: int) -> str:
    """"12 × 20 JP = 240 JP"."""
    return f"{integer(people)} × {_('%(jp)s JP', jp=integer(jp))} = {_('%(jp)s JP', jp=integer(people * jp))}"


def _entitlement(summary: UnitSummary, needed: int, entitlement_jp: int, pppk_max_jp: int, st: dict) -> list:
    """The JP of the year-1 plan (``needed``) against the yearly entitlement of the people
    assessed: ``entitlement_jp`` (at least, each PNS) and ``pppk_max_jp`` (at most, each PPPK)."""
    available = entitlement_of_assessed(summary, entitlement_jp, pppk_max_jp)
    rows = [
        (_("JP needed for the modules above"), integer(needed)),
        (_("People assessed"), integer(summary.assessed)),
        (_("PNS: at least %(jp)s JP per person a year", jp=integer(entitlement_jp)),
         _people_times(summary.assessed_pns, entitlement_jp)),
        (_("PPPK: at most %(jp)s JP per person a year", jp=integer(pppk_max_jp)),
         _people_times(summary.assessed_pppk, pppk_max_jp)),
        (_("Entitlement of the people assessed"), _("%(jp)s JP", jp=integer(available))),
        (_("Share of the entitlement needed"), percent(needed / available) if available else DASH),
    ]
    data = [[Text(label, st["cell"]), Text(value, st["cell_right"])]
            for label, value in rows]
    if not available:
        verdict = ""
    elif needed <= available:
        verdict = _("The training needs fit within the yearly entitlement of the people "
                    "assessed.")
    else:
        verdict = _("The training needs exceed the yearly entitlement of the people assessed: "
                    "start with the modules at the top of the list, or spread the plan over "
                    "more than one year.")
    block = [Text(_("Training hours against the entitlement"), st["h2"]),
             Text(_("Every PNS is entitled to at least %(pns)d JP of competency development a "
                    "year; a PPPK gets at most %(pppk)d JP a year (PP No. 49 Tahun 2018).",
                    pns=entitlement_jp, pppk=pppk_max_jp), st["small"]),
             table(data, [FRAME_WIDTH - 5.5 * cm, 5.5 * cm], header=False)]
    if verdict:
        block.append(Spacer(1, 4))
        block.append(Text(verdict, st["body"]))
    return [Spacer(1, 6), KeepText(block)]


# -- the document -----------------------------------------------------------------------------------

def build_unit_pdf(summary: UnitSummary, lang: str, *, entitlement_jp: int, appendix: list[dict] | None,
                   generated_at: datetime, pppk_max_jp: int = PPPK_MAX_JP,
                   plan: PlanTable | None = None, plan_ref: PlanRef | None = None,
                   realisation: list[dict] | None = None) -> bytes:
    """The unit's training-needs analysis (AKPK) as PDF bytes.

    ``summary``: a ``UnitSummary`` (``unit_data.py``). ``entitlement_jp``: the yearly JP each PNS
    is entitled to (at least); ``pppk_max_jp``: the yearly JP of each PPPK (at most).
    ``plan``: the year-1 plan with its budget and the later years (``plan_data.PlanTable``: the
    live figures of a draft or the snapshot of a set plan); None: made from the summary with the
    default modes and no ceiling. ``plan_ref``: the plan's status and approver; None: a draft.
    ``realisation``: for a set plan, its rows against what people completed
    (``services.realisations.against_plan``); None: no realisation section.
    ``appendix``: None for no appendix, else [{"module_id", "people": [{"name", "nip",
    "unit"}]}] (modules in any order: the appendix follows the needs; people in any order: it
    lists them in natural order of name and NIP, at most ``appendix.MAX_LISTED`` in all).
    Without results the PDF still builds: cover, participation and a sentence saying there is
    no data yet. Until the plan is set every page carries the "DRAF" mark.
    """
    with report_locale():
        return _build_unit_pdf(summary, _lang(lang), entitlement_jp=entitlement_jp, pppk_max_jp=pppk_max_jp,
                               appendix=appendix, generated_at=generated_at,
                               plan=plan if plan is not None else from_summary(summary),
                               plan_ref=plan_ref if plan_ref is not None else PlanRef(), realisation=realisation)


def _build_unit_pdf(summary: UnitSummary, lang: str, *, entitlement_jp: int, pppk_max_jp: int,
                    appendix: list[dict] | None, generated_at: datetime, plan: PlanTable, plan_ref: PlanRef,
                    realisation: list[dict] | None) -> bytes:
    st = styles()
    st["cell_note"] = ParagraphStyle("cell_note", st["small"], fontSize=7.5, leading=9.5,
                                     spaceAfter=0)
    unit = summary.filters.unit
    story = _cover(summary, lang, appendix is not None, generated_at, st, plan_ref)
    story += _participation(summary, st)
    if _has_results(summary):
        story += _levels(summary, lang, st)
        story += heat_map(summary, lang, st)
        story += trend_story(summary, lang, st)
        story += _needs(summary, lang, plan, entitlement_jp, pppk_max_jp, st)
        if realisation is not None:
            story += realisation_story(realisation, lang, st)
    else:
        story.append(Spacer(1, 8))
        story.append(Text(_("No submitted assessments yet for these filters."),
                          st["body"]))
    story += approval_story(plan_ref, st)
    story.append(Text(disclaimer(), st["note"]))
    if appendix is not None:
        story += appendix_story(summary, lang, appendix, st)
    title = report_title()
    furniture = Furniture(
        header_left="Swanilai · AKPK",
        header_right=f"{unit.name} ({unit.code})",
        footer_left=_("Generated on %(date)s", date=long_date(generated_at)),
        page_label=page_label())
    subject = summary.model.title.get(lang) if summary.model is not None else title
    return build_pdf(story, furniture, title=f"{title}: {unit.name}", author="Swanilai",
                     subject=subject, lang=lang, on_page=None if plan_ref.is_set else watermark(draft_mark()))
