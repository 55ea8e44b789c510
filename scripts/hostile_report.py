"""Worst time and peak memory of reading each hostile and corpus PDF, one process per file.

    python scripts/hostile_report.py                 # werkbladen extract, the CLI a coordinator runs
    python scripts/hostile_report.py --engine pypdf  # bare pypdf 7.1 get_fields(), the baseline
    python scripts/hostile_report.py --blank output/stap-2.pdf --timeout 60

Each file runs in its own child process, so its peak RSS (``wait4``) is its own. Prints one
row per file (file, status, seconds, peak MiB, reason) and the worst time and memory.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from paths import CORPUS  # noqa: E402  (tests/paths.py: the one place that names it)

PYPDF_SNIPPET = """
import sys, pypdf
try:
    r = pypdf.PdfReader(sys.argv[1])
    f = r.get_fields()
    print("no form" if f is None else f"{len(f)} fields")
except BaseException as e:
    print(f"{type(e).__name__}: {' '.join(str(e).split())[:90]}")
"""


@dataclass
class Row:
    file: str
    status: str
    seconds: float
    peak_mib: float
    reason: str


def run(cmd: list[str], timeout: float) -> tuple[int | None, str, str, float, float]:
    """Run ``cmd``; return (exit code or None when killed, stdout, stderr, seconds, peak MiB)."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, start_new_session=True)
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout and not killed:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        code = None if killed else proc.returncode
        return (
            code,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            seconds,
            usage.ru_maxrss / 1024,
        )


def werkbladen_row(path: Path, timeout: float) -> Row:
    exe = Path(sys.executable).with_name("werkbladen")
    code, out, err, secs, mib = run([str(exe), "extract", str(path)], timeout)
    if code is None:
        return Row(path.name, "KILLED", secs, mib, f"no answer within {timeout:.0f} s")
    try:
        data = json.loads(out)
        record = data[0] if isinstance(data, list) else data
        status, reason = record["status"], record.get("reason") or ""
    except (ValueError, KeyError, IndexError, TypeError):
        status, reason = f"exit {code}", " ".join((err or out).split())[:100]
    if "Traceback" in err:
        status += " +TRACEBACK"
    return Row(path.name, status, secs, mib, reason)


def pypdf_row(path: Path, timeout: float) -> Row:
    code, out, err, secs, mib = run([sys.executable, "-c", PYPDF_SNIPPET, str(path)], timeout)
    if code is None:
        return Row(path.name, "KILLED", secs, mib, f"no answer within {timeout:.0f} s")
    text = out.strip() or " ".join(err.split())[-100:]
    status = "read" if text.endswith("fields") or text == "no form" else "raised"
    return Row(path.name, status, secs, mib, text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["werkbladen", "pypdf"], default="werkbladen")
    parser.add_argument("--timeout", type=float, default=120.0, help="kill a child after this many seconds")
    parser.add_argument("--blank", type=Path, help="blank werkblad to fill and damage (default: own crafted)")
    parser.add_argument("--no-corpus", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        # Crafting in a child keeps this process small: a forked child's peak RSS starts at its parent's.
        maker = [sys.executable, str(REPO / "tests" / "hostile" / "make_hostile.py"), tmp]
        subprocess.run([*maker, *([str(args.blank)] if args.blank else [])], check=True, capture_output=True)
        files = sorted(Path(tmp).glob("good_*.pdf")) + sorted(
            (p for p in Path(tmp).glob("*.pdf") if not p.name.startswith("good_")),
            key=lambda p: p.stat().st_mtime,
        )
        if not args.no_corpus:
            files += sorted(CORPUS.glob("*.pdf"))
        measure = werkbladen_row if args.engine == "werkbladen" else pypdf_row
        rows = []
        print(f"{'file':<48} {'status':<16} {'seconds':>8} {'peak MiB':>9}  reason")
        for path in files:
            row = measure(path, args.timeout)
            rows.append(row)
            cells = f"{row.file:<48} {row.status:<16} {row.seconds:>8.2f} {row.peak_mib:>9.1f}"
            print(f"{cells}  {row.reason[:100]}")
            sys.stdout.flush()
    slowest = max(rows, key=lambda r: r.seconds)
    biggest = max(rows, key=lambda r: r.peak_mib)
    print(f"worst time:   {slowest.seconds:.2f} s  ({slowest.file})")
    print(f"worst memory: {biggest.peak_mib:.1f} MiB  ({biggest.file})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
