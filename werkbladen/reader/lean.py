"""The fast path: a regular filled form read without pypdf, or not at all.

A batch reads thousands of forms that all look alike: a classic cross-reference table (perhaps
with incremental saves), plain uncompressed objects, text strings, names. For those, this module
scans only what the walk needs (``/T /FT /Ff /V /Kids /AS`` …) straight from the bytes and skips
the rest (tooltips, rectangles, appearance dictionaries) without building objects; pypdf is not
even imported, which is most of a one-file run's cost.

It never guesses. Whatever pypdf would read differently, repair, warn about, or that the walk
in :mod:`.walk` would remark on — an xref stream, encryption, a damaged tail, a header that
does not match its xref entry, a duplicate key, an escape pypdf keeps, a value that is not a
plain string, name or number, a loop, a widget missing from ``/Fields``, an ``/Opt`` array —
raises :class:`Fallback`, and the caller reads the file with pypdf instead. Both paths give
the same :class:`~.walk.RawForm` (``tests/test_fastpath.py`` proves it over every form we have).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from werkbladen.limits import Limits
from werkbladen.naming import INFO_KEY
from werkbladen.reader.rawform import RawField, RawForm, lines

FF_RADIO = 1 << 15
FF_PUSHBUTTON = 1 << 16
"""Field flags, ISO 32000-2 Table 229 (bit positions are 1-based in the spec)."""


class Fallback(Exception):
    """Not a plain, regular file: read it with pypdf."""


class Name(str):
    """A PDF name, with its slash (``/Tx``)."""

    __slots__ = ()


class Ref(NamedTuple):
    num: int
    gen: int


class String(bytes):
    """A PDF string's bytes (escapes undone); decoded only when the walk uses it."""

    __slots__ = ()


PRESENT = object()
"""The value of a key whose presence is all the walk asks about (``/Contents``, ``/XFA``)."""

# --- lexical level (ISO 32000-2, 7.2 and 7.3) -----------------------------------------------------

_WS = rb"\x00\t\n\x0c\r "
_REG = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_END = rb"(?!" + _REG + rb")"
_SKIP_WS = rb"(?:[" + _WS + rb"]++|%[^\r\n]*+)*+"
_STRING = rb"\((?:[^()\\]++|\\.|\((?:[^()\\]++|\\.)*+\))*+\)"
"""A literal string; one level of balanced parentheses inside, as ReportLab writes ``(a (b) c)``."""
_HEX = rb"<[0-9A-Fa-f" + _WS + rb"]*+>"
_REF = rb"\d{1,10}[" + _WS + rb"]++\d{1,5}[" + _WS + rb"]++R" + _END
_NUM = rb"[+-]?(?:\d{1,20}(?:\.\d{0,20})?|\.\d{1,20})" + _END
_NAME = rb"/" + _REG + rb"{0,127}" + _END
_KW = rb"(?:true|false|null)" + _END
_ATOM = rb"(?:" + _REF + rb"|" + _NUM + rb"|" + _NAME + rb"|" + _STRING + rb"|" + _HEX + rb"|" + _KW + rb")"

