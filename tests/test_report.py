"""``werkbladen report``: every answer under its own organisation, counts by a second route, reproducible.

The counts are computed here from the records themselves (not through ``werkbladen.report``) and
compared with what the PDF says; the PDF's text is read back with poppler (``pdftotext -raw``,
content-stream order: a name, then its answer).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportkit import ORGANISATIES, filled_werkboeken, flat, raw_text, record, report_text, specs_by_name

from werkbladen.content.model import TableBlock, Werkboek
from werkbladen.content.naming import FieldSpec
from werkbladen.record import Record, table_key
from werkbladen.report.model import MONTHS


@dataclass(frozen=True)
class Ran:
    exit_code: int
    stderr: str

    @property
    def output(self) -> str:
        return self.stderr


def _werkbladen(*args: str) -> Ran:
    """The command in a process of its own: its reading workers are forked from a small process
    (forked from the test process, they would inherit its address space under their memory cap)."""
    proc = subprocess.run(
        [sys.executable, "-m", "werkbladen", *args], capture_output=True, text=True, check=False, timeout=600
    )
    return Ran(proc.returncode, proc.stderr)


def _report(tmp: Path, *inputs: Path | str, extra: tuple[str, ...] = ()) -> tuple[Path, Ran]:
    out = tmp / "overzicht.pdf"
    return out, _werkbladen("report", *map(str, inputs), "-o", str(out), *extra)


def _write_json(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(records, ensure_ascii=True), encoding="utf-8")
    return path


# ---------------------------------------------------------------- twelve filled werkboeken


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory, werkboek: Werkboek, built_pdfs: dict[str, Path]) -> Path:
    folder = tmp_path_factory.mktemp("twaalf") / "inbox"
    filled_werkboeken(built_pdfs["werkboek.pdf"].read_bytes(), werkboek, folder, ORGANISATIES)
    return folder


@pytest.fixture(scope="module")
def records(inbox: Path, werkboek: Werkboek) -> list[Record]:
    out = inbox.parent / "records.json"
    ran = _werkbladen("extract", *sorted(map(str, inbox.iterdir())), "-o", str(out))
    assert ran.exit_code == 0, ran.stderr
    found: list[Record] = json.loads(out.read_text(encoding="utf-8"))
    assert len(found) == 12
    assert {r["status"] for r in found} <= {"ok", "warnings"}
    return found


@pytest.fixture(scope="module")
def twelve(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out, result = _report(tmp_path_factory.mktemp("rapport"), inbox)
    assert result.exit_code == 0, result.output
    assert "12 formulieren van 12 organisaties" in result.stderr
    return out


def _value(record: Record, spec: FieldSpec) -> Any:
    answers = record["answers"]
    if spec.table is None:
        return answers.get(spec.name)
    rows = answers[table_key(spec)]
    return next(r for r in rows if r["row"] == spec.row)[spec.column]


def _typed_answers(werkboek: Werkboek, record: Record) -> Iterator[tuple[str, str]]:
    """(field, text as the report should show it) for every non-empty text and date answer."""
    for name, spec in specs_by_name(werkboek).items():
        if name.startswith("respondent_"):
            continue
        value = _value(record, spec)
        if not isinstance(value, str) or not value.strip():
            continue
        if spec.kind in ("text", "multiline"):
            yield name, value
        elif spec.kind == "date":
            iso = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", value)
            yield name, f"{iso[3]}-{iso[2]}-{iso[1]}" if iso else value


def test_every_answer_of_every_form_is_in_the_report(
    twelve: Path, records: list[Record], werkboek: Werkboek
) -> None:
    text = report_text(twelve, ORGANISATIES)
    checked = 0
    for r in records:
        for name, value in _typed_answers(werkboek, r):
            # line by line: a row of several columns cut by a page goes on column after column
            for line in value.split("\n"):
                assert flat(line) in text, (r["respondent"]["organisatie"], name, line)
            checked += 1
    assert checked > 300
    assert text.count("geen antwoord") > 50
    for name in ORGANISATIES:  # every letter of every name, as a word a reader can find
        assert name in raw_text(twelve)


def test_network_counts_equal_a_count_of_the_records(
    twelve: Path, records: list[Record], werkboek: Werkboek
) -> None:
    table = next(b for b in werkboek.werkblad("stap2").blocks() if isinstance(b, TableBlock))
    returned = [r for r in records if r["werkblad"] in ("werkboek", "stap2")]
    text = report_text(twelve, ORGANISATIES)
    for row in table.rows:
        if not row.cells:
            continue
        ticked = sum(
            1
            for r in returned
            if next(x for x in r["answers"]["stap2_netwerken"] if x["row"] == row.id)["nodig"] is True
        )
        label = flat(row.cells["circuit"])
        found = set(re.findall(re.escape(label) + r":? (\d+) van (\d+)", text))
        assert found == {(str(ticked), str(len(returned)))}, (label, found)


SCORED = [
    "Rots en Water",
    "rots en  water",
    "ROTS EN WATER",
    "Kanjertraining",
    "Kanjer training",
    "Meidenclub",
]


def _scored_records(werkboek: Werkboek) -> list[dict[str, Any]]:
    """Twelve step-5 forms scoring two or three interventions each, names typed in several ways."""
    specs = specs_by_name(werkboek, "stap5")
    bouwstenen = [
        s.row for s in specs.values() if s.table == "scores" and s.column == "i1" and s.kind == "choice"
    ]
    out = []
    for i, name in enumerate(ORGANISATIES):
        values: dict[str, Any] = {}
        for j, slot in enumerate(("i1", "i2", "i3")[: 2 + i % 2]):
            values[f"stap5_scores_naam_{slot}"] = SCORED[(i + 2 * j) % len(SCORED)]
            for k, bouwsteen in enumerate(bouwstenen):
                if (i + j + k) % 5:  # now and then a bouwsteen left unscored
                    values[f"stap5_scores_{bouwsteen}_{slot}"] = str(1 + (i * 3 + j + k * 2) % 4)
            values[f"stap5_scores_toelichting_{slot}"] = f"toelichting {slot} antwoord-org{i:02d}"
        for spec in specs.values():
            if (
                spec.kind in ("text", "multiline")
                and spec.table is None
                and not spec.name.startswith("respondent")
            ):
                values[spec.name] = f"{spec.name} antwoord-org{i:02d}"
        out.append(record(werkboek, name, values, werkblad="stap5"))
    return out


def test_score_counts_equal_a_count_of_the_records(tmp_path: Path, werkboek: Werkboek) -> None:
    records = _scored_records(werkboek)
    pdf, result = _report(tmp_path, _write_json(tmp_path / "stap5.json", records))
    assert result.exit_code == 0, result.output
    text = flat(raw_text(pdf))
    specs = specs_by_name(werkboek, "stap5")
    labels = {s.row: s.tooltip.split(": ")[-1].split(" — ")[0] for s in specs.values() if s.table == "scores"}
    groups: dict[str, dict[str, list[int]]] = {}
    variants: dict[str, set[str]] = {}
    for r in records:
        rows = {x["row"]: x for x in r["answers"]["stap5_scores"]}
        for slot in ("i1", "i2", "i3", "i4"):
            name = rows["naam"][slot]
            if not name:
                continue
            key = "".join(name.split()).lower()
            variants.setdefault(key, set()).add(name)
            for row_id, row in rows.items():
                if row_id not in ("naam", "toelichting") and row[slot]:
                    groups.setdefault(key, {}).setdefault(row_id, []).append(int(row[slot]))
    assert len(groups) == 3  # Rots en Water, Kanjertraining, Meidenclub
    for key, scores in groups.items():
        heading = min(
            text.find(f"{flat(v)} Gescoord door:")
            for v in variants[key]
            if f"{flat(v)} Gescoord door:" in text
        )
        assert heading >= 0, key
        for row_id, given in scores.items():
            match = re.compile(re.escape(labels[row_id]) + r" (\S+) (\S+) (\S+) (\S+) (\S+)").search(
                text, heading
            )
            assert match, (key, row_id)
            shown = [0 if c == "–" else int(c) for c in match.groups()[:4]]
            assert shown == [given.count(s) for s in (1, 2, 3, 4)], (key, row_id)
            median = f"{statistics.median(given):.1f}".rstrip("0").rstrip(".").replace(".", ",")
            assert match[5] == median
        for v in variants[key]:  # every spelling typed is in the report
            assert flat(v) in text


def test_no_answer_appears_under_another_organisations_name(tmp_path: Path, werkboek: Werkboek) -> None:
    """Each form's answers are tagged with its organisation; in reading order each tag follows that name."""
    records = []
    for i, name in enumerate(ORGANISATIES):
        values: dict[str, Any] = {}
        for spec in specs_by_name(werkboek).values():
            if spec.name.startswith("respondent_") or spec.name.startswith("stap5_scores_naam"):
                continue
            if spec.kind in ("text", "multiline") and (i + len(spec.name)) % 4:
                values[spec.name] = f"{spec.name} antwoord-org{i:02d}"
            elif spec.kind == "checkbox":
                values[spec.name] = bool((i + len(spec.name)) % 3)
        values["stap5_scores_naam_i1"] = SCORED[i % 3]
        records.append(record(werkboek, name, values))
    # a second form of one organisation (a separate step 2) is shown under its name and file
    records.append(
        record(werkboek, ORGANISATIES[3], {"stap2_regie": "regie antwoord-org03"}, werkblad="stap2")
    )
    pdf, result = _report(tmp_path, _write_json(tmp_path / "alle.json", records))
    assert result.exit_code == 0, result.output
    text = flat(raw_text(pdf))
    names = sorted(ORGANISATIES, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in names) + r"|antwoord-org(\d\d)")
    current, tags = None, 0
    for match in pattern.finditer(text):
        if match[1] is None:
            current = match[0]
        else:
            assert current == ORGANISATIES[int(match[1])], text[max(0, match.start() - 200) : match.end()]
            tags += 1
    assert tags > 12 * 40
    assert f"{ORGANISATIES[3]} (alle.json)" not in text  # the file is named only where two forms meet
    assert "regie antwoord-org03" in text


