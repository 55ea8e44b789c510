"""What shows: render blank and filled pages with poppler and with PDFium (forms drawn).

For every engine that writes appearances, a filled value must put ink inside its field's
rectangle, in both renderers; checkboxes and score choices too. Where an engine or a renderer
measurably shows nothing, that is asserted with xfail(strict=True) and the reason. For our
own fill, PDFium flattens the page and reads the drawn text back, so "shows" means the exact
characters, not just some ink.

The verdict must not depend on which fonts the machine has, so every assertion here is decided
by the PDF itself or by fonts the project pins:

- our fill embeds a DejaVu Sans subset, so what it draws is in the file;
- PDFium draws the standard 14 fonts (Helvetica, ZapfDingbats) with fonts built into it;
- poppler draws them with fontconfig's substitute, which must be URW's base35 fonts
  (fonts-urw-base35, installed by ``scripts/test.sh``): without them the poppler cases skip and,
  with ``CI=true``, ``test_poppler_draws_the_standard_fonts_with_urw_base35`` fails (see
  ``render.poppler_font_problem``). MuPDF's checkbox mark is the case that needs this: MuPDF
  draws ``(3)`` in ZapfDingbats under ``/WinAnsiEncoding``, so poppler asks for the glyph named
  ``three``, which ZapfDingbats (URW's D050000L) does not have, and draws nothing (asserted as
  an xfail); with DejaVu Sans as the substitute it drew a digit and the case passed.

Not asserted: whether CJK text shows. No font the PDFs embed or the project installs has those
glyphs, so whether an engine's or a renderer's appearance shows them is decided by the system's
fallback fonts: with fonts-noto-cjk installed PDFium draws them for five engines, without it for
none, and poppler also needs poppler-data. The engines even write different PDFs: PDFium's form
filler names whichever installed font covers a character (DejaVu Math TeX Gyre, Liberation Sans,
…). So the CJK samples (``FONT_DECIDED``) are not in the ink matrix; what is font-independent
about them stays asserted: ``extract`` gives them back exactly (``test_engines.py``), and our own
appearance draws the rest of the value and leaves out what DejaVu Sans lacks
(``test_missing_glyphs_draw_nothing_but_stay_in_the_value``). The emoji samples stay: they are
written between Latin words, and the ink asserted is those words'. What each engine's own
appearance draws is read from its content stream through its fonts' encodings (pypdf), not by a
renderer, since a renderer's text read-back of a non-embedded font depends on the substitute.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from werkbladen.content.loader import shipped_werkboek
from werkbladen.filling.prefill import fill

sys.path.insert(0, str(Path(__file__).parent / "engines"))
from drivers import ENGINES, WRITES_APPEARANCES
from render import MIN_PIXELS, ink, poppler_font_problem, render, render_pages, widget_rects
from session import filled
from test_engines import require_engine
from values import entries

PDFS = {"stap-2.pdf": "stap2", "stap-7.pdf": "stap7"}
RENDERERS = ("poppler", "pdfium")

FONT_DECIDED = frozenset({"text:cjk", "multiline:cjk"})
"""Samples whose visibility only the system's fallback fonts decide: not in the ink matrix."""
_MUPDF_CHECK = (
    "MuPDF draws its mark as (3) in ZapfDingbats under /WinAnsiEncoding: the glyph 'three', "
    "which ZapfDingbats (URW D050000L) lacks; poppler draws nothing, PDFium its built-in font's mark"
)
_PDFLIB = "pdf-lib's save() throws 'WinAnsi cannot encode' and the suite saves without appearances"
_PDFLIB_HIDDEN = (
    "date:date",
    "text:turkish",
    "text:polish",
    *(f"multiline:{k}" for k in ("lines", "dutch", "turkish", "polish", "emoji", "spaces", "long")),
)
HIDDEN: dict[tuple[str, str, str], str] = {
    ("mupdf", "poppler", "checkbox:checkbox"): _MUPDF_CHECK,
    **{("pdflib", r, s): _PDFLIB for r in RENDERERS for s in _PDFLIB_HIDDEN},
}
"""(engine, renderer, sample) measured to show nothing; an entry whose value does show fails."""
_PDFTK_TYPE0 = (
    "the fields' font is an embedded Type0 font (issue 12): pdftk (iText 2) writes its text as zero "
    "bytes, so its own appearance of a text field draws nothing (tests/test_letters.py)"
)


