"""``werkbladen extract`` and ``werkbladen schema`` through click's CliRunner: formats, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from formkit import blank_form, fill
from paths import CORPUS

from werkbladen.cli import main
from werkbladen.content.model import Werkboek

NAAM = " Één ë ï € ‘ ’ —\r\nregel "


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory, werkboek: Werkboek) -> Path:
    path = tmp_path_factory.mktemp("in") / "goed.pdf"
    values = {"respondent_naam": NAAM, "respondent_datum": "05-03-2024"}
    for spec in werkboek.form_fields("stap5"):
        if spec.kind == "choice":
            values[spec.name] = spec.options[0][0]
        elif spec.kind == "checkbox":
            values[spec.name] = True
        elif spec.kind in ("text", "multiline") and not spec.name.startswith("respondent_"):
            values[spec.name] = f"=antwoord {spec.name}"
    path.write_bytes(fill(blank_form(werkboek, "stap5"), values))
    return path


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_one_file_json_on_stdout(good: Path) -> None:
    result = _run("extract", str(good))
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["status"] == "ok"
    assert record["respondent"]["naam"] == " Één ë ï € ‘ ’ —\nregel "
    assert record["respondent"]["datum"] == "2024-03-05"


def test_mixed_batch_writes_everything_and_exits_1(good: Path, tmp_path: Path) -> None:
    bad = CORPUS / "pdfium__encrypted_hello_world_r6.pdf"
    out = tmp_path / "uit.jsonl"
    result = _run("extract", str(bad), str(good), str(CORPUS / "qpdf__bad-xref.pdf"), "-o", str(out))
    assert result.exit_code == 1
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in records] == ["encrypted", "ok", "damaged"]
    assert records[1]["answers"] and all(v is not None for v in _cells(records[1]))
    lines = result.stderr.strip().splitlines()
    assert (
        lines[0] == f"werkbladen: {bad}: beveiligd met een wachtwoord: "
        "de PDF is beveiligd met een wachtwoord; geef dat op met --password"
    )
    assert lines[1].startswith(f"werkbladen: {CORPUS / 'qpdf__bad-xref.pdf'}: beschadigd: ")
    assert lines[2:] == ["werkbladen: 3 bestanden: 1 gelezen, 2 mislukt"]


def _cells(record: dict[str, Any]) -> list[Any]:
    out = []
    for value in record["answers"].values():
        if isinstance(value, list):
            out.extend(v for row in value for k, v in row.items() if k != "row")
        else:
            out.append(value)
    return out


def test_csv_excel_nl_reads_back(good: Path, tmp_path: Path) -> None:
    out = tmp_path / "uit.csv"
    assert _run("extract", str(good), "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows) == 1
    assert rows[0]["status"] == "ok"
    assert rows[0]["respondent_naam"] == " Één ë ï € ‘ ’ —\nregel "
    formula_cells = [v for k, v in rows[0].items() if k.startswith("stap5_") and v and "antwoord" in v]
    assert formula_cells and all(not v.startswith("=") for v in formula_cells)  # neutralised


def test_csv_rfc4180_without_neutralising(good: Path, tmp_path: Path) -> None:
    out = tmp_path / "uit.csv"
    assert (
        _run("extract", str(good), "-o", str(out), "--csv-dialect", "rfc4180", "--no-neutralise").exit_code
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert any(v.startswith("=antwoord") for v in rows[0].values() if v)


def test_xlsx_reads_back(good: Path, tmp_path: Path) -> None:
    out = tmp_path / "uit.xlsx"
    assert _run("extract", str(good), str(good), "-o", str(out), "--layout", "machine").exit_code == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert len(rows) == 3
    assert rows[1][header.index("respondent_naam")] == " Één ë ï € ‘ ’ —\nregel "
    assert rows[1][header.index("status")] == "ok"


def test_xlsx_is_the_people_workbook_by_default(good: Path, tmp_path: Path) -> None:
    out = tmp_path / "uit.xlsx"
    assert _run("extract", str(good), "-o", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "overzicht" and book.sheetnames[-1] == "codeboek"
    rows = list(book["overzicht"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Organisatie", "Naam", "Werkblad", "Stand", "Status")
    assert rows[1][3:5] == ("actueel", "gelezen")


def test_layout_people_is_for_xlsx_only(good: Path, tmp_path: Path) -> None:
    for args in (["-o", str(tmp_path / "uit.csv")], ["-o", str(tmp_path / "uit.xlsx"), "--long"]):
        result = _run("extract", str(good), "--layout", "people", *args)
        assert result.exit_code == 2 and "--layout people" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_long_json(good: Path) -> None:
    result = _run("extract", str(good), "-f", "json", "--long")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and rows


def test_usage_errors_exit_2(good: Path, tmp_path: Path) -> None:
    assert _run("extract", str(good), "-o", str(good)).exit_code == 2  # would overwrite an input
    assert good.read_bytes().startswith(b"%PDF-")
    assert _run("extract", str(good), "-o", str(tmp_path / "uit.txt")).exit_code == 2
    assert _run("extract", str(good), "-f", "xlsx").exit_code == 2
    assert _run("extract", str(good), "--raw", "-f", "csv").exit_code == 2
    assert _run("extract").exit_code == 2
    assert _run("extract", str(good), "--jobs", "0").exit_code == 2


def test_raw_on_corpus_files(tmp_path: Path) -> None:
    result = _run("extract", "--raw", str(CORPUS / "qpdf__form-filled-by-acrobat.pdf"))
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["fields"]["Text Box 1"] == "abc potato"
    assert record["fields"]["Check Box 2"] is True
    out = tmp_path / "raw.json"
    many = _run(
        "extract",
        "--raw",
        str(CORPUS / "pdfjs__prefilled_f1040.pdf"),
        str(CORPUS / "pdfjs__saslprep-r6.pdf"),
        "-o",
        str(out),
    )
    assert many.exit_code == 1
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [r["status"] for r in records][1] == "encrypted"
    assert any("." in name for name in records[0]["fields"])  # fully qualified names


def test_max_size_option(good: Path) -> None:
    result = _run("extract", str(good), "--max-size", "0.001")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["status"] == "too_large"


def test_schema_command_prints_valid_json_schema() -> None:
    import jsonschema

    result = _run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["status"]["enum"][0] == "ok"


def test_one_file_is_read_in_process_and_still_bounded(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from werkbladen.reader import batch

    class NoWorkers:
        def __init__(self, *args: Any) -> None:
            raise AssertionError("one file must not start a worker process")

    monkeypatch.setattr(batch, "_Worker", NoWorkers)
    assert json.loads(_run("extract", str(good)).stdout)["status"] == "ok"
    result = _run("extract", "--timeout", "0.0001", str(good))
    assert result.exit_code == 1
    record = json.loads(result.stdout)
    assert record["status"] == "timeout" and "langer dan 0,0001 seconden" in record["reason"]


@pytest.fixture(scope="module")
def batch_inputs(tmp_path_factory: pytest.TempPathFactory, werkboek: Werkboek, good: Path) -> list[str]:
    """A good file, a damaged one, and a step of another version with an extra field."""
    from werkbladen.content.naming import FieldSpec

    old = tmp_path_factory.mktemp("oud") / "oud.pdf"
    extra = FieldSpec(name="stap2_vraag_van_vroeger", kind="text", tooltip="Een oude vraag")
    form = blank_form(werkboek, "stap2", extra=[extra])
    old.write_bytes(fill(form, {"respondent_naam": "Bob", "stap2_vraag_van_vroeger": "=oud antwoord"}))
    return [str(good), str(CORPUS / "qpdf__bad-xref.pdf"), str(old)]


@pytest.mark.parametrize(
    ("fmt", "extra"),
    [
        ("json", []),
        ("json", ["--long"]),
        ("jsonl", []),
        ("jsonl", ["--long"]),
        ("csv", []),
        ("csv", ["--long", "--csv-dialect", "rfc4180", "--no-neutralise"]),
        ("xlsx", []),
        ("xlsx", ["--long"]),
    ],
)
def test_streamed_output_is_what_the_whole_list_gives(
    batch_inputs: list[str], werkboek: Werkboek, tmp_path: Path, fmt: str, extra: list[str]
) -> None:
    """The CLI streams records to the writers; the bytes are those of the whole list written at once."""
    from werkbladen.export import write_records
    from werkbladen.inbox import read_inbox

    out = tmp_path / f"uit.{fmt}"
    result = _run("extract", *batch_inputs, "-o", str(out), "--jobs", "2", *extra)
    assert result.exit_code == 1  # the damaged file
    assert result.stderr.count("werkbladen: ") == 2 and ": beschadigd: " in result.stderr  # and the summary
    records = list(read_inbox(batch_inputs, werkboek=werkboek))
    assert records[2]["extras"] == {"stap2_vraag_van_vroeger": "=oud antwoord"}
    expected = tmp_path / f"verwacht.{fmt}"
    write_records(
        records,
        fmt,  # type: ignore[arg-type]
        expected,
        werkboek=werkboek,
        long="--long" in extra,
        csv_dialect="rfc4180" if "rfc4180" in extra else "excel-nl",
        neutralise_formulas="--no-neutralise" not in extra,
    )
    assert out.read_bytes() == expected.read_bytes()


def test_raw_streams_json_and_jsonl(batch_inputs: list[str], tmp_path: Path) -> None:
    from werkbladen.reader import batch

    records = batch.run(batch_inputs, mode="raw")
    for fmt in ("json", "jsonl"):
        out = tmp_path / f"raw.{fmt}"
        assert _run("extract", "--raw", *batch_inputs, "-o", str(out)).exit_code == 1
        if fmt == "json":
            expected = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
        else:
            expected = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        assert out.read_text(encoding="utf-8") == expected
