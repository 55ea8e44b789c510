"""Nothing changes for users: every form in the tests extracts exactly as the goldens say.

What it protects (issue 9, item 6): what ``werkbladen extract`` gives users — the JSON record and
the ``--raw`` record of every input, and the JSON, JSON Lines, CSV (both dialects), long CSV and
XLSX of one batch over all of them, with stderr and exit code — across refactors of the package.
The goldens in ``tests/golden/records/records.json.gz`` were made with the code of commit 45a401d,
before the reader refactor; this test runs the same collection with the current code and requires
the same result, field by field, and the same bytes of every text output.

The inputs (see ``tests/golden/make_records.py``): the real-world files of ``tests/corpus/``, the
engine-filled forms of ``tests/golden/``, the hostile set of ``tests/hostile/make_hostile.py`` made
afresh, and the blank PDFs of ``output/``. It runs only the public CLI (``python -m werkbladen``)
in subprocesses, so module moves inside the package do not touch it. The records are taken from
the batch JSON runs (the generator checks that a single-file run gives exactly the batch's record);
a few inputs are also run on their own, for the exact single-file stdout.

A failure lists the first differences by input and field. When a change of output is *meant*
(a new warning, a better reason, a new column), refresh on purpose and say why in the commit::

    .venv/bin/python tests/golden/make_records.py
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from golden.make_records import RECORDS, RUNS, TESTS, collect, differences, load, table

SHOWN = 25
REFRESH = (
    "If this change of output is meant, refresh the goldens on purpose "
    "(.venv/bin/python tests/golden/make_records.py) and say why in the commit."
)


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    return load(RECORDS)


@pytest.fixture(scope="module")
def fresh() -> dict[str, Any]:
    corpus = TESTS / "corpus"
    if not any(corpus.glob("*.pdf")):
        pytest.fail(f"no corpus PDFs in {corpus}")
    return collect(sys.executable, corpus)


def _check(what: str, lines: list[str], hint: str = "") -> None:
    if lines:
        shown = "\n".join(f"  {line}" for line in lines[:SHOWN])
        more = f"\n  … and {len(lines) - SHOWN} more" if len(lines) > SHOWN else ""
        pytest.fail(f"{what}: {len(lines)} difference(s)\n{shown}{more}\n{hint or REFRESH}", pytrace=False)


def _changed_inputs(golden: dict[str, Any], fresh: dict[str, Any]) -> list[str]:
    return [
        name
        for name, info in golden["inputs"].items()
        if name in fresh["inputs"] and info["sha256"] != fresh["inputs"][name]["sha256"]
    ]


def test_same_inputs(golden: dict[str, Any], fresh: dict[str, Any]) -> None:
    """The same inputs in the same order, with the same bytes (where reproducible)."""
    assert golden["excluded"] == fresh["excluded"]
    lines = list(differences(list(golden["inputs"]), list(fresh["inputs"]), "inputs"))
    lines += [
        f"{name}: other bytes than when the goldens were made" for name in _changed_inputs(golden, fresh)
    ]
    _check(
        "the inputs changed",
        lines,
        "The test set itself changed (tests/golden, tests/corpus, output/ or make_hostile.py), not the "
        "extraction: refresh the goldens only if that was meant.",
    )


@pytest.mark.parametrize("mode", ["records", "raw"])
def test_records(mode: str, golden: dict[str, Any], fresh: dict[str, Any]) -> None:
    """Every input's record (``extract FILE``, or ``extract --raw FILE``), field by field."""
    lines = []
    for name, want in golden[mode].items():
        lines += differences(want, fresh[mode].get(name), f"{'--raw ' if mode == 'raw' else ''}{name} ")
    changed = _changed_inputs(golden, fresh)
    hint = f"(Inputs with other bytes than the goldens': {changed}.)\n{REFRESH}" if changed else ""
    _check(f"{mode}: the records differ", lines, hint)


def test_single_file_stdout(golden: dict[str, Any], fresh: dict[str, Any]) -> None:
    """A single file prints its record as JSON: the same bytes, stderr and exit code."""
    lines = []
    for key, want in golden["single_stdout"].items():
        got = fresh["single_stdout"].get(key)
        lines += differences(want, got, f"extract {key} ")
    _check("single-file runs differ", lines)


def _parsed(name: str, output: Any) -> Any:
    """A batch output in a form whose differences name the record or row (by file) and column."""
    if not isinstance(output, str):
        return output  # XLSX sheets, already as rows of cells; None when nothing was written
    if name.endswith("json"):
        return _by_row(json.loads(output))
    if name == "jsonl":
        return _by_row([json.loads(line) for line in output.splitlines()])
    return _by_row(table(output, "," if name == "csv-rfc4180" else ";"))


def _by_row(rows: list[Any]) -> dict[str, Any]:
    return {
        f"row {i}" + (f" {row['file']}" if isinstance(row, dict) and "file" in row else ""): row
        for i, row in enumerate(rows)
    }


@pytest.mark.parametrize("name", list(RUNS))
def test_batch(name: str, golden: dict[str, Any], fresh: dict[str, Any]) -> None:
    """One batch over all inputs: the same exit code, stderr lines, content and exact bytes."""
    want, got = golden["runs"][name], fresh["runs"][name]
    where = f"extract {' '.join(want['args'])} FILE… "
    lines = list(differences(want["args"], got["args"], f"{where}arguments"))
    lines += differences(want["exit"], got["exit"], f"{where}exit code")
    lines += differences(want["stderr"], got["stderr"], f"{where}stderr")
    content = list(differences(_parsed(name, want["output"]), _parsed(name, got["output"]), where))
    lines += content
    if not content and isinstance(want["output"], str):  # same content: the bytes must agree too
        lines += differences(want["output"], got["output"], f"{where}text")
    _check(f"batch {name} differs", lines)
