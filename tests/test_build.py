"""The build: reproducible bytes, the committed output/, the CLI and script, qpdf, a fill round trip."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from werkbladen.cli import main
from werkbladen.content.model import Werkboek
from werkbladen.content.naming import TEMPLATE_FIELD, WERKBOEK, FieldSpec
from werkbladen.errors import OutputError, WerkbladenError
from werkbladen.layout import build, render_step, render_werkboek, theme
from werkbladen.layout.para import Para
from werkbladen.layout.twocores import can_fork, run_pair

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "output"
MAX_WERKBOEK_BYTES = 400_000
"""Issue 12: tagged (PDF/UA) with every font embedded, the blank werkboek stays at most 400 KB."""


def test_build_is_byte_reproducible(built_pdfs: dict[str, Path], werkboek: Werkboek, tmp_path: Path) -> None:
    again = {p.name: p.read_bytes() for p in build(werkboek, tmp_path)}
    assert again.keys() == built_pdfs.keys()
    for name, path in built_pdfs.items():
        assert path.read_bytes() == again[name], name


def test_serial_build_makes_the_same_bytes(
    built_pdfs: dict[str, Path], werkboek: Werkboek, tmp_path: Path
) -> None:
    """The forked build (the default) and the serial fallback write the same files."""
    if sys.platform.startswith("linux"):
        assert can_fork(), "the forked build must be what the other tests check"
    serial = build(werkboek, tmp_path, parallel=False)
    assert [p.name for p in serial] == list(built_pdfs)
    for path in serial:
        assert path.read_bytes() == built_pdfs[path.name].read_bytes(), path.name


def test_committed_output_is_current(built_pdfs: dict[str, Path]) -> None:
    """output/ holds exactly what a build makes now: rebuild (werkbladen build) after a content change."""
    committed = sorted(p.name for p in OUTPUT.glob("*.pdf"))
    assert committed == sorted(built_pdfs)
    stale = [name for name, path in built_pdfs.items() if (OUTPUT / name).read_bytes() != path.read_bytes()]
    assert not stale, f"output/ is stale for {stale}: run `werkbladen build`"


def test_render_functions_match_the_files(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    assert render_werkboek(werkboek) == built_pdfs["werkboek.pdf"].read_bytes()
    step = werkboek.steps[1]
    assert render_step(werkboek, step) == built_pdfs[f"stap-{step.step}.pdf"].read_bytes()


def test_werkboek_is_small(built_pdfs: dict[str, Path]) -> None:
    assert built_pdfs["werkboek.pdf"].stat().st_size < MAX_WERKBOEK_BYTES


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf not installed")
def test_qpdf_check(built_pdfs: dict[str, Path]) -> None:
    for name, path in built_pdfs.items():
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, (name, result.stdout, result.stderr)
        assert "No syntax or stream encoding errors" in result.stdout, name


def test_cli_build(tmp_path: Path, built_pdfs: dict[str, Path]) -> None:
    result = CliRunner().invoke(main, ["build", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    for name, path in built_pdfs.items():
        assert (tmp_path / "out" / name).read_bytes() == path.read_bytes()
        assert name in result.output


def test_cli_build_into_a_file_fails_cleanly(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("not a folder")
    result = CliRunner().invoke(main, ["build", "-o", str(target / "sub")])
    assert result.exit_code == 1
    assert "werkbladen: fout:" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("blocked", ["stap-3.pdf", "werkboek.pdf"])
def test_cli_build_reports_a_failed_file_cleanly(tmp_path: Path, blocked: str) -> None:
    """A file that cannot be written fails the build with its name, whichever process wrote it;
    the other process's files are still written."""
    out = tmp_path / "out"
    (out / blocked).mkdir(parents=True)
    result = CliRunner().invoke(main, ["build", "-o", str(out)])
    assert result.exit_code == 1
    assert f"werkbladen: fout: {out / blocked} is niet te schrijven: het is een map" in result.output
    assert "Traceback" not in result.output
    other = "werkboek.pdf" if blocked != "werkboek.pdf" else "stap-7.pdf"
    assert (out / other).is_file()


