"""The cases: build, extract one file, batch, the workbook, and import time; each gives rows and facts.

A case measures commands through :func:`.measure.measure` (fresh children, interleaved when they
are compared) and, where it says so, the same work inside this process, warm, to show what is
start-up and imports. Facts are what the verdicts (:func:`.report.verdicts`) judge.
"""

from __future__ import annotations

import csv
import re
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import calls
from .inputs import inbox
from .measure import CommandFailed, Run, Tools, interleaved, measure, median, pair_ratio
from .report import Row, row_from_runs, secs

BARE_PYPDF_ONE = "import sys, pypdf; pypdf.PdfReader(sys.argv[1]).get_fields()"
BARE_PYPDF_LOOP = "import sys, pypdf\nfor p in sys.argv[1:]:\n    pypdf.PdfReader(p).get_fields()"


# ---------------------------------------------------------------- build


def bench_build(
    tools: Tools, work: Path, repeat: int, *, in_process: bool = True
) -> tuple[list[Row], Path, dict[str, Any]]:
    """The whole ``werkbladen build`` as a process, then each PDF rendered in this process."""
    out = work / "build"
    runs = interleaved({"build": lambda: measure([*tools.werkbladen, "build", "-o", str(out)])}, repeat)
    rows = [row_from_runs("build", "`werkbladen build -o TMP` (process)", runs["build"])]
    facts: dict[str, Any] = {"build_wall": rows[0].wall, "build_cpu": rows[0].cpu}
    facts["werkboek_bytes"] = (out / "werkboek.pdf").stat().st_size
    if not in_process:
        return rows, out, facts

    renders = calls.renders(calls.shipped_werkboek())
    first = {}
    for name, render in renders.items():  # the first render of each pays for font and style set-up
        start = time.perf_counter()
        render()
        first[name] = time.perf_counter() - start
    timings: dict[str, list[float]] = {name: [] for name in renders}
    sizes: dict[str, int] = {}
    for r in range(repeat):
        names = list(renders)
        for name in names[r % len(names) :] + names[: r % len(names)]:
            start = time.perf_counter()
            data = renders[name]()
            timings[name].append(time.perf_counter() - start)
            sizes[name] = len(data)
    for name in renders:
        on_disk = (out / name).stat().st_size
        rows.append(
            Row(
                "build",
                f"render {name} (in process, warm; first {secs(first[name])})",
                repeat,
                wall=median(timings[name]),
                size=on_disk,
            )
        )
        assert sizes[name] == on_disk, f"{name}: in-process render and the build differ in size"
    total = sum(median(t) for t in timings.values())
    rows.append(Row("build", "render all 8 (in process, warm, sum of medians)", repeat, wall=total))
    facts["sizes"] = sizes
    return rows, out, facts


# ---------------------------------------------------------------- extract one file


def bench_extract(tools: Tools, filled: Path, repeat: int) -> tuple[list[Row], dict[str, Any]]:
    cases: dict[str, Callable[[], Run]] = {
        "cli": lambda: measure([*tools.werkbladen, "extract", str(filled)]),
        "pypdf": lambda: measure([tools.python, "-c", BARE_PYPDF_ONE, str(filled)]),
    }
    if tools.pdftk:
        pdftk = tools.pdftk
        cases["pdftk"] = lambda: measure([pdftk, str(filled), "dump_data_fields_utf8"])
    runs = interleaved(cases, repeat)
    vs_pypdf = pair_ratio(runs["cli"], runs["pypdf"])
    cpu_vs_pypdf = pair_ratio(runs["cli"], runs["pypdf"], "cpu")
    ratio = f"CLI/pypdf {vs_pypdf:.2f}× (CPU {cpu_vs_pypdf:.2f}×)"
    facts: dict[str, Any] = {"cli_vs_pypdf": vs_pypdf, "cli_vs_pypdf_cpu": cpu_vs_pypdf}
    if "pdftk" in runs:
        vs_pdftk = pair_ratio(runs["cli"], runs["pdftk"])
        ratio += f"; CLI/pdftk {vs_pdftk:.2f}×"
        facts["cli_vs_pdftk"] = vs_pdftk
    size = filled.stat().st_size
    rows = [
        row_from_runs(
            "extract", "`werkbladen extract FILE` (JSON to stdout)", runs["cli"], size=size, ratio=ratio
        ),
        row_from_runs("extract", "bare pypdf `PdfReader(f).get_fields()`", runs["pypdf"], size=size),
    ]
    if "pdftk" in runs:
        rows.append(row_from_runs("extract", "`pdftk FILE dump_data_fields_utf8`", runs["pdftk"], size=size))
    rows.extend(_in_process_extract(filled, repeat))
    return rows, facts


