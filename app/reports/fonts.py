"""The embedded font family of every report: DejaVu Sans, vendored under ``static/fonts``.

PDF reports never use the 14 standard PDF fonts: they cover only Latin-1 and are not embedded.
DejaVu Sans covers every Latin script (and much more); its licence is in
``static/fonts/LICENSE-DejaVu.txt``.
"""
from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"
FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

_lock = threading.Lock()


def register_fonts() -> str:
    """Register the family with ReportLab once (safe to call often, from any thread).

    Returns the family name, usable as ``fontName`` in styles; ``<b>`` maps to the bold face,
    ``<i>`` to the regular one (no oblique face is vendored).
    """
    with _lock:
        known = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in FILES.items():
            if name not in known:
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                      boldItalic=BOLD)
    return FAMILY