TOKEN = re.compile(
    _SKIP_WS
    + rb"(?:(?P<ref>(?P<idnum>\d{1,10})["
    + _WS
    + rb"]++(?P<gen>\d{1,5})["
    + _WS
    + rb"]++R"
    + _END
    + rb")"
    rb"|(?P<num>" + _NUM + rb")|(?P<name>" + _NAME + rb")"
    rb"|(?P<dopen><<)|(?P<dclose>>>)|(?P<aopen>\[)|(?P<aclose>\])"
    rb"|(?P<str>" + _STRING + rb")|(?P<hex>" + _HEX + rb")|(?P<kw>" + _KW + rb"))",
    re.DOTALL,
)
"""One token after whitespace and comments; shared with :mod:`.fastparse`."""
_REF_ARRAY = re.compile(_SKIP_WS + rb"\[((?:" + _SKIP_WS + _REF + rb")*+)" + _SKIP_WS + rb"\]", re.DOTALL)
_REF_IN = re.compile(rb"(\d{1,10})[" + _WS + rb"]++(\d{1,5})")
_FLAT_ARRAY = rb"\[(?:" + _SKIP_WS + _ATOM + rb")*+" + _SKIP_WS + rb"\]"
_PAIR = re.compile(
    _SKIP_WS
    + rb"(?:("
    + _NAME
    + rb")"
    + _SKIP_WS
    + rb"(?:("
    + _ATOM
    + rb"|"
    + _FLAT_ARRAY
    + rb")|(?=<<|\[))|(>>))",
    re.DOTALL,
)
"""A key and a value that has no dictionary inside (else just the key), or the closing ``>>``."""
_VALUE1 = rb"(?:" + _ATOM + rb"|" + _FLAT_ARRAY + rb")"
_FLAT_DICT = re.compile(
    rb"<<(?:" + _SKIP_WS + _NAME + _SKIP_WS + _VALUE1 + rb")*+" + _SKIP_WS + rb">>", re.DOTALL
)
"""A dictionary with no dictionary inside (``/BS``, ``/MK``, an appearance's ``/N``)."""
_FLAT_PAIRS = re.compile(_SKIP_WS + rb"(" + _NAME + rb")" + _SKIP_WS + _VALUE1, re.DOTALL)
"""The keys of a flat dictionary's body, with ``findall``."""
_OPEN = re.compile(_SKIP_WS + rb"(<<|\[)", re.DOTALL)
_SKIP_FLAT = re.compile(_SKIP_WS + rb"(?:" + _ATOM + rb"|" + _FLAT_ARRAY + rb")", re.DOTALL)
_ARRAY_CLOSE = re.compile(_SKIP_WS + rb"\]", re.DOTALL)
_HEADER = re.compile(rb"(\d{1,10})[" + _WS + rb"]++(\d{1,5})[" + _WS + rb"]++obj" + _END)
_ENDOBJ = re.compile(_SKIP_WS + rb"endobj" + _END, re.DOTALL)
_HEX_WS = re.compile(rb"[" + _WS + rb"]+")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|[\r\n][\r\n]?|.)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"} | {
    bytes([c]): bytes([c]) for c in b"()/\\ %<>[]#_&$"
}
"""pypdf's escapes (``pypdf.generic._utils.__ESCAPE_DICT__``); others fall back."""
_MAX_DEPTH = 32
_MAX_ITEMS = 10_000


def _escape_table() -> dict[bytes, bytes]:
    table = dict(_ESCAPES)
    for value in range(256):
        for width in (1, 2, 3):
            code = f"{value:0{width}o}".encode()
            if len(code) == width:
                table.setdefault(code, bytes([value]))
    for eol in (b"\r", b"\n", b"\r\n", b"\n\r", b"\r\r", b"\n\n"):
        table[eol] = b""  # an escaped line break (pypdf takes up to two EOL bytes) continues the string
    return table


_ESCAPE_TABLE = _escape_table()


def unescape(m: re.Match[bytes]) -> bytes:
    """A literal string's escape, as pypdf reads it (ISO 32000-2, 7.3.4.2); odd ones fall back.

    Octal codes over 255 and unknown escapes (pypdf keeps the backslash and warns) are not in
    the table.
    """
    try:
        return _ESCAPE_TABLE[m[1]]
    except KeyError:
        raise Fallback from None


_UNLIKE_PYTHON = re.compile(rb"\\(?:[^0-7nrtbf\\]|[4-7][0-7]{2})", re.DOTALL)
"""An escape that Python's ``escape_decode`` reads otherwise than ISO 32000 (``\\(``, ``\\777``…)."""
_escape_decode: Callable[[bytes], tuple[bytes, int]] = codecs.escape_decode


def string_bytes(token: bytes) -> bytes:
    """The bytes of a literal ``(…)`` or hex ``<…>`` string token."""
    if token[:1] == b"(":
        raw = token[1:-1]
        if b"\\" not in raw:
            return raw
        if _UNLIKE_PYTHON.search(raw) is None:
            return _escape_decode(raw)[0]  # in C; the escapes left mean the same in Python and PDF
        return _ESCAPE.sub(unescape, raw)
    digits = _HEX_WS.sub(b"", token[1:-1])
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode())


# --- text strings (ISO 32000-2, 7.9.2.2) ----------------------------------------------------------

