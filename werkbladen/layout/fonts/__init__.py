"""The werkbladen's typeface, Werkbladen Sans (Liberation Sans subsets, SIL OFL; see README.md).

Every font of a werkblad is embedded (PDF/UA, and the same letters on every machine): the
text through ReportLab's TrueType support, which embeds a subset of the glyphs a document
uses; the form fields through :func:`field_font`, the whole Regular file as a composite font
(Type0, Identity-H, with a ToUnicode map), so that a viewer that draws a typed value itself
finds Latin-1, Latin Extended-A, € and the typographic quotes in the font the field names.
The metrics are Helvetica's, so line breaks did not move when the text left Helvetica.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from werkbladen.filling.fonts import TrueTypeFont, parse_truetype, to_unicode_cmap

REGULAR = "WerkbladenSans"
BOLD = "WerkbladenSans-Bold"
ITALIC = "WerkbladenSans-Italic"
BOLD_ITALIC = "WerkbladenSans-BoldItalic"
_FILES = {
    REGULAR: "WerkbladenSans-Regular.ttf",
    BOLD: "WerkbladenSans-Bold.ttf",
    ITALIC: "WerkbladenSans-Italic.ttf",
    BOLD_ITALIC: "WerkbladenSans-BoldItalic.ttf",
}
FIELD_FONT_KEY = "Wingdings"
"""The field font's name in the AcroForm's ``/DR`` and in each field's ``/DA``: a resource name
only, the font is Werkbladen Sans (its ``/BaseFont``). PDFium (Chrome, Edge) takes the ``/DA``
font for a typed letter only when the letter's Windows charset matches the font's, and it gives
a font the symbol charset, which matches every letter, only by this name (or Wingdings2/3,
Webdings); any other name is "ANSI", so ğ ı İ ș ț „ went to system fonts that lack them and were
dropped (measured: 112 of 121 test letters with ``/WbSans``, 121 with this name). Every other
engine looks the font up by the name and draws it by its own glyphs."""


def font_bytes(name: str) -> bytes:
    return (resources.files(__name__) / _FILES[name]).read_bytes()


@functools.cache
def register() -> None:
    """Register the four styles with ReportLab, as one family (so ``<b>`` and ``<i>`` find them)."""
    for name in _FILES:
        pdfmetrics.registerFont(TTFont(name, resources.files(__name__) / _FILES[name]))
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(REGULAR, bold, italic, name)


@functools.cache
def field_metrics() -> TrueTypeFont:
    return parse_truetype(font_bytes(REGULAR))


def field_font(reference: Any) -> Any:
    """The field font's Type0 dictionary; ``reference(obj)`` makes an indirect object of ``obj``.

    Glyph ids are the character codes (Identity-H, CIDToGIDMap Identity); widths and the
    ToUnicode map cover every glyph, so an engine can encode any character the font has by
    reverse lookup of ToUnicode, as pdf.js, PDFium and poppler do.
    """
    font = field_metrics()
    scale = 1000 / font.units_per_em

    def units(value: int) -> int:
        return round(value * scale)

    program = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary({"Length1": len(font.data)}), font.data, filters=[pdfdoc.PDFZCompress]
    )
    descriptor = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("FontDescriptor"),
            "FontName": pdfdoc.PDFName(font.postscript_name),
            "Flags": 32,
            "FontBBox": pdfdoc.PDFArray([units(v) for v in font.bbox]),
            "ItalicAngle": 0,
            "Ascent": units(font.ascent),
            "Descent": units(font.descent),
            "CapHeight": units(font.cap_height),
            "StemV": 80,
            "FontFile2": reference(program),
        }
    )
    widths = pdfdoc.PDFArray([0, pdfdoc.PDFArray([round(font.width(g)) for g in range(len(font.advances))])])
    cid_font = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("Font"),
            "Subtype": pdfdoc.PDFName("CIDFontType2"),
            "BaseFont": pdfdoc.PDFName(font.postscript_name),
            "CIDSystemInfo": pdfdoc.PDFDictionary(
                {
                    "Registry": pdfdoc.PDFString("Adobe"),
                    "Ordering": pdfdoc.PDFString("Identity"),
                    "Supplement": 0,
                }
            ),
            "FontDescriptor": reference(descriptor),
            "DW": 1000,
            "W": widths,
            "CIDToGIDMap": pdfdoc.PDFName("Identity"),
        }
    )
    to_unicode = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary({}), to_unicode_cmap(font), filters=[pdfdoc.PDFZCompress]
    )
    return pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("Font"),
            "Subtype": pdfdoc.PDFName("Type0"),
            "BaseFont": pdfdoc.PDFName(font.postscript_name),
            "Encoding": pdfdoc.PDFName("Identity-H"),
            "DescendantFonts": pdfdoc.PDFArray([reference(cid_font)]),
            "ToUnicode": reference(to_unicode),
        }
    )
