#!/usr/bin/env python3
"""Benchmarks of build, extract and batch, side by side with bare pypdf and pdftk.

    python scripts/bench.py                     # the full run (several minutes), as in docs/benchmarks.md
    python scripts/bench.py --quick             # a smoke run: every case once, N=10
    python scripts/bench.py --only batch --sizes 100,1000 --json bench.json

Every measured command runs in a fresh child process (under ``/usr/bin/time``, see
:func:`measure`) and is reaped with ``os.wait4``, so its CPU time and peak RSS are its own
(the peak RSS of the largest single process of its tree). For batches, the whole process
tree's RSS and PSS are also summed from ``/proc`` every 50 ms, which gives the true peak of
parent plus workers. Cases that are compared run interleaved (A B C, B C A, ...), and ratios
are taken round by round before the median, so that a noisy neighbour on the machine slows
both sides of a pair alike.

The filled werkboeken for the batch are made once with ``werkbladen.filling.prefill`` from seeded random
answers (every field kind, Dutch text, multi-line, nearly blank to full forms) into a cache folder
keyed by the blank's bytes, and hard-linked N times into a folder per size.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
SAMPLE_EVERY = 0.05
TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
GENERATOR_VERSION = "2"
"""Bump when the answer generator changes, so that the cache is made afresh."""

BARE_PYPDF_ONE = "import sys, pypdf; pypdf.PdfReader(sys.argv[1]).get_fields()"
BARE_PYPDF_LOOP = "import sys, pypdf\nfor p in sys.argv[1:]:\n    pypdf.PdfReader(p).get_fields()"

TARGETS = {
    "build_wall": 1.0,
    "werkboek_bytes": 300 * 1024,
    "cli_vs_pypdf": 1.3,
    "cli_vs_pdftk": 1.0,
    "files_per_s": 100.0,
    "peak_mb": 300.0,
    "linear": 1.2,
}


# ---------------------------------------------------------------- tools


@dataclass(frozen=True)
class Tools:
    """The interpreter and the ``werkbladen`` command that the measured children run."""

    python: str
    werkbladen: tuple[str, ...]
    pdftk: str | None

    @classmethod
    def find(cls) -> Tools:
        venv = REPO / ".venv" / "bin"
        python = str(venv / "python") if (venv / "python").exists() else sys.executable
        beside = Path(python).parent / "werkbladen"
        on_path = shutil.which("werkbladen")
        if beside.exists():
            command: tuple[str, ...] = (str(beside),)
        elif on_path:
            command = (on_path,)
        else:
            command = (python, "-m", "werkbladen")
        return cls(python, command, shutil.which("pdftk"))


# ---------------------------------------------------------------- measuring one child


@dataclass
class Run:
    """One child process: wall and CPU seconds, its largest single process, the tree's peak."""

    wall: float
    cpu: float
    maxrss: int
    """Bytes; ``ru_maxrss``: the largest single process of the tree."""
    tree_rss: int = 0
    """Bytes; the peak of the summed RSS of the process and all its descendants (sampled)."""
    tree_pss: int = 0
    """Bytes; the same for PSS, which counts pages shared between forked workers once."""


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_bytes()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _tree_memory(root: int, *, with_root: bool) -> tuple[int, int]:
    """Summed (RSS, PSS) in bytes of every descendant of ``root`` (and ``root``), from smaps_rollup."""
    kids = _children_map()
    todo, rss, pss = ([root] if with_root else list(kids.get(root, ()))), 0, 0
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, ()))
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_bytes()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(b"Rss:"):
                rss += int(line.split()[1]) * 1024
            elif line.startswith(b"Pss:"):
                pss += int(line.split()[1]) * 1024
    return rss, pss


class _Sampler(threading.Thread):
    def __init__(self, pid: int, *, with_root: bool) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.with_root = with_root
        self.rss = 0
        self.pss = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            rss, pss = _tree_memory(self.pid, with_root=self.with_root)
            self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)
            self.done.wait(SAMPLE_EVERY)


class CommandFailed(RuntimeError):
    """A measured command exited non-zero: a benchmark of a failure is no benchmark."""


