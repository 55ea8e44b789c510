"""Render pages with poppler (pdftoppm) and PDFium (forms drawn), and measure a field's ink.

A value "shows" when the pixels inside its widget's rectangle differ from the blank's: at
``DPI``, more than ``MIN_PIXELS`` grey levels change by more than ``MIN_DELTA``.

PDFium draws the standard 14 fonts (Helvetica, ZapfDingbats, …) with fonts built into it; poppler
draws them with whatever fontconfig substitutes. ``poppler_font_problem`` says whether that
substitute is the one the tests were measured with: URW's base35 fonts (Debian fonts-urw-base35,
which ``scripts/test.sh`` installs), the metric-compatible clones that Ghostscript uses too.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from PIL import Image, ImageChops
from pypdf import PdfReader

DPI = 100
MIN_DELTA = 40
MIN_PIXELS = 6

POPPLER_BASE14 = {"Helvetica": "NimbusSans-Regular", "ZapfDingbats": "D050000L"}
"""Standard font → the file name (without extension) fontconfig must give poppler for it."""


def poppler_font_problem() -> str | None:
    """None when poppler draws Helvetica and ZapfDingbats with URW's base35 fonts, else why not."""
    for family, expected in POPPLER_BASE14.items():
        try:
            found = subprocess.run(
                ["fc-match", "--format=%{file}", family],
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return "fc-match is not installed (Debian package fontconfig)"
        if Path(found).stem != expected:
            return (
                f"poppler would draw {family} with {Path(found).name or 'no font'}, not {expected}: "
                "install fonts-urw-base35 (scripts/test.sh does)"
            )
    return None


def widget_rects(path: Path) -> dict[str, list[tuple[int, tuple[float, float, float, float]]]]:
    """Field name → [(page index, rect in PDF points with the origin at the page's top left)]."""
    reader = PdfReader(path)
    found: dict[str, list[tuple[int, tuple[float, float, float, float]]]] = {}
    for index, page in enumerate(reader.pages):
        height = float(page.mediabox.top)
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            name = annot.get("/T") or annot.get("/Parent", {}).get("/T")
            if name is None or annot.get("/Subtype") != "/Widget":
                continue
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            found.setdefault(str(name), []).append(
                (index, (min(x0, x1), height - max(y0, y1), max(x0, x1), height - min(y0, y1)))
            )
    return found


def render(renderer: str, path: Path, page: int) -> Image.Image:
    """Page ``page`` (0-based) of ``path`` as a grey image at ``DPI``."""
    if renderer == "poppler":
        png = subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(DPI),
                "-gray",
                "-png",
                "-f",
                str(page + 1),
                "-l",
                str(page + 1),
                str(path),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
        return Image.open(io.BytesIO(png)).convert("L")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pdf.init_forms()
        return pdf[page].render(scale=DPI / 72, may_draw_forms=True).to_pil().convert("L")
    finally:
        pdf.close()


def render_pages(renderer: str, path: Path, pages: set[int]) -> dict[int, Image.Image]:
    """Several pages of one file, opening it once."""
    if renderer == "poppler":
        return {p: render(renderer, path, p) for p in sorted(pages)}
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pdf.init_forms()
        return {
            p: pdf[p].render(scale=DPI / 72, may_draw_forms=True).to_pil().convert("L") for p in sorted(pages)
        }
    finally:
        pdf.close()


def ink(blank: Image.Image, filled: Image.Image, rect: tuple[float, float, float, float]) -> int:
    """How many pixels inside ``rect`` (shrunk by 2 px to leave the border out) changed."""
    s = DPI / 72
    box = (int(rect[0] * s) + 2, int(rect[1] * s) + 2, int(rect[2] * s) - 2, int(rect[3] * s) - 2)
    diff = ImageChops.difference(blank.crop(box), filled.crop(box)).point(
        lambda v: 255 if v > MIN_DELTA else 0
    )
    return int(diff.histogram()[255])