_PDFDOC = {
    24: "˘", 25: "ˇ", 26: "ˆ", 27: "˙", 28: "˝", 29: "˛", 30: "˚", 31: "˜",
    128: "•", 129: "†", 130: "‡", 131: "…", 132: "—", 133: "–", 134: "ƒ", 135: "⁄",
    136: "‹", 137: "›", 138: "−", 139: "‰", 140: "„", 141: "“", 142: "”", 143: "‘",
    144: "’", 145: "‚", 146: "™", 147: "ﬁ", 148: "ﬂ", 149: "Ł", 150: "Œ", 151: "Š",
    152: "Ÿ", 153: "Ž", 154: "ı", 155: "ł", 156: "œ", 157: "š", 158: "ž", 160: "€",
}  # fmt: skip
"""PDFDocEncoding where it differs from Latin-1 (ISO 32000-2, Annex D.2)."""
_PDFDOC_UNDEFINED = re.compile(rb"[\x00\x16\x7f\x9f\xad]")
_PDFDOC_SPECIAL = re.compile(rb"[\x18-\x1f\x80-\xa0]")


def pdfdoc_table() -> list[str]:
    """The 256 code points of PDFDocEncoding, ``"\\x00"`` where undefined (as pypdf keeps it)."""
    table = [chr(i) for i in range(256)]
    for i, c in _PDFDOC.items():
        table[i] = c
    for i in b"\x00\x16\x7f\x9f\xad":
        table[i] = "\x00"
    return table


def text(raw: bytes) -> str:
    """A text string as pypdf decodes it to a TextStringObject; anything else falls back."""
    if raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise Fallback from None
    if raw[:3] == b"\xef\xbb\xbf" or raw[:1] == b"\x00" or raw[1:2] == b"\x00":
        raise Fallback  # UTF-8 with BOM, or BOM-less UTF-16: rare; pypdf's rules apply
    if _PDFDOC_UNDEFINED.search(raw):
        raise Fallback  # a byte string, not text: pypdf's path warns about it
    decoded = raw.decode("latin-1")
    if _PDFDOC_SPECIAL.search(raw):
        decoded = decoded.translate(_PDFDOC)
    return decoded


def text_value(value: Any) -> str | None:
    """A text field's ``/V``: only a plain string is read here."""
    if value is None:
        return None
    if type(value) is not String:
        raise Fallback
    return lines(text(value)) or None


# --- objects ------------------------------------------------------------------------------------

WANTED = frozenset(
    {
        "/T",
        "/FT",
        "/Ff",
        "/V",
        "/Kids",
        "/Parent",
        "/AS",
        "/Opt",
        "/Subtype",
        "/Type",
        "/Annots",
        "/Fields",
        "/AcroForm",
        "/Pages",
        "/Root",
        "/Info",
        "/Prev",
        "/Size",
        "/Encrypt",
        "/XRefStm",
        INFO_KEY,
    }
)
"""The keys whose values the walk reads; everything else is skipped unbuilt."""
PRESENCE = frozenset({"/Contents", "/XFA"})
_WANTED = frozenset(k.encode() for k in WANTED)
_PRESENCE = frozenset(k.encode() for k in PRESENCE)


def _skip(data: bytes, pos: int, depth: int) -> int:
    """The end of the value at ``pos``, checked for the grammar (and duplicate keys) but not built."""
    m = _SKIP_FLAT.match(data, pos)
    if m is not None:
        return m.end()
    m = _OPEN.match(data, pos)
    if m is None:
        raise Fallback
    return _skip_container(data, m.start(1), depth)


def _skip_container(data: bytes, pos: int, depth: int) -> int:
    """The end of the array or dictionary that starts at ``pos`` (its ``[`` or ``<<``)."""
    if depth >= _MAX_DEPTH:
        raise Fallback
    if data[pos] == 0x5B:  # [
        pos += 1
        while True:
            close = _ARRAY_CLOSE.match(data, pos)
            if close is not None:
                return close.end()
            pos = _skip(data, pos, depth + 1)
    flat = _FLAT_DICT.match(data, pos)
    if flat is not None:
        keys = _FLAT_PAIRS.findall(data, pos + 2, flat.end() - 2)
        if len(set(keys)) != len(keys) or (b"#" in data[pos : flat.end()] and any(b"#" in k for k in keys)):
            raise Fallback  # pypdf warns about a repeated key
        return flat.end()
    keys_seen: set[bytes] = set()
    pair = _PAIR.match
    pos += 2
    while True:
        m = pair(data, pos)
        if m is None:
            raise Fallback
        if m[3]:
            return m.end()
        key = m[1]
        if key in keys_seen or b"#" in key:
            raise Fallback  # pypdf warns about a repeated key
        keys_seen.add(key)
        pos = m.end() if m[2] is not None else _skip_container(data, m.end(), depth + 1)


