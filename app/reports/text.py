"""``Text``: a flowable for literal text in one paragraph style; ``TextGroup`` for several.

Nearly every text in the reports is plain: a name, a domain, an item, a number, a fixed label.
ReportLab's ``Paragraph`` parses its text as markup (an HTML parser per paragraph) and runs a
general line breaker built for mixed fonts; for a report of hundreds of short texts that was
most of the build time. ``Text`` only wraps words with the font's metrics and draws the lines,
so it is several times cheaper, and because nothing is ever parsed, markup in a person's name or
a questionnaire (``<b>``, ``<img src=…>``, ``&``) prints literally by construction.

It honours the parts of ``ParagraphStyle`` the reports use: font, size, leading, colour, left
and right indents, left/right/centre alignment, space before and after, keep-with-next, a
bullet (``bulletIndent``, ``bulletFontName``) and a background (``backColor``,
``borderPadding``). Line breaks in the text are kept; a word wider than the line is broken
between characters rather than running over the margin. Texts split across pages (and table
rows with ``splitInRow``) between lines, never leaving a single first line behind.

``TextGroup`` stacks texts in different styles (a heading, a question, its answer) in one
flowable and keeps them on one page when they fit on one, which is what ``KeepTogether`` around
``Paragraph``s did at several times the cost.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus.flowables import Flowable, KeepTogether

from .charts import clean_text


_BREAKS = re.compile(r"[^\S\xa0\u2007\u202f]+")  # white space, except the no-break spaces


@lru_cache(maxsize=65536)
def word_width(word: str, font: str, size: float) -> float:
    """``stringWidth`` of one word, cached: reports repeat the same words hundreds of times."""
    return stringWidth(word, font, size)


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than ``width`` in pieces that each fit (at least one character each)."""
    pieces, current = [], ""
    for char in word:
        if current and stringWidth(current + char, font, size) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return pieces + [current]


def wrap_words(line: str, font: str, size: float, width: float) -> list[str]:
    """One line of text broken into lines no wider than ``width`` at spaces."""
    words = [word for word in _BREAKS.split(line) if word]
    if not words:
        return [""]
    whole = " ".join(words)
    if stringWidth(whole, font, size) <= width:
        return [whole]  # the common case (a name, a number, a label): one measurement
    space = word_width(" ", font, size)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in words:
        w = word_width(word, font, size)
        if current and used + space + w <= width:
            current.append(word)
            used += space + w
            continue
        if current:
            lines.append(" ".join(current))
        if w > width:
            *whole, word = _break_word(word, font, size, width)
            lines += whole
            w = word_width(word, font, size)
        current, used = [word], w
    lines.append(" ".join(current))
    return lines


Part = tuple[Any, ParagraphStyle, "str | None"]
Line = tuple[int, str, bool]  # (part, text, first line of its part)


