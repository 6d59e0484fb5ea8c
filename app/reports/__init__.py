"""Reports: charts drawn once with ReportLab graphics (rendered to PDF and to inline SVG) and the
PDF reports built from plain data (no database access here)."""
