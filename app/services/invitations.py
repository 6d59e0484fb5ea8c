"""One-time, expiring links to set a password, for offices that do not send e-mail."""

from __future__ import annotations

from datetime import timedelta
from typing import Iterable

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from ..extensions import db
from ..models import Invitation, User, new_token, utcnow
from . import audit
from .errors import ServiceError
from .sessions import end_all_sessions
from .passwords import check_policy, hash_password

SALT = "swanilai-invitation"


class InvitationRefused(ServiceError):
    """The link is tampered, unknown, expired, used or replaced; `reason` says which."""

    def __init__(self, reason: str, message):
        super().__init__(message)
        self.reason = reason


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(invitation: Invitation) -> str:
    return _serializer().dumps([invitation.id, invitation.nonce])


def issue(user: User, *, actor_id: int | None, ip: str | None = None) -> Invitation:
    """A new link for the person; earlier pending links stop working."""
    now = utcnow()
    db.session.execute(
        update(Invitation)
        .where(Invitation.user_id == user.id, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    invitation = Invitation(user=user, created_by_id=actor_id,
                            expires_at=now + timedelta(hours=current_app.config["INVITATION_TTL_HOURS"]))
    db.session.add(invitation)
    db.session.flush()
    audit.record("invitation.issue", actor_id=actor_id, target_type="user", target_id=user.id,
                 details={"invitation": invitation.id, "expires_at": invitation.expires_at.isoformat()}, ip=ip)
    return invitation


def open_invitation(token: str) -> Invitation:
    """The pending invitation behind a link, or InvitationRefused with a plain reason."""
    try:
        invitation_id, nonce = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise InvitationRefused("invalid", _l("This invitation link is not valid. Check that you copied the whole "
                                              "link, or ask your HR office for a new one.")) from None
    invitation = db.session.get(Invitation, invitation_id) if isinstance(invitation_id, int) else None
    if invitation is None:
        raise InvitationRefused("invalid", _l("This invitation link is not valid. Ask your HR office for a new one."))
    if invitation.used_at is not None:
        raise InvitationRefused("used", _l("This invitation link has already been used. Sign in with your "
                                           "password, or ask your HR office for a new link."))
    if invitation.revoked_at is not None:
        raise InvitationRefused("replaced", _l("This invitation link was replaced by a newer one. Use the latest "
                                               "link from your HR office."))
    if invitation.nonce != nonce and invitation.opened_at is not None:
        raise InvitationRefused("opened", _l("This invitation link was already opened in another browser. Continue "
                                             "there, or ask your HR office for a new link."))
    if invitation.nonce != nonce:
        raise InvitationRefused("invalid", _l("This invitation link is not valid. Ask your HR office for a new one."))
    if invitation.expires_at <= utcnow():
        raise InvitationRefused("expired", _l("This invitation link has expired. Ask your HR office for a new one."))
    if not invitation.user.active:
        raise InvitationRefused("inactive", _l("This account is deactivated. Contact your HR office."))
    return invitation


def invitation_id_of(token: str | None) -> int | None:
    """The invitation a well-signed token names, whether or not it is still the current one."""
    try:
        invitation_id, _nonce = _serializer().loads(token or "")
    except (BadSignature, ValueError, TypeError):
        return None
    return invitation_id if isinstance(invitation_id, int) else None


def claim(invitation: Invitation, *, ip: str | None = None) -> str:
    """Exchange the link for a token held by this browser's session: the nonce changes, so the
    link as it stands in a chat, a proxy log or the browser history no longer works elsewhere."""
    invitation.nonce = new_token()
    invitation.opened_at = utcnow()
    audit.record("invitation.open", actor_id=None, target_type="user", target_id=invitation.user_id,
                 details={"invitation": invitation.id}, ip=ip)
    return token_for(invitation)


def accept(token: str, password: str, *, ip: str | None = None) -> User:
    """Set the password through a link. The link is spent in the same transaction, and a
    conditional UPDATE makes sure two simultaneous uses cannot both succeed."""
    invitation = open_invitation(token)
    user = invitation.user
    check_policy(password, personal=(user.nip, user.email.split("@")[0], *user.name.split()))
    spent = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        raise InvitationRefused("used", _l("This invitation link has already been used."))
    user.password_hash = hash_password(password)
    end_all_sessions(user.id)
    audit.record("invitation.accept", actor_id=user.id, target_type="user", target_id=user.id, ip=ip)
    return user


def pending_for(users: Iterable[User]) -> list[Invitation]:
    ids = [u.id for u in users]
    if not ids:
        return []
    return list(db.session.scalars(
        select(Invitation).where(Invitation.user_id.in_(ids), Invitation.used_at.is_(None),
                                 Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow())
        .order_by(Invitation.user_id)))
