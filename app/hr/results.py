"""HR's results pages: the unit dashboard, people and their results, reports and exports.

Scope is the HR person's own unit and everything below it; anything outside answers 404."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, stream_with_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..web.downloads import download
from ..web.errors import render_error
from ..models import Assessment
from ..reports.unit import dashboard_charts
from ..services.reports import pdf_zip_stream, unit_report_pdf
from ..web.results import pdf_response, result_page
from ..services import audit, exports, hr_people, module_people
from ..services import rounds as round_rules
from ..services import unit_reports as reports
from ..services.errors import NotFound
from ..services.units import units_in_scope
from ..web import loaders
from ..web.urls import is_local_path


def lang() -> str:
    return str(get_locale() or "id")


#: The filter arguments, in the order they are read: the round depends on the unit.
FILTER_KEYS = ("unit", "round", "position", "version", "from", "to")


def filters_or_error():
    """The request's filters, or an error response (404 out of scope, 400 malformed): for the
    downloads, which have no page to show the error on."""
    try:
        return reports.parse_filters(request.args, current_user.unit), None
    except NotFound:
        return None, render_error(404)
    except reports.FilterError as error:
        return None, render_error(400, str(error.message))


def filters_with_errors():
    """For the pages with the filter form: (filters, {argument: message}, response). A malformed
    filter does not refuse the page: the filters are read one by one, each bad one is left out
    (and its message shown next to it, the page answering 400) and the others are kept. Only a
    unit or round outside the scope is refused outright (404, the page would reveal it)."""
    try:
        return reports.parse_filters(request.args, current_user.unit), {}, None
    except NotFound:
        return None, {}, render_error(404)
    except reports.FilterError:
        pass
    kept: dict[str, str] = {}
    problems: dict[str, str] = {}
    for key in FILTER_KEYS:
        if key not in request.args:
            continue
        trying = {**kept, key: request.args[key]}
        try:
            reports.parse_filters(trying, current_user.unit)
        except NotFound:
            return None, {}, render_error(404)
        except reports.FilterError as error:
            problems[key] = str(error.message)
        else:
            kept = trying
    return reports.parse_filters(kept, current_user.unit), problems, None


def list_args(filters, status: str = "") -> dict[str, str]:
    """The results list's state (filters, search, status, sort) as URL arguments, without the page."""
    args = filters.as_args()
    for key, value in (("q", request.args.get("q", "")[:100].strip()), ("status", status),
                       ("sort", request.args.get("sort", "")), ("dir", request.args.get("dir", ""))):
        if value:
            args[key] = value
    return args


def filter_choices(filters) -> dict:
    in_round = reports.Filters(current_user.unit, round=filters.round)
    versions = reports.versions_in(in_round)
    model = reports.reference_model(in_round, versions)
    return {
        "units": units_in_scope(current_user.unit),
        "positions": [(p.id, p.name.get(lang())) for p in model.positions] if model else [],
        "versions": versions,
        "rounds": round_rules.rounds_meeting(current_user.unit),
    }


def dashboard():
    filters, problems, refused = filters_with_errors()
    if refused:
        return refused
    summary = reports.summarise(filters)
    return render_template("hr/dashboard.html", summary=summary, filters=filters, args=filters.as_args(),
                           choices=filter_choices(filters), lang=lang(), filter_errors=problems,
                           raw_args=request.args, charts=dashboard_charts(summary, lang())), 400 if problems else 200


def people():
    """The results list. Its state (filters, search, status, sort, page) goes with every link to
    a person as ``back``, so that their page leads back to the same list."""
    filters, problems, refused = filters_with_errors()
    if refused:
        return refused
    raw_status = request.args.get("status", "")
    try:
        status = hr_people.parse_status(raw_status)
    except reports.FilterError as error:
        problems["status"], status, raw_status = str(error.message), None, ""
    per_page = current_app.config["USERS_PER_PAGE"]
    query = request.args.get("q", "")[:100]
    list_error = None
    try:
        page = hr_people.people_page(filters, query, request.args.get("sort", "name"), request.args.get("dir", "asc"),
                                     request.args.get("page", "1"), per_page, status)
    except reports.FilterError as error:  # a sort or page that does not exist: the first page by name
        list_error = str(error.message)
        page = hr_people.people_page(filters, query, "name", "asc", "1", per_page, status)
    state = list_args(filters, raw_status)
    if list_error:
        state.pop("sort", None)
        state.pop("dir", None)
    back = request.full_path.rstrip("?")
    return render_template("hr/people.html", page=page, filters=filters, args=filters.as_args(), state=state,
                           back=back, choices=filter_choices(filters), lang=lang(), filter_errors=problems,
                           raw_args=request.args, status_filter=raw_status, list_error=list_error,
                           statuses=hr_people.STATUSES), 400 if problems or list_error else 200


def assessment_in_scope(assessment_id: int) -> Assessment:
    return loaders.assessment_for_hr(assessment_id)


