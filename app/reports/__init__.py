"""Reports: charts drawn once with ReportLab graphics (rendered to PDF and to inline SVG) and the
PDF reports built from plain data (no database access here)."""
from reportlab import rl_config

# ReportLab validates every attribute set on a chart shape against a type map. That helps while
# writing a chart; the charts here are covered by tests, and the checks were most of the time it
# took to build one. Off for the whole process (a ReportLab setting, not a Swanilai one).
rl_config.shapeChecking = 0
