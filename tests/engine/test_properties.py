"""Property-based tests of the scoring invariants, on generated questionnaires."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine.questionnaire import dump, load, validate
from app.engine.scoring import score
from app.engine.training import assess, gaps, plan

from .helpers import MINI_TEXT
from .strategies import answers, better_or_equal, questionnaires

pytestmark = pytest.mark.slow  # Hypothesis searches, several seconds in all: `make test` only

SETTINGS = settings(max_examples=75, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(st.data())
def test_scores_and_levels_stay_in_range(data):
    q = data.draw(questionnaires)
    result = score(q, data.draw(answers(q)))
    for domain in result.domains:
        if domain.insufficient:
            assert domain.score is None and domain.level is None
        else:
            assert 0 <= domain.score <= 100
            assert 1 <= domain.level <= q.top_level
            assert domain.level <= domain.uncapped_level


@SETTINGS
@given(st.data())
def test_raising_an_answer_never_lowers_the_level_unless_a_cap_names_it(data):
    q = data.draw(questionnaires)
    given_answers = data.draw(answers(q))
    scored = [q.item(i) for i in given_answers if q.item(i).scored]
    if not scored:
        return
    item = data.draw(st.sampled_from(scored))
    raised = dict(given_answers)
    raised[item.id] = data.draw(st.sampled_from(better_or_equal(item, given_answers[item.id])))
    before = score(q, given_answers).domain(item.domain_id)
    after = score(q, raised).domain(item.domain_id)
    assert after.score >= before.score if before.score is not None else True
    capped = any(c.item_id == item.id for c in q.scoring.caps)
    if not capped and before.level is not None:
        assert after.level >= before.level


@SETTINGS
@given(st.data())
def test_gap_is_target_minus_level_never_negative(data):
    q = data.draw(questionnaires)
    position = data.draw(st.sampled_from(q.positions))
    scores = score(q, data.draw(answers(q)))
    ranked = gaps(q, scores, position.id)
    assessed = [d for d in scores.domains if d.level is not None]
    assert {g.domain_id for g in ranked} == {d.domain_id for d in assessed}
    for gap in ranked:
        level = scores.domain(gap.domain_id).level
        assert gap.gap == max(0, position.target(gap.domain_id) - level)
    priorities = [g.priority for g in ranked]
    assert priorities == sorted(priorities, reverse=True)


@SETTINGS
@given(st.data())
def test_plan_never_repeats_a_module_and_adds_up(data):
    q = data.draw(questionnaires)
    position = data.draw(st.sampled_from(q.positions))
    result = assess(q, data.draw(answers(q)), position.id)
    ids = [e.module_id for e in result.plan.entries]
    assert len(ids) == len(set(ids))
    assert result.plan.total_jp == sum(q.module(i).jp for i in ids)
    # a validated catalogue can close every gap
    assert result.plan.unclosable == ()
    for gap in result.gaps:
        reached = max([gap.level] + [e.to_level for e in result.plan.entries
                                     if e.domain_id == gap.domain_id])
        assert reached >= gap.target


@SETTINGS
@given(st.data())
def test_plan_with_repeated_gaps_still_never_repeats(data):
    q = data.draw(questionnaires)
    result = assess(q, data.draw(answers(q)), q.positions[0].id)
    twice = plan(q, result.gaps + result.gaps)
    ids = [e.module_id for e in twice.entries]
    assert len(ids) == len(set(ids))
    assert twice.total_jp == sum(q.module(i).jp for i in ids)


@settings(SETTINGS, max_examples=40)
@given(questionnaires)
def test_dump_load_round_trip(q):
    assert load(dump(q)) == q


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_validate_never_crashes_on_any_text(text):
    assert isinstance(validate(text), list)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_validate_never_crashes_on_a_damaged_file(data):
    lines = MINI_TEXT.splitlines(keepends=True)
    start = data.draw(st.integers(0, len(lines) - 1))
    stop = data.draw(st.integers(start, min(len(lines), start + 6)))
    insert = data.draw(st.sampled_from(["", "  x: 1\n", "- 1\n", "    type: text\n", "  id: 010\n"]))
    problems = validate("".join(lines[:start]) + insert + "".join(lines[stop:]))
    assert all(p.code and p.message_id and p.message_en for p in problems)
