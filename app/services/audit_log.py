"""The audit log as people read it: a label and a sentence for every action the app records
(grouped by area), who did it, when at the office, on which object, and the details as plain
"key: value" pairs; the filters of the audit page and its export.

``audit.record`` writes the rows; this module only reads them. It never touches the request:
the view passes the reader's locale, the roles that decide which object pages the reader can
open (``links``) and a function that builds a URL (``url``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Optional

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select

from ..extensions import db
from ..models import (Assessment, AuditEvent, QuestionnaireVersion, Round, Unit, UnitPlan, User)
from .audit import SECRET_KEYS
from .clock import office_time, office_zone


class Action(NamedTuple):
    area: str
    label: Any  # a lazy string: the name of the action in the filter list
    sentence: Any  # a lazy string with %(who)s and %(object)s


AREAS: dict[str, Any] = {
    "auth": _l("Sign-in and passwords"),
    "people": _l("People and invitations"),
    "privacy": _l("Personal data"),
    "units": _l("Units"),
    "questionnaires": _l("Questionnaires"),
    "rounds": _l("Rounds"),
    "assessments": _l("Assessments and reports"),
    "exports": _l("Exports"),
    "plans": _l("Unit plans and realisation"),
    "system": _l("Access and audit"),
}

ACTIONS: dict[str, Action] = {
    # sign-in and passwords
    "auth.login": Action("auth", _l("Signed in"), _l("%(who)s signed in.")),
    "auth.logout": Action("auth", _l("Signed out"), _l("%(who)s signed out.")),
    "auth.login_failed": Action("auth", _l("Failed sign-in"), _l("A sign-in as %(object)s failed.")),
    "auth.password_change": Action("auth", _l("Password changed"), _l("%(who)s changed their password.")),
    "auth.password_change_failed": Action("auth", _l("Failed password change"),
                                          _l("%(who)s tried to change their password with a wrong current password.")),
    # people and invitations
    "user.create": Action("people", _l("Person added"), _l("%(who)s added %(object)s.")),
    "user.update": Action("people", _l("Person changed"), _l("%(who)s changed the data of %(object)s.")),
    "user.activate": Action("people", _l("Person activated"), _l("%(who)s activated the account of %(object)s.")),
    "user.deactivate": Action("people", _l("Person deactivated"),
                              _l("%(who)s deactivated the account of %(object)s.")),
    "user.erase": Action("people", _l("Person erased"), _l("%(who)s erased the data of %(object)s.")),
    "invitation.issue": Action("people", _l("Invitation issued"), _l("%(who)s issued an invitation to %(object)s.")),
    "invitation.open": Action("people", _l("Invitation link opened"),
                              _l("The invitation link of %(object)s was opened.")),
    "invitation.accept": Action("people", _l("Invitation accepted"),
                                _l("%(who)s accepted the invitation and set a password.")),
    "invitation.show": Action("people", _l("Invitation link shown"),
                              _l("%(who)s looked at the invitation link of %(object)s.")),
    "invitation.export": Action("people", _l("Invitation links downloaded"),
                                _l("%(who)s downloaded the pending invitation links.")),
    # personal data
    "person.export": Action("privacy", _l("Own data downloaded"), _l("%(who)s downloaded their own data.")),
    "person.erase": Action("privacy", _l("Person erased"), _l("%(who)s erased the data of %(object)s.")),
    "correction.request": Action("privacy", _l("Correction requested"),
                                 _l("%(who)s asked for a correction of their data.")),
    "correction.resolve": Action("privacy", _l("Correction done"),
                                 _l("%(who)s marked the correction request of %(object)s as done.")),
    "retention.apply": Action("privacy", _l("Retention applied"),
                              _l("%(who)s anonymised the assessments older than the retention period.")),
    # units
    "unit.create": Action("units", _l("Unit created"), _l("%(who)s created the unit %(object)s.")),
    "unit.rename": Action("units", _l("Unit renamed"), _l("%(who)s renamed the unit %(object)s.")),
    "unit.move": Action("units", _l("Unit moved"), _l("%(who)s moved the unit %(object)s.")),
    "unit.activate": Action("units", _l("Unit activated"), _l("%(who)s activated the unit %(object)s.")),
    "unit.deactivate": Action("units", _l("Unit deactivated"), _l("%(who)s deactivated the unit %(object)s.")),
    # questionnaires
    "questionnaire.import": Action("questionnaires", _l("Questionnaire imported"),
                                   _l("%(who)s imported the questionnaire %(object)s.")),
    "draft.create": Action("questionnaires", _l("Draft created"), _l("%(who)s created the draft %(object)s.")),
    "draft.save": Action("questionnaires", _l("Draft saved"), _l("%(who)s saved the draft %(object)s.")),
    "draft.delete": Action("questionnaires", _l("Draft deleted"), _l("%(who)s deleted the draft %(object)s.")),
    "version.publish": Action("questionnaires", _l("Version published"), _l("%(who)s published %(object)s.")),
    "version.retire": Action("questionnaires", _l("Version retired"), _l("%(who)s retired %(object)s.")),
    "version.unretire": Action("questionnaires", _l("Version published again"),
                               _l("%(who)s published %(object)s again.")),
    "version.export": Action("questionnaires", _l("Version downloaded"),
                             _l("%(who)s downloaded the source of %(object)s.")),
    "statistics.export": Action("questionnaires", _l("Item statistics exported"),
                                _l("%(who)s exported the item statistics of %(object)s.")),
    # rounds
    "round.create": Action("rounds", _l("Round created"), _l("%(who)s created the round %(object)s.")),
    "round.update": Action("rounds", _l("Round changed"), _l("%(who)s changed the round %(object)s.")),
    "round.close": Action("rounds", _l("Round closed"), _l("%(who)s closed the round %(object)s.")),
    # assessments and reports
    "assessment.start": Action("assessments", _l("Assessment started"), _l("%(who)s started %(object)s.")),
    "assessment.discard": Action("assessments", _l("Assessment discarded"), _l("%(who)s discarded %(object)s.")),
    "assessment.target_position": Action("assessments", _l("Target position chosen"),
                                         _l("%(who)s chose a target position in %(object)s.")),
    "assessment.submit": Action("assessments", _l("Assessment submitted"), _l("%(who)s submitted %(object)s.")),
    "result.view": Action("assessments", _l("Result viewed"), _l("%(who)s viewed the result of %(object)s.")),
    "report.individual": Action("assessments", _l("Personal report downloaded"),
                                _l("%(who)s downloaded the personal report of %(object)s.")),
    "report.unit": Action("assessments", _l("Unit report downloaded"),
                          _l("%(who)s downloaded the unit report of %(object)s.")),
    "report.zip": Action("assessments", _l("Personal reports downloaded (ZIP)"),
                         _l("%(who)s downloaded the personal reports of %(object)s as a ZIP file.")),
    # exports
    "export.results": Action("exports", _l("Results exported"), _l("%(who)s exported the results of %(object)s.")),
    "export.needs": Action("exports", _l("Training needs exported"),
                           _l("%(who)s exported the training needs of %(object)s.")),
    "export.module-people": Action("exports", _l("People per module exported"),
                                   _l("%(who)s exported the people per module of %(object)s.")),
    "export.plan": Action("exports", _l("Plan exported"), _l("%(who)s exported the plan of %(object)s.")),
    "export.workbook": Action("exports", _l("Workbook exported"), _l("%(who)s exported the workbook of %(object)s.")),
    # unit plans and realisation
    "plan.ceiling": Action("plans", _l("Budget ceiling set"),
                           _l("%(who)s set the budget ceiling of %(object)s.")),
    "plan.module": Action("plans", _l("Module planned"),
                          _l("%(who)s changed a module's quarter or provider in %(object)s.")),
    "plan.mode_cost": Action("plans", _l("Cost of a mode set"),
                             _l("%(who)s set the cost of a learning mode for %(object)s.")),
    "plan.revision": Action("plans", _l("Plan revision started"), _l("%(who)s started a revision of %(object)s.")),
    "plan.set": Action("plans", _l("Plan set"), _l("%(who)s set %(object)s.")),
    "realisation.record": Action("plans", _l("Training recorded"),
                                 _l("%(who)s recorded a completed training of %(object)s.")),
    "realisation.import": Action("plans", _l("Training imported"),
                                 _l("%(who)s imported completed trainings of %(object)s.")),
    "realisation.delete": Action("plans", _l("Training record deleted"),
                                 _l("%(who)s deleted a completed training of %(object)s.")),
    # access and audit
    "access.denied": Action("system", _l("Access refused"), _l("%(who)s was refused access to %(object)s.")),
    "audit.export": Action("system", _l("Audit log exported"), _l("%(who)s exported the audit log.")),
}

OBJECT_TYPES: dict[str, Any] = {
    "user": _l("Person"),
    "assessment": _l("Assessment"),
    "round": _l("Round"),
    "unit_plan": _l("Unit plan"),
    "questionnaire_version": _l("Questionnaire version"),
    "unit": _l("Unit"),
    "path": _l("Page"),
}
NUMBERED_TYPES = frozenset(OBJECT_TYPES) - {"path"}

DETAIL_LABELS: dict[str, Any] = {
    "unit": _l("unit"), "round": _l("round"), "version": _l("version"), "position": _l("position"),
    "target_position": _l("target position"), "position_on_profile": _l("position on the profile"),
    "from": _l("from"), "to": _l("to"), "name": _l("name"), "code": _l("code"), "parent": _l("parent unit"),
    "nip": _l("NIP"), "email": _l("e-mail"), "roles": _l("roles"), "employment_type": _l("employment type"),
    "source": _l("source"), "count": _l("count"), "selected": _l("selected"), "appendix": _l("appendix"),
    "module": _l("module"), "format": _l("format"), "sep": _l("separator"), "lang": _l("language"),
    "via": _l("via"), "status": _l("status"), "method": _l("method"), "months": _l("months"),
    "anonymised": _l("anonymised"), "assessments_anonymised": _l("assessments anonymised"),
    "total_jp": _l("total JP"), "jp": _l("JP"), "ceiling": _l("ceiling"), "total": _l("total"),
    "funded": _l("funded"), "amount": _l("amount"), "cost_per": _l("cost per"), "class_size": _l("class size"),
    "mode": _l("mode"), "quarter": _l("quarter"), "provider": _l("provider"), "replaces": _l("replaces"),
    "opens_on": _l("opens on"), "closes_on": _l("closes on"), "before": _l("before"),
    "completed_on": _l("completed on"), "realisation": _l("realisation"), "invitation": _l("invitation"),
    "expires_at": _l("expires at"), "request": _l("request"), "users": _l("people"), "number": _l("number"),
    "slug": _l("questionnaire"), "questionnaire": _l("questionnaire"), "checksum": _l("checksum"),
    "editor": _l("editor"), "problems": _l("problems"), "action": _l("action"), "actor": _l("person"),
    "type": _l("object type"), "object": _l("object"), "search": _l("search"),
}
AMOUNT_KEYS = frozenset({"ceiling", "total", "funded", "amount", "cost_per"})
AMOUNT_ACTIONS = frozenset({"plan.ceiling"})  # there "from" and "to" are rupiah too

SYSTEM, COMMAND_LINE = "system", "cli"
ACTOR_NAMES = {SYSTEM: _l("system"), COMMAND_LINE: _l("command line")}

PER_PAGE = 100


# ---------------------------------------------------------------- labels


def label_of(action: str) -> str:
    known = ACTIONS.get(action)
    return str(known.label) if known else action


def grouped_actions() -> list[tuple[str, list[tuple[str, str]]]]:
    """The known actions by area, for the filter list: [(area label, [(code, label), …]), …]."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for area, area_label in AREAS.items():
        members = sorted(((code, str(a.label)) for code, a in ACTIONS.items() if a.area == area),
                         key=lambda pair: pair[1].casefold())
        groups.append((str(area_label), members))
    return groups


