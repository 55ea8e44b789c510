"""``werkbladen.extract``: filled forms back into validated answers, per the contract."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from formkit import blank_form, fill
from paths import CORPUS
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

import werkbladen
from werkbladen.content.model import Werkboek
from werkbladen.content.naming import FieldSpec
from werkbladen.reader.answers import json_schema
from werkbladen.reader.extraction import extract

DUTCH = "  Één ë ï € ‘ ’ —\r\ntweede regel  "


def _values(werkboek: Werkboek, template: str) -> dict[str, Any]:
    """A value for every field: text with Dutch characters, the last option, checkboxes on."""
    out: dict[str, Any] = {}
    for spec in werkboek.form_fields(template):
        if spec.kind == "checkbox":
            out[spec.name] = True
        elif spec.kind == "choice":
            out[spec.name] = spec.options[-1][0]
        elif spec.kind == "date":
            out[spec.name] = "5-3-2024"
        else:
            out[spec.name] = DUTCH
    return out


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """Answers by PDF field name, table rows flattened back to cell names."""
    flat: dict[str, Any] = {}
    for key, value in record["answers"].items():
        if isinstance(value, list):
            for row in value:
                for column, cell in row.items():
                    if column != "row":
                        flat[f"{key}_{row['row']}_{column}"] = cell
        else:
            flat[key] = value
    flat.update({f"respondent_{k}": v for k, v in record["respondent"].items()})
    return flat


@pytest.fixture(scope="module")
def stap2_blank(werkboek: Werkboek) -> bytes:
    return blank_form(werkboek, "stap2")


@pytest.fixture(scope="module")
def werkboek_filled(werkboek: Werkboek) -> bytes:
    return fill(blank_form(werkboek, "werkboek"), _values(werkboek, "werkboek"))


def test_every_field_kind_comes_back(werkboek: Werkboek, werkboek_filled: bytes) -> None:
    result = extract(werkboek_filled, werkboek=werkboek)
    assert result.status == "ok", result.warnings
    record = result.to_record()
    assert record["werkblad"] == "werkboek" and record["content_version"] == werkboek.version
    flat = _flat(record)
    expected = _values(werkboek, "werkboek")
    assert set(flat) == set(expected)
    for name, typed in expected.items():
        if isinstance(typed, bool):
            assert flat[name] is True, name
        elif typed == "5-3-2024":
            assert flat[name] == "2024-03-05", name
        elif typed == DUTCH:
            assert flat[name] == "  Één ë ï € ‘ ’ —\ntweede regel  ", name
        else:
            assert flat[name] == typed, name
    json.dumps(record)  # JSON-able as it is


def test_empty_form_reads_as_nulls_and_false(werkboek: Werkboek, stap2_blank: bytes) -> None:
    record = extract(stap2_blank, werkboek=werkboek).to_record()
    assert record["status"] == "ok"
    for name, value in _flat(record).items():
        spec = next(s for s in werkboek.form_fields("stap2") if s.name == name)
        assert value is (False if spec.kind == "checkbox" else None), name


def test_answers_are_in_werkboek_order_with_tables_as_rows(
    werkboek: Werkboek, werkboek_filled: bytes
) -> None:
    record = extract(werkboek_filled, werkboek=werkboek).to_record()
    order: list[str] = []
    for spec in werkboek.form_fields("werkboek"):
        if spec.name.startswith("respondent_"):
            continue
        key = spec.name if spec.table is None else spec.name[: -len(f"_{spec.row}_{spec.column}")]
        if key not in order:
            order.append(key)
    assert list(record["answers"]) == order
    tables = [v for v in record["answers"].values() if isinstance(v, list)]
    assert tables and all(isinstance(row["row"], str) for t in tables for row in t)


def test_typed_access_through_the_answer_model(werkboek: Werkboek, werkboek_filled: bytes) -> None:
    result = extract(werkboek_filled, werkboek=werkboek)
    table_choice = next(s for s in werkboek.form_fields("werkboek") if s.kind == "choice" and s.table)
    rows = getattr(result.answers, table_choice.name[: -len(f"_{table_choice.row}_{table_choice.column}")])
    row = next(r for r in rows if r.row == table_choice.row)
    assert getattr(row, str(table_choice.column)) == table_choice.options[-1][0]
    assert result.respondent is not None and str(result.respondent.datum)  # type: ignore[attr-defined] == "2024-03-05"


def test_radio_as_string_and_as_widget_state_only(werkboek: Werkboek) -> None:
    choice = next(s for s in werkboek.form_fields("werkboek") if s.kind == "choice" and len(s.options) > 2)
    template = choice.name.split("_")[0]
    blank = blank_form(werkboek, template)
    as_string = fill(blank, {}, raw={choice.name: TextStringObject(f"/{choice.options[1][0]}")})
    assert _flat(extract(as_string, werkboek=werkboek).to_record())[choice.name] == choice.options[1][0]
    # only /AS switched on, no /V (as some viewers leave it)
    filled = fill(blank, {choice.name: choice.options[2][0]})
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(filled)))
    for page in writer.pages:
        for annot in page.get("/Annots", []):
            widget = annot.get_object()
            parent = widget.get("/Parent")
            if parent is not None and parent.get_object().get("/T") == choice.name:
                parent.get_object().pop("/V", None)
    out = io.BytesIO()
    writer.write(out)
    assert _flat(extract(out.getvalue(), werkboek=werkboek).to_record())[choice.name] == choice.options[2][0]


def test_unparseable_date_is_kept_as_typed_with_a_warning(werkboek: Werkboek, stap2_blank: bytes) -> None:
    record = extract(fill(stap2_blank, {"respondent_datum": "maart 2024"}), werkboek=werkboek).to_record()
    assert record["respondent"]["datum"] == "maart 2024"
    assert record["status"] == "warnings"
    assert any("respondent_datum" in w and "geen datum" in w for w in record["warnings"])


def test_older_content_version_keeps_extras_and_names_missing(werkboek: Werkboek) -> None:
    old_field = FieldSpec(name="stap2_oude_vraag", kind="multiline", tooltip="Een oude vraag")
    dropped = werkboek.form_fields("stap2")[-1].name
    blank = blank_form(werkboek, "stap2", version="0.9", extra=[old_field], drop=[dropped])
    result = extract(fill(blank, {"stap2_oude_vraag": "nog steeds bewaard"}), werkboek=werkboek)
    record = result.to_record()
    assert record["status"] == "warnings"
    assert record["content_version"] == "0.9"
    assert record["extras"] == {"stap2_oude_vraag": "nog steeds bewaard"}
    assert record["details"]["missing_fields"] == [dropped]
    assert any("inhoudsversie 0.9" in w for w in record["warnings"])
    assert any("stap2_oude_vraag" in w and "extras" in w for w in record["warnings"])


def test_identity_from_info_when_the_field_is_gone(werkboek: Werkboek) -> None:
    record = extract(blank_form(werkboek, "stap3", template_field=False), werkboek=werkboek).to_record()
    assert record["werkblad"] == "stap3" and record["status"] == "warnings"


def test_identity_from_field_names_when_both_are_gone(werkboek: Werkboek) -> None:
    blank = blank_form(werkboek, "stap4", template_field=False, info=False)
    record = extract(blank, werkboek=werkboek).to_record()
    assert record["werkblad"] == "stap4" and record["content_version"] is None
    assert any("herkend als stap4" in w for w in record["warnings"])


def test_off_scale_choice_goes_to_extras(werkboek: Werkboek) -> None:
    choice = next(s for s in werkboek.form_fields("werkboek") if s.kind == "choice" and len(s.options) > 2)
    blank = blank_form(werkboek, choice.name.split("_")[0])
    result = extract(fill(blank, {}, raw={choice.name: NameObject("/9")}), werkboek=werkboek)
    assert _flat(result.to_record())[choice.name] is None
    assert result.extras == {choice.name: "9"}


def test_duplicate_field_names_report_all_values(werkboek: Werkboek) -> None:
    twin = FieldSpec(name="respondent_naam", kind="text", tooltip="Naam")
    blank = blank_form(werkboek, "stap1", extra=[twin])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blank)))
    seen = 0
    for annot in writer.pages[0]["/Annots"]:
        widget = annot.get_object()
        if widget.get("/T") == "respondent_naam":
            widget[NameObject("/V")] = TextStringObject(f"naam {seen}")
            seen += 1
    out = io.BytesIO()
    writer.write(out)
    record = extract(out.getvalue(), werkboek=werkboek).to_record()
    assert record["respondent"]["naam"] == "naam 0"
    assert record["details"]["duplicates"]["respondent_naam"] == ["naam 0", "naam 1"]
    assert record["status"] == "warnings"


def test_truncated_incremental_save_is_damaged_not_blank(werkboek: Werkboek, stap2_blank: bytes) -> None:
    filled = fill(stap2_blank, {"respondent_naam": "Jan"})
    writer = PdfWriter(io.BytesIO(filled), incremental=True)
    for annot in writer.pages[0]["/Annots"]:
        widget = annot.get_object()
        if widget.get("/T") == "respondent_naam":
            widget[NameObject("/V")] = TextStringObject("Piet")
    out = io.BytesIO()
    writer.write(out)
    updated = out.getvalue()
    assert extract(updated, werkboek=werkboek).to_record()["respondent"]["naam"] == "Piet"
    cut = updated[: len(filled) + (len(updated) - len(filled)) // 2]
    record = extract(cut, werkboek=werkboek).to_record()
    assert record["status"] == "damaged"
    assert "afgekapt" in record["reason"]


def test_encryption(werkboek: Werkboek, stap2_blank: bytes) -> None:
    filled = fill(stap2_blank, {"respondent_naam": "Geheim"})

    def encrypted(user: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(filled)))
        writer.encrypt(user_password=user, owner_password="eigenaar", algorithm="AES-256")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    locked = encrypted("sleutel")
    assert extract(locked, werkboek=werkboek).status == "encrypted"
    assert extract(locked, werkboek=werkboek, password="fout").reason == "het wachtwoord klopt niet"
    assert (
        extract(locked, werkboek=werkboek, password="sleutel").to_record()["respondent"]["naam"] == "Geheim"
    )
    # an empty user password opens without asking
    assert extract(encrypted(""), werkboek=werkboek).to_record()["respondent"]["naam"] == "Geheim"


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("pdfium__encrypted_hello_world_r6.pdf", "encrypted"),
        ("qpdf__xref-errors.pdf", "no_form"),
        ("qpdf__bad-xref.pdf", "damaged"),
        ("pdfjs__xfa_issue14315.pdf", "unsupported"),
        ("qpdf__form-filled-by-acrobat.pdf", "not_a_werkblad"),
        ("sample__reportlab-overlay.pdf", "flattened"),
    ],
)
def test_corpus_statuses(werkboek: Werkboek, name: str, status: str) -> None:
    result = extract(CORPUS / name, werkboek=werkboek)
    assert result.status == status
    assert result.reason and "\n" not in result.reason
    assert result.file == str(CORPUS / name)


def test_not_a_pdf_and_missing_file(werkboek: Werkboek, tmp_path: Path) -> None:
    assert extract(b"PK\x03\x04 a zip file", werkboek=werkboek).status == "not_a_werkblad"
    missing = extract(tmp_path / "nergens.pdf", werkboek=werkboek)
    assert missing.status == "error" and "niet te lezen" in (missing.reason or "")


def test_schema_validates_real_records(
    werkboek: Werkboek, werkboek_filled: bytes, stap2_blank: bytes
) -> None:
    schema = json_schema(werkboek)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    records = [
        extract(werkboek_filled, werkboek=werkboek).to_record(),
        extract(stap2_blank, werkboek=werkboek).to_record(),
        extract(CORPUS / "qpdf__bad-xref.pdf", werkboek=werkboek).to_record(),
    ]
    for record in records:
        validator.validate(json.loads(json.dumps(record)))
    broken = dict(records[1], answers={**records[1]["answers"], "stap2_leidend_netwerk": 3})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)


def test_public_api() -> None:
    assert werkbladen.extract is extract
    for name in werkbladen.__all__:
        assert getattr(werkbladen, name) is not None
    assert sorted(werkbladen.__all__) == sorted(n for n in dir(werkbladen) if n in werkbladen.__all__)


def test_importing_the_package_loads_no_heavy_library() -> None:
    code = (
        "import sys, werkbladen\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('reportlab', 'pypdf', 'pydantic', 'yaml')]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_extract_path_imports_no_reportlab(werkboek_filled: bytes, tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(werkboek_filled)
    code = (
        "import sys; from werkbladen.cli import main\n"
        f"try: main(['extract', {str(pdf)!r}])\n"
        "except SystemExit as e: assert e.code in (0, None), e.code\n"
        "assert not any(m.startswith('reportlab') for m in sys.modules), 'reportlab imported'\n"
        "assert not any(m.startswith('openpyxl') for m in sys.modules), 'openpyxl imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "ok"


def test_the_built_pdfs_round_trip(werkboek: Werkboek, built_pdfs: dict[str, Path]) -> None:
    """The layout's real PDFs: blank ones read as empty, a filled werkboek gives back every value."""
    for name, path in built_pdfs.items():
        template = "werkboek" if name == "werkboek.pdf" else name.removesuffix(".pdf").replace("-", "")
        record = extract(path, werkboek=werkboek).to_record()
        assert (record["status"], record["werkblad"], record["content_version"]) == (
            "ok",
            template,
            werkboek.version,
        ), record["warnings"]
    filled = fill(built_pdfs["werkboek.pdf"].read_bytes(), _values(werkboek, "werkboek"))
    record = extract(filled, werkboek=werkboek).to_record()
    assert record["status"] == "ok", record["warnings"]
    flat = _flat(record)
    assert flat == {
        name: "2024-03-05"
        if value == "5-3-2024"
        else ("  Één ë ï € ‘ ’ —\ntweede regel  " if value == DUTCH else value)
        for name, value in _values(werkboek, "werkboek").items()
    }
