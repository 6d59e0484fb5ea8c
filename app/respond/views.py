"""The respondent's pages: start with consent, answer domain by domain, submit, read the result."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import ValidationError, validate_csrf

from ..engine.answers import AnswersInvalid
from ..engine.model import NOT_APPLICABLE
from ..engine.option_order import assessment_seed
from ..web.errors import render_error
from ..extensions import csrf
from ..models import Assessment
from ..web.results import pdf_response, result_page
from ..web.access import roles_required
from ..services import assessments as service
from ..services import audit, pending, privacy
from ..services.errors import ServiceError
from ..services.personal_data import export_person
from ..services.questionnaires import parsed
from ..web.i18n import format_day
from ..web.signin import sign_in_keeping
from ..web import loaders
from ..web.answer_forms import TamperedForm, answers_from_form, domain_form_class, form_values
from ..web.forms import choices
from ..services import rounds as round_rules
from ..web.forms import ActionForm
from .forms import CorrectionForm, StartForm, SubmitForm, TargetPositionForm

bp = Blueprint("respond", __name__)
ANSWER_ENDPOINT = "respond.domain"


@bp.before_request
def require_respondent():
    """Respondents reach only their own assessments. A domain page posted after the session
    ended is let through so the view can keep the answers (see `domain`)."""
    if request.endpoint == ANSWER_ENDPOINT and request.method == "POST" and not current_user.is_authenticated:
        return None
    return roles_required("respondent")(lambda: None)()


def lang() -> str:
    return str(get_locale() or "id")


def owned(assessment_id: int) -> Assessment:
    return loaders.own_assessment(assessment_id)


@bp.get("/")
def home():
    """The open round (start, or continue with progress, or see the result), rounds to come, a
    self-assessment in progress outside any round, and the history."""
    open_round = round_rules.open_round_for(current_user)
    in_round = service.current_assessment(current_user, open_round) if open_round else None
    outside = service.current_assessment(current_user, None)
    progress = {a.id: service.progress(a) for a in (in_round, outside) if a is not None and not a.is_submitted}
    upcoming = [r for r in round_rules.rounds_for_person(current_user)
                if round_rules.state_of(r) == round_rules.PLANNED]
    assessments = service.own_assessments(current_user)
    closed = {a.id for a in assessments if a.round is not None and not round_rules.is_open(a.round)}
    return render_template("respond/home.html", assessments=assessments, closed=closed,
                           versions=service.versions_to_start(current_user), open_round=open_round,
                           in_round=in_round, outside=outside, progress=progress, upcoming=upcoming, lang=lang())


@bp.get("/putaran/<int:round_id>")
def round_entry(round_id: int):
    """The link in HR's reminder: the person's assessment of the round, or its start page."""
    round_ = loaders.own_round(round_id)
    if not round_rules.is_open(round_):
        state = round_rules.state_of(round_)
        flash(_("The round “%(name)s” opens on %(day)s.", name=round_.name, day=format_day(round_.opens_on))
              if state == round_rules.PLANNED else
              _("The round “%(name)s” is closed.", name=round_.name), "error")
        return redirect(url_for("respond.home"))
    existing = service.current_assessment(current_user, round_)
    if existing is not None:
        return redirect(url_for("respond.resume", assessment_id=existing.id))
    return redirect(url_for("respond.start", version_id=round_.version_id))


def _position_choices(model, first: str) -> list:
    return choices([("", first)] + [(p.id, p.name.get(lang())) for p in model.positions])


@bp.route("/mulai/<int:version_id>", methods=["GET", "POST"])
def start(version_id: int):
    """Consent and position, then the first domain. A person who already has an assessment here
    (in the open round, or in progress outside any round) is taken to it instead: never a second."""
    version = loaders.open_version(version_id)
    model = parsed(version)
    existing = service.current_assessment(current_user, round_rules.open_round_for(current_user))
    if existing is not None and existing.version_id == version.id:
        return redirect(url_for("respond.resume", assessment_id=existing.id))
    if existing is not None and not existing.is_submitted:
        flash(_("You have a self-assessment in progress: continue it, or discard it before starting another."),
              "error")
        return redirect(url_for("respond.home"))
    form = StartForm()
    form.position.choices = _position_choices(model, _("Choose…"))
    form.target_position.choices = _position_choices(model, _("None"))
    if request.method == "GET" and current_user.position_id:
        form.position.data = current_user.position_id
    if form.validate_on_submit():
        try:
            assessment = service.start(current_user, version, form.position.data,
                                       target_position_id=form.target_position.data or None, ip=request.remote_addr)
        except ServiceError as error:
            (form.target_position if error.field == "target_position" else form.position).errors.append(error.message)
        else:
            if assessment.is_submitted:
                return redirect(url_for("respond.result", assessment_id=assessment.id))
            return redirect(url_for("respond.domain", assessment_id=assessment.id,
                                    domain_id=service.first_open_domain(assessment)))
    return render_template("respond/start.html", form=form, model=model, version=version, lang=lang(),
                           round=round_rules.open_round_for(current_user)), 400 if request.method == "POST" else 200


@bp.route("/penilaian/<int:assessment_id>/buang", methods=["GET", "POST"])
def discard(assessment_id: int):
    """Discard a self-assessment in progress outside any round, after a confirmation."""
    assessment = owned(assessment_id)
    if not service.may_discard(assessment):
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        service.discard(assessment, ip=request.remote_addr)
        flash(_("The assessment in progress and its answers were deleted."), "success")
        return redirect(url_for("respond.home"))
    done, total = service.progress(assessment)
    return render_template("respond/discard.html", assessment=assessment, form=form, done=done, total=total,
                           answered=len(service.stored_answers(assessment)), lang=lang())


@bp.post("/penilaian/<int:assessment_id>/jabatan-tujuan")
def target_position(assessment_id: int):
    """Name or clear the position the person aims for; the result then also shows gaps against it."""
    assessment = owned(assessment_id)
    form = TargetPositionForm()
    if not form.validate_on_submit():
        return render_error(400, _("The page had expired. Please try again."))
    try:
        service.set_target_position(assessment, form.target_position.data, ip=request.remote_addr)
    except ServiceError as error:
        return render_error(400, str(error.message))
    flash(_("The position you aim for is saved."), "success")
    return redirect(url_for("respond.result", assessment_id=assessment.id))


@bp.get("/asesmen/<path:rest>")
def former_address(rest: str):
    """Addresses sent before assessments were called penilaian in their URLs keep working."""
    target = request.full_path if request.query_string else request.path
    return redirect(request.script_root + target.replace("/asesmen/", "/penilaian/", 1), 308)


@bp.get("/penilaian/<int:assessment_id>")
def resume(assessment_id: int):
    assessment = owned(assessment_id)
    if assessment.status == service.SUBMITTED:
        return redirect(url_for("respond.result", assessment_id=assessment.id))
    return redirect(url_for("respond.domain", assessment_id=assessment.id,
                            domain_id=service.first_open_domain(assessment)))


def _closed_round(assessment: Assessment):
    """A 409 page when the assessment's round is closed (nothing more can be answered in it)."""
    try:
        service.require_open_round(assessment)
    except service.RoundClosed as closed:
        return render_error(409, str(closed.message))
    return None