def back_to_list() -> str:
    """Where the person page's "back" leads: the list it was opened from (``back``, a path on
    this site only), else the results list."""
    back = request.args.get("back", "")
    if len(back) <= 2000 and is_local_path(back):
        return back
    return url_for("hr.people")


def assessment(assessment_id: int):
    """A person's result with a header saying whose it is (``result_page``'s ``person``)."""
    item = assessment_in_scope(assessment_id)
    audit.record("result.view", actor_id=current_user.id, target_type="assessment", target_id=item.id,
                 ip=request.remote_addr)
    return result_page(item, lang(), pdf_url=url_for("hr.assessment_pdf", assessment_id=item.id),
                       back_url=back_to_list(), person=hr_people.person_header(item, lang()))


def assessment_pdf(assessment_id: int):
    return pdf_response(assessment_in_scope(assessment_id), lang(), actor_id=current_user.id)


def people_zip():
    """The PDFs of all or the selected people, built one by one as the ZIP streams out. The list's
    "selected" button sends ``selection=1``: with nothing ticked that is refused, not everyone's
    PDFs. More than ``CONFIRM_ABOVE`` files need ``confirm=1``, asked on a page that states the number."""
    filters, error = filters_or_error()
    if error:
        return error
    try:
        ids = hr_people.parse_ids(request.args.getlist("ids"))
    except reports.FilterError as problem:
        return render_error(400, str(problem.message))
    if request.args.get("selection") == "1" and not ids:
        return render_error(400, _("Nobody is selected. Tick the people whose PDFs you want, or download "
                                   "everyone's PDFs."))
    assessment_ids = hr_people.assessment_ids(filters, ids)
    if len(assessment_ids) > hr_people.CONFIRM_ABOVE and request.args.get("confirm") != "1":
        back = request.args.get("back", "")
        return render_template("hr/zip_confirm.html", count=len(assessment_ids), filters=filters,
                               hidden=[(k, v) for k, v in request.args.items(multi=True) if k != "confirm"],
                               back=back if len(back) <= 2000 and is_local_path(back) else url_for("hr.people"))
    audit.record("report.zip", actor_id=current_user.id, target_type="unit", target_id=filters.unit.id,
                 details={**filters.describe(), "count": len(assessment_ids), "selected": bool(ids)},
                 ip=request.remote_addr)
    stream = stream_with_context(pdf_zip_stream(assessment_ids, lang()))
    return download(stream, "application/zip", f"laporan-{filters.unit.code}.zip")


def unit_report():
    """The AKPK as PDF; ``appendix=1`` adds the people per module, ``module=<id>`` gives that one
    module's list alone (a short PDF instead of the whole appendix)."""
    filters, error = filters_or_error()
    if error:
        return error
    module = (request.args.get("module") or "").strip()
    if module:
        try:
            body, module_id = module_people.appendix_pdf(filters, lang(), module)
        except NotFound:
            return render_error(404)
        audit.record("report.unit", actor_id=current_user.id, target_type="unit", target_id=filters.unit.id,
                     details={**filters.describe(), "appendix": True, "module": module_id}, ip=request.remote_addr)
        return download(body, "application/pdf", f"lampiran-{filters.unit.code}-{module_id}.pdf")
    appendix = request.args.get("appendix") == "1"
    body = unit_report_pdf(filters, lang(), appendix=appendix)
    audit.record("report.unit", actor_id=current_user.id, target_type="unit", target_id=filters.unit.id,
                 details={**filters.describe(), "appendix": appendix}, ip=request.remote_addr)
    return download(body, "application/pdf", f"akpk-{filters.unit.code}.pdf")


def csv_separator() -> str | None:
    """The CSV's separator: the ``sep`` argument ("semicolon" or "comma"), else a semicolon when
    the browser asks for Indonesian first (Excel splits CSV at the list separator of the
    computer's regional settings, which the browser's languages follow, not the language chosen
    in Swanilai), else a comma. None for an unknown ``sep``."""
    raw = request.args.get("sep")
    if raw is not None:
        return exports.SEPARATORS.get(raw.strip().lower())
    preferred = request.accept_languages.best_match(["id", "en"])
    return exports.SEPARATORS["semicolon" if preferred == "id" else "comma"]


def export(table: str, fmt: str):
    if not exports.offered(table, fmt):
        abort(404)
    filters, error = filters_or_error()
    if error:
        return error
    sep = csv_separator()
    if sep is None:
        return render_error(400, _("Choose the CSV separator: semicolon or comma."))
    try:
        body, mimetype = exports.export_table(table, fmt, filters, lang(), sep=sep)
    except exports.ExportTooLarge as refused:
        return render_error(400, str(refused.message))
    if not isinstance(body, bytes):
        body = stream_with_context(body)
    details = {**filters.describe(), "format": fmt}
    if fmt == "csv":
        details["sep"] = "semicolon" if sep == ";" else "comma"
    audit.record("export." + table, actor_id=current_user.id, target_type="unit", target_id=filters.unit.id,
                 details=details, ip=request.remote_addr)
    return download(body, mimetype, f"{table}-{filters.unit.code}.{fmt}")
