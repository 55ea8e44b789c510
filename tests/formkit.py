"""Fillable test forms that follow the werkbladen contract, made with ReportLab and filled with pypdf.

The real layout (``werkbladen.layout.build``) makes the shipped PDFs; these small forms let the
reader tests control every detail (an extra field, a missing one, a value as a viewer writes it)
without depending on the layout. Field names, widget kinds, on-state names, the template field and
the /Info key are exactly those of the contract.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
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
