"""The date fields' check refuses nothing the extractor reads, and accepts nothing it cannot.

What can be tested honestly: the check is a field script (``/AA /V``), and of the engines here
only pdf.js runs field scripts, in its QuickJS sandbox — in the viewer, not in ``getDocument``.
``tests/engines/datecheck-pdfjs.mjs`` builds that sandbox from the built PDF's own field objects,
as Firefox's viewer does, and sends the commit event the viewer sends when one leaves the field;
the field's script decides. Every sample's verdict must equal :func:`parse_date`'s. Acrobat runs
the same script (its JavaScript is the one pdf.js implements); viewers without scripts show the
"dd-mm-jjjj" hint only (tested in test_layout).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from werkbladen.content.model import Werkboek
from werkbladen.layout.datecheck import ALERT, VALIDATE_JS
from werkbladen.reader.dates import MONTHS, parse_date

ENGINES = Path(__file__).resolve().parent / "engines"
DATES = [dt.date(2021, 6, 24), dt.date(2021, 1, 1), dt.date(2024, 2, 29), dt.date(2030, 12, 31)]


def _samples() -> list[str]:
    out = ["", "  24-6-2021 ", "24 juni 2021", "24 jun. 2021", "1 juli '21", "1 juli ’21", "2021-06-24"]
    for d in DATES:
        for sep in "-/.":
            for day in (str(d.day), f"{d.day:02d}"):
                for month in (str(d.month), f"{d.month:02d}"):
                    for year in (str(d.year), f"{d.year % 100:02d}"):
                        out.append(f"{day}{sep}{month}{sep}{year}")
        out.append(d.isoformat())
    for name, number in MONTHS.items():
        out += [f"3 {name} 2022", f"3 {name.upper()}. 2022", f"3. {name}, '22", f"3 {name} 22"]
        out.append(f"31 {name} 2022" if number in (2, 4, 6, 9, 11) else f"32 {name} 2022")
    out += [
        "31-02-2021", "29-02-2023", "29-02-2024", "0-1-2021", "1-0-2021", "1-13-2021", "6/24/2021",
        "24-6", "24 juni", "juni 2021", "maart 2024", "24-6-021", "24-6-20211", "2021-6-24",
        "2021/06/24", "24--6-2021", "24-6/2021", "24 junii 2021", "24 jun 2021 12:00", "24-6-2021.",
        "morgen", "1-1-0000", "00-01-2021", "1 juli `21", "\t24\n-6-2021", "24 juni\t2021",
    ]  # fmt: skip
    return list(dict.fromkeys(out))


def _run(pdf: Path, field: str, samples: list[str], tmp_path: Path) -> list[dict[str, object]]:
    if shutil.which("node") is None or not (ENGINES / "node_modules" / "pdfjs-dist").is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("pdf.js is required in CI (npm ci in tests/engines)")
        pytest.skip("pdf.js is not installed: run `npm ci` in tests/engines")
    values = tmp_path / "samples.json"
    values.write_text(json.dumps(samples), encoding="utf-8")
    done = subprocess.run(
        ["node", str(ENGINES / "datecheck-pdfjs.mjs"), str(pdf), field, str(values)],
        cwd=ENGINES,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, object]] = json.loads(done.stdout)
    return results


def test_the_check_agrees_with_the_extractor(built_pdfs: dict[str, Path], tmp_path: Path) -> None:
    samples = _samples()
    results = _run(built_pdfs["stap-7.pdf"], "stap7_goedgekeurd_raad_datum", samples, tmp_path)
    assert [r["value"] for r in results] == samples
    disagree = [
        (r["value"], r["accepted"])
        for r in results
        if r["accepted"] != (r["value"] == "" or parse_date(str(r["value"])) is not None)
    ]
    assert disagree == []
    refused = [r for r in results if not r["accepted"]]
    assert len(refused) >= 20  # the samples do reach the refusing side
    assert all(r["alert"] == ALERT and r["committed"] == "" for r in refused)


def test_every_date_field_carries_the_check(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    dates = {s.name for s in werkboek.form_fields("werkboek") if s.kind == "date"}
    assert len(dates) >= 4
    for name, path in built_pdfs.items():
        for field_name, field in (PdfReader(path).get_fields() or {}).items():
            widget = field.indirect_reference.get_object() if field.indirect_reference else field
            script = widget.get("/AA", {}).get("/V", {}).get("/JS")
            assert (script == VALIDATE_JS) == (field_name in dates), (name, field_name)


def test_the_script_is_ascii_and_names_no_internal_id() -> None:
    assert VALIDATE_JS.isascii()
    assert "werkbladen" not in VALIDATE_JS
