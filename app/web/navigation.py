"""What the navigation shows: only the pages the person's active role may use."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .access import active_role, ordered_roles

ROLE_LABELS = {
    "respondent": _l("Respondent"),
    "hr": _l("HR"),
    "trainer": _l("Trainer"),
    "admin": _l("Administrator"),
    "approver": _l("Plan approver"),
}

NAVIGATION = {
    "respondent": [("respond.home", _l("My assessments"))],
    "hr": [("hr.dashboard", _l("Dashboard")), ("hr_rounds.index", _l("Rounds")),
           ("hr_plan.page", _l("Plan")), ("hr.people", _l("Results")),
           ("hr_people.index", _l("Employees")),
           ("hr.realisations", _l("Realisations")),
           ("hr.corrections", _l("Correction requests")), ("hr.home", _l("Units"))],
    "trainer": [("trainer.home", _l("Questionnaires")), ("trainer.compare", _l("Compare versions"))],
    "admin": [("admin.home", _l("Overview")), ("admin.units", _l("Units")), ("admin_people.index", _l("Employees")),
              ("admin_rounds.index", _l("Rounds")),
              ("admin.audit", _l("Audit log"))],
    "approver": [("approver.index", _l("Plans to set"))],
}


def inject_navigation() -> dict:
    if not current_user.is_authenticated:
        return {"nav_links": [], "nav_roles": [], "nav_active_role": None, "role_labels": ROLE_LABELS}
    role = active_role()
    return {
        "nav_links": NAVIGATION.get(role, []),
        "nav_roles": ordered_roles(current_user.roles),
        "nav_active_role": role,
        "role_labels": ROLE_LABELS,
    }
