"""A fast path for pypdf's object parser, for the plain objects a form is made of.

pypdf reads objects a byte at a time; a filled werkboek (a few hundred field and widget
dictionaries, each with a tooltip) costs it ~60 ms, which would cap a batch far below its
target. This parser reads one indirect object with a single regular expression and an explicit
stack, builds the same pypdf generic objects, and puts them into pypdf's own cache, so that
everything else (pypdf included) sees exactly what pypdf would have made.

It is deliberately narrow: an uncompressed object (not in an object stream), in a document that
is not encrypted, whose header matches its xref entry, made only of dictionaries, arrays,
names, numbers, strings, booleans, null and references, ending in ``endobj``. Anything else,
and any surprise (a stream, a duplicate key, a lone ``>``, nesting past the limit) returns None
and pypdf parses the object as usual. No guess is ever made.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    create_string_object,
)

from werkbladen.reader.lean import TOKEN, Fallback, string_bytes

_WS = rb"\x00\t\n\x0c\r "
_HEADER = re.compile(rb"[" + _WS + rb"]*(\d{1,10})[" + _WS + rb"]+(\d{1,5})[" + _WS + rb"]+obj")
_END = re.compile(rb"(?:[" + _WS + rb"]+|%[^\r\n]*)*endobj")
_HEX_WS = re.compile(rb"[" + _WS + rb"]+")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_MAX_DEPTH = 32
_MAX_ITEMS = 10_000


_Fallback = Fallback


_NAMES: dict[bytes, NameObject] = {}
"""Names repeat (``/Type``, ``/Annot``, ``/Rect`` …); they are immutable, so one object serves all."""


def _name(raw: bytes) -> NameObject:
    name = _NAMES.get(raw)
    if name is not None:
        return name
    text = _NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), raw) if b"#" in raw else raw
    try:
        name = NameObject(text.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Fallback from None
    if len(_NAMES) < 4096:
        _NAMES[raw] = name
    return name


def _parse(data: bytes, pos: int, pdf: PdfReader) -> tuple[Any, int]:
    stack: list[list[Any]] = []  # [container, pending dictionary key]
    items = 0
    match = TOKEN.match
    while True:
        m = match(data, pos)
        if m is None:
            raise _Fallback
        pos = m.end()
        kind = m.lastgroup
        token = m[kind] if kind else b""
        value: Any
        if kind == "name":
            value = _name(token)
        elif kind == "num":
            value = FloatObject(token.decode()) if b"." in token else NumberObject(int(token))
        elif kind == "ref":
            value = IndirectObject(int(m["idnum"]), int(m["gen"]), pdf)
        elif kind == "str":
            value = create_string_object(string_bytes(token))
        elif kind == "dopen" or kind == "aopen":
            if len(stack) >= _MAX_DEPTH:
                raise _Fallback
            stack.append([DictionaryObject() if kind == "dopen" else ArrayObject(), None])
            continue
        elif kind == "dclose" or kind == "aclose":
            if not stack:
                raise _Fallback
            container, pending = stack.pop()
            if pending is not None or isinstance(container, DictionaryObject) != (kind == "dclose"):
                raise _Fallback
            value = container
        elif kind == "hex":
            value = create_string_object(string_bytes(token))
        elif kind == "kw":
            value = NullObject() if token == b"null" else BooleanObject(token == b"true")
        else:  # pragma: no cover - every alternative is named
            raise _Fallback
        if not stack:
            if isinstance(value, NameObject):
                value = NameObject(str(value))  # a top-level object gets attributes: not a shared one
            return value, pos
        items += 1
        if items > _MAX_ITEMS:
            raise _Fallback
        top = stack[-1]
        container = top[0]
        if isinstance(container, ArrayObject):
            container.append(value)
        elif top[1] is None:
            if not isinstance(value, NameObject):
                raise _Fallback
            top[1] = value
        else:
            if top[1] in container:
                raise _Fallback  # pypdf has its own rule for repeated keys
            container[top[1]] = value
            top[1] = None


class FastObjects:
    """Resolves indirect references of one reader, parsing plain objects itself."""

    def __init__(self, reader: PdfReader, data: bytes) -> None:
        self.reader = reader
        self.data = data
        self.enabled = not reader.is_encrypted
        self.hits = 0

    def resolve(self, obj: Any) -> Any:
        """Like :func:`werkbladen.reader.normalise.resolve`, faster for plain objects."""
        if isinstance(obj, IndirectObject) and self.enabled and obj.pdf is self.reader:
            fetched = self._fetch(obj.idnum, obj.generation)
            if fetched is not None:
                obj = fetched
        if isinstance(obj, IndirectObject):
            obj = obj.get_object()
        return None if isinstance(obj, NullObject) else obj

    def _fetch(self, idnum: int, generation: int) -> Any:
        reader = self.reader
        key = (generation, idnum)
        if key in reader.resolved_objects:
            return reader.resolved_objects[key]
        if generation == 0 and idnum in reader.xref_objStm:
            return None
        offset = reader.xref.get(generation, {}).get(idnum)
        if not isinstance(offset, int) or not 0 <= offset < len(self.data):
            return None
        header = _HEADER.match(self.data, offset)
        if header is None or int(header[1]) != idnum or int(header[2]) != generation:
            return None
        try:
            value, pos = _parse(self.data, header.end(), reader)
        except (_Fallback, ValueError, OverflowError):
            return None
        if _END.match(self.data, pos) is None:
            return None  # a stream, or something after the value: pypdf's job
        reader.cache_indirect_object(generation, idnum, value)
        self.hits += 1
        return value
