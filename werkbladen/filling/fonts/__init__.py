"""The shipped Unicode font, and the few TrueType tables an appearance stream needs from it.

Values that the standard PDF fonts cannot encode (ğ, ş, ı, ł, Greek, Cyrillic …) are drawn
with a subset of DejaVu Sans shipped in this folder (see README.md and LICENSE), so that filling
never depends on a font installed on the machine. Only ``head``, ``hhea``, ``hmtx``, ``cmap`` and
``OS/2`` are read, with :mod:`struct`: fontTools is a tool for making the subset, not a dependency.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from importlib import resources

UNICODE_FONT_FILE = "DejaVuSans-subset.ttf"


@dataclass(frozen=True)
class TrueTypeFont:
    """A TrueType font file with its metrics, in font units of ``units_per_em``."""

    data: bytes
    postscript_name: str
    units_per_em: int
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    advances: tuple[int, ...]
    """Advance width by glyph id."""
    cmap: dict[int, int]
    """Unicode code point → glyph id."""

    def glyph(self, char: str) -> int:
        """The glyph id of ``char``; 0 (the missing-glyph box) when the font lacks it."""
        return self.cmap.get(ord(char), 0)

    def width(self, glyph: int) -> float:
        """Advance of ``glyph`` in thousandths of the font size, as PDF widths are given."""
        advance = self.advances[min(glyph, len(self.advances) - 1)]
        return advance * 1000 / self.units_per_em


@functools.cache
def unicode_font() -> TrueTypeFont:
    """The shipped DejaVu Sans subset, parsed once per process."""
    data = (resources.files(__name__) / UNICODE_FONT_FILE).read_bytes()
    return parse_truetype(data)


def parse_truetype(data: bytes) -> TrueTypeFont:
    """Read the metrics of a TrueType font; raise ``ValueError`` on a file that is not one."""
    tables = _table_directory(data)
    for tag in ("head", "hhea", "hmtx", "maxp", "cmap"):
        if tag not in tables:
            raise ValueError(f"not a usable TrueType font: no {tag!r} table")
    head = tables["head"]
    units_per_em = struct.unpack_from(">H", data, head + 18)[0]
    bbox = struct.unpack_from(">hhhh", data, head + 36)
    hhea = tables["hhea"]
    ascent, descent = struct.unpack_from(">hh", data, hhea + 4)
    metric_count = struct.unpack_from(">H", data, hhea + 34)[0]
    glyph_count = struct.unpack_from(">H", data, tables["maxp"] + 4)[0]
    advances = list(struct.unpack_from(f">{metric_count * 2}H", data, tables["hmtx"])[0::2])
    advances += [advances[-1]] * (glyph_count - metric_count)
    cap_height = round(units_per_em * 0.73)
    if "OS/2" in tables and struct.unpack_from(">H", data, tables["OS/2"])[0] >= 2:
        cap_height = struct.unpack_from(">h", data, tables["OS/2"] + 88)[0]
    return TrueTypeFont(
        data=data,
        postscript_name=_postscript_name(data, tables.get("name")) or "UnicodeFont",
        units_per_em=units_per_em,
        ascent=ascent,
        descent=descent,
        cap_height=cap_height,
        bbox=(bbox[0], bbox[1], bbox[2], bbox[3]),
        advances=tuple(advances),
        cmap=_unicode_cmap(data, tables["cmap"]),
    )


def _table_directory(data: bytes) -> dict[str, int]:
    if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        raise ValueError("not a TrueType font file")
    count = struct.unpack_from(">H", data, 4)[0]
    tables = {}
    for i in range(count):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag.decode("latin-1")] = offset
    return tables


def _unicode_cmap(data: bytes, cmap: int) -> dict[int, int]:
    """The best Unicode subtable: format 12 (full Unicode) if present, else format 4 (BMP)."""
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    subtables: dict[int, int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        if (platform, encoding) in ((3, 10), (0, 4), (3, 1), (0, 3)):
            fmt = struct.unpack_from(">H", data, cmap + offset)[0]
            subtables.setdefault(fmt, cmap + offset)
    if 12 in subtables:
        return _cmap_format12(data, subtables[12])
    if 4 in subtables:
        return _cmap_format4(data, subtables[4])
    raise ValueError("TrueType font has no Unicode cmap")


def _cmap_format4(data: bytes, at: int) -> dict[int, int]:
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    range_at = at + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, range_at)
    result = {}
    for i in range(segments):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                where = range_at + 2 * i + offsets[i] + 2 * (code - starts[i])
                glyph = struct.unpack_from(">H", data, where)[0]
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                result[code] = glyph
    return result


def _cmap_format12(data: bytes, at: int) -> dict[int, int]:
    groups = struct.unpack_from(">I", data, at + 12)[0]
    result = {}
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * i)
        for code in range(start, end + 1):
            result[code] = glyph + code - start
    return result


def _postscript_name(data: bytes, name: int | None) -> str | None:
    if name is None:
        return None
    count, strings = struct.unpack_from(">2xHH", data, name)
    for i in range(count):
        platform, _enc, _lang, name_id, length, offset = struct.unpack_from(">6H", data, name + 6 + 12 * i)
        if name_id == 6:
            raw = data[name + strings + offset : name + strings + offset + length]
            text = raw.decode("utf-16-be" if platform in (0, 3) else "latin-1", errors="replace")
            return "".join(c for c in text if (c.isascii() and c.isalnum()) or c == "-") or None
    return None


def to_unicode_cmap(font: TrueTypeFont) -> bytes:
    """A ToUnicode CMap from glyph id (2 bytes, Identity-H) to its character; a shared glyph: the lower."""
    first: dict[int, int] = {}
    for code, glyph in sorted(font.cmap.items()):
        first.setdefault(glyph, code)
    entries = sorted(first.items())
    out = [
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        out.append(b"%d beginbfchar" % len(chunk))
        out.extend(b"<%04X> <%s>" % (g, chr(c).encode("utf-16-be").hex().upper().encode()) for g, c in chunk)
        out.append(b"endbfchar")
    out.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(out) + b"\n"
