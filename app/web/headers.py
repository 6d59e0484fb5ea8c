"""HTTP response headers that every page gets."""

from __future__ import annotations

from flask import Response, current_app, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint == "static":
        # The same stylesheet and script for everyone: kept an hour by the browser (private: the
        # response may carry the session's cookie, which no shared cache may keep). Behind nginx
        # the files never reach the app (deploy/nginx.conf).
        headers["Cache-Control"] = "private, max-age=3600"
    elif (current_user and current_user.is_authenticated) or request.blueprint == "auth":
        headers["Cache-Control"] = "no-store"  # sign-in and invitation pages too: nothing to keep
    return response
