"""Errors a service raises for the view or command to show to a person."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a message meant for people (already translated or lazily translated)."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotFound(ServiceError):
    """The object does not exist, or the person may not know that it does."""


class Conflicting(ServiceError):
    """Someone else changed the thing meanwhile, or it is in a state that forbids the change."""
