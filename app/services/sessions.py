"""Server-side login sessions: the cookie only names one, so the server can end it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import LoginSession, User, utcnow

TOUCH_EVERY = timedelta(seconds=60)  # at most one write per minute per session for "last seen"


def start_session(user: User) -> LoginSession:
    login_session = LoginSession(user_id=user.id)
    db.session.add(login_session)
    db.session.flush()
    user.login_session_id = login_session.id
    return login_session


def end_session(session_id: str) -> None:
    db.session.execute(update(LoginSession).where(LoginSession.id == session_id, LoginSession.ended_at.is_(None))
                       .values(ended_at=utcnow()).execution_options(synchronize_session=False))


def end_all_sessions(user_id: int) -> None:
    """Used at deactivation, password change and change of roles or unit."""
    db.session.execute(update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
                       .values(ended_at=utcnow()).execution_options(synchronize_session=False))


def is_expired(login_session: LoginSession, now, idle: timedelta, absolute: timedelta) -> bool:
    return now - login_session.last_seen_at > idle or now - login_session.created_at > absolute


def user_for_session(session_id: str, idle: timedelta, absolute: timedelta) -> User | None:
    """The person of a live session, or None when it ended, timed out or the person is inactive.

    Every signed-in request starts here, so the session, the person, their unit and their roles
    come in one query."""
    if not session_id:
        return None
    row = db.session.execute(
        select(LoginSession, User).join(User, User.id == LoginSession.user_id)
        .where(LoginSession.id == session_id).options(joinedload(User.role_rows))).unique().first()
    if row is None or row.LoginSession.ended_at is not None:
        return None
    login_session, user = row.LoginSession, row.User
    now = utcnow()
    if is_expired(login_session, now, idle, absolute):
        login_session.ended_at = now
        db.session.commit()
        return None
    if not user.active:
        return None
    if now - login_session.last_seen_at > TOUCH_EVERY:
        touch(login_session, now)
    user.login_session_id = login_session.id
    return user


def touch(login_session: LoginSession, now) -> None:
    """Record activity; best effort, so a database that only reads (a long write lock) still serves
    the person's pages."""
    login_session.last_seen_at = now
    try:
        db.session.commit()
    except OperationalError:
        db.session.rollback()
