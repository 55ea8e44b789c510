"""The results: one :class:`Row` per measured case, the Markdown table, and the verdicts.

The table is what ``docs/benchmarks.md`` shows; the verdicts hold the measurements to the
targets of the issue (build, blank size, extract against pypdf and pdftk, batch speed, peak
memory, linearity in N, the people's workbook against the wide XLSX, no ReportLab on the extract
path).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .measure import Run, median

MB = 1024 * 1024

TARGETS = {
    "build_wall": 1.0,
    "werkboek_bytes": 400 * 1024,
    "cli_vs_pypdf": 1.3,
    "cli_vs_pdftk": 1.0,
    "files_per_s": 100.0,
    "peak_mb": 300.0,
    "linear": 1.2,
    "report_wall": 3.0,
    "report_vs_extract": 3.0,
    "workbook": 1.2,
    "flattened": 5.0,
}

# ---------------------------------------------------------------- the table


@dataclass
class Row:
    section: str
    case: str
    runs: int
    wall: float | None = None
    cpu: float | None = None
    files_per_s: float | None = None
    ms_per_file: float | None = None
    cpu_ms_per_file: float | None = None
    tree_rss: int | None = None
    tree_pss: int | None = None
    maxrss: int | None = None
    size: int | None = None
    ratio: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def row_from_runs(section: str, case: str, runs: Sequence[Run], files: int | None = None, **kw: Any) -> Row:
    wall = median([r.wall for r in runs])
    row = Row(
        section,
        case,
        len(runs),
        wall=wall,
        cpu=median([r.cpu for r in runs]),
        maxrss=max(r.maxrss for r in runs),
        **kw,
    )
    if any(r.tree_rss for r in runs):
        row.tree_rss = max(r.tree_rss for r in runs)
        row.tree_pss = max(r.tree_pss for r in runs)
    if files:
        row.files_per_s = files / wall
        row.ms_per_file = 1000 * wall / files
        row.cpu_ms_per_file = 1000 * median([r.cpu for r in runs]) / files
    return row


def secs(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _mb(value: int | None) -> str:
    return "" if not value else f"{value / MB:.0f}"


def render_table(rows: Sequence[Row]) -> str:
    head = [
        "section",
        "case",
        "runs",
        "wall (median)",
        "CPU (median)",
        "files/s",
        "ms/file",
        "CPU ms/file",
        "peak tree RSS MB",
        "peak tree PSS MB",
        "max RSS 1 proc MB",
        "output bytes",
        "ratio (pairwise median)",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        cells = [
            r.section,
            r.case,
            str(r.runs),
            secs(r.wall),
            secs(r.cpu),
            "" if r.files_per_s is None else f"{r.files_per_s:.1f}",
            "" if r.ms_per_file is None else f"{r.ms_per_file:.1f}",
            "" if r.cpu_ms_per_file is None else f"{r.cpu_ms_per_file:.1f}",
            _mb(r.tree_rss),
            _mb(r.tree_pss),
            _mb(r.maxrss),
            "" if r.size is None else f"{r.size:,}",
            r.ratio,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------- targets


def verdicts(facts: dict[str, Any], sizes: Sequence[int]) -> list[tuple[str, str, str]]:
    """(target, measured, PASS/MISS) for each target whose measurement ran."""
    out: list[tuple[str, str, str]] = []

    def add(name: str, measured: str, ok: bool | None) -> None:
        out.append((name, measured, "n/a" if ok is None else ("PASS" if ok else "MISS")))

    build = facts.get("build")
    if build:
        add(
            "whole build well under 1 s",
            f"{build['build_wall']:.2f} s",
            build["build_wall"] < TARGETS["build_wall"],
        )
        kb = build["werkboek_bytes"] / 1024
        add(
            "blank werkboek.pdf < 400 KB", f"{kb:.0f} KB", build["werkboek_bytes"] < TARGETS["werkboek_bytes"]
        )
    ex = facts.get("extract")
    if ex:
        add("extract CLI ≤ 1.3× bare pypdf", f"{ex['cli_vs_pypdf']:.2f}×", ex["cli_vs_pypdf"] <= 1.3)
        if "cli_vs_pdftk" in ex:
            add("extract CLI faster than pdftk", f"{ex['cli_vs_pdftk']:.2f}×", ex["cli_vs_pdftk"] < 1.0)
    batch = facts.get("batch")
    if batch:
        per = batch["per_n"]
        big = [n for n in per if n >= 100]
        speeds = {n: per[n]["xlsx-j2"]["files_per_s"] for n in per}
        worst = min(speeds[n] for n in (big or per))
        add(
            "batch ≥ 100 files/s on 2 cores (XLSX, --jobs 2, slowest N ≥ 100)",
            f"{worst:.1f} files/s",
            worst >= TARGETS["files_per_s"] if big else None,
        )
        peak = max(per[n][k]["tree_rss"] for n in per for k in per[n] if k not in ("rounds", "statuses"))
        add(
            "batch peak memory < 300 MB (tree RSS sum)", f"{peak / MB:.0f} MB", peak / MB < TARGETS["peak_mb"]
        )
        if len(big) >= 2:
            lo, hi = min(big), max(big)
            both = [k for k in ("xlsx-j2", "csv-j2") if k in per[hi] and k in per[lo]]
            growth = max(per[hi][k]["cpu_ms_per_file"] / per[lo][k]["cpu_ms_per_file"] for k in both)
            add(
                f"linear in N (CPU ms/file at N={hi:,} ≤ 1.2× at N={lo:,}, --jobs 2)",
                f"{growth:.2f}×",
                growth <= TARGETS["linear"],
            )
        else:
            add("linear in N", "needs two sizes ≥ 100", None)
    box = facts.get("inbox")
    if box:
        add(
            f"inbox: folder of {box['n']:,} distinct forms ≥ 6× a bare 2-process pypdf pool",
            f"{box['vs_pool']:.2f}×",
            box["vs_pool"] >= 6,
        )
        add(
            "inbox: walk, hashing and settling ≤ 5 % over the same files as arguments",
            f"folder {100 * (box['folder_vs_arguments'] - 1):+.1f} %; hash + settle "
            f"{100 * box['inbox_share']:.1f} % of a read",
            box["folder_vs_arguments"] <= 1.05,
        )
        if "large" in box:
            peak = max(box["large"]["tree_rss"], box["large"]["tree_pss"])
            add(
                f"inbox: {box['large']['n']:,} forms within 200 MB (process tree, RSS)",
                f"{box['large']['tree_rss'] / MB:.0f} MB RSS, {box['large']['tree_pss'] / MB:.0f} MB PSS",
                box["large"]["tree_pss"] / MB < 200 and peak > 0,
            )
    report = facts.get("report")
    if report:
        n = report["n"]
        add(
            f"report of {n:,} werkboeken < 3 s",
            f"{report['report_wall']:.2f} s ({report['pages']:,} pages)",
            report["report_wall"] < TARGETS["report_wall"] if n >= 100 else None,
        )
        add(
            f"report ≤ 3× `extract -o x.xlsx` (N={n:,})",
            f"{report['ratio']:.2f}×",
            report["ratio"] <= TARGETS["report_vs_extract"],
        )
    workbook = facts.get("workbook")
    if workbook:
        n = workbook["n"]
        for kind, what in (("cli", "extract end to end"), ("writer", "the writer alone")):
            ratio = workbook[f"{kind}_ratio"]
            add(
                f"people workbook ≤ 1.2× the wide XLSX, {n:,} forms, {what}",
                f"{ratio:.2f}× (CPU {workbook[f'{kind}_cpu_ratio']:.2f}×)",
                ratio <= TARGETS["workbook"],
            )
    flat = facts.get("flattened")
    if flat:
        margin = flat["margin"]
        worse = max(flat["wall_ratio"], flat["cpu_ratio"], margin["wall_ratio"], margin["cpu_ratio"])
        add(
            f"a flattened form ≤ 5× a fillable one in a batch ({flat['n']:,} distinct forms, --jobs 2, "
            f"wall and CPU, the batch and the forms beyond its first {flat['small']:,})",
            f"batch {flat['wall_ratio']:.2f}× wall, {flat['cpu_ratio']:.2f}× CPU; "
            f"margin {margin['wall_ratio']:.2f}× wall, {margin['cpu_ratio']:.2f}× CPU",
            worse <= TARGETS["flattened"],
        )
    imports = facts.get("imports")
    if imports:
        bad = sorted({m for v in imports.values() for m in v["reportlab"]})
        add("no reportlab on the extract path", ", ".join(bad) or "none imported", not bad)
    return out