def _atom(token: bytes) -> Any:
    """One value token (no array or dictionary) as a plain Python object."""
    first = token[:1]
    if first == b"/":
        return _name(token)
    if first == b"(" or first == b"<":
        return String(string_bytes(token))
    if token[-1:] == b"R":
        num, gen = _REF_IN.match(token).groups()  # type: ignore[union-attr]
        return Ref(int(num), int(gen))
    if token == b"null":
        return None
    if token == b"true" or token == b"false":
        return token == b"true"
    return float(token) if b"." in token else int(token)


_NAMES: dict[bytes, Name] = {}


def _name(token: bytes) -> Name:
    name = _NAMES.get(token)
    if name is not None:
        return name
    if b"#" in token or not token.isascii():
        raise Fallback  # escaped or non-ASCII names: pypdf's decoding rules
    name = Name(token.decode())
    if len(_NAMES) < 4096:
        _NAMES[token] = name
    return name


def _value(data: bytes, pos: int) -> tuple[Any, int]:
    """A full value (for the keys the walk reads) as plain Python objects."""
    m = _REF_ARRAY.match(data, pos)
    if m is not None:
        return [Ref(int(a), int(b)) for a, b in _REF_IN.findall(m[1])], m.end()
    stack: list[list[Any]] = []  # [container, pending key]
    items = 0
    match = TOKEN.match
    while True:
        m = match(data, pos)
        if m is None:
            raise Fallback
        pos = m.end()
        kind = m.lastgroup
        value: Any
        if kind == "ref":
            value = Ref(int(m["idnum"]), int(m["gen"]))
        elif kind == "name":
            value = _name(m[kind])
        elif kind == "str" or kind == "hex":
            value = String(string_bytes(m[kind]))
        elif kind == "num":
            token = m[kind]
            value = float(token) if b"." in token else int(token)
        elif kind == "kw":
            token = m[kind]
            value = None if token == b"null" else token == b"true"
        elif kind == "dopen" or kind == "aopen":
            if len(stack) >= _MAX_DEPTH:
                raise Fallback
            stack.append([{} if kind == "dopen" else [], None])
            continue
        else:  # dclose, aclose
            if not stack:
                raise Fallback
            container, pending = stack.pop()
            if pending is not None or isinstance(container, dict) != (kind == "dclose"):
                raise Fallback
            value = container
        if not stack:
            return value, pos
        items += 1
        if items > _MAX_ITEMS:
            raise Fallback
        top = stack[-1]
        container = top[0]
        if isinstance(container, list):
            container.append(value)
        elif top[1] is None:
            if type(value) is not Name or value in container:
                raise Fallback
            top[1] = value
        else:
            container[top[1]] = value
            top[1] = None


def _dict(data: bytes, pos: int) -> tuple[dict[str, Any], int]:
    """A dictionary with only the wanted keys built; ``pos`` is just after its ``<<``."""
    out: dict[str, Any] = {}
    keys: set[bytes] = set()
    pair = _PAIR.match
    while True:
        m = pair(data, pos)
        if m is None:
            raise Fallback
        key, flat, close = m.groups()
        if close:
            return out, m.end()
        if key in keys or b"#" in key:
            raise Fallback  # pypdf warns about a repeated key; an escaped one may repeat one
        keys.add(key)
        if key in _WANTED:
            if flat is None or flat[:1] == b"[":
                out[_name(key)], pos = _value(data, m.start(2) if flat is not None else m.end())
            else:
                out[_name(key)], pos = _atom(flat), m.end()
            continue
        if key in _PRESENCE:
            out[key.decode()] = PRESENT
        pos = m.end() if flat is not None else _skip_container(data, m.end(), 1)


def _toplevel(data: bytes, pos: int) -> tuple[Any, int]:
    m = _OPEN.match(data, pos)
    if m is not None and m[1] == b"<<":
        return _dict(data, m.end())
    return _value(data, pos)


