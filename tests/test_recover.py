"""Printed and flattened werkbladen read back from the page (issue 13).

Each case is a real chain: a blank built from the content, filled by a real engine (our own
``fill``, pypdf, PyMuPDF, pdftk), then flattened by pdftk, qpdf or PyMuPDF or printed by
``pdftocairo -pdf``. The goals of the issue are asserted over all cases together: every checkbox
and choice exact, at least 95 % of one-line answers exact, and no answer wrong without a flag
beyond ``from_page`` (but where the flattener itself lost what the page would show, named
below). ``measure()`` gives the table of docs/design.md.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from werkbladen.content.loader import shipped_werkboek
from werkbladen.content.model import Werkboek
from werkbladen.content.naming import WERKBOEK, FieldSpec
from werkbladen.errors import READ_STATUSES, Status
from werkbladen.layout import render_step, render_werkboek
from werkbladen.reader.extraction import extract
from werkbladen.record import Record, cell_key

sys.path.insert(0, str(Path(__file__).parent / "engines"))
from drivers import available, fill_with

TEMPLATES = ("werkboek", "stap2", "stap5", "stap7")
ENGINES = ("werkbladen", "mupdf", "pypdf", "pdftk-xfdf")
FLATTENERS = ("pdftk", "qpdf", "bake", "cairo")
UNICODE_ENGINES = {"werkbladen", "mupdf"}
"""Engines whose appearances draw every letter (embedded fonts); pdftk and pypdf draw WinAnsi only."""

DUTCH = [
    "Gemeente Súdwest-Fryslân",
    "Noëlle de Vries",
    "beleidsadviseur jeugd",
    "Stichting Jeugdwerk ’s-Hertogenbosch",
    "GGD IJsselland",
    "café “De Reünie”",
    "€ 125.000,– voor 2021",
    "ja",
    "nee",
    "coördinator",
]
FOREIGN = ["Ağrı Şahin", "Łukasz Żółć", "İlkay Güneş", "Gęślą jaźń"]
SENTENCES = [
    "Wij werken samen met onderwijs, jeugdhulp en de GGD.",
    "De middelen worden ingezet voor één gezamenlijke aanpak.",
    "Knelpunt: de wachttijden bij de jeugd-GGZ zijn opgelopen tot 14 weken.",
    "We vragen ‘ervaringsdeskundigen’ om mee te denken — ook ouders.",
    "Overleg elke zes weken met de scholen in de wijk.",
]


def typed_values(werkboek: Werkboek, template: str, engine: str) -> dict[str, str | bool]:
    """What a partner types: every field kind, names in the languages the engine can draw."""
    rnd = random.Random(f"{template}/{engine}")
    names = DUTCH + (FOREIGN if engine in UNICODE_ENGINES else [])
    out: dict[str, str | bool] = {}
    for spec in werkboek.form_fields(template):
        if rnd.random() < 0.2:
            continue
        if spec.kind == "checkbox":
            out[spec.name] = rnd.random() < 0.5
        elif spec.kind == "choice":
            out[spec.name] = rnd.choice(spec.options)[0]
        elif spec.kind == "date":
            out[spec.name] = f"{rnd.randint(1, 28):02d}-{rnd.randint(1, 12):02d}-2021"
        elif spec.kind == "multiline":
            lines = [rnd.choice(SENTENCES + names) for _ in range(rnd.randint(1, 3))]
            if rnd.random() < 0.1:
                lines = [f"{i:02d}. {rnd.choice(SENTENCES)}" for i in range(30)]  # more than the box holds
            out[spec.name] = "\n".join(lines)
        else:
            out[spec.name] = rnd.choice(names)
    return out


@cache
def _blank(template: str, folder: Path) -> Path:
    werkboek = shipped_werkboek()
    path = folder / f"{template}.pdf"
    data = (
        render_werkboek(werkboek)
        if template == WERKBOEK
        else render_step(werkboek, werkboek.werkblad(template))
    )
    path.write_bytes(data)
    return path


def flatten(flattener: str, filled: Path, out: Path) -> None:
    if flattener == "pdftk":
        subprocess.run(["pdftk", str(filled), "output", str(out), "flatten"], check=True, capture_output=True)
    elif (
        flattener == "qpdf"
    ):  # --generate-appearances: pypdf leaves NeedAppearances, qpdf flattens nothing else
        result = subprocess.run(
            ["qpdf", "--generate-appearances", "--flatten-annotations=all", str(filled), str(out)],
            capture_output=True,
        )
        assert result.returncode in (0, 3), result.stderr  # 3: succeeded with warnings
    elif flattener == "bake":
        import pymupdf

        doc = pymupdf.open(filled)
        doc.bake()
        doc.save(out)
    else:
        subprocess.run(["pdftocairo", "-pdf", str(filled), str(out)], check=True, capture_output=True)


def _missing() -> str | None:
    for tool in ("pdftk", "qpdf", "pdftocairo"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return next((m for m in (available(e) for e in ENGINES) if m), None)


@dataclass(frozen=True)
class Outcome:
    """One answer of one case: its kind, whether it came back exactly, whether it was flagged."""

    case: str
    name: str
    kind: str
    exact: bool
    flagged: bool
    typed: Any
    read: Any


def flat(record: Record) -> dict[str, Any]:
    """PDF field name → value, tables unrolled into their cells."""
    out = {f"respondent_{k}": v for k, v in record["respondent"].items()}
    for key, value in record["answers"].items():
        if isinstance(value, list):
            for row in value:
                out.update({cell_key(key, row["row"], c): v for c, v in row.items() if c != "row"})
        else:
            out[key] = value
    return out


def expected(spec: FieldSpec, typed: str | bool | None) -> Any:
    if spec.kind == "checkbox":
        return bool(typed)
    if typed is None:
        return None
    if spec.kind == "date":
        assert isinstance(typed, str)
        d, m, y = typed.split("-")
        return f"{y}-{m}-{d}"
    return typed


def outcomes(
    case: str, record: Record, typed: dict[str, str | bool], specs: list[FieldSpec]
) -> Iterator[Outcome]:
    read = flat(record)
    recovered = record["details"].get("recovered", {})
    for spec in specs:
        want, got = expected(spec, typed.get(spec.name)), read.get(spec.name)
        kind = {"text": "single", "date": "single", "multiline": "multi"}.get(spec.kind, spec.kind)
        flags = recovered.get(spec.name, [])
        yield Outcome(case, spec.name, kind, got == want, len(flags) > 1, want, got)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Record, list[Outcome]]]:
    missing = _missing()
    if missing:
        pytest.skip(missing)
    folder = tmp_path_factory.mktemp("recover")
    werkboek = shipped_werkboek()
    out: dict[str, tuple[Record, list[Outcome]]] = {}
    for template in TEMPLATES:
        specs = werkboek.form_fields(template)
        for engine in ENGINES:
            typed = typed_values(werkboek, template, engine)
            filled = folder / f"{template}-{engine}.pdf"
            fill_with(engine, _blank(template, folder), typed, filled)
            for flattener in FLATTENERS:
                case = f"{template}/{engine}/{flattener}"
                flat_pdf = folder / f"{template}-{engine}-{flattener}.pdf"
                flatten(flattener, filled, flat_pdf)
                record = extract(flat_pdf, werkboek=werkboek).to_record()
                out[case] = (record, list(outcomes(case, record, typed, specs)))
    return out


def measure(cases: dict[str, tuple[Record, list[Outcome]]]) -> dict[str, dict[str, tuple[int, int, int]]]:
    """Per flattener and kind: (answers, exact, flagged)."""
    table: dict[str, dict[str, list[int]]] = {}
    for case, (_, found) in cases.items():
        row = table.setdefault(case.rsplit("/", 1)[1], {})
        for o in found:
            if o.typed in (None, False) and o.kind not in ("checkbox",):
                continue  # left empty: nothing to recover
            counts = row.setdefault(o.kind, [0, 0, 0])
            counts[0] += 1
            counts[1] += o.exact
            counts[2] += o.flagged
    return {f: {k: (c[0], c[1], c[2]) for k, c in row.items()} for f, row in table.items()}


def test_every_case_is_recognised_as_its_werkblad(cases: dict[str, tuple[Record, list[Outcome]]]) -> None:
    from werkbladen.reader.answers import record_model

    model = record_model(shipped_werkboek())
    for case, (record, _) in cases.items():
        model.model_validate(record)  # a recovered record is a record like any other
        template = case.split("/")[0]
        assert record["status"] == Status.RECOVERED, (case, record["status"], record["reason"])
        assert record["werkblad"] == template, case
        assert record["status"] in READ_STATUSES
        assert "page_fit" in record["details"]


NO_MARK_ON_THE_PAGE = {("pypdf", "qpdf"), ("pypdf", "cairo")}
"""pypdf's radio choices are not drawn by poppler (``pdftocairo``) nor by qpdf's flattening: the
page shows no dot at all (rendered and looked at), so there is nothing to read; those choices must
read as unanswered, never as another option. The causes are pypdf's (its open issues 3549 and
3630), measured by mending its output one thing at a time: it writes the group's value as a string,
``/V (/ja)``, where a name is required, and sets NeedAppearances, so poppler redraws the buttons
from ``/V`` and finds no state chosen (with ``/V /ja`` the dot is back); and it writes a ``/V`` on
every button as well (``/ja`` on the chosen one, ``/Off`` on the others), after which qpdf turns
every button off (with those removed the dot is back). Neither is in the blank's power."""


