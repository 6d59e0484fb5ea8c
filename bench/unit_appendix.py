"""How the unit report's appendix (people per module) and the results XLSX grow with the unit.

Run: ``.venv/bin/python bench/unit_appendix.py`` (``--people 8000`` for a larger unit). On a
temporary SQLite database it seeds the demo units and the shipped questionnaire, scores
``--scored`` people (default 500) with ``seed_respondents`` and copies them in SQL (as
``unit_reports.py`` does) up to N/4 and then N people (default N = 4,000), and at each size times,
interleaved, for the whole province:

1. the appendix: ``unit_report_pdf`` with the appendix less the same report without it, per
   line listed (a person once per module they need; at most ``appendix.MAX_LISTED`` lines);
2. a plain ReportLab document of as many pages and lines as the appendix: canvas text in three
   columns in the same embedded font, no layout engine (the floor of what the pages cost);
3. ``results.xlsx`` (``export_table``), per row, and the CSV of the same table (``results.csv``,
   consumed whole), the cheapest export of the same rows.

At N/4 it also builds, once and for information, what the code did before: the appendix as one
ReportLab ``Table`` of ``Text`` cells per module.

Figures are ratios measured in the same run (never asserted): time per line or row at N against
N/4 (1.0 is linear; target ≤ 1.2 on a shared machine), the appendix against the plain document
(target ≤ 2.5×); the XLSX against the CSV is printed for information. It stops by itself (``--budget``, 170 s).
"""
from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    banner, make_app, median, ms, paired_ratio, repeat_interleaved, run_main, temp_instance, time_budget,
    timed, verdict,
)
from unit_reports import clone_people, people_count, setup  # noqa: E402

LANG = "id"
GROWTH_TARGET = 1.2     # time per line at N / at N/4: linear, with room for a shared machine
PLAIN_TARGET = 2.5      # appendix / plain ReportLab pages: it also reads, sorts and measures the
                        # people and draws rules, zebra rows, a header per page and page furniture


# -- what is timed ----------------------------------------------------------------------------------

def province():
    from app.extensions import db
    from app.models import Unit
    from app.services.unit_reports import parse_filters

    root = db.session.scalar(db.select(Unit).where(Unit.parent_id.is_(None)))
    return parse_filters({}, root)


def appendix_lines(filters) -> int:
    from app.reports.appendix import MAX_LISTED, listed_counts
    from app.services.reports import module_people

    sizes = [len(entry["people"]) for entry in module_people(filters)]
    return sum(listed_counts(sizes, MAX_LISTED))


