"""Appearance streams for filled text fields, so that a value shows in every viewer.

``/NeedAppearances`` alone is not enough: macOS Preview, Safari, SumatraPDF and the Windows
preview draw only a widget's ``/AP``. Each text widget therefore gets an ``/AP /N`` of its own:
the widget's background and border from ``/MK`` and ``/BS``, then the value clipped to the box,
one line centred vertically, or word-wrapped from the top for a multi-line field, in the size
and colour of the field's ``/DA`` (auto size when it says 0).

Values that WinAnsiEncoding can hold are drawn in Helvetica, the form's own font. Anything
else (ğ, ş, ı, ł, Greek, Cyrillic …) is drawn with the shipped DejaVu Sans subset, embedded
once per document as a Type0 font with Identity-H encoding and a full ToUnicode map; a
character that font lacks (CJK, emoji) shows as its missing-glyph box, while the exact text
stays in the field's ``/V``. Text is not shaped: right-to-left scripts and combining
sequences draw glyph by glyph.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from werkbladen.filling.fonts import TrueTypeFont, to_unicode_cmap, unicode_font

HELVETICA_NAME = "/WbHelv"
UNICODE_NAME = "/WbUni"


def _helvetica_widths() -> tuple[int, ...]:
    """Helvetica advance widths for WinAnsiEncoding bytes 32–255; 0 where the encoding has no character.

    From pypdf's copy of Adobe's Core14 AFM metrics, which names no-break space and soft hyphen
    by the glyphs they are drawn with (space, hyphen).
    """
    from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS

    widths = CORE_FONT_METRICS["Helvetica"].character_widths
    drawn_as = {"\xa0": " ", "\xad": "-"}
    table = []
    for byte in range(32, 256):
        char = bytes([byte]).decode("cp1252", errors="ignore")
        table.append(int(widths.get(drawn_as.get(char, char), 0)) if char else 0)
    return tuple(table)


_HELVETICA_WIDTHS = _helvetica_widths()
_HELVETICA_ASCENT, _HELVETICA_DESCENT = 718, -207

LINE_SPACING = 1.15
"""Baseline-to-baseline distance as a multiple of the font size."""
TEXT_INSET = 2.0
"""Space between the border and the text, in points, as Acrobat and pdf.js leave it."""
AUTO_SIZES = (12.0, 11.0, 10.0, 9.0, 8.0, 7.0, 6.0)
"""Sizes tried, largest first, when ``/DA`` asks for auto size (0): the first that fits wins."""


class Face:
    """A font as an appearance stream uses it: resource name, metrics, and how to encode text."""

    name: str
    ascent: float
    descent: float

    def width(self, text: str) -> float:
        """Width of ``text`` in thousandths of the font size."""
        raise NotImplementedError

    def show(self, text: str) -> bytes:
        """``text`` as a PDF string operand for ``Tj``."""
        raise NotImplementedError


class _Helvetica(Face):
    name, ascent, descent = HELVETICA_NAME, _HELVETICA_ASCENT, _HELVETICA_DESCENT

    def width(self, text: str) -> float:
        return sum(_HELVETICA_WIDTHS[b - 32] for b in text.encode("cp1252") if b >= 32)

    def show(self, text: str) -> bytes:
        out = bytearray(b"(")
        for b in text.encode("cp1252"):
            if b in b"()\\":
                out += b"\\" + bytes([b])
            elif 32 <= b < 127:
                out.append(b)
            else:
                out += b"\\%03o" % b
        return bytes(out + b")")


class _Unicode(Face):
    name = UNICODE_NAME

    def __init__(self, font: TrueTypeFont) -> None:
        self.font = font
        self.ascent = font.ascent * 1000 / font.units_per_em
        self.descent = font.descent * 1000 / font.units_per_em

    def width(self, text: str) -> float:
        return sum(self.font.width(self.font.glyph(c)) for c in text)

    def show(self, text: str) -> bytes:
        return b"<" + "".join(f"{self.font.glyph(c):04X}" for c in text).encode("ascii") + b">"


def winansi(text: str) -> bool:
    """Whether Helvetica with WinAnsiEncoding can draw every character of ``text``."""
    try:
        encoded = text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return all(b >= 32 and _HELVETICA_WIDTHS[b - 32] for b in encoded)


@dataclass
class FontResources:
    """The fonts of one document's appearance streams, added to the form's ``/DR`` on first use."""

    add: Callable[[PdfObject], IndirectObject]
    """Registers a new indirect object in the document being filled (``PdfWriter._add_object``)."""
    dr_fonts: DictionaryObject
    refs: dict[str, IndirectObject] = field(default_factory=dict)

    def face_for(self, text: str) -> Face:
        return _Helvetica() if winansi(text) else _Unicode(unicode_font())

    def ref(self, face: Face) -> IndirectObject:
        if face.name not in self.refs:
            font = _helvetica_dict() if isinstance(face, _Helvetica) else _unicode_font_dict(self.add)
            ref = self.add(font)
            self.refs[face.name] = ref
            self.dr_fonts[NameObject(face.name)] = ref
        return self.refs[face.name]


@dataclass(frozen=True)
class Box:
    """What a text widget's appearance needs to know about the widget."""

    width: float
    height: float
    border_width: float
    border_style: str
    background: tuple[float, ...]
    border_colour: tuple[float, ...]
    font_size: float
    colour: str
    """The colour operator from ``/DA``, e.g. ``0 g`` or ``.1 .1 .1 rg``."""
    multiline: bool
    quadding: int
    comb: int = 0
    """The number of comb cells (``/MaxLen`` of a comb field), 0 for an ordinary field."""


