"""The pypdf-free scanner's lexical level: PDF tokens, strings and plain objects from bytes.

A batch reads thousands of forms that all look alike: plain uncompressed objects of text strings,
names, numbers and references. This module reads those straight from the bytes and builds only the
values of the keys a walk of the form needs (:data:`WANTED`); everything else (tooltips,
rectangles, appearance dictionaries) is checked for its grammar and skipped unbuilt. pypdf is not
imported, which is most of a one-file run's cost.

It never guesses: whatever pypdf would read differently, repair or warn about (a duplicate key, an
escape pypdf keeps, a name with ``#`` escapes, a string that is not a PDF text string, nesting past
the limits) raises :class:`Fallback`, and the caller reads the file with pypdf instead.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from werkbladen.content.naming import INFO_KEY
from werkbladen.limits import Limits
from werkbladen.pdfspec import Key


class Fallback(Exception):
    """Not a plain, regular file: read it with pypdf."""


class Name(str):
    """A PDF name, with its slash (``/Tx``)."""

    __slots__ = ()


class Ref(NamedTuple):
    num: int
    gen: int


class Text(str):
    """A PDF text string, decoded as pypdf decodes it to a ``TextStringObject``."""

    __slots__ = ()


PRESENT = object()
"""The value of a key whose presence is all the walk asks about (``/Contents``, ``/XFA``)."""

# --- lexical level (ISO 32000-2, 7.2 and 7.3) -----------------------------------------------------

WS = rb"\x00\t\n\x0c\r "
_REG = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_END = rb"(?!" + _REG + rb")"
SKIP_WS = rb"(?:[" + WS + rb"]++|%[^\r\n]*+)*+"
_KNOWN_ESCAPE = rb"\\(?:[0-3][0-7]{2}|[0-7]{1,2}(?![0-7])|[nrtbf()\\/ %<>\[\]#_&$\r\n])"
"""An escape pypdf reads without a word; any other (``\\g``, ``\\777``) makes it warn, so no match."""
_STRING = rb"\((?:[^()\\]++|" + _KNOWN_ESCAPE + rb"|\((?:[^()\\]++|" + _KNOWN_ESCAPE + rb")*+\))*+\)"
"""A literal string; one level of balanced parentheses inside, as ReportLab writes ``(a (b) c)``."""
_HEX = rb"<[0-9A-Fa-f" + WS + rb"]*+>"
_REF = rb"\d{1,10}[" + WS + rb"]++\d{1,5}[" + WS + rb"]++R" + _END
_NUM = rb"[+-]?(?:\d{1,20}(?:\.\d{0,20})?|\.\d{1,20})" + _END
_NAME = rb"/[^\x00\t\n\x0b\x0c\r ()<>\[\]{}/%]{0,127}(?=[\t\n\x0c\r ()<>\[\]{}/%]|\Z)"
"""A name that ends where pypdf's ends too: at a delimiter or whitespace both agree on. pypdf ends a
name at ``\\s`` (which counts vertical tab but not NUL), ISO 32000 at its whitespace (NUL, not
vertical tab): a name next to either is pypdf's to read."""
_KW = rb"(?:true|false|null)" + _END
_ATOM = rb"(?:" + _REF + rb"|" + _NUM + rb"|" + _NAME + rb"|" + _STRING + rb"|" + _HEX + rb"|" + _KW + rb")"

