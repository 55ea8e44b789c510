"""Raw PDF values to plain Python, exactly per the table in DESIGN.md.

What different viewers write for the same answer differs: PDFium stores ``\\r\\n``, pypdf writes
a radio value as the string ``"/4"``, pdftk writes a choice as a one-element array, some
viewers leave ``/V`` out and only switch a widget's ``/AS``. Everything here turns those into
one value, and everything that is not text is named by its type rather than guessed at.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable
from typing import Any

from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
    create_string_object,
)

from werkbladen.reader.rawform import lines

Warn = Callable[[str], None]

OFF = "Off"
"""The off-state name of checkboxes and radio buttons (ISO 32000-2, 12.7.5.2.3)."""


def resolve(obj: Any) -> Any:
    """The object behind an indirect reference (pypdf returns NullObject or None for a bad one)."""
    if isinstance(obj, IndirectObject):
        obj = obj.get_object()
    return None if isinstance(obj, NullObject) else obj


def type_name(obj: Any) -> str:
    """A PDF type name for messages: ``number``, ``dictionary`` …"""
    for cls, name in _TYPE_NAMES:
        if isinstance(obj, cls):
            return name
    return type(obj).__name__


_TYPE_NAMES: tuple[tuple[type, str], ...] = (
    (BooleanObject, "boolean"),
    (NumberObject, "number"),
    (FloatObject, "number"),
    (NameObject, "name"),
    (TextStringObject, "text string"),
    (ByteStringObject, "byte string"),
    (StreamObject, "stream"),
    (DictionaryObject, "dictionary"),
    (ArrayObject, "array"),
)


def text_value(value: Any, warn: Warn) -> str | None:
    """A text field's ``/V`` as the exact Unicode typed; ``None`` when empty or absent."""
    value = resolve(value)
    if value is None:
        return None
    if isinstance(value, TextStringObject):
        text = str(value)
    elif isinstance(value, ByteStringObject):
        text = decode_bytes(bytes(value), warn)
    elif isinstance(value, StreamObject):
        # ISO 32000-2, 12.7.5.3: a text field's value may be a text stream.
        text = decode_bytes(value.get_data(), warn)
    elif isinstance(value, NameObject):
        warn(f"the value is a name ({value}), read as text")
        text = str(value)[1:]
    elif isinstance(value, (NumberObject, FloatObject, BooleanObject)):
        warn(f"the value is a {type_name(value)} ({value}), read as text")
        text = str(value).lower() if isinstance(value, BooleanObject) else str(value)
    elif isinstance(value, ArrayObject) and all(isinstance(resolve(v), TextStringObject) for v in value):
        warn("the value is an array of texts, read as one text per line")
        text = "\n".join(str(resolve(v)) for v in value)
    else:
        warn(f"the value is a {type_name(value)}, not text; ignored")
        return None
    return lines(text) or None


def decode_bytes(data: bytes, warn: Warn) -> str:
    """Bytes pypdf could not read as a PDF text string: a BOM, else UTF-8, PDFDocEncoding, CP1252."""
    if data.startswith((codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF8)):
        try:
            return str(create_string_object(data))
        except UnicodeDecodeError:
            warn("the text has a byte order mark but is not valid UTF-16; read as Windows-1252, check it")
            return data.decode("cp1252", errors="replace")
    try:
        text = data.decode("utf-8")
        if not text.isascii():
            warn("the text is UTF-8 without a byte order mark; read as UTF-8")
        return text
    except UnicodeDecodeError:
        pass
    try:
        decoded: object = create_string_object(data)
    except UnicodeDecodeError:
        decoded = None
    if isinstance(decoded, TextStringObject):
        return str(decoded)
    warn("the text is in no PDF text encoding; read as Windows-1252, check it")
    return data.decode("cp1252", errors="replace")


def state_name(value: Any) -> str | None:
    """``/4``, ``"/4"`` or ``"4"`` → ``"4"``; ``/Off`` and empty → ``None``."""
    value = resolve(value)
    if isinstance(value, NameObject):
        text = str(value)[1:]
    elif isinstance(value, (TextStringObject, ByteStringObject)):
        text = str(value) if isinstance(value, TextStringObject) else bytes(value).decode("latin-1")
        text = text.removeprefix("/")
    else:
        return None
    return None if text in ("", OFF) else text


def button_state(value: Any, widgets: Iterable[DictionaryObject], warn: Warn) -> str | None:
    """The selected on-state of a checkbox or radio group: ``/V``, else the widgets' ``/AS``."""
    value = resolve(value)
    if value is not None:
        if isinstance(value, (NameObject, TextStringObject, ByteStringObject)):
            return state_name(value)
        warn(f"the value is a {type_name(value)}, not a state name; the widgets' states are used")
    for widget in widgets:
        state = state_name(widget.get("/AS"))
        if state is not None:
            return state
    return None


def choice_value(value: Any, warn: Warn) -> str | list[str] | None:
    """A choice field's ``/V``: a string, or a one-element array (pdftk) → the string."""
    value = resolve(value)
    if isinstance(value, ArrayObject):
        items = [t for t in (text_value(v, warn) for v in value) if t is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else items
    return text_value(value, warn)
