"""Reading CSV uploads from office software and writing CSV that spreadsheets open safely."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Iterator, Mapping, Sequence

from flask_babel import lazy_gettext as _l
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .errors import ServiceError

#: A text starting with one of these is run as a formula by some spreadsheet; the full-width
#: forms too, which spreadsheets in East Asian locales may read as the ASCII ones.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Where a spreadsheet may start a new cell inside our text: either locale's separator (Excel in
#: an Indonesian locale splits CSV at ";", elsewhere at ","), and line breaks.
CELL_BREAKS_RE = re.compile(r"([,;\r\n])")
#: Characters skipped when looking for the first character of a cell: white space (except tab
#: and carriage return, which are triggers themselves) and a quote that opens a quoted field.
_WHITE_SPACE = frozenset(chr(c) for c in range(0x3001) if chr(c).isspace())  # U+3000 is the last one
_SKIPPED_BEFORE_TRIGGER = (_WHITE_SPACE - {"\t", "\r"}) | {'"'}
#: What replaces a character that XLSX cannot hold (openpyxl refuses most C0 controls).
REPLACEMENT_CHARACTER = "\ufffd"

MAX_CELL_LENGTH = 1000  # characters in one uploaded cell unless a column says otherwise


@dataclass(frozen=True)
class CsvProblem:
    line: int
    message: Any


class CsvImportRefused(ServiceError):
    """A CSV file with problems; nothing was imported."""

    def __init__(self, problems: list[CsvProblem]):
        super().__init__(_l("Nothing was imported: the file has %(count)d problem(s).", count=len(problems)))
        self.problems = sorted(problems, key=lambda p: p.line)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvImportRefused([CsvProblem(line, _l(
            "The file is not UTF-8 text. In Excel choose \"Save as\" and \"CSV UTF-8 (comma delimited)\"."))]) from None


def read_csv_rows(
    data: bytes, columns: Sequence[str], *, required: Sequence[str],
    max_lengths: Mapping[str, int] | None = None, max_rows: int | None = None,
) -> tuple[list[tuple[int, dict[str, str]]], list[CsvProblem]]:
    """Rows as (line number, {column: text}) plus the problems found in the file's shape.

    Accepts comma or semicolon (Indonesian Excel saves with semicolons) and a byte-order mark.
    A header problem, a file the csv module cannot read and a file with more than `max_rows`
    data rows are refused at once, before any row is looked at further. A cell longer than its
    column's `max_lengths` entry (default MAX_CELL_LENGTH) is a problem of its row."""
    text = decode(data)
    if not text.strip():
        raise CsvImportRefused([CsvProblem(1, _l("The file is empty."))])
    first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in _next_record(reader) or []]
    _check_header(header, columns, required)
    limits = {column: (max_lengths or {}).get(column, MAX_CELL_LENGTH) for column in header}
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[CsvProblem] = []
    counted = 0
    while (values := _next_record(reader)) is not None:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        counted += 1
        if max_rows is not None and counted > max_rows:
            raise CsvImportRefused([CsvProblem(line, _l(
                "The file has more than %(max)d rows. Import at most %(max)d rows at a time: split the file.",
                max=max_rows))])
        if len(values) != len(header):
            problems.append(CsvProblem(line, _l("Expected %(expected)d values, found %(found)d.",
                                                expected=len(header), found=len(values))))
            continue
        row = dict(zip(header, values))
        too_long = [column for column in header if len(row[column]) > limits[column]]
        if too_long:
            problems.extend(CsvProblem(line, _l(
                "The value in column %(column)s is too long: %(length)d characters, at most %(max)d.",
                column=column, length=len(row[column]), max=limits[column])) for column in too_long)
            continue
        rows.append((line, row))
    return rows, problems


def _next_record(reader) -> list[str] | None:
    """The next record, or None at the end. The csv module's own error (a value over its field
    size limit of 131,072 characters, often a quote that is never closed) refuses the file with
    the line number instead of becoming a server error."""
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error:
        raise CsvImportRefused([CsvProblem(reader.line_num, _l(
            "This line cannot be read as CSV: a value is far too long (perhaps a quote is not closed)."))]) from None


