"""The workbook for people (``extract -o x.xlsx``), read back with openpyxl and converted by LibreOffice.

The records are built from the content (``test_export.make_record``); what each sheet should hold
is worked out here from the content and the records directly, not through the exporter's layout.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from test_export import TRIGGERS, failed_record, field_of_kind, make_record, set_answer

from werkbladen.content.model import TableBlock, Werkboek
from werkbladen.export import write_records
from werkbladen.export.people import RECOVERED_LEGEND, short_header
from werkbladen.export.workbook import MARKED_FILL, MARKED_STYLE


def write(tmp_path: Path, records: list[dict[str, Any]], werkboek: Werkboek) -> Path:
    out = tmp_path / "werkmap.xlsx"
    write_records(records, "xlsx", out, werkboek=werkboek, inputs=[])
    return out


def rows_of(sheet: Worksheet) -> list[dict[str, Any]]:
    """The sheet's rows as header → cell (the cell itself, so its type and style can be checked)."""
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=2)]


def org(i: int) -> str:
    return ["Gemeente Súdwest-Fryslân", "Łukasz Żółć & Zn.", "Stichting ’s-Hertogenbosch"][i]


def record_of(werkboek: Werkboek, i: int, **keys: Any) -> dict[str, Any]:
    record, _ = make_record(werkboek, file=f"inbox/{i}.pdf", i=i)
    record["respondent"]["organisatie"] = org(i)
    record.update(keys)
    return record


# ---------------------------------------------------------------- headers and the codeboek


def test_step_sheets_are_headed_by_the_questions(tmp_path: Path, werkboek: Werkboek) -> None:
    book = openpyxl.load_workbook(write(tmp_path, [record_of(werkboek, 0)], werkboek))
    codebook = {(r["Blad"].value, r["Kolom"].value): r for r in rows_of(book["codeboek"])}
    respondent = [r.label for r in werkboek.respondent]
    scales = werkboek.scale_map
    for werkblad in werkboek.steps:
        questions = [s for s in werkblad.fields(scales) if s.table is None]
        sheet = book[f"stap {werkblad.step}"]
        header = [c.value for c in sheet[1]]
        assert header[: len(respondent)] == respondent
        assert header[-2:] == ["Stand", "Bron"]
        shown = header[len(respondent) : -2]
        assert len(shown) == len(questions) == len(set(shown))
        for text, spec in zip(shown, questions, strict=True):
            words = " ".join(spec.tooltip.split())
            assert len(text) <= 60, text
            if text.endswith(" (toelichting)"):  # a ja/nee's room to explain, under its question's header
                assert words.endswith(" Toelichting")
                text, words = text.removesuffix(" (toelichting)"), words.removesuffix(" Toelichting")
            assert words.startswith(text.removesuffix("…")), (text, words)
            entry = codebook[sheet.title, shown[questions.index(spec)]]
            assert entry["Veld(en)"].value == spec.name
            assert entry["Vraag"].value == spec.tooltip
    assert ("overzicht", "Status") in codebook


def test_short_header() -> None:
    assert short_header("Wat is onze gezamenlijke opgave?") == "Wat is onze gezamenlijke opgave?"
    assert (
        short_header("Kunnen we het beeld verklaren? Wat is het verhaal?") == "Kunnen we het beeld verklaren?"
    )
    assert short_header("Wat zijn zorgen en kansen... in onze gemeente?") == (
        "Wat zijn zorgen en kansen... in onze gemeente?"
    )
    assert short_header("Begrijpen. Kunnen we het beeld verklaren? Zijn er groepen?") == (
        "Begrijpen. Kunnen we het beeld verklaren?"
    )
    long = "Op welke plek ligt het voor de hand om deze opgave bestuurlijk en beleidsmatig vorm te geven?"
    assert short_header(long) == "Op welke plek ligt het voor de hand om deze opgave…"


# ---------------------------------------------------------------- cell types


