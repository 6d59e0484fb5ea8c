"""Stored results read back exactly: the page after submit shows what was computed at submit."""

from __future__ import annotations

import json
import random
from pathlib import Path

from app.engine.questionnaire import load
from app.engine.stored import result_from_plain, result_to_plain
from app.engine.training import assess, result_to_dict

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires" / "tata-kelola-media-sosial.yaml"


def test_round_trip_through_json_gives_the_same_rendered_result():
    q = load(SHIPPED.read_text(encoding="utf-8"))
    rng = random.Random(7)
    for position in q.positions:
        answers = {}
        for item in q.items:
            if item.type == "rating":
                answers[item.id] = rng.randint(1, len(item.anchors))
            elif item.type == "choice":
                answers[item.id] = rng.choice(item.options).id
            elif item.type == "multi":
                answers[item.id] = [o.id for o in item.options if rng.random() < 0.5]
        result = assess(q, answers, position.id)
        stored = json.loads(json.dumps(result_to_plain(result)))
        back = result_from_plain(q, stored)
        for lang in ("id", "en"):
            assert result_to_dict(q, back, lang) == result_to_dict(q, result, lang)
        assert len(json.dumps(stored)) < 4000
