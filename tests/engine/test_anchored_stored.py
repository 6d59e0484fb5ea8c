"""The stored plain form carries the anchored model's sub-scores, and results stored before them
(format 1) still read back and render exactly as they did."""
import json
from pathlib import Path

import pytest

from app.engine.questionnaire import load
from app.engine.stored import FORMAT, result_from_plain, result_to_plain
from app.engine.training import assess, result_to_dict

from .test_golden import ANSWERS as MINI_ANSWERS
from .test_golden_anchored import ANSWERS, WRONG_STRATEGI

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires" / "tata-kelola-media-sosial.yaml"


def through_json(plain):
    return json.loads(json.dumps(plain))


@pytest.mark.parametrize("answers", [ANSWERS, WRONG_STRATEGI, {"krisis-hoaks": "b"}])
def test_anchored_sub_scores_survive_storage(answers):
    q = load((FIXTURES / "anchored.yaml").read_text(encoding="utf-8"))
    result = assess(q, answers, "admin-medsos")
    stored = through_json(result_to_plain(result))
    assert stored["format"] == FORMAT == 2
    back = result_from_plain(q, stored)
    assert back == result
    for lang in ("id", "en"):
        assert result_to_dict(q, back, lang) == result_to_dict(q, result, lang)


def test_a_result_stored_before_the_sub_scores_reads_back_as_it_was(mini):
    """A format-1 result: nine values per domain row, on a thresholds-model version."""
    result = assess(mini, MINI_ANSWERS, "admin-medsos")
    old = through_json(result_to_plain(result))
    old["format"] = 1
    old["domains"] = [row[:9] for row in old["domains"]]
    back = result_from_plain(mini, old)
    assert back == result
    assert result_to_dict(mini, back, "id") == result_to_dict(mini, result, "id")
    krisis = back.scores.domain("krisis")
    assert (krisis.self_rating, krisis.self_rated_level, krisis.scenario_score,
            krisis.scenario_check, krisis.lowered_by) == (None, None, None, None, 0)


def test_an_unknown_stored_format_is_refused(mini):
    stored = result_to_plain(assess(mini, MINI_ANSWERS, "admin-medsos"))
    with pytest.raises(ValueError):
        result_from_plain(mini, {**stored, "format": 3})


def test_the_shipped_result_stays_small():
    q = load(SHIPPED.read_text(encoding="utf-8"))
    answers = {i.id: i.points if i.type == "rating" else
               (max(i.options, key=lambda o: o.score).id if i.type == "choice" else [])
               for i in q.items if i.scored}
    assert len(json.dumps(result_to_plain(assess(q, answers, q.positions[0].id)))) < 4000