def _hidden(engine: str, renderer: str, sample: str) -> str | None:
    if engine in ("pdftk-xfdf", "pdftk-fdf") and sample.split(":")[0] in ("text", "multiline", "date"):
        return _PDFTK_TYPE0
    return HIDDEN.get((engine, renderer, sample))


def _cases() -> list[Any]:
    werkboek = shipped_werkboek()
    cases = []
    for pdf, template in PDFS.items():
        typed = {f"{e.kind}:{e.sample}" for e in entries(werkboek.form_fields(template)) if e.typed}
        samples = sorted(typed - FONT_DECIDED)
        for engine in ENGINES:
            if not WRITES_APPEARANCES[engine]:
                continue
            for renderer in RENDERERS:
                for sample in samples:
                    reason = _hidden(engine, renderer, sample)
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


def require_poppler_fonts() -> None:
    """Skip a poppler render without URW's base35 fonts (``CI=true`` fails the test below)."""
    problem = poppler_font_problem()
    if problem is not None:
        pytest.skip(problem)


def test_poppler_draws_the_standard_fonts_with_urw_base35() -> None:
    """The poppler cases were measured with URW's fonts; elsewhere they skip, and in CI fail here.

    (A failure inside an xfail case would count as the expected failure, hence this test.)
    """
    problem = poppler_font_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"poppler's standard fonts are required in CI: {problem}")
    pytest.skip(problem)


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
    if renderer == "poppler":
        require_poppler_fonts()
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
    """CJK and emoji: DejaVu Sans has no glyph; the appearance leaves them out, /V keeps them.

    Decided by the file alone: the appearance names only glyphs of the embedded subset, so no
    fallback font on any machine can make the missing characters appear.
    """
    from werkbladen.reader.extraction import extract

    out = tmp_path / "filled.pdf"
    out.write_bytes(fill(built_pdfs["stap-7.pdf"], {"respondent": {"naam": "Aa 日本 🙂 Bb"}}))
    assert extract(out).to_record()["respondent"]["naam"] == "Aa 日本 🙂 Bb"
    drawn = _appearance_texts(out)["respondent_naam"]
    assert drawn.split() == ["Aa", "Bb"], drawn
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


def _appearance_texts(path: Path) -> dict[str, str]:
    """Respondent field → the text its normal appearance stream draws, in widget order.

    Decoded by pypdf through the appearance's own fonts (encodings, ToUnicode, predefined CMaps
    such as PDFium's GBK-EUC-H), without rendering, so no system font takes part. A code that
    names no character (pdftk writes 0 for what its Helvetica cannot encode: .notdef, which draws
    nothing) is left out.
    """
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter(clone_from=path)
    texts: dict[str, str] = {}
    for ref in list(writer.pages[0].get("/Annots", [])):
        widget = ref.get_object()
        name = str(widget.get("/T", ""))
        if not name.startswith("respondent_"):
            continue
        normal = widget.get("/AP", DictionaryObject()).get("/N")
        if normal is None:
            texts[name] = ""
            continue
        stream = normal.get_object()
        page = writer.add_blank_page(612, 792)
        page.replace_contents(stream)
        page[NameObject("/Resources")] = stream.get("/Resources", DictionaryObject())
        texts[name] = page.extract_text().replace("\x00", "")
    return texts


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
"""What each engine's own appearance streams draw for the golden respondent fields, the fields'
texts joined in widget order (``_appearance_texts``): what a viewer that shows the appearances as
saved (macOS Preview, Safari, SumatraPDF) is asked to draw; nothing is regenerated. PDFium drops
ğ and ı, pdftk ź, ğ and Ş; PDFium writes the dash and the quotes in a non-embedded CJK font,
which shows only where the viewer has one. None: the engine left no appearance with the value."""


@pytest.mark.parametrize("engine", ENGINES)
def test_what_each_engines_own_appearance_draws(engine: str) -> None:
    texts = _appearance_texts(Path(__file__).parent / "golden" / f"stap-7.{engine}.pdf")
    drawn = " ".join(t.strip() for t in texts.values() if t.strip())
    assert drawn == (OWN_APPEARANCE_TEXT[engine] or "")