NO_TEXT_IN_THE_FIELD_FONT = {("pdftk-xfdf", flattener) for flattener in FLATTENERS} | {("pypdf", "qpdf")}
"""Fills whose flattened text is not on the page to be read, because a tool cannot write text in
the werkbladen's embedded field font (a Type0, Identity-H font since content 1.1, chosen for
pdf.js and poppler, which then show every letter): pdftk writes no text appearance at all, and
qpdf's ``--generate-appearances`` (needed for pypdf's fill, which sets NeedAppearances) writes
one-byte codes that the two-byte font reads as other glyphs (measured: CJK-looking text on the
flattened page). Their checkboxes and choices are on the page, and still held to every test."""


def _text_on_the_page(case: str, kind: str) -> bool:
    return not (_engine_flattener(case) in NO_TEXT_IN_THE_FIELD_FONT and kind in ("single", "multi"))


def _engine_flattener(case: str) -> tuple[str, str]:
    _, engine, flattener = case.split("/")
    return engine, flattener


def test_every_checkbox_and_choice_is_exact(cases: dict[str, tuple[Record, list[Outcome]]]) -> None:
    wrong = []
    for case, (_, found) in cases.items():
        for o in found:
            if o.kind not in ("checkbox", "choice") or o.exact:
                continue
            if _engine_flattener(case) in NO_MARK_ON_THE_PAGE and o.kind == "choice" and o.read is None:
                continue
            wrong.append(o)
    assert not wrong, wrong[:5]