def _in_process_extract(filled: Path, repeat: int) -> list[Row]:
    """The same file read inside this process, warm: the work without start-up and imports."""
    import pypdf

    extract = calls.extract_reader(calls.shipped_werkboek())
    status = extract(filled).status  # warm: content, answer models
    assert status in ("ok", "warnings"), status
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(max(repeat, 3)):
        start = time.perf_counter()
        extract(filled).to_record()
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        pypdf.PdfReader(filled).get_fields()
        bare.append(time.perf_counter() - start)
    ratio = median([a / b for a, b in zip(ours, bare, strict=True)])
    return [
        Row(
            "extract",
            "`extract(FILE).to_record()` in process, warm",
            len(ours),
            wall=median(ours),
            ratio=f"/pypdf {ratio:.2f}×",
        ),
        Row("extract", "`PdfReader(FILE).get_fields()` in process, warm", len(bare), wall=median(bare)),
    ]


# ---------------------------------------------------------------- batch


def _check_csv(path: Path, n: int, read: frozenset[str] = frozenset({"ok", "warnings"})) -> dict[str, int]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        rows = list(csv.DictReader(fh, delimiter=";" if sample.count(";") > sample.count(",") else ","))
    statuses: dict[str, int] = {}
    for row in rows:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    if len(rows) != n or set(statuses) - read:
        raise CommandFailed(
            f"{path}: expected {n} rows read ({', '.join(sorted(read))}), found {len(rows)}: {statuses}"
        )
    return statuses


BATCH_CASES = ("xlsx-j2", "xlsx-j1", "csv-j2", "csv-j1", "pypdf")
LARGE_CASES = ("xlsx-j2",)
"""Above ``full_up_to`` files only these run: the rest grows linearly and would take ten minutes."""


def bench_batch(
    tools: Tools,
    sources: Sequence[Path],
    work: Path,
    sizes: Sequence[int],
    rounds_for: Callable[[int], int],
    full_up_to: int,
) -> tuple[list[Row], dict[str, Any]]:
    rows: list[Row] = []
    facts: dict[str, Any] = {"per_n": {}}
    for n in sizes:
        paths = inbox(sources, work / f"inbox-{n}", n)
        out = work / f"out-{n}"
        out.mkdir(exist_ok=True)

        def cli(fmt: str, jobs: int, paths: list[str] = paths, out: Path = out) -> Run:
            target = out / f"answers-j{jobs}.{fmt}"
            run = measure(
                [*tools.werkbladen, "extract", *paths, "-o", str(target), "--jobs", str(jobs)], sample=True
            )
            if not target.exists() or target.stat().st_size == 0:
                raise CommandFailed(f"{target} was not written")
            return run

        every: dict[str, Callable[[], Run]] = {
            "xlsx-j2": lambda: cli("xlsx", 2),
            "xlsx-j1": lambda: cli("xlsx", 1),
            "csv-j2": lambda: cli("csv", 2),
            "csv-j1": lambda: cli("csv", 1),
            "pypdf": lambda paths=paths: measure([tools.python, "-c", BARE_PYPDF_LOOP, *paths], sample=True),
        }
        chosen = BATCH_CASES if n <= full_up_to else LARGE_CASES
        cases = {name: every[name] for name in chosen}
        rounds = rounds_for(n)
        runs = interleaved(cases, rounds)
        csvs = sorted(out.glob("answers-*.csv"))
        statuses = _check_csv(csvs[0], n) if csvs else {}
        labels = {
            "xlsx-j2": "`extract FILES -o out.xlsx --jobs 2`",
            "xlsx-j1": "`extract FILES -o out.xlsx --jobs 1`",
            "csv-j2": "`extract FILES -o out.csv --jobs 2`",
            "csv-j1": "`extract FILES -o out.csv --jobs 1`",
            "pypdf": "bare pypdf loop, 1 process",
        }
        per: dict[str, Any] = {"rounds": rounds, "statuses": statuses}
        for name, label in labels.items():
            if name not in runs:
                continue
            ratio = ""
            if name != "pypdf" and "pypdf" in runs:
                speed = 1 / pair_ratio(runs[name], runs["pypdf"])
                ratio = f"{speed:.2f}× pypdf's files/s"
            row = row_from_runs(f"batch N={n:,}", label, runs[name], files=n, ratio=ratio)
            rows.append(row)
            per[name] = {
                "files_per_s": row.files_per_s,
                "ms_per_file": row.ms_per_file,
                "cpu_ms_per_file": row.cpu_ms_per_file,
                "tree_rss": row.tree_rss,
                "tree_pss": row.tree_pss,
                "maxrss": row.maxrss,
            }
        facts["per_n"][n] = per
    return rows, facts