# ---------------------------------------------------------------- filters


@dataclass
class AuditFilters:
    """What the reader asked for; an empty filter lets everything through."""

    actor: str = ""  # a user id, "system" or "cli"
    person: str = ""  # a NIP or part of a name
    actions: list[str] = field(default_factory=list)
    object_type: str = ""
    object_id: str = ""
    date_from: Optional[date] = None
    date_to: Optional[date] = None

    def as_args(self) -> dict[str, Any]:
        """The filters as query arguments (for the pager and the export link)."""
        args: dict[str, Any] = {"actor": self.actor, "q": self.person, "action": self.actions,
                                "type": self.object_type, "object": self.object_id,
                                "from": self.date_from.isoformat() if self.date_from else "",
                                "to": self.date_to.isoformat() if self.date_to else ""}
        return {key: value for key, value in args.items() if value}


def _utc_start(day: date) -> datetime:
    """The first instant of an office day, as a naive UTC time (as stored)."""
    local = datetime.combine(day, time.min, tzinfo=office_zone())
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def filtered(filters: AuditFilters) -> Select:
    query = select(AuditEvent)
    if filters.actor == SYSTEM:
        query = query.where(AuditEvent.actor_id.is_(None), or_(AuditEvent.ip.is_(None), AuditEvent.ip != "cli"))
    elif filters.actor == COMMAND_LINE:
        query = query.where(AuditEvent.actor_id.is_(None), AuditEvent.ip == "cli")
    elif filters.actor:
        query = query.where(AuditEvent.actor_id == int(filters.actor))
    if filters.person:
        words = filters.person.strip()
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        compact = "".join(words.split())
        people = select(User.id).where(or_(User.name.ilike(pattern, escape="\\"),
                                           User.nip == compact if compact.isdigit() else False))
        query = query.where(AuditEvent.actor_id.in_(people))
    if filters.actions:
        query = query.where(AuditEvent.action.in_(filters.actions))
    if filters.object_type:
        query = query.where(AuditEvent.target_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.target_id == filters.object_id)
    if filters.date_from:
        query = query.where(AuditEvent.at >= _utc_start(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.at < _utc_start(filters.date_to + timedelta(days=1)))
    return query


def page_of(filters: AuditFilters, page: int, per_page: int = PER_PAGE) -> tuple[list[AuditEvent], bool]:
    """Newest first; (events, whether there are older ones)."""
    query = filtered(filters).order_by(AuditEvent.id.desc()).offset((page - 1) * per_page).limit(per_page + 1)
    events = list(db.session.scalars(query))
    return events[:per_page], len(events) > per_page


def all_of(filters: AuditFilters, batch: int = 500) -> Iterator[list[AuditEvent]]:
    """Every matching event, oldest first, in batches (the export streams them)."""
    last = 0
    while True:
        events = list(db.session.scalars(filtered(filters).where(AuditEvent.id > last)
                                         .order_by(AuditEvent.id).limit(batch)))
        if not events:
            return
        yield events
        last = events[-1].id


def actors_in_log() -> list[tuple[str, str]]:
    """The people who appear in the log as actors, by name: [(id, "Name (NIP)"), …]."""
    ids = select(AuditEvent.actor_id).where(AuditEvent.actor_id.is_not(None)).distinct()
    people = db.session.execute(select(User.id, User.name, User.nip).where(User.id.in_(ids)).order_by(User.name))
    return [(str(pid), f"{name} ({nip})") for pid, name, nip in people]


# ---------------------------------------------------------------- rows


@dataclass
class Shown:
    """Something named on a row, with a link when the reader can open it."""

    text: str
    url: Optional[str] = None


@dataclass
class AuditRow:
    id: int
    action: str
    label: str
    sentence: str
    who: Shown
    when: str  # office time in the reader's locale, zone named
    when_utc: str
    object_type: str  # its label
    object: Optional[Shown]
    details: list[tuple[str, str]]
    event: AuditEvent


class _Objects:
    """The objects a batch of events names, loaded with one query per type."""

    MODELS = {"user": User, "assessment": Assessment, "round": Round, "unit_plan": UnitPlan,
              "questionnaire_version": QuestionnaireVersion, "unit": Unit}

    def __init__(self, events: Iterable[AuditEvent]):
        wanted: dict[str, set[int]] = {}
        for event in events:
            if event.target_type in self.MODELS and event.target_id and event.target_id.isdigit():
                wanted.setdefault(event.target_type, set()).add(int(event.target_id))
        self.found: dict[tuple[str, int], Any] = {}
        for kind, ids in wanted.items():
            model = self.MODELS[kind]
            for obj in db.session.scalars(select(model).where(model.id.in_(ids))):
                self.found[(kind, obj.id)] = obj

    def get(self, kind: str | None, ident: str | None) -> Any:
        if not kind or not ident or not ident.isdigit():
            return None
        return self.found.get((kind, int(ident)))


def _version_text(version: QuestionnaireVersion) -> str:
    slug = version.questionnaire.slug
    if version.number:
        return f"{slug} v{version.number}"
    return str(_l("%(questionnaire)s (draft %(id)s)", questionnaire=slug, id=version.id))


def _object_text(kind: str, obj: Any) -> str:
    if kind == "user":
        return f"{obj.name} ({obj.nip})"
    if kind == "unit":
        return f"{obj.name} ({obj.code})"
    if kind == "round":
        return obj.name
    if kind == "questionnaire_version":
        return _version_text(obj)
    if kind == "assessment":
        owner = db.session.get(User, obj.user_id) if obj.user_id else None
        return str(_l("assessment %(id)s of %(person)s", id=obj.id, person=owner.name)) if owner else \
            str(_l("assessment %(id)s (anonymous)", id=obj.id))
    if kind == "unit_plan":
        return str(_l("the plan of %(unit)s for %(round)s", unit=obj.unit.name, round=obj.round.name))
    return str(obj)


def _object_url(kind: str, obj: Any, links: set[str], url: Callable[..., str]) -> Optional[str]:
    """The page of an object, when the reader's roles reach one."""
    if kind == "user":
        return url("admin_people.person", user_id=obj.id) if "admin" in links else None
    if kind == "unit":
        return url("admin.unit", unit_id=obj.id) if "admin" in links else None
    if kind == "round":
        return url("admin_rounds.detail", round_id=obj.id) if "admin" in links else None
    if kind == "questionnaire_version":
        return url("trainer.preview", version_id=obj.id) if links & {"admin", "trainer"} else None
    if kind == "assessment":
        return url("hr.assessment", assessment_id=obj.id) if "hr" in links and obj.user_id else None
    if kind == "unit_plan":
        return url("approver.plan", plan_id=obj.id) if "approver" in links else None
    return None


def _missing_text(kind: str, ident: str) -> str:
    if kind == "user":
        return str(_l("a person no longer in Swanilai (%(id)s)", id=ident))
    if kind == "path":
        return ident
    type_label = OBJECT_TYPES.get(kind)
    name = str(type_label).lower() if type_label else kind
    return str(_l("%(type)s %(id)s (no longer exists)", type=name, id=ident))


def when_text(stored: datetime, locale: str) -> str:
    """A stored (naive UTC) time as the office's local time, zone named: "2 Des 2026 14.05 WIB"."""
    local = office_time(stored)
    return f"{format_date(local, 'medium', locale=locale)} {format_time(local, 'short', locale=locale)} " \
           f"{local.tzname()}"


def _value_text(key: str, value: Any, action: str, locale: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_l("yes")) if value else str(_l("no"))
    if isinstance(value, (int, float)) and (key in AMOUNT_KEYS or (action in AMOUNT_ACTIONS and key in {"from", "to"})):
        return format_decimal(value, locale=locale)
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(key, item, action, locale) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_key_text(k)}: {_value_text(k, v, action, locale)}" for k, v in value.items()
                         if k not in SECRET_KEYS) or "—"
    return str(value)


