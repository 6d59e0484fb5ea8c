"""``app.reports.text``: word wrapping, literal text in built PDFs, line geometry, splitting
across pages (no lonely first line, bullets once), ``TextGroup``/``KeepText`` keeping together,
and texts in table cells.

Positions are read back from the PDF with pypdf's text visitor: ``x`` is where a run starts on
the page, ``ox`` the origin of the flowable that drew it (a table cell's content edge).
"""
from __future__ import annotations

import re
from typing import NamedTuple

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer
from reportlab.platypus.frames import Frame

from app.reports.fonts import BOLD, REGULAR, register_fonts
from app.reports.layout import FRAME_WIDTH, MARGIN, PAGE, Furniture, build_pdf, styles, table
from app.reports.text import KeepText, Text, TextGroup, wrap_words

from . import page_texts, read_pdf, squash

FURNITURE = Furniture("HEADER-LEFT", "HEADER-RIGHT", "FOOTER-LEFT",
                      lambda page, pages: f"Page {page} of {pages}")
# build_pdf's frame is SimpleDocTemplate's: ReportLab's default padding inside the margins.
PAD = Frame(0, 0, 100, 100)._leftPadding
BODY_LEFT = MARGIN + PAD
BODY_WIDTH = FRAME_WIDTH  # the width a story may fill, inside the frame's paddings
BODY_HEIGHT = PAGE[1] - 2 * MARGIN - 2 * PAD
CELL_PAD = 4  # LEFTPADDING / RIGHTPADDING of layout.table()
TOL = 0.01
S = styles()


def build(*story) -> bytes:
    return build_pdf(list(story), FURNITURE, title="Text", author="tests", subject="text.py",
                     lang="en")


def body_text(page: str) -> str:
    """A page's squashed text without the header and footer."""
    page = re.sub(r"Page \d+ of \d+", " ", page)
    for part in ("HEADER-LEFT", "HEADER-RIGHT", "FOOTER-LEFT"):
        page = page.replace(part, " ")
    return squash(page)


def room_left(points: float) -> Spacer:
    """A spacer filling the first page but for ``points`` at its foot."""
    return Spacer(1, BODY_HEIGHT - points)


class Run(NamedTuple):
    text: str
    x: float  # start on the page
    y: float  # baseline on the page
    ox: float  # x origin of the flowable that drew it


def runs(data: bytes, page: int = 0) -> list[Run]:
    found: list[Run] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append(Run(text.strip(), tm[4] * cm[0] + tm[5] * cm[2] + cm[4],
                             tm[4] * cm[1] + tm[5] * cm[3] + cm[5], cm[4]))

    read_pdf(data).pages[page].extract_text(visitor_text=visit)
    return found


def run_of(data: bytes, text: str, page: int = 0) -> Run:
    [run] = [r for r in runs(data, page) if r.text == text]
    return run


def texts(flowable: Text, width: float) -> list[str]:
    return [line for _, line, _ in flowable.lines_for(width)]


SENTENCE = ("Pengelola media sosial instansi memastikan setiap unggahan melalui persetujuan "
            "atasan, mencatat keluhan warga, dan menanggapi pertanyaan dalam satu hari kerja "
            "sesuai pedoman komunikasi publik yang berlaku di lingkungan pemerintah daerah.")


# --- wrap_words --------------------------------------------------------------------------------

@pytest.mark.parametrize("font,size", [(REGULAR, 9.5), (BOLD, 14)])
@pytest.mark.parametrize("factor", [1, 1.5, 4, 40])
def test_wrap_words_fits_keeps_words_in_order_and_fills_each_line(font, size, factor):
    register_fonts()
    width = factor * max(stringWidth(w, font, size) for w in SENTENCE.split())
    lines = wrap_words(SENTENCE, font, size, width)
    assert all(stringWidth(line, font, size) <= width + 1e-6 for line in lines)
    assert " ".join(lines).split() == SENTENCE.split()
    assert all(line == " ".join(line.split()) for line in lines)
    for line, following in zip(lines, lines[1:]):  # greedy: the next word did not fit
        assert stringWidth(f"{line} {following.split()[0]}", font, size) > width
    if factor == 40:
        assert lines == [SENTENCE]


