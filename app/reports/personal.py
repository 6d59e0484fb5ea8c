"""The individual competency-gap report (PDF), built from plain data only.

``build_personal_pdf(report)`` reads one dict (see its docstring) and returns the PDF bytes. The
caller chooses the language: fixed labels come from gettext (wrap the call in
``flask_babel.force_locale(lang)``); questionnaire texts arrive already in that language.
"""
from __future__ import annotations

from typing import Any, Mapping

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Spacer

from ..engine.entitlement import PPPK
from . import plan_text
from .charts import levels_chart_parts
from .figures import integer, mode_label, page_label
from .layout import FRAME_HEIGHT, FRAME_WIDTH, Furniture, build_pdf, styles, table
from .text import KeepText, Text, TextGroup

DASH = "—"
# The tallest part of the levels chart: a drawing cannot break across pages, so a questionnaire
# with many domains gets its chart in parts; this leaves room for a heading above a part.
CHART_MAX_HEIGHT = FRAME_HEIGHT - 3 * cm


def _number(value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.0")
    return str(value)


def _date(value: Any) -> str:
    return format_date(value, format="long") if value is not None else DASH


# -- cover ------------------------------------------------------------------------------

def _cover(report: Mapping[str, Any], st: dict) -> list:
    person, assessment = report["person"], report["assessment"]
    rows = [
        (_("Name"), person.get("name")), (_("NIP"), person.get("nip")),
        (_("Unit"), person.get("unit")), (_("Position"), person.get("position")),
        (_("Submitted on"), _date(assessment.get("submitted_at"))),
        (_("Questionnaire"), _("%(title)s, version %(version)s",
                               title=assessment.get("questionnaire_title") or "",
                               version=assessment.get("version") or DASH)),
        (_("Assessment number"), assessment.get("id")),
    ]
    data = [[Text(label, st["cell_head"]), Text(value or DASH, st["cell"])]
            for label, value in rows]
    return [
        Spacer(1, 2.5 * cm),
        Text(_("Competency gap report"), st["title"]),
        Text(report["result"]["questionnaire"]["title"], st["subtitle"]),
        table(data, [4.5 * cm, FRAME_WIDTH - 4.5 * cm], header=False, zebra=False),
        Spacer(1, 1 * cm),
        Text(disclaimer(), st["note"]),
        PageBreak(),
    ]


def disclaimer() -> str:
    return _("This report is a self-assessment to help plan competency development. It is not a "
             "competency test and not a certification. The levels follow from your own answers "
             "and the scoring rules of the questionnaire.")


# -- summary and chart ----------------------------------------------------------------

def _assessed(result: Mapping[str, Any]) -> list[dict]:
    return [d for d in result["domains"] if d["level"] is not None]


def summary_text(result: Mapping[str, Any]) -> str:
    """One paragraph: targets met, the largest gaps, unassessed domains, JP vs entitlement."""
    assessed = _assessed(result)
    met = sum(1 for d in assessed if not d["gap"])
    parts = [_("%(met)d of %(assessed)d assessed domains meet the target for the position "
               "%(position)s.", met=met, assessed=len(assessed),
               position=result["position"]["name"])]
    gaps = sorted((d for d in assessed if d["gap"]), key=lambda d: d["rank"] or 0)[:3]
    if gaps:
        listed = ", ".join(_("%(domain)s (gap %(gap)d)", domain=d["name"], gap=d["gap"])
                           for d in gaps)
        parts.append(_("The largest gaps: %(domains)s.", domains=listed))
    elif assessed:
        parts.append(_("There is no gap in any assessed domain."))
    missing = len(result["domains"]) - len(assessed)
    if missing:
        parts.append(ngettext(
            "%(num)d domain could not be given a level because too few of its items were "
            "answered.",
            "%(num)d domains could not be given a level because too few of their items were "
            "answered.", missing))
    plan = result["plan"]
    if plan.get("employment_type") == PPPK:
        parts.append(_("The training plan totals %(total)d JP; PPPK competency development is at "
                       "most %(entitlement)d JP a year.",
                       total=plan["total_jp"], entitlement=plan["entitlement_jp"]))
    else:
        parts.append(_("The training plan totals %(total)d JP; every PNS is entitled to at least "
                       "%(entitlement)d JP of competency development a year.",
                       total=plan["total_jp"], entitlement=plan["entitlement_jp"]))
    return " ".join(parts)


def chart_rows(result: Mapping[str, Any]) -> list[dict]:
    return [{"name": d["name"], "level": d["level"], "target": d["target"]}
            for d in result["domains"]]


def _summary(report: Mapping[str, Any], st: dict) -> list:
    result, levels = report["result"], report["levels"]
    charts = levels_chart_parts(chart_rows(result), len(levels),
                                {lv["level"]: lv["name"] for lv in levels}, width=FRAME_WIDTH,
                                max_height=CHART_MAX_HEIGHT)
    return [
        Text(_("Summary"), st["h1"]),
        Text(summary_text(result), st["body"]),
        KeepText([Text(_("Achieved and target level per domain"), st["h2"]), Spacer(1, 4),
                  charts[0]]),
        *charts[1:],
    ]


def _head_row(labels: list[str], st: dict, right: tuple[int, ...] = ()) -> list:
    return [Text(label, st["cell_head_right" if n in right else "cell_head"])
            for n, label in enumerate(labels)]


# -- domains ----------------------------------------------------------------------------

def _domain_table(result: Mapping[str, Any], st: dict) -> list:
    head = [_("Domain"), _("Score"), _("Level"), _("Target"), _("Gap")]
    rows = [_head_row(head, st, right=(1, 4))]
    for d in result["domains"]:
        rows.append([
            Text(d["name"], st["cell"]),
            _number(d["score"]),
            Text(d["level_name"] or _("Not assessed"), st["cell"]),
            Text(d["target_name"], st["cell"]),
            _number(d["gap"]),
        ])
    widths = [FRAME_WIDTH - 10.4 * cm, 1.8 * cm, 2.6 * cm, 2.6 * cm, 3.4 * cm]  # "Kesenjangan" fits
    return [Text(_("Results per domain"), st["h1"]),
            Text(_("Score: 0–100. Gap: how many levels below the target of the "
                   "position."), st["small"]),
            table(rows, widths, right=(1, 4))]


def _explanations(result: Mapping[str, Any], st: dict) -> list:
    groups = []
    for d in result["domains"]:
        if d["level"] is None:
            head = _("%(domain)s: not assessed", domain=d["name"])
        elif d.get("self_rated_level") is not None:  # anchored: the level is not read off the score
            head = _("%(domain)s: %(level)s", domain=d["name"], level=d["level_name"])
        else:
            head = _("%(domain)s: %(level)s (score %(score)s)", domain=d["name"],
                     level=d["level_name"], score=_number(d["score"]))
        texts = [r["text"] for r in d["reasons"]] or [
            _("The level follows from the score; no scoring rule changed it.")]
        parts = [(head, st["h2"], None)]
        if d.get("self_rated_level") is not None:
            parts.append((_("Self-rating %(mean)s (level %(level)s) · scenarios %(scenarios)s %%",
                            mean=_number(d["self_rating"]), level=d["self_rated_level"],
                            scenarios=_number(d["scenario_score"])), st["body"], None))
        parts += [(text, st["bullet"], "•") for text in texts]
        if d.get("descriptor"):
            parts.append((_("At %(level)s: %(descriptor)s", level=d["level_name"], descriptor=d["descriptor"]),
                          st["body"], None))
        following = d.get("next_level")
        if following and following["descriptor"]:
            parts.append((_("To reach %(level)s you would: %(descriptor)s", level=following["name"],
                            descriptor=following["descriptor"]), st["body"], None))
        groups.append(parts)
    if groups:  # the heading never stays alone at the foot of a page
        groups[0].insert(0, (_("How each level was reached"), st["h1"], None))
    return [TextGroup(parts) for parts in groups]


# -- training plan ------------------------------------------------------------------------

def _plan(result: Mapping[str, Any], st: dict, done: Mapping[str, Any] | None = None) -> list:
    """The plan by year: the yearly figure of the person's type and the priority rule, then per
    year its heading ("Tahun 1 — 20 JP") with its modules in priority order (a module done says
    so under its title), then the total and the JP done and remaining."""
    plan = result["plan"]
    done = done or {}
    out = [Text(_("Training plan"), st["h1"])]
    years = plan_text.plan_years(plan, done)
    if years:
        out.append(Text(plan_text.yearly_rule(plan), st["body"]))
        out.append(Text(plan_text.priority_rule(), st["small"]))
        head = [_("Module"), _("Domain"), _("Mode"), _("JP"), _("Provider")]
        widths = [FRAME_WIDTH - 11 * cm, 3.8 * cm, 2.3 * cm, 1.2 * cm, 3.7 * cm]
        for year in years:
            rows = [_head_row(head, st, right=(3,))]
            for m in year["modules"]:
                title = f"{m['title']}\n{m['done_text']}" if m["done_text"] else m["title"]
                rows.append([Text(title, st["cell"]),
                             Text(m["domain_name"], st["cell"]),
                             Text(mode_label(m["mode"]), st["cell"]),
                             integer(m["jp"]),
                             Text(m["provider"], st["cell"])])
            parts = [Text(year["heading"], st["h2"])]
            if year["over_note"]:
                parts.append(Text(year["over_note"], st["small"]))
            out.append(KeepText([*parts, Spacer(1, 2), table(rows, widths, right=(3,))]))
        out.append(Spacer(1, 4))
        out.append(Text(plan_text.plan_total(plan), st["body"]))
        out.append(Text(plan_text.progress(plan, done)["line"], st["body"]))
        out.append(Text(plan_text.done_rule(), st["small"]))
    else:
        out.append(Text(_("No training module is needed to reach the targets."),
                        st["body"]))
    out.append(Spacer(1, 4))
    out.append(Text(plan["entitlement_note"], st["body"]))
    if plan["unclosable"]:
        out.append(Text(_("Gaps no module in the catalogue can close"), st["h2"]))
        out += [Text(u["text"], st["bullet"], "•")
                for u in plan["unclosable"]]
    return out


def _target(target: Mapping[str, Any] | None, st: dict) -> list:
    """The gaps against the position the person aims for, apart from the plan they do not drive."""
    if not target:
        return []
    rows = [_head_row([_("Domain"), _("Level"), _("Target"), _("Gap")], st, right=(3,))]
    rows += [[Text(d["name"], st["cell"]), Text(d["level_name"], st["cell"]),
              Text(d["target_name"], st["cell"]), integer(d["gap"])] for d in target["domains"]]
    widths = [FRAME_WIDTH - 9.4 * cm, 3 * cm, 3 * cm, 3.4 * cm]
    return [KeepText([Text(plan_text.target_heading(target["position"]["name"]), st["h1"]),
                      Text(plan_text.target_note(), st["small"]), Spacer(1, 2)]),
            table(rows, widths, right=(3,))]


# -- scale and answers ------------------------------------------------------------------

def _scale(levels: list[Mapping[str, Any]], st: dict) -> list:
    head = [_("Level"), _("Name"), _("Description")]
    rows = [_head_row(head, st)]
    rows += [[str(lv["level"]), Text(lv["name"], st["cell"]),
              Text(lv["descriptor"], st["cell"])] for lv in levels]
    return [Text(_("Proficiency scale"), st["h1"]),
            table(rows, [1.7 * cm, 3 * cm, FRAME_WIDTH - 4.7 * cm])]


def answer_lines(answer: Any) -> list[str]:
    """An answer as display lines: one per picked option, "(not answered)" when empty."""
    if isinstance(answer, (list, tuple)):
        return [str(a) for a in answer] or [_("(none of these)")]
    if answer is None or answer == "":
        return [_("(not answered)")]
    return [str(answer)]


def _answers(answers: list[Mapping[str, Any]], st: dict) -> list:
    """One group per answer: the question and the answer stay together on a page when they fit,
    and a long free-text answer runs over the page break."""
    out = [PageBreak(), Text(_("Appendix: your answers"), st["h1"])]
    domain = None
    for row in answers:
        parts = [(row.get("item"), st["question"], None)]
        parts += [(line, st["answer"], "→") for line in answer_lines(row.get("answer"))]
        if row.get("domain") != domain:  # a domain heading stays with its first answer
            domain = row.get("domain")
            parts.insert(0, (domain, st["h2"], None))
        out.append(TextGroup(parts))
    if not answers:
        out.append(Text(_("(not answered)"), st["body"]))
    return out


# -- the document -----------------------------------------------------------------------

def build_personal_pdf(report: Mapping[str, Any]) -> bytes:
    """The individual report as PDF bytes.

    ``report``: {"person": {name, nip, unit, position}, "assessment": {id, submitted_at
    (datetime), questionnaire_title, version}, "result": result_to_dict(...), "levels":
    [{level, name, descriptor}], "answers": [{domain, item, answer}], "target": None or
    {"position": {id, name}, "domains": [{id, name, level, level_name, target, target_name, gap}]}
    (``services.reports.target_gaps``), "done": {module id: {completed_on, jp}} (optional,
    ``services.realisations.plan_done``), "lang": "id" | "en"}.
    """
    st = styles()
    result, person = report["result"], report["person"]
    story = (_cover(report, st) + _summary(report, st) + _domain_table(result, st)
             + _explanations(result, st) + _plan(result, st, report.get("done")) + _target(report.get("target"), st)
             + _scale(report["levels"], st)
             + [Text(disclaimer(), st["note"])]
             + _answers(report.get("answers") or [], st))
    title = _("Competency gap report")
    assessment = report["assessment"]
    furniture = Furniture(
        header_left=f"Swanilai · {title}",
        header_right=" · ".join(str(v) for v in (person.get("name"), person.get("nip")) if v),
        footer_left=_("%(title)s, version %(version)s",
                      title=assessment.get("questionnaire_title") or "",
                      version=assessment.get("version") or DASH),
        page_label=page_label())
    return build_pdf(story, furniture, title=f"{title}: {person.get('name') or ''}".strip(),
                     author="Swanilai", subject=result["questionnaire"]["title"],
                     lang=report.get("lang") or "id")
