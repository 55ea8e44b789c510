"""The reader's own layer: normalisation per DESIGN.md, the field walk, real-world corpus files."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from paths import CORPUS
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
    create_string_object,
)

from werkbladen.limits import Limits
from werkbladen.reader import PYPDF, check_bytes, parse_date, reading
from werkbladen.reader.extraction import read_raw
from werkbladen.reader.rawform import lines
from werkbladen.reader.walker import walk_form

text_value, state_name = PYPDF.text_value, PYPDF.state_name
button_state, choice_value = PYPDF.button_state, PYPDF.choice_value


def _no_warn(message: str) -> None:
    raise AssertionError(f"unexpected warning: {message}")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("a\r\nb", "a\nb"), ("a\rb", "a\nb"), ("a\nb", "a\nb"), ("a\r\n\r\nb\r", "a\n\nb\n")],
)
def test_line_breaks_become_newline(typed: str, expected: str) -> None:
    assert lines(typed) == expected


def test_text_keeps_spaces_and_empty_is_null() -> None:
    assert text_value(TextStringObject("  twee  "), _no_warn) == "  twee  "
    assert text_value(TextStringObject(""), _no_warn) is None
    assert text_value(None, _no_warn) is None


@pytest.mark.parametrize("text", ["één ë ï € ‘ ’ —", "Ærø ŒŸ", "z̧"])
def test_utf16_and_pdfdocencoding_decode_exactly(text: str) -> None:
    utf16 = create_string_object(b"\xfe\xff" + text.encode("utf-16-be"))
    assert text_value(utf16, _no_warn) == text
    try:
        pdfdoc = TextStringObject(text).get_original_bytes()
    except UnicodeEncodeError:
        return
    assert text_value(create_string_object(pdfdoc), _no_warn) == text


def test_pdfdocencoding_bytes_decode_to_quotes_and_euro() -> None:
    # PDFDocEncoding: 0x8F ‘, 0x90 ’, 0x84 —, 0xA0 €
    assert text_value(create_string_object(b"\x8fa\x90 \x84 \xa0"), _no_warn) == "‘a’ — €"


def test_undecodable_bytes_fall_back_with_a_warning() -> None:
    notes: list[str] = []
    raw = ByteStringObject("één".encode())
    assert text_value(raw, notes.append) == "één"
    assert notes and "UTF-8" in notes[0]


def test_non_text_values_are_named_by_type() -> None:
    notes: list[str] = []
    assert text_value(NumberObject(12), notes.append) == "12"
    assert text_value(DictionaryObject(), notes.append) is None
    assert "getal" in notes[0] and "woordenboek" in notes[1]


@pytest.mark.parametrize(
    ("value", "state"),
    [
        (NameObject("/4"), "4"),
        (TextStringObject("/4"), "4"),
        (TextStringObject("ja"), "ja"),
        (NameObject("/Off"), None),
        (TextStringObject(""), None),
    ],
)
def test_state_names(value: object, state: str | None) -> None:
    assert state_name(value) == state


def test_button_state_falls_back_to_widget_appearance_state() -> None:
    off = DictionaryObject({NameObject("/AS"): NameObject("/Off")})
    on = DictionaryObject({NameObject("/AS"): NameObject("/3")})
    assert button_state(None, [off, on], _no_warn) == "3"
    assert button_state(NameObject("/Off"), [off, on], _no_warn) is None  # /V wins over /AS
    assert button_state(None, [off], _no_warn) is None


def test_choice_one_element_array_is_the_string() -> None:
    assert choice_value(ArrayObject([TextStringObject("ja")]), _no_warn) == "ja"
    assert choice_value(ArrayObject([TextStringObject("a"), TextStringObject("b")]), _no_warn) == ["a", "b"]
    assert choice_value(TextStringObject("nee"), _no_warn) == "nee"
    assert choice_value(ArrayObject(), _no_warn) is None


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("05-03-2024", "2024-03-05"),
        ("5-3-2024", "2024-03-05"),
        ("05/03/2024", "2024-03-05"),
        ("2024-03-05", "2024-03-05"),
        (" 5-3-2024 ", "2024-03-05"),
        ("31-02-2024", None),
        ("2024-3-5", None),
        ("24-6-2021", "2021-06-24"),
        ("24-06-21", "2021-06-24"),
        ("24/6/2021", "2021-06-24"),
        ("24.06.2021", "2021-06-24"),
        ("24 juni 2021", "2021-06-24"),
        ("24 Juni 2021", "2021-06-24"),
        ("24 jun. 2021", "2021-06-24"),
        ("1 juli '21", "2021-07-01"),
        ("1 juli ’21", "2021-07-01"),
        ("5 maart 2024", "2024-03-05"),
        ("5 mrt 2024", "2024-03-05"),
        ("2021-06-24", "2021-06-24"),
        ("30 februari 2024", None),
        ("24 juno 2021", None),
        ("24-6", None),
        ("6/24/2021", None),
        ("24-6-202", None),
        ("24-06.2021", None),
        ("juni 2021", None),
    ],
)
def test_dutch_dates(typed: str, iso: str | None) -> None:
    parsed = parse_date(typed)
    assert (parsed.isoformat() if parsed else None) == iso
    if parsed:
        assert isinstance(parsed, dt.date)


def _walk(data: bytes) -> tuple[dict[str, object], list[str]]:
    with reading(Limits()):
        form = walk_form(PdfReader(io.BytesIO(data)).root_object, PYPDF, Limits())
    return {f.name: f.value for f in form.fields}, form.warnings


def _form_with(fields: list[DictionaryObject], *, on_page: list[DictionaryObject] | None = None) -> bytes:
    """A one-page PDF whose /AcroForm /Fields holds ``fields`` (added as indirect objects)."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    refs = [writer._add_object(f) for f in fields]
    annots = ArrayObject(refs + [writer._add_object(w) for w in (on_page or [])])
    page[NameObject("/Annots")] = annots
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(refs)}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text_field(name: str, value: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject(name),
            NameObject("/V"): TextStringObject(value),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
        }
    )


