"""The inbox case (issue 10): a folder of distinct forms filled by several engines, read into XLSX.

* **Speed**: ``extract FOLDER -o out.xlsx`` over 1,000 *distinct* werkboeken (each its own seeded
  random answers, filled by pypdf, PyMuPDF and pdftk in turn — three engines' ways of saving, so
  the reader's fast path and its pypdf path both run), side by side with a bare two-process
  pypdf pool that only calls ``get_fields()``: the target is ≥ 6× its speed.
* **The inbox's own cost**: the same files named as arguments (no walk) against the folder;
  and, in this process, what hashing (SHA-256) and settling (duplicates, resends, conflicts) cost
  per record: the target is ≤ 5 % over the arguments.
* **Memory**: a folder of 20,000 forms (the distinct ones linked in turn), the peak summed RSS
  and PSS of the whole process tree: the target is < 200 MB.

The distinct forms are made once (two processes; pdftk is a JVM start per form) and cached.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from . import calls
from .inputs import inbox
from .measure import REPO, CommandFailed, Run, Tools, interleaved, measure, median, pair_ratio
from .report import Row, row_from_runs

sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tests" / "engines"))

ENGINES = ("pypdf", "mupdf", "pdftk-xfdf")
"""The fillers, in turn: pypdf's writer, PyMuPDF's widgets, pdftk's fill_form (Java)."""

BARE_POOL = (
    "import sys, os, pypdf, multiprocessing as mp\n"
    "def read(p):\n"
    "    pypdf.PdfReader(p).get_fields()\n"
    "if __name__ == '__main__':\n"
    "    folder = sys.argv[1]\n"
    "    paths = sorted(os.path.join(folder, n) for n in os.listdir(folder))\n"
    "    with mp.get_context('fork').Pool(2) as pool:\n"
    "        pool.map(read, paths, chunksize=8)\n"
)
"""The baseline: what a coordinator could write in ten lines, with both cores."""


def _fill_one(job: tuple[str, str, int, str]) -> str:
    """One distinct werkboek: seeded answers, filled by one engine (in a pool worker)."""
    import drivers
    import formkit
    from values import flat_answers

    blank, engine, seed, out = job
    werkboek = calls.shipped_werkboek()
    record = formkit.random_answers(werkboek, seed)
    values = {
        k: v for k, v in flat_answers(record).items() if isinstance(v, str | bool) and v not in ("", None)
    }
    drivers.fill_with(engine, Path(blank), values, Path(out))
    return out


def distinct_forms(blank: Path, cache: Path, n: int) -> list[Path]:
    """``n`` distinct filled werkboeken, made once per blank and kept in ``cache``."""
    import drivers

    missing = [e for e in ENGINES if drivers.available(e) is not None]
    if missing:
        raise CommandFailed(f"cannot fill with {missing}: {[drivers.available(e) for e in missing]}")
    key = hashlib.sha256(blank.read_bytes()).hexdigest()[:16]
    folder = cache / f"distinct-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    paths = []
    for seed in range(n):
        path = folder / f"{seed:05d}-{ENGINES[seed % len(ENGINES)]}.pdf"
        paths.append(path)
        if not path.exists():
            jobs.append((str(blank), ENGINES[seed % len(ENGINES)], 10_000 + seed, str(path)))
    if jobs:
        started = time.perf_counter()
        with ProcessPoolExecutor(2) as pool:
            for done in pool.map(_fill_one, jobs, chunksize=4):
                if not Path(done).exists():
                    raise CommandFailed(f"{done} was not written")
        print(
            f"filled {len(jobs)} distinct werkboeken in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    return paths


def _folder_of(paths: Sequence[Path], folder: Path) -> Path:
    if not folder.exists():
        folder.mkdir(parents=True)
        for path in paths:
            try:
                os.link(path, folder / path.name)
            except OSError:
                shutil.copyfile(path, folder / path.name)
    return folder


def bench_inbox(
    tools: Tools, blank: Path, work: Path, cache: Path, n: int, rounds: int, large: int
) -> tuple[list[Row], dict[str, Any]]:
    forms = distinct_forms(blank, cache, n)
    folder = _folder_of(forms, work / f"inbox-distinct-{n}")
    out = work / "out-inbox"
    out.mkdir(exist_ok=True)

    def extract(*inputs: str) -> Callable[[], Run]:
        target = out / "antwoorden.xlsx"

        def run() -> Run:
            measured = measure([*tools.werkbladen, "extract", *inputs, "-o", str(target)], sample=True)
            if not target.exists():
                raise CommandFailed(f"{target} was not written")
            return measured

        return run

    names = sorted(str(folder / p.name) for p in forms)
    cases = {
        "folder": extract(str(folder)),
        "arguments": extract(*names),
        "pool": lambda: measure([tools.python, "-c", BARE_POOL, str(folder)], sample=True),
    }
    runs = interleaved(cases, rounds)
    speed = 1 / pair_ratio(runs["folder"], runs["pool"])
    walk = pair_ratio(runs["folder"], runs["arguments"])
    hashing, settling, reading = _in_process_costs(forms[:200])
    rows = [
        row_from_runs(
            f"inbox N={n:,}",
            "`extract FOLDER -o out.xlsx` (distinct forms)",
            runs["folder"],
            files=n,
            ratio=f"{speed:.2f}× the pool's files/s",
        ),
        row_from_runs(
            f"inbox N={n:,}",
            "`extract FILES… -o out.xlsx`",
            runs["arguments"],
            files=n,
            ratio=f"folder: {walk:.3f}× this",
        ),
        row_from_runs(f"inbox N={n:,}", "bare pypdf `get_fields()`, 2-process pool", runs["pool"], files=n),
    ]
    facts: dict[str, Any] = {
        "n": n,
        "vs_pool": speed,
        "folder_vs_arguments": walk,
        "sha256_ms_per_file": hashing * 1000,
        "settle_ms_per_file": settling * 1000,
        "read_ms_per_file": reading * 1000,
        "inbox_share": (hashing + settling) / reading,
    }
    if large:
        big = inbox(forms, work / f"inbox-large-{large}", large)
        run = measure(
            [*tools.werkbladen, "extract", str(Path(big[0]).parent), "-o", str(out / "groot.xlsx")],
            sample=True,
        )
        rows.append(row_from_runs(f"inbox N={large:,}", "`extract FOLDER -o out.xlsx`", [run], files=large))
        facts["large"] = {"n": large, "tree_rss": run.tree_rss, "tree_pss": run.tree_pss, "wall": run.wall}
    return rows, facts


def _in_process_costs(sample: Sequence[Path]) -> tuple[float, float, float]:
    """Seconds per file of hashing, of settling the records, and of reading (the fast path), warm."""
    werkboek = calls.shipped_werkboek()
    read = calls.extract_reader(werkboek)
    datas = [p.read_bytes() for p in sample]
    records = [read(p).to_record() for p in sample]
    started = time.perf_counter()
    for data in datas:
        hashlib.sha256(data).hexdigest()
    hashing = (time.perf_counter() - started) / len(datas)
    settle = calls.settle()
    times = []
    for _ in range(5):
        started = time.perf_counter()
        for _record in settle([dict(r) for r in records]):
            pass
        times.append((time.perf_counter() - started) / len(records))
    started = time.perf_counter()
    for path in sample:
        read(path)
    reading = (time.perf_counter() - started) / len(sample)
    return hashing, median(times), reading
