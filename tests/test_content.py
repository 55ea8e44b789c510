"""The shipped content against its seed, and the loader's errors on broken content.

The seed text (``tests/data/seeds/002_…txt``) is the only authority for the Dutch wording. Two
curated lists in ``tests/data`` pin down what of it must be in the content: every question
sentence and every link. Each list is itself checked against the seed, so it cannot shrink
silently.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from formkit import content_strings
from paths import SEEDS

from werkbladen.cli import main
from werkbladen.content.loader import load_werkboek
from werkbladen.content.model import (
    FieldKind,
    Link,
    LinksBlock,
    QuestionBlock,
    TableBlock,
    TipBlock,
    Werkblad,
    Werkboek,
)
from werkbladen.errors import ContentError

DATA = Path(__file__).resolve().parent / "data"
WERKBLADEN_SEED = SEEDS / "002_38d43d513e03bd41.txt"
CONTENT = Path(__file__).resolve().parents[1] / "werkbladen" / "content"
STEPS = range(1, 8)


def _curated(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


QUESTIONS = _curated("seed_questions.txt")
LINKS = _curated("seed_links.txt")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _key(text: str) -> str:
    """Text with line breaks undone: a split word ("plan ontwikkeling", "kin- deropvang") joins up."""
    return re.sub(r"\s+", "", re.sub(r"-\s+(?=[a-z])", "", text))


@pytest.fixture(scope="module")
def all_text(werkboek: Werkboek) -> str:
    """Every string of the content (titles, intros, text, questions, help, captions, cells, labels)."""
    return "\n".join(_collapse(s) for s in content_strings(werkboek))


@pytest.fixture(scope="module")
def seed_text() -> str:
    return WERKBLADEN_SEED.read_text(encoding="utf-8")


def _step(werkboek: Werkboek, n: int) -> Werkblad:
    return werkboek.werkblad(f"stap{n}")


def _table(werkblad: Werkblad, table_id: str) -> TableBlock:
    tables = [b for b in werkblad.blocks() if isinstance(b, TableBlock) and b.id == table_id]
    assert len(tables) == 1, f"{werkblad.id} has no table {table_id!r}"
    return tables[0]


def _questions(werkblad: Werkblad) -> list[QuestionBlock]:
    return [b for b in werkblad.blocks() if isinstance(b, QuestionBlock)]


def _links(werkboek: Werkboek) -> Iterator[Link]:
    for werkblad in (werkboek.introduction, *werkboek.werkbladen):
        for block in werkblad.blocks():
            if isinstance(block, TipBlock):
                yield from block.links
            elif isinstance(block, LinksBlock):
                yield from block.items


# --- 1. questions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("question", QUESTIONS)
def test_seed_question_is_in_content(question: str, all_text: str) -> None:
    assert _collapse(question) in all_text


def _seed_question_sentences(seed: str) -> list[str]:
    """The "?"-sentences of the seed, as well as plain text lets us find them.

    Sentences are split after ``.``, ``?`` or ``!`` (but not inside an ellipsis); what a
    heading without a full stop glues to the front of a sentence is harmless, because the
    coverage test matches curated sentences as suffixes.
    """
    flat = " ".join(seed.split())
    return [s for s in re.split(r"(?<=[^.][.?!])\s+", flat) if s.endswith("?")]


def test_curated_questions_cover_the_seed(seed_text: str) -> None:
    sentences = _seed_question_sentences(seed_text)
    assert len(sentences) > 80, "the seed's question sentences were not found"
    keys = [_key(q) for q in QUESTIONS]
    missing = [s for s in sentences if not any(_key(s).endswith(k) for k in keys)]
    assert not missing, "seed questions missing from tests/data/seed_questions.txt"


def test_curated_questions_are_from_the_seed(seed_text: str) -> None:
    """A curated sentence must be in the seed, so the list cannot be padded with anything else."""
    seed_key = _key(seed_text)
    assert [q for q in QUESTIONS if _key(q) not in seed_key] == []
    assert len(QUESTIONS) == len(set(QUESTIONS))


# --- 2. links -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", LINKS)
def test_seed_link_is_in_content(url: str, werkboek: Werkboek) -> None:
    assert url in {str(link.url) for link in _links(werkboek)}


def test_curated_links_are_exactly_the_seeds(seed_text: str) -> None:
    in_seed = list(dict.fromkeys(re.findall(r"https?://\S+", seed_text)))
    assert in_seed == LINKS


def test_every_link_has_a_readable_label(werkboek: Werkboek) -> None:
    for link in _links(werkboek):
        assert "://" not in link.label and len(link.label) >= 5, link


# --- 3. structure ---------------------------------------------------------------------------------


def test_werkbladen_and_order(werkboek: Werkboek) -> None:
    assert werkboek.introduction.id == "introductie"
    assert [w.id for w in werkboek.werkbladen] == ["doorlopend"] + [f"stap{n}" for n in STEPS]
    assert [w.step for w in werkboek.steps] == list(STEPS)


@pytest.mark.parametrize("n", STEPS)
def test_step_has_title_doel_resultaat(werkboek: Werkboek, n: int) -> None:
    step = _step(werkboek, n)
    assert step.title and step.doel and step.resultaat
    assert step.heading == f"Stap {n}"


def test_step3_carries_both_titles(werkboek: Werkboek) -> None:
    step = _step(werkboek, 3)
    assert step.title == "Verzamel gegevens en analyseer en interpreteer ze gezamenlijk"
    assert step.werkblad_title == "Ga in gesprek over de gezamenlijke analyse van de staat van de jeugd"


@pytest.mark.parametrize("n", STEPS)
def test_field_names_fit(werkboek: Werkboek, n: int) -> None:
    specs = werkboek.form_fields(f"stap{n}")
    assert all(len(s.name) <= 60 for s in specs)
    assert all(s.tooltip for s in specs)
    if n >= 3:
        texts = [q.text for q in _questions(_step(werkboek, n))]
        assert "Hoe betrekken we jongeren / ouders bij deze stap?" in texts


@pytest.mark.parametrize("n", range(3, 8))
def test_betrekken_is_asked_first(werkboek: Werkboek, n: int) -> None:
    first = _step(werkboek, n).sections[0]
    assert first.title == "Belangrijke vragen vooraf"
    assert any(
        isinstance(b, QuestionBlock) and b.text == "Hoe betrekken we jongeren / ouders bij deze stap?"
        for b in first.blocks
    )


NETWORK_ROWS = [
    ("Lokaal Educatieve Agenda (LEA)", "Leerplicht", "Kinderopvang en peuterspeelzalen"),
    ("Regionaal Educatieve Agenda (REA)", "Onderwijshuisvesting", "Samenwerkingsverbanden"),
    ("Op Overeenstemming Gericht Overleg (OOGO)", "Jeugdplan", "Mbo-instellingen"),
    ("Arbeidsmarktregio’s", "Werk en inkomen", "sociaal werkbedrijf"),
    ("Overleg arbeidsmarktregio’s", "Overgang/aansluiting onderwijs-arbeidsmarkt", "bedrijfsleven"),
    ("Regionale Meld- en coördinatiepunten (RMC)", "Voortijdig schoolverlaters", "Samenwerkingsverbanden"),
    ("Contractmanagers", "Wmo (voor 18-27 jaar)", "jeugdhulp aanbieders"),
    ("Gemeentelijke accounthouders (inkoop-subsidie relatie)", "Jeugdgezondheidszorg", "Gemeenten, GGD"),
    ("Lokale Preventieakkoorden | VNG", "Welzijn", "voor- en vroegschoolse educatie (vve)"),
    ("Gemeentelijke accounthouders", "Preventief jeugd(gezondheids)beleid", "gezonde school"),
    ("Ketenoverleg veiligheid", "Veiligheid en leefomgeving", "Veilig Thuis"),
]


def test_step2_network_table(werkboek: Werkboek) -> None:
    table = _table(_step(werkboek, 2), "netwerken")
    headers = [c.header for c in table.columns]
    assert headers[:3] == ["Circuits en netwerken", "Thema", "Deelnemende partijen"]
    kinds = {c.id: c.kind for c in table.columns}
    assert FieldKind.CHECKBOX in kinds.values() and FieldKind.MULTILINE in kinds.values()
    fixed = [r for r in table.rows if r.cells]
    assert len(fixed) == len(NETWORK_ROWS) == 11
    ids = [c.id for c in table.columns[:3]]
    for row, expected in zip(fixed, NETWORK_ROWS, strict=True):
        assert set(row.cells) == set(ids), row.id
        for column_id, part in zip(ids, expected, strict=True):
            assert part in _collapse(row.cells[column_id]), (row.id, column_id)
        fillable = [c for c in table.columns if table.cell_kind(row, c) is not None]
        assert [c.kind for c in fillable] == [FieldKind.CHECKBOX, FieldKind.MULTILINE]


def test_step2_network_table_has_open_rows(werkboek: Werkboek) -> None:
    table = _table(_step(werkboek, 2), "netwerken")
    open_rows = [r for r in table.rows if not r.cells]
    assert len(open_rows) >= 3
    for row in open_rows:
        assert all(table.cell_kind(row, c) is not None for c in table.columns)


def test_step2_asks_its_own_opgave(werkboek: Werkboek) -> None:
    names = {s.name: s.tooltip for s in werkboek.form_fields("stap2")}
    assert names["stap2_gezamenlijke_opgave"] == "Wat is onze gezamenlijke opgave?"
    assert {"stap2_leidend_netwerk", "stap2_regie", "stap2_besluitvorming"} <= set(names)


def test_step4_results_table(werkboek: Werkboek) -> None:
    table = _table(_step(werkboek, 4), "resultaten")
    assert [c.id for c in table.columns] == ["resultaat", "indicator"]
    assert len(table.rows) >= 5 and all(not r.cells for r in table.rows)
    names = {s.name for s in werkboek.form_fields("stap4")}
    assert "stap4_resultaten_r2_indicator" in names


def test_step5_bouwstenen_and_matrix(werkboek: Werkboek) -> None:
    step = _step(werkboek, 5)
    bouwstenen = _table(step, "bouwstenen")
    assert len(bouwstenen.rows) == 7
    assert all(len(r.cells) == len(bouwstenen.columns) for r in bouwstenen.rows)
    matrix = _table(step, "scores")
    first, *scored, last = matrix.rows
    assert first.kind is FieldKind.TEXT and last.kind is FieldKind.MULTILINE
    names = [r.cells[matrix.columns[0].id] for r in bouwstenen.rows]
    assert [r.cells[matrix.columns[0].id] for r in scored] == names
    interventions = [c for c in matrix.columns if c.kind is FieldKind.CHOICE]
    assert len(interventions) == 4 and len({c.scale for c in interventions}) == 1
    specs = [s for s in werkboek.form_fields("stap5") if s.table == "scores"]
    choices = [s for s in specs if s.kind == "choice"]
    assert len(choices) == 4 * 7
    assert len({s.options for s in choices}) == 1


def test_step6_measuring_table(werkboek: Werkboek) -> None:
    step = _step(werkboek, 6)
    table = _table(step, "meten")
    assert [next(iter(r.cells.values())) for r in table.rows] == ["Proces", "Output", "Outcome", "Effect"]
    kinds = {s.name: s.kind for s in werkboek.form_fields("stap6")}
    assert kinds["stap6_eerstvolgende_moment"] == "date"
    assert sum(1 for k in kinds if k.startswith("stap6_meten_")) == 4 * 4


def test_step7_yes_no_with_dates(werkboek: Werkboek) -> None:
    questions = _questions(_step(werkboek, 7))
    for asked in (
        "Is het plan goedgekeurd door de gemeenteraad/gemeenteraden?",
        "Hebben de medezeggenschapsraden van de scholen ingestemd met het plan?",
    ):
        i = next(i for i, q in enumerate(questions) if q.text == asked)
        assert questions[i].field.kind is FieldKind.CHOICE and questions[i].field.scale == "ja_nee"
        assert questions[i + 1].field.kind is FieldKind.DATE


# --- 4. broken content ----------------------------------------------------------------------------


def _replace(file: str, old: str, new: str) -> Callable[[Path], None]:
    def breaker(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{file} no longer holds {old!r}: update this test"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return breaker


def _remove(file: str) -> Callable[[Path], None]:
    def breaker(folder: Path) -> None:
        (folder / file).unlink()

    return breaker


BROKEN = [
    pytest.param(
        _replace("stap2.yaml", "{id: regie, lines: 6}", "{id: regie, lines: 6, colour: red}"),
        r"stap2\.yaml:\d+: sections\.\d+\.blocks\.\d+\.field\.colour: 'colour' is geen sleutel die hier",
        id="unknown-key",
    ),
    pytest.param(
        _replace("stap4.yaml", "{id: doelgroep, lines: 5}", "{id: doelgroep, kind: textarea}"),
        r"stap4\.yaml:\d+: sections\.\d+\.blocks\.\d+\.field\.kind: 'kind' moet een van deze zijn: 'text', ",
        id="bad-kind",
    ),
    pytest.param(
        _replace("stap6.yaml", "{id: aanwezigen,", "{id: aan.wezigen,"),
        r"stap6\.yaml:\d+: sections\.\d+\.blocks\.\d+\.field\.id: 'id' is een id: alleen kleine letters",
        id="period-in-id",
    ),
    pytest.param(
        _replace("stap2.yaml", "- id: rea\n", "- id: lea\n"),
        r"stap2\.yaml:\d+: sections\.\d+\.blocks\.\d+: tabel '\w+' gebruikt een rij-id twee keer",
        id="duplicate-row-id",
    ),
    pytest.param(
        _replace("stap2.yaml", "thema: Voortijdig schoolverlaters", "theme: Voortijdig schoolverlaters"),
        r"stap2\.yaml:\d+: sections\.\d+\.blocks\.\d+: .*kolommen die de tabel niet heeft: 'theme'",
        id="cell-in-unknown-column",
    ),
    pytest.param(
        _replace("stap5.yaml", "  - title: Belangrijke vragen vooraf", "  - title: [Belangrijke"),
        r"stap5\.yaml:\d+: geen geldige YAML \(kolom \d+\): een \[ zonder \]",
        id="yaml-syntax",
    ),
    pytest.param(
        _remove("stap7.yaml"), r"stap7\.yaml: niet te lezen: het bestand bestaat niet", id="missing-file"
    ),
    pytest.param(
        _replace("werkboek.yaml", "publisher: ", "author: NJi\npublisher: "),
        r"werkboek\.yaml:\d+: author: 'author' is geen sleutel",
        id="unknown-key-in-index",
    ),
    pytest.param(
        _replace("stap3.yaml", "{id: kansen, lines: 8}", "{id: zorgen, lines: 8}"),
        r"stap3\.yaml:\d+: .*zorgen",
        id="duplicate-field-id",
    ),
    pytest.param(
        _replace("stap7.yaml", "scale: ja_nee}", "scale: jaja}"),
        r"stap7\.yaml:\d+: .*jaja",
        id="unknown-scale",
    ),
]


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    return folder


@pytest.mark.parametrize(("breaker", "message"), BROKEN)
def test_broken_content_is_named(content_copy: Path, breaker: Callable[[Path], None], message: str) -> None:
    load_werkboek(content_copy)  # the copy itself is sound
    breaker(content_copy)
    with pytest.raises(ContentError) as caught:
        load_werkboek(content_copy)
    assert re.search(message, str(caught.value)), str(caught.value)
    assert str(content_copy) in str(caught.value)


@pytest.mark.parametrize(
    ("breaker", "message"),
    [p for p in BROKEN if p.id in {"unknown-key", "yaml-syntax", "missing-file"}],
)
def test_check_command_reports_broken_content(
    content_copy: Path, breaker: Callable[[Path], None], message: str
) -> None:
    breaker(content_copy)
    result = CliRunner().invoke(main, ["check", str(content_copy)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("werkbladen: fout: ")
    assert re.search(message, result.stderr), result.stderr


def test_check_command_summarises_shipped_content(werkboek: Werkboek) -> None:
    result = CliRunner().invoke(main, ["check", str(CONTENT)])
    assert result.exit_code == 0, result.stderr
    for werkblad in werkboek.werkbladen:
        count = sum(1 for _ in werkblad.fields(werkboek.scale_map))
        assert re.search(rf"^{werkblad.id}\s+{count} velden", result.stdout, re.M)
    total = len(werkboek.form_fields("werkboek")) - len(list(werkboek.respondent_fields()))
    assert result.stdout.rstrip().endswith(f"in orde: inhoudsversie {werkboek.version}, {total} velden")
