"""The pypdf-free path's document level: a classic cross-reference table, objects by number.

Regular files — ReportLab's, and the incremental saves that pypdf, PDFium and pdftk append to
them — have classic xref tables and plain objects. :class:`Document` reads those lazily and
falls back (:class:`~.lexer.Fallback`) on anything pypdf would read otherwise: an xref stream,
encryption, a damaged tail, an entry whose object header does not match, a stream where a plain
value should be. :func:`read` walks the form with the one walker in strict mode.
"""

from __future__ import annotations

import re
from typing import Any

from werkbladen.limits import Limits
from werkbladen.pdfspec import CATALOG, Key
from werkbladen.reader.identify import DocInfo, document_info
from werkbladen.reader.lexer import ENDOBJ, OBJ_HEADER, SKIP_WS, WS, Fallback, Name, Ref, Scanner, Text
from werkbladen.reader.normalise import Model
from werkbladen.reader.rawform import RawForm
from werkbladen.reader.walker import fall_back, walk_form

_XREF_SUBSECTION = re.compile(rb"(\d{1,10}) (\d{1,10})[" + WS + rb"]*")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)")
_TRAILER = re.compile(rb"[" + WS + rb"]*trailer" + SKIP_WS + rb"<<", re.DOTALL)
_STARTXREF = re.compile(rb"startxref[" + WS + rb"]+(\d{1,10})[" + WS + rb"]+%%EOF[" + WS + rb"]*\Z")


_PARSED: dict[bytes, Any] = {}
"""Parsed objects by their bytes, up to and including the first ``endobj`` and the byte after it.

Forms filled from one blank share most objects byte for byte (incremental saves keep them
verbatim), so a batch worker parses each distinct object once. An object is remembered only when
its value ended at that first ``endobj``, so equal keys mean an equal parse. The values are never
mutated by the walk.
"""
_PARSED_MAX = 8192


def _remember(key: bytes, value: Any) -> None:
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[key] = value


class Document:
    """A classic-xref PDF read lazily from its bytes, for the walk."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.data = data
        self.scanner = Scanner(data, limits)
        self.offsets: dict[int, int] = {}
        self.cache: dict[int, Any] = {}
        self.trailer: dict[str, Any] = {}
        if not data.startswith(b"%PDF-"):
            raise Fallback
        tail = _STARTXREF.search(data, max(0, len(data) - 64))
        if tail is None:
            raise Fallback
        start: int | None = int(tail[1])
        seen: set[int] = set()
        while start is not None:
            if start in seen or start <= 0 or data[start - 1 : start] not in (b"\r", b"\n", b" ", b"\t"):
                raise Fallback
            seen.add(start)
            start = self._table(start)
        if Key.ENCRYPT in self.trailer or Key.XREF_STM in self.trailer:
            raise Fallback
        header = OBJ_HEADER.match
        for num, offset in self.offsets.items():
            m = header(data, offset)
            if m is None or int(m[1]) != num or m[2] != b"0":
                raise Fallback  # pypdf would drop or repair the entry

    def _table(self, pos: int) -> int | None:
        data = self.data
        if data[pos : pos + 4] != b"xref":
            raise Fallback  # an xref stream, or a wrong pointer
        pos += 4
        while data[pos : pos + 1] in (b"\r", b"\n", b" ", b"\t"):
            pos += 1
        first = True
        offsets = self.offsets
        entry = _XREF_ENTRY.match
        while True:
            sub = _XREF_SUBSECTION.match(data, pos)
            if sub is None:
                break
            num, count = int(sub[1]), int(sub[2])
            # A table that does not start at 0 (pdf.js's incremental saves) is what pypdf may
            # renumber; it leaves it alone when every entry's object header matches its number,
            # which __init__ checks for every entry, falling back otherwise.
            first = False
            pos = sub.end()
            for _ in range(count):
                e = entry(data, pos)
                if e is None:
                    raise Fallback
                pos = e.end()
                if e[3] == b"n":
                    if e[2] != b"00000":
                        raise Fallback
                    offsets.setdefault(num, int(e[1]))
                num += 1
        if first:
            raise Fallback
        t = _TRAILER.match(data, pos)
        if t is None:
            raise Fallback
        trailer, _ = self.scanner.dictionary(t.end())
        for key, value in trailer.items():
            self.trailer.setdefault(key, value)
        prev = trailer.get(Key.PREV)
        if prev is None and Key.PREV not in trailer:
            return None
        if type(prev) is not int or prev <= 0:
            raise Fallback
        return prev

    def get(self, ref: Ref) -> Any:
        num = ref.num
        if num in self.cache:
            return self.cache[num]
        offset = self.offsets.get(num)
        if offset is None or ref.gen != 0:
            raise Fallback
        data = self.data
        m = OBJ_HEADER.match(data, offset)
        assert m is not None  # checked for every entry when the xref was read
        start = m.end()
        end = data.find(b"endobj", start)
        key = data[start : end + 7] if end >= 0 else None
        value = _PARSED.get(key) if key is not None else None
        if value is None:
            value, pos = self.scanner.toplevel(start)
            found = ENDOBJ.match(data, pos)
            if found is None:
                raise Fallback  # a stream, or something after the value
            if key is not None and found.end() <= end + 7:
                _remember(key, value)
        self.cache[num] = value
        return value

    def resolve(self, value: Any) -> Any:
        return self.get(value) if type(value) is Ref else value


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), "other")


_KINDS: dict[type, str] = {
    Text: "text",
    Name: "name",
    int: "int",
    float: "real",
    bool: "bool",
    dict: "dict",
    list: "array",
    type(None): "null",
}


def read(data: bytes, limits: Limits) -> tuple[RawForm, DocInfo]:
    """The form and the document information of a regular PDF; :class:`Fallback` if not."""
    try:
        doc = Document(data, limits)
        model = Model(resolve=doc.resolve, kind=_kind, key=_key)
        root = doc.resolve(doc.trailer.get(Key.ROOT))
        if type(root) is not dict or root.get(Key.TYPE) != CATALOG:
            raise Fallback
        form = walk_form(root, model, limits, strict=True)
        info = document_info(doc.resolve(doc.trailer.get(Key.INFO)), model, fall_back)
    except Fallback:
        raise
    except Exception:  # RecursionError and MemoryError included
        # Whatever surprised the scanner is pypdf's to read (and to name, if it is broken).
        raise Fallback from None
    return form, info


def _key(raw: Any, obj: Any) -> Any:
    return raw if type(raw) is Ref else id(obj)
