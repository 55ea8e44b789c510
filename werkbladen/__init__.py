"""Fillable PDF werkbladen for the NJi stappenplan, and their answers back as data.

The public API is what ``__all__`` lists. Importing the package stays light: each name is
the content model (pydantic, YAML) is imported on first use (PEP 562), pypdf only for what
the fast path cannot read, ReportLab only when PDFs are built.
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
    ReadError,
    TooLargeError,
    UnsupportedError,
    WerkbladenError,
)
from werkbladen.extract import ExtractResult, extract, read_raw
from werkbladen.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from werkbladen.loader import load_werkboek, shipped_werkboek
    from werkbladen.model import Werkboek

_LAZY = {
    "load_werkboek": "werkbladen.loader",
    "shipped_werkboek": "werkbladen.loader",
    "Werkboek": "werkbladen.model",
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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
