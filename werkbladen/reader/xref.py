"""The pypdf-free path's document level: a classic cross-reference table, objects by number.

Regular files — ReportLab's, and the incremental saves that pypdf, PDFium and pdftk append to
them — have classic xref tables and plain objects. :class:`Document` reads those lazily and
falls back (:class:`~.lexer.Fallback`) on anything pypdf would read otherwise: an xref stream,
encryption, a damaged tail, an entry whose object header does not match, a stream where a plain
value should be. :func:`read` walks the form with the one walker in strict mode.
"""

from __future__ import annotations

import re
from operator import add
from typing import Any

from werkbladen.limits import Limits
from werkbladen.pdfspec import CATALOG, Key
from werkbladen.reader.identify import DocInfo, document_info
from werkbladen.reader.lexer import (
    ENDOBJ,
    OBJ_HEADER,
    SKIP_WS,
    WS,
    Fallback,
    Name,
    Ref,
    Scanner,
    Template,
    Text,
)
from werkbladen.reader.normalise import Model
from werkbladen.reader.rawform import RawForm
from werkbladen.reader.walker import fall_back, walk_form

_XREF_SUBSECTION = re.compile(rb"(\d{1,10}) (\d{1,10})[" + WS + rb"]*")
_XREF_ENTRIES = re.compile(rb"(?:\d{10} \d{5} [nf](?: \r| \n|\r\n))*+")
"""A run of entries, each exactly 20 bytes."""
_DIGITS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15)


def _entries(table: bytes, count: int) -> bool:
    """Whether ``table`` is ``count`` entries ``OOOOOOOOOO GGGGG t`` ending in `` \n`` or `` \r``.

    What :data:`_XREF_ENTRIES` matches, column by column (a few C calls, not a step per byte);
    False leaves it to the expression (the ``\r\n`` ending too).
    """
    if not count:
        return True
    columns = [table[k::20] for k in _DIGITS]
    return (
        all(c.isdigit() for c in columns)
        and table[10::20].count(b" ") == count
        and table[16::20].count(b" ") == count
        and table[18::20].count(b" ") == count
        and table[17::20].count(b"n") + table[17::20].count(b"f") == count
        and table[19::20].count(b"\n") + table[19::20].count(b"\r") == count
    )


_DELIMITERS = frozenset(b"\x00\t\n\x0c\r ()<>[]{}/%")
"""Whitespace and delimiters: the bytes that end a name or a number."""
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
_HITS: set[bytes] = set()
"""The keys of :data:`_PARSED` read again since it was last full: what it keeps when it is full again.

A batch of distinct forms brings a few hundred objects of their own per file (the filled
widgets), which no later file repeats; clearing the cache for them would drop the blank's
objects, which every file repeats.
"""

_HEADERS: list[bytes] = []


def _header(num: int) -> bytes:
    """``b"N 0 obj"``, made once per number."""
    if num < len(_HEADERS):
        return _HEADERS[num]
    if num > 100_000:
        return b"%d 0 obj" % num
    _HEADERS.extend(b"%d 0 obj" % n for n in range(len(_HEADERS), num + 1))
    return _HEADERS[num]


_TEMPLATES: dict[tuple[bytes, int, int], list[Template]] = {}
"""Objects read before, as templates for the fields of the next file (:meth:`.Scanner.guided`).

Keyed by the object's :data:`_SIGNATURE` (its field name, as this writer writes it) and the
nesting and size caps it was read under; a few per key, the latest first, as a batch
mixes the ways several programs write one field. The key only chooses what is tried: a
template's pairs are taken over only where the bytes are the same.
"""
_TEMPLATES_MAX = 2048
_TEMPLATES_PER_KEY = 2


def _remember(key: bytes, value: Any) -> None:
    if len(_PARSED) >= _PARSED_MAX:
        kept = {k: _PARSED[k] for k in _HITS if k in _PARSED} if len(_HITS) < _PARSED_MAX // 2 else {}
        _PARSED.clear()
        _PARSED.update(kept)
        _HITS.clear()
    _PARSED[key] = value