TOKEN = re.compile(
    SKIP_WS
    + rb"(?:(?P<ref>(?P<idnum>\d{1,10})["
    + WS
    + rb"]++(?P<gen>\d{1,5})["
    + WS
    + rb"]++R"
    + _END
    + rb")"
    rb"|(?P<num>" + _NUM + rb")|(?P<name>" + _NAME + rb")"
    rb"|(?P<dopen><<)|(?P<dclose>>>)|(?P<aopen>\[)|(?P<aclose>\])"
    rb"|(?P<str>" + _STRING + rb")|(?P<hex>" + _HEX + rb")|(?P<kw>" + _KW + rb"))",
    re.DOTALL,
)
"""One token after whitespace and comments; shared with :mod:`.fastparse`."""
_REF_ARRAY = re.compile(SKIP_WS + rb"\[((?:" + SKIP_WS + _REF + rb")*+)" + SKIP_WS + rb"\]", re.DOTALL)
_REF_IN = re.compile(rb"(\d{1,10})[" + WS + rb"]++(\d{1,5})")
_FLAT_ARRAY = rb"\[(?:" + SKIP_WS + _ATOM + rb")*+" + SKIP_WS + rb"\]"
_PAIR = re.compile(
    SKIP_WS
    + rb"(?:("
    + _NAME
    + rb")"
    + SKIP_WS
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
    rb"<<(?:" + SKIP_WS + _NAME + SKIP_WS + _VALUE1 + rb")*+" + SKIP_WS + rb">>", re.DOTALL
)
"""A dictionary with no dictionary inside (``/BS``, ``/MK``, an appearance's ``/N``)."""
_FLAT_PAIRS = re.compile(SKIP_WS + rb"(" + _NAME + rb")" + SKIP_WS + _VALUE1, re.DOTALL)
"""The keys of a flat dictionary's body, with ``findall``."""
_OPEN = re.compile(SKIP_WS + rb"(<<|\[)", re.DOTALL)
_SKIP_FLAT = re.compile(SKIP_WS + rb"(?:" + _ATOM + rb"|" + _FLAT_ARRAY + rb")", re.DOTALL)
_ARRAY_CLOSE = re.compile(SKIP_WS + rb"\]", re.DOTALL)
OBJ_HEADER = re.compile(rb"(\d{1,10})[" + WS + rb"]++(\d{1,5})[" + WS + rb"]++obj" + _END)
ENDOBJ = re.compile(SKIP_WS + rb"endobj" + _END, re.DOTALL)
_HEX_WS = re.compile(rb"[" + WS + rb"]+")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|[\r\n][\r\n]?|.)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"} | {
    bytes([c]): bytes([c]) for c in b"()/\\ %<>[]#_&$"
}
"""pypdf's escapes (``pypdf.generic._utils.__ESCAPE_DICT__``); others fall back."""


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


# --- objects ------------------------------------------------------------------------------------

WANTED = frozenset(
    {
        Key.T, Key.FT, Key.FF, Key.V, Key.KIDS, Key.PARENT, Key.AS, Key.OPT, Key.SUBTYPE, Key.TYPE,
        Key.ANNOTS, Key.FIELDS, Key.ACROFORM, Key.PAGES, Key.ROOT, Key.INFO, Key.PREV, Key.SIZE,
        Key.ENCRYPT, Key.XREF_STM, INFO_KEY, Key.MOD_DATE,
    }
)  # fmt: skip
"""The keys whose values the walk reads; everything else is skipped unbuilt."""
PRESENCE = frozenset({Key.CONTENTS, Key.XFA})
_WANTED = frozenset(k.encode() for k in WANTED)
_PRESENCE = frozenset(k.encode() for k in PRESENCE)


def _atom(token: bytes) -> Any:
    """One value token (no array or dictionary) as a plain Python object."""
    first = token[:1]
    if first == b"/":
        return _name(token)
    if first == b"(" or first == b"<":
        return Text(text(string_bytes(token)))
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


class Template(NamedTuple):
    """A dictionary read before, pair by pair, for :meth:`Scanner.guided` to take runs of pairs over.

    Pair ``k`` (the last one is the closing ``>>``, key ``b""``) is ``raw[bounds[k]:bounds[k + 1]]``,
    from its leading whitespace on; reading it looked at the bytes up to ``ends[k]``.
    """

    raw: bytes
    bounds: tuple[int, ...]
    ends: tuple[int, ...]
    keys: tuple[bytes, ...]
    named: tuple[tuple[str, Any] | None, ...]
    """What each pair adds to the dictionary (a wanted or present key and its value), else None."""
    position: dict[bytes, int]
    """Each key's pair."""
    head: bytes
    """The first pair and what its reading looked at: which template an object is tried with."""
    hint: list[int]
    """The pairs the last object read with it had otherwise: where the next one likely differs too."""


_LOOKED_AT = re.compile(rb"[" + WS + rb"]*+")


