"""Running one command in a fresh child process and measuring it, and comparing such runs.

Every measured command runs in a fresh child process (under ``/usr/bin/time``, see
:func:`measure`) and is reaped with ``os.wait4``, so its CPU time and peak RSS are its own
(the peak RSS of the largest single process of its tree). For batches, the whole process
tree's RSS and PSS are also summed from ``/proc`` every 50 ms, which gives the true peak of
parent plus workers. Cases that are compared run interleaved (A B C, B C A, ...), and ratios
are taken round by round before the median, so that a noisy neighbour on the machine slows
both sides of a pair alike.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SAMPLE_EVERY = 0.05
TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


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
