"""The PDF engines people fill forms with, each driven the way that engine fills a form.

``fill_with(engine, blank, values, out)`` fills ``blank`` with ``values`` (PDF field name → what
a user types: a string for a text field, true/false for a checkbox, the option's value for a
choice) and writes ``out``. ``ENGINES`` lists them all; ``available(engine)`` says whether the
engine can run on this machine. Nothing here imitates an engine: each one is the real program.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
Values = Mapping[str, "str | bool"]

ENGINES = (
    "werkbladen",
    "pdfjs",
    "pdfium",
    "mupdf",
    "pdftk-xfdf",
    "pdftk-fdf",
    "pdftk-xfdf-need-appearances",
    "pdflib",
    "pypdf",
)
"""Every engine of the suite; ``werkbladen`` is our own ``werkbladen fill``."""

WRITES_APPEARANCES = {
    "werkbladen": True,
    "pdfjs": True,
    "pdfium": True,
    "mupdf": True,
    "pdftk-xfdf": True,
    "pdftk-fdf": True,
    "pdftk-xfdf-need-appearances": True,
    "pdflib": True,
    "pypdf": True,
}
"""Whether the engine writes appearance streams at all (pdf-lib and pdf.js only for values their
Helvetica can encode; measured: docs/engines.md). All do; the visual tests cover them all."""


def available(engine: str) -> str | None:
    """None when ``engine`` can run here, else what is missing."""
    if engine in ("pdfjs", "pdflib"):
        if shutil.which("node") is None:
            return "node is not installed"
        package = "pdfjs-dist" if engine == "pdfjs" else "pdf-lib"
        if not (NODE_MODULES / package).is_dir():
            return f"{package} is not installed: run `npm ci` in tests/engines"
    if engine.startswith("pdftk") and shutil.which("pdftk") is None:
        return "pdftk is not installed (Debian package pdftk-java)"
    modules = {"pdfium": "pypdfium2", "mupdf": "pymupdf"}
    if engine in modules:
        try:
            __import__(modules[engine])
        except ImportError:
            return f"{modules[engine]} is not installed"
    return None


def fill_with(engine: str, blank: Path, values: Values, out: Path) -> dict[str, object]:
    """Fill ``blank`` with ``values`` using ``engine``; return the engine's own report."""
    return _DRIVERS[engine](blank, values, out)


def _werkbladen(blank: Path, values: Values, out: Path) -> dict[str, object]:
    from werkbladen.filling.prefill import fill_form

    result = fill_form(blank, {"answers": dict(values)}, skip_unknown=False)
    out.write_bytes(result.pdf)
    return {"engine": "werkbladen", "notes": list(result.notes)}


def _node(script: str) -> Callable[[Path, Values, Path], dict[str, object]]:
    def run(blank: Path, values: Values, out: Path) -> dict[str, object]:
        values_file = out.with_suffix(".values.json")
        values_file.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
        done = subprocess.run(
            ["node", str(HERE / script), str(blank), str(values_file), str(out)],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        return report

    return run


def _pdfium(blank: Path, values: Values, out: Path) -> dict[str, object]:
    from pdfium_fill import fill  # type: ignore[import-not-found]

    report: dict[str, object] = fill(blank, values, out)
    return report


def _mupdf(blank: Path, values: Values, out: Path) -> dict[str, object]:
    """PyMuPDF widgets, as its documentation fills a form: field_value, update(), save."""
    import pymupdf

    doc = pymupdf.open(blank)
    for page in doc:
        for widget in page.widgets():
            name = widget.field_name
            if name not in values:
                continue
            value = values[name]
            if widget.field_type == pymupdf.PDF_WIDGET_TYPE_TEXT:
                widget.field_value = value
            elif widget.field_type == pymupdf.PDF_WIDGET_TYPE_CHECKBOX:
                widget.field_value = bool(value)
            elif widget.field_type == pymupdf.PDF_WIDGET_TYPE_RADIOBUTTON:
                if widget.on_state() != value:
                    continue
                widget.field_value = True
            widget.update()
    doc.save(out)
    return {"engine": "mupdf", "version": pymupdf.VersionBind}


def _pdftk(data_format: str, need_appearances: bool) -> Callable[[Path, Values, Path], dict[str, object]]:
    def run(blank: Path, values: Values, out: Path) -> dict[str, object]:
        data = out.with_suffix("." + data_format)
        data.write_bytes(xfdf(values) if data_format == "xfdf" else fdf(values))
        command = ["pdftk", str(blank), "fill_form", str(data), "output", str(out)]
        if need_appearances:
            command.append("need_appearances")
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode:
            raise RuntimeError(f"pdftk failed: {done.stderr.strip()}")
        return {"engine": "pdftk", "stderr": done.stderr.strip()}

    return run


def xfdf(values: Values) -> bytes:
    """XFDF as Acrobat exports it: UTF-8, one <field> per name; a checkbox is Yes/Off."""
    from xml.sax.saxutils import escape

    fields = "".join(
        f'<field name="{escape(name)}"><value>{escape(_button(value))}</value></field>'
        for name, value in values.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">'
        f"<fields>{fields}</fields></xfdf>\n"
    ).encode()


def fdf(values: Values) -> bytes:
    """FDF with text as UTF-16BE strings (with BOM) and buttons as names, as pdftk generate_fdf writes."""
    entries = []
    for name, value in values.items():
        if isinstance(value, bool):
            v = b"/" + _button(value).encode("ascii")
        else:
            v = b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"
        entries.append(b"<< /T (" + name.encode("ascii") + b") /V " + v + b" >>")
    return (
        b"%FDF-1.2\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /FDF << /Fields [\n"
        + b"\n".join(entries)
        + b"\n] >> >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def _button(value: str | bool) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "Off"
    return value


def _pypdf(blank: Path, values: Values, out: Path) -> dict[str, object]:
    """pypdf's own form filling: update_page_form_field_values with auto_regenerate (the default)."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=blank)
    given: dict[str, str] = {
        name: (("/Yes" if value else "/Off") if isinstance(value, bool) else value)
        for name, value in values.items()
    }
    radio = _radio_names(writer)
    for name in radio & set(given):
        given[name] = "/" + given[name]
    for page in writer.pages:
        writer.update_page_form_field_values(page, given, auto_regenerate=True)
    writer.write(out)
    return {"engine": "pypdf"}


def _radio_names(writer: object) -> set[str]:
    from pypdf import PdfWriter

    assert isinstance(writer, PdfWriter)
    fields = writer.get_fields() or {}
    return {name for name, f in fields.items() if f.get("/FT") == "/Btn" and int(f.get("/Ff", 0)) & (1 << 15)}


_DRIVERS: dict[str, Callable[[Path, Values, Path], dict[str, object]]] = {
    "werkbladen": _werkbladen,
    "pdfjs": _node("fill-pdfjs.mjs"),
    "pdfium": _pdfium,
    "mupdf": _mupdf,
    "pdftk-xfdf": _pdftk("xfdf", need_appearances=False),
    "pdftk-fdf": _pdftk("fdf", need_appearances=False),
    "pdftk-xfdf-need-appearances": _pdftk("xfdf", need_appearances=True),
    "pdflib": _node("fill-pdflib.mjs"),
    "pypdf": _pypdf,
}
