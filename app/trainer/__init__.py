"""Trainer pages: versions and drafts (views), preview (preview) and the structured editor (editor)."""

from . import editor, preview  # noqa: F401  (register their routes on bp)
from .views import bp

__all__ = ["bp"]
