"""The built PDFs, read back with pypdf, poppler and PDFium: fields, metadata, geometry, text, rendering.

Every check reads the real PDFs that ``werkbladen.layout.build`` writes (the ``built_pdfs``
fixture) with real PDF engines; nothing is mocked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import BooleanObject, DictionaryObject

from werkbladen.content.model import EXPLAIN_LABEL, QuestionBlock, Werkboek
from werkbladen.content.naming import INFO_KEY, NAME_PATTERN, TEMPLATE_FIELD, WERKBOEK, TemplateId

DATA = Path(__file__).resolve().parent / "data"

# ISO 32000-1 Table 165 (annotation flags), Table 221/226/228 (field flags), bit n = 1 << (n - 1)
ANNOT_HIDDEN = 1 << 1
ANNOT_PRINT = 1 << 2
FF_READ_ONLY = 1 << 0
FF_REQUIRED = 1 << 1
FF_MULTILINE = 1 << 12
FF_RADIO = 1 << 15
FF_PUSHBUTTON = 1 << 16


def template_of(filename: str) -> str:
    """``werkboek.pdf`` -> ``werkboek``; ``stap-3.pdf`` -> ``stap3``."""
    return WERKBOEK if filename == "werkboek.pdf" else filename.removesuffix(".pdf").replace("-", "")


@dataclass(frozen=True)
class Widget:
    page: int
    name: str
    rect: tuple[float, float, float, float]
    annot: DictionaryObject
    field: DictionaryObject

    @property
    def kind(self) -> str:
        ft = self.field.get("/FT")
        ff = int(self.field.get("/Ff", 0))
        if ft == "/Tx":
            return "multiline" if ff & FF_MULTILINE else "text"
        if ft == "/Btn":
            return "choice" if ff & FF_RADIO else "checkbox"
        return str(ft)

    @property
    def on_states(self) -> set[str]:
        ap = self.annot.get("/AP", {}).get("/N", {})
        return {str(k) for k in ap} - {"/Off"} if isinstance(ap, DictionaryObject) else set()


def widgets(reader: PdfReader) -> list[Widget]:
    """Every widget annotation, page by page, in /Annots order (the tab order)."""
    out = []
    for number, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            field = annot if "/T" in annot else annot["/Parent"].get_object()
            rect = tuple(sorted_rect([float(v) for v in annot["/Rect"]]))
            out.append(Widget(number, str(field["/T"]), rect, annot, field))  # type: ignore[arg-type]
    return out


def sorted_rect(r: list[float]) -> tuple[float, float, float, float]:
    return (min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3]))


def overlap(a: tuple[float, ...], b: tuple[float, ...], slack: float = 0.0) -> bool:
    """True when the rectangles share an area wider and taller than ``slack``."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w > slack and h > slack


@cache
def reader_of(path: Path) -> PdfReader:
    return PdfReader(path)


