"""Calibration from collected data: a published version's distributions and suggested scoring
parameters, and a draft's impact preview on the answers collected on a published version (the
work is in ``services/calibration``; the charts are the reports' chart code, drawn into SVG)."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext

from ..engine.calibration import DEFAULT_PERCENTILE, PERCENTILES, SCORE_BANDS, NO_SEPARATION, TOO_FEW
from ..reports.charts import WEB_WIDTH, to_svg
from ..reports.distribution import distribution_chart
from ..services import drafts
from ..services.calibration import DraftInvalid, draft_impact, version_calibration
from ..services.questionnaires import parsed
from ..services.validation import is_ascii_digits
from ..web import loaders
from .views import lang


def _minimum() -> int:
    return current_app.config["STATS_MIN_RESPONSES"]


def _percentile() -> int:
    raw = request.args.get("percentile", "")
    if not raw:
        return DEFAULT_PERCENTILE
    if not is_ascii_digits(raw) or int(raw) not in PERCENTILES:
        abort(400)
    return int(raw)


def band_names() -> dict[int, str]:
    step = 100 // SCORE_BANDS
    return {b: f"{step * (b - 1)}–{step * b}%" for b in range(1, SCORE_BANDS + 1)}


def charts(model, calibration, language: str) -> dict[str, dict[str, str]]:
    """Per domain, inline SVG of the levels (self-rated and scored) and of the scores by
    self-rated level, drawn with the unit report's distribution chart."""
    levels = {n: model.level_name(n, language) for n in range(1, model.top_level + 1)}
    out = {}
    for dc in calibration.domains:
        name = model.domain(dc.domain_id).name.get(language)
        rated = sum(dc.self_rated.values())
        level_rows = [{"name": _("Self-rated level"), "counts": dc.self_rated, "unassessed": dc.people - rated},
                      {"name": _("Level"), "counts": dc.levels, "unassessed": dc.unassessed}]
        score_rows = [{"name": ngettext("Self-rated %(level)d %(name)s: %(num)d person",
                                        "Self-rated %(level)d %(name)s: %(num)d people", sum(bands.values()),
                                        level=k, name=levels[k]), "counts": bands, "unassessed": 0}
                      for k, bands in dc.bands.items() if sum(bands.values())]
        scores_title = (_("Scenario score by self-rated level: %(domain)s", domain=name)
                        if calibration.model == "anchored"
                        else _("Domain score by self-rated level: %(domain)s", domain=name))
        out[dc.domain_id] = {
            "levels": to_svg(distribution_chart(level_rows, levels, width=WEB_WIDTH, labels={
                "title": _("Self-rated and scored levels: %(domain)s", domain=name)})),
            "scores": to_svg(distribution_chart(score_rows, band_names(), width=WEB_WIDTH, labels={
                "title": scores_title})) if score_rows else "",
        }
    return out


def calibration(version_id: int):
    version = loaders.version(version_id)
    if version.is_draft:
        abort(404)
    percentile = _percentile()
    page = version_calibration(version, minimum=_minimum(), percentile=percentile)
    model = parsed(version)
    return render_template("trainer/calibration.html", version=version, page=page, model=model, lang=lang(),
                           cal=page.calibration, percentile=percentile, percentiles=PERCENTILES,
                           charts=charts(model, page.calibration, lang()) if page.calibration else {},
                           band_legend=", ".join(f"{b} = {name}" for b, name in band_names().items()),
                           TOO_FEW=TOO_FEW, NO_SEPARATION=NO_SEPARATION)


def impact(version_id: int):
    draft = loaders.draft(version_id)
    raw = request.args.get("against", "")
    if raw:
        if not is_ascii_digits(raw):
            abort(400)
        against = loaders.version(int(raw))
        if against.is_draft or against.questionnaire_id != draft.questionnaire_id:
            abort(404)
    else:
        against = drafts.current_published(draft.questionnaire)
    choices = [v for v in draft.questionnaire.versions if not v.is_draft]
    context = {"draft": draft, "against": against, "choices": sorted(choices, key=lambda v: -(v.number or 0)),
               "lang": lang(), "page": None, "problems": []}
    if against is None:
        return render_template("trainer/impact.html", **context)
    try:
        context["page"] = draft_impact(draft, against, minimum=_minimum(), lang=lang())
    except DraftInvalid as invalid:
        context["problems"] = invalid.problems
        return render_template("trainer/impact.html", **context), 400
    return render_template("trainer/impact.html", **context)
