"""The unit report's appendix (people per module): natural order, a header on every page, layout
work and pages that grow linearly with the people listed, and the bound on what is listed."""
from __future__ import annotations

import random

import pytest
from flask_babel import force_locale
from reportlab.platypus import Table

from app.reports import appendix as appendix_module
from app.reports.appendix import (COLUMNS, PeopleTable, appendix_story, in_natural_order,
                                  listed_counts, natural_key)
from app.reports.layout import FRAME_HEIGHT, styles

from . import page_texts, report_app
from .test_unit_pdf import SUB_NAMES, build, make_summary

MODULE = "m-analitik-laporan"
OTHERS = ("m-konten-produksi", "m-keamanan-pdp")


@pytest.fixture(scope="module")
def reports_app():
    return report_app()


@pytest.fixture(scope="module")
def summary():
    return make_summary()


def people(count: int, *, seed: int = 7) -> list[dict]:
    """``count`` people named "Contoh 1" … in shuffled order."""
    listed = [{"name": f"Contoh {n}", "nip": f"19900101201501{n:04d}", "unit": SUB_NAMES[n % 2]}
              for n in range(1, count + 1)]
    random.Random(seed).shuffle(listed)
    return listed


def appendix_pages(pdf: bytes) -> list[str]:
    pages = page_texts(pdf)
    start = next(n for n, page in enumerate(pages) if "Appendix: people per module" in page)
    return pages[start:]


# -- order ------------------------------------------------------------------------------------------

def test_natural_key_reads_digits_as_numbers_and_ignores_case():
    names = ["Contoh 10", "contoh 9", "Contoh 100", "Contoh 9a", "Budi", "contoh 1"]
    assert sorted(names, key=natural_key) == ["Budi", "contoh 1", "contoh 9", "Contoh 9a",
                                              "Contoh 10", "Contoh 100"]


def test_same_names_are_ordered_by_nip():
    twins = [{"name": "Ani", "nip": "10"}, {"name": "ani", "nip": "9"}, {"name": "Ani", "nip": "100"}]
    assert [p["nip"] for p in in_natural_order(twins)] == ["9", "10", "100"]


def test_people_are_listed_in_natural_order_of_their_names(reports_app, summary):
    pdf = build(reports_app, summary, "en", appendix=[{"module_id": MODULE, "people": people(120)}])
    text = " ".join(appendix_pages(pdf))
    positions = [text.index(f"Contoh {n} 19900101201501{n:04d}") for n in range(1, 121)]
    assert positions == sorted(positions)  # Contoh 1, 2, …, 9, 10, … (not 1, 10, 100, 101, 11)


# -- pages and layout work -------------------------------------------------------------------------

def test_every_appendix_page_repeats_the_header(reports_app, summary):
    pdf = build(reports_app, summary, "en", appendix=[{"module_id": MODULE, "people": people(300)}])
    pages = appendix_pages(pdf)
    assert len(pages) >= 7
    for page in pages:
        assert "Name NIP Unit" in page
    listed = [n for n in range(1, 301) if f"Contoh {n} 19900101201501{n:04d}" in " ".join(pages)]
    assert listed == list(range(1, 301))


def test_a_list_is_measured_once_and_split_between_rows():
    st = styles()
    rows = [(f"Contoh {n}", f"{n:018d}", "Unit") for n in range(2000)]
    table = PeopleTable(["Name", "NIP", "Unit"], rows, COLUMNS, st["cell_head"], st["cell"])
    pieces, rest = [], table
    while True:
        parts = rest.split(sum(COLUMNS), FRAME_HEIGHT)
        if parts == [rest]:
            pieces.append(rest)
            break
        head, rest = parts
        pieces.append(head)
    assert all(piece._measured is table._measured for piece in pieces)  # nothing measured again
    assert sum(piece.rows for piece in pieces) == 2000
    assert all(piece.wrap(sum(COLUMNS), FRAME_HEIGHT)[1] <= FRAME_HEIGHT for piece in pieces)
    assert len(pieces) == pytest.approx(2000 / pieces[0].rows, abs=1)


def appendix_page_count(reports_app, summary, count: int) -> int:
    pdf = build(reports_app, summary, "en",
                appendix=[{"module_id": m, "people": people(count)} for m in (MODULE, *OTHERS)])
    return len(appendix_pages(pdf))


@pytest.mark.slow  # builds appendices for two sizes of unit
def test_pages_grow_in_proportion_to_the_people(reports_app, summary):
    small, large = (appendix_page_count(reports_app, summary, n) for n in (300, 1200))
    assert large == pytest.approx(4 * small, rel=0.1)


def test_the_lists_are_not_reportlab_tables(reports_app, summary):
    """A ReportLab Table split over many pages is measured again at every page: O(people²)."""
    with reports_app.app_context(), force_locale("en"):
        story = appendix_story(summary, "en", [{"module_id": m, "people": people(50)}
                                               for m in (MODULE, *OTHERS)], styles())
    lists = [f for f in story if isinstance(f, PeopleTable)]
    assert len(lists) == 3 and not any(isinstance(f, Table) for f in story)


# -- the bound --------------------------------------------------------------------------------------

def test_listed_counts_share_the_budget_small_modules_first():
    assert listed_counts([10, 40, 100], 50) == [10, 20, 20]
    assert listed_counts([10, 40, 100], 1000) == [10, 40, 100]
    assert listed_counts([5, 5], 3) == [1, 2]
    assert listed_counts([], 10) == []


def test_a_long_appendix_lists_at_most_the_bound_and_says_so(reports_app, summary, monkeypatch):
    monkeypatch.setattr(appendix_module, "MAX_LISTED", 50)
    entries = [{"module_id": m, "people": people(n)} for m, n in zip((MODULE, *OTHERS), (100, 40, 10))]
    text = " ".join(appendix_pages(build(reports_app, summary, "en", appendix=entries)))
    listed = sum(text.count(f"Contoh {n} 19900101201501{n:04d}") for n in range(1, 101))
    assert listed == 50
    assert "80 more people need this module but are not listed: the appendix lists at most 50 names." in text
    assert "20 more people need this module but are not listed" in text
    assert "(100 people)" in text and "(40 people)" in text and "(10 people)" in text
    assert "Contoh 20 19900101201501" in text and "Contoh 21 19900101201501" not in text.split("(40 people)")[0]


def test_the_bound_note_is_in_the_report_language(reports_app, summary, monkeypatch):
    monkeypatch.setattr(appendix_module, "MAX_LISTED", 5)
    with reports_app.app_context(), force_locale("id"):
        story = appendix_story(summary, "id", [{"module_id": MODULE, "people": people(12)}], styles())
        from flask_babel import ngettext
        expected = ngettext(
            "%(count)s more person needs this module but is not listed: the appendix lists at most "
            "%(max)s names. Choose a unit below this one or a position in the filters to list "
            "everyone.",
            "%(count)s more people need this module but are not listed: the appendix lists at most "
            "%(max)s names. Choose a unit below this one or a position in the filters to list "
            "everyone.", 7, count="7", max="5")
    assert any(getattr(f, "_texts", [None])[0] == expected for f in story)
