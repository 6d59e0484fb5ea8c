"""Validation problems: what is wrong, where (line, column, path), and how to fix it in two languages."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .messages import PROBLEMS, render

_LOCATION_WORDS = {
    "id": ("baris", "kolom", "jalur", "(tingkat teratas)"),
    "en": ("line", "column", "path", "(top level)"),
}


@dataclass(frozen=True)
class Problem:
    """One problem found in a questionnaire file.

    ``path`` uses 0-based list indexes (``domains[2].items[4].options``); ``""`` is the top
    level. ``line`` and ``column`` are 1-based, or None when the problem concerns the whole file
    (``too_large``, ``not_utf8``).
    """

    code: str
    path: str
    line: int | None
    column: int | None
    message_id: str
    message_en: str

    @classmethod
    def make(cls, code: str, path: str, line: int | None, column: int | None,
             **params: Any) -> "Problem":
        text = render(PROBLEMS, code, **params)
        return cls(code, path, line, column, text.id, text.en)

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id

    def format(self, lang: str = "id") -> str:
        """The problem as one line, e.g. ``baris 3, kolom 5, jalur scale[0]: …``."""
        line_w, col_w, path_w, top = _LOCATION_WORDS["en" if lang == "en" else "id"]
        parts = []
        if self.line is not None:
            parts.append(f"{line_w} {self.line}")
        if self.column is not None:
            parts.append(f"{col_w} {self.column}")
        parts.append(f"{path_w} {self.path or top}")
        return f"{', '.join(parts)}: {self.message(lang)}"

    def __str__(self) -> str:
        return self.format("en")

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "path": self.path, "line": self.line, "column": self.column,
                "message_id": self.message_id, "message_en": self.message_en}


class QuestionnaireInvalid(Exception):
    """Raised by ``load`` with every problem of the file in ``.problems`` (sorted by position)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else None
        summary = f"{len(self.problems)} problem(s)" + (f"; first: {first}" if first else "")
        super().__init__(summary)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """File-level problems first, then by position in the file (stable otherwise)."""
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