def test_duplicate_names_keep_every_value() -> None:
    data = _form_with([_text_field("a", "een"), _text_field("a", "twee")])
    record = read_raw(data)
    assert record["fields"] == {"a": "een"}
    assert record["details"]["duplicates"] == {"a": ["een", "twee"]}
    assert record["status"] == "warnings"


def test_widget_missing_from_fields_is_found_on_the_page() -> None:
    data = _form_with([_text_field("a", "een")], on_page=[_text_field("verstopt", "gevonden")])
    values, warnings = _walk(data)
    assert values == {"a": "een", "verstopt": "gevonden"}
    assert any("verstopt" in w and "niet in de veldenlijst" in w for w in warnings)


def test_a_loop_in_the_field_tree_ends() -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    parent = DictionaryObject({NameObject("/T"): TextStringObject("p")})
    parent_ref = writer._add_object(parent)
    child = _text_field("c", "x")
    child[NameObject("/Parent")] = parent_ref
    child_ref = writer._add_object(child)
    # the parent's kids hold the child and the parent itself: a loop
    parent[NameObject("/Kids")] = ArrayObject([child_ref, parent_ref])
    parent[NameObject("/FT")] = NameObject("/Tx")
    parent[NameObject("/T")] = TextStringObject("p")
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([parent_ref])}
    )
    out = io.BytesIO()
    writer.write(out)
    values, warnings = _walk(out.getvalue())
    assert values == {"p.c": "x"}
    assert any("in een kring" in w for w in warnings)


def test_a_deep_field_tree_is_cut_off_not_recursed() -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    leaf = writer._add_object(_text_field("leaf", "x"))
    node = leaf
    for i in range(200):
        node = writer._add_object(
            DictionaryObject(
                {NameObject("/T"): TextStringObject(f"n{i}"), NameObject("/Kids"): ArrayObject([node])}
            )
        )
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([node])}
    )
    out = io.BytesIO()
    writer.write(out)
    values, warnings = _walk(out.getvalue())
    assert values == {}
    assert any("dieper genest" in w for w in warnings)