def test_report_is_byte_reproducible_whatever_the_input_order(
    inbox: Path, twelve: Path, tmp_path: Path
) -> None:
    paths = sorted(str(p) for p in inbox.iterdir())
    out = tmp_path / "nogmaals.pdf"
    subprocess.run(
        [sys.executable, "-m", "werkbladen", "report", *reversed(paths), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == twelve.read_bytes()


def test_cover_matrix_and_bookmarks(twelve: Path, records: list[Record], werkboek: Werkboek) -> None:
    reader = PdfReader(twelve)
    outline = [o["/Title"] for o in reader.outline if isinstance(o, dict)]
    steps = [w for w in werkboek.werkbladen if w.step]
    assert outline[0].startswith("Gezamenlijk overzicht")
    assert outline[1:-1] == [f"Stap {w.step}: {w.title}" for w in steps]
    assert outline[-1] == "Verantwoording"
    first = reader.pages[0].extract_text()
    newest = max(
        dt.date.fromisoformat(r["respondent"]["datum"]) for r in records if r["respondent"].get("datum")
    )
    assert f"Stand van {newest.day} {MONTHS[newest.month - 1]} {newest.year}" in first
    assert "Weggelaten: geen." in first
    assert reader.pages[-1].extract_text().count("pagina") == 1
    assert f"pagina {len(reader.pages)} van {len(reader.pages)}" in reader.pages[-1].extract_text()
    assert reader.metadata is not None and reader.metadata.get("/Lang", "nl-NL") == "nl-NL"


def test_date_option_sets_the_cover(inbox: Path, tmp_path: Path) -> None:
    pdf, result = _report(tmp_path, inbox, extra=("--date", "24-06-2021"))
    assert result.exit_code == 0, result.output
    assert "Stand van 24 juni 2021." in PdfReader(pdf).pages[0].extract_text()


# ---------------------------------------------------------------- hostile answers

HOSTILE = {
    "stap1_gezamenlijke_opgave": '<a href="javascript:alert(1)">klik hier</a> & <b>vet</b> &amp; &#x41;',
    "stap1_kwesties": "<font size=80 color=red>groot</font>",
    "stap1_belang_samen": '<img src="/etc/passwd" width=500 height=500/> plaatje',
    "stap1_middelen_duidelijk": "nul\x00bel\x07escape\x1b[31m einde\ud800 \u202e omgekeerd",
    "stap2_gezamenlijke_opgave": "\n".join(f"regel {i:04d} van een heel lang antwoord" for i in range(5000)),
    "stap2_regie": "x" * 200_000,
    "stap5_scores_naam_i1": "y" * 100_000,
    "stap5_scores_doelgericht_i1": "2",
}


def test_hostile_answers_come_out_as_their_literal_text(tmp_path: Path, werkboek: Werkboek) -> None:
    records = [record(werkboek, "Gemeente <b>Vet</b> & Co", HOSTILE), record(werkboek, "Gemeente Ede", {})]
    pdf, result = _report(tmp_path, _write_json(tmp_path / "vijandig.json", records))
    assert result.exit_code == 0, result.output
    _assert_no_links_scripts_or_images(PdfReader(pdf))
    text = flat(raw_text(pdf))
    for value in list(HOSTILE.values())[:3]:
        assert flat(value) in text
    assert "Gemeente <b>Vet</b> & Co" in text
    assert "nul\ufffdbel\ufffdescape\ufffd[31m einde\ufffd" in text
    assert "regel 0000 van een heel lang antwoord" in text and "regel 4999 van een heel lang antwoord" in text
    assert "".join(raw_text(pdf).split()).count("x" * 1000) >= 150  # the long word, broken over lines

    sizes: list[float] = []

    def visit(chunk: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if "groot" in chunk:
            sizes.append(size * abs(tm[3]) * abs(cm[3]))

    reader = PdfReader(pdf)
    for page in reader.pages[:8]:
        page.extract_text(visitor_text=visit)
    assert sizes and max(sizes) <= 12
    assert len(reader.pages) > 100  # 5,000 lines broke across pages


def _assert_no_links_scripts_or_images(reader: PdfReader) -> None:
    root = reader.trailer["/Root"]
    assert not {"/OpenAction", "/AA", "/AcroForm"} & set(root), set(root)
    assert "/JavaScript" not in root.get("/Names", {})
    for page in reader.pages:
        assert "/Annots" not in page and "/AA" not in page
        xobjects = page["/Resources"].get("/XObject", {})
        for name in xobjects:
            assert xobjects[name].get_object().get("/Subtype") != "/Image", name


# ---------------------------------------------------------------- current records only; failures listed


def test_duplicates_and_superseded_are_left_out_and_failures_listed(
    tmp_path: Path, werkboek: Werkboek, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # short paths, so that the list of failures names them on one line
    good = record(
        werkboek, "Gemeente Ede", {"stap1_kwesties": "het actuele antwoord"}, source="inbox/ede.pdf"
    )
    copy = record(
        werkboek,
        "Gemeente Ede",
        {"stap1_kwesties": "dubbel-geheim"},
        source="inbox/ede-kopie.pdf",
        duplicate_of="inbox/ede.pdf",
    )
    old = record(
        werkboek,
        "GGD IJsselland",
        {"stap1_kwesties": "oud-geheim"},
        source="inbox/ggd-mei.pdf",
        superseded_by="inbox/ggd-juni.pdf",
    )
    new = record(
        werkboek, "GGD IJsselland", {"stap1_kwesties": "nieuw antwoord"}, source="inbox/ggd-juni.pdf"
    )
    warned = record(
        werkboek,
        "Welzijn Leeuwarden",
        {"stap1_kwesties": "met waarschuwing"},
        status="warnings",
        warnings=["x"],
    )
    failed = record(werkboek, "?", {}, status="damaged", reason="truncated save", source="inbox/stuk.pdf")
    records_json = _write_json(Path("records.json"), [good, copy, old, new, warned, failed])
    lines = Path("regels.jsonl")
    lines.write_text(
        json.dumps(record(werkboek, "Jeugdhulp Rivierenland", {})) + "\n{kapot\n", encoding="utf-8"
    )
    garbage = Path("geen-pdf.pdf")
    garbage.write_bytes(b"%PDF-1.7\nniets\n")
    pdf, result = _report(tmp_path, records_json, lines, garbage)
    assert result.exit_code == 1
    text = flat(raw_text(pdf))
    assert "dubbel-geheim" not in text and "oud-geheim" not in text
    assert "het actuele antwoord" in text and "nieuw antwoord" in text and "met waarschuwing" in text
    first = flat(PdfReader(pdf).pages[0].extract_text())
    assert "Weggelaten: 1 dubbel en 1 vervangen door een nieuwere versie." in first
    assert "Niet te lezen: 3" in first
    assert "inbox/ede-kopie.pdf inbox/ede.pdf" in text and "inbox/ggd-mei.pdf inbox/ggd-juni.pdf" in text
    assert "inbox/stuk.pdf beschadigd: truncated save" in text
    assert f"{lines} beschadigd: geen geldige JSON (regel 2" in text
    assert f"{garbage}" in text.split("Niet te lezen:")[-1]
    assert "Met waarschuwingen gelezen en meegenomen: 1" in first
    assert f"werkbladen: {garbage}:" in result.stderr


def test_usage_errors(tmp_path: Path) -> None:
    _, result = _report(tmp_path, tmp_path, extra=("-o", str(tmp_path / "x.txt")))
    assert result.exit_code == 2 and "PDF" in result.stderr


def test_a_publishers_own_content_is_reported_from_its_own_texts(tmp_path: Path) -> None:
    """Nothing is written into the report's code: a reworded question and a new one show as written."""
    import shutil

    from werkbladen.content.loader import load_werkboek

    content = tmp_path / "inhoud"
    shutil.copytree(Path(__file__).resolve().parent.parent / "werkbladen" / "content", content)
    stap1 = content / "stap1.yaml"
    text = stap1.read_text(encoding="utf-8")
    text = text.replace("Wat is onze gezamenlijke opgave?", "Welke opgave delen wij (eigen tekst)?")
    text = text.replace(
        "      - type: tip\n",
        "      - type: question\n        text: Een eigen vraag van de uitgever?\n"
        "        field: {id: eigen_vraag, lines: 3}\n      - type: tip\n",
        1,
    )
    stap1.write_text(text, encoding="utf-8")
    own = load_werkboek(content)
    records = [
        record(own, "Gemeente Ede", {"stap1_eigen_vraag": "antwoord op de eigen vraag"}, werkblad="stap1")
    ]
    pdf, result = _report(
        tmp_path, _write_json(tmp_path / "eigen.json", records), extra=("--content", str(content))
    )
    assert result.exit_code == 0, result.output
    shown = flat(raw_text(pdf))
    assert "Welke opgave delen wij (eigen tekst)?" in shown
    assert "Een eigen vraag van de uitgever? Gemeente Ede antwoord op de eigen vraag" in shown
    assert shown.count("Wat is onze gezamenlijke opgave?") == 1  # step 2's, which kept its wording


def test_answers_read_from_a_printed_page_are_marked(tmp_path: Path, werkboek: Werkboek) -> None:
    """A ``recovered`` form's answers carry what to check them against; a fillable one's do not."""
    printed = record(werkboek, "Gemeente Afdruk", {"stap1_kwesties": "van het papier"}, status="recovered")
    printed["details"] = {"recovered": {"stap1_kwesties": ["from_page", "possibly_incomplete"]}}
    fillable = record(werkboek, "Gemeente Formulier", {"stap1_kwesties": "ingevuld"})
    pdf, result = _report(tmp_path, _write_json(tmp_path / "afdruk.json", [printed, fillable]))
    assert result.exit_code == 0, result.output
    text = flat(raw_text(pdf))
    assert (
        "van het papier (van de pagina gelezen; mogelijk onvolledig (tekst loopt tot de rand van het vak))"
        in text
    )
    assert "ingevuld (van de pagina" not in text