@pytest.mark.parametrize("line", ["", " ", " \t  ", "\n"])
def test_wrap_words_of_a_blank_line_is_one_empty_line(line):
    assert wrap_words(line, REGULAR, 9.5, 100) == [""]


def test_wrap_words_collapses_runs_of_spaces():
    assert wrap_words("  satu   dua\tdua  tiga ", REGULAR, 9.5, 500) == ["satu dua dua tiga"]


def test_a_word_wider_than_the_line_is_broken_into_pieces_that_fit():
    register_fonts()
    word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen"
    width = 60
    lines = wrap_words(f"ab {word} cd", REGULAR, 9.5, width)
    assert lines[0] == "ab"  # the long word starts a line of its own
    assert all(stringWidth(line, REGULAR, 9.5) <= width for line in lines)
    *pieces, last = " ".join(lines[1:]).split()
    assert last == "cd"
    assert "".join(pieces) == word
    assert len(pieces) >= stringWidth(word, REGULAR, 9.5) / width
    assert all(pieces)


def test_characters_wider_than_the_line_stand_one_per_line():
    assert wrap_words("WMW", BOLD, 14, 1) == ["W", "M", "W"]


def split_words(text: str) -> list[str]:
    """Words as wrap_words sees them: apart at white space, but not at a no-break space."""
    return [word for word in re.split(r"[^\S\xa0\u2007\u202f]+", text) if word]


def test_no_break_at_a_no_break_space():
    amount = "Rp\xa01.000.000"
    lines = wrap_words(f"biaya {amount} per orang", REGULAR, 9.5, stringWidth(amount, REGULAR, 9.5) + 1)
    assert amount in lines, lines


LATIN = st.characters(min_codepoint=0x20, max_codepoint=0x17F, exclude_categories=("Cc", "Cs"))
TEXTS = st.text(alphabet=st.one_of(LATIN, st.sampled_from(" \t\nĀĒŌāēō ñ ß")), max_size=300)


@settings(max_examples=100, deadline=None, database=None)
@example(text="\xa0", width=20.0, font=REGULAR, size=8)  # a no-break space alone is a word
@given(text=TEXTS, width=st.floats(min_value=20, max_value=400),
       font=st.sampled_from([REGULAR, BOLD]), size=st.sampled_from([8, 9.5, 14]))
def test_wrap_words_invariants(text, width, font, size):
    register_fonts()
    lines = wrap_words(text, font, size, width)
    words = split_words(text)
    if not words:
        assert lines == [""]
        return
    assert all(line and line == " ".join(split_words(line)) for line in lines)
    assert all(stringWidth(line, font, size) <= width + 1e-6 for line in lines)
    # Tokens out are the words in, in order, a word too wide for the line in several pieces.
    tokens = [(n, token) for n, line in enumerate(lines) for token in split_words(line)]
    position = 0
    for word in words:
        if stringWidth(word, font, size) <= width:
            assert tokens[position][1] == word
            if position and tokens[position - 1][0] != tokens[position][0]:  # starts a line
                previous = lines[tokens[position - 1][0]]
                assert stringWidth(f"{previous} {word}", font, size) > width  # greedy
            position += 1
        else:
            joined = ""
            while joined != word:
                assert word.startswith(joined + tokens[position][1])
                joined += tokens[position][1]
                position += 1
    assert position == len(tokens)


# --- literal text in a built PDF ---------------------------------------------------------------

HOSTILE = ["<b>x</b>", '<img src="x"/>', "A & B", "<i>unclosed", "&amp; &lt; &#65;",
           "</para>", "<font color=red>merah</font>"]


@pytest.mark.parametrize("text", HOSTILE)
def test_markup_prints_literally(text):
    group = TextGroup([(text, S["h2"], None), (text, S["answer"], "•")])
    pdf = build(Text(text, S["body"]), group)
    assert page_texts(pdf)[0].count(text) == 3


