"""Reading filled PDFs: open safely, walk every field, normalise values, identify the template.

Rooms: :mod:`.lexer` and :mod:`.xref` read a regular file straight from its bytes (no pypdf at
all), :mod:`.pdf` opens everything else with pypdf (limits, log capture, exception mapping),
:mod:`.walker` finds the fields in either, :mod:`.normalise` turns raw values into Python,
:mod:`.identify` says which werkblad. Names are imported on first use, so that the fast path
never loads pypdf. This package never imports ReportLab; it is the hot path of a batch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from werkbladen.reader.dates import parse_date
from werkbladen.reader.identify import DocInfo, Identity, identify, info_of
from werkbladen.reader.rawform import RawField, RawForm
from werkbladen.reader.source import check_bytes

if TYPE_CHECKING:
    from werkbladen.reader.pdf import PYPDF, as_read_error, open_pdf, reading

_WHERE = {"as_read_error": "pdf", "open_pdf": "pdf", "reading": "pdf", "PYPDF": "pdf"}
"""What needs pypdf, imported on first use."""

__all__ = [
    "PYPDF",
    "DocInfo",
    "Identity",
    "RawField",
    "RawForm",
    "as_read_error",
    "check_bytes",
    "identify",
    "info_of",
    "open_pdf",
    "parse_date",
    "reading",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
