#!/usr/bin/env python3
"""Benchmarks of build, extract and batch, side by side with bare pypdf and pdftk.

    python scripts/bench.py                     # the full run (several minutes), as in docs/benchmarks.md
    python scripts/bench.py --quick             # a smoke run: every case once, N=10
    python scripts/bench.py --only batch --sizes 100,1000 --json bench.json
    python scripts/bench.py --only workbook     # the people's workbook against the wide XLSX, 1,000 forms
    python scripts/bench.py --only flattened    # 100 flattened werkboeken against 100 fillable; the margin

In short (the why is in the modules of ``benchkit/`` beside this script): every measured command
runs in a fresh child process under ``/usr/bin/time``, and cases that are compared run interleaved,
their ratios taken round by round (:mod:`benchkit.measure`); the reads are measured on werkboeken
filled once from the tests' seeded random answers, ``tests/formkit.py``, and cached
(:mod:`benchkit.inputs`). :mod:`benchkit.cases` holds the cases, :mod:`benchkit.report` the table
and the verdicts, :mod:`benchkit.calls` every call into ``werkbladen``'s modules. This file is the
command line and the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchkit.cases import (
    bench_batch,
    bench_build,
    bench_extract,
    bench_flattened,
    bench_imports,
    bench_report,
    bench_workbook,
)
from benchkit.inbox import bench_inbox
from benchkit.inputs import default_cache, filled_cache
from benchkit.measure import Tools
from benchkit.report import Row, render_table, verdicts


def machine() -> dict[str, Any]:
    cpu = "unknown"
    mem = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = (float("nan"),) * 3
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem / 1024**3, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_at_start": [round(x, 2) for x in load],
    }


def wait_until_idle(seconds: float) -> float:
    """Wait up to ``seconds`` for the 1-minute load average to drop below 0.5; return it."""
    deadline = time.monotonic() + seconds
    load = os.getloadavg()[0]
    while load >= 0.5 and time.monotonic() < deadline:
        time.sleep(5)
        load = os.getloadavg()[0]
    return load


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: N=10, one round of everything")
    parser.add_argument(
        "--repeat", type=int, help="rounds for build, extract and imports (default 7, quick 1)"
    )
    parser.add_argument("--sizes", help="batch sizes, comma-separated (default 100,1000,5000; quick 10)")
    parser.add_argument(
        "--batch-rounds",
        help="rounds per batch size as N:R,... (default 100:3; every other size: 1)",
    )
    parser.add_argument(
        "--full-up-to",
        type=int,
        default=1000,
        help="largest N that runs every batch case; larger N run only --jobs 2 (default 1000)",
    )
    parser.add_argument(
        "--only",
        choices=["build", "extract", "batch", "imports", "report", "inbox", "workbook", "flattened"],
        action="append",
    )
    parser.add_argument(
        "--report-size", type=int, help="werkboeken in the report case (default 100, quick 10)"
    )
    parser.add_argument(
        "--inbox", type=int, default=1000, help="distinct forms of the inbox case (default 1000, quick 12)"
    )
    parser.add_argument(
        "--inbox-large",
        type=int,
        default=20000,
        help="forms in the inbox memory case (default 20000, quick 0: left out)",
    )
    parser.add_argument(
        "--workbook-size", type=int, help="forms for the workbook case (default 1000, quick 10)"
    )
    parser.add_argument(
        "--workbook-rounds", type=int, help="rounds of the workbook case (default 3, quick 1)"
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--distinct", type=int, help="distinct filled werkboeken (default 24, quick 3)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=default_cache(),
        help="where the filled werkboeken are kept (default $XDG_CACHE_HOME/werkbladen-bench)",
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="first wait up to SECONDS for the machine to be idle (load average < 0.5)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 7)
    sizes = (
        [int(s) for s in args.sizes.split(",")] if args.sizes else ([10] if args.quick else [100, 1000, 5000])
    )
    rounds = {100: 3}
    if args.batch_rounds:
        rounds = {int(k): int(v) for k, v in (p.split(":") for p in args.batch_rounds.split(","))}
    distinct = args.distinct or (3 if args.quick else 24)
    only = set(
        args.only or ["build", "extract", "batch", "imports", "report", "inbox", "workbook", "flattened"]
    )
    report_size = args.report_size or (10 if args.quick else 100)
    if args.wait_idle:
        wait_until_idle(args.wait_idle)
    tools = Tools.find()
    info = machine()
    info["werkbladen"] = " ".join(tools.werkbladen)
    info["python_exe"] = tools.python
    import pypdf

    info["pypdf"] = pypdf.__version__
    facts: dict[str, Any] = {}
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="werkbladen-bench-") as tmp:
        work = Path(tmp)
        measured = "build" in only
        build_rows, built, build_facts = bench_build(
            tools, work, repeat if measured else 1, in_process=measured
        )
        if measured:
            rows += build_rows
            facts["build"] = build_facts
        needs_filled = only & {"extract", "batch", "imports", "report", "workbook", "flattened"}
        sources = filled_cache(built / "werkboek.pdf", args.cache, distinct) if needs_filled else []
        full = max(sources, key=lambda p: p.stat().st_size) if sources else None
        if "extract" in only and full:
            extract_rows, facts["extract"] = bench_extract(tools, full, repeat)
            rows += extract_rows
        if "batch" in only and sources:
            batch_rows, facts["batch"] = bench_batch(
                tools, sources, work, sizes, lambda n: rounds.get(n, 1), args.full_up_to
            )
            rows += batch_rows
        if "report" in only and sources:
            report_rows, facts["report"] = bench_report(
                tools, sources, work, report_size, rounds.get(report_size, 1)
            )
            rows += report_rows
        if "workbook" in only and sources:
            n = args.workbook_size or (10 if args.quick else 1000)
            rounds_w = args.workbook_rounds or (1 if args.quick else 3)
            workbook_rows, facts["workbook"] = bench_workbook(tools, sources, work, n, rounds_w)
            rows += workbook_rows
        if "flattened" in only and sources:
            n = 10 if args.quick else 100
            distinct_sources = filled_cache(built / "werkboek.pdf", args.cache, n)
            flat_rows, facts["flattened"] = bench_flattened(
                tools, sources, distinct_sources, work, n, 1 if args.quick else 3
            )
            rows += flat_rows
        if "imports" in only and full:
            import_rows, facts["imports"] = bench_imports(tools, full, work, repeat)
            rows += import_rows
        if "inbox" in only:
            inbox_rows, facts["inbox"] = bench_inbox(
                tools,
                built / "werkboek.pdf",
                work,
                args.cache,
                12 if args.quick else args.inbox,
                1 if args.quick else 3,
                0 if args.quick else args.inbox_large,
            )
            rows += inbox_rows
    info["seconds"] = round(time.perf_counter() - started, 1)
    info["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    targets = verdicts(facts, sizes)

    print(f"werkbladen benchmarks — {info['date']}")
    print(
        f"machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram_gb']} GB RAM, Python {info['python']}, "
        f"pypdf {info['pypdf']}; load average {info['loadavg_at_start']} at start, "
        f"{info['loadavg_at_end']} at end"
    )
    print(f"command: {info['werkbladen']}; {distinct} distinct filled werkboeken; took {info['seconds']} s\n")
    print(render_table(rows))
    print()
    for name, measured_value, verdict in targets:
        print(f"{verdict:<4}  {name}: {measured_value}")
    if args.json:
        payload = {"machine": info, "rows": [asdict(r) for r in rows], "facts": facts, "targets": targets}
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
