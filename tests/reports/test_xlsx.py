"""The XLSX export (openpyxl, write-only): every cell neutralised, and the bound on the rows of one
XLSX download, refused before any work with a message that points to the CSV."""
from __future__ import annotations

import io

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from app.services import exports

from . import report_app

HEADER = ["NIP", "Name", "Score", "Level", "Note"]


def read(data: bytes):
    return load_workbook(io.BytesIO(data)).active


@pytest.fixture
def context():
    with report_app().test_request_context():
        yield


def test_the_export_neutralises_formulas_and_keeps_numbers(context):
    sheet = read(exports.xlsx_bytes("R", ["=h", "b", "c"], [["=1+1", 5, "a;=2+2"], ["=1+1", 6.5, "x"]]))
    assert [c.value for c in sheet[1]] == ["'=h", "b", "c"]
    assert [c.value for c in sheet[2]] == ["'=1+1", 5, "a;'=2+2"]
    assert [c.value for c in sheet[3]] == ["'=1+1", 6.5, "x"]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize("lang,expected", [("id", "1.234"), ("en", "1,234")])
def test_an_xlsx_over_the_bound_is_refused_with_the_csv_as_the_way_out(context, monkeypatch, lang, expected):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 1000)
    monkeypatch.setattr(exports, "result_row_count", lambda filters: 1234)
    built = []
    monkeypatch.setattr(exports, "xlsx_bytes", lambda *args: built.append(args) or b"")
    with force_locale(lang), pytest.raises(exports.ExportTooLarge) as refused:
        exports.export_table("results", "xlsx", None, lang)
    assert expected in str(refused.value.message) and "CSV" in str(refused.value.message)
    assert built == [], "refused before any row was read or written"


def test_an_xlsx_at_the_bound_is_built(context, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 1000)
    monkeypatch.setattr(exports, "result_row_count", lambda filters: 1000)
    monkeypatch.setattr(exports, "result_rows", lambda filters, lang: iter([["1", "a"]]))
    body, mimetype = exports.export_table("results", "xlsx", None, "id")
    assert read(body)["A2"].value == "1" and mimetype.endswith("sheet")
