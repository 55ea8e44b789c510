"""A filled werkblad to damage: fill a blank werkblad PDF, and know what was filled in.

The base is a real blank werkblad (``output/stap-N.pdf`` from the layout) when there is one;
without it, :func:`own_blank` crafts a small form that follows the contract (template field,
info key, text, multiline, date, checkbox and radio widgets) so that the hostile set can be
made before the layout exists.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from formkit import Value, field_value
from formkit import expected_answer as expected_answer  # re-exported: test_hostile imports it from here
from pypdf import PdfReader
from pypdf.generic import (
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

from werkbladen.content.naming import INFO_KEY, TEMPLATE_FIELD
from werkbladen.limits import Limits
from werkbladen.pdfspec import OFF, FieldFlag, FieldType
from werkbladen.reader.pdf import PYPDF
from werkbladen.reader.walker import Terminal, Walker

from .pdfbytes import build, pdf_string, ser, stream


@dataclass
class Field:
    """One terminal field of the blank form, as found in its /Fields tree."""

    name: str
    ref: int
    kind: str
    """"text", "multiline", "checkbox", "radio", "choice"."""
    widgets: list[int]
    states: list[str] = field(default_factory=list)
    """On-state names (checkbox: one; radio: one per widget, in widget order)."""


def walk_fields(reader: PdfReader) -> list[Field]:
    """The terminal fields of a well-formed form, found by the reader's own walk, with object numbers."""
    out: list[Field] = []

    def visit(terminal: Terminal) -> None:
        ft, ff = terminal.inherited.ft, terminal.inherited.ff
        if ft == FieldType.TEXT:
            kind = "multiline" if ff & FieldFlag.MULTILINE else "text"
        elif ft == FieldType.CHOICE:
            kind = "choice"
        elif ft == FieldType.BUTTON and not ff & FieldFlag.PUSHBUTTON:
            kind = "radio" if ff & FieldFlag.RADIO else "checkbox"
        else:
            return
        widgets = [w.indirect_reference.idnum for w in terminal.widgets]  # type: ignore[attr-defined]
        states = []
        if kind in ("radio", "checkbox"):
            for w in terminal.widgets:
                ap = w.get("/AP", {}).get("/N", {})
                states.append(next((str(k)[1:] for k in ap if k != f"/{OFF}"), "Yes"))
        ref = terminal.node.indirect_reference.idnum  # type: ignore[attr-defined]
        out.append(Field(terminal.name, ref, kind, widgets, states))

    Walker(reader.root_object, PYPDF, Limits()).run(visit)
    return out


def fill_kind(f: Field, kinds: dict[str, str]) -> str:
    if kinds.get(f.name) == "date" or (f.name not in kinds and f.name.endswith("datum")):
        return "date"
    return f.kind


def value_for(f: Field, kinds: dict[str, str]) -> Value | None:
    """What the fill types into ``f``: :func:`formkit.field_value` (radio: its last on-state)."""
    kind = fill_kind(f, kinds)
    if f.name == TEMPLATE_FIELD or kind == "choice":  # a /Ch field: none in the contract
        return None
    if kind == "radio":
        return field_value(f.name, "choice", f.states[-1])
    return field_value(f.name, kind)


@dataclass
class Filled:
    """A blank werkblad, the fill as changed objects, and the expected values by field name."""

    blank: bytes
    reader: PdfReader
    changes: dict[int, Any]
    values: dict[str, Value]
    fields: list[Field]
    template: str
    kinds: dict[str, str]
    """The kind each filled field was filled as: text, multiline, date, checkbox, radio."""

    def target(self, kind: str) -> Field:
        """The first filled field of ``kind``: the answer a case damages (and a test then checks)."""
        return next(f for f in self.fields if self.kinds.get(f.name) == kind)

    def incremental(self) -> bytes:
        """The fill as an incremental update of the blank file (as Acrobat saves)."""
        from .pdfbytes import append_update

        tr = self.reader.trailer
        trailer = b"/Size %d /Root %d 0 R" % (tr["/Size"], tr.raw_get("/Root").idnum)
        if "/Info" in tr:
            trailer += b" /Info %d 0 R" % tr.raw_get("/Info").idnum
        return append_update(self.blank, {n: ser(o) for n, o in self.changes.items()}, trailer)

    def single(self) -> bytes:
        """The filled file rewritten as one revision with a fresh classic xref table."""
        tr = self.reader.trailer
        objects: dict[int, bytes] = {}
        for num in range(1, int(tr["/Size"])):
            if num in self.changes:
                objects[num] = ser(self.changes[num])
                continue
            try:
                obj = self.reader.get_object(num)
            except Exception:  # a free entry
                continue
            if obj is not None:
                objects[num] = ser(obj)
        info = tr.raw_get("/Info").idnum if "/Info" in tr else None
        return build(objects, tr.raw_get("/Root").idnum, info)