_SIGNATURE = re.compile(
    rb"/(?:T|Rect|StructParents)(?=[" + WS + rb"()<>\[\]{}/%])[" + WS + rb"]*+"
    rb"(?:\([^)]{0,64}\)?|<[^>]{0,128}>?|\[[^\]]{0,96}\]?|[0-9.+-]{0,20})"
)
"""What tells an object from the others of its file: a field's name, a widget's or a link's
rectangle (a radio button has no name of its own), a tagged page's place in the structure tree;
the first of them, with its value (cut short) and nothing after it."""


def _signature(body: bytes) -> bytes | None:
    """The object's :data:`_SIGNATURE`, or None when it has none."""
    m = _SIGNATURE.search(body)
    return m[0] if m is not None else None


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
        self.starts = self._headers()

    def _headers(self) -> dict[int, int]:
        """Where each entry's object begins after its header, every header checked.

        Most headers are written ``N 0 obj`` and a delimiter: those are compared all at once
        (``map`` over C methods), the others matched one by one with :data:`OBJ_HEADER`.
        """
        data = self.data
        nums = list(self.offsets)
        offsets = list(self.offsets.values())
        highest = max(nums, default=0)
        _header(highest)  # makes them all, up to the highest number
        headers = list(map(_HEADERS.__getitem__ if highest < len(_HEADERS) else _header, nums))
        ends = list(map(add, offsets, map(len, headers)))
        plain = all(map(data.startswith, headers, offsets))
        if plain and max(ends, default=0) < len(data):
            plain = _DELIMITERS.issuperset(map(data.__getitem__, ends))
        if plain:
            return dict(zip(nums, ends, strict=True))
        starts = {}
        header = OBJ_HEADER.match
        for num, offset in zip(nums, offsets, strict=True):
            m = header(data, offset)
            if m is None or int(m[1]) != num or m[2] != b"0":
                raise Fallback  # pypdf would drop or repair the entry
            starts[num] = m.end()
        return starts

    def _table(self, pos: int) -> int | None:
        data = self.data
        if data[pos : pos + 4] != b"xref":
            raise Fallback  # an xref stream, or a wrong pointer
        pos += 4
        while data[pos : pos + 1] in (b"\r", b"\n", b" ", b"\t"):
            pos += 1
        first = True
        offsets = self.offsets
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
            end = pos + 20 * count
            if end > len(data):
                raise Fallback
            table = data[pos:end]
            if not _entries(table, count) and _XREF_ENTRIES.match(data, pos, end).end() != end:  # type: ignore[union-attr]
                raise Fallback  # an entry that is not 20 bytes of digits, type and end of line
            kinds = table[17::20]
            if table.count(b" 00000 n") != kinds.count(b"n"):
                raise Fallback  # an object in use with a generation other than 0
            fields = table.split()  # offset, generation, type: three words an entry
            found = dict(zip(range(num, num + count), map(int, fields[0::3]), strict=True))
            free = kinds.find(b"f")
            while free >= 0:
                del found[num + free]
                free = kinds.find(b"f", free + 1)
            for number in found.keys() & offsets.keys():
                found[number] = offsets[number]  # a later save's entry stays
            offsets.update(found)
            num += count
            pos = end
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
        start = self.starts.get(num)
        if start is None or ref.gen != 0:
            raise Fallback
        data = self.data
        end = data.find(b"endobj", start)
        key = data[start : end + 7] if end >= 0 else None
        value = _PARSED.get(key) if key is not None else None
        if value is not None:
            _HITS.add(key)  # type: ignore[arg-type]
        else:
            signature = _signature(key) if key is not None else None
            if signature is None:
                value, pos = self.scanner.toplevel(start)
            else:
                scanner = self.scanner
                slot = (signature, scanner.max_depth, scanner.max_items)
                templates = _TEMPLATES.get(slot)
                value, pos, made = scanner.guided(start, templates or [])
                if made is not None:
                    if templates is None:
                        if len(_TEMPLATES) >= _TEMPLATES_MAX:
                            _TEMPLATES.clear()
                        templates = _TEMPLATES[slot] = []
                    templates.insert(0, made)
                    del templates[_TEMPLATES_PER_KEY:]
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