# ---------------------------------------------------------------- the workbook for people


def bench_workbook(
    tools: Tools, sources: Sequence[Path], work: Path, n: int, rounds: int
) -> tuple[list[Row], dict[str, Any]]:
    """The people's workbook against the wide (machine) XLSX for the same ``n`` forms, side by side.

    Twice: the whole ``extract FILES -o x.xlsx`` (what the coordinator waits for), and the writer
    alone, a fresh process writing the same records from JSON Lines (what the layout costs).
    """
    paths = inbox(sources, work / f"inbox-{n}", n)
    out = work / f"workbook-{n}"
    out.mkdir(exist_ok=True)
    records = out / "records.jsonl"
    measure([*tools.werkbladen, "extract", *paths, "-o", str(records)])

    def cli(layout: str) -> Run:
        target = out / f"cli-{layout}.xlsx"
        return measure(
            [*tools.werkbladen, "extract", *paths, "-o", str(target), "--layout", layout, "--jobs", "2"],
            sample=True,
        )

    def writer(layout: str) -> Run:
        target = str(out / f"writer-{layout}.xlsx")
        return measure([tools.python, "-c", calls.write_xlsx_snippet(str(records), target, layout)])

    runs = interleaved(
        {
            "cli-people": lambda: cli("people"),
            "cli-machine": lambda: cli("machine"),
            "writer-people": lambda: writer("people"),
            "writer-machine": lambda: writer("machine"),
        },
        rounds,
    )
    facts: dict[str, Any] = {"n": n, "rounds": rounds}
    rows = []
    labels = {
        "cli": f"`extract {n:,} FILES -o x.xlsx` (--jobs 2)",
        "writer": f"write {n:,} records as XLSX (fresh process, from JSON Lines)",
    }
    for kind, label in labels.items():
        wall = pair_ratio(runs[f"{kind}-people"], runs[f"{kind}-machine"])
        cpu = pair_ratio(runs[f"{kind}-people"], runs[f"{kind}-machine"], "cpu")
        facts[f"{kind}_ratio"], facts[f"{kind}_cpu_ratio"] = wall, cpu
        for layout in ("people", "machine"):
            name = f"{kind}-{layout}"
            size = (out / f"{kind}-{layout}.xlsx").stat().st_size
            ratio = f"people/machine {wall:.2f}× (CPU {cpu:.2f}×)" if layout == "people" else ""
            rows.append(
                row_from_runs(
                    f"workbook N={n:,}", f"{label}, --layout {layout}", runs[name], size=size, ratio=ratio
                )
            )
            facts[name] = {"wall": rows[-1].wall, "cpu": rows[-1].cpu, "bytes": size}
    return rows, facts


# ---------------------------------------------------------------- flattened forms


