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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from limits import RateLimitItem, parse

from ..services import rate_limits
from ..services.validation import clean_nip


@dataclass
class Attempt:
    """The places one sign-in attempt holds; give them back with `SignInThrottle.succeeded`."""

    allowed: bool
    held: list[tuple[str, ...]] = field(default_factory=list)


class SignInThrottle:
    def __init__(self, limit: str, *, enabled: bool = True):
        self.item: RateLimitItem = parse(limit)
        self.enabled = enabled

    def _give_back(self, keys: list[tuple[str, ...]]) -> None:
        for key in keys:
            rate_limits.add(self.item, key, -1)

    def begin(self, address: str, account: str) -> Attempt:
        """Reserve a place for an attempt from `address` on `account`; `allowed` is False when it
        must be answered 429 without checking the password."""
        if not self.enabled:
            return Attempt(True)
        by_address = ("signin", "address", address)
        address_count = rate_limits.add(self.item, by_address)
        if address_count > self.item.amount:
            self._give_back([by_address])
            return Attempt(False)
        by_account = ("signin", "account", account)
        if rate_limits.add(self.item, by_account) > self.item.amount and address_count > 1:
            self._give_back([by_address, by_account])
            return Attempt(False)
        return Attempt(True, [by_address, by_account])

    def succeeded(self, attempt: Attempt) -> None:
        """A correct password: the attempt was no guess and does not count."""
        self._give_back(attempt.held)
        attempt.held = []

    def over_limit(self, account: str) -> bool:
        """Whether the account has used up its failures in this window."""
        return self.enabled and rate_limits.current(self.item, ("signin", "account", account)) > self.item.amount


def sign_in_throttle() -> SignInThrottle:
    return SignInThrottle(current_app.config["LOGIN_FAILURE_LIMIT"], enabled=rate_limits.enabled())


def account_key(user_id: int | None, typed_login: str) -> str:
    """One counter per account whichever identifier was typed; unknown logins count by what was
    typed, normalised the way `find_by_login` reads it."""
    if user_id is not None:
        return f"user:{user_id}"
    typed = typed_login.strip().lower()
    return "login:" + (typed if "@" in typed else clean_nip(typed))
