"""The text of a PDF page with its positions, and the ink in a box, from PDFium.

PDFium (``pypdfium2``) because it gives every character its own box and tells when a glyph has
no Unicode mapping; pypdf's text visitor gives only rough positions per text object, pdfminer.six
is ten times slower. The raw C API is used, not pypdfium2's helpers: a werkboek page has ~1,100
characters and a Python call per character would cost more than reading a fillable form.
So a page is read as *runs*: PDFium's text lines, split where PDFium's own rectangles split them
(one text object, one baseline); per-character boxes are asked only for the runs an answer is
in. Coordinates are PDF points, origin bottom left, as in the page's user space.
"""

from __future__ import annotations

import ctypes
import re
import struct
from functools import cached_property
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Box = tuple[float, float, float, float]
"""x0, y0, x1, y1 (left, bottom, right, top)."""

_LINE = re.compile(r"[^\r\n]+")
LOST = "\ufffd"
"""What a glyph without a Unicode mapping reads as in a value: never a guessed letter."""


class PageError(Exception):
    """A page PDFium cannot load: the PDF is then not read from its pages."""


class Run(NamedTuple):
    """Characters on one baseline in one text object: the unit anchors and answers are made of
    (a tuple: a page has a thousand of them, made for every page read)."""

    text: str
    box: Box
    start: int
    """Index of its first character in the page's text."""
    end: int


class Char(NamedTuple):
    """A character and its box (a tuple: a page's answers are thousands of them, made quickly)."""

    text: str
    box: Box
    lost: bool
    """The glyph has no Unicode mapping: its letter is unknown (``text`` is :data:`LOST`)."""


def _bare(function: Any) -> Any:
    """``function`` of PDFium called without argument types, holding the GIL.

    Arguments go as they are: an ``int`` as a C int, a ``c_void_p`` as a pointer. The bindings'
    declared pointer types cost more to convert than the call itself, and the answers of a page
    are thousands of characters, a call each.
    """
    return ctypes.PYFUNCTYPE(ctypes.c_int)(ctypes.cast(function, ctypes.c_void_p).value or 0)


_CHAR_BOX = _bare(pdfium_c.FPDFText_GetCharBox)
"""``FPDFText_GetCharBox(page, index, &left, &right, &bottom, &top)``."""
_GET_RECT = _bare(pdfium_c.FPDFText_GetRect)
"""``FPDFText_GetRect(page, index, &left, &top, &right, &bottom)``."""
_COUNT_RECTS = _bare(pdfium_c.FPDFText_CountRects)
"""``FPDFText_CountRects(page, start, count)``: the rectangles of those characters, made anew."""
_BOX = struct.Struct("4d")
"""Four doubles read at once (iterating a ctypes array makes each float slowly)."""


