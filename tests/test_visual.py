"""What shows: render blank and filled pages with poppler and with PDFium (forms drawn).

For every engine that writes appearances, a filled value must put ink inside its field's
rectangle, in both renderers; checkboxes and score choices too. Where an engine or a renderer
measurably shows nothing, that is asserted with xfail(strict=True) and the reason. For our
own fill, PDFium flattens the page and reads the drawn text back, so "shows" means the exact
characters, not just some ink.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from werkbladen.content.loader import shipped_werkboek
from werkbladen.filling.prefill import fill

sys.path.insert(0, str(Path(__file__).parent / "engines"))
from drivers import ENGINES, WRITES_APPEARANCES
from render import MIN_PIXELS, ink, render, render_pages, widget_rects
from session import filled
from test_engines import require_engine
from values import entries

PDFS = {"stap-2.pdf": "stap2", "stap-7.pdf": "stap7"}
RENDERERS = ("poppler", "pdfium")

_CJK = "no glyph for CJK: the engine's font (or ours, DejaVu Sans) lacks it and draws nothing"
_PDFLIB = "pdf-lib's save() throws 'WinAnsi cannot encode' and the suite saves without appearances"
_PDFLIB_HIDDEN = (
    "date:date",
    "text:turkish",
    "text:polish",
    *(f"multiline:{k}" for k in ("lines", "dutch", "turkish", "polish", "emoji", "spaces", "long")),
)
HIDDEN: dict[tuple[str, str, str], str] = {
    **{
        (e, r, s): _CJK
        for e in ENGINES
        for r in RENDERERS
        for s in ("text:cjk", "multiline:cjk")
        # PDFium's and MuPDF's own appearances name a font that poppler substitutes with a
        # CJK-capable system font, so there the characters do show.
        if not (r == "poppler" and e in ("pdfium", "mupdf"))
    },
    **{("pdflib", r, s): _PDFLIB for r in RENDERERS for s in _PDFLIB_HIDDEN},
}
"""(engine, renderer, sample) measured to show nothing; an entry whose value does show fails."""


def _cases() -> list[Any]:
    werkboek = shipped_werkboek()
    cases = []
    for pdf, template in PDFS.items():
        samples = sorted({f"{e.kind}:{e.sample}" for e in entries(werkboek.form_fields(template)) if e.typed})
        for engine in ENGINES:
            if not WRITES_APPEARANCES[engine]:
                continue
            for renderer in RENDERERS:
                for sample in samples:
                    reason = HIDDEN.get((engine, renderer, sample))
                    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                    cases.append(
                        pytest.param(
                            engine,
                            renderer,
                            pdf,
                            sample,
                            marks=marks,
                            id=f"{engine}-{renderer}-{pdf}-{sample}",
                        )
                    )
    return cases


@pytest.fixture(scope="session")
def renders(tmp_path_factory: pytest.TempPathFactory) -> dict[Any, Any]:
    return {}


def _page_images(
    key: tuple[str, str, str], path: Path, pages: set[int], cache: dict[Any, Any]
) -> dict[int, Any]:
    if key not in cache:
        cache[key] = render_pages(key[1], path, pages)
    images: dict[int, Any] = cache[key]
    return images


@pytest.mark.parametrize(("engine", "renderer", "pdf", "sample"), _cases())
def test_value_shows(
    engine: str,
    renderer: str,
    pdf: str,
    sample: str,
    built_pdfs: dict[str, Path],
    renders: dict[Any, Any],
) -> None:
    require_engine(engine)
    out, planned = filled(engine, built_pdfs[pdf], PDFS[pdf])
    planned = [e for e in planned if e.typed]
    rects = widget_rects(built_pdfs[pdf])
    pages = {p for e in planned for p, _ in rects[e.name]}
    blank = _page_images(("blank", renderer, pdf), built_pdfs[pdf], pages, renders)
    filled_pages = _page_images((engine, renderer, pdf), out, pages, renders)
    chosen = [e for e in planned if f"{e.kind}:{e.sample}" == sample]
    amounts = {e.name: max(ink(blank[p], filled_pages[p], r) for p, r in rects[e.name]) for e in chosen}
    assert min(amounts.values()) >= MIN_PIXELS, amounts


def test_blank_has_no_ink_difference(built_pdfs: dict[str, Path]) -> None:
    """The measure can fail: a blank against itself shows nothing."""
    rects = widget_rects(built_pdfs["stap-7.pdf"])
    image = render("poppler", built_pdfs["stap-7.pdf"], 0)
    assert all(ink(image, image, r) == 0 for places in rects.values() for p, r in places if p == 0)


@pytest.mark.parametrize(
    "value",
    ["één reünie € ‘ja’ — “nee”", "Ağrı Şahin ığüşöç İĞÜŞÖÇ", "Łódź Żółć Gęślą jaźń", "   spaties   "],
)
def test_our_appearance_draws_the_exact_text(built_pdfs: dict[str, Path], value: str, tmp_path: Path) -> None:
    """PDFium flattens our appearance into the page and reads back the very characters."""
    pdfium = pytest.importorskip("pypdfium2")
    import pypdfium2.raw as raw

    out = tmp_path / "filled.pdf"
    out.write_bytes(fill(built_pdfs["stap-7.pdf"], {"respondent": {"naam": value}}))
    before = _page_text(pdfium, raw, built_pdfs["stap-7.pdf"])
    after = _page_text(pdfium, raw, out)
    assert value.strip() in after
    assert value.strip() not in before


def test_missing_glyphs_draw_nothing_but_stay_in_the_value(
    built_pdfs: dict[str, Path], tmp_path: Path
) -> None:
    """CJK and emoji: DejaVu Sans has no glyph; the appearance leaves them out, /V keeps them."""
    from werkbladen.reader.extraction import extract

    out = tmp_path / "filled.pdf"
    out.write_bytes(fill(built_pdfs["stap-7.pdf"], {"respondent": {"naam": "Aa 日本 🙂 Bb"}}))
    assert extract(out).to_record()["respondent"]["naam"] == "Aa 日本 🙂 Bb"
    rects = widget_rects(out)["respondent_naam"]
    blank = render("pdfium", built_pdfs["stap-7.pdf"], 0)
    assert ink(blank, render("pdfium", out, 0), rects[0][1]) >= MIN_PIXELS


def _page_text(pdfium: Any, raw: Any, path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[0]
        assert raw.FPDFPage_Flatten(page.raw, raw.FLAT_NORMALDISPLAY) == raw.FLATTEN_SUCCESS
        page.close()
        text: str = pdf[0].get_textpage().get_text_range()
        return text
    finally:
        pdf.close()


OWN_APPEARANCE_TEXT = {
    "werkbladen": "Gemeente Łódź — ‘één’ € Ağrı Şahin 05-03-2024",
    "mupdf": "Gemeente Łódź — ‘één’ € Ağrı Şahin 05-03-2024",
    "pypdf": "Gemeente Łódź — ‘één’ € Ağrı Şahin 05-03-2024",
    "pdfium": "Gemeente Łódź — ‘één’ € Ar Şahin 05-03-2024",
    "pdftk-xfdf": "Gemeente Łód — ‘één’ € Arı ahin 05-03-2024",
    "pdftk-fdf": "Gemeente Łód — ‘één’ € Arı ahin 05-03-2024",
    "pdftk-xfdf-need-appearances": "Gemeente Łód — ‘één’ € Arı ahin 05-03-2024",
    "pdfjs": "05-03-2024",
    "pdflib": None,
}
"""What each engine's own appearance streams draw for the golden respondent fields, read back
by flattening them with PDFium without its form module (so nothing is regenerated): what
macOS Preview, Safari or SumatraPDF show. None: the engine left no appearance with the value."""


@pytest.mark.parametrize("engine", ENGINES)
def test_what_each_engines_own_appearance_draws(engine: str) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(Path(__file__).parent / "golden" / f"stap-7.{engine}.pdf"))
    try:
        page = pdf[0]
        assert raw.FPDFPage_Flatten(page.raw, raw.FLAT_NORMALDISPLAY) == raw.FLATTEN_SUCCESS
        page.close()
        lines = pdf[0].get_textpage().get_text_range().splitlines()
    finally:
        pdf.close()
    drawn = [line.strip() for line in lines if "05-03-2024" in line]
    expected = OWN_APPEARANCE_TEXT[engine]
    assert drawn == ([expected] if expected else [])
