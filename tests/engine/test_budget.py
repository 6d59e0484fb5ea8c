"""app/engine/budget.py: classes only for the modes run in classes, costs computed by hand, and a
ceiling spent in priority order (whole needs, else whole classes or participants, and the needs
further down still tried with what is left)."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.engine.budget import (CLASSICAL, DEFAULT_MODES, NON_CLASSICAL, PER_CLASS, PER_PARTICIPANT, ModeSpec,
                               Need, classes, cost, fund, spec_for, specs)

CLASSROOM = DEFAULT_MODES["classroom"]      # 45 000 000 a class of 30
COACHING = DEFAULT_MODES["coaching"]        # 6 000 000 a group of 5
MENTORING = DEFAULT_MODES["mentoring"]      # 1 500 000 a participant
E_LEARNING = DEFAULT_MODES["e-learning"]    # 250 000 a participant
SELF_STUDY = DEFAULT_MODES["self-study"]    # free


def need(module_id: str, mode: str, people: int, jp: int = 8) -> Need:
    return Need(module_id, "krisis", mode, jp, people)


def test_the_default_modes_follow_the_lan_routes():
    assert CLASSROOM.route == CLASSICAL
    assert {s.route for m, s in DEFAULT_MODES.items() if m != "classroom"} == {NON_CLASSICAL}
    assert {m for m, s in DEFAULT_MODES.items() if s.has_classes} == {"classroom", "coaching"}


@pytest.mark.parametrize("people, expected", [(0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3)])
def test_classes_of_a_class_mode(people, expected):
    assert classes(people, CLASSROOM) == expected


@pytest.mark.parametrize("spec", [MENTORING, E_LEARNING, SELF_STUDY], ids=lambda s: s.mode)
def test_a_mode_without_classes_has_no_classes(spec):
    assert classes(0, spec) is None and classes(250, spec) is None


@pytest.mark.parametrize("people, spec, expected", [
    (31, CLASSROOM, 90_000_000),   # 2 classes × 45 000 000
    (30, CLASSROOM, 45_000_000),
    (0, CLASSROOM, 0),
    (7, COACHING, 12_000_000),     # 2 groups × 6 000 000
    (3, MENTORING, 4_500_000),     # 3 × 1 500 000
    (10, E_LEARNING, 2_500_000),   # 10 × 250 000
    (500, SELF_STUDY, 0),
    (31, ModeSpec("classroom", CLASSICAL, PER_PARTICIPANT, 1_000_000, 30), 31_000_000),  # per head, in classes
])
def test_costs_by_hand(people, spec, expected):
    assert cost(people, spec) == expected


def test_the_catalogue_overrides_the_defaults_and_a_unit_the_catalogue():
    catalogue = {"classroom": ModeSpec("classroom", CLASSICAL, PER_CLASS, 30_000_000, 25)}
    unit = {"e-learning": ModeSpec("e-learning", NON_CLASSICAL, PER_PARTICIPANT, 100_000, None),
            "classroom": ModeSpec("classroom", CLASSICAL, PER_CLASS, 40_000_000, 20)}
    assert specs(catalogue, {})["classroom"].amount == 30_000_000
    assert specs(catalogue, {})["mentoring"] == MENTORING
    merged = specs(catalogue, unit)
    assert (merged["classroom"].amount, merged["e-learning"].amount) == (40_000_000, 100_000)


def test_a_mode_nobody_priced_is_free_and_without_classes():
    spec = spec_for("webinar", DEFAULT_MODES)
    assert spec == ModeSpec("webinar", NON_CLASSICAL, PER_PARTICIPANT, 0, None)
    assert spec_for("classroom", DEFAULT_MODES) is CLASSROOM


NEEDS = [need("m-kelas", "classroom", 70), need("m-coaching", "coaching", 7), need("m-mentor", "mentoring", 3),
         need("m-daring", "e-learning", 40), need("m-mandiri", "self-study", 12)]


def test_without_a_ceiling_everything_is_costed_and_counted_as_funded():
    budget = fund(NEEDS, DEFAULT_MODES, None)
    assert [(line.classes, line.cost) for line in budget.lines] == [
        (3, 135_000_000), (2, 12_000_000), (None, 4_500_000), (None, 10_000_000), (None, 0)]
    assert budget.total == budget.funded == 161_500_000
    assert (budget.unfunded, budget.remaining, budget.ceiling) == (0, None, None)
    assert {line.funded for line in budget.lines} == {"whole"}


def test_a_ceiling_that_covers_everything_leaves_the_rest():
    budget = fund(NEEDS, DEFAULT_MODES, 200_000_000)
    assert budget.funded == 161_500_000 and budget.remaining == 38_500_000 and budget.unfunded == 0
    assert [line.funded for line in budget.lines] == ["whole"] * 5


def test_a_class_need_is_funded_by_whole_classes():
    # 70 people are 3 classes (135 000 000); 100 000 000 pays for 2 of them: 60 people, 90 000 000.
    budget = fund([need("m-kelas", "classroom", 70)], DEFAULT_MODES, 100_000_000)
    line = budget.lines[0]
    assert (line.funded, line.funded_people, line.funded_cost) == ("part", 60, 90_000_000)
    assert (line.unfunded_people, line.unfunded_cost) == (10, 45_000_000)
    assert (line.classes, line.cost) == (3, 135_000_000)  # the need itself is unchanged
    assert budget.remaining == 10_000_000


def test_a_later_small_module_is_still_funded():
    # 100 000 000: the classroom need gets 2 of its 3 classes (90 000 000, 10 000 000 left); the coaching's
    # 2 groups (12 000 000) do not fit, one group does (6 000 000, 4 000 000 left); mentoring for 3
    # (4 500 000) does not, 2 mentees do (3 000 000, 1 000 000 left); e-learning for 40 (10 000 000) does
    # not, 4 participants do (1 000 000, nothing left); self-study is free, so it is funded whole.
    budget = fund(NEEDS, DEFAULT_MODES, 100_000_000)
    got = [(line.need.module_id, line.funded, line.funded_people, line.funded_cost) for line in budget.lines]
    assert got == [("m-kelas", "part", 60, 90_000_000), ("m-coaching", "part", 5, 6_000_000),
                   ("m-mentor", "part", 2, 3_000_000), ("m-daring", "part", 4, 1_000_000),
                   ("m-mandiri", "whole", 12, 0)]
    assert budget.funded == 100_000_000 and budget.remaining == 0
    assert budget.unfunded == 161_500_000 - 100_000_000


def test_a_large_module_that_does_not_fit_does_not_keep_a_small_one_below_out():
    needs = [need("m-kelas", "classroom", 30), need("m-daring", "e-learning", 10)]
    budget = fund(needs, DEFAULT_MODES, 40_000_000)  # one class costs 45 000 000
    assert [(line.funded, line.funded_people) for line in budget.lines] == [("none", 0), ("whole", 10)]
    assert (budget.funded, budget.remaining) == (2_500_000, 37_500_000)


def test_participants_are_funded_one_by_one_for_a_cost_per_participant():
    budget = fund([need("m-mentor", "mentoring", 10)], DEFAULT_MODES, 7_000_000)
    assert (budget.lines[0].funded_people, budget.lines[0].funded_cost) == (4, 6_000_000)


def test_a_ceiling_of_zero_funds_only_what_is_free():
    budget = fund(NEEDS, DEFAULT_MODES, 0)
    assert [line.funded for line in budget.lines] == ["none", "none", "none", "none", "whole"]
    assert (budget.funded, budget.remaining) == (0, 0)


def test_a_negative_ceiling_is_refused():
    with pytest.raises(ValueError):
        fund(NEEDS, DEFAULT_MODES, -1)


def test_a_need_of_nobody_costs_nothing():
    line = fund([need("m-kelas", "classroom", 0)], DEFAULT_MODES, 0).lines[0]
    assert (line.classes, line.cost, line.funded) == (0, 0, "whole")


# -- properties ----------------------------------------------------------------------------

MODE_NAMES = ("classroom", "e-learning", "coaching", "mentoring", "self-study", "unpriced")


@st.composite
def mode_specs(draw, mode):
    per = draw(st.sampled_from((PER_PARTICIPANT, PER_CLASS)))
    size = draw(st.integers(1, 40)) if per == PER_CLASS else draw(st.none() | st.integers(1, 40))
    return ModeSpec(mode, draw(st.sampled_from((CLASSICAL, NON_CLASSICAL))), per,
                    draw(st.integers(0, 50_000_000)), size)


@st.composite
def catalogues(draw):
    return {mode: draw(mode_specs(mode)) for mode in draw(st.sets(st.sampled_from(MODE_NAMES[:-1])))}


needs_lists = st.lists(st.builds(Need, module_id=st.text("abc-", min_size=1, max_size=6),
                                 domain_id=st.just("d"), mode=st.sampled_from(MODE_NAMES),
                                 jp=st.integers(1, 40), people=st.integers(0, 300)), max_size=12)


@given(needs=needs_lists, catalogue=catalogues(), ceiling=st.none() | st.integers(0, 500_000_000))
def test_what_a_ceiling_funds(needs, catalogue, ceiling):
    modes = specs(catalogue, {})
    budget = fund(needs, modes, ceiling)
    assert [line.need for line in budget.lines] == needs  # in the given (priority) order
    assert budget.total == sum(cost(n.people, spec_for(n.mode, modes)) for n in needs)
    for line in budget.lines:
        assert 0 <= line.funded_people <= line.need.people
        assert 0 <= line.funded_cost <= line.cost
        assert line.funded_cost == cost(line.funded_people, line.spec)
        assert line.classes == classes(line.need.people, line.spec)
        assert (line.classes is None) == (not line.spec.has_classes)
        if line.spec.cost_per == PER_CLASS and line.funded != "whole":  # whole classes only
            assert line.funded_people % line.spec.class_size == 0
        if line.funded != "whole":  # what is left could not pay for one more class or participant
            assert budget.remaining < line.spec.amount
    if ceiling is None:
        assert budget.funded == budget.total and budget.remaining is None
        assert all(line.funded == "whole" for line in budget.lines)
    else:
        assert budget.funded <= ceiling and budget.remaining == ceiling - budget.funded >= 0
        assert budget.funded + budget.unfunded == budget.total
