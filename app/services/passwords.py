"""Password hashing and the minimum policy."""

from __future__ import annotations

from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from . import audit
from .errors import ServiceError
from .sessions import end_all_sessions



@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Checked when the account is unknown, so a wrong NIP costs as much time as a wrong password."""
    return hash_password("swanilai-dummy-password")


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(stored_hash, password)


def credentials_match(user, password: str) -> bool:
    """The password is checked even for an unknown or deactivated account, so the time taken does
    not tell which accounts exist or are deactivated."""
    matches = verify_password(user.password_hash if user is not None else None, password)
    return matches and user is not None and user.active


def check_policy(password: str, *, personal: tuple[str, ...] = ()) -> None:
    """At least PASSWORD_MIN_LENGTH characters, letters and digits, not the NIP, name or e-mail."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise ServiceError(_l("The password must have at least %(n)d characters.", n=minimum), field="password")
    if len(password) > 200:
        raise ServiceError(_l("The password must have at most 200 characters."), field="password")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        raise ServiceError(_l("The password must contain letters and digits."), field="password")
    lowered = password.lower()
    if any(p and len(p) >= 4 and p.lower() in lowered for p in personal):
        raise ServiceError(_l("The password must not contain your NIP, name or e-mail."), field="password")


def change_password(user, current: str, new: str) -> None:
    """A signed-in person's new password. Every session of theirs ends (the caller signs the
    current device in again), so a stolen session dies with the old password."""
    if not verify_password(user.password_hash, current):
        raise ServiceError(_l("The current password is wrong."), field="current")
    check_policy(new, personal=(user.nip, user.email.split("@")[0], *user.name.split()))
    user.password_hash = hash_password(new)
    end_all_sessions(user.id)
    audit.record("auth.password_change", actor_id=user.id, target_type="user", target_id=user.id)
