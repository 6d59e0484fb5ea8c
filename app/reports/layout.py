"""What every PDF report shares: paragraph styles, tables, the page header and footer with
"page X of Y", document metadata, and the embedded DejaVu font everywhere.

Report texts are laid out by ``text.Text``, never by ReportLab's ``Paragraph``: a Paragraph reads
its text as markup, so ``<b>``, ``<img src=x>`` or a stray ``&`` in a name would be interpreted
or break the build, while ``Text`` prints every character as it is.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from .charts import clean_text
from .fonts import BOLD, FAMILY, REGULAR, register_fonts
from .palette import ACCENT, HEAD_FILL, INK, MUTED, NOTE_FILL, RULE, ZEBRA
from .text import KeepText

PAGE = A4
MARGIN = 2 * cm
FRAME_PADDING = 6  # ReportLab's default padding inside a page's frame, on every side
FRAME_WIDTH = PAGE[0] - 2 * MARGIN - 2 * FRAME_PADDING  # what the story may fill
FRAME_HEIGHT = PAGE[1] - 2 * MARGIN - 2 * FRAME_PADDING
WATERMARK = colors.Color(0.75, 0.78, 0.82, alpha=0.35)  # the "DRAF" mark: light, under the text


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FAMILY, bulletFontName=FAMILY, fontSize=9.5, leading=13,
                          textColor=INK,
                          spaceAfter=4)
    made = {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11, spaceAfter=0),
        "cell_right": ParagraphStyle("cell_right", base, fontSize=8.5, leading=11, spaceAfter=0,
                                     alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("cell_head", base, fontName=BOLD, fontSize=8.5, leading=11,
                                    spaceAfter=0),
        "cell_head_right": ParagraphStyle("cell_head_right", base, fontName=BOLD, fontSize=8.5,
                                          leading=11, spaceAfter=0, alignment=TA_RIGHT),
        "question": ParagraphStyle("question", base, fontSize=8.5, leading=11, spaceBefore=4,
                                   spaceAfter=1, textColor=MUTED),
        "answer": ParagraphStyle("answer", base, fontSize=9, leading=12, leftIndent=14,
                                 bulletIndent=2, spaceAfter=1),
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=22, leading=28,
                                textColor=ACCENT, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=13, leading=17, textColor=MUTED,
                                   spaceAfter=18),
        "h1": ParagraphStyle("h1", base, fontName=BOLD, fontSize=14, leading=18, textColor=ACCENT,
                             spaceBefore=10, spaceAfter=6, keepWithNext=1),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=6,
                             spaceAfter=2, keepWithNext=1),
        "bullet": ParagraphStyle("bullet", base, leftIndent=12, bulletIndent=2, spaceAfter=2),
        "note": ParagraphStyle("note", base, fontSize=9, leading=12.5, backColor=NOTE_FILL,
                               borderPadding=6, spaceBefore=8, spaceAfter=10),
    }
    return made


class HouseCell(CellStyle):
    """The cell defaults of every report table. As class attributes they cost nothing per
    cell, where table style commands would set each of them on every cell of every table."""

    fontname = REGULAR
    fontsize = 8.5
    leading = 11
    color = INK
    valign = "TOP"
    topPadding = bottomPadding = 3
    leftPadding = rightPadding = 4

    def __init__(self) -> None:
        self.name = ""


def table(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: bool = True,
          zebra: bool = True, right: Sequence[int] = (), extra: Sequence[tuple] = ()) -> Table:
    """A table of ``Text`` cells with a repeated header row; rows may split across pages.

    A cell may also be a plain string, which the table draws itself (a line per ``\n``) at
    less cost than a flowable: for numbers, right-aligned in the columns listed in ``right``."""
    commands: list[tuple] = [("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]
    commands += [("ALIGN", (column, 0), (column, -1), "RIGHT") for column in right]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL))
    if zebra:
        start = 1 if header else 0
        commands += [("BACKGROUND", (0, n), (-1, n), ZEBRA)
                     for n in range(start + 1, len(rows), 2)]
    cells = [[HouseCell() for _cell in row] for row in rows]
    result = Table(list(rows), colWidths=list(widths), repeatRows=1 if header else 0,
                   splitInRow=1, hAlign="LEFT", cellStyles=cells)
    result.setStyle(TableStyle(commands + list(extra)))
    return result


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` on one line (for the page furniture)."""
    text = " ".join(clean_text(text).split())
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


@dataclass(frozen=True)
class Furniture:
    """Texts of the header and footer; ``page_label`` turns (page, pages) into "Page 1 of 3"."""

    header_left: str
    header_right: str
    footer_left: str
    page_label: Callable[[int, int], str]


def numbered_canvas(furniture: Furniture) -> type[pdfcanvas.Canvas]:
    """A canvas class that holds pages back until the end, so each can say "page X of Y"."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total: int) -> None:
            width, height = self._pagesize
            half = (width - 2 * MARGIN) / 2 - 6
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, height - MARGIN + 14, width - MARGIN, height - MARGIN + 14)
            self.line(MARGIN, MARGIN - 16, width - MARGIN, MARGIN - 16)
            self.setFillColor(MUTED)
            self.setFont(BOLD, 8)
            self.drawString(MARGIN, height - MARGIN + 19,
                            fit(furniture.header_left, BOLD, 8, half))
            self.setFont(REGULAR, 8)
            self.drawRightString(width - MARGIN, height - MARGIN + 19,
                                 fit(furniture.header_right, REGULAR, 8, half))
            label = furniture.page_label(self._pageNumber, total)
            self.drawRightString(width - MARGIN, MARGIN - 27, label)
            room = width - 2 * MARGIN - stringWidth(label, REGULAR, 8) - 12
            self.drawString(MARGIN, MARGIN - 27, fit(furniture.footer_left, REGULAR, 8, room))
            self.restoreState()

    return NumberedCanvas


def watermark(text: str) -> Callable[[pdfcanvas.Canvas, Any], None]:
    """A page template's ``onPage`` callback drawing ``text`` large, light and diagonal across the
    page (the "DRAF" mark of a plan not yet set), under the page's content."""

    def draw(canvas: pdfcanvas.Canvas, _doc: Any) -> None:
        width, height = canvas._pagesize
        size = 110
        canvas.saveState()
        canvas.setFillColor(WATERMARK)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(45)
        canvas.setFont(BOLD, size)
        canvas.drawCentredString(0, -size / 3, text)
        canvas.restoreState()

    return draw


def build_pdf(story: list, furniture: Furniture, *, title: str, author: str, subject: str,
              lang: str, on_page: Callable[[pdfcanvas.Canvas, Any], None] | None = None) -> bytes:
    """Lay out ``story`` on A4 with header, footer and metadata; the PDF as bytes. ``on_page``:
    drawn at the start of every page, under its content (``watermark``)."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=clean_text(title), author=author, subject=clean_text(subject),
        creator="Swanilai", lang=lang, initialFontName=REGULAR, initialFontSize=9.5)
    doc.keepTogetherClass = KeepText
    pages = {"onFirstPage": on_page, "onLaterPages": on_page} if on_page is not None else {}
    doc.build(story, canvasmaker=numbered_canvas(furniture), **pages)
    return buffer.getvalue()
