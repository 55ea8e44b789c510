"""The blank form of a template, as the page reader needs it: where each field is, and the fixed text.

The blank is laid out in this process from the content (:mod:`werkbladen.layout`, the same bytes
``werkbladen build`` writes), so that it always matches the content the reader interprets with;
its widget rectangles come from the PDF (pypdf), its fixed text (question texts, headings, the
footer) from PDFium, like the page it is compared with. Made once per template and kept in the
user's cache (:mod:`werkbladen.cache`), named by the content and the code that made it: laying
out the werkboek costs about a second, so without it every worker of every batch would pay that
for its first flattened form. ReportLab is imported only when no cached blank fits.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from werkbladen import cache
from werkbladen.content.naming import WERKBOEK
from werkbladen.reader.recover.pagetext import Box, PdfText

if TYPE_CHECKING:
    from werkbladen.content.model import Werkboek


@dataclass(frozen=True, slots=True)
class Widget:
    """One widget of the blank: a text box, a checkbox, or one button of a radio group."""

    name: str
    kind: str
    """``text``, ``checkbox`` or ``radio``."""
    box: Box
    state: str | None = None
    """A radio button's own value (its on-state name); ``Yes`` for a checkbox."""
    multiline: bool = False
    ink: float = 0.0
    """How much of the middle of a button's box the blank itself inks (its frame, nothing more)."""


@dataclass(frozen=True, slots=True)
class BlankPage:
    width: float
    height: float
    anchors: dict[str, Box]
    """Fixed text that occurs once on the page → its box: what a page is fitted to."""
    widgets: tuple[Widget, ...]


@dataclass(frozen=True, slots=True)
class Blank:
    template: str
    version: str
    pages: tuple[BlankPage, ...]


_CACHE: dict[tuple[int, str], tuple[Werkboek, Blank]] = {}


_FORMAT = 1
"""The layout of a cached blank's JSON; a change of :func:`_to_json` must raise it."""


def blank_for(werkboek: Werkboek, template: str) -> Blank:
    """The blank of ``template`` (``werkboek`` or a step id) for this content: from memory, from
    the cache folder, or made (and then kept in both)."""
    key = (id(werkboek), template)
    cached = _CACHE.get(key)
    if cached is None or cached[0] is not werkboek:
        name = cache_name(werkboek, template)
        blank = _from_json(cache.read(name), werkboek, template)
        if blank is None:
            blank = _make(werkboek, template)
            cache.write(name, _to_json(blank))
        cached = _CACHE[key] = (werkboek, blank)
    return cached[1]


def cache_name(werkboek: Werkboek, template: str) -> str:
    """The cache file of this blank: a hash of the content, the template and the code."""
    made_of = f"{_FORMAT}\0{cache.code_fingerprint()}\0{template}\0{werkboek.model_dump_json()}"
    return f"blank-{template}-{hashlib.sha256(made_of.encode()).hexdigest()[:32]}.json"


def _to_json(blank: Blank) -> bytes:
    pages = [
        {
            "width": page.width,
            "height": page.height,
            "anchors": list(page.anchors.items()),
            "widgets": [[w.name, w.kind, w.box, w.state, w.multiline, w.ink] for w in page.widgets],
        }
        for page in blank.pages
    ]
    data = {"format": _FORMAT, "template": blank.template, "version": blank.version, "pages": pages}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _from_json(data: bytes | None, werkboek: Werkboek, template: str) -> Blank | None:
    """The blank kept in ``data``; None for none, or for anything that is not one of ours whole."""
    if data is None:
        return None
    try:
        kept = json.loads(data)
        if kept["format"] != _FORMAT or kept["template"] != template or kept["version"] != werkboek.version:
            return None
        pages = tuple(
            BlankPage(
                float(page["width"]),
                float(page["height"]),
                {str(text): _box(box) for text, box in page["anchors"]},
                tuple(
                    Widget(str(name), str(kind), _box(box), state, bool(multiline), float(ink))
                    for name, kind, box, state, multiline, ink in page["widgets"]
                ),
            )
            for page in kept["pages"]
        )
    except (ValueError, KeyError, TypeError):
        return None  # damaged or from elsewhere: made again
    return Blank(template, werkboek.version, pages)


def _box(values: list[float]) -> Box:
    x0, y0, x1, y1 = (float(v) for v in values)
    return (x0, y0, x1, y1)


def _make(werkboek: Werkboek, template: str) -> Blank:
    from werkbladen.layout import render_step, render_werkboek

    data = (
        render_werkboek(werkboek)
        if template == WERKBOEK
        else render_step(werkboek, werkboek.werkblad(template))
    )
    widgets = _widgets(data)
    pages = []
    with PdfText(data) as pdf:
        for index in range(pdf.page_count):
            page = pdf.page(index)
            counts = Counter(run.text for run in page.runs)
            anchors = {run.text: run.box for run in page.runs if counts[run.text] == 1 and len(run.text) >= 3}
            mine = widgets.get(index, [])
            inks = iter(page.inks([w.box for w in mine if w.kind != "text"]))
            own = tuple(
                Widget(w.name, w.kind, w.box, w.state, w.multiline, next(inks) if w.kind != "text" else 0.0)
                for w in mine
            )
            pages.append(BlankPage(page.width, page.height, anchors, own))
    return Blank(template, werkboek.version, tuple(pages))


def _widgets(data: bytes) -> dict[int, list[Widget]]:
    """Each page's widgets, read from the blank PDF (names, kinds, rectangles, on-states)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    out: dict[int, list[Widget]] = {}
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            field = annot if "/T" in annot else annot["/Parent"].get_object()
            name = str(field["/T"])
            kind = field.get("/FT")
            if kind not in ("/Tx", "/Btn") or annot.get("/F", 0) & 2:  # hidden: the template stamp
                continue
            box = tuple(float(v) for v in annot["/Rect"])
            rect = (min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3]))
            flags = int(field.get("/Ff", 0))
            if kind == "/Tx":
                out.setdefault(index, []).append(Widget(name, "text", rect, multiline=bool(flags & 4096)))
                continue
            states = [str(k)[1:] for k in annot["/AP"]["/N"] if k != "/Off"]
            radio = bool(flags & 32768)
            out.setdefault(index, []).append(Widget(name, "radio" if radio else "checkbox", rect, states[0]))
    return out
