"""Real-world forms and broken files (``tests/corpus``): none is a werkblad, each gets a clear answer.

``werkbladen extract`` must name why it cannot read each one (exit 1, one line), and
``--raw`` must give the fields that are there: as many terminal fields as pypdf finds where
pypdf can read the file at all.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hostile import harness
from paths import CORPUS

FILES = sorted(CORPUS.glob("*.pdf"))
FAILURES = harness.STATUSES - harness.READ - {"timeout", "error"}
"""A corpus file deserves a named reason; a timeout or a generic error would be a reader bug."""


def test_corpus_is_there() -> None:
    assert len(FILES) >= 50, CORPUS


def _all(args: list[str]) -> dict[str, harness.Run]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {p.name: pool.submit(harness.cli, [*args, str(p)]) for p in FILES}
        return {name: f.result() for name, f in futures.items()}


@pytest.fixture(scope="module")
def extract_runs() -> dict[str, harness.Run]:
    return _all(["--timeout", "20"])


@pytest.fixture(scope="module")
def raw_runs() -> dict[str, harness.Run]:
    return _all(["--raw", "--timeout", "20"])


def _bounded(run: harness.Run) -> None:
    assert run.returncode is not None and run.seconds < 60, run.describe()
    assert "Traceback" not in run.stderr, run.describe()


def _one_line(reason: object, run: harness.Run) -> None:
    assert isinstance(reason, str) and reason.strip() and "\n" not in reason, run.describe()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_extract_names_the_reason(path: Path, extract_runs: dict[str, harness.Run]) -> None:
    run = extract_runs[path.name]
    _bounded(run)
    record = run.record()
    assert record["status"] in FAILURES, run.describe()
    _one_line(record["reason"], run)
    assert run.returncode == 1, run.describe()
    assert record["reason"] in run.stderr, run.describe()


def _pypdf_terminal_names(path: Path) -> set[str] | None:
    """The names of pypdf's terminal fields, or None where pypdf cannot read the form."""
    from pypdf import PdfReader

    try:
        fields = PdfReader(path).get_fields()
    except Exception:
        return None
    if fields is None:
        return None
    return {name for name, f in fields.items() if not any("/T" in k.get_object() for k in f.get("/Kids", []))}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_raw_gives_the_fields_that_are_there(path: Path, raw_runs: dict[str, harness.Run]) -> None:
    run = raw_runs[path.name]
    _bounded(run)
    record = run.record()
    status = record["status"]
    assert status in harness.STATUSES, run.describe()
    reference = _pypdf_terminal_names(path)
    if status not in harness.READ:
        _one_line(record["reason"], run)
        assert not reference, f"pypdf reads {len(reference or ())} fields here\n{run.describe()}"
        return
    fields = record["fields"]
    if reference is not None:
        assert len(fields) >= len(reference), (sorted(reference - set(fields)), run.describe())
    if not fields:
        assert status == "warnings" or record["reason"], f"an empty dump without a word\n{run.describe()}"


def test_raw_filled_by_acrobat_values(raw_runs: dict[str, harness.Run]) -> None:
    """A known form: the seven fields and the values Acrobat saved (qpdf's test file)."""
    fields = raw_runs["qpdf__form-filled-by-acrobat.pdf"].record()["fields"]
    assert fields == {
        "Text Box 1": "abc potato",
        "r1": "1",
        "Check Box 1": False,
        "Check Box 2": True,
        "Check Box 3": False,
        "r2": "2",
        "Text Box 2": "salad πʬ xyz",
    }