@pytest.mark.parametrize("value,shown", [(None, ""), (42, "42"), (2.5, "2.5"),
                                         ("ĀĒŌ ñ ß Łódź", "ĀĒŌ ñ ß Łódź")])
def test_any_value_prints_as_its_text(value, shown):
    pdf = build(Text("before", S["body"]), Text(value, S["body"]), Text("after", S["body"]))
    assert body_text(page_texts(pdf)[0]) == squash(f"before {shown} after")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_breaks_in_the_text_are_kept(newline):
    body = S["body"]
    pdf = build(Text(newline.join(["first line", "second line", "", "fourth line"]), body))
    first, second, fourth = (run_of(pdf, t) for t in ("first line", "second line", "fourth line"))
    assert first.y - second.y == pytest.approx(body.leading)
    assert first.y - fourth.y == pytest.approx(3 * body.leading)  # the empty line is kept
    assert first.x == second.x == fourth.x == pytest.approx(BODY_LEFT)


def test_tabs_print_as_spaces():
    pdf = build(Text("kolom\tsatu", S["body"]))
    assert run_of(pdf, "kolom satu").x == pytest.approx(BODY_LEFT)


def test_control_characters_are_dropped():
    pdf = build(Text("Siti\x00 Ami\x07nah\x1b\x7f\ufffe!\x0b", S["body"]),
                TextGroup([("x\x01y", S["h2"], None), ("o\x1fk", S["body"], None)]))
    text = body_text(page_texts(pdf)[0])
    assert text == "Siti Aminah! xy ok"


# --- geometry: wrap(), alignment, indents, bullets ---------------------------------------------

@pytest.mark.parametrize("name", ["body", "small", "cell_right", "answer", "h1", "note"])
@pytest.mark.parametrize("width", [80, 250, BODY_WIDTH])
def test_wrap_is_the_lines_times_the_leading(name, width):
    style = S[name]
    text = Text(f"{SENTENCE}\n{SENTENCE.upper()}", style)
    assert text.wrap(width, 1000) == (width, pytest.approx(
        len(text.lines_for(width)) * style.leading))
    room = width - style.leftIndent - style.rightIndent
    assert all(stringWidth(line, style.fontName, style.fontSize) <= room
               for line in texts(text, width))
    # nothing lost (words wider than a narrow line are broken between characters)
    assert "".join("".join(texts(text, width)).split()) == "".join(
        f"{SENTENCE}{SENTENCE.upper()}".split())


def test_wrapping_again_at_another_width_wraps_again():
    text = Text(SENTENCE, S["body"])
    wide = text.wrap(400, 1000)[1]
    narrow = text.wrap(100, 1000)[1]
    assert narrow > wide
    assert text.wrap(400, 1000)[1] == wide


def test_min_width_is_the_widest_word_with_the_indents():
    style = S["answer"]
    text = Text("a Swanilai b", style)
    assert text.minWidth() == pytest.approx(
        stringWidth("Swanilai", style.fontName, style.fontSize) + style.leftIndent)


@pytest.mark.parametrize("alignment", [TA_LEFT, TA_CENTER, TA_RIGHT])
def test_alignment_within_the_indents(alignment):
    style = ParagraphStyle("aligned", S["body"], alignment=alignment, leftIndent=10, rightIndent=30)
    lines = ["short", "a somewhat longer line of text", "mid line"]
    pdf = build(Text("\n".join(lines) + "\n" + SENTENCE * 2, style))
    left, right = BODY_LEFT + 10, BODY_LEFT + BODY_WIDTH - 30
    drawn = [r for r in runs(pdf) if "HEADER" not in r.text and "FOOTER" not in r.text
             and not r.text.startswith("Page ")]
    assert [r.text for r in drawn[:3]] == lines
    assert len(drawn) > 5  # the sentences wrapped
    for run in drawn:
        end = run.x + stringWidth(run.text, style.fontName, style.fontSize)
        assert left - TOL <= run.x and end <= right + TOL
        if alignment == TA_LEFT:
            assert run.x == pytest.approx(left)
        elif alignment == TA_RIGHT:
            assert end == pytest.approx(right)
        else:
            assert (run.x + end) / 2 == pytest.approx((left + right) / 2)