def plain_pages(pages: int, lines: int) -> bytes:
    """``pages`` A4 pages holding ``lines`` rows of three texts (name, NIP, unit) drawn with
    canvas text objects in DejaVu Sans, embedded: no flowables, no tables, no page furniture."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfgen import canvas

    from app.reports.fonts import REGULAR, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    per_page = max(1, -(-lines // max(1, pages)))
    done = 0
    for _page in range(pages):
        text = pdf.beginText()
        text.setFont(REGULAR, 8.5, 11)
        y = A4[1] - 2 * cm
        for _row in range(min(per_page, lines - done)):
            done += 1
            for x, value in ((2 * cm, f"Pegawai Contoh {done}"), (8.2 * cm, f"1990010120150{done:05d}"),
                             (12.2 * cm, "Dinas Komunikasi dan Informatika")):
                text.setTextOrigin(x, y)
                text.textOut(value)
            y -= 17
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def table_appendix(filters) -> bytes:
    """The appendix as it was built before: per module a heading and one ReportLab Table of
    Text cells with a repeated header, split by ReportLab page by page."""
    from reportlab.lib.units import cm
    from reportlab.platypus import CondPageBreak

    from app.reports.layout import FRAME_WIDTH, Furniture, build_pdf, styles, table
    from app.reports.text import Text
    from app.services.reports import module_people

    st = styles()
    story = []
    for entry in module_people(filters):
        rows = [[Text(h, st["cell_head"]) for h in ("Nama", "NIP", "Unit kerja")]]
        rows += [[Text(p["name"], st["cell"]), Text(p["nip"], st["cell"]), Text(p["unit"], st["cell"])]
                 for p in sorted(entry["people"], key=lambda p: p["name"])]
        story += [CondPageBreak(3 * cm), Text(entry["module_id"], st["h2"]),
                  table(rows, [6.2 * cm, 4 * cm, FRAME_WIDTH - 10.2 * cm])]
    furniture = Furniture("Swanilai", "bench", "bench", lambda page, pages: f"{page}/{pages}")
    return build_pdf(story, furniture, title="before", author="bench", subject="bench", lang=LANG)


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure(runs: int, with_before: bool) -> dict:
    from app.services.exports import export_table, result_rows
    from app.services.reports import unit_report_pdf

    filters = province()
    lines = appendix_lines(filters)
    with_appendix = unit_report_pdf(filters, LANG, appendix=True)
    without = unit_report_pdf(filters, LANG, appendix=False)
    pages = page_count(with_appendix) - page_count(without)
    rows = list(result_rows(filters, LANG))
    fns = {
        "with_appendix": lambda: unit_report_pdf(filters, LANG, appendix=True),
        "without_appendix": lambda: unit_report_pdf(filters, LANG, appendix=False),
        "plain": lambda: plain_pages(pages, lines),
        "xlsx": lambda: export_table("results", "xlsx", filters, LANG),
        "csv": lambda: b"".join(export_table("results", "csv", filters, LANG)[0]),
    }
    samples = repeat_interleaved(fns, runs, warmup=1)
    appendix = [a - b for a, b in zip(samples["with_appendix"], samples["without_appendix"])]
    before = {}
    if with_before:
        before = {"table_appendix": timed(lambda: table_appendix(filters))[0],
                  "plain": timed(lambda: plain_pages(pages, lines))[0]}
    return {"people": people_in(filters), "lines": lines, "pages": pages, "rows": len(rows),
            "samples": samples, "appendix": appendix, "pdf_bytes": len(with_appendix), "before": before}


def people_in(filters) -> int:
    from app.services.unit_reports import summarise

    return summarise(filters).assessed


# -- the run ------------------------------------------------------------------------------------------

def report(result: dict) -> None:
    from app.services.exports import XLSX_MAX_ROWS

    s = result["samples"]
    banner(f"{result['people']:,} people: appendix {result['lines']:,} lines on {result['pages']:,} pages, "
           f"results {result['rows']:,} rows")
    appendix = median(result["appendix"])
    print(f"  unit PDF with appendix    median {ms(median(s['with_appendix'])):>10} "
          f"({result['pdf_bytes'] / 1024 / 1024:.1f} MB); without {ms(median(s['without_appendix']))}")
    print(f"  appendix alone (with − without) {ms(appendix):>10} = {appendix / result['lines'] * 1e6:.1f} µs a line")
    print(f"  plain ReportLab pages     median {ms(median(s['plain'])):>10}")
    print(f"  results.xlsx              median {ms(median(s['xlsx'])):>10} = "
          f"{median(s['xlsx']) / result['rows'] * 1e6:.1f} µs a row")
    print(f"  results.csv               median {ms(median(s['csv'])):>10}")
    before = result["before"]
    if before:
        print(f"  information, the code before (one build each): appendix as Tables "
              f"{ms(before['table_appendix'])} = {before['table_appendix'] / before['plain']:.1f}× the plain pages")
    plain = paired_ratio(result["appendix"], s["plain"])
    csv = paired_ratio(s["xlsx"], s["csv"])
    print(f"RATIO appendix / plain pages = {plain:.2f}×   target ≤ {PLAIN_TARGET}×   {verdict(plain <= PLAIN_TARGET)}")
    print(f"information: results.xlsx / results.csv = {csv:.2f}× (openpyxl builds the workbook in memory; "
          f"an XLSX over {XLSX_MAX_ROWS:,} rows is refused in favour of the CSV)")


def report_growth(small: dict, large: dict) -> None:
    banner(f"Growth {small['people']:,} → {large['people']:,} people (time per line or row, N against N/4)")
    per_line = (median(large["appendix"]) / large["lines"]) / (median(small["appendix"]) / small["lines"])
    per_row = (median(large["samples"]["xlsx"]) / large["rows"]) / (median(small["samples"]["xlsx"]) / small["rows"])
    print(f"GROWTH appendix per line ×{per_line:.2f}   target ≤ {GROWTH_TARGET}   "
          f"{verdict(per_line <= GROWTH_TARGET)}")
    print(f"GROWTH results.xlsx per row ×{per_row:.2f}   target ≤ {GROWTH_TARGET}   "
          f"{verdict(per_row <= GROWTH_TARGET)}")
    pages = (large["pages"] / large["lines"]) / (small["pages"] / small["lines"])
    print(f"information: appendix pages per line ×{pages:.2f}")


def grow_to(size: int, scored: int, version_id: int, model) -> str:
    from app.commands.demo import seed_respondents

    have = people_count()
    notes = []
    if have < scored:
        seconds, _ = timed(lambda: seed_respondents(version_id, model, scored - have, random.Random(2022)))
        notes.append(f"{scored - have:,} scored in {seconds:.0f} s")
    start = time.perf_counter()
    while people_count() < size:
        clone_people(min(people_count(), size - people_count()))
    notes.append(f"copied up to {size:,} in {time.perf_counter() - start:.0f} s")
    return "; ".join(notes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=4_000, help="N: the larger size (the smaller is N/4)")
    parser.add_argument("--scored", type=int, default=500,
                        help="people scored by seed_respondents; the rest are copies")
    parser.add_argument("--runs", type=int, default=5, help="interleaved timed rounds per size")
    parser.add_argument("--budget", type=int, default=170, help="seconds the whole run may take")
    args = parser.parse_args()
    sizes = (max(args.scored, args.people // 4), max(args.scored, args.people))
    began = time.perf_counter()
    with time_budget(args.budget), temp_instance("swanilai-appendix-") as folder:
        app = make_app(folder, "development")
        from flask_babel import force_locale

        with app.test_request_context(), force_locale(LANG):
            version_id, model = setup(app)
            results = []
            for n, size in enumerate(sizes):
                print(f"seeding: {grow_to(size, args.scored, version_id, model)}")
                results.append(measure(args.runs, with_before=n == 0))
                report(results[-1])
                sys.stdout.flush()
            report_growth(*results)
    print(f"\ntotal {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    run_main(main)
