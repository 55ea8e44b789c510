"""Fillable PDF werkbladen for the NJi stappenplan, and their answers back as data.

The public API is what ``__all__`` lists. Importing the package stays light: ``extract`` and
the errors load no PDF or validation library until used; the rest is imported on first use
(PEP 562), so reading never loads ReportLab and building never loads the reader. No public
function shares its name with a module: importing a submodule rebinds the package attribute of
its name (hence ``extract`` lives in ``werkbladen.reader.extraction``, ``fill`` in
``werkbladen.filling.prefill``).

The package has a room per stage: ``content`` (the YAML, its schema, the field names),
``layout`` (content to blank PDFs), ``reader`` (filled PDFs to records), ``filling`` (answers into
a blank), ``export`` (records to JSON, CSV, XLSX), ``cli``; ``record``, ``errors``, ``limits`` and
``pdfspec`` are shared by all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from werkbladen.errors import (
    AnswerError,
    ContentError,
    DamagedError,
    EncryptedError,
    FlattenedError,
    NotAFormError,
    NotAWerkbladError,
    OutputError,
    ReadError,
    TooLargeError,
    UnsupportedError,
    WerkbladenError,
)
from werkbladen.limits import DEFAULT_LIMITS, Limits
from werkbladen.reader.extraction import ExtractResult, extract, read_raw

if TYPE_CHECKING:
    from werkbladen.content.loader import load_werkboek, shipped_werkboek
    from werkbladen.content.model import Werkboek
    from werkbladen.export import write_records
    from werkbladen.filling.prefill import fill
    from werkbladen.layout import build

_LAZY = {
    "fill": "werkbladen.filling.prefill",
    "build": "werkbladen.layout",
    "write_records": "werkbladen.export",
    "load_werkboek": "werkbladen.content.loader",
    "shipped_werkboek": "werkbladen.content.loader",
    "Werkboek": "werkbladen.content.model",
}

__all__ = [
    "DEFAULT_LIMITS",
    "AnswerError",
    "ContentError",
    "DamagedError",
    "EncryptedError",
    "ExtractResult",
    "FlattenedError",
    "Limits",
    "NotAFormError",
    "NotAWerkbladError",
    "OutputError",
    "ReadError",
    "TooLargeError",
    "UnsupportedError",
    "WerkbladenError",
    "Werkboek",
    "build",
    "extract",
    "fill",
    "load_werkboek",
    "read_raw",
    "shipped_werkboek",
    "write_records",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