def test_bullet_at_the_bullet_indent_and_text_at_the_left_indent():
    style = S["answer"]
    pdf = build(Text(SENTENCE, style, bullet="•"))
    bullet = run_of(pdf, "•")
    first = next(r for r in runs(pdf) if r.text.startswith("Pengelola"))
    assert bullet.x == pytest.approx(BODY_LEFT + style.bulletIndent)
    assert first.x == pytest.approx(BODY_LEFT + style.leftIndent)
    assert bullet.y == pytest.approx(first.y)
    assert page_texts(pdf)[0].count("•") == 1  # only on the first line


# --- split() -----------------------------------------------------------------------------------

def numbered(count: int) -> str:
    return "\n".join(f"baris {n:03d}" for n in range(count))


def test_split_with_room_for_everything_returns_the_text_itself():
    text = Text(numbered(5), S["body"])
    _, height = text.wrap(300, 1000)
    assert text.split(300, height) == [text]


@pytest.mark.parametrize("count", [2, 3, 10])
def test_split_with_room_for_one_line_returns_nothing(count):
    text = Text(numbered(count), S["body"])
    text.wrap(300, 1000)
    assert text.split(300, 1.9 * S["body"].leading) == []


def test_a_two_line_text_is_not_split():
    text = Text(numbered(2), S["body"])
    text.wrap(300, 1000)
    assert text.split(300, 1.5 * S["body"].leading) == []


@pytest.mark.parametrize("count,room", [(3, 2), (10, 2), (10, 7), (10, 9)])
def test_split_pieces_share_the_lines_and_fit(count, room):
    style = S["note"]  # space before and after
    text = Text(numbered(count), style)
    text.wrap(300, 1000)
    avail = room * style.leading + 0.5
    head, tail = text.split(300, avail)
    assert head.wrap(300, avail)[1] <= avail
    assert len(texts(head, 300)) == room and len(texts(tail, 300)) == count - room
    assert texts(head, 300) + texts(tail, 300) == texts(text, 300)
    assert tail.wrap(300, 1000)[1] == pytest.approx((count - room) * style.leading)
    assert (head.spaceBefore, head.spaceAfter) == (style.spaceBefore, 0)
    assert (tail.spaceBefore, tail.spaceAfter) == (0, style.spaceAfter)


def test_a_piece_splits_again():
    leading = S["body"].leading
    text = Text(numbered(12), S["body"])
    text.wrap(300, 1000)
    head, tail = text.split(300, 4 * leading)
    middle, rest = tail.split(300, 5 * leading)
    assert [len(texts(p, 300)) for p in (head, middle, rest)] == [4, 5, 3]
    assert texts(head, 300) + texts(middle, 300) + texts(rest, 300) == texts(text, 300)


def test_text_group_height_adds_the_space_between_parts():
    h2, question, answer = S["h2"], S["question"], S["answer"]
    group = TextGroup([("Judul", h2, None), ("Pertanyaan?", question, None),
                       ("Jawaban", answer, "•")])
    assert group.wrap(300, 1000)[1] == pytest.approx(
        h2.leading + max(h2.spaceAfter, question.spaceBefore) + question.leading
        + max(question.spaceAfter, answer.spaceBefore) + answer.leading)
    assert (group.spaceBefore, group.spaceAfter) == (h2.spaceBefore, answer.spaceAfter)


@pytest.mark.parametrize("last,keep", [("h1", 1), ("body", 0)])
def test_keep_with_next_comes_from_the_last_part(last, keep):
    assert TextGroup([("a", S["body"], None), ("b", S[last], None)]).getKeepWithNext() == keep
    assert Text("a", S[last]).getKeepWithNext() == keep


# --- pages -------------------------------------------------------------------------------------

