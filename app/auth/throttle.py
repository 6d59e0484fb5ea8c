"""The limit on password guessing, shared by every worker through the rate-limit store.

What it does (README, "Sign-in"):

- **Per address**: at most LOGIN_FAILURE_LIMIT failed sign-ins per window from one client
  address. Beyond it the address gets 429, whatever it tries.
- **Per account**: at most LOGIN_FAILURE_LIMIT failures per window for one account, counted on
  the account itself (its NIP and its e-mail are one account). Beyond it, an address that has
  failed already gets 429 for that account; an address that has not failed in the window still has
  its password checked, so knowing someone's NIP is not enough to keep them out. A wrong password
  from such an address counts against the address, so each address gets one try at a locked account.
- **Atomic**: an attempt reserves its place in both counters before the password is checked, and
  a correct password gives the place back. A burst of simultaneous guesses cannot all be checked.

If the store (Redis) cannot be reached, the counters fall back to this process's memory, so the
limit weakens to per-worker instead of disappearing, and a warning is logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import current_app
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage

from ..extensions import limiter
from ..validation import clean_nip

log = logging.getLogger(__name__)
FALLBACK = MemoryStorage()


@dataclass
class Attempt:
    """The places one sign-in attempt holds; give them back with `succeeded`."""

    allowed: bool
    held: list[tuple[str, ...]] = field(default_factory=list)


class SignInThrottle:
    def __init__(self, storage: Storage, limit: str, *, enabled: bool = True):
        self.item: RateLimitItem = parse(limit)
        self.storage = storage
        self.enabled = enabled

    def _hit(self, key: tuple[str, ...], cost: int = 1) -> int:
        """The counter after adding `cost`."""
        try:
            return self.storage.incr(self.item.key_for(*key), self.item.get_expiry(), amount=cost)
        except Exception as error:  # noqa: BLE001 - any store failure: keep limiting in memory
            log.warning("sign-in limit store unavailable (%s); counting in this process only",
                        error.__class__.__name__)
            return FALLBACK.incr(self.item.key_for(*key), self.item.get_expiry(), amount=cost)

    def _give_back(self, keys: list[tuple[str, ...]]) -> None:
        for key in keys:
            self._hit(key, -1)

    def begin(self, address: str, account: str) -> Attempt:
        """Reserve a place for an attempt from `address` on `account`; `allowed` is False when it
        must be answered 429 without checking the password."""
        if not self.enabled:
            return Attempt(True)
        by_address = ("signin", "address", address)
        address_count = self._hit(by_address)
        if address_count > self.item.amount:
            self._give_back([by_address])
            return Attempt(False)
        by_account = ("signin", "account", account)
        if self._hit(by_account) > self.item.amount and address_count > 1:
            self._give_back([by_address, by_account])
            return Attempt(False)
        return Attempt(True, [by_address, by_account])

    def succeeded(self, attempt: Attempt) -> None:
        """A correct password: the attempt was no guess and does not count."""
        self._give_back(attempt.held)
        attempt.held = []

    def over_limit(self, account: str) -> bool:
        """Whether the account has used up its failures in this window (for a 429 after a failure
        from a fresh address)."""
        if not self.enabled:
            return False
        key = self.item.key_for("signin", "account", account)
        try:
            count = self.storage.get(key)
        except Exception:  # noqa: BLE001 - as in _hit
            count = FALLBACK.get(key)
        return count > self.item.amount


def sign_in_throttle() -> SignInThrottle:
    """The throttle of the running app, on the rate limiter's store (memory, or Redis)."""
    config = current_app.config
    return SignInThrottle(limiter.storage, config["LOGIN_FAILURE_LIMIT"],
                          enabled=bool(config.get("RATELIMIT_ENABLED", True)))



def account_key(user_id: int | None, typed_login: str) -> str:
    """One counter per account whichever identifier was typed; unknown logins count by what was
    typed, normalised the way `find_by_login` reads it."""
    if user_id is not None:
        return f"user:{user_id}"
    typed = typed_login.strip().lower()
    return "login:" + (typed if "@" in typed else clean_nip(typed))