def measure(argv: Sequence[str], *, stdout: Any = subprocess.DEVNULL, sample: bool = False) -> Run:
    """Run ``argv`` in a fresh child process; raise :class:`CommandFailed` when it fails.

    The command runs under ``/usr/bin/time`` where there is one: Linux carries a process's peak
    RSS across ``exec``, so a child forked straight from this (large) Python process would report
    this process's size as its own; forked from ``time`` (1 MB), it reports its own.
    """
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile(prefix="bench-time-") as peak:
        wrapped = [TIME, "-f", "%M", "-o", peak.name, *argv] if TIME else list(argv)
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=stdout, stderr=err, stdin=subprocess.DEVNULL)
        sampler = _Sampler(proc.pid, with_root=not TIME) if sample else None
        if sampler:
            sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.done.set()
            sampler.join()
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise CommandFailed(f"exit {proc.returncode}: {' '.join(argv[:6])} …\n{tail}")
        maxrss = usage.ru_maxrss * 1024
        if TIME:
            maxrss = int(Path(peak.name).read_text().split()[-1]) * 1024
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        maxrss=maxrss,
        tree_rss=sampler.rss if sampler else 0,
        tree_pss=sampler.pss if sampler else 0,
    )


def interleaved(cases: dict[str, Callable[[], Run]], rounds: int) -> dict[str, list[Run]]:
    """Run every case ``rounds`` times, rotating the order each round (A B C, B C A, C A B …)."""
    names = list(cases)
    runs: dict[str, list[Run]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            runs[name].append(cases[name]())
    return runs


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def pair_ratio(a: Sequence[Run], b: Sequence[Run], key: str = "wall") -> float:
    """Median of round-by-round ratios a/b (the runs of one round ran next to each other)."""
    return median([getattr(x, key) / getattr(y, key) for x, y in zip(a, b, strict=True)])


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


def _secs(value: float | None) -> str:
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
            _secs(r.wall),
            _secs(r.cpu),
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

    from werkbladen.content.loader import shipped_werkboek
    from werkbladen.layout import render_step, render_werkboek, step_filename

    werkboek = shipped_werkboek()
    renders: dict[str, Callable[[], bytes]] = {"werkboek.pdf": lambda: render_werkboek(werkboek)}
    for werkblad in werkboek.werkbladen:
        if werkblad.step is not None:
            renders[step_filename(werkblad)] = lambda w=werkblad: render_step(werkboek, w)  # type: ignore[misc]
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
                f"render {name} (in process, warm; first {_secs(first[name])})",
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


# ---------------------------------------------------------------- the filled werkboeken

ORGANISATIES = [
    "Gemeente Zwolle",
    "Gemeente Súdwest-Fryslân",
    "Samenwerkingsverband PO Noord-Veluwe",
    "GGD IJsselland",
    "Stichting Jeugdwerk ’s-Hertogenbosch",
    "Regio Twente – afdeling Jeugd",
]
NAMEN = ["Noëlle de Vries", "Ağrı Şahin", "Jan-Willem van der Berg", "Fatima El Idrissi", "Łukasz Żółć"]
ROLLEN = ["beleidsadviseur jeugd", "intern begeleider", "coördinator", "wethouder", "jongerenwerker"]
ZINNEN = [
    "Wij werken samen met onderwijs, jeugdhulp en de GGD.",
    "De middelen worden ingezet voor één gezamenlijke aanpak.",
    "Signalen van jongeren komen via het jongerenwerk binnen.",
    "Knelpunt: de wachttijden bij de jeugd-GGZ zijn opgelopen tot 14 weken.",
    "Budget: € 125.000,– voor 2021 en € 80.000,– voor 2022.",
    "We vragen ‘ervaringsdeskundigen’ om mee te denken — ook ouders.",
    "Eerst in kaart brengen wat er al is; daarna pas nieuwe activiteiten.",
    "Overleg elke zes weken met de scholen in de wijk.",
    "Resultaat: minder schooluitval en meer “ertoe doen” voor jongeren.",
    "Nog onduidelijk; dit bespreken we in het volgende overleg.",
]


def _text(rnd: random.Random, kind: str) -> str:
    if kind == "text":
        value = rnd.choice(ZINNEN)[: rnd.randint(12, 60)].rstrip()
    else:
        lines = [rnd.choice(ZINNEN) for _ in range(rnd.randint(1, 6))]
        if rnd.random() < 0.3:
            lines.insert(1, "")
        if rnd.random() < 0.05:  # now and then a long answer
            lines = [f"{i:02d}. {rnd.choice(ZINNEN)}" for i in range(40)]
        value = "\n".join(lines)
    if rnd.random() < 0.05:
        value = f"  {value}  "
    return value


def random_answers(werkboek: Any, seed: int) -> dict[str, Any]:
    """A seeded record for ``fill``: every field kind, filled to a random degree (nearly blank to full)."""
    rnd = random.Random(seed)
    fill_rate = rnd.choice([0.05, 0.3, 0.6, 0.9, 1.0])
    always = {"respondent_organisatie", "respondent_naam"}
    respondent: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    for spec in werkboek.form_fields("werkboek"):
        if spec.name not in always and rnd.random() >= fill_rate:
            continue
        if spec.kind == "checkbox":
            value: Any = rnd.random() < 0.6
        elif spec.kind == "choice":
            value = rnd.choice(spec.options)[0]
        elif spec.kind == "date":
            day = dt.date(2021, 1, 1) + dt.timedelta(days=rnd.randint(0, 700))
            value = day.isoformat() if rnd.random() < 0.5 else day.strftime("%d-%m-%Y")
        elif spec.name == "respondent_organisatie":
            value = rnd.choice(ORGANISATIES)
        elif spec.name == "respondent_naam":
            value = rnd.choice(NAMEN)
        elif spec.name == "respondent_rol":
            value = rnd.choice(ROLLEN)
        else:
            value = _text(rnd, spec.kind)
        if spec.name.startswith("respondent_"):
            respondent[spec.name.removeprefix("respondent_")] = value
        else:
            answers[spec.name] = value
    return {"respondent": respondent, "answers": answers}


def filled_cache(blank: Path, cache: Path, distinct: int) -> list[Path]:
    """``distinct`` filled werkboeken, made once per blank (by content hash) and kept in ``cache``."""
    from werkbladen.content.loader import shipped_werkboek
    from werkbladen.filling.prefill import fill

    data = blank.read_bytes()
    key = hashlib.sha256(data + GENERATOR_VERSION.encode()).hexdigest()[:16]
    folder = cache / f"filled-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    werkboek = shipped_werkboek()
    paths = []
    for seed in range(distinct):
        path = folder / f"werkboek-{seed:03d}.pdf"
        if not path.exists():
            temp = path.with_suffix(".tmp")
            temp.write_bytes(fill(data, random_answers(werkboek, seed), werkboek=werkboek))
            temp.replace(path)
        paths.append(path)
    return paths


def inbox(sources: Sequence[Path], folder: Path, n: int) -> list[str]:
    """``n`` files in ``folder`` (hard links to ``sources`` in turn; copies where links fail)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        target = folder / f"{i:05d}.pdf"
        if not target.exists():
            try:
                os.link(sources[i % len(sources)], target)
            except OSError:
                shutil.copyfile(sources[i % len(sources)], target)
        paths.append(str(target))
    return paths


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

    from werkbladen.content.loader import shipped_werkboek
    from werkbladen.reader.extraction import extract

    werkboek = shipped_werkboek()
    status = extract(filled, werkboek=werkboek).status  # warm: content, answer models
    assert status in ("ok", "warnings"), status
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(max(repeat, 3)):
        start = time.perf_counter()
        extract(filled, werkboek=werkboek).to_record()
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


def _check_csv(path: Path, n: int) -> dict[str, int]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        rows = list(csv.DictReader(fh, delimiter=";" if sample.count(";") > sample.count(",") else ","))
    statuses: dict[str, int] = {}
    for row in rows:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    if len(rows) != n or set(statuses) - {"ok", "warnings"}:
        raise CommandFailed(f"{path}: expected {n} rows read ok, found {len(rows)}: {statuses}")
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
        code = f"import sys; from werkbladen.cli import main; sys.exit(main({['extract', *args]!r}))"
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
            "blank werkboek.pdf < 300 KB", f"{kb:.0f} KB", build["werkboek_bytes"] < TARGETS["werkboek_bytes"]
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
    imports = facts.get("imports")
    if imports:
        bad = sorted({m for v in imports.values() for m in v["reportlab"]})
        add("no reportlab on the extract path", ", ".join(bad) or "none imported", not bad)
    return out


# ---------------------------------------------------------------- main


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


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "werkbladen-bench"


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
    parser.add_argument("--only", choices=["build", "extract", "batch", "imports"], action="append")
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
    only = set(args.only or ["build", "extract", "batch", "imports"])
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
        needs_filled = only & {"extract", "batch", "imports"}
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
        if "imports" in only and full:
            import_rows, facts["imports"] = bench_imports(tools, full, work, repeat)
            rows += import_rows
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
