"""Fillable PDF werkbladen for the NJi stappenplan, and their answers back as data.

The public API is what ``__all__`` lists. Importing the package stays light: pypdf is loaded
when the first PDF is read, ReportLab only when PDFs are built.
"""

from __future__ import annotations

from werkbladen.errors import (
    AnswerError,
    ContentError,
    DamagedError,
    EncryptedError,
    FlattenedError,
    NotAFormError,
    NotAWerkbladError,
    ReadError,
    TooLargeError,
    UnsupportedError,
    WerkbladenError,
)
from werkbladen.extract import ExtractResult, extract, read_raw
from werkbladen.limits import DEFAULT_LIMITS, Limits
from werkbladen.loader import load_werkboek, shipped_werkboek
from werkbladen.model import Werkboek

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
    "ReadError",
    "TooLargeError",
    "UnsupportedError",
    "WerkbladenError",
    "Werkboek",
    "extract",
    "load_werkboek",
    "read_raw",
    "shipped_werkboek",
]