def fill(blank: bytes, kinds: dict[str, str] | None = None) -> Filled:
    """Fill every field of ``blank`` (a contract-following werkblad) with a distinct value."""
    reader = PdfReader(io.BytesIO(blank))
    fields = walk_fields(reader)
    kinds = kinds or {}
    changes: dict[int, Any] = {}
    values: dict[str, Value] = {}
    template = ""

    def obj(num: int) -> Any:
        if num not in changes:
            changes[num] = DictionaryObject(reader.get_object(num))
        return changes[num]

    for f in fields:
        if f.name == TEMPLATE_FIELD:
            template = str(reader.get_object(f.ref).get("/V", ""))
            continue
        value = value_for(f, kinds)
        if value is None:
            continue
        values[f.name] = value
        node = obj(f.ref)
        if f.kind in ("text", "multiline"):
            node[NameObject("/V")] = TextStringObject(str(value))
        elif f.kind == "checkbox":
            node[NameObject("/V")] = NameObject("/" + f.states[0])
            obj(f.widgets[0])[NameObject("/AS")] = NameObject("/" + f.states[0])
        elif f.kind == "radio":
            node[NameObject("/V")] = NameObject("/" + str(value))
            for w, state in zip(f.widgets, f.states, strict=True):
                obj(w)[NameObject("/AS")] = NameObject("/" + state if state == value else "/Off")
    acro_ref = reader.trailer["/Root"].raw_get("/AcroForm")
    if isinstance(acro_ref, IndirectObject):
        obj(acro_ref.idnum)[NameObject("/NeedAppearances")] = BooleanObject(True)
    else:
        root = obj(reader.trailer.raw_get("/Root").idnum)
        acro = DictionaryObject(root["/AcroForm"])
        acro[NameObject("/NeedAppearances")] = BooleanObject(True)
        root[NameObject("/AcroForm")] = acro
    fill_kinds = {f.name: fill_kind(f, kinds) for f in fields if f.name in values}
    return Filled(blank, reader, changes, values, fields, template, fill_kinds)


def own_blank(werkblad: str = "stap1", version: str = "1.0", specs: list[Any] | None = None) -> bytes:
    """A small contract-following blank werkblad, built from ``specs`` (FieldSpec-like) or a default set."""
    if specs is None:
        specs = [
            _Spec("respondent_organisatie", "text"),
            _Spec("respondent_datum", "date"),
            _Spec(f"{werkblad}_opgave", "multiline"),
            _Spec(f"{werkblad}_kwesties", "multiline"),
            _Spec(f"{werkblad}_akkoord", "checkbox"),
            _Spec(f"{werkblad}_mate", "choice", (("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"))),
        ]
    objs: dict[int, bytes] = {}
    num = 7
    field_refs: list[int] = []
    annots: list[int] = []
    page = 3
    y = 780

    def new() -> int:
        nonlocal num
        num += 1
        return num

    def widget_ap(state: str) -> bytes:
        on, off = new(), new()
        objs[on] = stream(b"0 g 2 2 8 8 re f", b"/Type /XObject /Subtype /Form /BBox [0 0 12 12] ")
        objs[off] = stream(b"", b"/Type /XObject /Subtype /Form /BBox [0 0 12 12] ")
        return b"/AP << /N << /%s %d 0 R /Off %d 0 R >> >>" % (state.encode(), on, off)

    template_value = f"nji-werkbladen/{werkblad}/{version}"
    all_specs = [_Spec(TEMPLATE_FIELD, "template"), *specs]
    for spec in all_specs:
        ref = new()
        field_refs.append(ref)
        rect = b"/Rect [72 %d 520 %d]" % (y - 16, y)
        y -= 22 if y > 100 else 0
        common = b"/T " + pdf_string(spec.name) + b" /TU " + pdf_string(spec.name.replace("_", " "))
        widget = b"/Type /Annot /Subtype /Widget /P %d 0 R /F 4 " % page
        if spec.kind == "template":
            objs[ref] = (
                b"<< /FT /Tx /Ff 1 /F 6 /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P %d 0 R /T " % page
                + pdf_string(TEMPLATE_FIELD)
                + b" /V "
                + pdf_string(template_value)
                + b" /DA (/Helv 0 Tf 0 g) >>"
            )
            annots.append(ref)
        elif spec.kind in ("text", "date", "multiline"):
            ff = b" /Ff %d" % FieldFlag.MULTILINE if spec.kind == "multiline" else b""
            objs[ref] = (
                b"<< /FT /Tx" + ff + b" " + common + b" " + widget + rect + b" /DA (/Helv 10 Tf 0 g) >>"
            )
            annots.append(ref)
        elif spec.kind == "checkbox":
            objs[ref] = (
                b"<< /FT /Btn " + common + b" " + widget + rect + b" /AS /Off " + widget_ap("Yes") + b" >>"
            )
            annots.append(ref)
        elif spec.kind == "choice":
            kids = []
            for i, (value, _label) in enumerate(spec.options):
                kid = new()
                kids.append(kid)
                kr = b"/Rect [%d %d %d %d]" % (72 + 30 * i, y - 12, 84 + 30 * i, y)
                objs[kid] = (
                    b"<< /Parent %d 0 R " % ref + widget + kr + b" /AS /Off " + widget_ap(value) + b" >>"
                )
                annots.append(kid)
            kid_refs = b" ".join(b"%d 0 R" % k for k in kids)
            objs[ref] = (
                b"<< /FT /Btn /Ff %d " % (FieldFlag.RADIO | FieldFlag.NO_TOGGLE_TO_OFF)
                + common
                + b" /Kids ["
                + kid_refs
                + b"] >>"
            )
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>"
    objs[2] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    content = b"BT /F1 14 Tf 72 800 Td (Werkblad " + werkblad.encode() + b") Tj ET"
    objs[page] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 6 0 R >> >> /Annots ["
        + b" ".join(b"%d 0 R" % a for a in annots)
        + b"] >>"
    )
    objs[4] = (
        b"<< /Fields ["
        + b" ".join(b"%d 0 R" % r for r in field_refs)
        + b"] /DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv 6 0 R >> >> >>"
    )
    objs[5] = stream(content)
    objs[6] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objs[7] = (
        b"<< /Producer (werkbladen hostile set) "
        + INFO_KEY.encode()
        + b" "
        + pdf_string(template_value)
        + b" >>"
    )
    return build(objs, 1, 7)


@dataclass(frozen=True)
class _Spec:
    name: str
    kind: str
    options: tuple[tuple[str, str], ...] = ()
