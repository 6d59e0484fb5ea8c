"""Synthetic people for the demo and the benchmarks: valid-looking NIPs and answers that lean
towards a person's skill."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..engine import questionnaire as engine


def synthetic_nip(index: int) -> str:
    birth = date(1965, 1, 1) + timedelta(days=index % 12000)
    appointed = birth.year + 22 + index % 10
    sequence = (index // 12000) % 900
    return f"{birth:%Y%m%d}{appointed}{1 + index % 12:02d}{1 + index % 2}{sequence:03d}"


def random_answers(model: engine.Questionnaire, rng: random.Random, skill: float) -> dict:
    """Answers that lean towards a person's overall skill (0..1), so units differ realistically."""
    answers = {}
    for item in model.items:
        if item.type == "rating":
            points = len(item.anchors)
            answers[item.id] = max(1, min(points, round(1 + skill * (points - 1) + rng.gauss(0, 0.8))))
        elif item.type == "choice":
            ranked = sorted(item.options, key=lambda o: o.score)
            pick = min(len(ranked) - 1, max(0, round(skill * (len(ranked) - 1) + rng.gauss(0, 0.9))))
            answers[item.id] = ranked[pick].id
        elif item.type == "multi":
            answers[item.id] = [o.id for o in item.options
                                if (o.score > 0 and rng.random() < 0.3 + 0.6 * skill)
                                or (o.score <= 0 and rng.random() < 0.3 - 0.25 * skill)]
    return answers