def test_single_line_answers_at_least_95_percent_exact(
    cases: dict[str, tuple[Record, list[Outcome]]],
) -> None:
    """Over the answers whose letters the page still has (a flattener that drew ``?`` is flagged)."""
    for flattener in FLATTENERS:
        shown = [
            o
            for case, (record, found) in cases.items()
            if case.endswith(f"/{flattener}")
            for o in found
            if o.kind == "single"
            and _text_on_the_page(case, o.kind)
            and o.typed is not None
            and "lost_letters" not in record["details"]["recovered"].get(o.name, [])
        ]
        exact = sum(o.exact for o in shown)
        assert exact >= 0.95 * len(shown), (flattener, exact, len(shown))


LINES_JOINED_BY_QPDF = ("pypdf", "qpdf")
"""qpdf's own appearances (it draws them for pypdf's NeedAppearances forms) put a multi-line answer
on one line: the page shows the lines joined, and nothing on it says they were not."""


def test_no_answer_is_wrong_without_a_flag(cases: dict[str, tuple[Record, list[Outcome]]]) -> None:
    silent = []
    for case, (_, found) in cases.items():
        for o in found:
            if o.exact or o.flagged or not _text_on_the_page(case, o.kind):
                continue
            pair = _engine_flattener(case)
            if pair in NO_MARK_ON_THE_PAGE and o.kind == "choice" and o.read is None:
                continue
            if (
                pair == LINES_JOINED_BY_QPDF
                and o.kind == "multi"
                and " ".join(str(o.typed).split()) == o.read
            ):
                continue
            silent.append(o)
    assert not silent, [(o.case, o.name, o.typed, o.read) for o in silent[:5]]


