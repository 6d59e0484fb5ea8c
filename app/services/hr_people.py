"""The people of a unit as HR sees them: status and last activity, searchable and sortable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select

from ..extensions import db
from ..models import Assessment, AssessmentStatus, Role, Unit, User, UserRole
from .validation import clean_nip, is_ascii_digits
from .unit_reports import FilterError, Filters, assessment_conditions
from .permissions import hr_sees_assessment

MAX_SELECTED = 5000
SUBMITTED = AssessmentStatus.SUBMITTED.value
#: A ZIP of more PDFs than this needs a confirmation that states the number of files (``confirm=1``).
CONFIRM_ABOVE = 50
#: The ``status`` filter of the results list: its values and the status number ``people_page`` gives.
STATUSES = {"not-started": 0, "in-progress": 1, "submitted": 2}


@dataclass
class PeoplePage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int
    sort: str
    direction: str


def visible_to(scope: Unit, assessment: Assessment) -> bool:
    """HR sees an assessment made in their scope, or of a person who is in their scope now."""
    return hr_sees_assessment(scope, assessment.unit, assessment.user.unit if assessment.user else None)


def parse_ids(values: list[str]) -> list[int]:
    ids: list[int] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if not is_ascii_digits(part) or len(part) > 9:
                raise FilterError(_l("The selection is not valid."))
            ids.append(int(part))
    if len(ids) > MAX_SELECTED:
        raise FilterError(_l("Select at most %(n)d people at once, or download the whole unit.", n=MAX_SELECTED))
    return ids


def parse_status(raw: str | None) -> int | None:
    """The status filter of the results list: None for everyone, else 0, 1 or 2 (see STATUSES)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if raw not in STATUSES:
        raise FilterError(_l("Unknown status."))
    return STATUSES[raw]


def person_header(assessment: Assessment, lang: str) -> dict[str, Any]:
    """Whose result it is, as HR's pages show it above the result: name, NIP, the unit and
    position the assessment was made in, and its round."""
    from .questionnaires import parsed

    user = assessment.user
    try:
        position = parsed(assessment.version).position(assessment.position_id).name.get(lang)
    except Exception:  # noqa: BLE001 - a position no longer in the file is shown by its id
        position = assessment.position_id
    return {"name": user.name if user else str(_l("(anonymised)")), "nip": user.nip if user else "",
            "unit": assessment.unit.name if assessment.unit else "", "position": position,
            "round": assessment.round.name if assessment.round else str(_l("Outside any round"))}


def assessment_ids(filters: Filters, selected: list[int]) -> list[int]:
    """Latest submitted assessments matching the filters; only the selected ones when given.
    Ids outside the scope simply do not match."""
    query = select(Assessment.id).where(*assessment_conditions(filters)).order_by(Assessment.id)
    if selected:
        query = query.where(Assessment.id.in_(selected))
    return list(db.session.scalars(query))


def _activity(filters: Filters):
    """Per person, in the filters' round: last activity, whether anything is in progress, and the
    latest submitted id."""
    in_round = Assessment.round_id.is_(None) if filters.round is None else Assessment.round_id == filters.round.id
    return (select(Assessment.user_id.label("user_id"),
                   func.max(func.coalesce(Assessment.submitted_at, Assessment.updated_at)).label("last_activity"),
                   func.max(case((Assessment.status == SUBMITTED, 1), else_=0)).label("has_submitted"),
                   func.max(case((Assessment.latest.is_(True), Assessment.id))).label("latest_id"))
            .where(in_round).group_by(Assessment.user_id).subquery())


SORTS = {"name": User.name, "nip": User.nip, "unit": Unit.name}


def people_page(filters: Filters, query: str, sort: str, direction: str, page_raw: str, per_page: int,
                status_filter: int | None = None) -> PeoplePage:
    """One page of the respondents in the filtered unit, with their assessment status in the
    filters' round (0 not started, 1 in progress, 2 submitted); ``status_filter``: only those."""
    activity = _activity(filters)
    status = case((activity.c.has_submitted == 1, 2), (activity.c.last_activity.is_not(None), 1), else_=0)
    sorts = {**SORTS, "status": status, "activity": activity.c.last_activity}
    if sort not in sorts or direction not in ("asc", "desc"):
        raise FilterError(_l("This list cannot be sorted that way."))
    if not is_ascii_digits(page_raw) or len(page_raw) > 6 or int(page_raw) < 1:
        raise FilterError(_l("Unknown page."))
    page = int(page_raw)
    statement = (select(User, Unit.name, status.label("status"), activity.c.last_activity, activity.c.latest_id)
                 .join(Unit, User.unit_id == Unit.id)
                 .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == Role.RESPONDENT.value))
                 .outerjoin(activity, activity.c.user_id == User.id)
                 .where(Unit.path.startswith(filters.unit.path)))
    if filters.position:
        statement = statement.where(User.position_id == filters.position)
    if status_filter is not None:
        statement = statement.where(status == status_filter)
    query = (query or "").strip()
    if query:
        like = f"%{query.lower()}%"
        conditions = [func.lower(User.name).like(like)]
        if is_ascii_digits(clean_nip(query)):
            conditions.append(User.nip.like(f"%{clean_nip(query)}%"))
        statement = statement.where(or_(*conditions))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    order = sorts[sort].desc() if direction == "desc" else sorts[sort].asc()
    rows = db.session.execute(statement.order_by(order, User.id).offset((page - 1) * per_page).limit(per_page)).all()
    pages = max(1, -(-total // per_page))
    return PeoplePage([{"user": user, "unit": unit_name, "status": row_status, "last_activity": last,
                        "latest_id": latest} for user, unit_name, row_status, last, latest in rows],
                      total, min(page, pages), pages, sort, direction)
