"""Checks of identifiers that come from people: NIP, e-mail, unit codes, slugs."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l

NIP_RE = re.compile(r"^\d{18}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
UNIT_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,31}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def clean_nip(raw: str) -> str:
    """NIPs are often written with spaces ("19800101 200501 1 001"); keep the digits only."""
    return re.sub(r"[\s.-]", "", raw or "")


def nip_problem(nip: str):
    """Why an 18-digit civil-servant number is not valid, or None.

    Layout: birth date YYYYMMDD, appointment YYYYMM, sex digit 1 or 2, three-digit sequence."""
    if not NIP_RE.match(nip):
        return _l("The NIP must be exactly 18 digits.")
    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return _l("The first 8 digits of the NIP must be a valid birth date (YYYYMMDD).")
    appointed_year, appointed_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= appointed_month <= 12 or appointed_year < birth.year + 15:
        return _l("Digits 9 to 14 of the NIP must be the appointment year and month (YYYYMM).")
    if nip[14] not in "12":
        return _l("Digit 15 of the NIP must be 1 or 2.")
    return None


def email_problem(email: str):
    if not EMAIL_RE.match(email or "") or len(email) > 254:
        return _l("Enter a valid e-mail address.")
    return None


def unit_code_problem(code: str):
    if not UNIT_CODE_RE.match(code or ""):
        return _l("A unit code has 1 to 32 capital letters, digits, dots, dashes or underscores.")
    return None