def test_truncated_incremental_save_is_reported() -> None:
    data = _form_with([_text_field("a", "een")])
    assert check_bytes(data, Limits()) == []
    appended = data + b"\n12 0 obj\n<< /T (a) /V (nieuw"  # an update cut off mid-object
    notes = check_bytes(appended, Limits())
    assert notes and "afgekapt" in notes[0]
    assert read_raw(appended)["status"] == "damaged"
    assert "%%EOF ontbreekt" in check_bytes(data[: data.rfind(b"%%EOF")], Limits())[0]


def test_input_size_cap() -> None:
    data = _form_with([_text_field("a", "een")])
    record = read_raw(data, limits=Limits(max_size=100))
    assert record["status"] == "too_large"


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("pdfium__encrypted_hello_world_r6.pdf", "encrypted"),
        ("sample__libreoffice-writer-password.pdf", "encrypted"),
        ("qpdf__pages-loop.pdf", "no_form"),
        ("pdfium__circular_viewer_ref.pdf", "damaged"),
        ("pdfium__parser_rebuildxref_error_notrailer.pdf", "damaged"),
        ("qpdf__bad-xref.pdf", "damaged"),
        ("pdfium__simple_xfa.pdf", "unsupported"),
        ("pdfjs__xfa_issue14315.pdf", "unsupported"),
        ("sample__reportlab-overlay.pdf", "flattened"),
        ("qpdf__form-filled-by-acrobat.pdf", "ok"),
    ],
)
def test_corpus_raw_status(name: str, status: str) -> None:
    record = read_raw(str(CORPUS / name))
    assert record["status"] == status, record
    assert record["status"] in ("ok", "warnings") or record["reason"]
    assert "\n" not in (record["reason"] or "")


def test_raw_acrobat_form_values() -> None:
    record = read_raw(str(CORPUS / "qpdf__form-filled-by-acrobat.pdf"))
    assert record["fields"] == {
        "Text Box 1": "abc potato",
        "r1": "1",
        "Check Box 1": False,
        "Check Box 2": True,
        "Check Box 3": False,
        "r2": "2",
        "Text Box 2": "salad πʬ xyz",
    }


def test_one_malformed_radio_kid_costs_nothing_else() -> None:
    # pypdf's get_fields() fails on the whole file ("Button field kid missing /AP")
    record = read_raw(str(CORPUS / "pdfium__multiple_form_types.pdf"))
    assert record["fields"]["radioButton"] == "value3"
    assert record["fields"]["Listbox_MultiSelectMultipleSelected"] == ["Epsilon", "Gamma"]


def test_fields_that_is_not_an_array_falls_back_to_the_pages() -> None:
    record = read_raw(str(CORPUS / "qpdf__form-bad-fields-array.pdf"))
    assert record["status"] == "warnings"
    assert record["fields"]["Text Box 2"] == "salad πʬ"
    assert "geen lijst" in record["warnings"][0]


def test_password_opens_the_protected_corpus_file() -> None:
    record = read_raw(str(CORPUS / "sample__libreoffice-writer-password.pdf"), password="openpassword")
    assert record["status"] == "no_form"  # opened: a text document without a form
    assert read_raw(str(CORPUS / "sample__libreoffice-writer-password.pdf"), password="fout")["reason"] == (
        "het wachtwoord klopt niet"
    )


def test_every_corpus_file_gives_one_clean_result() -> None:
    for path in sorted(CORPUS.glob("*.pdf")):
        record = read_raw(str(path))
        assert record["status"] in {
            "ok",
            "warnings",
            "no_form",
            "flattened",
            "encrypted",
            "damaged",
            "unsupported",
        }
        if record["status"] not in ("ok", "warnings"):
            assert record["reason"] and "\n" not in record["reason"], path.name
