"""The questionnaires shipped in questionnaires/ load without a problem."""
from pathlib import Path

import pytest

from app.engine.questionnaire import dump, load, validate
from app.engine.training import assess

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"
DEFAULT = SHIPPED / "tata-kelola-media-sosial.yaml"


def test_the_default_questionnaire_is_shipped():
    assert DEFAULT.is_file()


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_questionnaire_is_valid(path):
    problems = validate(path.read_bytes())
    assert problems == [], "\n".join(str(p) for p in problems)
    q = load(path.read_bytes())
    assert load(dump(q)) == q


def test_default_questionnaire_can_be_assessed():
    q = load(DEFAULT.read_bytes())
    assert q.id == "tata-kelola-media-sosial"
    assert len(q.domains) == 8
    middle = {}
    for item in q.items:
        if item.type == "rating":
            middle[item.id] = (item.points + 1) // 2
        elif item.type == "choice":
            middle[item.id] = max(item.options, key=lambda o: o.score).id
        elif item.type == "multi":
            middle[item.id] = [o.id for o in item.options if o.score > 0]
    for position in q.positions:
        result = assess(q, middle, position.id)
        assert all(d.level is not None for d in result.scores.domains)
        assert result.plan.unclosable == ()
