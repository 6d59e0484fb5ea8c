"""Addresses: redirect targets taken from requests, and the id converter of every route."""

from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter


def is_local_path(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ch in target for ch in "\r\n\t\\"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


class DatabaseId(IntegerConverter):
    """``<int:…>`` in every route: at most what an integer column holds (2**31 - 1), so an id
    too large for the database is "not found" rather than an overflow inside a query."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = 2**31 - 1,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)
