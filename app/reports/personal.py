"""The individual competency-gap report (PDF), built from plain data only.

``build_personal_pdf(report, appendix=False)`` reads one dict (see its docstring) and returns the
PDF bytes. The caller chooses the language: fixed labels come from gettext (wrap the call in
``flask_babel.force_locale(lang)``); questionnaire texts arrive already in that language.

The document is a core of two or three pages (identity, summary, chart, results per domain, how
each level was reached, the plan by year, the scale, the signature block) and, when asked for,
the appendix of the person's answers. A scenario is quoted once in the whole document: the
explanations name items by number ("5.3") and quote each one once below them, or, with the
appendix, leave the quoting to the appendix, where every item is listed with its answer.
"""
from __future__ import annotations

from typing import Any, Mapping

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from . import plan_text
from .charts import levels_chart_parts
from .fonts import REGULAR
from .figures import integer, long_date, mode_label, page_label, report_locale
from .palette import ZEBRA
from .layout import FRAME_HEIGHT, FRAME_WIDTH, Furniture, HouseCell, build_pdf, fit, styles, table
from .text import KeepText, Text, TextGroup

DASH = "—"
DOTS = "……………"  # a blank to fill in by hand
# The tallest part of the levels chart: a drawing cannot break across pages, so a questionnaire
# with many domains gets its chart in parts; this leaves room for a heading above a part.
CHART_MAX_HEIGHT = FRAME_HEIGHT - 3 * cm
CHART_SCALE = 0.85  # the chart's text at 7.7 pt (names) and 6.8 pt (legend, axis)
# Table rows of the core in smaller type with less padding, so that the plan of a whole
# questionnaire (nine modules and more) still leaves the core at three pages.
DENSE = [("FONT", (0, 0), (-1, -1), REGULAR, 8, 10), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
         ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]


