"""Run ``werkbladen extract`` (CLI or library) on a file in a child process and measure it.

A hostile file must not be able to take the test run down with it, so every read happens in
a child: its wall time is bounded by a kill, its peak RSS measured by ``/usr/bin/time`` (the
parent's own peak would leak into a forked child's ``ru_maxrss``), its stderr kept for the
no-traceback check.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CLI = str(Path(sys.executable).with_name("werkbladen"))
TIME = shutil.which("time", path="/usr/bin")

STATUSES = frozenset(
    {"ok", "warnings", "not_a_werkblad", "no_form", "flattened", "encrypted", "damaged", "unsupported"}
    | {"timeout", "too_large", "error", "recovered", "scanned"}
)
READ = frozenset({"ok", "warnings"})

LIBRARY_SNIPPET = """
import json, sys
from pathlib import Path
from werkbladen.reader.extraction import extract
path, password = Path(sys.argv[1]), (sys.argv[2] if len(sys.argv) > 2 else None)
result = extract(path, password=password) if password else extract(path)
print(json.dumps(result.to_record(), ensure_ascii=False))
"""


@dataclass
class Run:
    cmd: list[str]
    returncode: int | None
    """None when the child was killed for running past the test's own bound."""
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float

    def records(self) -> list[dict[str, Any]]:
        return parse_records(self.stdout)

    def record(self) -> dict[str, Any]:
        records = self.records()
        assert len(records) == 1, f"expected one record, got {len(records)}: {self.stdout[:500]!r}"
        return records[0]

    def describe(self) -> str:
        return (
            f"$ {' '.join(self.cmd)}\nexit {self.returncode}, {self.seconds:.1f} s, {self.peak_mib:.0f} MiB\n"
            f"stdout: {self.stdout[:1500]}\nstderr: {self.stderr[-2500:]}"
        )


def run(cmd: list[str], bound: float) -> Run:
    """Run ``cmd`` with stdin closed; kill its process group after ``bound`` seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        stats = Path(tmp) / "time"
        full = [TIME, "-f", "%M", "-o", str(stats), *cmd] if TIME else cmd
        start = time.monotonic()
        proc = subprocess.Popen(
            full,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            cwd=REPO,
        )
        try:
            out, err = proc.communicate(timeout=bound)
            code: int | None = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            code = None
        seconds = time.monotonic() - start
        text = stats.read_text() if stats.exists() else ""
        lines = [ln for ln in text.splitlines() if ln.strip().isdigit()]
        peak = int(lines[-1]) / 1024 if lines else float("nan")
        if TIME and code is not None and text.startswith("Command exited with non-zero status"):
            code = int(text.split()[5])
    return Run(cmd, code, out.decode(errors="replace"), err.decode(errors="replace"), seconds, peak)


def cli(args: list[str], bound: float = 60.0) -> Run:
    return run([CLI, "extract", *args], bound)


def library(path: Path, password: str | None = None, bound: float = 60.0) -> Run:
    return run([sys.executable, "-c", LIBRARY_SNIPPET, str(path), *([password] if password else [])], bound)


def parse_records(stdout: str) -> list[dict[str, Any]]:
    """Records from ``werkbladen extract`` output: one JSON object, a JSON array, or JSON lines."""
    text = stdout.strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = [json.loads(line) for line in text.splitlines() if line.strip()]
    if isinstance(data, dict):
        data = data.get("records", [data]) if "records" in data else [data]
    return list(data)


def flat_answers(record: dict[str, Any], specs: list[Any]) -> dict[str, Any]:
    """``record["answers"]`` by PDF field name, table rows spread back onto their cell names."""
    answers = dict(record.get("answers") or {})
    out: dict[str, Any] = {}
    for spec in specs:
        if spec.table is None:
            if spec.name in answers:
                out[spec.name] = answers[spec.name]
            continue
        key = spec.name[: -len(f"_{spec.row}_{spec.column}")]
        for row in answers.get(key) or []:
            if isinstance(row, dict) and row.get("row") == spec.row and spec.column in row:
                out[spec.name] = row[spec.column]
    if record.get("respondent"):
        for key, value in record["respondent"].items():
            out.setdefault(f"respondent_{key}", value)
    return out


def missing_answers(record: dict[str, Any], expected: dict[str, Any], specs: list[Any]) -> dict[str, Any]:
    """The expected answers the record lacks or has wrong: {name: (expected, got)}."""
    got = flat_answers(record, specs)
    got.update(record.get("extras") or {})
    return {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