class PageText:
    """One page: its runs (computed once), characters and ink on demand."""

    def __init__(self, doc: Any, index: int) -> None:
        self._page = pdfium_c.FPDF_LoadPage(doc, index)
        if not self._page:
            raise PageError(f"PDFium cannot load page {index + 1}")
        self._text = pdfium_c.FPDFText_LoadPage(self._page)
        if not self._text:
            pdfium_c.FPDF_ClosePage(self._page)
            raise PageError(f"PDFium cannot read the text of page {index + 1}")
        self.width = float(pdfium_c.FPDF_GetPageWidthF(self._page))
        self.height = float(pdfium_c.FPDF_GetPageHeightF(self._page))
        self.count = int(pdfium_c.FPDFText_CountChars(self._text))
        self._address = ctypes.c_void_p(ctypes.cast(self._text, ctypes.c_void_p).value)
        """The text page as a plain pointer, for the bare calls (:func:`_bare`)."""
        self._box = (ctypes.c_double * 4)()
        """left, bottom, right, top: where :data:`_CHAR_BOX` and :data:`_GET_RECT` write a box."""
        at = ctypes.addressof(self._box)
        self._left, self._bottom, self._right, self._top = (ctypes.c_void_p(at + 8 * k) for k in range(4))
        self._chars: dict[int, list[Char]] = {}

    def close(self) -> None:
        pdfium_c.FPDFText_ClosePage(self._text)
        pdfium_c.FPDF_ClosePage(self._page)

    @cached_property
    def text(self) -> str:
        """The page's characters, index for index.

        ``FPDFText_GetText`` in one call; it leaves glyphs without a Unicode mapping out (and a
        character outside the BMP takes two units), so when the count does not come out even the
        page is read character by character, an unmapped glyph as U+FFFD.
        """
        if not self.count:
            return ""
        buf = ctypes.create_string_buffer((self.count + 1) * 2)
        written = pdfium_c.FPDFText_GetText(
            self._text, 0, self.count, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort))
        )
        if written == self.count + 1:
            return buf.raw[: self.count * 2].decode("utf-16-le", "replace")
        unicode = pdfium_c.FPDFText_GetUnicode
        page = self._text
        return "".join([chr(unicode(page, i) or 0xFFFD) for i in range(self.count)])

    @cached_property
    def runs(self) -> list[Run]:
        """The page's text in runs, in PDFium's reading order."""
        out: list[Run] = []
        text, page, count = self.text, self._address, _COUNT_RECTS
        for line in _LINE.finditer(text):
            start, end = line.span()
            n = count(page, start, end - start)
            rects = [self._rect(k) for k in range(n)]
            if n == 1:
                out.append(Run(text[start:end].strip(), rects[0], start, end))
            elif n > 1:
                out.extend(self._split(text, start, end, rects))
        return [r for r in out if r.text]

    def _rect(self, k: int) -> Box:
        _GET_RECT(self._address, k, self._left, self._top, self._right, self._bottom)
        return _BOX.unpack_from(self._box)

    def _split(self, text: str, start: int, end: int, rects: list[Box]) -> list[Run]:
        """A line PDFium draws as several rectangles: one run per rectangle.

        PDFium makes rectangles walking the characters in order, so where each begins is found
        by bisecting on the count of rectangles of the line's first characters (C calls, not a
        character box each).
        """
        page, count = self._address, _COUNT_RECTS
        bounds = [start]
        for k in range(1, len(rects)):
            lo, hi = bounds[-1] + 1, end  # the first m with more than k rectangles in [start, m)
            while lo < hi:
                mid = (lo + hi) // 2
                if count(page, start, mid - start) > k:
                    hi = mid
                else:
                    lo = mid + 1
            bounds.append(lo - 1)
        bounds.append(end)
        return [
            Run(text[a:b].strip(), rect, a, b) for a, b, rect in zip(bounds, bounds[1:], rects, strict=False)
        ]

    def chars(self, run: Run) -> list[Char]:
        """The characters of ``run`` with their boxes; generated line ends are left out (made once)."""
        cached = self._chars.get(run.start)
        if cached is None:
            cached = self._chars[run.start] = self._read_chars(run)
        return cached

    def _read_chars(self, run: Run) -> list[Char]:
        """One C call per character, for its box: a glyph without a Unicode mapping is already
        U+FFFD in :attr:`text`, and PDFium's generated line ends are what runs are split at."""
        text, box = self.text, self._box
        left, bottom, right, top = self._left, self._bottom, self._right, self._top
        page = self._address
        get, unpack, make = _CHAR_BOX, _BOX.unpack_from, tuple.__new__
        out = []
        for i in range(run.start, run.end):
            ch = text[i]
            if ch == "\r" or ch == "\n":
                continue
            get(page, i, left, right, bottom, top)
            lost = ch in _UNMAPPED
            out.append(make(Char, (LOST if lost else ch, unpack(box), lost)))
        return out

    def inks(self, boxes: list[Box], *, scale: float = 2.0) -> list[float]:
        """For each box, the share of dark pixels in its middle half as PDFium renders it (0 … 1).

        A checkbox's tick or a radio button's dot is drawn there, whatever draws it: a
        ZapfDingbats glyph, a path, a Type 3 glyph of a print driver. Boxes on one row are
        rendered together: PDFium walks all of a page's objects for every render, so a row of 16
        radio buttons costs one render, not 16. Each box is measured in its own window of the
        row, placed to the nearest pixel: a quarter of a point off at most, at two pixels a point
        (an 11-pt box is 22 pixels). Over the test forms, marks ink 0.31–0.59 of the middle at
        this scale as at three pixels a point, empty boxes 0.00.
        """
        out = [0.0] * len(boxes)
        by_row: dict[tuple[float, float], list[int]] = {}
        for i, box in enumerate(boxes):
            by_row.setdefault((round(box[1], 1), round(box[3], 1)), []).append(i)
        for members in by_row.values():
            x0 = min(boxes[i][0] for i in members)
            _, y0, _, y1 = boxes[members[0]]
            windows = [
                (round((boxes[i][0] - x0) * scale), max(1, int((boxes[i][2] - boxes[i][0]) * scale)))
                for i in members
            ]
            h = max(1, int((y1 - y0) * scale))
            data, stride = self._render(x0, y1, max(a + w for a, w in windows), h, scale)
            for i, (left, w) in zip(members, windows, strict=True):
                cols = slice(left + w // 4, left + w - w // 4)
                rows = range(h // 4, h - h // 4)
                middle = b"".join([data[y * stride : (y + 1) * stride][cols] for y in rows])
                out[i] = 1 - len(middle.translate(None, _DARK)) / len(middle) if middle else 0.0
        return out

    def _render(self, x0: float, y1: float, w: int, h: int, scale: float) -> tuple[bytes, int]:
        """The page's grey pixels, ``w`` × ``h`` of them from (``x0``, ``y1``) down, and the row stride."""
        bitmap = pdfium_c.FPDFBitmap_CreateEx(w, h, pdfium_c.FPDFBitmap_Gray, None, 0)
        try:
            pdfium_c.FPDFBitmap_FillRect(bitmap, 0, 0, w, h, 0xFFFFFFFF)
            matrix = pdfium_c.FS_MATRIX(scale, 0, 0, scale, -x0 * scale, -(self.height - y1) * scale)
            clip = pdfium_c.FS_RECTF(0, 0, w, h)
            pdfium_c.FPDF_RenderPageBitmapWithMatrix(bitmap, self._page, matrix, clip, 0)
            stride = pdfium_c.FPDFBitmap_GetStride(bitmap)
            return ctypes.string_at(pdfium_c.FPDFBitmap_GetBuffer(bitmap), stride * h), stride
        finally:
            pdfium_c.FPDFBitmap_Destroy(bitmap)

    def has_images(self) -> bool:
        n = pdfium_c.FPDFPage_CountObjects(self._page)
        return any(
            pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(self._page, i))
            == pdfium_c.FPDF_PAGEOBJ_IMAGE
            for i in range(n)
        )


_UNMAPPED = frozenset("\ufffd\ufffe\x00")
"""What PDFium gives for a glyph without a Unicode mapping."""
_DARK = bytes(range(128))
"""Grey levels counted as ink."""


class PdfText:
    """A PDF opened with PDFium; pages are read when first asked for and closed together."""

    def __init__(self, data: bytes, password: str | None = None) -> None:
        self._doc = pdfium.PdfDocument(data, password=password)
        self.page_count = len(self._doc)
        self._pages: dict[int, PageText] = {}

    def page(self, index: int) -> PageText:
        if index not in self._pages:
            self._pages[index] = PageText(self._doc.raw, index)
        return self._pages[index]

    def close(self) -> None:
        for page in self._pages.values():
            page.close()
        self._pages.clear()
        self._doc.close()

    def __enter__(self) -> PdfText:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
