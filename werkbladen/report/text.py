"""Plain text on the page: which font can show it, and where its lines break.

Answers are drawn as text, never read as markup, so nothing a partner typed can become a link,
a font or an image. Helvetica (the werkbladen's font) holds WinAnsi only; a text with any other
letter (ğ, ş, ı, ł …) is set in the shipped DejaVu Sans subset instead, as a whole, so that one
answer never mixes two typefaces.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from importlib import resources

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from werkbladen.filling.fonts import UNICODE_FONT_FILE
from werkbladen.layout import theme
from werkbladen.report.fonts import BOLD_FONT_FILE

CACHED = 80
"""Words up to this length have their widths kept: answers repeat their words a lot."""
NARROWEST = 0.15
"""Narrower than any letter of Helvetica or DejaVu Sans, as a share of the font size."""

UNICODE = "WerkbladenReportUnicode"
"""DejaVu Sans (subset): for text beyond WinAnsi; not the layout's Werkbladen Sans, whose names are taken."""
UNICODE_BOLD = "WerkbladenReportUnicode-Bold"


@functools.cache
def register_fonts() -> None:
    """Register the two Unicode fonts with ReportLab, once per process."""
    regular = (resources.files("werkbladen.filling.fonts") / UNICODE_FONT_FILE).read_bytes()
    bold = (resources.files("werkbladen.report.fonts") / BOLD_FONT_FILE).read_bytes()
    pdfmetrics.registerFont(TTFont(UNICODE, io.BytesIO(regular)))
    pdfmetrics.registerFont(TTFont(UNICODE_BOLD, io.BytesIO(bold)))


@functools.lru_cache(maxsize=65536)
def winansi(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class Look:
    """How a piece of text is set: weight, size, leading, colour; the font follows from the text."""

    size: float = 9.0
    leading: float = 12.0
    bold: bool = False
    italic: bool = False
    colour: Color = theme.TEXT

    def font(self, text: str) -> str:
        if winansi(text):
            if self.bold:
                return theme.FONT_BOLD
            return theme.FONT_ITALIC if self.italic else theme.FONT
        register_fonts()
        return UNICODE_BOLD if self.bold else UNICODE


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width``: at spaces, and inside words too long for a line."""
    width = max(width, size)
    widths = _widths(font, size)
    if len(widths) > 100_000:
        widths.clear()

    def measure(word: str, font: str, size: float) -> float:
        wide = widths.get(word)
        if wide is None:
            wide = pdfmetrics.stringWidth(word, font, size)
            if len(word) < CACHED:
                widths[word] = wide
        return wide

    space = measure(" ", font, size)
    out: list[str] = []
    for paragraph in text.split("\n"):
        if measure(paragraph, font, size) <= width:
            out.append(paragraph)
            continue
        line, used, started = "", 0.0, False
        for word in paragraph.split(" "):
            wide = measure(word, font, size)
            if started and used + space + wide <= width:
                line, used = f"{line} {word}", used + space + wide
                continue
            if started:
                out.append(line)
            if wide > width:
                *whole, word = _pieces(word, font, size, width)
                out.extend(whole)
                wide = measure(word, font, size)
            line, used, started = word, wide, True
        out.append(line)
    return out


@functools.cache
def _widths(font: str, size: float) -> dict[str, float]:
    """Widths of the words met so far in ``font`` at ``size``: answers repeat their words a lot."""
    return {}


def _pieces(word: str, font: str, size: float, width: float) -> list[str]:
    """A word too wide for a line, cut into pieces that fit (the last one may have room left).

    Each piece is looked for in a window no longer than the most characters that could fit, so a
    200,000-character word costs a few milliseconds rather than a quadratic search.
    """
    window = int(width / (size * NARROWEST)) + 1
    pieces = []
    start = 0
    while start < len(word):
        chunk = word[start : start + window]
        cut = (
            len(chunk)
            if pdfmetrics.stringWidth(chunk, font, size) <= width
            else _fit(chunk, font, size, width)
        )
        pieces.append(chunk[:cut])
        start += cut
    return pieces


def _fit(word: str, font: str, size: float, width: float) -> int:
    """The longest prefix of ``word`` that fits ``width`` (at least one character)."""
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if pdfmetrics.stringWidth(word[:mid], font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo
