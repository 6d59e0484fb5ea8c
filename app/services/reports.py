"""Report assembly, the one place views, commands and benchmarks get a report from: the
personal report of an assessment (and the ZIP of many), and the unit report (AKPK). It reads the
database and hands plain values to app/reports, which only draws."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from ..engine.model import NOT_APPLICABLE, Item, UnknownPosition
from ..engine.stored import result_from_plain
from ..engine.training import gaps
from ..extensions import db
from ..models import Assessment, PlanEntry, Unit, User, utcnow
from ..reports.bundle import ZipEntry, person_entry_name, zip_stream
from ..reports.personal import build_personal_pdf
from ..reports import plan_data
from ..reports.unit import build_unit_pdf
from . import assessments as service
from . import realisations
from .clock import office_time
from .module_people import appendix_entries
from .unit_plans import current_plan, figures_of, plan_filters
from .unit_reports import Filters, assessment_conditions, summarise


def answer_text(item: Item, value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if value == NOT_APPLICABLE:
        return _("Not applicable")
    if item.type == "rating":
        return f"{value}. {item.anchors[int(value) - 1].get(lang)}"
    if item.type == "choice":
        option = item.option(value)
        return option.text.get(lang) if option else str(value)
    if item.type == "multi":
        texts = [item.option(v).text.get(lang) for v in value if item.option(v)]
        return "; ".join(texts) if texts else _("None of these")
    return str(value)


def answer_shown(item: Item, value: Any, lang: str) -> Any:
    """An answer as the personal PDF lists it: a multi-select answer as the list of the options
    picked (a line each), any other as ``answer_text``."""
    if item.type == "multi" and isinstance(value, (list, tuple)):
        texts = [item.option(v).text.get(lang) for v in value if item.option(v)]
        return texts or _("None of these")
    return answer_text(item, value, lang)


def _numbered_items(model, position_id: str) -> list[tuple[str, Item]]:
    """The person's items with their numbers: "3.2" is the second of them in the third domain."""
    out = []
    for d_number, domain in enumerate(model.domains, 1):
        mine = [item for item in model.items if item.domain_id == domain.id and item.applies_to(position_id)]
        out += [(f"{d_number}.{i_number}", item) for i_number, item in enumerate(mine, 1)]
    return out


def personal_report(assessment: Assessment, lang: str) -> dict:
    """Everything the personal PDF shows, as plain values in ``lang``."""
    model = service.model_of(assessment)
    answers = service.stored_answers(assessment)
    user = assessment.user
    result = service.result_for(assessment, lang)
    submitted = office_time(assessment.submitted_at).date() if assessment.submitted_at else None
    employment = assessment.employment_type or result["plan"].get("employment_type")
    return {
        "person": {"name": user.name if user else _("(anonymised)"), "nip": user.nip if user else "—",
                   "unit": assessment.unit.name, "position": result["position"]["name"],
                   "employment_type": employment,
                   "round": assessment.round.name if assessment.round is not None else None},
        "assessment": {"id": assessment.id, "submitted_at": submitted,
                       "questionnaire_title": model.title.get(lang), "version": assessment.version.number},
        "result": result,
        "levels": [{"level": lv.level, "name": lv.name.get(lang), "descriptor": lv.descriptor.get(lang)}
                   for lv in model.scale],
        "answers": [{"domain": model.domain(item.domain_id).name.get(lang), "item": item.text.get(lang),
                     "item_id": item.id, "number": number,
                     "answer": answer_shown(item, answers.get(item.id), lang)}
                    for number, item in _numbered_items(model, assessment.position_id)],  # the person's items
        "target": target_gaps(assessment, lang),
        "done": realisations.plan_done(assessment),
        "lang": lang,
    }


def target_gaps(assessment: Assessment, lang: str) -> dict | None:
    """The gaps against the position the person aims for (``target_position_id``), per assessed
    domain in questionnaire order; None without one (or with one the version no longer knows).
    Computed when shown from the stored scores: they never drive the plan, so nothing stores them."""
    target_id = assessment.target_position_id
    if not target_id or target_id == assessment.position_id or assessment.result is None:
        return None
    model = service.model_of(assessment)
    try:
        position = model.position(target_id)
    except UnknownPosition:
        return None
    found = {g.domain_id: g for g in gaps(model, result_from_plain(model, assessment.result).scores, target_id)}
    return {"position": {"id": position.id, "name": position.name.get(lang)},
            "domains": [{"id": d.id, "name": d.name.get(lang), "level": found[d.id].level,
                         "level_name": model.level_name(found[d.id].level, lang), "target": found[d.id].target,
                         "target_name": model.level_name(found[d.id].target, lang), "gap": found[d.id].gap}
                        for d in model.domains if d.id in found]}


def personal_pdf(assessment: Assessment, lang: str, appendix: bool = False) -> bytes:
    """The personal report; the appendix of the person's answers only when asked for."""
    with force_locale(lang):
        return build_personal_pdf(personal_report(assessment, lang), appendix=appendix)


