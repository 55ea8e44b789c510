"""Reading filled PDFs: open safely, walk every field, normalise values, identify the template.

Rooms: :mod:`.pdf` opens (limits, log capture, exception mapping), :mod:`.walk` finds the
fields, :mod:`.normalise` turns raw values into Python, :mod:`.identify` says which werkblad.
This package never imports ReportLab; it is the hot path of a batch.
"""

from __future__ import annotations

from werkbladen.reader.identify import Identity, identify, info_template
from werkbladen.reader.normalise import parse_date
from werkbladen.reader.pdf import as_read_error, check_bytes, open_pdf, reading
from werkbladen.reader.walk import RawField, RawForm, walk_form

__all__ = [
    "Identity",
    "RawField",
    "RawForm",
    "as_read_error",
    "check_bytes",
    "identify",
    "info_template",
    "open_pdf",
    "parse_date",
    "reading",
    "walk_form",
]
