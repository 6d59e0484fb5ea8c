"""The levels chart: one Drawing, rendered to PDF and to inline SVG."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask_babel import force_locale
from reportlab.graphics import renderPDF

from app.reports.charts import PDF_WIDTH, WEB_WIDTH, clean_text, levels_chart, to_svg
from app.reports.personal import chart_rows

from . import make_report, report_app

SVG = "{http://www.w3.org/2000/svg}"
NAMES = ["Awal", "Dasar", "Cakap", "Mahir", "Ahli"]
ROWS = [
    {"name": "Strategi dan tata kelola akun", "level": 3, "target": 3},
    {"name": "Konten <b>x</b> & <script>alert(1)</script>", "level": 1, "target": 4},
    {"name": '<img src="x"/> <i>unclosed', "level": 5, "target": 2},
    {"name": "Kolaborasi \x00\x07 A & B", "level": None, "target": 2},
]


@pytest.fixture(autouse=True)
def locale_en():
    with report_app().app_context(), force_locale("en"):
        yield


def svg_of(rows=ROWS, **kwargs) -> tuple[str, ET.Element]:
    svg = to_svg(levels_chart(rows, 5, NAMES, **kwargs))
    return svg, ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar-achieved"]


def test_svg_is_one_wellformed_element_ready_to_inline():
    svg, root = svg_of()
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "DOCTYPE" not in svg
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Achieved and target level per domain"
    assert root.find(f"{SVG}title").text == "Achieved and target level per domain"
    assert root.get("viewBox")


def test_svg_works_under_the_content_security_policy():
    """No style attributes (blocked without 'unsafe-inline') and no ids (charts share a page)."""
    svg, root = svg_of()
    for element in root.iter():
        assert "style" not in element.attrib, element.tag
        assert "id" not in element.attrib, element.tag
    assert any(r.get("fill") for r in bars(root))


def test_one_bar_per_assessed_domain():
    _svg, root = svg_of()
    assert len(bars(root)) == sum(1 for r in ROWS if r["level"] is not None)
    assert "Not assessed" in texts(root)


def test_bar_lengths_follow_the_levels():
    _svg, root = svg_of()
    widths = [float(b.get("width")) for b in bars(root)]
    assert widths[0] / widths[2] == pytest.approx(3 / 5)
    assert widths[1] / widths[2] == pytest.approx(1 / 5)


def test_gap_is_drawn_only_where_the_level_is_below_target():
    _svg, root = svg_of()
    gaps = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar-gap"]
    assert len(gaps) == 1
    assert "Gap to target" in texts(root)


def test_markup_in_names_is_escaped_and_shown_literally():
    svg, root = svg_of()
    shown = texts(root)
    assert "Konten <b>x</b> & <script>alert(1)</script>" in shown
    assert '<img src="x"/> <i>unclosed' in shown
    assert "Kolaborasi A & B" in shown  # control characters dropped
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&amp;" in svg


def test_legend_and_axis_labels():
    _svg, root = svg_of()
    shown = texts(root)
    assert {"Achieved level", "Target"} <= set(shown)
    assert "1 Awal" in shown and "5 Ahli" in shown


def test_labels_follow_the_locale_and_can_be_overridden():
    _svg, root = svg_of(labels={"achieved": "Tercapai <b>", "target": "Sasaran"})
    assert {"Tercapai <b>", "Sasaran"} <= set(texts(root))


def test_level_names_as_mapping():
    drawing = levels_chart(ROWS[:1], 5, {1: "A", 2: "B", 3: "C", 4: "D", 5: "E"})
    assert "3 C" in texts(ET.fromstring(to_svg(drawing)))


def test_description_reads_the_values_for_screen_readers():
    _svg, root = svg_of()
    desc = root.find(f"{SVG}desc").text
    assert "Strategi dan tata kelola akun: Achieved level 3 Cakap; Target 3 Cakap." in desc
    assert "Not assessed; Target 2 Dasar." in desc


@pytest.mark.parametrize("width", [PDF_WIDTH, WEB_WIDTH, 240])
def test_everything_stays_inside_the_drawing(width):
    long_name = "Kolaborasi lintas instansi dan inovasi layanan publik berbasis media sosial " * 3
    rows = ROWS + [{"name": long_name, "level": 2, "target": 5}]
    drawing = levels_chart(rows, 5, ["Beginning", "Basic", "Proficient", "Advanced", "Expert"],
                           width=width)
    x0, y0, x1, y1 = drawing.getBounds()
    assert x0 >= 0 and y0 >= 0
    assert x1 <= drawing.width + 0.01 and y1 <= drawing.height + 0.01
    shown = texts(ET.fromstring(to_svg(drawing)))
    assert any(t.endswith("…") for t in shown)  # the long name is cut after two lines


def test_narrow_charts_get_larger_text():
    def name_size(width):
        root = ET.fromstring(to_svg(levels_chart(ROWS, 5, NAMES, width=width)))
        first = next(t for t in root.iter(f"{SVG}text") if t.text == ROWS[0]["name"])
        return float(first.get("font-size").rstrip("px"))

    assert name_size(WEB_WIDTH) > name_size(PDF_WIDTH)


def test_fixed_height_spreads_the_rows():
    natural = levels_chart(ROWS, 5, NAMES)
    taller = levels_chart(ROWS, 5, NAMES, height=natural.height + 100)
    assert taller.height == pytest.approx(natural.height + 100)


def test_the_same_drawing_renders_to_pdf():
    drawing = levels_chart(ROWS, 5, NAMES)
    pdf = renderPDF.drawToString(drawing)
    assert pdf.startswith(b"%PDF-")
    assert b"DejaVuSans" in pdf and b"/Helvetica" not in pdf


def test_chart_of_a_real_result():
    report = make_report("en")
    rows = chart_rows(report["result"])
    drawing = levels_chart(rows, len(report["levels"]), [lv["name"] for lv in report["levels"]],
                           width=WEB_WIDTH)
    root = ET.fromstring(to_svg(drawing))
    assert len(bars(root)) == sum(1 for r in rows if r["level"] is not None) == 7
    assert renderPDF.drawToString(drawing).startswith(b"%PDF-")


def test_empty_chart_and_clean_text():
    drawing = levels_chart([], 5, NAMES)
    assert ET.fromstring(to_svg(drawing)).tag == f"{SVG}svg"
    assert clean_text(None) == "" and clean_text("a\x00b\nc") == "ab\nc"


# -- the level distribution chart (unit reports) ----------------------------------------------

from app.reports.distribution import UNASSESSED, distribution_chart, level_palette  # noqa: E402

DIST_ROWS = [
    {"name": "Strategi dan tata kelola akun", "counts": {1: 2, 2: 4, 3: 8, 4: 4, 5: 2},
     "unassessed": 0},
    {"name": "Konten <b>x</b> & <script>alert(1)</script>", "counts": {1: 30, 5: 1},
     "unassessed": 9},
    {"name": "Kolaborasi \x00 A & B", "counts": {}, "unassessed": 0},
]


def dist_svg(rows=DIST_ROWS, **kwargs) -> tuple[str, ET.Element]:
    svg = to_svg(distribution_chart(rows, NAMES, **kwargs))
    return svg, ET.fromstring(svg)


def segments(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if (r.get("class") or "").startswith("seg-")]


def test_distribution_svg_is_wellformed_and_csp_safe():
    svg, root = dist_svg()
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert root.get("role") == "img" and root.get("aria-label") == "Levels per domain"
    for element in root.iter():
        assert "style" not in element.attrib and "id" not in element.attrib, element.tag


def test_distribution_segments_are_proportional_to_the_counts():
    _svg, root = dist_svg()
    segs = segments(root)
    first = segs[:5]
    assert [s.get("class") for s in first] == [f"seg-level-{n}" for n in range(1, 6)]
    widths = [float(s.get("width")) for s in first]
    for width, count in zip(widths, [2, 4, 8, 4, 2]):
        assert width / sum(widths) == pytest.approx(count / 20)
    second = segs[5:]  # levels with nobody are not drawn; the unassessed are
    assert [s.get("class") for s in second] == ["seg-level-1", "seg-level-5", "seg-unassessed"]
    w = [float(s.get("width")) for s in second]
    assert w[0] / w[2] == pytest.approx(30 / 9) and w[1] / w[2] == pytest.approx(1 / 9)
    assert sum(w) == pytest.approx(sum(widths))  # every bar is 100 %


def test_distribution_percentages_only_where_they_fit():
    _svg, root = dist_svg(width=WEB_WIDTH)
    shown = texts(root)
    assert "40%" in shown and "75%" in shown and "22%" in shown
    assert "2%" not in shown  # 1 of 40 people: too narrow a segment for its label


def test_distribution_legend_colours_and_empty_rows():
    _svg, root = dist_svg()
    shown = texts(root)
    assert {"1 Awal", "5 Ahli", "Not assessed", "No results"} <= set(shown)
    palette = level_palette(5)
    lightness = [sum(c.rgb()) for c in palette]
    assert lightness == sorted(lightness, reverse=True)  # light to dark
    fills = {s.get("class"): s.get("fill") for s in segments(root)}
    assert fills["seg-unassessed"] != fills["seg-level-1"]
    level_fills = {fills[f"seg-level-{n}"] for n in range(1, 6)}
    assert fills["seg-unassessed"] not in level_fills
    r, g, b = UNASSESSED.rgb()
    assert r == g == b  # a neutral grey, no hue shared with the blue levels
    _svg, root = dist_svg(rows=DIST_ROWS[:1])
    assert "Not assessed" not in texts(root)  # the legend shows it only when somebody is


def test_distribution_escapes_markup():
    svg, root = dist_svg()
    shown = texts(root)
    assert "Konten <b>x</b> & <script>alert(1)</script>" in shown
    assert "Kolaborasi A & B" in shown
    assert "<script" not in svg and "<b>" not in svg and "&lt;script&gt;" in svg
    desc = root.find(f"{SVG}desc").text
    assert "Strategi dan tata kelola akun: 1 Awal 2 (10%); 2 Dasar 4 (20%)" in desc
    assert "Not assessed 9 (22%)" in desc


def test_distribution_labels_can_be_overridden():
    _svg, root = dist_svg(labels={"not_assessed": "Belum <i>", "no_data": "Kosong"})
    assert {"Belum <i>", "Kosong"} <= set(texts(root))


@pytest.mark.parametrize("width", [PDF_WIDTH, WEB_WIDTH, 240])
def test_distribution_stays_inside_the_drawing(width):
    long_name = "Kolaborasi lintas instansi dan inovasi layanan publik berbasis media sosial " * 3
    rows = DIST_ROWS + [{"name": long_name, "counts": {3: 1}, "unassessed": 1}]
    drawing = distribution_chart(rows, ["Beginning", "Basic", "Proficient", "Advanced",
                                        "Expert"], width=width)
    x0, y0, x1, y1 = drawing.getBounds()
    assert x0 >= 0 and y0 >= 0
    assert x1 <= drawing.width + 0.01 and y1 <= drawing.height + 0.01
    assert any(t.endswith("…") for t in texts(ET.fromstring(to_svg(drawing))))


def test_distribution_renders_to_pdf_with_dejavu_only():
    pdf = renderPDF.drawToString(distribution_chart(DIST_ROWS, {1: "A", 2: "B", 3: "C"}))
    assert pdf.startswith(b"%PDF-")
    assert b"DejaVuSans" in pdf and b"/Helvetica" not in pdf


def test_distribution_of_no_rows():
    assert ET.fromstring(to_svg(distribution_chart([], NAMES))).tag == f"{SVG}svg"