def test_scores_numbers_dates_and_checkboxes(tmp_path: Path, werkboek: Werkboek) -> None:
    record = record_of(werkboek, 0)
    record["respondent"]["datum"] = "2021-06-24"
    record["answers"]["stap6_eerstvolgende_moment"] = "na de zomer"
    out = write(tmp_path, [record], werkboek)
    book = openpyxl.load_workbook(out)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert all(c.font.b for c in sheet[1])
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type in ("s", "n", "d"), (sheet.title, cell.coordinate, cell.data_type)
                if cell.data_type == "n" and cell.value is not None:
                    assert not isinstance(cell.value, str)
    first = rows_of(book["stap 1"])[0]
    assert first["Datum"].value == datetime.datetime(2021, 6, 24)
    assert first["Datum"].is_date and first["Datum"].number_format == "dd\\-mm\\-yyyy"
    stap6 = rows_of(book["stap 6"])[0]
    assert stap6["Wat is het eerstvolgende moment?"].value == "na de zomer"  # typed, not a date: as typed
    assert stap6["Wat is het eerstvolgende moment?"].data_type == "s"

    scores = rows_of(book["stap 5 scores"])
    table = record["answers"]["stap5_scores"]
    by_row = {r["row"]: r for r in table}
    assert [r["Interventie"].value for r in scores] == [
        "Interventie 1",
        "Interventie 2",
        "Interventie 3",
        "Interventie 4",
    ]
    for row, column in zip(scores, ["i1", "i2", "i3", "i4"], strict=True):
        assert row["Naam interventie of activiteit"].value == by_row["naam"][column]
        assert row["Doelgericht"].value == int(by_row["doelgericht"][column])
        assert row["Doelgericht"].data_type == "n"
        assert row["Professionals zijn toegerust"].value == int(by_row["toegerust"][column])
        assert row["Toelichting"].value == by_row["toelichting"][column]

    stap7 = rows_of(book["stap 7"])[0]
    raad = record["answers"]["stap7_goedgekeurd_raad"]
    assert stap7["Is het plan goedgekeurd door de gemeenteraad/gemeenteraden?"].value == raad
    assert stap7["Datum van goedkeuring door de gemeenteraad/gemeenteraden"].is_date


def test_network_table_is_a_row_per_organisation_and_network(tmp_path: Path, werkboek: Werkboek) -> None:
    records = [record_of(werkboek, 0), record_of(werkboek, 1)]
    for row in records[1]["answers"]["stap2_netwerken"]:
        if row["row"].startswith("eigen"):
            row.update({k: None for k in row if k != "row"}, nodig=False)  # no network of its own
    records.append(failed_record())
    book = openpyxl.load_workbook(write(tmp_path, records, werkboek))
    table = next(b for b in werkboek.werkblad("stap2").blocks() if isinstance(b, TableBlock))
    fixed = [r for r in table.rows if r.cells]
    rows = rows_of(book["stap 2 netwerken"])
    assert len(rows) == 2 * len(fixed) + 3  # every fixed network for both, own rows only where typed
    for i, record in enumerate(records[:2]):
        mine = [r for r in rows if r["Organisatie"].value == org(i)]
        given = {r["row"]: r for r in record["answers"]["stap2_netwerken"]}
        for row, sheet_row in zip(fixed, mine, strict=False):
            assert sheet_row["Circuits en netwerken"].value == row.cells["circuit"]
            assert sheet_row["Nodig voor ons plan"].value == ("ja" if given[row.id]["nodig"] else "nee")
            assert sheet_row["Wie neemt deel (rol, contact)"].value == given[row.id]["wie"]
    own = [r for r in rows if r["Organisatie"].value == org(0)][len(fixed) :]
    assert [r["Circuits en netwerken"].value for r in own] == [
        records[0]["answers"]["stap2_netwerken"][-k]["circuit"] for k in (3, 2, 1)
    ]


# ---------------------------------------------------------------- the overview and standing


