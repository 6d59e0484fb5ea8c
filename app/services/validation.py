"""Checks of text that comes from people: NIP, e-mail, names, unit codes, slugs.

Every check here runs in time linear in its input and looks at the length before anything else,
so that a hostile upload (a 60 KB e-mail cell, a 100,000-character name) costs microseconds."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l

NIP_LENGTH = 18
NIP_RE = re.compile(r"[0-9]{18}")  # ASCII digits only: `\d` also matches Arabic-Indic and full-width digits
NIP_SEPARATORS_RE = re.compile(r"[\s.-]")  # white space of any kind, dots, dashes
UNIT_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,31}\Z")  # \Z: "$" would accept a final line break
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")

EMAIL_MAX_LENGTH = 254  # RFC 5321: the longest address a mail server accepts
EMAIL_LOCAL_MAX_LENGTH = 64

NAME_MAX_LENGTH = 200
#: Unicode categories refused in names: control (Cc), format (Cf: zero-width and direction marks,
#: the byte-order mark, soft hyphen), line and paragraph separators (Zl, Zp), surrogates (Cs).
REFUSED_NAME_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def is_ascii_digits(text: str) -> bool:
    """True for a non-empty text of the digits 0-9 only. `str.isdigit()` also accepts "١٢٣",
    "１２３" and "²" (and `int("²")` then fails), so use this for identifiers and numbers in URLs."""
    return bool(text) and text.isascii() and text.isdigit()


# -- NIP ------------------------------------------------------------------------------------

def clean_nip(raw: str) -> str:
    """NIPs are often written with spaces, dots or dashes ("19800101 200501 1 001"): drop those.

    Nothing else is changed: a full-width or Arabic-Indic digit stays what it is (and makes the NIP
    invalid) instead of being read as the ASCII digit it looks like, which would turn a look-alike
    into somebody else's valid NIP."""
    return NIP_SEPARATORS_RE.sub("", raw or "")


def nip_problem(nip: str):
    """Why an 18-digit civil-servant number is not valid, or None.

    Layout: birth date YYYYMMDD, appointment YYYYMM, sex digit 1 or 2, three-digit sequence."""
    if len(nip or "") != NIP_LENGTH or not NIP_RE.fullmatch(nip):
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


# -- e-mail ---------------------------------------------------------------------------------

def email_problem(email: str):
    """Why an e-mail address is not acceptable, or None.

    The length comes first and has its own message. The shape is then checked without a regular
    expression (the former `^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$` backtracked quadratically on a long cell):
    exactly one "@", a local part of 1 to 64 characters, a domain of dot-separated non-empty labels
    with at least one dot, and no white space, control or invisible characters anywhere."""
    email = email or ""
    if len(email) > EMAIL_MAX_LENGTH:
        return _l("The e-mail address is too long: at most %(max)d characters.", max=EMAIL_MAX_LENGTH)
    local, _at, domain = email.partition("@")
    if (not local or len(local) > EMAIL_LOCAL_MAX_LENGTH or "@" in domain
            or not _email_domain_ok(domain) or not _printable_without_space(email)):
        return _l("Enter a valid e-mail address.")
    return None


def _email_domain_ok(domain: str) -> bool:
    labels = domain.split(".")
    return len(labels) >= 2 and all(labels)


def _printable_without_space(text: str) -> bool:
    if text.isprintable():  # the common case, in C: no Cc, Cf, Cs, Zl, Zp, and no white space but " "
        return " " not in text
    return not any(ch.isspace() or unicodedata.category(ch) in REFUSED_NAME_CATEGORIES for ch in text)


def _first_refused_character(text: str) -> str | None:
    if text.isprintable():  # the common case, in C: printable text has none of the refused categories
        return None
    return next((ch for ch in text if unicodedata.category(ch) in REFUSED_NAME_CATEGORIES), None)


# -- names (people and units) ------------------------------------------------------------------

def clean_name(raw: str) -> str:
    """A name as it is stored: surrounding white space trimmed, Unicode NFC (so "é" typed as e +
    combining accent and "é" typed as one character are the same name)."""
    return unicodedata.normalize("NFC", (raw or "").strip())


def name_problem(name: str):
    """Why a name (of a person or a unit) cannot be stored, or None; the rule is the same for the
    forms, the CSV imports and the commands.

    The name is judged as `clean_name` stores it: 1 to 200 characters, and no control or format
    characters, line or paragraph separators or surrogates. These print as nothing or break
    lines in pages, PDFs and spreadsheets (openpyxl refuses most control characters: one in a
    name made every XLSX export of its unit fail), and a NUL byte cuts text short in C code."""
    name = clean_name(name)
    if not 1 <= len(name) <= NAME_MAX_LENGTH:
        return _l("The name must have 1 to 200 characters.")
    refused = _first_refused_character(name)
    if refused is not None:
        return _l("The name must not contain control or invisible characters such as tabs, line breaks or "
                  "zero-width spaces (found %(char)s).", char=f"U+{ord(refused):04X}")
    return None


# -- unit codes -------------------------------------------------------------------------------

def unit_code_problem(code: str):
    if not UNIT_CODE_RE.match(code or ""):
        return _l("A unit code has 1 to 32 capital letters, digits, dots, dashes or underscores.")
    return None
