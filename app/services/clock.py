"""The office's calendar: a round opens and closes on dates in the office's time zone
(``OFFICE_TIMEZONE``, WIB by default), whatever the server's clock is set to."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Jakarta"


def office_zone() -> ZoneInfo:
    name = current_app.config.get("OFFICE_TIMEZONE", DEFAULT_ZONE) if has_app_context() else DEFAULT_ZONE
    return ZoneInfo(name)


def office_today(now: datetime | None = None) -> date:
    """Today's date at the office; ``now`` is an aware time or a naive UTC one (as stored)."""
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(office_zone()).date()


def office_time(stored: datetime) -> datetime:
    """A stored (naive UTC) time as the office's local time."""
    return stored.replace(tzinfo=timezone.utc).astimezone(office_zone())
