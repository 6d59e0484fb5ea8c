"""Round pages: the list, opening and changing a round, following its participation (with the
"not started" list and a reminder per person), and closing it. Which registration a request
came through decides the scope: admins every unit, HR their own unit and below."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..models import Unit
from ..services import rounds as service
from ..services.errors import NotFound, ServiceError
from ..services.questionnaires import published_versions
from ..services.unit_reports import Filters, participation
from ..services.units import units_in_scope
from ..services.validation import is_ascii_digits
from ..web.access import roles_required
from ..web.forms import ActionForm, choices
from ..web.i18n import format_day
from .forms import RoundForm
from .reminders import reminder, round_link

ADMIN, HR = "admin_rounds", "hr_rounds"  # the names it is registered under (app/__init__.py)


def require_role():
    """Admin pages need the admin role, HR pages the hr role."""
    return roles_required("admin" if request.blueprint == ADMIN else "hr")(lambda: None)()


def scope() -> Unit | None:
    return None if request.blueprint == ADMIN else current_user.unit


def lang() -> str:
    return str(get_locale() or "id")


def round_or_404(round_id: int, *, manage: bool = False):
    try:
        round_ = service.round_in_view(round_id, scope())
    except NotFound:
        abort(404)
    if manage and not service.may_manage(round_, scope()):
        abort(404)
    return round_


def index():
    rounds = service.rounds_in_view(scope())
    return render_template("rounds/list.html", rounds=rounds, states={r.id: service.state_of(r) for r in rounds},
                           manageable={r.id for r in rounds if service.may_manage(r, scope())})


def _fill_choices(form: RoundForm) -> None:
    form.unit.choices = choices([("", _("Choose…"))] + [
        (str(u.id), "\u2003" * u.depth + u.name) for u in units_in_scope(scope()) if u.active])
    form.version.choices = choices([("", _("Choose…"))] + [
        (str(v.id), f"{v.title} v{v.number}") for v in published_versions()])


def _input(form: RoundForm) -> service.RoundInput:
    def number(raw):
        return int(raw) if raw and is_ascii_digits(str(raw)) and len(str(raw)) <= 9 else None

    return service.RoundInput(form.name.data or "", number(form.unit.data), number(form.version.data),
                              form.opens_on.data, form.closes_on.data)


def _field_error(form: RoundForm, error: ServiceError) -> None:
    getattr(form, error.field or "name", form.name).errors.append(error.message)


def new():
    form = RoundForm()
    _fill_choices(form)
    if request.method == "GET" and scope() is not None:
        form.unit.data = str(scope().id)
    if form.validate_on_submit():
        try:
            round_ = service.create(_input(form), scope(), actor_id=current_user.id, ip=request.remote_addr)
        except ServiceError as error:
            _field_error(form, error)
        else:
            flash(_("The round “%(name)s” is ready. People see it on “My assessments” from %(day)s.",
                    name=round_.name, day=format_day(round_.opens_on)), "success")
            return redirect(url_for(f"{request.blueprint}.detail", round_id=round_.id))
    return render_template("rounds/form.html", form=form, round=None), 400 if request.method == "POST" else 200


def edit(round_id: int):
    round_ = round_or_404(round_id, manage=True)
    if service.state_of(round_) == service.CLOSED:
        flash(_("This round is closed; its data set no longer changes."), "error")
        return redirect(url_for(f"{request.blueprint}.detail", round_id=round_.id))
    form = RoundForm(obj=None if request.method == "POST" else round_)
    _fill_choices(form)
    if request.method == "GET":
        form.unit.data, form.version.data = str(round_.unit_id), str(round_.version_id)
    if form.validate_on_submit():
        try:
            service.update(round_, _input(form), scope(), actor_id=current_user.id, ip=request.remote_addr)
        except ServiceError as error:
            _field_error(form, error)
        else:
            flash(_("The round is saved."), "success")
            return redirect(url_for(f"{request.blueprint}.detail", round_id=round_.id))
    return render_template("rounds/form.html", form=form, round=round_, started=service.has_assessments(round_)), \
        400 if request.method == "POST" else 200


def detail(round_id: int):
    """Participation in the round within the viewer's scope, and who has not started yet."""
    round_ = round_or_404(round_id)
    unit = round_.unit if scope() is None or service.may_manage(round_, scope()) else scope()
    total, sub_units = participation(Filters(unit, round=round_))
    raw_page = request.args.get("page", "1")
    page = int(raw_page) if is_ascii_digits(raw_page) and len(raw_page) <= 6 and int(raw_page) >= 1 else 1
    per_page = current_app.config["USERS_PER_PAGE"]
    people, waiting = service.not_started(round_, scope(), page=page, per_page=per_page)
    if not people and page > 1:  # past the last page: show the last one
        page = max(1, -(-waiting // per_page))
        people, waiting = service.not_started(round_, scope(), page=page, per_page=per_page)
    link = round_link(round_)
    reminders = [(p, reminder(p.user, round_, link, activated=p.has_password)) for p in people]
    return render_template("rounds/detail.html", round=round_, state=service.state_of(round_), unit=unit,
                           total=total, sub_units=sub_units, reminders=reminders, waiting=waiting, page=page,
                           pages=max(1, -(-waiting // per_page)), link=link,
                           manage=service.may_manage(round_, scope()), action=ActionForm())


def close(round_id: int):
    """Closing asks first, stating what it does; then the data set is frozen."""
    round_ = round_or_404(round_id, manage=True)
    form = ActionForm()
    if form.validate_on_submit():
        service.close(round_, actor_id=current_user.id, ip=request.remote_addr)
        flash(_("The round “%(name)s” is closed. Its results no longer change.", name=round_.name), "success")
        return redirect(url_for(f"{request.blueprint}.detail", round_id=round_.id))
    total, _sub_units = participation(Filters(round_.unit, round=round_))
    return render_template("rounds/close.html", round=round_, total=total, form=form)
