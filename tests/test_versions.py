"""Forms already sent out keep working (issue 12, item 7), and the publisher's ``check`` guards them.

The forms of content version 1.0: the engine-filled goldens (``tests/golden/stap-7.*.pdf``) and
``tests/data/werkboek-1.0.pdf``, the blank werkboek.pdf as built and published at 1.0 (commit
827dd23), filled here. Read with the current content they come back clean: a field 1.0 lacked is
empty (and no warning says so), a field the content drops comes back under extras, and no id of
``published-ids.json`` changes meaning.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from formkit import fill

from werkbladen import extract
from werkbladen.cli import main
from werkbladen.content.loader import load_werkboek
from werkbladen.content.model import Werkboek
from werkbladen.content.naming import WERKBOEK
from werkbladen.content.published import PUBLISHED_FILE, load_published, problems

TESTS = Path(__file__).resolve().parent
CONTENT = TESTS.parent / "werkbladen" / "content"
GOLDEN_FORMS = sorted((TESTS / "golden").glob("stap-7.*.pdf"))
WERKBOEK_1_0 = TESTS / "data" / "werkboek-1.0.pdf"
EXPECTED = json.loads((TESTS / "golden" / "expected.json").read_text(encoding="utf-8"))
ADDED_IN_1_1 = [
    "stap1_middelen_duidelijk_ja_nee",
    "stap3_beeld_herkennen_ja_nee",
    "stap6_periodiek_overleg_ja_nee",
]


def _flat(record: dict[str, object]) -> dict[str, object]:
    answers = record["answers"]
    assert isinstance(answers, dict)
    return answers


# --- reading 1.0 forms with the current content ----------------------------------------------------


def test_the_content_moved_on_and_published_both(werkboek: Werkboek) -> None:
    assert werkboek.version != "1.0"
    assert {"1.0", werkboek.version} <= set(werkboek.published.versions)


@pytest.mark.parametrize("path", GOLDEN_FORMS, ids=lambda p: p.name)
def test_golden_1_0_forms_read_cleanly(path: Path, werkboek: Werkboek) -> None:
    record = extract(path.read_bytes(), werkboek=werkboek).to_record()
    assert record["content_version"] == "1.0"
    # pdftk with NeedAppearances is the one golden with a warning of its own (about the flag)
    assert record["status"] == "ok" or path.name.endswith("need-appearances.pdf"), record["warnings"]
    assert not any("inhoudsversie" in w or "in deze PDF" in w for w in record["warnings"])
    assert record["extras"] == {}
    for name, value in EXPECTED["answers"].items():
        assert _flat(record)[name] == value, (path.name, name)
    assert record["respondent"]["naam"] == EXPECTED["respondent"]["naam"]


def test_a_1_0_werkboek_reads_its_answers_and_leaves_new_fields_empty(werkboek: Werkboek) -> None:
    typed = {
        "stap1_middelen_duidelijk": "Ja, grotendeels: het NPO-bedrag nog niet.",
        "stap3_beeld_herkennen": "Deels; de wachtlijsten zien we niet terug.",
        "stap6_periodiek_overleg": "Ja, aan het LEA-overleg.",
        "stap5_scores_lerend_i2": "3",
        "respondent_naam": "Zoë Ağaoğlu",
    }
    record = extract(fill(WERKBOEK_1_0.read_bytes(), typed), werkboek=werkboek).to_record()
    assert record["content_version"] == "1.0" and record["status"] == "ok", record["warnings"]
    answers = _flat(record)
    for name in ("stap1_middelen_duidelijk", "stap3_beeld_herkennen", "stap6_periodiek_overleg"):
        assert answers[name] == typed[name]  # the old text box is the new one's room to explain
    scores = {r["row"]: r for r in answers["stap5_scores"]}  # type: ignore[union-attr]
    assert scores["lerend"]["i2"] == "3"
    for name in ADDED_IN_1_1:
        assert answers[name] is None
    assert record["details"]["new_since_version"] == ADDED_IN_1_1
    assert record["extras"] == {} and record["warnings"] == []


def test_a_field_the_content_drops_comes_back_under_extras(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    stap7 = folder / "stap7.yaml"
    text = stap7.read_text(encoding="utf-8")
    dropped = (
        "      - type: question\n"
        "        text: Wanneer en hoe informeren we elkaar over de voortgang van de activiteiten?\n"
        "        field: {id: informeren, lines: 5}\n"
    )
    assert dropped in text
    stap7.write_text(text.replace(dropped, ""), encoding="utf-8")
    werkboek = load_werkboek(folder)
    for path in GOLDEN_FORMS:
        record = extract(path.read_bytes(), werkboek=werkboek).to_record()
        assert record["extras"] == {"stap7_informeren": EXPECTED["answers"]["stap7_informeren"]}, path.name
        assert "stap7_informeren" not in _flat(record)
        assert any("stap7_informeren" in w and "extras" in w for w in record["warnings"])


def test_an_unpublished_older_version_still_warns(werkboek: Werkboek) -> None:
    """A version the record does not know (a test build, a fork) is matched by name, with a warning."""
    from formkit import blank_form

    record = extract(blank_form(werkboek, "stap2", version="0.9"), werkboek=werkboek).to_record()
    assert any("inhoudsversie 0.9" in w for w in record["warnings"])


def test_no_published_id_changes_meaning(werkboek: Werkboek) -> None:
    record = load_published(CONTENT)
    assert problems(record, werkboek.version, werkboek.form_fields(WERKBOEK)) == []
    for version, fields in record.versions.items():
        current = {s.name: s.kind for s in werkboek.form_fields(WERKBOEK)}
        for name, signature in fields.items():
            assert current[name] == signature.split(":")[0], (version, name)


# --- the publisher's check, tried as a publisher would ---------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "inhoud"
    shutil.copytree(CONTENT, folder)
    return folder


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{file} no longer holds {old!r}: update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _check(folder: Path, *args: str) -> tuple[int, str, list[str]]:
    result = CliRunner().invoke(main, ["check", str(folder), *args])
    errors = [line for line in result.stderr.splitlines() if line]
    return result.exit_code, result.stdout, errors


def _bump(folder: Path, version: str = "1.2") -> None:
    text = (folder / "werkboek.yaml").read_text(encoding="utf-8")
    (folder / "werkboek.yaml").write_text(re.sub(r'version: "[^"]+"', f'version: "{version}"', text), "utf-8")


def _line_of(folder: Path, file: str, needle: str) -> int:
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_a_changed_question_passes(content: Path) -> None:
    _edit(content, "stap2.yaml", "Hoe vinden we de goede mensen", "Hoe vinden wij de juiste mensen")
    code, out, errors = _check(content)
    assert (code, errors) == (0, []) and out.rstrip().endswith("156 velden")


def test_an_added_question_needs_a_new_version_then_publishes(content: Path) -> None:
    _edit(
        content,
        "stap2.yaml",
        "        field: {id: besluitvorming, lines: 5}\n",
        "        field: {id: besluitvorming, lines: 5}\n"
        "      - type: question\n"
        "        text: Wie besluit als laatste?\n"
        "        field: {id: laatste_besluit}\n",
    )
    code, _, errors = _check(content)
    assert code == 1 and len(errors) == 1
    assert "nieuw: stap2_laatste_besluit" in errors[0] and "verhoog `version`" in errors[0]
    assert errors[0].startswith(f"werkbladen: fout: {content / PUBLISHED_FILE}: ")
    _bump(content)
    code, out, errors = _check(content)
    assert code == 0 and "nog niet gepubliceerd" in out
    before = (content / PUBLISHED_FILE).read_text(encoding="utf-8")
    code, out, errors = _check(content, "--publish")
    assert code == 0 and "gepubliceerd: inhoudsversie 1.2" in out
    record = load_published(content)
    assert list(record.versions) == ["1.0", "1.1", "1.2"]
    assert record.versions["1.2"]["stap2_laatste_besluit"] == "multiline"
    assert (content / PUBLISHED_FILE).read_text(encoding="utf-8").startswith(before[:200])
    assert _check(content)[0] == 0


def test_a_renamed_id_fails_at_any_version(content: Path) -> None:
    _edit(content, "stap3.yaml", "{id: kansen, lines: 8}", "{id: kansen_jeugd, lines: 8}")
    _bump(content)
    code, _, errors = _check(content)
    assert code == 1
    assert any("'stap3_kansen' (gepubliceerd in inhoudsversie 1.0) is verdwenen" in e for e in errors)
    assert _check(content, "--publish")[0] == 1  # publishing does not wave it through


def test_a_retired_id_is_published_on_purpose(content: Path) -> None:
    _edit(content, "stap3.yaml", "{id: kansen, lines: 8}", "{id: kansen_jeugd, lines: 8}")
    _bump(content)
    code, out, _ = _check(content, "--publish", "--retire", "stap3_kansen")
    assert code == 0, out
    assert load_published(content).retired == {"stap3_kansen": "1.2"}
    assert _check(content)[0] == 0
    assert _check(content, "--retire", "stap3_kansen")[0] == 2  # --retire only with --publish


def test_a_changed_kind_fails(content: Path) -> None:
    _edit(content, "stap7.yaml", "{id: aangehaakt, lines: 4}", "{id: aangehaakt, kind: checkbox}")
    _bump(content)
    code, _, errors = _check(content)
    assert code == 1
    assert any("'stap7_aangehaakt' is gepubliceerd in inhoudsversie 1.0 als multiline" in e for e in errors)


def test_every_error_at_its_own_file_and_line(content: Path) -> None:
    """Three slips in three files (a YAML slip, an unknown kind, a duplicate id): all in one run."""
    _edit(content, "stap5.yaml", "  - title: Belangrijke vragen vooraf", "  - title: [Belangrijke")
    _edit(content, "stap4.yaml", "{id: doelgroep, lines: 5}", "{id: doelgroep, kind: textarea}")
    _edit(content, "stap3.yaml", "{id: kansen, lines: 8}", "{id: zorgen, lines: 8}")
    code, out, errors = _check(content)
    assert code == 1 and out == ""
    assert len(errors) == 3, errors
    assert all(e.startswith("werkbladen: fout: ") for e in errors)
    assert not any("<unicode string>" in e for e in errors)
    text = "\n".join(errors)
    assert re.search(rf"{re.escape(str(content / 'stap5.yaml'))}:\d+: geen geldige YAML ", text)
    kind_line = _line_of(content, "stap4.yaml", "kind: textarea")
    assert (
        f"{content / 'stap4.yaml'}:{kind_line}: sections.1.blocks.4.field.kind: 'kind' moet een van deze zijn"
        in text
    )
    lines = (content / "stap3.yaml").read_text(encoding="utf-8").splitlines()
    second = [i for i, line in enumerate(lines, start=1) if "{id: zorgen," in line][-1]
    assert f"{content / 'stap3.yaml'}:{second}: " in text and "'stap3_zorgen' komt twee keer voor" in text


def test_a_question_named_like_a_table_cell_is_placed_at_its_line(content: Path) -> None:
    """A question whose PDF name is that of a cell of the table above it."""
    _edit(content, "stap2.yaml", "{id: werkgroep, lines: 5}", "{id: netwerken_lea_wie, lines: 5}")
    code, _, errors = _check(content)
    line = _line_of(content, "stap2.yaml", "{id: netwerken_lea_wie")
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith(f"werkbladen: fout: {content / 'stap2.yaml'}:{line}: "), errors
