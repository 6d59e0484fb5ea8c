"""The colours of every report and chart, in one place (PDF pages, PDF charts and web SVG)."""
from __future__ import annotations

from reportlab.lib import colors

INK = colors.HexColor("#1a202c")        # text, target markers
MUTED = colors.HexColor("#4a5568")      # secondary text
ACCENT = colors.HexColor("#2b6cb0")     # headings, the achieved level
RULE = colors.HexColor("#cbd5e0")       # table rules, page furniture
HEAD_FILL = colors.HexColor("#e2e8f0")  # table header rows
ZEBRA = colors.HexColor("#f7fafc")      # alternate table rows
NOTE_FILL = colors.HexColor("#fefcbf")  # the self-assessment note
GAP = colors.HexColor("#fbd38d")        # the gap up to the target
GAP_EDGE = colors.HexColor("#c05621")
TRACK = colors.HexColor("#edf2f7")      # the empty part of a bar
GRID = colors.HexColor("#a0aec0")       # chart axes
