"""Which letters each engine's own appearance shows: a field per group of letters, read back.

``measure(engine, blank, work)`` fills the multi-line fields of ``blank`` (stap-7.pdf), one group of
letters each, with ``engine``, and returns, per group, the letters that the saved appearance
streams draw. They are read back without a renderer's fonts: each widget's ``/AP /N`` is decoded
by pypdf through the fonts it names (encoding, ToUnicode). An engine that saves no appearance and
sets ``/NeedAppearances`` (pdf.js for what its font cannot encode, pdftk on request) leaves the
drawing to the viewer: ``poppler_redraw`` has poppler draw such a file (``pdftocairo -pdf``, as
Evince and Okular show it) and reads the letters back from what it drew (``pdftotext``).
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Collection
from pathlib import Path

from drivers import fill_with

GROUPS = {
    "latin1": "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ",
    "turkish": "ğĞşŞıİ",
    "polish": "ąĄćĆęĘłŁńŃśŚźŹżŻ",
    "czech": "čČďĎěĚňŇřŘšŠťŤůŮžŽ",
    "romanian": "ăĂșȘțȚ",
    "hungarian": "őŐűŰ",
    "symbols": "€‘’“”„–—…",
}
"""Latin-1, Latin Extended-A (and ș ț), €, typographic quotes and dashes."""


def multiline_fields(blank: Path) -> list[str]:
    from pypdf import PdfReader

    names = []
    for name, field in PdfReader(blank).get_fields().items():
        if field.get("/FT") == "/Tx" and int(field.get("/Ff", 0)) & 4096:
            names.append(name)
    return names


def plan(blank: Path) -> dict[str, str]:
    """Field name → the group of letters typed into it."""
    fields = multiline_fields(blank)
    if len(fields) < len(GROUPS):
        raise ValueError(f"{blank} has {len(fields)} multi-line fields, {len(GROUPS)} are needed")
    return {field: GROUPS[group] for field, group in zip(fields, GROUPS, strict=False)}


def shown(typed: str, drawn: str) -> str:
    """The letters of ``typed`` that ``drawn`` has."""
    return "".join(c for c in typed if c in drawn)


def measure(engine: str, blank: Path, work: Path) -> dict[str, str]:
    """Group → the letters the appearance streams saved by ``engine`` draw."""
    values = plan(blank)
    out = work / f"{engine}-{blank.stem}.pdf"
    fill_with(engine, blank, values, out)
    texts = appearance_texts(out)
    by_letters = {letters: group for group, letters in GROUPS.items()}
    return {by_letters[letters]: shown(letters, texts.get(name, "")) for name, letters in values.items()}


def filled(engine: str, blank: Path, work: Path) -> Path:
    out = work / f"{engine}-{blank.stem}.pdf"
    if not out.exists():
        fill_with(engine, blank, plan(blank), out)
    return out


def poppler_redraw(filled_pdf: Path, blank: Path, work: Path) -> dict[str, str]:
    """Group → the letters poppler draws for ``filled_pdf`` (regenerating under NeedAppearances)."""
    drawn_pdf = work / f"{filled_pdf.stem}.poppler.pdf"
    subprocess.run(["pdftocairo", "-pdf", str(filled_pdf), str(drawn_pdf)], check=True, timeout=120)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(drawn_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    blank_text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(blank), "-"], capture_output=True, text=True, check=True
    ).stdout
    extra = "".join((Counter(text) - Counter(blank_text)).elements())
    return {group: shown(letters, extra) for group, letters in GROUPS.items()}


def appearance_texts(path: Path, only: Collection[str] | None = None) -> dict[str, str]:
    """Field name → the text its widgets' normal appearance streams draw (decoded by pypdf);
    with ``only``, just those fields."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter(clone_from=path)
    texts: dict[str, str] = {}
    for page in list(writer.pages):
        for ref in list(page.get("/Annots", [])):
            widget = ref.get_object()
            name = str(widget.get("/T", widget.get("/Parent", {}).get("/T", "")))
            if only is not None and name not in only:
                continue
            normal = widget.get("/AP", DictionaryObject()).get("/N")
            if normal is None or not hasattr(normal.get_object(), "get_data"):
                continue
            stream = normal.get_object()
            scratch = writer.add_blank_page(612, 792)
            scratch.replace_contents(stream)
            scratch[NameObject("/Resources")] = stream.get("/Resources", DictionaryObject())
            texts[name] = texts.get(name, "") + scratch.extract_text().replace("\x00", "")
    return texts