def _domain_or_404(model, domain_id: str):
    try:
        return model.domain(domain_id)
    except KeyError:
        abort(404)


def _next_url(assessment: Assessment, model, domain_id: str, action: str, *, from_review: bool = False) -> str:
    """Where a domain page's button leads. ``from_review``: the page was opened from the review
    step (``?from=review``), so staying on it keeps the way back ("review" is that way)."""
    ids = [d.id for d in model.domains]
    index = ids.index(domain_id)
    back = {"from": "review"} if from_review else {}
    if action == "prev" and index > 0:
        return url_for("respond.domain", assessment_id=assessment.id, domain_id=ids[index - 1], **back)
    if action == "next" and index < len(ids) - 1:
        return url_for("respond.domain", assessment_id=assessment.id, domain_id=ids[index + 1], **back)
    if action.startswith("goto:") and action[5:] in ids:
        return url_for("respond.domain", assessment_id=assessment.id, domain_id=action[5:], **back)
    if action == "later":
        flash(_("Your answers are saved. You can continue later from “My assessments”."), "success")
        return url_for("respond.home")
    if action in ("next", "finish", "review"):
        return url_for("respond.review", assessment_id=assessment.id)
    return url_for("respond.domain", assessment_id=assessment.id, domain_id=domain_id, **back)