def test_run_pair_hands_back_the_child_error() -> None:
    def fails() -> None:
        raise OutputError("cannot write x: no space left")

    with pytest.raises(OutputError, match="no space left") as caught:
        run_pair(lambda: None, fails)
    assert not getattr(caught.value, "__notes__", None), "a user-facing error stays one line"

    def bug() -> None:
        raise KeyError("stap9_vraag")

    with pytest.raises(KeyError, match="stap9_vraag") as bug_caught:
        run_pair(lambda: None, bug)
    assert "in the child process" in "".join(bug_caught.value.__notes__)


def test_run_pair_reports_a_killed_child_and_prefers_its_own_error() -> None:
    with pytest.raises(WerkbladenError, match=f"gestopt door signaal {int(signal.SIGKILL)}"):
        run_pair(lambda: None, lambda: os.kill(os.getpid(), signal.SIGKILL))

    def parent_fails() -> None:
        raise OutputError("parent failed")

    def child_fails() -> None:
        raise OutputError("child failed")

    with pytest.raises(OutputError, match="parent failed"):
        run_pair(parent_fails, child_fails)


def test_run_pair_serial_runs_both_in_order() -> None:
    ran: list[str] = []
    run_pair(lambda: ran.append("here"), lambda: ran.append("there"), parallel=False)
    assert ran == ["here", "there"]


def test_para_rewraps_only_at_a_new_width() -> None:
    text = "Een zin die bij een smalle breedte over meer regels loopt dan bij een brede. " * 3
    para = Para(text, theme.BODY)
    narrow = para.wrap(120, 1000)
    assert para.wrap(120, 1000) == narrow
    wide = para.wrap(400, 1000)
    assert wide[1] < narrow[1]
    fresh = Para(text, theme.BODY)
    assert para.wrap(120, 1000) == narrow == fresh.wrap(120, 1000)
    assert len(para.blPara.lines) == len(fresh.blPara.lines) > 1


def test_cli_build_from_a_content_folder(tmp_path: Path) -> None:
    """A publisher's own content folder builds too (here: the shipped one, copied)."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "werkbladen" / "content", content)
    result = CliRunner().invoke(main, ["build", str(content), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "werkboek.pdf").is_file()


def test_script_wraps_the_same_build(tmp_path: Path, built_pdfs: dict[str, Path]) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_pdfs.py"), "-o", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name, path in built_pdfs.items():
        assert (tmp_path / name).read_bytes() == path.read_bytes(), name


# -- a fill round trip -------------------------------------------------------------------------------


def _value_for(spec: FieldSpec, i: int) -> str:
    if spec.kind == "checkbox":
        return "/Yes" if i % 2 == 0 else "/Off"
    if spec.kind == "choice":
        return "/" + spec.options[i % len(spec.options)][0]
    if spec.kind == "date":
        return f"{1 + i % 28:02d}-06-2021"
    return f"Antwoord {i}: één, twee – drie"


def test_fill_round_trip(built_pdfs: dict[str, Path], werkboek: Werkboek, tmp_path: Path) -> None:
    """Fill every field of the blank werkboek with pypdf, save, and read the same values back."""
    specs = werkboek.form_fields(WERKBOEK)
    values = {spec.name: _value_for(spec, i) for i, spec in enumerate(specs)}
    writer = PdfWriter(clone_from=built_pdfs["werkboek.pdf"])
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    with filled.open("wb") as handle:
        writer.write(handle)

    fields = PdfReader(filled).get_fields()
    assert fields is not None
    for spec in specs:
        got = fields[spec.name].get("/V")
        expected = values[spec.name]
        if spec.kind in ("checkbox", "choice") and expected == "/Off":
            assert got in (None, "/Off"), spec.name
        else:
            assert str(got) == expected, spec.name
    assert (
        fields[TEMPLATE_FIELD]["/V"] == f"nji-werkbladen/werkboek/{werkboek.version}/{werkboek.fingerprint}"
    )

    from werkbladen.reader.extraction import extract

    record = extract(filled, werkboek=werkboek).to_record()
    assert record["status"] == "ok", record["warnings"]
    assert record["werkblad"] == WERKBOEK
    assert record["content_version"] == werkboek.version
    day, month, year = values["respondent_datum"].split("-")
    assert record["respondent"]["datum"] == f"{year}-{month}-{day}"
    answers = record["answers"]
    for i, spec in enumerate(specs):
        if spec.name.startswith("respondent_"):
            continue
        if spec.table is None:
            got = answers[spec.name]
        else:
            rows = answers[f"{spec.name.split('_')[0]}_{spec.table}"]
            got = next(r for r in rows if r["row"] == spec.row)[spec.column]
        raw = values[spec.name]
        expected = {"checkbox": raw == "/Yes", "choice": raw.lstrip("/")}.get(spec.kind, raw)
        if spec.kind == "date":
            d, m, y = raw.split("-")
            expected = f"{y}-{m}-{d}"
        assert got == expected, (spec.name, got, expected, i)


def test_widget_serialiser_writes_reportlab_bytes() -> None:
    """The quicker widget serialiser against ReportLab's own, on values beyond what the build uses."""
    from collections import OrderedDict

    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFDictionary,
        PDFDocument,
        PDFName,
        PDFObjectReference,
        PDFString,
    )

    from werkbladen.layout.pdfwrite import WidgetDictionary

    doc = PDFDocument(invariant=1)
    target = PDFDictionary({"Type": PDFName("Annot")})
    ref = doc.Reference(target)
    doc.idToObjectNumberAndVersion[ref.name] = (12, 0)
    value = {
        "Rect": PDFArray([1, 2.5, -3.25, 1e-7, 123456.789]),
        "Long": PDFArray(list(range(23))),
        "P": ref,
        "FT": PDFName("Btn"),
        "Odd name": PDFName("a b#(c)é"),
        "TU": PDFString("Één vraag — (met) haakjes\\"),
        "CA": "(l)",
        "Raw": b"<00>",
        "Ctl": "tab\there",
        "Flag": True,
        "AP": PDFDictionary({"N": PDFDictionary({"Yes": ref, "Off": ref}), "Ordered": None}),
        "Kids": PDFArray([PDFDictionary({"K": 1}), PDFArray([])]),
    }
    value["AP"].dict["Ordered"] = PDFDictionary(OrderedDict([("Z", 1), ("A", 2)]))
    compact = PDFDictionary({str(i): i for i in range(14)})
    compact.multiline = False
    value["Compact"] = compact
    ours = WidgetDictionary(value)
    assert ours.format(doc) == PDFDictionary(value).format(doc)
    for bad in ({"X": "a\x18"}, {"X": PDFArray(["\x1f"])}):  # not in PDFDocEncoding
        with pytest.raises(UnicodeEncodeError):
            PDFDictionary(bad).format(doc)
        with pytest.raises(UnicodeEncodeError):
            WidgetDictionary(bad).format(doc)
    unresolved = WidgetDictionary({"P": PDFObjectReference("R999")})
    with pytest.raises(KeyError, match="R999"):
        unresolved.format(doc)


