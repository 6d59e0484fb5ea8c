"""The request owns the transaction: every view runs inside one, committed once when the view
has answered, as Indico's request handler does. Views and services never commit.

- A view that returns normally with a status below 400 commits what it wrote.
- A view that answers 400 or more (a form with errors, a refusal) rolls back: nothing of a failed
  request is half-written. A view that must keep a record of a refusal (a failed sign-in in the
  audit log) says so with `keep_despite_refusal()`.
- A view that raises rolls back; the error handlers answer (app/web/errors.py).

Streamed downloads commit before their body is sent; what the stream reads afterwards is read-only.
"""

from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Flask, current_app, g

from ..extensions import db

KEEP_KEY = "keep_despite_refusal"


def keep_despite_refusal() -> None:
    """Commit this request's writes even though it answers with an error status."""
    g.setdefault(KEEP_KEY, True)


def in_transaction(view: Callable) -> Callable:
    @wraps(view)
    def run(*args, **kwargs):
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:
            db.session.rollback()
            raise
        if response.status_code < 400 or g.get(KEEP_KEY):
            db.session.commit()
        else:
            db.session.rollback()
        return response

    return run


def register_transactions(app: Flask) -> None:
    """Wrap every view of the app (after the blueprints are registered)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = in_transaction(view)