@bp.route("/penilaian/<int:assessment_id>/domain/<domain_id>", methods=["GET", "POST"])
@csrf.exempt
def domain(assessment_id: int, domain_id: str):
    """One domain page. Works without JavaScript. A post whose session or CSRF token expired
    loses nothing: the answers travel with the sign-in form and are shown again to be saved."""
    if request.method == "POST" and not current_user.is_authenticated:
        return sign_in_keeping(pending.seal(assessment_id, domain_id, request.form), request.path)
    assessment = owned(assessment_id)
    model = service.model_of(assessment)
    current = _domain_or_404(model, domain_id).for_position(assessment.position_id)  # the person's items
    if assessment.status == service.SUBMITTED:
        if request.method == "POST":
            return render_error(409, _("This assessment is already submitted and can no longer be changed."))
        return redirect(url_for("respond.result", assessment_id=assessment.id))
    refused = _closed_round(assessment)
    if refused is not None:
        return refused
    status, notice, posted = 200, None, None
    if request.method == "POST":
        posted = request.form
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            status, notice = 400, _("The page had expired, so your answers were not saved yet. They are still "
                                    "filled in below: press Save again.")
        else:
            try:
                raw = answers_from_form(request.form, current)
                service.save_answers(assessment, raw, domain_id=current.id)
            except (TamperedForm, AnswersInvalid) as error:
                return render_error(400, _("The form contained answers this page does not have (%(detail)s). "
                                                "Nothing was saved.", detail=str(error)))
            except (service.AlreadySubmitted, service.RoundClosed) as error:
                return render_error(409, str(error.message))
            pending.forget(session.pop(pending.SESSION_KEY, None))
            return redirect(_next_url(assessment, model, current.id, request.form.get("action", "stay"),
                                      from_review=request.args.get("from") == "review"))
    kept = pending.take(session.get(pending.SESSION_KEY), assessment.id, current.id)
    if kept is not None and posted is None:
        posted, notice = kept, _("These are the answers you sent when your session ended. Check them and press Save.")
    answers = service.stored_answers(assessment)
    form = domain_form_class(current, lang(), _("None of these"), seed=assessment_seed(assessment.id))(
        formdata=posted or form_values(answers, current))
    return render_template("respond/domain.html", assessment=assessment, model=model, domain=current, form=form,
                           answers=answers, notice=notice, lang=lang(),
                           from_review=request.args.get("from") == "review",
                           index=[d.id for d in model.domains].index(current.id)), status


