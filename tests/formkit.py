"""Test forms and test answers that follow the werkbladen contract.

Forms: fillable PDFs made with ReportLab and filled with pypdf. The real layout
(``werkbladen.layout.build``) makes the shipped PDFs; these small forms let the reader tests
control every detail (an extra field, a missing one, a value as a viewer writes it) without
depending on the layout. Field names, widget kinds, on-state names, the template field and the
/Info key are exactly those of the contract.

Answers: the one place that invents values for the werkbladen's fields, in two flavours.
:func:`field_value` gives each field one recognisable value (unique to the field, non-ASCII), so
that a test can tell a lost, swapped or mangled answer; :func:`expected_answer` is what the
contract reads back from it. :func:`random_answers` gives a seeded, realistic record for
``fill`` (Dutch text, every field kind, nearly blank to full forms), as the benchmarks fill their
werkboeken with.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from werkbladen.content.model import Werkboek
from werkbladen.content.naming import INFO_KEY, TEMPLATE_FIELD, FieldSpec, TemplateId


def blank_form(
    werkboek: Werkboek,
    template: str,
    *,
    version: str | None = None,
    extra: Sequence[FieldSpec] = (),
    drop: Sequence[str] = (),
    info: bool = True,
    template_field: bool = True,
) -> bytes:
    """A fillable PDF with the fields of ``form_fields(template)`` (+ ``extra`` − ``drop``)."""
    ident = str(TemplateId(template, version or werkboek.version))
    specs = [s for s in werkboek.form_fields(template) if s.name not in drop] + list(extra)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, invariant=1)
    form = canvas.acroForm
    y = 800.0
    if template_field:
        form.textfield(
            name=TEMPLATE_FIELD,
            value=ident,
            x=10,
            y=10,
            width=10,
            height=10,
            maxlen=None,
            fieldFlags="readOnly",
            annotationFlags="hidden",
        )
    for spec in specs:
        if y < 60:
            canvas.showPage()
            y = 800.0
        canvas.drawString(40, y + 4, spec.name[:60])
        if spec.kind == "checkbox":
            form.checkbox(name=spec.name, tooltip=spec.tooltip, x=400, y=y, size=12, fieldFlags="")
        elif spec.kind == "choice":
            for i, (value, _label) in enumerate(spec.options):
                form.radio(
                    name=spec.name,
                    tooltip=spec.tooltip,
                    value=value,
                    selected=False,
                    x=400 + 16 * i,
                    y=y,
                    size=12,
                    fieldFlags="noToggleToOff radio",
                )
        else:
            form.textfield(
                name=spec.name,
                tooltip=spec.tooltip,
                x=300,
                y=y,
                width=250,
                height=14,
                maxlen=None,
                fieldFlags="multiline" if spec.kind == "multiline" else "",
            )
        y -= 20
    if info:
        canvas.setCreator("werkbladen tests")
    canvas.save()
    data = buf.getvalue()
    if not info:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata({INFO_KEY: ident})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fill(pdf: bytes, values: Mapping[str, Any], *, raw: Mapping[str, Any] | None = None) -> bytes:
    """Fill ``pdf`` as pypdf does: text as given, checkbox True → /Yes, choice value → /value.

    ``raw`` sets a field's /V to the given PDF object unchanged (e.g. a ``"/3"`` string as pypdf
    writes radio values, or a name), to imitate other viewers.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    by_name = {}
    for page in writer.pages:
        for annot in page.get("/Annots", []):
            widget = annot.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            field = widget if "/T" in widget else widget["/Parent"].get_object()
            by_name.setdefault(str(field["/T"]), (field, []))[1].append(widget)
    for name, value in values.items():
        field, widgets = by_name[name]
        if field.get("/FT") == "/Btn":
            state = "Yes" if value is True else ("Off" if value in (False, None) else str(value))
            field[NameObject("/V")] = NameObject(f"/{state}")
            for w in widgets:
                states = list(w["/AP"]["/N"].keys())
                w[NameObject("/AS")] = NameObject(f"/{state}" if f"/{state}" in states else "/Off")
        else:
            field[NameObject("/V")] = TextStringObject(value)
    for name, obj in (raw or {}).items():
        field, _ = by_name[name]
        field[NameObject("/V")] = obj
    writer.set_need_appearances_writer(True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------- answers

Value = str | bool

ESCAPES = " € ‘x’ (haakjes) \\ \r\nregel twee "
"""What a writer must escape or encode and a reader undo: PDFDocEncoding's €, parentheses, a
backslash, CR LF, a trailing space."""


def field_value(name: str, kind: str, choice: str = "", *, escapes: bool = False) -> Value:
    """The value a test types into field ``name``: unique to it and non-ASCII, so a loss shows.

    ``kind`` is the contract's (``text``, ``multiline``, ``date``, ``checkbox``, ``choice``);
    ``choice`` is the export value a choice takes. A date is given as a viewer types it
    (``DD-MM-YYYY``). With ``escapes``, text also carries :data:`ESCAPES`. The hostile set and
    the goldens made from it depend on these exact values: change them only with the goldens.
    """
    if kind == "date":
        return "01-02-2021"
    if kind == "checkbox":
        return True
    if kind == "choice":
        return choice
    if kind == "multiline":
        value = f"{name}: eerste regel – één\ntweede regel ✓"
    else:
        value = f"{name}: café “antwoord”"
    return value + ESCAPES if escapes else value


def expected_answer(value: Value, kind: str) -> Value:
    """The contract's normalised answer for a filled ``value``: ISO dates, LF line ends."""
    if kind == "date" and isinstance(value, str):
        d, m, y = value.split("-")
        return f"{y}-{m}-{d}"
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


ORGANISATIES = [
    "Gemeente Zwolle",
    "Gemeente Súdwest-Fryslân",
    "Samenwerkingsverband PO Noord-Veluwe",
    "GGD IJsselland",
    "Stichting Jeugdwerk ’s-Hertogenbosch",
    "Regio Twente – afdeling Jeugd",
]
NAMEN = ["Noëlle de Vries", "Ağrı Şahin", "Jan-Willem van der Berg", "Fatima El Idrissi", "Łukasz Żółć"]
ROLLEN = ["beleidsadviseur jeugd", "intern begeleider", "coördinator", "wethouder", "jongerenwerker"]
ZINNEN = [
    "Wij werken samen met onderwijs, jeugdhulp en de GGD.",
    "De middelen worden ingezet voor één gezamenlijke aanpak.",
    "Signalen van jongeren komen via het jongerenwerk binnen.",
    "Knelpunt: de wachttijden bij de jeugd-GGZ zijn opgelopen tot 14 weken.",
    "Budget: € 125.000,– voor 2021 en € 80.000,– voor 2022.",
    "We vragen ‘ervaringsdeskundigen’ om mee te denken — ook ouders.",
    "Eerst in kaart brengen wat er al is; daarna pas nieuwe activiteiten.",
    "Overleg elke zes weken met de scholen in de wijk.",
    "Resultaat: minder schooluitval en meer “ertoe doen” voor jongeren.",
    "Nog onduidelijk; dit bespreken we in het volgende overleg.",
]


def _text(rnd: random.Random, kind: str) -> str:
    if kind == "text":
        value = rnd.choice(ZINNEN)[: rnd.randint(12, 60)].rstrip()
    else:
        lines = [rnd.choice(ZINNEN) for _ in range(rnd.randint(1, 6))]
        if rnd.random() < 0.3:
            lines.insert(1, "")
        if rnd.random() < 0.05:  # now and then a long answer
            lines = [f"{i:02d}. {rnd.choice(ZINNEN)}" for i in range(40)]
        value = "\n".join(lines)
    if rnd.random() < 0.05:
        value = f"  {value}  "
    return value


def random_answers(werkboek: Werkboek, seed: int) -> dict[str, Any]:
    """A seeded record for ``fill``: every field kind, filled to a random degree (nearly blank to full).

    The same seed gives the same record for as long as this code is unchanged: the benchmarks
    key their cache of filled werkboeken by this module's source, and compare runs over time.
    """
    rnd = random.Random(seed)
    fill_rate = rnd.choice([0.05, 0.3, 0.6, 0.9, 1.0])
    always = {"respondent_organisatie", "respondent_naam"}
    respondent: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    for spec in werkboek.form_fields("werkboek"):
        if spec.name not in always and rnd.random() >= fill_rate:
            continue
        if spec.kind == "checkbox":
            value: Any = rnd.random() < 0.6
        elif spec.kind == "choice":
            value = rnd.choice(spec.options)[0]
        elif spec.kind == "date":
            day = dt.date(2021, 1, 1) + dt.timedelta(days=rnd.randint(0, 700))
            value = day.isoformat() if rnd.random() < 0.5 else day.strftime("%d-%m-%Y")
        elif spec.name == "respondent_organisatie":
            value = rnd.choice(ORGANISATIES)
        elif spec.name == "respondent_naam":
            value = rnd.choice(NAMEN)
        elif spec.name == "respondent_rol":
            value = rnd.choice(ROLLEN)
        else:
            value = _text(rnd, spec.kind)
        if spec.name.startswith("respondent_"):
            respondent[spec.name.removeprefix("respondent_")] = value
        else:
            answers[spec.name] = value
    return {"respondent": respondent, "answers": answers}


def content_strings(werkboek: Any) -> Iterator[str]:
    """Every string of the content (titles, intros, questions, help, captions, cells, labels)."""

    def strings(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list | tuple):
            for item in value:
                yield from strings(item)

    return strings(werkboek.model_dump(mode="json"))
