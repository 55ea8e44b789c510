"""Fill every field kind with the engines people fill forms with, then ``extract`` it back exactly.

Each engine fills werkboek.pdf, stap-2.pdf (checkboxes, tables) and stap-7.pdf (choices, dates)
once per session, the way that engine fills a form (see tests/engines/drivers.py); every
(engine, PDF, sample) is then its own test, so the matrix in docs/engines.md is the test ids.
Measured on this machine: every engine round-trips every sample exactly, so nothing is
expected to differ; an engine that stops doing so fails here.

Without an engine the tests skip, except with ``CI=true``, where a missing engine fails the run.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from werkbladen.content.loader import shipped_werkboek
from werkbladen.reader.extraction import extract

sys.path.insert(0, str(Path(__file__).parent / "engines"))
from drivers import ENGINES, available
from session import filled
from values import entries, flat_answers

PDFS = {"werkboek.pdf": "werkboek", "stap-2.pdf": "stap2", "stap-7.pdf": "stap7"}

KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {}
"""(engine, sample) → the measured difference, asserted with xfail(strict=True). Empty: measured
on pdf.js 4.10.38, PDFium 8149, MuPDF 1.26 (PyMuPDF), pdftk-java 3.3.2, pdf-lib 1.17.1 and
pypdf 7.1.0, every engine kept every sample exactly (see docs/engines.md)."""


def require_engine(name: str) -> None:
    """Skip when ``name`` cannot run here; with ``CI=true`` a missing engine fails instead."""
    missing = available(name)
    if missing is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"engine {name} is required in CI: {missing}")
    pytest.skip(f"engine {name} not available: {missing}")


def _cases() -> list[Any]:
    werkboek = shipped_werkboek()
    cases = []
    for pdf, template in PDFS.items():
        samples = sorted({f"{e.kind}:{e.sample}" for e in entries(werkboek.form_fields(template))})
        for engine in ENGINES:
            for sample in samples:
                marks = []
                reason = KNOWN_DIFFERENCES.get((engine, sample))
                if reason:
                    marks.append(pytest.mark.xfail(strict=True, reason=reason))
                cases.append(pytest.param(engine, pdf, sample, marks=marks, id=f"{engine}-{pdf}-{sample}"))
    return cases


@pytest.mark.parametrize(("engine", "pdf", "sample"), _cases())
def test_round_trip(
    engine: str,
    pdf: str,
    sample: str,
    built_pdfs: dict[str, Path],
) -> None:
    require_engine(engine)
    path, planned = filled(engine, built_pdfs[pdf], PDFS[pdf])
    record = extract(path).to_record()
    assert record["status"] == "ok", record["reason"] or record["warnings"]
    assert record["werkblad"] == PDFS[pdf]
    got = flat_answers(record)
    chosen = [e for e in planned if f"{e.kind}:{e.sample}" == sample]
    assert chosen
    assert {e.name: got.get(e.name) for e in chosen} == {e.name: e.expected for e in chosen}


def test_every_kind_is_covered() -> None:
    """The samples meet every field kind, and a step PDF's kinds are all in the suite."""
    werkboek = shipped_werkboek()
    kinds = {e.kind for e in entries(werkboek.form_fields("werkboek"))}
    assert kinds == {"text", "multiline", "checkbox", "choice", "date"}
    steps = {e.kind for t in ("stap2", "stap7") for e in entries(werkboek.form_fields(t))}
    assert steps == kinds
    long = [e for e in entries(werkboek.form_fields("werkboek")) if e.sample == "long"]
    assert long and all(4900 <= len(str(e.typed)) <= 5000 for e in long)


def test_require_engine_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    import drivers

    monkeypatch.setattr(drivers, "NODE_MODULES", Path("/nonexistent"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        require_engine("pdfjs")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        require_engine("pdfjs")


GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("engine", ENGINES)
def test_golden_engine_output_still_reads(engine: str) -> None:
    """stap-7.pdf as each engine saved it (tests/golden/make_golden.py): the reader, no engine needed."""
    expected = json.loads((GOLDEN / "expected.json").read_text(encoding="utf-8"))
    record = extract(GOLDEN / f"stap-7.{engine}.pdf").to_record()
    assert record["status"] == "ok", record["reason"] or record["warnings"]
    assert record["werkblad"] == expected["werkblad"]
    assert {k: record["respondent"][k] for k in expected["respondent"]} == expected["respondent"]
    assert {k: record["answers"][k] for k in expected["answers"]} == expected["answers"]
    untouched = set(record["answers"]) - set(expected["answers"])
    assert all(record["answers"][k] is None for k in untouched)