def _key_text(key: str) -> str:
    known = DETAIL_LABELS.get(key)
    return str(known) if known else key.replace("_", " ")


def detail_pairs(event: AuditEvent, locale: str) -> list[tuple[str, str]]:
    """The details as ("key", "value") pairs in the reader's words; secrets never shown."""
    details = event.details if isinstance(event.details, dict) else {}
    return [(_key_text(key), _value_text(key, value, event.action, locale)) for key, value in details.items()
            if key not in SECRET_KEYS]


class _Fallback(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def rows_for(events: list[AuditEvent], locale: str, links: Iterable[str] = (),
             url: Callable[..., str] | None = None) -> list[AuditRow]:
    """Plain rows for the page and the export: who, what, when, on what, details."""
    links = set(links)
    url = url or (lambda *args, **kwargs: "")
    objects = _Objects(events)
    people = {event.actor_id for event in events if event.actor_id}
    actors = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(people)))} if people else {}
    rows = []
    for event in events:
        actor = actors.get(event.actor_id) if event.actor_id else None
        if actor is not None:
            who = Shown(actor.name, url("admin_people.person", user_id=actor.id) if "admin" in links else None)
        elif event.actor_id:
            who = Shown(str(_l("a person no longer in Swanilai (%(id)s)", id=event.actor_id)))
        else:
            who = Shown(str(ACTOR_NAMES[COMMAND_LINE if event.ip == "cli" else SYSTEM]))
        kind, ident = event.target_type or "", event.target_id or ""
        shown_object = None
        if kind and ident:
            obj = objects.get(kind, ident)
            if obj is not None:
                shown_object = Shown(_object_text(kind, obj), _object_url(kind, obj, links, url))
            else:
                shown_object = Shown(_missing_text(kind, ident))
        known = ACTIONS.get(event.action)
        if known:
            sentence = str(known.sentence) % _Fallback(
                who=who.text, object=shown_object.text if shown_object else "—")
            sentence = sentence[:1].upper() + sentence[1:]
        else:
            sentence = event.action
        type_label = OBJECT_TYPES.get(kind)
        rows.append(AuditRow(
            id=event.id, action=event.action, label=label_of(event.action), sentence=sentence, who=who,
            when=when_text(event.at, locale), when_utc=event.at.strftime("%Y-%m-%d %H:%M:%S"),
            object_type=str(type_label) if type_label else kind, object=shown_object,
            details=detail_pairs(event, locale), event=event))
    return rows


EXPORT_HEADER = ("When (UTC)", "Actor id", "Action", "Object type", "Object id", "Details", "Address",
                 "When (office time)", "Who", "What", "Object")


def export_rows(filters: AuditFilters, locale: str) -> Iterator[tuple[Any, ...]]:
    """The export: today's columns (codes, ids, details as "key: value"), then the readable ones."""
    for events in all_of(filters):
        for row in rows_for(events, locale):
            event = row.event
            yield (row.when_utc, event.actor_id or "", event.action, event.target_type or "",
                   event.target_id or "", "; ".join(f"{key}: {value}" for key, value in row.details),
                   event.ip or "", row.when, row.who.text, row.sentence, row.object.text if row.object else "")