def test_a_long_text_runs_over_pages_with_every_line_once_in_order():
    lines = [f"line {n:03d} " + "kata " * (n % 7) for n in range(400)]
    pdf = build(Text("\n".join(lines), S["body"]))
    pages = page_texts(pdf)
    per_page = int(BODY_HEIGHT // S["body"].leading)
    assert len(pages) == -(-400 // per_page)  # every page but the last is full
    assert " ".join(body_text(p) for p in pages) == squash("\n".join(lines))
    assert re.findall(r"line (\d{3})", " ".join(pages)) == [f"{n:03d}" for n in range(400)]
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page
        assert all(part in page for part in ("HEADER-LEFT", "HEADER-RIGHT", "FOOTER-LEFT"))


def test_a_long_bulleted_text_has_its_bullet_once_and_keeps_its_indent():
    style = S["bullet"]
    words = [f"w{n:04d}" for n in range(2500)]
    pdf = build(Text(" ".join(words), style, bullet="•"))
    pages = page_texts(pdf)
    assert len(pages) >= 3
    assert " ".join(pages).count("•") == 1
    assert re.findall(r"w\d{4}", " ".join(pages)) == words
    for page in range(len(pages)):
        starts = {round(r.x, 2) for r in runs(pdf, page) if r.text.startswith("w")}
        assert starts == {round(BODY_LEFT + style.leftIndent, 2)}


@pytest.mark.parametrize("room_lines", [1, 1.9])
def test_no_lonely_first_line_at_the_foot_of_a_page(room_lines):
    pdf = build(room_left(room_lines * S["body"].leading), Text(numbered(10), S["body"]))
    first, second = page_texts(pdf)
    assert "baris" not in first
    assert re.findall(r"baris (\d+)", second) == [f"{n:03d}" for n in range(10)]


def test_a_text_at_the_foot_fills_the_page_and_goes_on_on_the_next():
    pdf = build(room_left(4 * S["body"].leading + 1), Text(numbered(10), S["body"]))
    first, second = page_texts(pdf)
    assert re.findall(r"baris (\d+)", first) == ["000", "001", "002", "003"]
    assert re.findall(r"baris (\d+)", second) == [f"{n:03d}" for n in range(4, 10)]


def group_parts(count: int) -> list:
    return [("Judul kelompok", S["h2"], None)] + [
        (f"jawaban {n:03d}", S["answer"], "•") for n in range(count)]


def test_a_group_that_does_not_fit_at_the_foot_moves_whole_to_the_next_page():
    parts = group_parts(5)
    pdf = build(room_left(60), TextGroup(parts))
    first, second = page_texts(pdf)
    assert "Judul" not in first and "jawaban" not in first
    assert body_text(second) == squash(" ".join(
        f"{b} {t}" if b else t for t, _, b in parts))
    # The same lines as separate texts do fill the room: what moved them is the group.
    pdf = build(room_left(60), *(Text(t, style, b) for t, style, b in parts))
    assert "Judul" in page_texts(pdf)[0]


def test_a_group_that_fits_stays_where_it_is():
    pdf = build(room_left(200), TextGroup(group_parts(5)))
    assert len(page_texts(pdf)) == 1
    assert "jawaban 004" in page_texts(pdf)[0]


def test_a_group_taller_than_a_page_is_split_between_lines():
    pdf = build(room_left(200), TextGroup(group_parts(150)))
    pages = page_texts(pdf)
    assert len(pages) >= 3
    assert "Judul kelompok" in pages[0] and "jawaban 000" in pages[0]
    assert re.findall(r"jawaban (\d+)", " ".join(pages)) == [f"{n:03d}" for n in range(150)]
    assert " ".join(pages).count("Judul kelompok") == 1
    assert " ".join(pages).count("•") == 150


def test_keep_text_moves_its_content_together():
    content = [Text("Judul tersimpan", S["h2"]), Text(numbered(6), S["body"])]
    pdf = build(room_left(60), KeepText(content))
    first, second = page_texts(pdf)
    assert "Judul" not in first and "baris" not in first
    assert "Judul tersimpan" in second
    assert re.findall(r"baris (\d+)", second) == [f"{n:03d}" for n in range(6)]


@pytest.mark.parametrize("keep", [1, 0])
def test_a_keep_with_next_heading_goes_with_the_text_after_it(keep):
    heading = ParagraphStyle("heading", S["h1"], keepWithNext=keep)
    story = [room_left(60), Text("Bab penutup", heading), Text(numbered(10), S["body"])]
    first = page_texts(build(*story))[0]
    assert ("Bab penutup" in first) is not bool(keep)


# --- tables ------------------------------------------------------------------------------------

def header(*names: str) -> list[Text]:
    return [Text(name, S["cell_head"]) for name in names]


def assert_inside_cells(pdf: bytes, width: float, prefix: str, style: ParagraphStyle) -> int:
    """Every run starting with ``prefix`` on every page lies within its cell's content width."""
    count = 0
    for page in range(len(read_pdf(pdf).pages)):
        for run in runs(pdf, page):
            if run.text.startswith(prefix):
                end = run.x + stringWidth(run.text, style.fontName, style.fontSize)
                assert run.x >= run.ox - TOL, run
                assert end <= run.ox + width - 2 * CELL_PAD + TOL, run
                count += 1
    return count


@pytest.mark.parametrize("style", ["cell", "cell_right"])
def test_a_long_cell_text_wraps_within_its_column(style):
    widths = [3 * 28.35, 160]
    pdf = build(table([header("Nama", "Uraian"),
                       [Text("Siti", S["cell"]), Text(f"isi {SENTENCE}", S[style])]], widths))
    assert SENTENCE in page_texts(pdf)[0]
    assert assert_inside_cells(pdf, widths[1], "isi", S[style]) == 1
    first = next(r for r in runs(pdf) if r.text.startswith("isi"))
    lines = [r for r in runs(pdf) if r.ox == first.ox and r.y <= first.y]
    assert " ".join(r.text for r in lines) == f"isi {SENTENCE}"
    assert len(lines) >= 4
    room = widths[1] - 2 * CELL_PAD
    for line in lines:
        end = line.x + stringWidth(line.text, S[style].fontName, S[style].fontSize)
        assert line.ox - TOL <= line.x and end <= line.ox + room + TOL
        if style == "cell_right":
            assert end == pytest.approx(line.ox + room)


def test_a_long_word_in_a_narrow_column_is_broken_within_it():
    word = "Donaudampfschifffahrtsgesellschaft"
    pdf = build(table([header("N", "Uraian"), [Text(word, S["cell"]), Text("x", S["cell"])]],
                      [40, 200]))
    pieces = [r for r in runs(pdf) if r.ox == runs(pdf)[0].ox and r.text != "N"]
    assert "".join(r.text for r in pieces) == word
    assert len(pieces) >= 5
    assert assert_inside_cells(pdf, 40, "D", S["cell"]) == 1


def test_a_table_row_taller_than_a_page_splits_with_every_word_once():
    words = [f"w{n:04d}" for n in range(2500)]
    pdf = build(table([header("Nama", "Uraian"),
                       [Text("Siti", S["cell"]), Text(" ".join(words), S["cell"])]],
                      [100, 300]))
    pages = page_texts(pdf)
    assert len(pages) >= 3
    assert re.findall(r"w\d{4}", " ".join(pages)) == words
    assert all("Nama Uraian" in page for page in pages)  # the header row repeats


def test_a_long_word_in_a_narrow_column_of_a_row_split_across_pages():
    pdf = build(table([header("N", "Uraian"), [Text("x" * 300, S["cell"]), Text("y", S["cell"])]],
                      [30, 200]))
    assert "".join(" ".join(page_texts(pdf)).split()).count("x") == 300


def test_lines_of_a_row_split_across_pages_stay_inside_their_cell():
    words = " ".join(f"w{n}" for n in range(3000))
    pdf = build(table([header("Uraian", "N"), [Text(words, S["cell"]), Text("x", S["cell"])]],
                      [100, 200]))
    assert assert_inside_cells(pdf, 100, "w", S["cell"]) > 500
