"""HR pages: employees (views) and results (results); both register on the same blueprint."""

from . import results  # noqa: F401  (registers the results routes on bp)
from .views import bp

__all__ = ["bp"]
