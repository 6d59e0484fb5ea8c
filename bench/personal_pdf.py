"""How long the personal PDF takes to build, against a plain ReportLab document of the same kind.

Run: ``.venv/bin/python bench/personal_pdf.py`` (or ``make bench``). In one run it builds

(a) the personal report (``app/reports/personal.py: build_personal_pdf``) of a synthetic
    submitted assessment of the shipped questionnaire, from ``report_data`` as the download
    does, and
(b) a reference document with plain ReportLab: three pages with a table, a bar chart
    (reportlab.graphics) and about twenty paragraphs, in the same embedded font,

warms both up, times them in turn and prints the medians and the ratio (target: ≤ 1.5×): the
median of the ratios of builds timed one right after the other, which stays steady when the
speed of a shared machine changes during the run.
"""
from __future__ import annotations

import argparse
import io
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    banner, make_app, median, ms, paired_ratio, percentile, repeat_interleaved, run_main, temp_instance,
    time_budget, timed, verdict,
)

TARGET = 1.5
LANG = "id"


# -- (a) the personal report ------------------------------------------------------------------

def submitted_assessment(app, people: int, seed: int) -> int:
    """Seed units, the shipped questionnaire and ``people`` synthetic submitted assessments
    (the same code as ``flask seed-demo --respondents``); the id of the one with the median
    training plan, so the report is a typical one, not the emptiest."""
    from sqlalchemy import select

    from app.commands.demo import DEFAULT_QUESTIONNAIRE, UNITS, seed_respondents
    from app.extensions import db
    from app.models import Assessment
    from app.services.questionnaires import import_published, parsed
    from app.services.units import create_unit, unit_by_code

    with app.app_context():
        for code, name, parent in UNITS:
            create_unit(code, name, unit_by_code(parent) if parent else None, actor_id=None, ip="bench")
        version, _ = import_published(DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8"), actor_id=None,
                                      max_bytes=app.config["QUESTIONNAIRE_MAX_BYTES"])
        db.session.commit()
        seed_respondents(version.id, parsed(version), people, random.Random(seed))
        rows = db.session.execute(select(Assessment.id, Assessment.total_jp).order_by(Assessment.total_jp,
                                                                                      Assessment.id)).all()
        return rows[len(rows) // 2].id


# -- (b) the reference document -----------------------------------------------------------------

WORDS = ("pelayanan publik melalui media sosial menuntut aparatur yang mampu menyusun konten informasi "
         "yang akurat menanggapi pertanyaan dan keluhan warga dengan cepat menjaga keamanan akun dan "
         "data pribadi serta mengevaluasi kinerja kanal secara berkala").split()


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def reference_pdf(pages: int = 3, rows: int = 10) -> bytes:
    """A plain ReportLab document: page 1 a title, six paragraphs and a table of Paragraph cells,
    page 2 a bar chart (reportlab.graphics) and six paragraphs, every further page eight
    paragraphs (20 paragraphs on 3 pages); DejaVu Sans embedded (``register_fonts``), no page
    header or footer."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from app.reports.fonts import BOLD, REGULAR, register_fonts

    family = register_fonts()
    rng = random.Random(7)
    body = ParagraphStyle("body", fontName=family, fontSize=9.5, leading=13, spaceAfter=4)
    head = ParagraphStyle("head", body, fontName=BOLD, fontSize=14, leading=18, spaceAfter=6)
    cell = ParagraphStyle("cell", body, fontSize=8.5, leading=11, spaceAfter=0)
    width = A4[0] - 4 * cm

    def paragraphs(n: int) -> list:
        return [Paragraph(sentence(rng, 45), body) for _ in range(n)]

    data = [[Paragraph(t, cell) for t in ("Domain", "Skor", "Level", "Target", "Kesenjangan")]]
    for _ in range(rows):
        data.append([Paragraph(sentence(rng, 5), cell), Paragraph(f"{rng.uniform(20, 95):.1f}", cell),
                     Paragraph(f"Level {rng.randint(1, 5)}", cell), Paragraph(f"Level {rng.randint(2, 5)}", cell),
                     Paragraph(str(rng.randint(0, 3)), cell)])
    grid = Table(data, colWidths=[width - 9.8 * cm, 1.8 * cm, 2.8 * cm, 2.8 * cm, 2.4 * cm], repeatRows=1)
    grid.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 8.5), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey),
                              ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e2e8f0"))]))

    drawing = Drawing(width, 260)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 150, 20, width - 170, 220
    chart.data = [[rng.randint(1, 5) for _ in range(8)], [rng.randint(2, 5) for _ in range(8)]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 5, 1
    chart.categoryAxis.categoryNames = [sentence(rng, 3)[:28] for _ in range(8)]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontName = REGULAR
    chart.bars[0].fillColor = colors.HexColor("#2b6cb0")
    chart.bars[1].fillColor = colors.HexColor("#fbd38d")
    drawing.add(chart)

    story = [Paragraph("Laporan rujukan", head)] + paragraphs(6) + [Spacer(1, 6), grid]
    story += [PageBreak(), Paragraph("Grafik", head), drawing] + paragraphs(6)
    for page in range(3, pages + 1):
        story += [PageBreak(), Paragraph(f"Lampiran {page - 2}", head)] + paragraphs(8)

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                            bottomMargin=2 * cm, title="Rujukan", author="bench")
    doc.build(story)
    return buffer.getvalue()


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


# -- the run ------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed builds of each document (≥ 15)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--people", type=int, default=25, help="synthetic assessments to pick a typical one from")
    args = parser.parse_args()
    runs = max(15, args.runs)

    from flask_babel import force_locale

    from app.extensions import db
    from app.models import Assessment
    from app.reports.personal import build_personal_pdf
    from app.services.reports import personal_report as report_data

    with time_budget(85), temp_instance() as folder:
        app = make_app(folder, "testing")
        assessment_id = submitted_assessment(app, args.people, seed=2022)
        with app.app_context():
            assessment = db.session.get(Assessment, assessment_id)
            with force_locale(LANG):
                data_seconds, report = timed(lambda: report_data(assessment, LANG))

                def personal() -> bytes:
                    return build_personal_pdf(report)

                def personal_with_data() -> bytes:
                    return build_personal_pdf(report_data(assessment, LANG))

                first_personal, personal_pdf = timed(personal)  # includes font registration, imports
                first_reference, reference = timed(reference_pdf)
                pages = page_count(personal_pdf)

                def reference_same_pages() -> bytes:
                    return reference_pdf(pages=pages)

                samples = repeat_interleaved({"personal": personal, "reference": reference_pdf,
                                              "download": personal_with_data,
                                              "reference_same_pages": reference_same_pages},
                                             runs, warmup=args.warmup)
                matched = reference_same_pages()

        ratio = paired_ratio(samples["personal"], samples["reference"])
        plan = report["result"]["plan"]
        banner("Personal PDF vs. plain ReportLab document (same run, same font)")
        print(f"assessment #{assessment_id}: {len(report['result']['domains'])} domains, "
              f"{len(plan['modules'])} plan modules, {len(report['answers'])} answers in the appendix")
        for label, pdf, first in (("personal PDF", personal_pdf, ms(first_personal)),
                                  ("reference PDF", reference, ms(first_reference)),
                                  ("reference, same pages", matched, "")):
            print(f"  {label:<22} {page_count(pdf):2d} pages, {len(pdf) / 1024:6.1f} KiB"
                  + (f"; first build {first}" if first else ""))
        print(f"{runs} timed builds each after {args.warmup} warm-up rounds, interleaved:")
        for name, label in (("personal", "personal (build_personal_pdf)"),
                            ("download", "personal incl. report_data (as the download)"),
                            ("reference", f"reference ({page_count(reference)} pages)"),
                            ("reference_same_pages", f"reference with {page_count(matched)} pages")):
            values = samples[name]
            print(f"  {label:<46} median {ms(median(values)):>10}   p90 {ms(percentile(values, 90)):>10}"
                  f"   min {ms(min(values)):>10}")
        print(f"  report_data alone (first call)                 {ms(data_seconds):>17}")
        same_pages = paired_ratio(samples["personal"], samples["reference_same_pages"])
        medians = median(samples["personal"]) / median(samples["reference"])
        print(f"information: personal / reference with the same page count = {same_pages:.2f}×; "
              f"ratio of the medians = {medians:.2f}×")
        print("RATIO personal / reference (median of the ratios of builds timed one after the other) = "
              f"{ratio:.2f}×   target ≤ {TARGET}×   {verdict(ratio <= TARGET)}")
    return 0


if __name__ == "__main__":
    run_main(main)
