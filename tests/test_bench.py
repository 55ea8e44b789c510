"""The benchmark harness works (scripts/bench.py --quick); no timing is asserted, only that it measures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from formkit import random_answers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from benchkit.cases import parse_importtime
from benchkit.measure import TIME, CommandFailed, Run, interleaved, measure, pair_ratio

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench.py"


def test_quick_run_measures_every_section(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--json", str(out), "--cache", str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| section | case |" in proc.stdout
    result = json.loads(out.read_text())
    sections = {row["section"] for row in result["rows"]}
    assert {
        "build",
        "extract",
        "batch N=10",
        "imports",
        "report N=10",
        "inbox N=12",
        "workbook N=10",
    } <= sections
    for row in result["rows"]:
        assert row["wall"] is not None and row["wall"] > 0, row
    batch = result["facts"]["batch"]["per_n"]["10"]
    assert set(batch["statuses"]) <= {"ok", "warnings"} and sum(batch["statuses"].values()) == 10
    for case in ("xlsx-j2", "xlsx-j1", "csv-j2", "csv-j1", "pypdf"):
        assert batch[case]["tree_rss"] > 0 and batch[case]["maxrss"] > 0
    workbook = result["facts"]["workbook"]
    assert workbook["cli-people"]["bytes"] > 0 and workbook["writer-machine"]["bytes"] > 0
    verdicts = {name: verdict for name, _measured, verdict in result["targets"]}
    assert "people workbook ≤ 1.2× the wide XLSX, 10 forms, the writer alone" in verdicts
    assert verdicts["no reportlab on the extract path"] == "PASS"
    assert len(list((tmp_path / "cache").glob("filled-*/werkboek-*.pdf"))) == 10  # 3, and 10 distinct
    flattened = result["facts"]["flattened"]
    for label in ("distinct", "repeated"):
        assert flattened[label]["statuses"] == {"fillable": {"ok": 10}, "flattened": {"recovered": 10}}
    assert flattened["cpu_ratio"] == flattened["distinct"]["cpu_ratio"] > 0
    assert len(flattened["margin"]["flattened_cpu_ms"]) == 1 and flattened["margin"]["cpu_ratio"] != 0
    assert any(name.startswith("a flattened form ≤ 5×") for name in verdicts)
    distinct = sorted(p.name for p in (tmp_path / "cache").glob("distinct-*/*.pdf"))
    assert len(distinct) == 12 and {n.split("-", 1)[1] for n in distinct} == {
        "pypdf.pdf",
        "mupdf.pdf",
        "pdftk-xfdf.pdf",
    }
    assert result["facts"]["inbox"]["vs_pool"] > 0 and result["facts"]["inbox"]["read_ms_per_file"] > 0


def test_filled_werkboeken_are_seeded_and_varied(werkboek: object) -> None:
    first = random_answers(werkboek, 7)
    assert first == random_answers(werkboek, 7)
    records = [random_answers(werkboek, seed) for seed in range(24)]
    values = [v for r in records for v in r["answers"].values()]
    assert {type(v) for v in values} >= {bool, str}
    assert any("\n" in v for v in values if isinstance(v, str))
    assert any("€" in v or "é" in v for v in values if isinstance(v, str))
    assert len({json.dumps(r, sort_keys=True) for r in records}) == 24


def test_child_peak_memory_is_its_own() -> None:
    if TIME is None:
        pytest.skip("/usr/bin/time is not installed")
    ballast = bytearray(300 * 1024 * 1024)  # this process is now over 300 MB
    run = measure([sys.executable, "-c", "pass"])
    assert run.maxrss < 100 * 1024 * 1024
    assert run.wall > 0 and run.cpu >= 0
    del ballast


def test_a_failing_command_is_not_a_measurement() -> None:
    with pytest.raises(CommandFailed, match="exit 3"):
        measure([sys.executable, "-c", "import sys; sys.exit(3)"])


def test_interleaving_rotates_and_ratios_pair_by_round() -> None:
    order: list[str] = []

    def case(name: str, wall: float) -> object:
        def run() -> object:
            order.append(name)
            return Run(wall=wall, cpu=wall, maxrss=1)

        return run

    runs = interleaved({"a": case("a", 2.0), "b": case("b", 1.0), "c": case("c", 4.0)}, 3)
    assert order == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]
    assert pair_ratio(runs["a"], runs["b"]) == 2.0
    assert pair_ratio(runs["a"], runs["c"]) == 0.5


def test_importtime_parsing() -> None:
    text = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       120 |        120 |   _io\n"
        "import time:      1500 |       1620 | werkbladen.cli\n"
        "import time:        80 |         80 |     reportlab.lib\n"
        "something else on stderr\n"
    )
    assert parse_importtime(text) == [
        ("_io", 120, 120, 1),
        ("werkbladen.cli", 1500, 1620, 0),
        ("reportlab.lib", 80, 80, 2),
    ]