class Text(Flowable):
    """Literal ``text`` laid out in ``style``; ``bullet`` is drawn at the style's bullet indent."""

    keep = False

    def __init__(self, text: Any, style: ParagraphStyle, bullet: str | None = None):
        super().__init__()
        self._setup([(text, style, bullet)])

    def _setup(self, parts: list[Part], lines: list[Line] | None = None) -> None:
        self._texts = [clean_text(t).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
                       for t, _, _ in parts]
        self._styles = [style for _, style, _ in parts]
        self._bullets = [clean_text(bullet) if bullet else None for _, _, bullet in parts]
        first = self._styles[lines[0][0] if lines else 0]
        last = self._styles[lines[-1][0] if lines else -1]
        self.style = last  # keep-with-next comes from the last part
        self.spaceBefore, self.spaceAfter = first.spaceBefore, last.spaceAfter
        self._fixed = lines
        self._lines: list[Line] = lines or []
        self._wrapped_for: float | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({' / '.join(self._texts)[:60]!r})"

    def lines_for(self, avail_width: float) -> list[Line]:
        if self._fixed is not None:
            return self._fixed
        if self._wrapped_for != avail_width:
            lines: list[Line] = []
            for n, (text, st) in enumerate(zip(self._texts, self._styles)):
                width = max(1.0, avail_width - st.leftIndent - st.rightIndent)
                wrapped = [line for hard in text.split("\n")
                           for line in wrap_words(hard, st.fontName, st.fontSize, width)]
                lines += [(n, line, i == 0) for i, line in enumerate(wrapped)]
            self._lines, self._wrapped_for = lines, avail_width
        return self._lines

    def _height(self, lines: list[Line]) -> float:
        height, part = 0.0, None
        for n, _, _ in lines:
            if part is not None and n != part:
                height += max(self._styles[part].spaceAfter, self._styles[n].spaceBefore)
            height += self._styles[n].leading
            part = n
        return height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = self._height(self.lines_for(availWidth))
        return self.width, self.height

    def minWidth(self) -> float:  # noqa: N802 (ReportLab's name)
        return max(stringWidth(word, st.fontName, st.fontSize) + st.leftIndent + st.rightIndent
                   for text, st in zip(self._texts, self._styles) for word in (text.split() or [""]))

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # A table splitting a row passes the column's width, not the cell's (less its padding)
        # that wrap() was given: keep the lines of the last wrap, as Paragraph does.
        lines = self.lines_for(availWidth if self._wrapped_for is None else self._wrapped_for)
        frame = getattr(self, "_frame", None)
        if (self.keep and frame is not None and not getattr(frame, "_atTop", True)
                and self._height(lines) <= frame._height - frame._topPadding - frame._bottomPadding):
            return []  # kept together: the whole group moves to the next frame
        fits, height, part = 0, 0.0, None
        for n, _, _ in lines:
            step = self._styles[n].leading
            if part is not None and n != part:
                step += max(self._styles[part].spaceAfter, self._styles[n].spaceBefore)
            if height + step > availHeight + 1e-6:
                break
            fits, height, part = fits + 1, height + step, n
        if fits >= len(lines):
            return [self]
        if fits < 2 or len(lines) < 3:  # no lonely first line at the foot of a page
            return []
        head, tail = self._piece(lines[:fits]), self._piece(lines[fits:])
        head.spaceAfter, tail.spaceBefore = 0, 0
        return [head, tail]

    def _piece(self, lines: list[Line]) -> Text:
        piece = type(self).__new__(type(self))
        Flowable.__init__(piece)
        piece._setup(list(zip(self._texts, self._styles, self._bullets)), lines)
        return piece

    def draw(self) -> None:
        canvas = self.canv
        lines = self._fixed if self._fixed is not None else self._lines
        if not lines:
            return
        first = self._styles[lines[0][0]]
        if first.backColor:
            pad = first.borderPadding if isinstance(first.borderPadding, (int, float)) else 0
            canvas.saveState()
            canvas.setFillColor(first.backColor)
            canvas.rect(first.leftIndent - pad, -pad,
                        self.width - first.leftIndent - first.rightIndent + 2 * pad,
                        self.height + 2 * pad, fill=1, stroke=0)
            canvas.restoreState()
        text = canvas.beginText()
        top, part = self.height, None
        for n, line, first_line in lines:
            st = self._styles[n]
            if n != part:
                if part is not None:
                    top -= max(self._styles[part].spaceAfter, st.spaceBefore)
                text.setFillColor(st.textColor)
                text.setFont(st.fontName, st.fontSize, st.leading)
                part = n
            y = top - st.fontSize
            if first_line and self._bullets[n]:
                text.setFont(st.bulletFontName, st.bulletFontSize)
                text.setTextOrigin(st.bulletIndent, y)
                text.textOut(self._bullets[n])
                text.setFont(st.fontName, st.fontSize, st.leading)
            x = st.leftIndent
            if st.alignment in (TA_RIGHT, TA_CENTER):
                spare = self.width - st.rightIndent - x - stringWidth(line, st.fontName, st.fontSize)
                x += spare if st.alignment == TA_RIGHT else spare / 2
            text.setTextOrigin(x, y)
            text.textOut(line)
            top -= st.leading
        canvas.drawText(text)


class TextGroup(Text):
    """Texts in their own styles, one after the other, such as a heading, a question and its
    answer: kept on one page when they fit on one, else split between lines."""

    keep = True

    def __init__(self, parts: list[Part]):
        Flowable.__init__(self)
        self._setup(parts)


class KeepText(KeepTogether):
    """``KeepTogether`` for texts, tables and charts that measures its content directly.

    ReportLab's version copies the whole frame for every group it measures, so that content
    generated while measuring lands in the right place; the reports generate none, and those
    copies were a tenth of a report's build time. Also used for keep-with-next groups.
    """

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
        width = height = 0.0
        previous: Flowable | None = None
        first_height = 0.0
        for flowable in self._content:
            w, h = flowable.wrapOn(self.canv, aW, 0xFFFFFFF)
            width = max(width, min(w, aW))
            if previous is None:
                first_height = h
            else:
                height += max(flowable.getSpaceBefore(), previous.getSpaceAfter())
            height += h
            previous = flowable
        self._H, self._H0, self._wrapInfo = height, first_height, (aW, aH)
        return width, 0xFFFFFF  # as KeepTogether: always asks to be split