@bp.post("/penilaian/<int:assessment_id>/autosave")
def autosave(assessment_id: int):
    """JSON autosave from the page's script: {"domain": id, "answers": {item: value}}."""
    assessment = owned(assessment_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        return jsonify(saved=False, error=_("The request could not be understood")), 400
    model = service.model_of(assessment)
    domain_id = payload.get("domain")
    if not isinstance(domain_id, str) or domain_id not in {d.id for d in model.domains}:
        return jsonify(saved=False, error=_("Unknown domain.")), 400
    try:
        count = service.save_answers(assessment, payload["answers"], domain_id=domain_id)
    except AnswersInvalid as invalid:
        return jsonify(saved=False, errors={k: e.message(lang()) for k, e in invalid.errors.items()}), 400
    except (service.AlreadySubmitted, service.RoundClosed) as error:
        return jsonify(saved=False, error=str(error.message)), 409
    return jsonify(saved=True, count=count, at=assessment.updated_at.isoformat() + "Z")


@bp.route("/penilaian/<int:assessment_id>/kirim", methods=["GET", "POST"])
def review(assessment_id: int):
    assessment = owned(assessment_id)
    if assessment.status == service.SUBMITTED:
        return redirect(url_for("respond.result", assessment_id=assessment.id))
    refused = _closed_round(assessment)
    if refused is not None:
        return refused
    model = service.model_of(assessment)
    form = SubmitForm()
    status = 200
    if form.validate_on_submit():
        try:
            service.submit(assessment, ip=request.remote_addr)
        except service.MissingAnswers:
            status = 400
        except ServiceError as error:
            flash(str(error.message), "error")
            status = 400
        else:
            return redirect(url_for("respond.result", assessment_id=assessment.id))
    answers = service.stored_answers(assessment)
    missing = service.missing_by_domain(model, answers, assessment.position_id)
    return render_template("respond/review.html", assessment=assessment, model=model, form=form, missing=missing,
                           answers=answers, lang=lang(),
                           sections=_answers_by_domain(model, answers, missing, assessment.position_id)), status


def _answers_by_domain(model, answers: dict, missing: dict, position_id: str | None) -> list[dict]:
    """The review step's list: per domain (as the person's position sees it), each question with
    the answer as the domain page showed it, and whether a required one is still missing."""
    sections = []
    for domain in model.domains:
        mine = domain.for_position(position_id)
        scored = mine.scored_items_for(position_id)
        sections.append({
            "domain": mine, "done": sum(1 for i in scored if i.id in answers), "count": len(scored),
            "items": [{"item": item, "shown": _shown_answer(item, answers.get(item.id)),
                       "missing": item.id in missing.get(domain.id, ())} for item in mine.items]})
    return sections


def _shown_answer(item, value) -> dict:
    """An answer in the words of the page it was given on: the anchor or option text, "not
    applicable to my work", the options picked as a list ("none of these" when none was), the
    text written; ``none`` when not answered."""
    language = lang()
    if value is None or value == "":
        return {"none": True}
    if value == NOT_APPLICABLE:
        return {"text": _("Not applicable to my work")}
    if item.type == "rating":
        return {"text": item.anchors[int(value) - 1].get(language)}
    if item.type == "choice":
        option = item.option(value)
        return {"text": option.text.get(language) if option else str(value)}
    if item.type == "multi":
        picked = [item.option(v).text.get(language) for v in value if item.option(v)]
        return {"list": picked} if picked else {"text": _("None of these")}
    return {"text": str(value), "free": True}


@bp.get("/penilaian/<int:assessment_id>/hasil")
def result(assessment_id: int):
    assessment = owned(assessment_id)
    if assessment.status != service.SUBMITTED:
        return redirect(url_for("respond.resume", assessment_id=assessment.id))
    return result_page(assessment, lang(), pdf_url=url_for("respond.report", assessment_id=assessment.id),
                       target_url=url_for("respond.target_position", assessment_id=assessment.id))


@bp.get("/penilaian/<int:assessment_id>/laporan.pdf")
def report(assessment_id: int):
    assessment = owned(assessment_id)
    if assessment.status != service.SUBMITTED:
        abort(404)
    return pdf_response(assessment, lang(), actor_id=current_user.id)


@bp.get("/data-saya.json")
def my_data():
    data = export_person(current_user, lang())
    audit.record("person.export", actor_id=current_user.id, target_type="user", target_id=current_user.id,
                 ip=request.remote_addr)
    response = jsonify(data)
    response.headers["Content-Disposition"] = f'attachment; filename="swanilai-data-{current_user.nip}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/koreksi", methods=["GET", "POST"])
def correction():
    """Ask HR to correct one's profile (name, unit, position, …)."""
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            privacy.request_correction(current_user, form.message.data, ip=request.remote_addr)
        except ServiceError as error:
            form.message.errors.append(error.message)
        else:
            flash(_("Your request was sent to your HR office."), "success")
            return redirect(url_for("respond.correction"))
    requests = privacy.own_corrections(current_user)
    return render_template("respond/correction.html", form=form, requests=requests), \
        400 if request.method == "POST" else 200
