"""The werkbladen as real Firefox and real Chromium saved them after a person filled them in.

``scripts/fill_in_browsers.sh`` opened output/werkboek.pdf and output/stap-2.pdf in Firefox 153's
own viewer (pdf.js) and Chromium 156's own viewer (PDFium), clicked into the fields, typed the
answers of ``tests/engines/browsers/plan.py`` with the keyboard, ticked a checkbox, chose a radio
button and a score, and saved through the viewer's download button and the native save dialog. The
saves are golden files (tests/golden/browsers/, a JSON beside each naming what was typed where, the
browser's version and the date); no browser starts here.

Each save must read back exactly with ``werkbladen extract``. What it *shows* is measured four ways,
per typed letter, and asserted as the exact set of letters that do not show (a browser that starts
or stops drawing one fails: update the README's matrix):

* ``written``: the letters the saved appearance streams encode, decoded through their fonts (pypdf);
* ``embedded``: of those, the ones drawn in a font embedded in the file (else the viewer's machine
  must have a font of that name, or one it substitutes, with the letter);
* ``poppler``: the text poppler draws for the save (``pdftocairo -pdf``, as Evince and Okular show
  it), read back with ``pdftotext`` inside each field;
* ``pdfium``: the text PDFium draws (the page flattened with its form appearances), read back from
  PDFium's text layer inside each field.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from werkbladen.reader.extraction import extract

sys.path.insert(0, str(Path(__file__).parent / "engines"))
from letters import appearance_texts
from render import widget_rects
from values import flat_answers

GOLDEN = Path(__file__).parent / "golden" / "browsers"
SAVES = sorted(GOLDEN.glob("*.pdf"))
WERKBLAD = {"werkboek.pdf": "werkboek", "stap-2.pdf": "stap2"}

NOT_SHOWN: dict[str, dict[str, str]] = {
    "firefox": {"written": "", "embedded": "", "poppler": "", "pdfium": ""},
    "chromium": {"written": "", "embedded": "", "poppler": "", "pdfium": ""},
}
"""Browser → measure → the typed letters that do not show (measured on Firefox 153.8.0 and
Chromium 156.0.8078.114, 2 December 2026). Both write every letter in the embedded field font.
Chromium did so only once the field font's resource was named ``Wingdings``
(``werkbladen.layout.fonts.FIELD_FONT_KEY``): with ``/WbSans`` its PDFium left ğ ı İ ș ț „ out of
the appearance (the value kept them) and wrote Ş Ź ź ă Ł ł – — “ in fonts it added and did not
embed (``ChromeSansMM``, DejaVuSans), so that a reopened save showed "Aaolu ükrü" and "d bło Łód"
(those saves are the goldens of commit 468e304)."""


def _meta(save: Path) -> dict[str, object]:
    return json.loads(save.with_suffix(".json").read_text(encoding="utf-8"))


def _browser(save: Path) -> str:
    return save.name.split("-", 1)[0]


def _blank(save: Path) -> str:
    return save.name.split("-", 2)[2]


def _texts(save: Path) -> dict[str, str]:
    meta = _meta(save)
    typed = meta["typed"]
    assert isinstance(typed, dict)
    return {name: value for name, value in typed.items() if isinstance(value, str) and not value.isalnum()}


def _letters(text: str) -> set[str]:
    return {c for c in text if not c.isspace()}


def _poppler(save: Path, fields: list[str], work: Path) -> dict[str, str]:
    rects = widget_rects(save)
    out = {}
    for index in sorted({rects[name][0][0] for name in fields}):
        drawn = work / f"{save.stem}.poppler-{index + 1}.pdf"
        page = ["-f", str(index + 1), "-l", str(index + 1)]
        subprocess.run(
            ["pdftocairo", "-pdf", *page, str(save), str(drawn)], check=True, capture_output=True, timeout=120
        )
        for name in fields:
            number, (x0, y0, x1, y1) = rects[name][0]
            if number != index:
                continue
            crop = [
                "-x",
                str(int(x0)),
                "-y",
                str(int(y0)),
                "-W",
                str(int(x1 - x0) + 1),
                "-H",
                str(int(y1 - y0) + 1),
            ]
            out[name] = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", *crop, str(drawn), "-"],
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout
    return out


def _pdfium(save: Path, fields: list[str]) -> dict[str, str]:
    import pypdfium2 as pdfium

    rects = widget_rects(save)
    pdf = pdfium.PdfDocument(str(save))
    try:
        pdf.init_forms()
        out = {}
        for index in sorted({rects[name][0][0] for name in fields}):
            pdf[index].flatten()
            page = pdf[index]
            height = page.get_height()
            text = page.get_textpage()
            for name in fields:
                number, (x0, y0, x1, y1) = rects[name][0]
                if number == index:
                    out[name] = text.get_text_bounded(x0, height - y1, x1, height - y0)
        return out
    finally:
        pdf.close()


def _embedded(font: object) -> bool:
    font = font.get_object()  # type: ignore[attr-defined]
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _embedded_only(save: Path, fields: list[str], work: Path) -> dict[str, str]:
    """Field name → the text its appearance draws in fonts embedded in the file: a copy whose
    appearance streams keep only the text shown in such fonts, decoded as ``written`` is."""
    from pypdf import PdfWriter
    from pypdf.generic import ContentStream

    writer = PdfWriter(clone_from=save)
    for page in writer.pages:
        for ref in page.get("/Annots", []):
            widget = ref.get_object()
            if str(widget.get("/T", widget.get("/Parent", {}).get("/T", ""))) not in fields:
                continue
            normal = widget.get("/AP", {}).get("/N")
            if normal is None or not hasattr(normal.get_object(), "get_data"):
                continue
            stream = normal.get_object()
            fonts = stream.get("/Resources", {}).get("/Font", {})
            content = ContentStream(stream, writer)
            kept, embedded = [], True
            for operands, operator in content.operations:
                if operator == b"Tf":
                    name = operands[0]
                    embedded = name in fonts and _embedded(fonts[name])
                if operator in (b"Tj", b"TJ", b"'", b'"') and not embedded:
                    continue
                kept.append((operands, operator))
            content.operations = kept
            stream.set_data(content.get_data())
    copy = work / f"{save.stem}.embedded.pdf"
    writer.write(copy)
    return appearance_texts(copy, fields)


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, str]]:
    """(save name, measure) → field → the text that measure finds drawn in the field."""
    work = tmp_path_factory.mktemp("browsers")
    out: dict[tuple[str, str], dict[str, str]] = {}
    for save in SAVES:
        fields = list(_texts(save))
        out[(save.name, "written")] = appearance_texts(save, fields)
        out[(save.name, "embedded")] = _embedded_only(save, fields, work)
        out[(save.name, "poppler")] = _poppler(save, fields, work)
        out[(save.name, "pdfium")] = _pdfium(save, fields)
    return out


def test_the_goldens_are_there() -> None:
    assert {s.name for s in SAVES} == {
        f"{b}-{v}-{p}" for b, v in (("firefox", 153), ("chromium", 156)) for p in WERKBLAD
    }


@pytest.mark.parametrize("save", SAVES, ids=lambda p: p.stem)
def test_every_typed_value_comes_back(save: Path) -> None:
    meta = _meta(save)
    assert meta["browser"] == _browser(save)
    assert str(meta["version"]).split(".")[0] == save.name.split("-")[1]
    record = extract(save).to_record()
    assert record["status"] == "ok", record["reason"] or record["warnings"]
    assert record["werkblad"] == WERKBLAD[_blank(save)]
    got = flat_answers(record)
    expected = meta["expected"]
    assert isinstance(expected, dict)
    assert {name: got.get(name) for name in expected} == expected
    untouched = {
        name: value for name, value in got.items() if name not in expected and value not in (None, False)
    }
    assert untouched == {}


@pytest.mark.parametrize("save", SAVES, ids=lambda p: p.stem)
def test_ticks_and_choices_show(save: Path) -> None:
    """The ticked checkbox and the chosen radio buttons are in their on state, with an appearance."""
    from pypdf import PdfReader

    typed = _meta(save)["typed"]
    assert isinstance(typed, dict)
    states: dict[str, set[str]] = {}
    for page in PdfReader(save).pages:
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            parent = annot.get("/Parent")
            name = str(annot.get("/T") or (parent.get_object().get("/T") if parent else ""))
            state = str(annot.get("/AS", "/Off"))
            if name in typed and state != "/Off":
                assert state in annot["/AP"]["/N"]
                states.setdefault(name, set()).add(state[1:])
    wanted = {
        name: {"Yes" if value is True else str(value)}
        for name, value in typed.items()
        if value is True or (isinstance(value, str) and value.isalnum())
    }
    assert states == wanted


@pytest.mark.parametrize("measure", ["written", "embedded", "poppler", "pdfium"])
@pytest.mark.parametrize("save", SAVES, ids=lambda p: p.stem)
def test_letters_that_show(save: Path, measure: str, drawn: dict[tuple[str, str], dict[str, str]]) -> None:
    texts = _texts(save)
    shown = drawn[(save.name, measure)]
    missing = {
        name: "".join(sorted(_letters(value) - _letters(shown.get(name, ""))))
        for name, value in texts.items()
    }
    never = NOT_SHOWN[_browser(save)][measure]
    expected = {
        name: "".join(sorted(c for c in _letters(value) if c in never)) for name, value in texts.items()
    }
    assert missing == expected


def test_the_missing_letters_are_typed() -> None:
    """Every letter named in NOT_SHOWN is typed into some field: the assertions above can fail."""
    typed = set().union(*(_letters(v) for save in SAVES for v in _texts(save).values()))
    for measures in NOT_SHOWN.values():
        for letters in measures.values():
            assert set(letters) <= typed
