"""Fill a form in PDFium (the engine of Chrome and Edge) the way a user does: click, type, save.

Each text widget is clicked at its centre (``FORM_OnLButtonDown``/``Up``) and every character is
typed with ``FORM_OnChar`` (UTF-16 code units; a line break is the Enter key, 0x0D); checkboxes
and radio buttons are clicked. The document is then saved with ``FPDF_SaveAsCopy``.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Mapping
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

ENTER = 0x0D


def fill(blank: Path, values: Mapping[str, str | bool], out: Path) -> dict[str, object]:
    pdf = pdfium.PdfDocument(str(blank))
    pdf.init_forms()
    form = pdf.formenv.raw
    typed: set[str] = set()
    for index in range(len(pdf)):
        page = pdf[index]
        for annot, name, rect in _widgets(page, form):
            if name not in values:
                continue
            value = values[name]
            kind = raw.FPDFAnnot_GetFormFieldType(form, annot)
            x, y = (rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2
            if kind == raw.FPDF_FORMFIELD_TEXTFIELD:
                _click(form, page.raw, x, y)
                for unit in _utf16_units(str(value).replace("\n", "\r")):
                    raw.FORM_OnChar(form, page.raw, unit, 0)
                raw.FORM_ForceToKillFocus(form)
            elif kind == raw.FPDF_FORMFIELD_CHECKBOX:
                if value is True:
                    _click(form, page.raw, x, y)
            elif kind == raw.FPDF_FORMFIELD_RADIOBUTTON:
                if _export_value(form, annot) == value:
                    _click(form, page.raw, x, y)
            else:
                continue
            typed.add(name)
        raw.FORM_ForceToKillFocus(form)
    pdf.save(str(out))
    pdf.close()
    return {"engine": "pdfium", "version": pdfium.PDFIUM_INFO.build, "missing": sorted(set(values) - typed)}


def _click(form: object, page: object, x: float, y: float) -> None:
    raw.FORM_OnMouseMove(form, page, 0, x, y)
    raw.FORM_OnLButtonDown(form, page, 0, x, y)
    raw.FORM_OnLButtonUp(form, page, 0, x, y)


def _utf16_units(text: str) -> list[int]:
    data = text.encode("utf-16-le")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


def _widgets(page: pdfium.PdfPage, form: object) -> list[tuple[object, str, raw.FS_RECTF]]:
    found = []
    for i in range(raw.FPDFPage_GetAnnotCount(page.raw)):
        annot = raw.FPDFPage_GetAnnot(page.raw, i)
        if raw.FPDFAnnot_GetSubtype(annot) != raw.FPDF_ANNOT_WIDGET:
            continue
        rect = raw.FS_RECTF()
        raw.FPDFAnnot_GetRect(annot, rect)
        found.append((annot, _string(raw.FPDFAnnot_GetFormFieldName, form, annot), rect))
    return found


def _export_value(form: object, annot: object) -> str:
    return _string(raw.FPDFAnnot_GetFormFieldExportValue, form, annot)


def _string(function: object, form: object, annot: object) -> str:
    assert callable(function)
    size = function(form, annot, None, 0)
    buffer = ctypes.create_string_buffer(size)
    function(form, annot, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
    return buffer.raw[: max(size - 2, 0)].decode("utf-16-le")


if __name__ == "__main__":
    import json

    print(
        json.dumps(
            fill(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text("utf-8")), Path(sys.argv[3]))
        )
    )