_XREF_SUBSECTION = re.compile(rb"(\d{1,10}) (\d{1,10})[" + _WS + rb"]*")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)")
_TRAILER = re.compile(rb"[" + _WS + rb"]*trailer" + _SKIP_WS + rb"<<", re.DOTALL)
_STARTXREF = re.compile(rb"startxref[" + _WS + rb"]+(\d{1,10})[" + _WS + rb"]+%%EOF[" + _WS + rb"]*\Z")


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

    def __init__(self, data: bytes) -> None:
        self.data = data
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
        if "/Encrypt" in self.trailer or "/XRefStm" in self.trailer:
            raise Fallback
        header = _HEADER.match
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
            if first and num != 0:
                raise Fallback  # pypdf renumbers tables that do not start at 0
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
        trailer, _ = _dict(data, t.end())
        for key, value in trailer.items():
            self.trailer.setdefault(key, value)
        prev = trailer.get("/Prev")
        if prev is None and "/Prev" not in trailer:
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
        m = _HEADER.match(data, offset)
        assert m is not None  # checked for every entry when the xref was read
        start = m.end()
        end = data.find(b"endobj", start)
        key = data[start : end + 7] if end >= 0 else None
        value = _PARSED.get(key) if key is not None else None
        if value is None:
            value, pos = _toplevel(data, start)
            found = _ENDOBJ.match(data, pos)
            if found is None:
                raise Fallback  # a stream, or something after the value
            if key is not None and found.end() <= end + 7:
                _remember(key, value)
        self.cache[num] = value
        return value

    def resolve(self, value: Any) -> Any:
        return self.get(value) if type(value) is Ref else value


# --- the walk (the regular case of walk._Walker; every remark it would make falls back) ----------


class _Walker:
    def __init__(self, doc: Document, limits: Limits) -> None:
        self.doc = doc
        self.resolve = doc.resolve
        self.limits = limits
        self.form = RawForm()
        self.visited: set[Any] = set()
        self.widgets: set[Any] = set()
        self.nodes = 0

    def count(self) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise Fallback

    def run(self) -> RawForm:
        root = self.resolve(self.doc.trailer.get("/Root"))
        if type(root) is not dict or root.get("/Type") != "/Catalog":
            raise Fallback
        acro = self.resolve(root.get("/AcroForm"))
        top: list[Any] = []
        if type(acro) is dict:
            self.form.has_acroform = True
            self.form.has_xfa = "/XFA" in acro
            fields = self.resolve(acro.get("/Fields"))
            if type(fields) is list:
                top = fields
            elif fields is not None:
                raise Fallback
        elif acro is not None:
            raise Fallback
        self._walk_fields(top)
        self._walk_pages(root)
        return self.form

    def _walk_fields(self, top: list[Any]) -> None:
        stack: list[tuple[Any, str, int, tuple[Any, ...]]] = [
            (raw, "", 0, (None, 0, None)) for raw in reversed(top)
        ]
        while stack:
            raw, parent, depth, inherited = stack.pop()
            node = self.resolve(raw)
            if node is None:
                continue
            if type(node) is not dict:
                raise Fallback
            key = raw if type(raw) is Ref else id(node)
            if key in self.visited or depth > self.limits.max_depth:
                raise Fallback
            self.visited.add(key)
            self.count()
            if "/Opt" in node:
                raise Fallback  # export values by widget position: pypdf's path reads /AP
            partial = _partial_name(node)
            name = parent if partial is None else (f"{parent}.{partial}" if parent else partial)
            inh = _inherit(inherited, node)
            kids = self.resolve(node.get("/Kids"))
            field_kids: list[Any] = []
            widget_kids: list[dict[str, Any]] = []
            if type(kids) is list:
                for raw_kid in kids:
                    kid = self.resolve(raw_kid)
                    if type(kid) is not dict:
                        continue
                    if "/T" in kid:
                        field_kids.append(raw_kid)
                    else:
                        self.count()
                        self.widgets.add(raw_kid if type(raw_kid) is Ref else id(kid))
                        widget_kids.append(kid)
            if field_kids:
                stack.extend((raw_kid, name, depth + 1, inh) for raw_kid in reversed(field_kids))
                continue
            self.widgets.add(key)
            if not name:
                raise Fallback
            self.form.fields.append(_make_field(name, inh, widget_kids or [node], self.resolve))

    def _walk_pages(self, root: dict[str, Any]) -> None:
        for page in self._pages(root):
            if not self.form.has_page_content and "/Contents" in page:
                self.form.has_page_content = True
            annots = self.resolve(page.get("/Annots"))
            if type(annots) is not list:
                continue
            for raw in annots:
                annot = self.resolve(raw)
                if type(annot) is not dict or annot.get("/Subtype") != "/Widget":
                    continue
                key = raw if type(raw) is Ref else id(annot)
                if key in self.widgets:
                    continue
                self.count()
                self.widgets.add(key)
                raw_field = raw if "/T" in annot else annot.get("/Parent")
                node = self.resolve(raw_field)
                if type(node) is not dict:
                    node, raw_field = annot, raw
                if (raw_field if type(raw_field) is Ref else id(node)) not in self.visited:
                    raise Fallback  # a widget /Fields does not reach: pypdf's path reports it

    def _pages(self, root: dict[str, Any]) -> list[dict[str, Any]]:
        pages: list[dict[str, Any]] = []
        stack: list[tuple[Any, int]] = [(root.get("/Pages"), 0)]
        seen: set[Any] = set()
        while stack:
            raw, depth = stack.pop()
            node = self.resolve(raw)
            if type(node) is not dict:
                continue
            key = raw if type(raw) is Ref else id(node)
            if key in seen or depth > self.limits.max_depth:
                raise Fallback
            seen.add(key)
            kids = self.resolve(node.get("/Kids"))
            if type(kids) is list:
                stack.extend((kid, depth + 1) for kid in reversed(kids))
            elif node.get("/Type") != "/Pages":
                pages.append(node)
            if len(pages) > self.limits.max_pages:
                raise Fallback
        return pages