def flattened_copies(sources: Sequence[Path], folder: Path) -> list[Path]:
    """The same filled werkboeken flattened by PyMuPDF's ``bake()`` (pdftk's ``flatten`` without it)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for source in sources:
        target = folder / source.name
        if not target.exists():
            try:
                import pymupdf

                doc = pymupdf.open(source)
                doc.bake()
                doc.save(target)
            except ImportError:
                subprocess.run(["pdftk", str(source), "output", str(target), "flatten"], check=True)
        out.append(target)
    return out


def bench_flattened(
    tools: Tools,
    repeated: Sequence[Path],
    distinct: Sequence[Path],
    work: Path,
    n: int,
    rounds: int,
) -> tuple[list[Row], dict[str, Any]]:
    """Batches of N flattened werkboeken against the same N fillable ones, interleaved round by round.

    The flattened ones are read from the page (status ``recovered``); the target is their cost in
    a batch: at most 5× the fillable ones (issue 13), CPU and wall. It is measured on N distinct
    forms, as an inbox holds them, and at the margin: what the N − n forms beyond a batch of the
    first n cost, which is what a form adds to a batch of any size (the command's start and its
    workers' are paid once; the page reader's are dearer, so the batch ratio flatters it). The
    same is measured on the 24 forms repeated to N (hard links, as the other batch cases do), for
    comparison with earlier runs: the fillable reader reads a byte-identical file again for a
    third of the cost, the page reader does not.
    """
    small = max(2, n // 10)
    batches: dict[str, list[str]] = {}
    for label, sources in (("distinct", distinct), ("repeated", repeated)):
        flat = flattened_copies(sources, work / f"flattened-{label}-sources")
        batches[f"fillable-{label}"] = inbox(sources, work / f"fillable-{label}-{n}", n)
        batches[f"flattened-{label}"] = inbox(flat, work / f"flattened-{label}-{n}", n)
    for kind in ("fillable", "flattened"):
        batches[f"{kind}-first"] = batches[f"{kind}-distinct"][:small]
    out = work / f"out-flattened-{n}"
    out.mkdir(exist_ok=True)

    def cli(name: str) -> Run:
        target = out / f"{name}.csv"
        return measure(
            [*tools.werkbladen, "extract", *batches[name], "-o", str(target), "--jobs", "2"], sample=True
        )

    runs = interleaved({name: (lambda name=name: cli(name)) for name in batches}, rounds)
    margin: dict[str, Any] = {}
    for kind in ("fillable", "flattened"):
        for key in ("wall", "cpu"):  # per round: what the forms beyond the first cost, a form
            margin[f"{kind}_{key}_ms"] = [
                1000 * (getattr(a, key) - getattr(b, key)) / (n - small)
                for a, b in zip(runs[f"{kind}-distinct"], runs[f"{kind}-first"], strict=True)
            ]
    for key in ("wall", "cpu"):
        margin[f"{key}_ratio"] = median(
            [f / g for f, g in zip(margin[f"flattened_{key}_ms"], margin[f"fillable_{key}_ms"], strict=True)]
        )
    rows: list[Row] = []
    facts: dict[str, Any] = {"n": n, "small": small, "rounds": rounds, "margin": margin}
    for label, size, what in (
        ("distinct", n, f"{len(set(distinct)):,} distinct"),
        ("repeated", n, f"{len(set(repeated)):,} repeated to {n:,}"),
        ("first", small, f"the first {small:,} of the distinct"),
    ):
        fillable, flattened = runs[f"fillable-{label}"], runs[f"flattened-{label}"]
        wall, cpu = pair_ratio(flattened, fillable), pair_ratio(flattened, fillable, "cpu")
        ratio = f"/fillable {wall:.2f}× wall, {cpu:.2f}× CPU"
        if label == "first":
            ratio += (
                f"; the forms {small + 1:,}–{n:,} beyond them: {margin['wall_ratio']:.2f}× wall, "
                f"{margin['cpu_ratio']:.2f}× CPU ({median(margin['flattened_cpu_ms']):.1f} against "
                f"{median(margin['fillable_cpu_ms']):.1f} ms CPU a form)"
            )
        section = f"flattened N={size:,}, {what}"
        rows += [
            row_from_runs(section, "`extract FILLABLE -o out.csv --jobs 2`", fillable, files=size),
            row_from_runs(
                section,
                "`extract FLATTENED -o out.csv --jobs 2` (read from the page)",
                flattened,
                files=size,
                ratio=ratio,
            ),
        ]
        facts[label] = {
            "wall_ratio": wall,
            "cpu_ratio": cpu,
            "statuses": {
                "fillable": _check_csv(out / f"fillable-{label}.csv", size),
                "flattened": _check_csv(out / f"flattened-{label}.csv", size, frozenset({"recovered"})),
            },
        }
    facts["wall_ratio"], facts["cpu_ratio"] = facts["distinct"]["wall_ratio"], facts["distinct"]["cpu_ratio"]
    return rows, facts


# ---------------------------------------------------------------- import time

_IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)\s*$")


def parse_importtime(text: str) -> list[tuple[str, int, int, int]]:
    """(module, self µs, cumulative µs, depth) for each ``-X importtime`` line."""
    found = []
    for line in text.splitlines():
        match = _IMPORT_LINE.match(line)
        if match:
            self_us, cumulative, indent, module = match.groups()
            found.append((module, int(self_us), int(cumulative), (len(indent) - 1) // 2))
    return found


def bench_imports(tools: Tools, filled: Path, work: Path, repeat: int) -> tuple[list[Row], dict[str, Any]]:
    """``werkbladen extract`` (to JSON and to XLSX) under ``-X importtime``: what the extract path loads."""
    rows: list[Row] = []
    facts: dict[str, Any] = {}
    variants = {"json": [str(filled)], "xlsx": [str(filled), "-o", str(work / "imports.xlsx")]}
    for fmt, args in variants.items():
        code = calls.cli_snippet(["extract", *args])
        totals: list[float] = []
        modules: list[tuple[str, int, int, int]] = []
        for _ in range(repeat):
            with tempfile.TemporaryFile() as err:
                proc = subprocess.run(
                    [tools.python, "-X", "importtime", "-c", code],
                    stdout=subprocess.DEVNULL,
                    stderr=err,
                    check=False,
                )
                err.seek(0)
                text = err.read().decode("utf-8", "replace")
            if proc.returncode != 0:
                raise CommandFailed(f"importtime run for {fmt} exited {proc.returncode}:\n{text[-2000:]}")
            found = parse_importtime(text)
            totals.append(sum(m[1] for m in found) / 1e6)
            if not modules or totals[-1] == median(totals):
                modules = found
        total = median(totals)
        reportlab = sorted({m[0] for m in modules if m[0] == "reportlab" or m[0].startswith("reportlab.")})
        top_self = sorted(modules, key=lambda m: -m[1])[:5]
        top_level = sorted((m for m in modules if m[3] == 0), key=lambda m: -m[2])[:5]
        verdict = "PASS" if not reportlab else "FAIL"
        rows.append(
            Row(
                "imports",
                f"`werkbladen extract` → {fmt.upper()}: sum of self times, {len(modules)} modules; "
                f"no reportlab: {verdict}",
                repeat,
                wall=total,
                ratio="top cumulative: " + ", ".join(f"{m[0]} {m[2] / 1000:.0f} ms" for m in top_level),
            )
        )
        facts[fmt] = {
            "total_s": total,
            "modules": len(modules),
            "reportlab": reportlab,
            "no_reportlab": verdict,
            "top_self": [(m[0], m[1]) for m in top_self],
            "top_cumulative": [(m[0], m[2]) for m in top_level],
        }
    return rows, facts


# ---------------------------------------------------------------- report


def bench_report(
    tools: Tools, sources: Sequence[Path], work: Path, n: int, rounds: int
) -> tuple[list[Row], dict[str, Any]]:
    """``werkbladen report`` of N filled werkboeken side by side with ``extract -o x.xlsx`` of the same files.

    The report reads the files as extract does, then lays out every answer of every form; the
    ratio says what the layout costs on top of reading them.
    """
    paths = inbox(sources, work / f"inbox-{n}", n)
    out = work / f"report-{n}"
    out.mkdir(exist_ok=True)
    pdf, xlsx = out / "overzicht.pdf", out / "x.xlsx"
    cases: dict[str, Callable[[], Run]] = {
        "report": lambda: measure([*tools.werkbladen, "report", *paths, "-o", str(pdf)], sample=True),
        "xlsx": lambda: measure([*tools.werkbladen, "extract", *paths, "-o", str(xlsx)], sample=True),
    }
    runs = interleaved(cases, rounds)
    for target in (pdf, xlsx):
        if not target.exists() or target.stat().st_size == 0:
            raise CommandFailed(f"{target} was not written")
    ratio = pair_ratio(runs["report"], runs["xlsx"])
    pages = _pdf_pages(pdf)
    section = f"report N={n:,}"
    rows = [
        row_from_runs(
            section,
            f"`report FILES -o overzicht.pdf` ({pages:,} pages)",
            runs["report"],
            files=n,
            size=pdf.stat().st_size,
            ratio=f"report/extract {ratio:.2f}×",
        ),
        row_from_runs(section, "`extract FILES -o x.xlsx`", runs["xlsx"], files=n, size=xlsx.stat().st_size),
    ]
    facts = {
        "n": n,
        "report_wall": rows[0].wall,
        "extract_wall": rows[1].wall,
        "ratio": ratio,
        "pages": pages,
    }
    return rows, facts


def _pdf_pages(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages)
