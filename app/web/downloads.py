"""File responses: safe names, never cached (they hold personal data)."""

from __future__ import annotations

import re
from typing import Iterable

from flask import current_app

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str) -> str:
    """ASCII letters, digits, dot, dash and underscore only: no quotes, CR/LF or paths."""
    cleaned = UNSAFE.sub("-", name).strip(".-") or "download"
    return cleaned[:120]


def download(body: bytes | Iterable[bytes], mimetype: str, filename: str):
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    response.headers["Cache-Control"] = "no-store"
    return response
