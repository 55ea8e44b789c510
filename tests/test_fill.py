"""``werkbladen fill``: answers in, a filled PDF out whose values read back exactly and show."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import CORPUS
from pypdf import PdfReader

from werkbladen.cli import main
from werkbladen.content.loader import shipped_werkboek
from werkbladen.content.model import Werkboek
from werkbladen.errors import AnswerError, NotAFormError, NotAWerkbladError
from werkbladen.filling.appearance import _Helvetica, wrap
from werkbladen.filling.prefill import fill, fill_form
from werkbladen.reader.extraction import extract

sys.path.insert(0, str(Path(__file__).parent / "engines"))
from values import flat_answers


def _fields(pdf: bytes) -> dict[str, Any]:
    from io import BytesIO

    return PdfReader(BytesIO(pdf)).get_fields() or {}


def _widgets(pdf: bytes, name: str) -> list[Any]:
    from io import BytesIO

    found = []
    for page in PdfReader(BytesIO(pdf)).pages:
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            if name in (annot.get("/T"), annot.get("/Parent", {}).get("/T")):
                found.append(annot)
    return found


def _choice(werkboek: Werkboek, template: str) -> Any:
    return next(f for f in werkboek.form_fields(template) if f.kind == "choice" and not f.table)


def test_respondent_prefill_reads_back(built_pdfs: dict[str, Path]) -> None:
    respondent = {
        "organisatie": "Gemeente Ağrı",
        "naam": "  Łukasz Żółć ",
        "rol": "Beleidsadviseur",
        "gemeente_regio": None,
        "datum": "2024-03-05",
    }
    pdf = fill(built_pdfs["stap-7.pdf"], {"respondent": respondent})
    record = extract(pdf).to_record()
    assert record["status"] == "ok"
    assert record["respondent"] == respondent
    assert _fields(pdf)["respondent_datum"]["/V"] == "05-03-2024"


def test_carrying_a_whole_record_into_a_new_round(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    """extract → fill a fresh blank → extract gives the same record (file aside)."""
    table = next(f for f in werkboek.form_fields("stap2") if f.table)
    checkbox = next(f for f in werkboek.form_fields("stap2") if f.kind == "checkbox")
    first = fill(
        built_pdfs["stap-2.pdf"],
        {"respondent": {"naam": "Jan"}, "answers": {table.name: "één\ntwee", checkbox.name: True}},
    )
    record = extract(first).to_record()
    again = extract(fill(built_pdfs["stap-2.pdf"], [record])).to_record()
    where = {"file", "sha256"}  # the same answers in other bytes
    assert {k: v for k, v in again.items() if k not in where} == {
        k: v for k, v in record.items() if k not in where
    }


def test_checkbox_and_radio_states_are_consistent(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    choice = _choice(werkboek, "werkboek")
    checkbox = next(f for f in werkboek.form_fields("werkboek") if f.kind == "checkbox")
    chosen = choice.options[1][0]
    pdf = fill(built_pdfs["werkboek.pdf"], {"answers": {choice.name: chosen, checkbox.name: True}})
    fields = _fields(pdf)
    assert fields[choice.name]["/V"] == f"/{chosen}"
    states = [str(w["/AS"]) for w in _widgets(pdf, choice.name)]
    assert states.count(f"/{chosen}") == 1
    assert set(states) == {f"/{chosen}", "/Off"}
    assert fields[checkbox.name]["/V"] == "/Yes"
    assert [str(w["/AS"]) for w in _widgets(pdf, checkbox.name)] == ["/Yes"]
    cleared = fill(pdf, {"answers": {choice.name: None, checkbox.name: False}})
    assert _fields(cleared)[checkbox.name]["/V"] == "/Off"
    assert {str(w["/AS"]) for w in _widgets(cleared, choice.name)} == {"/Off"}
    answers = flat_answers(extract(cleared).to_record())
    assert answers[choice.name] is None
    assert answers[checkbox.name] is False


def test_text_gets_its_own_appearance_and_unicode_font(built_pdfs: dict[str, Path]) -> None:
    pdf = fill(built_pdfs["stap-7.pdf"], {"respondent": {"naam": "Ağrı Şahin", "rol": "Jan (x)"}})
    naam, rol = _widgets(pdf, "respondent_naam")[0], _widgets(pdf, "respondent_rol")[0]
    assert "/WbUni" in str(naam["/DA"])
    assert b"/WbUni" in naam["/AP"]["/N"].get_object().get_data()
    assert b"(Jan \\(x\\))" in rol["/AP"]["/N"].get_object().get_data()
    reader = PdfReader(__import__("io").BytesIO(pdf))
    acroform = reader.trailer["/Root"]["/AcroForm"]
    assert "/NeedAppearances" not in acroform
    font = acroform["/DR"]["/Font"]["/WbUni"].get_object()
    assert font["/Subtype"] == "/Type0"
    assert font["/DescendantFonts"][0].get_object()["/FontDescriptor"]["/FontFile2"].get_object().get_data()[
        :4
    ] == (b"\x00\x01\x00\x00")
    plain = fill(built_pdfs["stap-7.pdf"], {"respondent": {"naam": "Jan"}})
    assert (
        "/WbUni"
        not in PdfReader(__import__("io").BytesIO(plain)).trailer["/Root"]["/AcroForm"]["/DR"]["/Font"]
    )
    assert len(plain) < len(pdf) - 100_000


def test_need_appearances_on_request(built_pdfs: dict[str, Path]) -> None:
    pdf = fill(built_pdfs["stap-7.pdf"], {"respondent": {"naam": "Jan"}}, need_appearances=True)
    assert PdfReader(__import__("io").BytesIO(pdf)).trailer["/Root"]["/AcroForm"]["/NeedAppearances"] == True  # noqa: E712


def test_table_rows_and_cell_names(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    cell = next(f for f in werkboek.form_fields("stap4") if f.table)
    table = cell.name[: -len(f"_{cell.row}_{cell.column}")]
    pdf = fill(built_pdfs["stap-4.pdf"], {"answers": {table: [{"row": cell.row, cell.column: "waarde"}]}})
    assert _fields(pdf)[cell.name]["/V"] == "waarde"
    with pytest.raises(AnswerError, match="geen rij 'zz'"):
        fill(built_pdfs["stap-4.pdf"], {"answers": {table: [{"row": "zz"}]}})
    with pytest.raises(AnswerError, match="geen in te vullen kolom 'zz'"):
        fill(built_pdfs["stap-4.pdf"], {"answers": {table: [{"row": cell.row, "zz": "x"}]}})


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"answers": {"stap7_bestaat_niet": "x"}}, "heeft geen veld stap7_bestaat_niet.*--skip-unknown"),
        ({"respondent": {"naam": 3}}, "respondent_naam is een tekstveld.*geen getal"),
        ({"respondent": {"datum": "2024-02-30"}}, "geen datum die op de kalender bestaat"),
        ({"answers": {"werkbladen_template": "x"}}, "alleen-lezen"),
        ({"werkblad": "stap3", "answers": {}}, "van 'stap3', maar het lege formulier is 'stap7'"),
        ({"status": "damaged"}, "status 'damaged'"),
        ({"antwoorden": {}}, "onbekende sleutel.*antwoorden"),
        ([{}, {}], "lijst van 2 records"),
        ("tekst", "moeten één record"),
        ({"answers": []}, "moet een object"),
    ],
)
def test_answers_that_do_not_fit(built_pdfs: dict[str, Path], answers: Any, message: str) -> None:
    with pytest.raises(AnswerError, match=message):
        fill(built_pdfs["stap-7.pdf"], answers)


def test_wrong_types_for_buttons(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    choice = _choice(werkboek, "stap7")
    with pytest.raises(AnswerError, match="is geen van de keuzes"):
        fill(built_pdfs["stap-7.pdf"], {"answers": {choice.name: "misschien"}})
    checkbox = next(f for f in werkboek.form_fields("stap2") if f.kind == "checkbox")
    with pytest.raises(AnswerError, match="is een aankruisvakje"):
        fill(built_pdfs["stap-2.pdf"], {"answers": {checkbox.name: "ja"}})


def test_notes_instead_of_errors(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    result = fill_form(
        built_pdfs["stap-7.pdf"],
        {
            "werkblad": "werkboek",
            "content_version": "0.9",
            "answers": {"stap1_kwesties": "elders", "stap7_informeren": "hier"},
            "extras": {"stap7_oud_veld": "x"},
            "respondent": {"naam": "Jan"},
        },
    )
    assert set(result.filled) == {"stap7_informeren", "respondent_naam"}
    assert any("inhoudsversie 0.9" in n for n in result.notes)
    assert any("stap1_kwesties" in n and "stap7_oud_veld" in n for n in result.notes)
    skipped = fill_form(built_pdfs["stap-7.pdf"], {"answers": {"stap7_nee": "x"}}, skip_unknown=True)
    assert skipped.filled == () and "stap7_nee" in skipped.notes[0]


def test_blanks_that_are_not_werkbladen(tmp_path: Path) -> None:
    with pytest.raises(NotAWerkbladError):
        fill(CORPUS / "pdfjs__textfields.pdf", {})
    with pytest.raises(NotAFormError):
        fill(CORPUS / "pdfium__bug_xrefv4_loop.pdf", {})


def test_cli_fills_and_refuses_to_overwrite(built_pdfs: dict[str, Path], tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"respondent": {"naam": "Ağrı"}}), encoding="utf-8")
    out = tmp_path / "out.pdf"
    runner = CliRunner()
    done = runner.invoke(main, ["fill", str(built_pdfs["stap-7.pdf"]), str(answers), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert extract(out).to_record()["respondent"]["naam"] == "Ağrı"
    blank_bytes = built_pdfs["stap-7.pdf"].read_bytes()
    done = runner.invoke(
        main, ["fill", str(built_pdfs["stap-7.pdf"]), str(answers), "-o", str(built_pdfs["stap-7.pdf"])]
    )
    assert done.exit_code == 1
    assert built_pdfs["stap-7.pdf"].read_bytes() == blank_bytes
    answers.write_text('{"respondent": {"naam": 1}}', encoding="utf-8")
    done = runner.invoke(main, ["fill", str(built_pdfs["stap-7.pdf"]), str(answers), "-o", str(out)])
    assert done.exit_code == 1
    assert done.output.count("\n") == 1 and done.output.startswith("werkbladen: fout: respondent_naam")
    answers.write_text("{", encoding="utf-8")
    done = runner.invoke(main, ["fill", str(built_pdfs["stap-7.pdf"]), str(answers), "-o", str(out)])
    assert done.exit_code == 1 and "geen geldige JSON" in done.output


def test_wrap_keeps_every_character_and_fits() -> None:
    face = _Helvetica()
    text = "  inspringen en een heel erg langwoordzonderspatiesdatnietpast\nnieuwe regel"
    lines = wrap(text, face, 10, 60)
    assert lines[0].startswith("  ")
    assert all(face.width(line.rstrip()) * 10 / 1000 <= 60 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")


_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\n "), max_size=80
).filter(lambda t: t.strip() != "" and "\r" not in t)


_WERKBOEK = shipped_werkboek()
_CHECKBOX = next(f.name for f in _WERKBOEK.form_fields("stap2") if f.kind == "checkbox")
_MULTILINE = next(f.name for f in _WERKBOEK.form_fields("stap2") if f.kind == "multiline" and not f.table)
_CHOICE = next(f for f in _WERKBOEK.form_fields("stap7") if f.kind == "choice" and not f.table)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=_TEXT,
    multiline=_TEXT,
    ticked=st.booleans(),
    option=st.sampled_from([*(v for v, _ in _CHOICE.options), None]),
    date=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)),
)
def test_fill_then_extract_gives_the_answers_back(
    built_pdfs: dict[str, Path], text: str, multiline: str, ticked: bool, option: str | None, date: dt.date
) -> None:
    """Arbitrary valid answers of every kind come back exactly (no fixture objects in the
    arguments: Hypothesis would repr them into every report)."""
    respondent = {"naam": text, "datum": date.isoformat()}
    answers = {_MULTILINE: multiline, _CHECKBOX: ticked}
    record = extract(
        fill(built_pdfs["stap-2.pdf"], {"respondent": respondent, "answers": answers})
    ).to_record()
    assert record["status"] == "ok"
    assert {k: record["respondent"][k] for k in respondent} == respondent
    assert {k: flat_answers(record)[k] for k in answers} == answers
    record = extract(fill(built_pdfs["stap-7.pdf"], {"answers": {_CHOICE.name: option}})).to_record()
    assert record["answers"][_CHOICE.name] == option