def _number(value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.0")
    return integer(value) if isinstance(value, int) else str(value)


def _percent(value: float | None) -> str:
    """A percentage given as 0..100 (as the result stores it), one decimal at most: "66,7%"."""
    return DASH if value is None else format_percent(value / 100, format="#,##0.#%")


def _date(value: Any) -> str:
    return long_date(value)


def employment_label(value: str | None) -> str:
    return (value or "").upper() or DASH


# -- identity ---------------------------------------------------------------------------

def _identity(report: Mapping[str, Any], st: dict) -> list:
    """Title, questionnaire and the person, two facts a row."""
    person, assessment = report["person"], report["assessment"]
    plan = report["result"]["plan"]
    round_name = person.get("round") or assessment.get("round")
    employment = person.get("employment_type") or plan.get("employment_type")
    pairs = [
        ((_("Name"), person.get("name")), (_("NIP"), person.get("nip"))),
        ((_("Unit"), person.get("unit")), (_("Position"), person.get("position"))),
        ((_("Employment type"), employment_label(employment)),
         (_("Round"), round_name or _("Self-assessment outside any round"))),
        ((_("Submitted on"), _date(assessment.get("submitted_at"))),
         (_("Assessment number"), str(assessment.get("id") or DASH))),
    ]
    label_w = 3.2 * cm
    value_w = FRAME_WIDTH / 2 - label_w
    data = [[cell for label, value in row for cell in (Text(label, st["cell_head"]),
                                                       Text(value or DASH, st["cell"]))]
            for row in pairs]
    data.append([Text(_("Questionnaire"), st["cell_head"]),
                 Text(_("%(title)s, version %(version)s", title=assessment.get("questionnaire_title") or "",
                        version=assessment.get("version") or DASH), st["cell"]), "", ""])
    grid = table(data, [label_w, value_w, label_w, value_w], header=False, zebra=False,
                 extra=DENSE + [("SPAN", (1, len(data) - 1), (3, len(data) - 1))])
    return [
        Text(_("Competency gap report"), st["title"]),
        Text(report["result"]["questionnaire"]["title"], st["subtitle_tight"]),
        grid,
        Text(disclaimer(), st["note"]),
    ]


def disclaimer() -> str:
    return _("This report is a self-assessment to help plan competency development. It is not a "
             "competency test and not a certification. The levels follow from your own answers "
             "and the scoring rules of the questionnaire.")


# -- summary and chart ----------------------------------------------------------------

def _assessed(result: Mapping[str, Any]) -> list[dict]:
    return [d for d in result["domains"] if d["level"] is not None]


def summary_text(result: Mapping[str, Any]) -> str:
    """One paragraph: targets met, the largest gaps, unassessed domains, the plan's total (the
    entitlement is said once, under the plan)."""
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
    if plan["modules"]:
        parts.append(_("The training plan totals %(total)s JP.", total=integer(plan["total_jp"])))
    return " ".join(parts)


def chart_rows(result: Mapping[str, Any]) -> list[dict]:
    return [{"name": d["name"], "level": d["level"], "target": d["target"]}
            for d in result["domains"]]


def _summary(report: Mapping[str, Any], st: dict) -> list:
    result, levels = report["result"], report["levels"]
    charts = [_scaled(chart, CHART_SCALE) for chart in levels_chart_parts(
        chart_rows(result), len(levels), {lv["level"]: lv["name"] for lv in levels},
        width=FRAME_WIDTH / CHART_SCALE, max_height=CHART_MAX_HEIGHT / CHART_SCALE)]
    return [
        Text(_("Summary"), st["h1"]),
        Text(summary_text(result), st["body"]),
        KeepText([Text(_("Achieved and target level per domain"), st["h2"]), Spacer(1, 2),
                  charts[0]]),
        *charts[1:],
    ]


def _scaled(drawing: Drawing, factor: float) -> Drawing:
    """``drawing`` drawn ``factor`` times its size (its text too): the chart is laid out for a
    wider frame and shrunk into this one, which makes it lower without squashing its bars."""
    drawing.scale(factor, factor)
    drawing.width, drawing.height = drawing.width * factor, drawing.height * factor
    return drawing


def _head_row(labels: list[str], st: dict, right: tuple[int, ...] = ()) -> list:
    return [Text(label, st["cell_head_right" if n in right else "cell_head"])
            for n, label in enumerate(labels)]


# -- domains ----------------------------------------------------------------------------

def _domain_table(result: Mapping[str, Any], refs: "ItemRefs", st: dict) -> list:
    """Score, level, target and gap a row a domain, and under each row, in small type, how the
    level was reached (``explanation_lines``)."""
    head = [_("Domain"), _("Score"), _("Level"), _("Target"), _("Gap")]
    rows, extra = [_head_row(head, st, right=(1, 4))], []
    for d in result["domains"]:
        rows.append([
            Text(d["name"], st["cell_head"]),
            _number(d["score"]),
            Text(d["level_name"] or _("Not assessed"), st["cell"]),
            Text(d["target_name"], st["cell"]),
            _number(d["gap"]),
        ])
        if confirmed(d):
            continue
        n = len(rows)  # the explanation's row, under the domain's
        extra += [("SPAN", (0, n), (-1, n)), ("LINEBELOW", (0, n - 1), (-1, n - 1), 0.4, colors.white),
                  ("TOPPADDING", (0, n), (-1, n), 0), ("BOTTOMPADDING", (0, n - 1), (-1, n - 1), 1)]
        rows.append([Text(" ".join(explanation_lines(d, refs)), st["explain"]), "", "", "", ""])
    widths = [FRAME_WIDTH - 9.2 * cm, 1.4 * cm, 2.5 * cm, 2.5 * cm, 2.8 * cm]  # "Kesenjangan" fits
    held = [f"{d['name']} ({_percent(d.get('scenario_score'))})" for d in result["domains"] if confirmed(d)]
    after = [Text(_("The scenarios confirm the self-rated level in: %(domains)s.", domains="; ".join(held)),
                  st["small"])] if held else []
    return [KeepText([Text(_("Results per domain"), st["h1"]),
                      Text(_("Score: 0–100. Gap: how many levels below the target of the "
                             "position."), st["small"]),
                      Text(_scoring_note(result), st["small"]),
                      table(rows, widths, right=(1, 4), zebra=False, extra=DENSE + extra)]), *after]


class ItemRefs:
    """The items the explanations name: each by its number ("5.3", as in the appendix) and
    quoted once in the document. ``report["answers"]`` rows with "item_id" and "number" give the
    numbers; an item without one is numbered in the order it is first named ("[1]")."""

    def __init__(self, answers: list[Mapping[str, Any]], *, appendix: bool):
        self.numbers = {r["item_id"]: str(r["number"]) for r in answers
                        if r.get("item_id") and r.get("number")}
        self.texts = {r["item_id"]: r.get("item") for r in answers if r.get("item_id")}
        self.appendix = appendix
        self.quotes: list[tuple[str, str]] = []  # (number, text) in the order first named
        self.named: set[str] = set()

    def ref(self, item_id: str, text: str | None = None) -> str:
        if item_id not in self.numbers:
            self.numbers[item_id] = f"[{len([k for k in self.numbers if k not in self.texts]) + 1}]"
        number = self.numbers[item_id]
        if item_id not in self.named:
            self.named.add(item_id)
            quote = text or self.texts.get(item_id)
            if quote and not self.appendix:
                self.quotes.append((number, quote))
        return number


def _scoring_note(result: Mapping[str, Any]) -> str:
    if result.get("scoring_model") == "anchored":
        return _("A domain's level is its self-rated level (the weighted mean of its self-ratings, "
                 "rounded), checked against its scenarios: a low scenario score lowers it, and some "
                 "wrong answers cap it. Items are named by their number.")
    return _("A domain's level follows from its score by the questionnaire's thresholds; some wrong "
             "answers cap it. Items are named by their number.")


def confirmed(d: Mapping[str, Any]) -> bool:
    """An anchored domain whose level is its self-rated level, confirmed by its scenarios, with
    nothing that capped it or lowered its score: said once for all of them, under the table."""
    return (d["level"] is not None and d.get("self_rated_level") is not None and not d.get("lowered_by")
            and d.get("scenario_check") is None and not d.get("caps") and not d.get("pulled_down"))


def explanation_lines(d: Mapping[str, Any], refs: ItemRefs) -> list[str]:
    """Why the domain got its level, in short sentences that quote nothing (items by number);
    the items are named early in a sentence, so two domains with the same figures do not read
    the same. The scenarios that pulled a score down are listed by number only with the appendix,
    which quotes them; the core names only the items that capped a level (their reason says what
    went wrong), which keeps it within three pages."""
    kinds = {r.get("kind") for r in d.get("reasons") or []}
    if d["level"] is None:
        if "no_self_rating" in kinds:
            return [_("Not assessed: no self-rating is answered.")]
        if "no_scenario" in kinds:
            return [_("Not assessed: no scenario is answered.")]
        return [_("Not assessed: %(answered)s of %(items)s items answered, too few for a level.",
                  answered=integer(d.get("answered") or 0), items=integer(d.get("scored_items") or 0))]
    pulled = ", ".join(f"{refs.ref(p['item_id'], p.get('text'))}: {_percent(p.get('score'))}"
                       for p in d.get("pulled_down") or []) if refs.appendix else ""
    lines = []
    following = d.get("next_level")
    if d.get("gap") and following and following.get("descriptor"):  # first: what is the domain's own
        lines.append(_("To reach %(level)s you would: %(descriptor)s", level=following["name"],
                       descriptor=following["descriptor"]))
    if d.get("self_rated_level") is not None:
        lines.append(_("Self-rating %(mean)s, level %(level)s.", mean=_number(d.get("self_rating")),
                       level=integer(d["self_rated_level"])))
        score = _percent(d.get("scenario_score"))
        if pulled:
            score = f"{score} ({pulled})"
        if d.get("lowered_by"):
            lines.append(_("Scenarios %(score)s: lowered by %(lowered)s to level %(level)s.", score=score,
                           lowered=integer(d["lowered_by"]), level=integer(d["uncapped_level"])))
        elif d.get("scenario_check") is not None:
            lines.append(_("Scenarios %(score)s: would lower it, but level 1 is the lowest.", score=score))
        else:
            lines.append(_("Scenarios %(score)s: the self-rating holds.", score=score))
    else:
        lines.append(_("Score %(score)s, level %(level)s.", score=_number(d["score"]), level=integer(d["level"])))
        if pulled:
            lines.append(_("Items that pulled the score down: %(items)s.", items=pulled))
    for cap in d.get("caps") or []:
        text = _("Capped at level %(level)s by the answer to item %(item)s.", level=integer(cap["max_level"]),
                 item=refs.ref(cap["item_id"]))
        lines.append(f"{text} {cap['reason']}" if cap.get("reason") else text)
    return lines


def _quotes(refs: ItemRefs, st: dict) -> list:
    """Each item named in the explanations, quoted once; with the appendix, a line saying that
    the appendix quotes them."""
    if refs.quotes:
        parts = [(_("Items named above"), st["h2"], None)]
        style = st["quote"]  # a line each: the start of the item, enough to recognise it
        parts += [(fit(f"{number} “{text}”", style.fontName, style.fontSize, FRAME_WIDTH - 2), style, None)
                  for number, text in refs.quotes]
        group = TextGroup(parts)
        group.keep = False  # a line a quote: they may run over a page break (the heading keeps a line)
        return [group]
    if refs.appendix and refs.named:
        return [Text(_("The items named above are quoted with your answers in the appendix."), st["small"])]
    return []


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
        head = [_("Module"), _("Mode"), _("JP"), _("Provider")]  # the module's domain: in the results above
        widths = [FRAME_WIDTH - 6.4 * cm, 2.3 * cm, 0.9 * cm, 3.2 * cm]
        rows, extra = [_head_row(head, st, right=(2,))], []
        for year in years:  # one table: a row heading each year ("Tahun 1 — 20 JP"), then its modules
            heading = year["heading"] if not year["over_note"] else f"{year['heading']}\n{year['over_note']}"
            extra += [("SPAN", (0, len(rows)), (-1, len(rows))), ("BACKGROUND", (0, len(rows)), (-1, len(rows)), ZEBRA)]
            rows.append([Text(heading, st["dense_head"]), "", "", ""])
            for m in year["modules"]:
                title = f"{m['title']}\n{m['done_text']}" if m["done_text"] else m["title"]
                rows.append([Text(title, st["dense"]),
                             Text(mode_label(m["mode"]), st["dense"]),
                             integer(m["jp"]),
                             Text(m["provider"], st["dense"])])
        out.append(table(rows, widths, right=(2,), zebra=False, extra=DENSE + extra))
        out.append(Spacer(1, 4))
        out.append(Text(f"{plan_text.plan_total(plan)} {plan_text.progress(plan, done)['line']}", st["body"]))
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


def target_gap_text(target: Mapping[str, Any]) -> str:
    """The gaps against the position aimed for in one paragraph: each domain below that position's
    target ("Strategi: Dasar → Cakap, kesenjangan 1"), then the domains that already meet it."""
    below = [_("%(domain)s: %(level)s → %(target)s, gap %(gap)s", domain=d["name"], level=d["level_name"],
               target=d["target_name"], gap=integer(d["gap"])) for d in target["domains"] if d["gap"]]
    met = [d["name"] for d in target["domains"] if not d["gap"]]
    parts = [_("Below its target: %(domains)s.", domains="; ".join(below))] if below else \
        [_("Every domain meets the target of this position.")]
    if below and met:
        parts.append(_("Already met: %(domains)s.", domains=", ".join(met)))
    return " ".join(parts)


def _target(target: Mapping[str, Any] | None, st: dict) -> list:
    """The gaps against the position the person aims for, apart from the plan they do not drive:
    a paragraph, not a second table, so the core stays within three pages."""
    if not target:
        return []
    return [KeepText([Text(plan_text.target_heading(target["position"]["name"]), st["h2"]),
                      Text(target_gap_text(target), st["small"]),
                      Text(plan_text.target_note(), st["small"])])]


# -- scale, signatures and answers -------------------------------------------------------

def _scale(levels: list[Mapping[str, Any]], st: dict) -> list:
    """The proficiency scale, a line a level: "1 Awal — …"."""
    parts = [(_("Proficiency scale"), st["h2"], None)]
    parts += [(f"{integer(lv['level'])} {lv['name']} — {lv['descriptor']}", st["quote"], None) for lv in levels]
    return [TextGroup(parts)]


def signature_rows(person: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(role, name, NIP) of the three who sign: the person, the direct supervisor, the HR
    officer; what is not known is a blank line to fill in by hand."""
    return [(_("The employee"), person.get("name") or DOTS, person.get("nip") or DOTS),
            (_("Direct supervisor"), DOTS, DOTS),
            (_("HR officer"), DOTS, DOTS)]


def _signatures(report: Mapping[str, Any], st: dict) -> list:
    """Place and date above the last column, then a column a signatory: role, room to sign,
    name, NIP; kept on one page."""
    rows = signature_rows(report["person"])
    width = FRAME_WIDTH / 3
    place_date = [Text(_("Place: %(place)s", place=DOTS), st["cell"]),
                  Text(_("Date: %(date)s", date=DOTS), st["cell"])]
    cells = [[Text(role, st["cell_head"]), Spacer(1, 1.1 * cm), Text(name, st["cell"]),
              Text(_("NIP %(nip)s", nip=nip), st["cell"])] for role, name, nip in rows]
    block = Table([["", "", place_date], cells], colWidths=[width] * 3, hAlign="LEFT",
                  cellStyles=[[HouseCell() for _cell in cells] for _row in range(2)])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, 0), 8)]))
    return [Spacer(1, 4), KeepText([block])]


def answer_lines(answer: Any) -> list[str]:
    """An answer as display lines: one per picked option, "(not answered)" when empty."""
    if isinstance(answer, (list, tuple)):
        return [str(a) for a in answer] or [_("(none of these)")]
    if answer is None or answer == "":
        return [_("(not answered)")]
    return [str(answer)]


def _answers(answers: list[Mapping[str, Any]], st: dict) -> list:
    """One group per answer: the question (with its number) and the answer, a line per option
    picked, stay together on a page when they fit; a long free-text answer runs over the break."""
    out = [PageBreak(), Text(_("Appendix: your answers"), st["h1"])]
    domain = None
    for row in answers:
        question = row.get("item")
        if row.get("number"):
            question = f"{row['number']} {question}"
        parts = [(question, st["question"], None)]
        lines = answer_lines(row.get("answer"))
        bullet = "•" if isinstance(row.get("answer"), (list, tuple)) and len(lines) > 1 else "→"
        parts += [(line, st["answer"], bullet) for line in lines]
        if row.get("domain") != domain:  # a domain heading stays with its first answer
            domain = row.get("domain")
            parts.insert(0, (domain, st["h2"], None))
        out.append(TextGroup(parts))
    if not answers:
        out.append(Text(_("(not answered)"), st["body"]))
    return out


# -- the document -----------------------------------------------------------------------

def _styles() -> dict:
    from reportlab.lib.styles import ParagraphStyle

    st = styles()
    st["subtitle_tight"] = ParagraphStyle("subtitle_tight", st["subtitle"], spaceAfter=8)
    st["body_tight"] = ParagraphStyle("body_tight", st["body"], spaceAfter=1)
    st["quote"] = ParagraphStyle("quote", st["small"], fontSize=7.5, leading=9.5, spaceAfter=0)
    st["explain"] = ParagraphStyle("explain", st["small"], leading=10, leftIndent=8, spaceAfter=0)
    st["dense"] = ParagraphStyle("dense", st["cell"], fontSize=8, leading=10)
    st["dense_head"] = ParagraphStyle("dense_head", st["cell_head"], fontSize=8, leading=10)
    return st


def build_personal_pdf(report: Mapping[str, Any], *, appendix: bool = False) -> bytes:
    """The individual report as PDF bytes: the core, and the answers when ``appendix``.

    ``report``: {"person": {name, nip, unit, position, employment_type, round}, "assessment":
    {id, submitted_at (a date or datetime, in the office's calendar), questionnaire_title,
    version}, "result": result_to_dict(...) with the level descriptors, "levels": [{level, name,
    descriptor}], "answers": [{domain, item, item_id, number, answer}] (an answer to a multi-select
    item is a list of the options picked), "target": None or {"position": {id, name}, "domains":
    [{id, name, level, level_name, target, target_name, gap}]} (``services.reports.target_gaps``),
    "done": {module id: {completed_on, jp}} (optional, ``services.realisations.plan_done``),
    "lang": "id" | "en"}. "employment_type", "round", "item_id" and "number" may be missing.
    """
    with report_locale():
        st = _styles()
        result, person = report["result"], report["person"]
        answers = report.get("answers") or []
        refs = ItemRefs(answers, appendix=appendix)
        story = (_identity(report, st) + _summary(report, st) + _scale(report["levels"], st)
                 + _domain_table(result, refs, st) + _quotes(refs, st) + _plan(result, st, report.get("done"))
                 + _target(report.get("target"), st) + _signatures(report, st))
        if appendix:
            story += _answers(answers, st)
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
