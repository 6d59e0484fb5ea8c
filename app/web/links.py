"""Absolute links that work both in a request and in a command."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for

from ..models import Invitation
from ..services.csv_files import write_csv
from ..services.invitations import token_for


def invitation_url(invitation: Invitation) -> str:
    token = token_for(invitation)
    if has_request_context():
        return url_for("auth.invitation_link", token=token, _external=True)
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return url_for("auth.invitation_link", token=token, _external=True)


INVITATION_HEADER = ("NIP", "Name", "E-mail", "Unit", "Invitation link", "Valid until (UTC)")


def invitations_csv(pending: list[Invitation]) -> bytes:
    """The links as a spreadsheet HR can send from by any channel."""
    rows = [(inv.user.nip, inv.user.name, inv.user.email, inv.user.unit.code, invitation_url(inv),
             inv.expires_at.strftime("%Y-%m-%d %H:%M")) for inv in pending]
    return write_csv(INVITATION_HEADER, rows)