def test_every_value_read_is_flagged_as_from_the_page(cases: dict[str, tuple[Record, list[Outcome]]]) -> None:
    for case, (record, found) in cases.items():
        recovered = record["details"]["recovered"]
        for o in found:
            if o.read not in (None, False):
                assert recovered[o.name][0] == "from_page", (case, o.name)


def test_a_run_well_inside_its_box_reads_as_each_of_its_characters_would(
    cases: dict[str, tuple[Record, list[Outcome]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shortcut of ``WELL_INSIDE`` (a run's rectangle instead of each character's box) changes
    no record: every case read again with each character looked at gives the same record."""
    from werkbladen.reader.recover import values

    werkboek = shipped_werkboek()
    real, looked_at = values._own, []

    def own(chars: list[Any], box: Any) -> list[Any]:
        looked_at.append(len(chars))
        return real(chars, box)

    monkeypatch.setattr(values, "_own", own)
    monkeypatch.setattr(values, "WELL_INSIDE", float("inf"))
    for case, (record, _) in cases.items():
        assert extract(record["file"], werkboek=werkboek).to_record() == record, case
    each = sum(looked_at)
    looked_at.clear()
    monkeypatch.undo()
    monkeypatch.setattr(values, "_own", own)
    for _, (record, _) in cases.items():
        extract(record["file"], werkboek=werkboek)
    assert sum(looked_at) < each / 2, "the shortcut is hardly taken: this test no longer tests it"


def test_pages_without_fields_are_not_needed_to_recognise_a_werkboek(
    cases: dict[str, tuple[Record, list[Outcome]]], tmp_path: Path
) -> None:
    """A werkboek whose introduction page was swapped for a cover letter still reads; a page with
    fields swapped out makes it no werkboek."""
    from pypdf import PdfReader, PdfWriter

    from werkbladen.reader.recover import blank_for

    werkboek = shipped_werkboek()
    blank = blank_for(werkboek, WERKBOEK)
    plain = next(i for i, page in enumerate(blank.pages) if i and not page.widgets)
    fields = next(i for i, page in enumerate(blank.pages) if i and page.widgets)
    record, _ = cases["werkboek/werkbladen/bake"]
    for swapped, reads in ((plain, True), (fields, False)):
        writer = PdfWriter(clone_from=PdfReader(record["file"]))
        box = writer.pages[swapped].mediabox
        writer.insert_blank_page(box.width, box.height, swapped)  # an empty page in its place
        del writer.pages[swapped + 1]
        out = tmp_path / f"swapped-{swapped}.pdf"
        writer.write(out)
        again = extract(out, werkboek=werkboek).to_record()
        if reads:
            assert again["status"] == Status.RECOVERED, again["reason"]
            assert again["answers"] == record["answers"]
            assert [f["page"] for f in again["details"]["page_fit"]] == [
                i + 1 for i, page in enumerate(blank.pages) if i == 0 or page.widgets
            ]
        else:
            assert again["status"] != Status.RECOVERED, again


def test_an_answer_longer_than_its_box_is_flagged_possibly_incomplete(
    cases: dict[str, tuple[Record, list[Outcome]]],
) -> None:
    long = [
        (record, o)
        for case, (record, found) in cases.items()
        for o in found
        if isinstance(o.typed, str) and o.typed.count("\n") >= 29 and _text_on_the_page(case, o.kind)
    ]
    assert long
    for record, o in long:
        assert "possibly_incomplete" in record["details"]["recovered"][o.name], (o.case, o.name)


def test_letters_the_appearance_could_not_draw_are_flagged_never_guessed(tmp_path: Path) -> None:
    """pypdf draws ğ and Ş as ``?`` (pdftk, in a full form, as glyphs without a Unicode mapping): flagged."""
    missing = _missing()
    if missing:
        pytest.skip(missing)
    werkboek = shipped_werkboek()
    blank = _blank("stap7", tmp_path)
    lost: list[bool] = []
    for engine in ("pdftk-xfdf", "pypdf"):
        filled, flat_pdf = tmp_path / f"{engine}.pdf", tmp_path / f"{engine}-flat.pdf"
        fill_with(engine, blank, {"respondent_naam": "Ağrı Şahin"}, filled)
        flatten("pdftk", filled, flat_pdf)
        record = extract(flat_pdf, werkboek=werkboek).to_record()
        assert record["status"] == Status.RECOVERED
        flags = record["details"]["recovered"]["respondent_naam"]
        assert record["respondent"]["naam"] == "Ağrı Şahin" or "lost_letters" in flags, (engine, record)
        lost.append("lost_letters" in flags)
    assert any(lost), "neither engine lost a letter: this test no longer tests the flag"


def test_a_shifted_and_scaled_print_is_fitted(tmp_path: Path) -> None:
    """A print driver's "fit to page": the page shrunk to 94 % and moved; the answers still read."""
    pymupdf = pytest.importorskip("pymupdf")
    werkboek = shipped_werkboek()
    typed: dict[str, str | bool] = {"respondent_organisatie": "Gemeente Súdwest-Fryslân"}
    filled = tmp_path / "filled.pdf"
    fill_with("werkbladen", _blank("stap7", tmp_path), typed, filled)
    source = pymupdf.open(filled)
    source.bake()
    shrunk = pymupdf.open()
    for i, page in enumerate(source):
        target = shrunk.new_page(width=page.rect.width, height=page.rect.height)
        w, h = page.rect.width * 0.94, page.rect.height * 0.94
        target.show_pdf_page(pymupdf.Rect(20, 30, 20 + w, 30 + h), source, i)
    out = tmp_path / "shrunk.pdf"
    shrunk.save(out)
    record = extract(out, werkboek=werkboek).to_record()
    assert record["status"] == Status.RECOVERED, record["reason"]
    assert record["respondent"]["organisatie"] == "Gemeente Súdwest-Fryslân"
    assert abs(record["details"]["page_fit"][0]["scale"] - 0.94) < 0.005


def test_a_scan_gets_its_own_status(tmp_path: Path) -> None:
    pymupdf = pytest.importorskip("pymupdf")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    blank = _blank("stap2", tmp_path)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(blank), str(tmp_path / "page")], check=True)
    scan = pymupdf.open()
    for png in sorted(tmp_path.glob("page*.png")):
        picture = pymupdf.open(png)
        scan.insert_pdf(pymupdf.open("pdf", picture.convert_to_pdf()))
    out = tmp_path / "scan.pdf"
    scan.save(out)
    record = extract(out, werkboek=shipped_werkboek()).to_record()
    assert record["status"] == Status.SCANNED
    assert "afbeeldingen zonder tekst" in (record["reason"] or "")
    assert Status.SCANNED not in READ_STATUSES


def test_a_pdf_that_quotes_a_werkblad_is_not_taken_for_one(tmp_path: Path) -> None:
    """Every line of stap-2's pages, in a letter of the same page count but set in its own layout."""
    from reportlab.pdfgen.canvas import Canvas

    from werkbladen.reader.recover.pagetext import PdfText

    werkboek = shipped_werkboek()
    blank = _blank("stap2", tmp_path)
    with PdfText(blank.read_bytes()) as pdf:
        pages = [[run.text for run in pdf.page(i).runs] for i in range(pdf.page_count)]
    out = tmp_path / "letter.pdf"
    canvas = Canvas(str(out))
    for lines in pages:
        y = 800.0
        for line in lines:
            canvas.drawString(40, y, line)
            y -= 11
        canvas.showPage()
    canvas.save()
    record = extract(out, werkboek=werkboek).to_record()
    assert record["status"] == Status.NO_FORM
    assert record["werkblad"] is None


def test_every_flag_has_its_dutch_label() -> None:
    from werkbladen.labels import RECOVERED_FLAG_LABELS
    from werkbladen.reader.recover.values import FLAGS

    assert tuple(RECOVERED_FLAG_LABELS) == FLAGS
