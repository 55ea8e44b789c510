"""A quicker serialiser for the form widgets' dictionaries, byte for byte ReportLab's own.

Serialising is a third of a build's render time, and the widget annotations are half of it:
ReportLab formats every key of every dictionary through a generic dispatcher (a name is
escaped character by character, then encoded through a codec looked up by name). Here the
plain containers of a widget (dictionaries, arrays, references, names, numbers) take a
direct path with the name bytes memoised; every other object (strings, streams, anything
new) still goes through ReportLab's ``format``, so the bytes cannot differ.
"""

from __future__ import annotations

from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFObjectReference

_NAMES: dict[str, bytes] = {}


def _name(key: str) -> bytes:
    """The bytes of ``/key`` as ReportLab writes a dictionary key."""
    data = _NAMES.get(key)
    if data is None:
        data = _NAMES[key] = pdfdoc.pdfdocEnc(pdfdoc.PDFName(key))
    return data


def _format(element: Any, document: Any) -> bytes:
    kind = type(element)
    if kind is PDFDictionary or kind is WidgetDictionary:
        return _dictionary(element, document)
    if kind is PDFArray:
        return _array(element, document)
    if kind is PDFObjectReference:
        number_version = document.idToObjectNumberAndVersion.get(element.name)
        if number_version is not None:  # else ReportLab's own error below
            return f"{number_version[0]} {number_version[1]} R".encode("ascii")
    elif kind is str:
        text: str = element
        if text.isascii() and text.isprintable():  # where the PDFDocEncoding is ASCII
            return text.encode("ascii")
    elif kind is int or kind is float:
        return fp_str(element).encode("ascii")  # type: ignore[no-any-return]
    elif kind is bytes:
        return element  # type: ignore[no-any-return]
    result: bytes = pdfdoc.format(element, document)
    return result


def _multiline(obj: Any) -> bool:
    return bool((obj.multiline and rl_config.pdfMultiLine) or obj.multiline == "forced")


def _dictionary(obj: Any, document: Any) -> bytes:
    entries = obj.dict
    keys = list(entries.keys())
    if type(entries) is dict:  # ReportLab sorts all but an OrderedDict
        keys.sort()
    parts = [_name(k) + b" " + _format(entries[k], document) for k in keys]
    if _multiline(obj):
        body = b"\n ".join(parts)
    else:
        for i in reversed(range(6, len(parts), 6)):
            parts.insert(i, b"\n ")
        body = b" ".join(parts)
    return b"<<\n" + body + b"\n>>"


def _array(obj: Any, document: Any) -> bytes:
    parts = [_format(e, document) for e in obj.sequence]
    if _multiline(obj):
        body = b"\n ".join(parts)
    else:
        for i in reversed(range(10, len(parts), 10)):
            parts.insert(i, b"\n ")
        body = b" ".join(parts)
    return b"[ " + body + b" ]"


class WidgetDictionary(PDFDictionary):  # type: ignore[misc]
    """A widget annotation's dictionary, serialised by the direct path above."""

    def format(self, document: Any) -> bytes:
        if rl_config.pdfComments and not rl_config.invariant:  # comments: ReportLab's path
            result: bytes = super().format(document)
            return result
        return _dictionary(self, document)
