"""Reading CSV uploads from office software and writing CSV that spreadsheets open safely."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

from flask_babel import lazy_gettext as _l

from .errors import ServiceError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
            "The file is not UTF-8 text. In Excel choose \"Save as\" and \"CSV UTF-8 (comma delimited)\"."))])


def read_csv_rows(
    data: bytes, columns: Sequence[str], *, required: Sequence[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[CsvProblem]]:
    """Rows as (line number, {column: text}) plus the problems found in the file's shape.

    Accepts comma or semicolon (Indonesian Excel saves with semicolons) and a byte-order mark.
    A header problem refuses the whole file at once."""
    text = decode(data)
    if not text.strip():
        raise CsvImportRefused([CsvProblem(1, _l("The file is empty."))])
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in required if c not in header]
    unknown = [h for h in header if h not in columns]
    if missing or unknown:
        raise CsvImportRefused([CsvProblem(1, _l(
            "The header row must name the columns %(expected)s; missing: %(missing)s; unknown: %(unknown)s.",
            expected=", ".join(columns), missing=", ".join(missing) or "-", unknown=", ".join(unknown) or "-"))])
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[CsvProblem] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(CsvProblem(line, _l("Expected %(expected)d values, found %(found)d.",
                                                expected=len(header), found=len(values))))
            continue
        rows.append((line, dict(zip(header, values))))
    return rows, problems


def safe_cell(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text, every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark so Excel shows Indonesian names correctly."""
    return ("\ufeff" + csv_text([header]) + csv_text(rows)).encode("utf-8")


def stream_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], batch: int = 1000) -> Iterator[bytes]:
    """The same file, produced a batch of rows at a time for large exports."""
    yield ("\ufeff" + csv_text([header])).encode("utf-8")
    pending: list[Sequence[Any]] = []
    for row in rows:
        pending.append(row)
        if len(pending) >= batch:
            yield csv_text(pending).encode("utf-8")
            pending = []
    if pending:
        yield csv_text(pending).encode("utf-8")
