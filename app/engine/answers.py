"""Checking and normalising a respondent's answers (see "Answers" in the format spec).

Normalised values: rating → int 1..K, or ``"na"`` (NOT_APPLICABLE, "not applicable to my
work") for an item written ``not_applicable: true``; choice → option id; multi → list of distinct
option ids in the item's option order (``[]`` is the valid answer "none of these"); text → str
with line breaks as ``\\n``. ``None`` means "not answered"; so does ``""`` (what an empty form
field sends) and a text of only white space. "Not applicable" is an answer (the item is not
missing) that no score counts.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from .messages import ANSWERS, render
from .model import NOT_APPLICABLE, Item, Questionnaire, UnknownItem

_DIGITS = re.compile(r"[0-9]{1,6}")  # bounded: int() of a huge digit string is slow


class AnswerInvalid(ValueError):
    """A value the item does not accept. ``code`` is stable; messages say what to do."""

    def __init__(self, item_id: str | None, code: str, **params: Any):
        text = render(ANSWERS, code, **params)
        self.item_id = item_id
        self.code = code
        self.message_id = text.id
        self.message_en = text.en
        super().__init__(f"{item_id}: {text.en}" if item_id else text.en)

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id


class AnswersInvalid(AnswerInvalid):
    """Raised by ``check_answers``: ``errors`` maps item id → AnswerInvalid for every bad answer.

    Its own code and messages are those of the first error, so catching AnswerInvalid is enough
    for code that shows one message.
    """

    def __init__(self, errors: dict[str, AnswerInvalid]):
        first = next(iter(errors.values()))
        self.errors = dict(errors)
        ValueError.__init__(self, "; ".join(str(e) for e in errors.values()))
        self.item_id, self.code = first.item_id, first.code
        self.message_id, self.message_en = first.message_id, first.message_en


def _rating(item: Item, raw: Any) -> int | str:
    if raw == NOT_APPLICABLE:
        if not item.not_applicable:
            raise AnswerInvalid(item.id, "not_rating", max=item.points)  # 1..K is all it offers
        return NOT_APPLICABLE
    if isinstance(raw, str) and _DIGITS.fullmatch(raw):
        raw = int(raw)
    if not isinstance(raw, int) or isinstance(raw, bool) or not 1 <= raw <= item.points:
        raise AnswerInvalid(item.id, "not_rating", max=item.points)
    return raw


def _choice(item: Item, raw: Any) -> str:
    if not isinstance(raw, str):
        raise AnswerInvalid(item.id, "not_choice")
    if item.option(raw) is None:
        raise AnswerInvalid(item.id, "unknown_option", value=raw)
    return raw


def _multi(item: Item, raw: Any) -> list[str]:
    if isinstance(raw, (str, bytes, Mapping)) or not hasattr(raw, "__iter__"):
        raise AnswerInvalid(item.id, "not_multi")
    picks = list(raw)
    seen: set[str] = set()
    for pick in picks:
        if not isinstance(pick, str):
            raise AnswerInvalid(item.id, "not_multi")
        if item.option(pick) is None:
            raise AnswerInvalid(item.id, "unknown_option", value=pick)
        if pick in seen:
            raise AnswerInvalid(item.id, "duplicate_pick", value=pick)
        seen.add(pick)
    return [o.id for o in item.options if o.id in seen]


def _text(item: Item, raw: Any) -> str | None:
    if not isinstance(raw, str):
        raise AnswerInvalid(item.id, "not_text")
    value = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not value.strip():
        return None
    if len(value) > item.max_length:
        raise AnswerInvalid(item.id, "too_long", length=len(value), max=item.max_length)
    return value


_CHECKERS = {"rating": _rating, "choice": _choice, "multi": _multi, "text": _text}


def check_answer(item: Item, raw: Any) -> Any:
    """The normalised value of ``raw`` for ``item`` (None = not answered), or AnswerInvalid."""
    if raw is None or (isinstance(raw, str) and raw == ""):
        return None
    return _CHECKERS[item.type](item, raw)


def check_answers(q: Questionnaire, answers: Mapping[str, Any], *,
                  domain_id: str | None = None) -> dict[str, Any]:
    """Normalise a whole mapping item id → raw value; raises AnswersInvalid listing every error.

    The result holds only answered items, in questionnaire order. With ``domain_id``, ids of
    items of another domain are refused (a form posts one domain at a time).
    """
    errors: dict[str, AnswerInvalid] = {}
    for key in answers:
        try:
            item = q.item(key)
        except UnknownItem:
            errors[str(key)] = AnswerInvalid(str(key), "unknown_item", item=key)
            continue
        if domain_id is not None and item.domain_id != domain_id:
            errors[key] = AnswerInvalid(key, "wrong_domain", item=key, domain=domain_id)
    clean: dict[str, Any] = {}
    for item in q.items:
        if item.id not in answers or item.id in errors:
            continue
        try:
            value = check_answer(item, answers[item.id])
        except AnswerInvalid as error:
            errors[item.id] = error
            continue
        if value is not None:
            clean[item.id] = value
    if errors:
        raise AnswersInvalid(errors)
    return clean


def missing_required(q: Questionnaire, answers: Mapping[str, Any], *,
                     domain_id: str | None = None,
                     position_id: str | None = None) -> tuple[str, ...]:
    """Ids of required items without an answer (for the submit step), in questionnaire order.

    ``answers`` should be normalised (the result of ``check_answers``). With ``position_id``, an
    item limited to other positions is never missing (the person does not see it); "not
    applicable" is an answer.
    """
    return tuple(
        item.id for item in q.items
        if item.required and (domain_id is None or item.domain_id == domain_id)
        and item.applies_to(position_id) and answers.get(item.id) in (None, "")
    )
