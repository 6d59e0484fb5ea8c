"""Helpers of the engine tests (no Flask here): the mini questionnaire and ways to change it."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Callable

from app.engine.questionnaire import Problem, Questionnaire, dump_document, load, to_document, validate

FIXTURES = Path(__file__).parent / "fixtures"
MINI_TEXT = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str, occurrence: int = 1, *, exact: bool = False) -> int:
    """1-based line of the n-th line containing ``needle`` (or equal to it, stripped)."""
    hits = [n for n, line in enumerate(text.splitlines(), 1)
            if (line.strip() == needle if exact else needle in line)]
    assert len(hits) >= occurrence, f"{needle!r} not found {occurrence} time(s)"
    return hits[occurrence - 1]


def edited(old: str, new: str, text: str = MINI_TEXT, count: int = 1) -> str:
    """The mini questionnaire with one exact text replacement (which must exist)."""
    assert text.count(old) >= count, f"{old!r} not in the text"
    return text.replace(old, new, count)


def only(problems: list[Problem], code: str) -> Problem:
    """The single problem with ``code`` (fails listing all problems otherwise)."""
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


def variant(change: Callable[[dict], None]) -> Questionnaire:
    """Load the mini questionnaire after ``change`` edits its plain document in place."""
    doc = copy.deepcopy(to_document(load(MINI_TEXT)))
    change(doc)
    text = dump_document(doc)
    problems = validate(text)
    assert not problems, [str(p) for p in problems]
    return load(text)