def text_appearance(box: Box, value: str, fonts: FontResources) -> tuple[StreamObject, str]:
    """The ``/AP /N`` form XObject that shows ``value`` in ``box``, and the font resource it uses."""
    drawn = _drawable(value, box.multiline)
    face = fonts.face_for(drawn.replace("\n", ""))
    ops = _frame(box)
    if drawn:
        ops.append(b"/Tx BMC q")
        inner = box.border_width
        ops.append(_fmt(inner, inner, box.width - 2 * inner, box.height - 2 * inner) + b" re W n")
        ops.extend(_text_ops(box, drawn, face))
        ops.append(b"Q EMC")
    stream = DecodedStreamObject()
    stream.set_data(b"\n".join(ops) + b"\n")
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(0), FloatObject(0), _num(box.width), _num(box.height)]
            ),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject(face.name): fonts.ref(face)})}
                if drawn
                else {}
            ),
        }
    )
    return stream.flate_encode(), face.name


def with_font(da: str, font_name: str) -> str:
    """The default-appearance string ``da`` with its font (the ``Tf`` operand) set to ``font_name``."""
    replaced, count = re.subn(r"/[^\s/\[\]()<>]+(\s+[-+]?[\d.]+\s+Tf)", lambda m: font_name + m.group(1), da)
    return replaced if count else f"{font_name} 0 Tf {da}".strip()


