"""How the reports write figures and labels: counts, shares and dates in the report's locale,
position names, training modes and the page label. Shared by every document (personal, unit,
heat map, appendix) and the pages that show the same labels."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Iterator

from babel import numbers
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

DASH = "—"

#: The locale of the report being built, looked up once instead of for every number.
_REPORT_LOCALE: ContextVar[str | None] = ContextVar("unit_report_locale", default=None)


@contextmanager
def report_locale() -> Iterator[None]:
    """While a report is built: numbers use the current locale, read once here."""
    token = _REPORT_LOCALE.set(str(get_locale()))
    try:
        yield
    finally:
        _REPORT_LOCALE.reset(token)


def _locale() -> str:
    return _REPORT_LOCALE.get() or str(get_locale())


def integer(value: int) -> str:
    """A count with the locale's digit grouping: 1,124 or 1.124."""
    return _formatted(value, "#,##0", _locale())


def percent(share: float | None) -> str:
    """A share 0..1 as a whole percentage; a dash for None."""
    return DASH if share is None else _formatted(share, "#,##0%", _locale())


@lru_cache(maxsize=8192)
def _formatted(value: float, pattern: str, locale: str) -> str:
    """Babel's number formatting, cached: a unit report formats the same counts many times."""
    if pattern.endswith("%"):
        return numbers.format_percent(value, format=pattern, locale=locale)
    return numbers.format_decimal(value, format=pattern, locale=locale)


def long_date(value: Any) -> str:
    return format_date(value, format="long") if value is not None else DASH


def position_name(model: Any, position_id: str | None, lang: str) -> str:
    """The position's name in ``lang``; its id when the model does not know it."""
    if position_id is None:
        return _("No position")
    try:
        return model.position(position_id).name.get(lang)
    except (KeyError, AttributeError):
        return position_id


MODE_LABELS = {"classroom": _l("Classroom"), "e-learning": _l("E-learning"), "coaching": _l("Coaching"),
               "mentoring": _l("Mentoring"), "self-study": _l("Self-study")}


def mode_label(mode: str) -> str:
    """A module's mode in the current language (only that one label is translated)."""
    label = MODE_LABELS.get(mode)
    return str(label) if label is not None else mode


def page_label():
    """The footer's "Page x of y" in the current language, for the page furniture."""
    template = _("Page %(page)s of %(pages)s")
    return lambda page, pages: template.replace("%(page)s", str(page)).replace(
        "%(pages)s", str(pages))
