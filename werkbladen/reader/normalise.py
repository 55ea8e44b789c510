"""Raw PDF values to plain Python, exactly per the table in DESIGN.md, for either object model.

What different viewers write for the same answer differs: PDFium stores ``\\r\\n``, pypdf writes
a radio value as the string ``"/4"``, pdftk writes a choice as a one-element array, some
viewers leave ``/V`` out and only switch a widget's ``/AS``. Everything here turns those into
one value, and everything that is not text is named by its type rather than guessed at.

The rules are written once, against the *kind* of a value (``text``, ``name``, ``int`` …), so
that pypdf's objects and the scanner's plain ones (:mod:`.lexer`) are read by the same code;
a :class:`Model` says how to resolve a reference and tell a value's kind in each.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from werkbladen.pdfspec import OFF, Key
from werkbladen.reader.rawform import lines

Warn = Callable[[str], None]

_TYPE_NAMES = {
    "bool": "ja/nee-waarde",
    "int": "getal",
    "real": "getal",
    "name": "naam",
    "text": "tekst",
    "bytes": "reeks bytes",
    "stream": "datastroom (stream)",
    "dict": "woordenboek (dictionary)",
    "array": "lijst (array)",
}
"""PDF types as a message names them: ``een getal`` (the PDF's own word in brackets where it helps)."""


class Model:
    """How one object model resolves, tells apart and identifies values.

    ``kind`` answers ``null``, ``bool``, ``int``, ``real``, ``name``, ``text`` (a decoded text
    string), ``bytes`` (a string that is no PDF text string), ``stream``, ``dict``, ``array`` or
    ``other``. ``key`` gives a node's identity for loop detection: its object number when it was
    reached through a reference. ``stream_data`` decodes a stream (pypdf's model only).
    """

    __slots__ = ("key", "kind", "resolve", "stream_data")

    def __init__(
        self,
        resolve: Callable[[Any], Any],
        kind: Callable[[Any], str],
        key: Callable[[Any, Any], Hashable],
        stream_data: Callable[[Any], bytes] | None = None,
    ) -> None:
        self.resolve, self.kind, self.key, self.stream_data = resolve, kind, key, stream_data

    def type_name(self, obj: Any) -> str:
        """A PDF type name for messages: ``getal``, ``woordenboek (dictionary)`` …"""
        return _TYPE_NAMES.get(self.kind(obj), type(obj).__name__)

    def text_value(self, value: Any, warn: Warn) -> str | None:
        """A text field's ``/V`` as the exact Unicode typed; ``None`` when empty or absent."""
        value = self.resolve(value)
        kind = self.kind(value)
        if kind == "null":
            return None
        if kind == "text":
            text = str(value)
        elif kind == "bytes":
            text = decode_bytes(bytes(value), warn)
        elif kind == "stream" and self.stream_data is not None:
            # ISO 32000-2, 12.7.5.3: a text field's value may be a text stream.
            text = decode_bytes(self.stream_data(value), warn)
        elif kind == "name":
            warn(f"de waarde is een naam ({value}), gelezen als tekst")
            text = str(value)[1:]
        elif kind in ("int", "real", "bool"):
            warn(f"de waarde is een {self.type_name(value)} ({value}), gelezen als tekst")
            text = str(value).lower() if kind == "bool" else str(value)
        elif kind == "array" and all(self.kind(self.resolve(v)) == "text" for v in value):
            warn("de waarde is een lijst van teksten, gelezen als één tekst per regel")
            text = "\n".join(str(self.resolve(v)) for v in value)
        else:
            warn(f"de waarde is een {self.type_name(value)}, geen tekst; genegeerd")
            return None
        return lines(text) or None

    def state_name(self, value: Any) -> str | None:
        """``/4``, ``"/4"`` or ``"4"`` → ``"4"``; ``/Off`` and empty → ``None``."""
        value = self.resolve(value)
        kind = self.kind(value)
        if kind == "name":
            text = str(value)[1:]
        elif kind == "text" or kind == "bytes":
            text = str(value) if kind == "text" else bytes(value).decode("latin-1")
            text = text.removeprefix("/")
        else:
            return None
        return None if text in ("", OFF) else text

    def button_state(self, value: Any, widgets: Iterable[dict[str, Any]], warn: Warn) -> str | None:
        """The selected on-state of a checkbox or radio group: ``/V``, else the widgets' ``/AS``."""
        value = self.resolve(value)
        kind = self.kind(value)
        if kind != "null":
            if kind in ("name", "text", "bytes"):
                return self.state_name(value)
            warn(
                f"de waarde is een {self.type_name(value)}, geen naam van een stand; de standen van de "
                "vakjes zelf zijn gebruikt"
            )
        for widget in widgets:
            state = self.state_name(widget.get(Key.AS))
            if state is not None:
                return state
        return None

    def choice_value(self, value: Any, warn: Warn) -> str | list[str] | None:
        """A choice field's ``/V``: a string, or a one-element array (pdftk) → the string."""
        value = self.resolve(value)
        if self.kind(value) == "array":
            items = [t for t in (self.text_value(v, warn) for v in value) if t is not None]
            if not items:
                return None
            return items[0] if len(items) == 1 else items
        return self.text_value(value, warn)

    def export_value(self, state: str | None, opt: Any, widgets: list[dict[str, Any]]) -> str | None:
        """With /Opt, a button's state names may be widget positions: map them to the export value.

        ISO 32000-2, 12.7.5.2.4: ``/Opt`` holds one export value per widget. The widget whose
        appearance has the state says which position is meant, so "/1" is never misread.
        """
        opt = self.resolve(opt)
        if state is None or self.kind(opt) != "array":
            return state
        for index, widget in enumerate(widgets):
            ap = self.resolve(widget.get(Key.AP))
            normal = self.resolve(ap.get(Key.N)) if isinstance(ap, dict) else None
            if isinstance(normal, dict) and f"/{state}" in normal and index < len(opt):
                value = self.resolve(opt[index])
                if self.kind(value) == "text":
                    return str(value)
        return state


def decode_bytes(data: bytes, warn: Warn) -> str:
    """Bytes pypdf could not read as a PDF text string: a BOM, else UTF-8, PDFDocEncoding, CP1252."""
    from pypdf.generic import TextStringObject, create_string_object

    if data.startswith((codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF8)):
        try:
            return str(create_string_object(data))
        except UnicodeDecodeError:
            warn(
                "de tekst begint met een bytevolgordeteken, maar is geen geldige UTF-16; gelezen als "
                "Windows-1252, controleer hem"
            )
            return data.decode("cp1252", errors="replace")
    try:
        text = data.decode("utf-8")
        if not text.isascii():
            warn("de tekst is UTF-8 zonder bytevolgordeteken; gelezen als UTF-8")
        return text
    except UnicodeDecodeError:
        pass
    try:
        decoded: object = create_string_object(data)
    except UnicodeDecodeError:
        decoded = None
    if isinstance(decoded, TextStringObject):
        return str(decoded)
    warn("de tekst staat in geen enkele tekstcodering van PDF; gelezen als Windows-1252, controleer hem")
    return data.decode("cp1252", errors="replace")