def _partial_name(node: dict[str, Any]) -> str | None:
    if "/T" not in node or node["/T"] is None:
        return None
    t = node["/T"]
    if type(t) is not String:
        raise Fallback
    return lines(text(t)) or ""


def _inherit(inherited: tuple[Any, ...], node: dict[str, Any]) -> tuple[Any, ...]:
    ft, ff, v = inherited
    if node.get("/FT") is not None:
        ft = node["/FT"]
        if type(ft) is not Name:
            raise Fallback
    if "/Ff" in node:
        ff = node["/Ff"]
        if type(ff) is not int:
            raise Fallback
    if "/V" in node:
        v = node["/V"]
    return ft, ff, v


def _state(value: Any) -> str | None:
    if type(value) is Name:
        state = value[1:]
    elif type(value) is String:
        state = text(value).removeprefix("/")
    else:
        raise Fallback
    return None if state in ("", "Off") else state


def _make_field(name: str, inh: tuple[Any, ...], widgets: list[dict[str, Any]], resolve: Any) -> RawField:
    ft, ff, v = inh
    if type(v) is Ref:
        raise Fallback  # an indirect value (a text stream …): pypdf's path
    if ft == "/Tx":
        return RawField(name, "text", text_value(v))
    if ft == "/Btn":
        if ff & FF_PUSHBUTTON:
            return RawField(name, "pushbutton", None)
        if v is not None:
            state = _state(v)
        else:
            state = None
            for widget in widgets:
                as_ = widget.get("/AS")
                if as_ is not None and (state := _state(as_)) is not None:
                    break
        if ff & FF_RADIO:
            return RawField(name, "radio", state, state=state)
        return RawField(name, "checkbox", state is not None, state=state)
    if ft == "/Ch":
        if type(v) is list:
            items = [t for t in (text_value(x) for x in v) if t is not None]
            return RawField(name, "choice", (items[0] if len(items) == 1 else items) if items else None)
        return RawField(name, "choice", text_value(v))
    if ft == "/Sig":
        return RawField(name, "signature", v is not None)
    if ft is not None:
        raise Fallback
    return RawField(name, "unknown", text_value(v))


def read(data: bytes, limits: Limits) -> tuple[RawForm, str | None]:
    """The form and the ``/WerkbladenTemplate`` info text of a regular PDF; :class:`Fallback` if not."""
    try:
        doc = Document(data)
        form = _Walker(doc, limits).run()
        info = doc.resolve(doc.trailer.get("/Info"))
        template = text_value(info.get(INFO_KEY)) if type(info) is dict else None
    except Fallback:
        raise
    except Exception:  # RecursionError and MemoryError included
        # Whatever surprised the scanner is pypdf's to read (and to name, if it is broken).
        raise Fallback from None
    return form, template
