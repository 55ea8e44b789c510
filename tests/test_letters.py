"""Every letter visible after a save (issue 12, item 3): the field font is in the file.

Each engine fills stap-7.pdf's multi-line fields with a group of letters each (``engines/letters``:
Latin-1, Turkish, Polish, Czech, Romanian, Hungarian, € and typographic quotes) and saves; what
its own appearance streams draw is decoded through their fonts, and what poppler draws for the
saved file (Evince, Okular; regenerating under ``/NeedAppearances``) is read back from poppler's
own output. The fields name Werkbladen Sans, embedded whole in ``/DR`` as a Type0 font with a
ToUnicode map, so an engine that looks up the letters in the field's font finds all of them. The
measured losses stay asserted (an engine that starts drawing them fails the test: update the
README's matrix).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "engines"))
from letters import GROUPS, measure, poppler_redraw
from test_engines import require_engine

ALL = "".join(GROUPS.values())
LATIN1 = GROUPS["latin1"]

MISSING_OWN = {
    "werkbladen": "",
    "pdfjs": "",
    "mupdf": "",
    "pdftk-xfdf": ALL,
    "pdftk-fdf": ALL,
    "pdftk-xfdf-need-appearances": ALL,
    "pdflib": "".join(c for c in ALL if c not in LATIN1),
    "pypdf": "",
    "pdfium": "",
}
"""Letters each engine's own appearance leaves out (measured). pdftk (iText 2) encodes a Type0
font's text as zero bytes and draws nothing: with Helvetica it drew Latin-1 and Ł š ž ı; pdf-lib
draws with its own Helvetica (Latin-1; its save refuses the rest). pypdf drew 21 while empty
fields shared one appearance stream (it replaced the shared object, then encoded the next field's
text through the replacement's font, one byte a character); with a stream per field it draws all.
pdf.js drew Latin-1 only with Helvetica and now draws everything. PDFium (typing with FORM_OnChar,
as Chrome does) left ğ ı İ ș ț „ to the machine's fonts, which drew none of them, until the field
font's resource was named ``Wingdings`` (see ``werkbladen.layout.fonts.FIELD_FONT_KEY``)."""

POPPLER_SHOWS_ALL = ("werkbladen", "pdfjs", "mupdf", "pdfium", "pdftk-xfdf-need-appearances", "pypdf")
"""Saves that poppler shows completely: their own appearance, or poppler's redraw in the field
font under /NeedAppearances (pdftk's need_appearances, pypdf)."""


@pytest.fixture(scope="module")
def blank(built_pdfs: dict[str, Path]) -> Path:
    return built_pdfs["stap-7.pdf"]


def _missing(shown: dict[str, str]) -> str:
    drawn = "".join(shown.values())
    return "".join(c for c in ALL if c not in drawn)


@pytest.mark.parametrize("engine", sorted(MISSING_OWN))
def test_own_appearance_draws_the_letters(engine: str, blank: Path, tmp_path: Path) -> None:
    require_engine(engine)
    own = measure(engine, blank, tmp_path)
    assert _missing(own) == MISSING_OWN[engine]
    if engine in POPPLER_SHOWS_ALL:
        require_engine("werkbladen")
        assert _missing(poppler_redraw(tmp_path / f"{engine}-{blank.stem}.pdf", blank, tmp_path)) == ""