@cache
def text_of(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode()


def squeeze(text: str) -> str:
    """Text without any whitespace: line breaks and wrapping at hyphens no longer matter."""
    return re.sub(r"\s+", "", text)


@cache
def words_of(path: Path) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Per page, each word and its box in PDF coordinates (origin bottom left), from poppler."""
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True).stdout
    root = ET.fromstring(xml)
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        height = float(page.get("height", 0))
        words = []
        for w in page.iter("{http://www.w3.org/1999/xhtml}word"):
            x0, y0, x1, y1 = (float(w.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax"))
            words.append((w.text or "", (x0, height - y1, x1, height - y0)))
        pages.append(words)
    return pages


def all_pdfs(built: dict[str, Path]) -> Iterator[tuple[str, Path]]:
    yield from sorted(built.items())


# -- the fields ------------------------------------------------------------------------------------


def test_eight_pdfs(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    expected = {"werkboek.pdf"} | {f"stap-{w.step}.pdf" for w in werkboek.steps}
    assert set(built_pdfs) == expected
    assert len(expected) == 8


def test_field_names_are_exactly_the_contract(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    for name, path in all_pdfs(built_pdfs):
        fields = reader_of(path).get_fields() or {}
        expected = {s.name for s in werkboek.form_fields(template_of(name))} | {TEMPLATE_FIELD}
        assert set(fields) == expected, name
        for field_name in fields:
            assert NAME_PATTERN.match(field_name) and "." not in field_name, field_name


def test_field_kinds_tooltips_and_flags(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    for name, path in all_pdfs(built_pdfs):
        specs = {s.name: s for s in werkboek.form_fields(template_of(name))}
        seen = set()
        for w in widgets(reader_of(path)):
            if w.name == TEMPLATE_FIELD:
                continue
            spec = specs[w.name]
            seen.add(w.name)
            expected_kind = {"date": "text"}.get(spec.kind, spec.kind)
            assert w.kind == expected_kind, (name, w.name)
            assert w.field.get("/TU") == spec.tooltip, (name, w.name)
            assert "/MaxLen" not in w.field and "/MaxLen" not in w.annot, (name, w.name)
            assert int(w.annot.get("/F", 0)) & ANNOT_PRINT, (name, w.name)
            assert not int(w.annot.get("/F", 0)) & ANNOT_HIDDEN, (name, w.name)
            ff = int(w.field.get("/Ff", 0))
            assert not ff & (FF_REQUIRED | FF_READ_ONLY | FF_PUSHBUTTON), (name, w.name)
            if w.field.get("/FT") == "/Tx":
                da = str(w.annot.get("/DA", ""))
                size = float(re.search(r"/Wingdings ([\d.]+) Tf", da).group(1))  # type: ignore[union-attr]
                assert 8 <= size <= 12, (name, w.name, da)
        assert seen == set(specs), name


def test_on_states(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    """Checkboxes turn on as /Yes; each radio button's on-state is its option's value."""
    for name, path in all_pdfs(built_pdfs):
        specs = {s.name: s for s in werkboek.form_fields(template_of(name))}
        radios: dict[str, list[str]] = {}
        for w in widgets(reader_of(path)):
            if w.kind == "checkbox":
                assert w.on_states == {"/Yes"}, (name, w.name)
            elif w.kind == "choice":
                (state,) = w.on_states
                radios.setdefault(w.name, []).append(state.lstrip("/"))
        for field_name, states in radios.items():
            assert states == [v for v, _ in specs[field_name].options], (name, field_name)


def test_tab_order_is_the_reading_order(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    """Widgets sit in /Annots page by page in the order of form_fields (radio buttons together)."""
    for name, path in all_pdfs(built_pdfs):
        order: list[str] = []
        for w in widgets(reader_of(path)):
            if w.name != TEMPLATE_FIELD and (not order or order[-1] != w.name):
                order.append(w.name)
        assert order == [s.name for s in werkboek.form_fields(template_of(name))], name


def test_template_identity(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    for name, path in all_pdfs(built_pdfs):
        reader = reader_of(path)
        identity = str(TemplateId(template_of(name), werkboek.version, werkboek.fingerprint))
        field = reader.get_fields()[TEMPLATE_FIELD]  # type: ignore[index]
        assert field.get("/V") == identity
        (w,) = [w for w in widgets(reader) if w.name == TEMPLATE_FIELD]
        assert int(w.annot["/F"]) & ANNOT_HIDDEN and not int(w.annot["/F"]) & ANNOT_PRINT
        assert int(w.field["/Ff"]) & FF_READ_ONLY
        assert reader.metadata is not None and reader.metadata[INFO_KEY] == identity


def test_document_metadata(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    for name, path in all_pdfs(built_pdfs):
        reader = reader_of(path)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "nl-NL"
        assert root["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
        info = reader.metadata
        assert info is not None
        assert info.title and werkboek.title in info.title
        assert info.author == werkboek.publisher
        assert info.subject == werkboek.subtitle
        if name != "werkboek.pdf":
            step = werkboek.werkblad(template_of(name))
            assert info.title.startswith(f"Stap {step.step}: {step.title}")


# -- geometry ----------------------------------------------------------------------------------------


def test_widgets_inside_their_page_and_apart(built_pdfs: dict[str, Path]) -> None:
    for name, path in all_pdfs(built_pdfs):
        reader = reader_of(path)
        ws = [w for w in widgets(reader) if w.name != TEMPLATE_FIELD]
        for w in ws:
            box = reader.pages[w.page].mediabox
            assert box.left <= w.rect[0] < w.rect[2] <= box.right, (name, w.name)
            assert box.bottom <= w.rect[1] < w.rect[3] <= box.top, (name, w.name)
        for i, a in enumerate(ws):
            for b in ws[i + 1 :]:
                if a.page == b.page:
                    assert not overlap(a.rect, b.rect), (name, a.name, b.name)


def test_no_text_inside_a_field(built_pdfs: dict[str, Path]) -> None:
    """No printed word (a question, a label, a cell's text) lies under a field's box."""
    for name, path in all_pdfs(built_pdfs):
        pages = words_of(path)
        for w in widgets(reader_of(path)):
            if w.name == TEMPLATE_FIELD:
                continue
            for word, box in pages[w.page]:
                assert not overlap(w.rect, box, slack=0.5), (name, w.name, word)


def test_questions_sit_above_their_boxes(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    """Each question's first words are printed above (and left-aligned with) its field."""
    path = built_pdfs["werkboek.pdf"]
    pages = words_of(path)
    first_widget: dict[str, Widget] = {}
    for w in widgets(reader_of(path)):
        first_widget.setdefault(w.name, w)
    checked = 0
    for spec in werkboek.form_fields(WERKBOEK):
        if spec.table is not None or spec.name.startswith("respondent_"):
            continue
        w = first_widget[spec.name]
        first_word = spec.tooltip.split()[0]
        above = [box for word, box in pages[w.page] if word == first_word and box[1] >= w.rect[3]]
        above += [box for word, box in pages[w.page - 1] if word == first_word] if w.page else []
        assert above, spec.name
        checked += 1
    assert checked > 50


# -- text and links ------------------------------------------------------------------------------------


def test_seed_questions_are_printed(built_pdfs: dict[str, Path]) -> None:
    text = squeeze(text_of(built_pdfs["werkboek.pdf"]))
    questions = [
        line.strip()
        for line in (DATA / "seed_questions.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(questions) > 50
    missing = [q for q in questions if squeeze(q) not in text]
    assert not missing


def test_every_question_is_printed_in_its_step_pdf(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    """Each field's question is printed; a box to explain a choice prints its label under it."""
    explained = {
        f"{w.id}_{b.explain.id}": b.text
        for w in werkboek.werkbladen
        for b in w.blocks()
        if isinstance(b, QuestionBlock) and b.explain is not None
    }
    assert explained, "the content has no ja/nee question with room to explain"
    for name, path in all_pdfs(built_pdfs):
        text = squeeze(text_of(path))
        for spec in werkboek.form_fields(template_of(name)):
            if spec.name in explained:
                question = squeeze(explained[spec.name])
                assert re.search(re.escape(question) + r".*JaNee" + EXPLAIN_LABEL, text), (name, spec.name)
            elif spec.table is None:
                assert squeeze(spec.tooltip) in text, (name, spec.name)


def test_header_footer_and_page_numbers(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    for name, path in all_pdfs(built_pdfs):
        pages = text_of(path).split("\f")[:-1]
        total = len(reader_of(path).pages)
        assert len(pages) == total
        for number, page in enumerate(pages, start=1):
            if name == "werkboek.pdf" and number == 1:
                continue  # the cover
            assert f"pagina {number} van {total}" in page, (name, number)
            assert werkboek.title in page, (name, number)
        if name != "werkboek.pdf":
            step = werkboek.werkblad(template_of(name))
            assert f"Stap {step.step}" in pages[0]
            if step.werkblad_title:
                assert squeeze(step.werkblad_title) in squeeze(pages[0])
            for label in ("Doel van deze stap", "Resultaat na deze stap", "Ingevuld door"):
                assert label in pages[0], (name, label)


def _links(reader: PdfReader) -> list[DictionaryObject]:
    return [
        a.get_object()
        for page in reader.pages
        for a in page.get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link"
    ]


def test_url_links(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    """Every link in the content is a clickable URI annotation in the werkboek."""
    uris = {str(a["/A"]["/URI"]) for a in _links(reader_of(built_pdfs["werkboek.pdf"])) if "/A" in a}
    content = json_strings(werkboek.model_dump(mode="json"))
    urls = {s for s in content if s.startswith(("http://", "https://"))}
    assert urls and urls <= uris


def json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from json_strings(v)


def test_werkboek_links_and_outline_reach_every_step(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    reader = reader_of(built_pdfs["werkboek.pdf"])
    page_numbers = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}  # type: ignore[union-attr]
    texts = text_of(built_pdfs["werkboek.pdf"]).split("\f")
    link_pages = {page_numbers[a["/Dest"][0].idnum] for a in _links(reader) if "/Dest" in a}
    top = {
        str(o["/Title"]): reader.get_destination_page_number(o) for o in reader.outline if isinstance(o, dict)
    }
    for step in werkboek.steps:
        page = top[f"Stap {step.step}: {step.title}"]
        assert page in link_pages, step.id
        assert f"Stap {step.step}" in texts[page] and squeeze(step.title) in squeeze(texts[page])
    assert "Ingevuld door" in top


def test_content_fits_the_embedded_font(werkboek: Werkboek) -> None:
    """Werkbladen Sans has a glyph for every character of the content (else it prints a blank box)."""
    from werkbladen.layout import fonts

    cmap = fonts.field_metrics().cmap
    for text in json_strings(werkboek.model_dump(mode="json")):
        assert not [c for c in text if c.isprintable() and ord(c) not in cmap], text


# -- rendering ---------------------------------------------------------------------------------------

RENDER_DPI = 72


def _poppler(path: Path, tmp: Path, *, annotations: bool) -> list[Any]:
    from PIL import Image

    prefix = tmp / ("with" if annotations else "without")
    args = ["pdftoppm", "-r", str(RENDER_DPI), "-gray", "-png"]
    if not annotations:
        args.append("-hide-annotations")
    subprocess.run([*args, str(path), str(prefix)], check=True)
    return [Image.open(p).convert("L") for p in sorted(tmp.glob(f"{prefix.name}-*.png"))]


def _pdfium(path: Path, *, forms: bool) -> list[Any]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    if forms:
        pdf.init_forms()
    images = [
        page.render(scale=RENDER_DPI / 72, may_draw_forms=forms, grayscale=True).to_pil().convert("L")
        for page in pdf
    ]
    pdf.close()
    return images


def _changed_pixels(with_fields: Any, without: Any, rect: tuple[float, ...], page_height: float) -> int:
    from PIL import ImageChops

    scale = RENDER_DPI / 72
    box = (
        int(rect[0] * scale),
        int((page_height - rect[3]) * scale),
        int(rect[2] * scale + 0.999),
        int((page_height - rect[1]) * scale + 0.999),
    )
    diff = ImageChops.difference(with_fields.crop(box), without.crop(box))
    return sum(diff.histogram()[13:])


@pytest.mark.parametrize("engine", ["poppler", "pdfium"])
@pytest.mark.parametrize("filename", ["werkboek.pdf", "stap-2.pdf"])
def test_every_field_is_visible(
    built_pdfs: dict[str, Path], tmp_path: Path, engine: str, filename: str
) -> None:
    """Each widget draws its box: the page with fields differs from the page without, inside the box."""
    if engine == "poppler" and not shutil.which("pdftoppm"):
        pytest.skip("poppler not installed")
    path = built_pdfs[filename]
    if engine == "poppler":
        shown, hidden = (
            _poppler(path, tmp_path, annotations=True),
            _poppler(path, tmp_path, annotations=False),
        )
    else:
        shown, hidden = _pdfium(path, forms=True), _pdfium(path, forms=False)
    reader = reader_of(path)
    assert len(shown) == len(hidden) == len(reader.pages)
    for w in widgets(reader):
        height = float(reader.pages[w.page].mediabox.top)
        changed = _changed_pixels(shown[w.page], hidden[w.page], w.rect, height)
        perimeter = 2 * (w.rect[2] - w.rect[0] + w.rect[3] - w.rect[1]) * RENDER_DPI / 72
        if w.name == TEMPLATE_FIELD:
            assert changed == 0, "the template field must stay invisible"
        else:
            assert changed >= 0.5 * perimeter, (filename, engine, w.name, changed, perimeter)


def test_hyphenation_is_pyphens_word_for_word(werkboek: Werkboek) -> None:
    """The on-demand patterns (layout/hyphenate.py) split every word as Pyphen itself does."""
    import pyphen

    from werkbladen.layout.hyphenate import Hyphenator
    from werkbladen.layout.tables import HYPHENATION_LANG

    content = Path(__file__).resolve().parent.parent / "werkbladen" / "content"
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(content.glob("*.yaml")))
    words = set(re.findall(r"[^\W\d_]{4,}", text))
    words |= {"Onderwijsachterstandenbeleid", "jeugdgezondheidsbeleid", "ZORGVERZEKERAARS", "regio’s"}
    assert len(words) > 800
    ours, theirs = Hyphenator(HYPHENATION_LANG), pyphen.Pyphen(lang=HYPHENATION_LANG)
    for word in sorted(words):
        assert list(ours.iterate(word)) == list(theirs.iterate(word)), word
    assert isinstance(ours._patterns, tuple)  # the Dutch dictionary takes the short path