def _drawable(value: str, multiline: bool) -> str:
    """The value as it is drawn: tabs as spaces, other control characters left out."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    return "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")


def _frame(box: Box) -> list[bytes]:
    ops: list[bytes] = []
    if box.background:
        ops.append(_colour(box.background, fill=True) + b" " + _fmt(0, 0, box.width, box.height) + b" re f")
    bw = box.border_width
    if box.border_colour and bw > 0:
        ops.append(_colour(box.border_colour, fill=False) + b" " + _fmt(bw) + b" w")
        if box.border_style == "/D":
            ops.append(b"[3] 0 d")
        if box.border_style == "/U":
            ops.append(_fmt(0, bw / 2) + b" m " + _fmt(box.width, bw / 2) + b" l S")
        else:
            ops.append(_fmt(bw / 2, bw / 2, box.width - bw, box.height - bw) + b" re S")
    return ops


def _text_ops(box: Box, text: str, face: Face) -> list[bytes]:
    inset = box.border_width + TEXT_INSET
    avail_w = max(box.width - 2 * inset, 1.0)
    avail_h = max(box.height - 2 * box.border_width, 1.0)
    if box.comb and not box.multiline:
        return _comb_ops(box, text, face)
    size = box.font_size or _auto_size(box, text, face, avail_w, avail_h)
    ops = [b"BT", face.name.encode("ascii") + b" " + _fmt(size) + b" Tf", box.colour.encode("ascii")]
    if box.multiline:
        leading = size * LINE_SPACING
        y = box.height - box.border_width - TEXT_INSET - face.ascent * size / 1000
        for line in wrap(text, face, size, avail_w):
            if y < -leading:
                break
            ops.append(_line(box, line, face, size, inset, y))
            y -= leading
    else:
        glyph_h = (face.ascent - face.descent) * size / 1000
        y = (box.height - glyph_h) / 2 - face.descent * size / 1000
        ops.append(_line(box, text, face, size, inset, y))
    ops.append(b"ET")
    return ops


def _line(box: Box, line: str, face: Face, size: float, inset: float, y: float) -> bytes:
    x = inset
    if box.quadding in (1, 2):
        spare = box.width - 2 * inset - face.width(line) * size / 1000
        x += spare / 2 if box.quadding == 1 else spare
    return b"1 0 0 1 " + _fmt(x, y) + b" Tm " + face.show(line) + b" Tj"


def _comb_ops(box: Box, text: str, face: Face) -> list[bytes]:
    cell = box.width / box.comb
    size = box.font_size or min(12.0, box.height * 0.7)
    y = (box.height - (face.ascent - face.descent) * size / 1000) / 2 - face.descent * size / 1000
    ops = [b"BT", face.name.encode("ascii") + b" " + _fmt(size) + b" Tf", box.colour.encode("ascii")]
    for i, char in enumerate(text[: box.comb]):
        x = i * cell + (cell - face.width(char) * size / 1000) / 2
        ops.append(b"1 0 0 1 " + _fmt(x, y) + b" Tm " + face.show(char) + b" Tj")
    ops.append(b"ET")
    return ops


def _auto_size(box: Box, text: str, face: Face, avail_w: float, avail_h: float) -> float:
    if not box.multiline:
        fit_h = avail_h / ((face.ascent - face.descent) / 1000) * 0.9
        width = face.width(text) / 1000
        fit_w = avail_w / width if width else fit_h
        return max(min(12.0, fit_h, fit_w), 4.0)
    for size in AUTO_SIZES:
        lines = len(wrap(text, face, size, avail_w))
        if lines * size * LINE_SPACING <= avail_h - 2 * TEXT_INSET:
            return size
    return AUTO_SIZES[-1]


_TOKENS = re.compile(r"\S+|\s+")


def wrap(text: str, face: Face, size: float, width: float) -> list[str]:
    """``text`` broken into lines that fit ``width`` points: at spaces, inside a word only if it must.

    Each paragraph keeps its leading spaces; spaces at a break are dropped.
    """
    limit = width * 1000 / size
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, line_w = "", 0.0
        for token in _TOKENS.findall(paragraph):
            token_w = face.width(token)
            if line_w + token_w <= limit:
                line, line_w = line + token, line_w + token_w
            elif token.isspace():
                lines.append(line)
                line, line_w = "", 0.0
            else:
                if line:
                    lines.append(line.rstrip())
                line, line_w = "", 0.0
                for piece in _break_word(token, face, limit):
                    if line:
                        lines.append(line)
                    line, line_w = piece, face.width(piece)
        lines.append(line)
    return lines


def _break_word(word: str, face: Face, limit: float) -> Iterator[str]:
    piece, piece_w = "", 0.0
    for char in word:
        char_w = face.width(char)
        if piece and piece_w + char_w > limit:
            yield piece
            piece, piece_w = "", 0.0
        piece, piece_w = piece + char, piece_w + char_w
    yield piece


def _colour(components: Sequence[float], *, fill: bool) -> bytes:
    ops = {1: b"g", 3: b"rg", 4: b"k"}[len(components)]
    return _fmt(*components) + b" " + (ops if fill else ops.upper())


def _fmt(*numbers: float) -> bytes:
    return b" ".join(
        (f"{n:.3f}".rstrip("0").rstrip(".") if n != int(n) else str(int(n))).encode("ascii") for n in numbers
    )


def _num(n: float) -> FloatObject:
    return FloatObject(round(n, 3))


def _helvetica_dict() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def _unicode_font_dict(add: Callable[[PdfObject], IndirectObject]) -> DictionaryObject:
    """A Type0 font over the whole shipped font file: full widths and ToUnicode, so that a
    viewer which regenerates appearances from ``/DR`` can use it for any text as well."""
    font = unicode_font()
    scale = 1000 / font.units_per_em
    name = NameObject("/" + font.postscript_name)
    file_stream = StreamObject()
    file_stream.set_data(zlib.compress(font.data, 9))
    file_stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    file_stream[NameObject("/Length1")] = NumberObject(len(font.data))
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): name,
            NameObject("/Flags"): NumberObject(32),
            NameObject("/FontBBox"): ArrayObject(NumberObject(round(v * scale)) for v in font.bbox),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): NumberObject(round(font.ascent * scale)),
            NameObject("/Descent"): NumberObject(round(font.descent * scale)),
            NameObject("/CapHeight"): NumberObject(round(font.cap_height * scale)),
            NameObject("/StemV"): NumberObject(80),
            NameObject("/FontFile2"): add(file_stream),
        }
    )
    widths = ArrayObject(NumberObject(round(font.width(g))) for g in range(len(font.advances)))
    cid_font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType2"),
            NameObject("/BaseFont"): name,
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("Identity"),
                    NameObject("/Supplement"): NumberObject(0),
                }
            ),
            NameObject("/FontDescriptor"): add(descriptor),
            NameObject("/W"): add(ArrayObject([NumberObject(0), widths])),
            NameObject("/CIDToGIDMap"): NameObject("/Identity"),
        }
    )
    to_unicode = DecodedStreamObject()
    to_unicode.set_data(to_unicode_cmap(font))
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): name,
            NameObject("/Encoding"): NameObject("/Identity-H"),
            NameObject("/DescendantFonts"): ArrayObject([add(cid_font)]),
            NameObject("/ToUnicode"): add(to_unicode.flate_encode()),
        }
    )