def pdf_zip_stream(assessment_ids: list[int], lang: str):
    """The personal PDFs of the given assessments as a streamed ZIP (one PDF built at a time),
    each named ``NIP_Name.pdf`` in safe characters (``bundle.person_entry_name``; ``anonim_<id>.pdf``
    for an erased person). A report that cannot be built is replaced by a note in ``lang`` (see ``ZipFailureNotes``)."""

    def entries():
        for assessment_id in assessment_ids:
            entry = _zip_entry(assessment_id, lang)
            try:  # the assessment _zip_entry read is in the identity map: no second query
                assessment = db.session.get(Assessment, assessment_id)
                user = assessment.user if assessment is not None else None
            except Exception:  # noqa: BLE001 - the entry's builder reports it; keep its name
                db.session.rollback()
                assessment = None
            if assessment is not None:
                name = person_entry_name(user.nip, user.name, "") if user else f"anonim_{assessment_id}.pdf"
                entry = entry._replace(name=name)
            yield entry
            db.session.expunge_all()  # keep the identity map from growing with the archive

    return zip_stream(entries(), ZipFailureNotes(lang))


def _zip_entry(assessment_id: int, lang: str) -> ZipEntry:
    """The archive entry of one assessment. The database is read here and while building, and
    either may fail (a person erased meanwhile, the database gone): then the entry's builder
    raises, so that the archive gets a note instead of ending."""
    ref = f"assessment {assessment_id}"
    try:
        assessment = db.session.get(Assessment, assessment_id)
        if assessment is None:
            raise LookupError(f"{ref} no longer exists")
        user = assessment.user
        nip = user.nip if user else "anonim"
        label = f"{user.name}, NIP {user.nip}" if user else _("(anonymised)")
    except Exception as error:  # noqa: BLE001 - reported in the archive by the failing builder
        db.session.rollback()
        label = f"{_('Assessment number')} {assessment_id}"
        return ZipEntry(f"laporan-{assessment_id}.pdf", _raising(error), ref, label)

    def build() -> bytes:
        try:
            with force_locale(lang):
                return build_personal_pdf(personal_report(assessment, lang))
        except Exception:
            db.session.rollback()  # the next entry reads the database again
            raise

    return ZipEntry(f"laporan-{assessment.id}-{nip}.pdf", build, ref, label)


def _raising(error: Exception):
    def build() -> bytes:
        raise error
    return build


class ZipFailureNotes:
    """What the archive says, in the download's language, where a report could not be built."""

    SUMMARY = "LAPORAN-GAGAL.txt"

    def __init__(self, lang: str):
        self.lang = lang

    @staticmethod
    def note_name(entry: ZipEntry) -> str:
        stem = entry.name[:-4] if entry.name.endswith(".pdf") else entry.name
        return f"GAGAL-{stem}.txt"

    def _advice(self) -> str:
        return _("Download the missing reports one by one from each person's result page, or "
                 "report the problem to your administrator with the date and time of this "
                 "download.")

    def note(self, entry: ZipEntry) -> tuple[str, str]:
        with force_locale(self.lang):
            text = "\n\n".join([
                _("The report %(file)s (%(person)s) could not be built.", file=entry.name,
                  person=entry.label or entry.ref),
                self._advice()])
        return self.note_name(entry), text + "\n"

    def summary(self, failed) -> tuple[str, str]:
        with force_locale(self.lang):
            head = ngettext("%(num)d report could not be built; the other reports in this ZIP "
                            "are complete.",
                            "%(num)d reports could not be built; the other reports in this ZIP "
                            "are complete.", len(failed))
            lines = [f"- {entry.name} ({entry.label or entry.ref})" for entry in failed]
            text = "\n\n".join([head, "\n".join(lines), self._advice()])
        return self.SUMMARY, text + "\n"


def module_people(filters: Filters) -> list[dict[str, Any]]:
    """Who needs which module, for the report's optional appendix (names are listed, not counted)."""
    rows = db.session.execute(
        select(PlanEntry.module_id, User.name, User.nip, Unit.name)
        .join(Assessment, Assessment.id == PlanEntry.assessment_id)
        .join(User, User.id == Assessment.user_id)
        .join(Unit, Unit.id == Assessment.unit_id)
        .where(*assessment_conditions(filters))
        .order_by(PlanEntry.module_id)).all()  # the report lists the people in natural order
    grouped: dict[str, list[dict[str, str]]] = {}
    for module_id, name, nip, unit in rows:
        grouped.setdefault(module_id, []).append({"name": name, "nip": nip, "unit": unit})
    return [{"module_id": module_id, "people": people} for module_id, people in grouped.items()]


def unit_report_pdf(filters: Filters, lang: str, *, appendix: bool) -> bytes:
    """The unit's training-needs analysis (AKPK) as PDF; the caller records the download.

    The plan section draws the unit's current plan for the round: a draft's live figures
    (``unit_plans.plan_figures``), a set plan's snapshot (frozen when it was set), both for the
    unit and round alone (``unit_plans.plan_filters``)."""
    config = current_app.config
    with force_locale(lang):
        summary = summarise(filters)
        plan = current_plan(filters.round, filters.unit)
        covered = plan_filters(filters)  # the plan is the unit's and the round's, whatever else is filtered
        figures = plan_data.from_figures(figures_of(summary if covered == filters else summarise(covered),
                                                    filters.unit, plan))
        realised = realisations.against_plan(plan, filters.unit) if plan is not None and plan.is_set else None
        return build_unit_pdf(summary, lang, entitlement_jp=config["PNS_MIN_JP"], pppk_max_jp=config["PPPK_MAX_JP"],
                              appendix=appendix_entries(filters, summary, lang) if appendix else None,
                              generated_at=utcnow(),
                              plan=figures, plan_ref=plan_data.PlanRef.of(plan), realisation=realised)
