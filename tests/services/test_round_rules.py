"""The rules of a round as functions: its state on a given day, and which rounds overlap (the
same people on the same days): a unit's subtree meets another's when one unit is the other or
above it; closed rounds compete with nobody."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.services import rounds
from app.services.clock import office_today
from tests.factories import make_round, make_unit, make_version

DAY = date(2027, 1, 10)


@pytest.mark.parametrize("today, closed, expected", [
    (DAY - timedelta(days=1), False, rounds.PLANNED),
    (DAY, False, rounds.OPEN),
    (DAY + timedelta(days=20), False, rounds.OPEN),  # the closing day is included
    (DAY + timedelta(days=21), False, rounds.CLOSED),
    (DAY + timedelta(days=5), True, rounds.CLOSED),
    (DAY - timedelta(days=5), True, rounds.CLOSED),
])
def test_the_state_of_a_round_on_a_day(today, closed, expected):
    assert rounds.state(DAY, DAY + timedelta(days=20), closed, today) == expected


@pytest.fixture
def tree(ctx):
    prov = make_unit("PROV", "Provinsi")
    dinas = make_unit("DINAS", "Dinas", prov)
    bidang = make_unit("BIDANG", "Bidang", dinas)
    other = make_unit("DINAS2", "Dinas Lain", prov)
    return prov, dinas, bidang, other, make_version()


def test_rounds_above_below_and_on_the_unit_overlap_but_not_siblings(tree):
    prov, dinas, bidang, other, version = tree
    today = office_today()
    make_round(dinas, version, "Dinas")
    span = (today + timedelta(days=5), today + timedelta(days=6))
    assert [r.name for r in rounds.overlapping(prov, *span)] == ["Dinas"]  # above it
    assert [r.name for r in rounds.overlapping(dinas, *span)] == ["Dinas"]
    assert [r.name for r in rounds.overlapping(bidang, *span)] == ["Dinas"]  # below it
    assert rounds.overlapping(other, *span) == []  # a sibling: other people
    later = (today + timedelta(days=31), today + timedelta(days=40))
    assert rounds.overlapping(prov, *later) == []  # after it closes


def test_a_closed_round_overlaps_nothing(tree):
    prov, dinas, _bidang, _other, version = tree
    make_round(prov, version, "Ditutup lebih awal", closed=True)
    assert rounds.overlapping(dinas, office_today(), office_today() + timedelta(days=3)) == []


def test_a_unit_whose_code_starts_like_another_is_not_below_it(tree):
    """Paths are id chains ("/1/", "/12/"): unit 1 is not above unit 12."""
    prov, *_rest, version = tree
    for n in range(10):
        make_unit(f"X{n}", f"Unit {n}")
    twelve = make_unit("X12", "Unit dua belas")
    assert twelve.path != prov.path and not twelve.path.startswith(prov.path)
    make_round(prov, version, "Provinsi")
    assert rounds.overlapping(twelve, office_today(), office_today()) == []


def test_the_previous_round_is_the_one_opened_before(tree):
    prov, dinas, _bidang, _other, version = tree
    today = office_today()
    first = make_round(prov, version, "AKPK 2025", opens_on=today - timedelta(days=400),
                       closes_on=today - timedelta(days=370), closed=True)
    second = make_round(dinas, version, "AKPK 2026", opens_on=today - timedelta(days=40),
                        closes_on=today - timedelta(days=10), closed=True)
    third = make_round(prov, version, "AKPK 2027")
    assert rounds.previous(third, dinas) == first  # the office's own round does not cover the province's people
    assert rounds.previous(second, dinas) == first
    assert rounds.previous(first, dinas) is None
    assert [r.name for r in rounds.rounds_meeting(prov)] == ["AKPK 2027", "AKPK 2026", "AKPK 2025"]