class Scanner:
    """Values of one PDF's bytes, within the nesting and size caps of :class:`Limits`."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.data = data
        self.max_depth = limits.max_depth
        self.max_items = limits.max_object_items

    def skip(self, pos: int, depth: int) -> int:
        """The end of the value at ``pos``, checked for the grammar (and duplicate keys) but not built."""
        data = self.data
        m = _SKIP_FLAT.match(data, pos)
        if m is not None:
            return m.end()
        m = _OPEN.match(data, pos)
        if m is None:
            raise Fallback
        return self.skip_container(m.start(1), depth)

    def skip_container(self, pos: int, depth: int) -> int:
        """The end of the array or dictionary that starts at ``pos`` (its ``[`` or ``<<``)."""
        data = self.data
        if depth >= self.max_depth:
            raise Fallback
        if data[pos] == 0x5B:  # [
            pos += 1
            while True:
                close = _ARRAY_CLOSE.match(data, pos)
                if close is not None:
                    return close.end()
                pos = self.skip(pos, depth + 1)
        flat = _FLAT_DICT.match(data, pos)
        if flat is not None:
            keys = _FLAT_PAIRS.findall(data, pos + 2, flat.end() - 2)
            if len(set(keys)) != len(keys) or (
                b"#" in data[pos : flat.end()] and any(b"#" in k for k in keys)
            ):
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
            pos = m.end() if m[2] is not None else self.skip_container(m.end(), depth + 1)

    def value(self, pos: int) -> tuple[Any, int]:
        """A full value (for the keys the walk reads) as plain Python objects."""
        data = self.data
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
                value = Text(text(string_bytes(m[kind])))
            elif kind == "num":
                token = m[kind]
                value = float(token) if b"." in token else int(token)
            elif kind == "kw":
                token = m[kind]
                value = None if token == b"null" else token == b"true"
            elif kind == "dopen" or kind == "aopen":
                if len(stack) >= self.max_depth:
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
            if items > self.max_items:
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

    def dictionary(self, pos: int) -> tuple[dict[str, Any], int]:
        """A dictionary with only the wanted keys built; ``pos`` is just after its ``<<``."""
        out: dict[str, Any] = {}
        data = self.data
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
                    out[_name(key)], pos = self.value(m.start(2) if flat is not None else m.end())
                else:
                    out[_name(key)], pos = _atom(flat), m.end()
                continue
            if key in _PRESENCE:
                out[key.decode()] = PRESENT
            pos = m.end() if flat is not None else self.skip_container(m.end(), 1)

    def toplevel(self, pos: int) -> tuple[Any, int]:
        """The value of an indirect object that starts at ``pos``: a dictionary, or any other value."""
        data = self.data
        m = _OPEN.match(data, pos)
        if m is not None and m[1] == b"<<":
            return self.dictionary(m.end())
        return self.value(pos)

    def guided(self, pos: int, templates: list[Template]) -> tuple[Any, int, Template | None]:
        """:meth:`toplevel`, taking over what a like object's pairs read as where the bytes are the same.

        Forms filled from one blank differ from each other in a few values of an object (its
        ``/V``, a reference to a new appearance); the other pairs — tooltips, rectangles,
        appearance dictionaries — are byte for byte those of the same object in an earlier file.
        A run of a template's pairs (an object read before) is taken over when this object has
        the same bytes at the same place: the pairs' own and those their reading looked at past
        their end (see :class:`Template`), so what the regular expressions matched there is what
        they would match here. The pairs in between are read as :meth:`dictionary` reads them,
        and the keys of both are checked for repeats together: the value is what :meth:`toplevel`
        gives, or the same :class:`Fallback`. Returns a new template when no given one served for
        half of the pairs.
        """
        data = self.data
        m = _OPEN.match(data, pos)
        if m is None or m[1] != b"<<":
            value, end = self.value(pos)
            return value, end, None
        pos = m.end()
        template = next((t for t in templates if data.startswith(t.head, pos)), None)
        if template is None:
            return self._recorded(pos)
        raw, bounds, ends, tkeys, tnamed, position, _, hint = template
        n = len(tkeys)
        keys: list[bytes] = []
        named: list[tuple[str, Any] | None] = []
        runs: list[tuple[int, int, int]] = []  # (first pair, end pair, where) of each run taken over
        fresh: list[tuple[int, int]] = []  # (start, end) of each pair read afresh
        missed: list[int] = []  # the template's pairs read afresh: where the next object differs
        startswith = data.startswith
        i = h = 0
        while True:
            if i < n:
                # The run of the template's pairs from i on that this object repeats here: up to
                # where the last object differed, else the longest (bisected).
                while h < len(hint) and hint[h] < i:
                    h += 1
                guess = hint[h] if h < len(hint) else n
                base = bounds[i]
                if guess == i:
                    j = i
                elif startswith(raw[base : ends[guess - 1]], pos):
                    j = guess
                else:
                    lo, hi = i, guess - 1
                    while lo < hi:
                        mid = (lo + hi + 1) >> 1
                        if startswith(raw[base : ends[mid - 1]], pos):
                            lo = mid
                        else:
                            hi = mid - 1
                    j = lo
                if j > i:
                    last = min(j, n - 1)  # the closing >> adds no key
                    keys += tkeys[i:last]
                    named += tnamed[i:last]
                    runs.append((i, j, pos))
                    pos += bounds[j] - base
                    if j == n:
                        break
                    i = j
            begin = pos
            key, entry, pos = self._pair(pos)
            fresh.append((begin, pos))
            if not key:
                break
            keys.append(key)
            named.append(entry)
            k = position.get(key)
            if k is not None:
                missed.append(k)
                i = k + 1
        if len(set(keys)) != len(keys):
            raise Fallback  # pypdf warns about a repeated key
        out = dict(filter(None, named))
        if len(keys) + 1 - len(fresh) >= len(fresh):
            hint[:] = sorted(missed)
            return out, pos, None
        # Served for less than half: this object is the better template for the next.
        starts = [a for a, _ in fresh]
        for first, last, where in runs:
            starts.extend(where + bounds[k] - bounds[first] for k in range(first, last))
        starts.sort()
        starts.append(pos)
        return out, pos, self._template(starts, keys, named)

    def _pair(self, pos: int) -> tuple[bytes, tuple[str, Any] | None, int]:
        """One pair of a dictionary, read as :meth:`dictionary` reads it: its key (empty for the
        closing ``>>``), what it adds to the dictionary, and where it ends. Repeats are the caller's."""
        m = _PAIR.match(self.data, pos)
        if m is None:
            raise Fallback
        key, flat, close = m.groups()
        if close:
            return b"", None, m.end()
        if b"#" in key:
            raise Fallback  # an escaped key may repeat another
        if key in _WANTED:
            if flat is None or flat[:1] == b"[":
                value, end = self.value(m.start(2) if flat is not None else m.end())
            else:
                value, end = _atom(flat), m.end()
            return key, (_name(key), value), end
        end = m.end() if flat is not None else self.skip_container(m.end(), 1)
        return key, (key.decode(), PRESENT) if key in _PRESENCE else None, end

    def _recorded(self, pos: int) -> tuple[dict[str, Any], int, Template]:
        """The dictionary whose first pair starts at ``pos``, and the template it makes."""
        bounds = [pos]
        keys: list[bytes] = []
        named: list[tuple[str, Any] | None] = []
        seen: set[bytes] = set()
        while True:
            key, entry, pos = self._pair(pos)
            bounds.append(pos)
            if not key:
                break
            if key in seen:
                raise Fallback  # pypdf warns about a repeated key
            seen.add(key)
            keys.append(key)
            named.append(entry)
        return dict(filter(None, named)), pos, self._template(bounds, keys, named)

    def _template(
        self, bounds: list[int], keys: list[bytes], named: list[tuple[str, Any] | None]
    ) -> Template:
        """The template of a dictionary whose pairs start at ``bounds`` (the last: where it ends)."""
        # A pair's reading looks past its end: one byte (where a name or a number ends), or a
        # number's whole following whitespace and the byte after it (is it a reference?).
        data = self.data
        look = _LOOKED_AT.match
        start = bounds[0]
        ends = tuple(look(data, end).end() + 1 - start for end in bounds[1:])  # type: ignore[union-attr]
        raw = data[start : start + ends[-1]]
        return Template(
            raw,
            tuple(b - start for b in bounds),
            ends,
            (*keys, b""),
            (*named, None),
            {k: i for i, k in enumerate(keys)},
            raw[: ends[0]],
            [],
        )
