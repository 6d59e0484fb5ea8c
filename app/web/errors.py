"""Error pages in the person's language, JSON for JSON clients, never a stack trace."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db
from ..services import audit
from ..services.errors import Conflicting, NotFound, ServiceError

MESSAGES = {
    400: (_l("The request could not be understood"),
          _l("Something in what was sent is not right. Go back, check the form and try again.")),
    401: (_l("Please sign in"),
          _l("Sign in to continue.")),
    403: (_l("Not allowed"),
          _l("Your account does not have access to this page. If you think it should, contact your administrator.")),
    404: (_l("Not found"),
          _l("The page or data you asked for does not exist, or you do not have access to it.")),
    405: (_l("Not allowed"),
          _l("This address cannot be used this way.")),
    409: (_l("This cannot be changed now"),
          _l("Someone else changed this at the same moment. Reload the page and try again.")),
    413: (_l("File too large"),
          _l("What you sent is larger than allowed. Make the file smaller and try again.")),
    429: (_l("Too many attempts"),
          _l("Too many attempts in a short time. Wait a minute and try again.")),
    500: (_l("Something went wrong"),
          _l("An unexpected error happened. Nothing you saved before is lost. Try again in a moment.")),
    503: (_l("Service temporarily unavailable"),
          _l("The database cannot be reached right now. Nothing you saved before is lost. Try again in a few "
             "minutes.")),
}
CONFLICT_MESSAGE = _l("Someone else changed this at the same moment, so your change was not applied. Reload the "
                      "page, check what it shows now and try again.")
CSRF_MESSAGE = _l("The form has expired or was not sent from this site. Reload the page and send it again.")


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    accepted = request.accept_mimetypes
    return request.is_json or (best == "application/json" and accepted[best] > accepted["text/html"])


def render_error(code: int, message=None):
    title, default_message = MESSAGES.get(code, MESSAGES[500])
    text = message or default_message
    if request_ctx.url_adapter is None:  # an untrusted Host header: no link can be built
        return Response(f"{title}\n\n{text}\n", code, mimetype="text/plain")
    if wants_json():
        return jsonify(error=str(title), message=str(text)), code
    return render_template("errors/error.html", code=code, title=title, message=text), code


def record_denied(code: int) -> None:
    """A signed-in person refused an object (403) or asking for one that is not theirs or not there
    (404 on a known route) leaves a trace: probing for other people's ids shows in the audit log.
    Best effort: a database that is down must not turn the answer into a 500."""
    if request.url_rule is None or not current_user.is_authenticated:
        return
    try:
        db.session.rollback()
        audit.record("access.denied", actor_id=current_user.id, target_type="path", target_id=request.path[:64],
                     details={"status": code, "method": request.method}, ip=request.remote_addr)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if wants_json() and not current_user.is_authenticated:
            return render_error(401)  # a signed-out script (autosave) must learn to sign in, not retry
        return render_error(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code in (403, 404):
            record_denied(error.code)
        return render_error(error.code)

    @app.errorhandler(ServiceError)
    def refused(error: ServiceError):
        """A service refused and the view did not answer it itself: its plain message, with the
        status its kind calls for (NotFound 404, a conflict 409, anything else 400)."""
        db.session.rollback()
        code = 404 if isinstance(error, NotFound) else 409 if isinstance(error, Conflicting) else 400
        return render_error(code, str(error.message))

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def conflict(error):
        """Two people changed the same thing at once (two publishes of one draft, say): the later
        change is not applied, and the person is told to look again."""
        db.session.rollback()
        app.logger.info("conflicting change: %s", error.__class__.__name__)
        return render_error(409, CONFLICT_MESSAGE)

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_error(error):
        """A database that is down or locked: roll back so nothing is half-written, answer 503."""
        db.session.rollback()
        app.logger.warning("database unavailable: %s", error.__class__.__name__)
        return render_error(503)

    @app.errorhandler(RecursionError)
    def too_deep(error):
        """A request body nested deeper than the parser can follow (JSON of 100,000 brackets)."""
        db.session.rollback()
        return render_error(400)

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        db.session.rollback()
        return render_error(500)

    @app.errorhandler(Exception)
    def unexpected(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        db.session.rollback()
        app.logger.exception("unhandled error")
        if app.debug and not app.testing:
            raise error
        return render_error(500)
