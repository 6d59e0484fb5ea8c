"""questionnaires/README.md tells the truth: its complete example is valid and its worked example
computes as written."""
import re
from pathlib import Path

import pytest

from app.engine.questionnaire import load, validate
from app.engine.training import assess

README = Path(__file__).resolve().parents[2] / "questionnaires" / "README.md"


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def example():
    complete = [b for b in yaml_blocks() if b.startswith("format: 1\nid: contoh-krisis")]
    assert len(complete) == 1
    return load(complete[0])


def test_complete_example_is_valid(example):
    assert example.id == "contoh-krisis"
    assert {i.type for i in example.items} == {"rating", "choice", "multi", "text"}


def test_fragments_are_part_of_the_complete_example(example):
    complete = next(b for b in yaml_blocks() if b.startswith("format: 1\nid: contoh-krisis"))
    normalised = re.sub(r"\s+", " ", complete)
    for block in yaml_blocks():
        if block is complete or "…" in block or "# butir-butir" in block \
                or block.lstrip().startswith("title:") or "model: thresholds" in block:
            continue
        body = re.sub(r"\s+", " ", re.sub(r"\s*#.*", "", block)).strip()
        assert body in normalised, block[:60]


ANSWERS = {"krisis-pantau": 3, "krisis-klarifikasi": 2, "krisis-hoaks": "c",
           "krisis-tanda": ["a", "c"], "krisis-komentar": "…"}


def test_worked_example(example):
    result = assess(example, ANSWERS, "admin-medsos")
    domain = result.scores.domain("krisis")
    assert (domain.self_rating, domain.self_rated_level) == (2.5, 2)  # half down
    assert domain.scenario_score == pytest.approx(2 / 3) and domain.lowered_by == 0
    assert (domain.display_score, domain.level, domain.caps_applied) == (70.0, 2, ())
    assert [(g.gap, g.priority) for g in result.gaps] == [(1, 2)]
    assert [e.module_id for e in result.plan.entries] == ["m-krisis-2"]
    assert (result.plan.total_jp, result.plan.entitlement_status) == (12, "below")

    capped = assess(example, {**ANSWERS, "krisis-hoaks": "b"}, "admin-medsos")
    domain = capped.scores.domain("krisis")
    assert domain.scenario_score == pytest.approx(2 / 9)
    assert (domain.scenario_check.below, domain.lowered_by, domain.uncapped_level) == (0.5, 1, 1)
    assert (domain.display_score, domain.level) == (43.3, 1)
    assert [c.item_id for c in domain.caps_applied] == ["krisis-hoaks"]
    assert [e.module_id for e in capped.plan.entries] == ["m-krisis-1", "m-krisis-2"]
    assert capped.plan.total_jp == 20 and capped.plan.entitlement_status == "equal"

    wrong = {**ANSWERS, "krisis-klarifikasi": 3, "krisis-hoaks": "a", "krisis-tanda": ["c"]}
    domain = assess(example, wrong, "admin-medsos").scores.domain("krisis")
    assert (domain.self_rated_level, domain.scenario_score, domain.lowered_by, domain.level) == (3, 0, 2, 1)
    lowest = {**ANSWERS, "krisis-pantau": 1, "krisis-klarifikasi": 1}
    assert assess(example, lowest, "admin-medsos").scores.domain("krisis").level == 1


def test_the_earlier_model_block_is_valid_in_the_complete_example():
    complete = next(b for b in yaml_blocks() if b.startswith("format: 1\nid: contoh-krisis"))
    earlier = [b for b in yaml_blocks() if "model: thresholds" in b]
    assert len(earlier) == 1
    start, end = complete.index("scoring:\n"), complete.index("domains:\n")
    q = load(complete[:start] + earlier[0] + complete[end:])
    assert (q.scoring.model, q.scoring.thresholds) == ("thresholds", (40, 70))


def test_every_problem_code_is_documented():
    from app.engine.messages import PROBLEMS
    text = README.read_text(encoding="utf-8")
    assert [code for code in PROBLEMS if f"`{code}`" not in text] == []
    assert validate("") != []
