"""Printed and flattened werkbladen: recognised from their pages, their answers read back from the page.

A form printed to PDF (a print dialog, ``pdftocairo -pdf``) or flattened (pdftk ``flatten``, qpdf
``--flatten-annotations``, PyMuPDF ``bake()``) has no fields left, but its answers are still drawn
on the page. :func:`recover` finds the blank of the same template (:mod:`.blank`), fits each page
to it by the fixed texts (:mod:`.fit`), and reads what is inside each field's box
(:mod:`.values`); text and positions come from PDFium (:mod:`.pagetext`).

A PDF is taken for a werkblad only when it has the blank's page count and its first page and
every page with fields have most of the blank's fixed texts where the blank has them: a letter
that quotes a werkblad is not one.
The result has status ``recovered``: read, but from the page, so ``details.recovered`` flags every
value (see :data:`werkbladen.record.Record`). Pages that show no answer at all (a blank printed,
a form whose widgets were deleted) are not a recovered form: the failure stays what it was.
A PDF whose pages are only images (a scan) gets status ``scanned``: there is no text to read.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

from werkbladen.content.naming import TEMPLATE_FIELD, WERKBOEK, TemplateId
from werkbladen.errors import ScannedError, Status
from werkbladen.gcpause import paused_gc
from werkbladen.messages import ASK_FORM, listed
from werkbladen.reader.rawform import RawField, RawForm
from werkbladen.reader.recover.blank import Blank, BlankPage, Widget, blank_for
from werkbladen.reader.recover.fit import TOLERANCE, Fit, fit_page
from werkbladen.reader.recover.pagetext import PageError, PageText, PdfText, Run
from werkbladen.reader.recover.values import (
    FLAGS,
    FROM_PAGE,
    OVERLAPPING_TEXT,
    POSSIBLY_INCOMPLETE,
    UNCLEAR_MARK,
    Read,
    read_button,
    read_text,
)

if TYPE_CHECKING:
    from werkbladen.content.model import Werkboek
    from werkbladen.reader.result import ExtractResult

_VERSION = re.compile(r"\bversie (\S+)")
_SCAN_SAMPLE = 3
"""Pages looked at to call a PDF a scan: its first three, all without text, one with a picture."""
_SPACES = re.compile(r"\s+")


def recover(
    file: str | None,
    data: bytes,
    info: str | None,
    damage: list[str],
    log: list[str],
    werkboek: Werkboek,
    password: str | None = None,
) -> ExtractResult | None:
    """The answers on the pages of a PDF without fields, or None when it is no werkblad we know.

    ``info`` is the ``/WerkbladenTemplate`` text a flattener may have kept. Raises
    :class:`~werkbladen.errors.ScannedError` for pages without a text layer.
    """
    try:
        pdf = PdfText(data, password)
    except Exception:
        return None  # PDFium cannot open what pypdf could: say what pypdf found instead
    with pdf, paused_gc():
        try:
            return _recognise(file, pdf, info, damage, log, werkboek)
        except PageError:
            return None


def _recognise(
    file: str | None, pdf: PdfText, info: str | None, damage: list[str], log: list[str], werkboek: Werkboek
) -> ExtractResult | None:
    """Page one first: a PDF that is no werkblad costs one page, whatever its length."""
    if pdf.page_count == 0:
        return None
    first = pdf.page(0)
    if not first.count:
        sample = [pdf.page(i) for i in range(min(pdf.page_count, _SCAN_SAMPLE))]
        if not any(p.count for p in sample) and any(p.has_images() for p in sample):
            raise ScannedError(
                "de pagina's zijn afbeeldingen zonder tekst (een scan, of een foto van het formulier): "
                f"er zijn geen antwoorden uit te lezen; {ASK_FORM}"
            )
        return None
    hint = TemplateId.parse(info) if info else None
    for template in _candidates(werkboek, first, hint):
        blank = blank_for(werkboek, template)
        if len(blank.pages) != pdf.page_count:
            continue
        numbers = _pages_to_fit(blank)
        pages = [pdf.page(i) for i in numbers]
        fits = [fit_page(blank.pages[i], p) for i, p in zip(numbers, pages, strict=True)]
        if all(f is not None for f in fits):
            version = hint.version if hint and hint.werkblad == template else _printed_version(first)
            return _read(file, blank, numbers, pages, [f for f in fits if f], version, damage, log, werkboek)
    return None


def _pages_to_fit(blank: Blank) -> list[int]:
    """The pages a form is recognised and read by: the first, and every page with fields.

    The others (the werkboek's introduction) hold no answer; the page count already tells a
    werkblad from a shorter PDF, and reading their text would cost an eighth of the time.
    """
    return [i for i, page in enumerate(blank.pages) if i == 0 or page.widgets]


def _candidates(werkboek: Werkboek, first: PageText, hint: TemplateId | None) -> list[str]:
    """The templates whose footer (or, for the werkboek, title) the first page shows."""
    from werkbladen.reader.answers import templates

    text = _SPACES.sub(" ", first.text)
    found = []
    for template in templates(werkboek):
        if template == WERKBOEK:
            if werkboek.title in text and "versie " in text:
                found.append(template)
        elif f"{werkboek.werkblad(template).heading} · {werkboek.title}" in text:
            found.append(template)
    if hint is not None and hint.werkblad in found:
        found.remove(hint.werkblad)
        found.insert(0, hint.werkblad)
    return found


def _printed_version(first: PageText) -> str:
    """The content version the cover prints (``versie …``, the werkboek's only); else unknown."""
    match = _VERSION.search(first.text)
    return match.group(1) if match else ""


def _read(
    file: str | None,
    blank: Blank,
    numbers: list[int],
    pages: list[PageText],
    fits: list[Fit],
    version: str,
    damage: list[str],
    log: list[str],
    werkboek: Werkboek,
) -> ExtractResult | None:
    """The answers on the pages; None when not one is drawn there."""
    from werkbladen.reader.interpret import interpret

    flags: dict[str, list[str]] = {}
    fields: list[RawField] = [
        RawField(TEMPLATE_FIELD, "text", str(TemplateId(blank.template, version or werkboek.version)))
    ]
    radios: dict[str, list[str]] = {}
    unclear: set[str] = set()
    for number, page, fit in zip(numbers, pages, fits, strict=True):
        own = blank.pages[number]
        runs = _answer_runs(own, page, fit)
        inks = iter(page.inks([fit.box(w.box) for w in own.widgets if w.kind != "text"]))
        texts: list[tuple[Widget, Read]] = []
        for widget in own.widgets:
            if widget.kind == "text":
                read = read_text(page, runs, widget, fit)
                texts.append((widget, read))
                fields.append(RawField(widget.name, "text", read.value))
                if read.value is not None or len(read.flags) > 1:
                    flags[widget.name] = read.flags
                continue
            marked, clear = read_button(next(inks), widget)
            if not clear:
                unclear.add(widget.name)
            if widget.kind == "checkbox":
                fields.append(RawField(widget.name, "checkbox", None, state="Yes" if marked else None))
                if marked or not clear:
                    flags[widget.name] = [FROM_PAGE]
            else:
                chosen = radios.setdefault(widget.name, [])
                if marked:
                    chosen.append(widget.state or "")
        _spilled_into(texts)
    for name, chosen in radios.items():
        if len(chosen) > 1:
            unclear.add(name)
        state = chosen[0] if len(chosen) == 1 else None
        fields.append(RawField(name, "radio", state, state=state))
        if chosen or name in unclear:
            flags[name] = [FROM_PAGE]
    for name in unclear:
        flags.setdefault(name, [FROM_PAGE]).append(UNCLEAR_MARK)
    if not flags:
        return None  # the page shows no answer (a blank, or fields removed): say what the form lacks
    result = interpret(file, RawForm(fields=fields, has_acroform=False), None, damage, log, werkboek)
    return _as_recovered(result, blank, numbers, fits, version, flags)


SPILL = 60.0
"""Points below or to the right of a box that its clipped overflow may still reach."""


def _spilled_into(texts: list[tuple[Widget, Read]]) -> None:
    """Flag the answers that a box's overflow may run into: the boxes just below and to its right.

    A text cut off at its box's edge is still in the PDF, clipped, and lies over the next box;
    where that box is empty or its own text is not overlapped, nothing else shows it.
    """
    over = [w.box for w, r in texts if POSSIBLY_INCOMPLETE in r.flags]
    for widget, read in texts:
        if read.value is None:
            continue
        x0, y0, x1, y1 = widget.box
        for a0, b0, a1, b1 in over:
            below = a0 < x1 and x0 < a1 and 0 <= b0 - y1 + 1 < SPILL
            right = b0 < y1 and y0 < b1 and 0 <= x0 - a1 + 1 < SPILL
            if below or right:
                read.flag(OVERLAPPING_TEXT)
                break


def _answer_runs(blank: BlankPage, page: PageText, fit: Fit) -> list[Run]:
    """The page's runs that are not the blank's fixed text in its place."""
    out = []
    anchors = blank.anchors
    for run in page.runs:
        fixed = anchors.get(run.text)
        if fixed is not None:
            a0, a1, a2, a3 = fit.box(fixed)
            b0, b1, b2, b3 = run.box
            if max(abs(a0 - b0), abs(a1 - b1), abs(a2 - b2), abs(a3 - b3)) <= TOLERANCE:
                continue
        out.append(run)
    return out


def _as_recovered(
    result: ExtractResult,
    blank: Blank,
    numbers: list[int],
    fits: list[Fit],
    version: str,
    flags: dict[str, list[str]],
) -> ExtractResult:
    order = {f: i for i, f in enumerate(FLAGS)}
    recovered = {name: sorted(f, key=order.__getitem__) for name, f in flags.items()}
    doubtful = sorted(name for name, f in recovered.items() if len(f) > 1)
    from werkbladen.reader.interpret import OTHER_VERSION

    warnings = [
        w
        for w in result.warnings
        if not w.startswith(OTHER_VERSION) or version  # our own stand-in version
    ]
    note = (
        f"het formulier heeft geen invulvelden: de antwoorden zijn van de pagina gelezen "
        f"({len(recovered)} {'waarde' if len(recovered) == 1 else 'waarden'}); controleer ze in de PDF"
    )
    if doubtful:
        note += f"; {len(doubtful)} mogelijk onvolledig of onduidelijk: {listed(doubtful)}"
    if not version:
        note += (
            "; de pagina's vermelden hun inhoudsversie niet, gelezen met de opmaak van versie "
            f"{blank.version}"
        )
    details: dict[str, Any] = dict(result.details)
    details.pop("missing_fields", None)
    details["recovered"] = recovered
    details["page_fit"] = [
        {
            "page": number + 1,
            "scale": round(f.scale, 4),
            "dx": round(f.dx, 2),
            "dy": round(f.dy, 2),
            "in_place": round(f.share, 3),
        }
        for number, f in zip(numbers, fits, strict=True)
    ]
    status = result.status if result.status == Status.DAMAGED else Status.RECOVERED
    return dataclasses.replace(
        result,
        status=status,
        content_version=version or None,
        warnings=(note, *warnings),
        details=details,
    )