def test_overview_has_every_input_in_dutch(tmp_path: Path, werkboek: Werkboek) -> None:
    old = record_of(werkboek, 0)  # as written before the inbox: no source, sender, dates, standing
    new = record_of(
        werkboek,
        1,
        source="inbox/mei.zip/ede/stap-2.pdf",
        sender="Jan <jan@ede.nl>",
        sent="2021-06-24T10:15:00+02:00",
        modified="2021-06-23T08:00:00Z",
        conflicts=[{"source": "inbox/0.pdf", "fields": ["stap2_regie", "stap2_netwerken"]}],
    )
    copy = record_of(werkboek, 2, duplicate_of="inbox/1.pdf")
    skipped = failed_record("inbox/mei.zip/brief.docx") | {"status": "skipped", "reason": "geen PDF"}
    book = openpyxl.load_workbook(write(tmp_path, [old, new, copy, failed_record(), skipped], werkboek))
    rows = rows_of(book["overzicht"])
    assert [r["Bron"].value for r in rows] == [
        "inbox/0.pdf",
        "inbox/mei.zip/ede/stap-2.pdf",
        "inbox/2.pdf",
        "inbox/dicht.pdf",
        "inbox/mei.zip/brief.docx",
    ]
    assert [r["Stand"].value for r in rows] == [
        "actueel",
        "actueel",
        "dubbel",
        "niet gelezen",
        "niet gelezen",
    ]
    assert [r["Status"].value for r in rows] == [
        "gelezen",
        "gelezen",
        "gelezen",
        "beveiligd met een wachtwoord",
        "overgeslagen",
    ]
    assert rows[0]["Organisatie"].value == org(0) and rows[0]["Werkblad"].value == "werkboek (alle stappen)"
    assert rows[1]["Afzender"].value == "Jan <jan@ede.nl>"
    assert rows[1]["Verzonden"].value == datetime.datetime(2021, 6, 24, 10, 15)
    assert rows[1]["Verzonden"].is_date and "hh:mm" in rows[1]["Verzonden"].number_format
    assert rows[1]["Opgeslagen"].value == datetime.datetime(2021, 6, 23, 8, 0)
    assert (
        rows[1]["Verschilt van"].value
        == "inbox/0.pdf: Op welke plek ligt het voor de hand om deze opgave…; stap 2 netwerken"
    )
    assert rows[2]["Dubbel van"].value == "inbox/1.pdf"
    assert rows[3]["Reden"].value == "het bestand is beveiligd met een wachtwoord"
    assert rows[3]["Verzonden"].value is None and rows[0]["Verzonden"].value is None


def test_forms_not_current_are_hidden_by_the_filter(tmp_path: Path, werkboek: Werkboek) -> None:
    records = [record_of(werkboek, 0, superseded_by="inbox/1.pdf"), record_of(werkboek, 1)]
    out = write(tmp_path, records, werkboek)
    book = openpyxl.load_workbook(out)
    for name in ("stap 1", "stap 2 netwerken"):
        sheet = book[name]
        rows = rows_of(sheet)
        standing = [r["Stand"].value for r in rows]
        assert set(standing) == {"vervangen door een nieuwere versie", "actueel"}
        for number, value in enumerate(standing, start=2):
            assert sheet.row_dimensions[number].hidden == (value != "actueel"), (name, number)
        (column,) = sheet.auto_filter.filterColumn
        assert column.colId == [c.value for c in sheet[1]].index("Stand")
        assert column.filters.filter == ["actueel"]
    overview = book["overzicht"]
    assert not any(overview.row_dimensions[n].hidden for n in range(2, 4))
    only_current = openpyxl.load_workbook(write(tmp_path, [records[1]], werkboek))
    assert not only_current["stap 1"].auto_filter.filterColumn


# ---------------------------------------------------------------- hostile text


