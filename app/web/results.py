"""The result page and the personal PDF download of a submitted assessment, shared by the
respondent's and HR's pages. Numbers come from the result stored at submit (its plan split into
years by the rule that filled ``plan_entries.year``, reports/plan_text.plan_years); only the gaps
against the position the person aims for are computed when shown (services/reports.target_gaps).
The report itself is assembled in services/reports.py."""

from __future__ import annotations

from flask import render_template, request

from ..models import Assessment
from ..reports import plan_text
from ..reports.charts import WEB_WIDTH, levels_chart, to_svg
from ..services import assessments as service
from ..services import audit, realisations, reports
from .downloads import download


def chart_svg(assessment: Assessment, result: dict, lang: str) -> str:
    model = service.model_of(assessment)
    rows = [{"name": d["name"], "level": d["level"], "target": d["target"]} for d in result["domains"]]
    names = [level.name.get(lang) for level in model.scale]
    return to_svg(levels_chart(rows, model.top_level, names, width=WEB_WIDTH))


def result_page(assessment: Assessment, lang: str, *, pdf_url: str, back_url: str | None = None,
                target_url: str | None = None, person: dict | None = None):
    """``target_url``: where the person's own page posts the position they aim for (HR's page has
    none, so it shows the gaps against that position without the form). ``person``: HR's header
    of whose result it is (``hr_people.person_header``)."""
    result = service.result_for(assessment, lang)
    ranked = sorted((d for d in result["domains"] if d["gap"]), key=lambda d: d["rank"] or 0)
    target = reports.target_gaps(assessment, lang)
    choices = None
    if target_url:
        choices = [(p.id, p.name.get(lang)) for p in service.model_of(assessment).positions
                   if p.id != assessment.position_id]
    plan = result["plan"]
    done = realisations.plan_done(assessment)
    heading = plan_text.target_heading(target["position"]["name"]) if target else None
    return render_template("results/result.html", assessment=assessment, result=result, ranked=ranked,
                           chart=chart_svg(assessment, result, lang), pdf_url=pdf_url, back_url=back_url,
                           years=plan_text.plan_years(plan, done), yearly_rule=plan_text.yearly_rule(plan),
                           priority_rule=plan_text.priority_rule(), plan_total=plan_text.plan_total(plan),
                           progress=plan_text.progress(plan, done), done_rule=plan_text.done_rule(),
                           target=target, target_heading=heading,
                           target_note=plan_text.target_note(), target_url=target_url, target_choices=choices,
                           person=person)


def pdf_filename(assessment: Assessment) -> str:
    """ASCII only, no user text: nothing a name could inject into the header."""
    return f"laporan-swanilai-{assessment.id}.pdf"


#: The query argument that adds the appendix of the answers: ``laporan.pdf?lampiran=1``.
APPENDIX_ARG = "lampiran"


def wants_appendix() -> bool:
    return request.args.get(APPENDIX_ARG, "").strip().lower() in ("1", "true", "ya", "yes")


def pdf_response(assessment: Assessment, lang: str, *, actor_id: int | None):
    """The personal PDF: the core report, with the answers appended under ``?lampiran=1``."""
    appendix = wants_appendix()
    body = reports.personal_pdf(assessment, lang, appendix=appendix)
    audit.record("report.individual", actor_id=actor_id, target_type="assessment", target_id=assessment.id,
                 details={"lang": lang, "appendix": appendix})
    return download(body, "application/pdf", pdf_filename(assessment))


