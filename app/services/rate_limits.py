"""The store of rate-limit counters: process memory by default, Redis when configured, so that
limits hold across gunicorn workers and hosts. One store per app, built from
RATELIMIT_STORAGE_URI (or REDIS_URL) when the app is created.

The counters use the `limits` library (the one behind Flask-Limiter) directly: Flask-Limiter's
decorators count a failed sign-in only after its response, so a burst of parallel guesses was
checked before any of them counted (finding F3), and its store belongs to the extension object
rather than to the app."""

from __future__ import annotations

from flask import Flask, current_app
from limits import RateLimitItem
from limits.storage import MemoryStorage, Storage, storage_from_string

EXTENSION_KEY = "swanilai_rate_limits"
FALLBACK = MemoryStorage()


def init_store(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])


def store() -> Storage:
    return current_app.extensions[EXTENSION_KEY]


def enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def add(item: RateLimitItem, key: tuple[str, ...], cost: int = 1) -> int:
    """Add `cost` to a counter of the current window and return its new value. When the store
    cannot be reached, count in this process instead: the limit weakens to per worker rather than
    disappearing, and a warning says so."""
    name = item.key_for(*key)
    try:
        return store().incr(name, item.get_expiry(), amount=cost)
    except Exception as error:  # noqa: BLE001 - any failure of the store
        current_app.logger.warning("rate-limit store unavailable (%s); counting in this process only",
                                   error.__class__.__name__)
        return FALLBACK.incr(name, item.get_expiry(), amount=cost)


def current(item: RateLimitItem, key: tuple[str, ...]) -> int:
    name = item.key_for(*key)
    try:
        return store().get(name)
    except Exception:  # noqa: BLE001 - as in add
        return FALLBACK.get(name)


def reset() -> None:
    """Forget every counter (tests, and an operator after an incident)."""
    store().reset()
    FALLBACK.reset()
