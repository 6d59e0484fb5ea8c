"""The order in which a respondent sees the options of a choice or multi item.

Options are shown shuffled, in an order of their own for every assessment, so that neither the
place of the best answer in the file (trainers tend to write it first, or last) nor an order shared
by everyone ("take the third one") tells a respondent anything. The order is stable for an
assessment: a reload, another visit, another device or the page shown again after a session ended
all give the same order. Answers are stored by option id, never by position, so the order changes
nothing in scoring, reports or exports.

``option_order`` is a pure function of the item and a seed (the assessment's id, see
``assessment_seed``). Each option is ranked by a SHA-256 digest of the seed, the item id and the
option id: the result does not depend on the process (unlike the built-in ``hash()``, which is
salted per process), on the Python version (unlike ``random``'s shuffle) or on the order in the
file, so editing an option's text in a later version keeps that option's rank. Rating anchors are
an ordered scale and are never shuffled; "None of these" is not an option of the item and stays
where the form puts it (last).
"""
from __future__ import annotations

import hashlib

from .model import Item, Option

#: Part of every digest, so that a change of method can never reuse an old ordering by accident.
METHOD = "swanilai/option-order/1"


def assessment_seed(assessment_id: int) -> str:
    """The seed of an assessment's option orders."""
    return f"assessment:{int(assessment_id)}"


def option_order(item: Item, seed: int | str | None) -> list[Option]:
    """The item's options in the order shown for ``seed``; file order when ``seed`` is None."""
    if seed is None:
        return list(item.options)
    return sorted(item.options, key=lambda option: _rank(seed, item.id, option.id))


def _rank(seed: int | str, item_id: str, option_id: str) -> bytes:
    # Ids are slugs (a–z, 0–9, hyphens), so the separator cannot occur inside them.
    return hashlib.sha256(f"{METHOD}|{seed}|{item_id}|{option_id}".encode("utf-8")).digest()
