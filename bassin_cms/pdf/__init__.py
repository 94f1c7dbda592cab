"""ReportLab documents. Today: a plain-text report laid out as a PDF (demo content)."""