HOSTILE = [
    "=1+1",
    "@SUM(A1)",
    "+31 6 1234",
    "-rf",
    '=HYPERLINK("http://x";"klik")',
    "#N/A",
    "<b>&amp;</b>",
    "_x0041_",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_stays_literal_text(tmp_path: Path, werkboek: Werkboek, payload: str) -> None:
    record = record_of(werkboek, 0, source=payload, reason=payload)
    record["respondent"]["organisatie"] = payload
    set_answer(record, field_of_kind(werkboek, "multiline", table=False), payload)
    set_answer(record, field_of_kind(werkboek, "multiline", table=True), payload)
    record["extras"] = {payload: payload}
    out = write(tmp_path, [record], werkboek)
    with zipfile.ZipFile(out) as package:
        for name in package.namelist():
            assert not re.search(rb"<f[\s>/]", package.read(name)), name
    book = openpyxl.load_workbook(out)
    # Excel reads _x0041_ as an escaped "A", so the writer escapes the underscore (_x005F_), which
    # Excel shows as the literal text typed; openpyxl does not unescape it.
    literal = payload.replace("_x", "_x005F_x")
    found = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.value == literal:
                    found += 1
                    assert cell.data_type == "s"
                    assert cell.quotePrefix == payload.startswith(tuple(TRIGGERS)), (
                        sheet.title,
                        cell.coordinate,
                    )
    # organisation on every sheet, source on every sheet, reason, two answers, extra name and value
    assert found >= 2 * (len(book.worksheets) - 1) + 3


def test_characters_a_sheet_cannot_hold_are_replaced_and_noted(tmp_path: Path, werkboek: Werkboek) -> None:
    record = record_of(werkboek, 0)
    spec = field_of_kind(werkboek, "multiline", table=False)
    set_answer(record, spec, "bel\x07 en\x0bregel\x00 \ud800")
    book = openpyxl.load_workbook(write(tmp_path, [record], werkboek))
    werkblad = spec.name.split("_")[0]
    step = book[f"stap {werkboek.werkblad(werkblad).step}"]
    values = [c.value for c in step[2]]
    assert "bel\ufffd en\nregel\ufffd \ufffd" in values
    overview = rows_of(book["overzicht"])[0]
    assert overview["Status"].value == "gelezen, met waarschuwingen"
    assert "4 teken(s) vervangen" in overview["Waarschuwingen"].value


def test_workbook_is_reproducible(tmp_path: Path, werkboek: Werkboek) -> None:
    records = [record_of(werkboek, i) for i in range(3)]
    first = write(tmp_path, records, werkboek).read_bytes()
    assert write(tmp_path, records, werkboek).read_bytes() == first


# ---------------------------------------------------------------- LibreOffice


def require_soffice() -> str:
    """LibreOffice's ``soffice``; skip without it, except with ``CI=true``, where it fails."""
    found = shutil.which("soffice")
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("LibreOffice (soffice, Debian libreoffice-calc-nogui) is required in CI")
    pytest.skip("LibreOffice (soffice) is not installed")


def test_libreoffice_converts_the_workbook(tmp_path: Path, werkboek: Werkboek) -> None:
    soffice = require_soffice()
    records = [record_of(werkboek, i) for i in range(3)] + [failed_record()]
    records[1]["duplicate_of"] = "inbox/0.pdf"
    records[2]["status"] = "recovered"  # its cells marked and commented, the legend on overzicht
    flags = {"respondent_organisatie": ["from_page"], "stap1_kwesties": ["from_page", "lost_letters"]}
    records[2]["details"] = {"recovered": flags}
    out = write(tmp_path, records, werkboek)
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in (result.stdout + result.stderr).lower(), result.stdout + result.stderr
    pdf = tmp_path / "werkmap.pdf"
    assert pdf.exists() and pdf.stat().st_size > 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Organisatie", "Wat is onze gezamenlijke opgave?", org(1), "Circuits en netwerken"):
        assert expected in text, expected


def test_a_form_read_from_its_page_is_marked_in_the_overview(tmp_path: Path, werkboek: Werkboek) -> None:
    name = next(f.name for f in werkboek.form_fields("werkboek") if f.name.startswith("stap1_"))
    record = record_of(werkboek, 0, status="recovered")
    record["details"] = {
        "recovered": {name: ["from_page", "possibly_incomplete"], "stap1_kwesties": ["from_page"]}
    }
    book = openpyxl.load_workbook(write(tmp_path, [record], werkboek))
    row, empty, legend = rows_of(book["overzicht"])  # the form, then (after a gap) the legend
    assert all(c.value is None for c in empty.values())
    assert legend["Organisatie"].value == RECOVERED_LEGEND
    assert row["Status"].value == "gelezen van de pagina (afgedrukt of platgeslagen): controleren"
    note = row["Waarschuwingen"].value
    assert note.startswith(
        "2 antwoorden van de pagina gelezen (een afdruk, geen formulier); controleer tegen de PDF: "
    )
    assert note.endswith(": mogelijk onvolledig (tekst loopt tot de rand van het vak)")


def _marked(cell: Any) -> bool:
    return bool(cell.style == MARKED_STYLE and cell.font.i and cell.fill.fgColor.rgb == MARKED_FILL)


def test_answers_read_from_the_page_are_marked_cell_by_cell(tmp_path: Path, werkboek: Werkboek) -> None:
    """Issue 13 item 3: a recovered record's cells in the named style, with their flags as a comment;
    numbers stay numbers and dates dates; a fillable form's cells are not marked."""
    recovered = record_of(werkboek, 0, status="recovered")
    recovered["respondent"]["datum"] = "2021-06-24"
    recovered["answers"]["stap1_kwesties"] = "=1+1 zoals gelezen"
    flags = {
        "respondent_organisatie": ["from_page"],
        "respondent_datum": ["from_page", "unclear_mark"],
        "stap1_gezamenlijke_opgave": ["from_page", "possibly_incomplete", "lost_letters"],
        "stap1_kwesties": ["from_page"],
        "stap5_scores_doelgericht_i1": ["from_page", "unclear_mark"],
        "stap2_netwerken_lea_nodig": ["from_page"],
    }
    recovered["details"] = {"recovered": flags}
    fillable = record_of(werkboek, 1)
    out = write(tmp_path, [recovered, fillable], werkboek)
    book = openpyxl.load_workbook(out)
    codebook = {
        (r["Blad"].value, f): r["Kolom"].value
        for r in rows_of(book["codeboek"])
        for f in (r["Veld(en)"].value or "").split("\n")
    }
    mine, theirs = (r for r in rows_of(book["stap 1"]) if r["Organisatie"].value)
    opgave = mine[codebook["stap 1", "stap1_gezamenlijke_opgave"]]
    assert _marked(opgave) and opgave.value == recovered["answers"]["stap1_gezamenlijke_opgave"]
    assert opgave.comment.text == (
        "Van de pagina gelezen; mogelijk onvolledig (tekst loopt tot de rand van het vak); "
        "letters onleesbaar in de PDF. Controleer tegen de PDF."
    )
    kwesties = mine[codebook["stap 1", "stap1_kwesties"]]
    assert _marked(kwesties) and kwesties.quotePrefix and kwesties.data_type == "s"
    assert kwesties.comment.text == "Van de pagina gelezen. Controleer tegen de PDF."
    assert _marked(mine["Datum"]) and mine["Datum"].is_date
    assert mine["Datum"].value == datetime.datetime(2021, 6, 24)
    assert mine["Datum"].number_format == "dd\\-mm\\-yyyy"
    assert "vinkje of keuze onduidelijk" in mine["Datum"].comment.text
    assert _marked(mine["Organisatie"]) and not _marked(mine["Naam"]) and mine["Naam"].comment is None
    assert not _marked(mine[codebook["stap 1", "stap1_belang_samen"]])
    for cell in theirs.values():
        assert cell.style == "Normal" and cell.comment is None and not cell.font.i, cell.coordinate

    scores = [r for r in rows_of(book["stap 5 scores"]) if r["Organisatie"].value == org(0)]
    first = scores[0]["Doelgericht"]
    assert _marked(first) and first.data_type == "n" and isinstance(first.value, int)
    assert not any(_marked(r["Doelgericht"]) for r in scores[1:])
    assert all(_marked(r["Organisatie"]) and not _marked(r["Naam"]) for r in scores)
    lea = next(
        r
        for r in rows_of(book["stap 2 netwerken"])
        if r["Organisatie"].value == org(0) and r["Circuits en netwerken"].value.startswith("Lokaal Edu")
    )
    assert _marked(lea["Nodig voor ons plan"]) and lea["Nodig voor ons plan"].value in ("ja", "nee")
    assert not _marked(lea["Circuits en netwerken"])  # fixed text of the werkblad, not an answer
    for sheet in book.worksheets:
        if sheet.title == "overzicht":
            continue
        for row in rows_of(sheet):
            if row.get("Organisatie") is not None and row["Organisatie"].value == org(1):
                assert not any(_marked(c) or c.comment for c in row.values()), sheet.title

    overview = rows_of(book["overzicht"])
    assert _marked(overview[0]["Organisatie"]) and not _marked(overview[1]["Organisatie"])
    assert overview[-1]["Organisatie"].value == RECOVERED_LEGEND and _marked(overview[-1]["Organisatie"])
    assert book["overzicht"].auto_filter.ref == "A1:O3"  # the legend is below the filter's rows
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
    assert "xl/drawings/vmlDrawing1.vml" in names and "xl/comments1.xml" in names  # Excel shows them so