def test_every_text_widget_has_an_appearance_of_its_own(built_pdfs: dict[str, Path]) -> None:
    """A shared ``/AP /N`` object shows one answer in every box that shares it once a filler
    replaces that object (pypdf does): ReportLab shared one among up to 18 empty widgets."""
    for path in built_pdfs.values():
        owners: dict[int, list[str]] = {}
        for page in PdfReader(path).pages:
            for annotation in page.get("/Annots") or []:
                widget = annotation.get_object()
                if widget.get("/FT") in ("/Tx", "/Ch"):
                    stream = widget["/AP"].raw_get("/N")
                    owners.setdefault(stream.idnum, []).append(str(widget["/T"]))
        shared = {number: names for number, names in owners.items() if len(names) > 1}
        assert not shared, f"{path.name}: widgets share an appearance stream: {shared}"


def test_a_form_filled_by_pypdf_shows_each_answer_in_its_own_box(
    built_pdfs: dict[str, Path], tmp_path: Path
) -> None:
    answers = {
        "respondent_organisatie": "Gemeente Súdwest-Fryslân",
        "respondent_naam": "Jan de Vries",
        "respondent_rol": "beleidsadviseur",
        "respondent_gemeente_regio": "Fryslân",
    }
    writer = PdfWriter(clone_from=built_pdfs["werkboek.pdf"])
    for page in writer.pages:
        writer.update_page_form_field_values(page, answers, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    shown = subprocess.run(
        ["pdftotext", "-layout", str(filled), "-"], capture_output=True, text=True, check=True
    )
    for value in ("Jan de Vries", "beleidsadviseur"):  # pypdf draws these in the field's font
        assert shown.stdout.count(value) == 1, f"{value!r} shown {shown.stdout.count(value)} times"
