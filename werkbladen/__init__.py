"""Fillable PDF werkbladen for the NJi stappenplan, and their answers back as data.

The public API is what ``__all__`` lists. Importing the package stays light: ``extract`` and
the errors load no PDF or validation library until used; the rest is imported on first use
(PEP 562), so reading never loads ReportLab and building never loads the reader. No public
function shares its name with a submodule that is imported lazily: importing a submodule
rebinds the package attribute of its name (hence ``fill`` lives in ``werkbladen.prefill``).
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
from werkbladen.extract import ExtractResult, extract, read_raw  # light; and a module of the same name
from werkbladen.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from werkbladen.export import write_records
    from werkbladen.layout import build
    from werkbladen.loader import load_werkboek, shipped_werkboek
    from werkbladen.model import Werkboek
    from werkbladen.prefill import fill

_LAZY = {
    "fill": "werkbladen.prefill",
    "build": "werkbladen.layout",
    "write_records": "werkbladen.export",
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
