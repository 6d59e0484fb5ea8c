"""The sign-in page as the answer to a request that needs a session it no longer has."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from .forms import LoginForm


def sign_in_keeping(sealed: str | None, next_path: str):
    """The sign-in page in answer to answers posted without a live session: they are not stored,
    they come back sealed inside the form and are kept once their respondent has signed in."""
    form = LoginForm(formdata=None, next=next_path, kept=sealed or "")
    notice = (_("Your session had ended. Your answers are kept: sign in again and press Save.") if sealed else
              _("Your session had ended and your answers were too long to keep. Sign in and enter them again."))
    return render_template("auth/login.html", form=form, notice=notice), 401