def _check_header(header: list[str], columns: Sequence[str], required: Sequence[str]) -> None:
    missing = [c for c in required if c not in header]
    unknown = [_shortened(h) for h in header if h not in columns]
    if missing or unknown:
        raise CsvImportRefused([CsvProblem(1, _l(
            "The header row must name the columns %(expected)s; missing: %(missing)s; unknown: %(unknown)s.",
            expected=", ".join(columns), missing=", ".join(missing) or "-", unknown=", ".join(unknown) or "-"))])


def _shortened(text: str, length: int = 40) -> str:
    """A text quoted back in a message, cut so that a huge header cell does not make a huge page."""
    return text if len(text) <= length else text[:length] + "…"


# -- writing ----------------------------------------------------------------------------------

def safe_cell(value: Any) -> Any:
    """A value as a spreadsheet cell that no spreadsheet runs as a formula and openpyxl accepts.

    Numbers (and other non-text values) stay as they are. In text, characters XLSX cannot hold
    become U+FFFD, and every place where a spreadsheet may start a cell gets a "'" before a
    formula trigger: the start of the text and the start of each piece after a "," or ";" (CSV
    opened with either locale's separator) or a line break, looking past leading spaces and a
    quote. Both CSV and XLSX cells go through here (openpyxl stores a text starting with "=" as a
    formula)."""
    if not isinstance(value, str):
        return value
    if value.isprintable() and "," not in value and ";" not in value:
        return _guarded(value)  # the common case: one piece, no control character, no line break
    text = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT_CHARACTER, value)
    pieces = CELL_BREAKS_RE.split(text)  # text, break, text, break, …, text
    pieces[0::2] = [_guarded(piece) for piece in pieces[0::2]]
    text = "".join(pieces)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text  # a leading carriage return


def _guarded(piece: str) -> str:
    """The piece with "'" before its first character when that character is a formula trigger."""
    start = 0
    while start < len(piece) and piece[start] in _SKIPPED_BEFORE_TRIGGER:
        start += 1
    if piece.startswith(FORMULA_PREFIXES, start):
        return piece[:start] + "'" + piece[start:]
    return piece


#: The two CSV dialects a reader may choose: comma and decimal point (the RFC 4180 file most
#: software reads), or semicolon and decimal comma (what Excel expects under Indonesian regional
#: settings, where a comma is the decimal sign: a comma file opens in one column there).
COMMA, SEMICOLON = ",", ";"
SEPARATORS = (COMMA, SEMICOLON)


def _written(value: Any, decimal_comma: bool) -> Any:
    """A cell as the CSV writes it: a float with the dialect's decimal sign, a date as ISO text
    (2026-03-31, which Excel reads as a date in either locale); text through ``safe_cell``.
    Numbers are never passed through ``safe_cell`` as text, so "-0,5" stays a number."""
    if isinstance(value, str):
        return safe_cell(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return repr(value).replace(".", ",") if decimal_comma else value
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_text(rows: Iterable[Sequence[Any]], sep: str = COMMA) -> str:
    """Rows as CSV text, every cell neutralised; ``sep`` ";" also writes decimal commas."""
    if sep not in SEPARATORS:
        raise ValueError(f"unknown CSV separator {sep!r}")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    decimal_comma = sep == SEMICOLON
    for row in rows:
        writer.writerow([_written(v, decimal_comma) for v in row])
    return out.getvalue()


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], sep: str = COMMA) -> bytes:
    """UTF-8 with a byte-order mark so Excel shows Indonesian names correctly."""
    return ("\ufeff" + csv_text([header], sep) + csv_text(rows, sep)).encode("utf-8")


def stream_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], batch: int = 1000,
               sep: str = COMMA) -> Iterator[bytes]:
    """The same file, produced a batch of rows at a time for large exports."""
    yield ("\ufeff" + csv_text([header], sep)).encode("utf-8")
    pending: list[Sequence[Any]] = []
    for row in rows:
        pending.append(row)
        if len(pending) >= batch:
            yield csv_text(pending, sep).encode("utf-8")
            pending = []
    if pending:
        yield csv_text(pending, sep).encode("utf-8")
