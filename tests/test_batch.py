"""The worker pool: input order, per-file time limit (kill and replace), dead workers, memory cap."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from formkit import blank_form, fill
from paths import CORPUS

from werkbladen.content.model import Werkboek
from werkbladen.inbox.gather import Item, Origin
from werkbladen.limits import Limits
from werkbladen.reader import batch


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory, werkboek: Werkboek) -> Path:
    path = tmp_path_factory.mktemp("in") / "goed.pdf"
    path.write_bytes(fill(blank_form(werkboek, "stap1"), {"respondent_naam": "Anna"}))
    return path


real_work = batch._work


def _misbehaving(item: Item, *args: Any) -> dict[str, Any]:
    """Runs in the worker (inherited through fork): slow, crashing or memory-hungry by file name."""
    name = Path(item.origin.file).name
    if name.startswith("slow"):
        time.sleep(60)
    if name.startswith("segv"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("exit"):
        os._exit(3)
    if name.startswith("killed"):
        marker = Path(item.origin.file).with_suffix(".once")
        if name.startswith("killed-always") or not marker.exists():
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)  # as another program, or the OOM killer, would
        item = Item(Origin(str(marker.parent / "goed.pdf"), item.origin.source))
    if name.startswith("hog"):
        bytearray(4 * 1024**3)  # over the worker's RLIMIT_AS: MemoryError, not a dead machine
    return real_work(item, *args)


def test_records_in_input_order(good: Path, werkboek: Werkboek) -> None:
    paths = [str(CORPUS / "qpdf__bad-xref.pdf"), str(good), str(CORPUS / "pdfium__simple_xfa.pdf"), str(good)]
    records = batch.run(paths, werkboek=werkboek, jobs=2)
    assert [r["file"] for r in records] == paths
    assert [r["status"] for r in records] == ["damaged", "ok", "unsupported", "ok"]
    assert records[1]["respondent"]["naam"] == "Anna"


def test_timeout_kills_and_replaces_the_worker(
    good: Path, werkboek: Werkboek, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "_work", _misbehaving)
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(good.read_bytes())
    paths = [str(slow), str(good), str(slow), str(good), str(good)]
    done: list[int] = []
    started = time.monotonic()
    records = batch.run(paths, werkboek=werkboek, jobs=2, limits=Limits(timeout=0.5), progress=done.append)
    assert time.monotonic() - started < 10
    assert [r["status"] for r in records] == ["timeout", "ok", "timeout", "ok", "ok"]
    assert "langer dan 0,5 seconden" in records[0]["reason"]
    assert len(done) == len(paths)


def test_dead_workers_are_replaced(
    good: Path, werkboek: Werkboek, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "_work", _misbehaving)
    segv, exit_ = tmp_path / "segv.pdf", tmp_path / "exit.pdf"
    segv.write_bytes(b"")
    exit_.write_bytes(b"")
    records = batch.run([str(segv), str(good), str(exit_), str(good)], werkboek=werkboek, jobs=1)
    assert [r["status"] for r in records] == ["error", "ok", "error", "ok"]
    assert "SIGSEGV" in records[0]["reason"]
    assert "afsluitcode 3" in records[2]["reason"]


def test_a_worker_killed_from_outside_gets_one_more_try(
    good: Path, werkboek: Werkboek, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "_work", _misbehaving)
    (tmp_path / "goed.pdf").write_bytes(good.read_bytes())
    once, always = tmp_path / "killed-once.pdf", tmp_path / "killed-always.pdf"
    once.write_bytes(b"")
    always.write_bytes(b"")
    records = batch.run([str(once), str(always), str(good)], werkboek=werkboek, jobs=1)
    assert [r["status"] for r in records] == ["ok", "error", "ok"]
    assert records[0]["file"] == str(once)
    assert records[1]["reason"].startswith("het lezen is twee keer van buitenaf afgebroken (SIGKILL)")
    assert "dan is toegestaan" not in records[1]["reason"]  # not the worker's own memory limit


def test_memory_cap_turns_a_hog_into_too_large(
    good: Path, werkboek: Werkboek, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "_work", _misbehaving)
    hog = tmp_path / "hog.pdf"
    hog.write_bytes(b"")
    records = batch.run([str(hog), str(good)], werkboek=werkboek, jobs=1, limits=Limits(memory=512 * 1024**2))
    assert [r["status"] for r in records] == ["too_large", "ok"]


def test_raw_mode_and_empty_input(werkboek: Werkboek) -> None:
    assert batch.run([]) == []
    records = batch.run([str(CORPUS / "qpdf__form-filled-by-acrobat.pdf")], mode="raw")
    assert records[0]["fields"]["r1"] == "1"


class _NoWorkers:
    def __init__(self, *args: Any) -> None:
        raise AssertionError("a single file must not start a worker")


def _process_limits() -> tuple[Any, ...]:
    import resource

    return (
        resource.getrlimit(resource.RLIMIT_AS),
        resource.getrlimit(resource.RLIMIT_CPU),
        signal.getsignal(signal.SIGALRM),
        signal.getitimer(signal.ITIMER_REAL),
    )


def test_a_single_file_runs_in_process(
    good: Path, werkboek: Werkboek, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "_Worker", _NoWorkers)
    before = _process_limits()
    done: list[int] = []
    records = batch.run([str(good)], werkboek=werkboek, progress=done.append)
    assert [r["status"] for r in records] == ["ok"]
    assert done == [1]
    assert _process_limits() == before


def test_a_single_file_is_bounded_in_time_and_memory(
    good: Path, werkboek: Werkboek, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "_work", _misbehaving)
    monkeypatch.setattr(batch, "_Worker", _NoWorkers)
    before = _process_limits()
    slow, hog = tmp_path / "slow.pdf", tmp_path / "hog.pdf"
    slow.write_bytes(good.read_bytes())
    hog.write_bytes(b"")
    started = time.monotonic()
    records = batch.run([str(slow)], werkboek=werkboek, limits=Limits(timeout=0.5))
    assert time.monotonic() - started < 5
    assert records[0]["status"] == "timeout" and "langer dan 0,5 seconden" in records[0]["reason"]
    records = batch.run([str(hog)], werkboek=werkboek, limits=Limits(memory=2 * 1024**3))
    assert records[0]["status"] == "too_large"
    assert _process_limits() == before
    assert batch.run([str(good)], werkboek=werkboek)[0]["status"] == "ok"


def test_records_stream_out_in_order_and_closing_stops_the_workers(good: Path, werkboek: Werkboek) -> None:
    import multiprocessing

    done: list[int] = []
    paths = [str(good)] * 10
    records = batch.iter_records(paths, werkboek=werkboek, jobs=1, progress=done.append)
    first = next(records)
    assert first["status"] == "ok" and first["file"] == paths[0]
    assert len(done) == 1  # yielded as soon as it was in, not at the end of the batch
    assert multiprocessing.active_children()
    records.close()
    assert not multiprocessing.active_children()


def test_a_slow_file_holds_back_at_most_the_reorder_window(
    good: Path, werkboek: Werkboek, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "_work", _misbehaving)
    monkeypatch.setattr(batch, "REORDER_WINDOW", 0)  # the floor: 4 per worker, 8 here
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(good.read_bytes())
    paths = [str(slow)] + [str(good)] * 20
    done: list[int] = []
    records = batch.iter_records(
        paths, werkboek=werkboek, jobs=2, limits=Limits(timeout=0.5), progress=done.append
    )
    first = next(records)
    assert first["status"] == "timeout"
    assert len(done) <= 8  # the other worker stopped at the window while the first file ran
    rest = list(records)
    assert [r["status"] for r in rest] == ["ok"] * 20
    assert len(done) == len(paths)


def _children(pid: int) -> set[int]:
    """The direct children of ``pid`` (Linux ``/proc``)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.update(int(c) for c in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_workers_end_when_the_parent_is_killed(tmp_path: Path, werkboek: Werkboek) -> None:
    """SIGKILL the parent mid-batch (a job limit, a closed terminal): no worker is left after 5 s."""
    data = fill(blank_form(werkboek, "stap2"), {"stap2_gezamenlijke_opgave": "x"})
    for i in range(3000):
        (tmp_path / f"f{i:04d}.pdf").write_bytes(data)
    parent = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "werkbladen",
            "extract",
            *sorted(str(p) for p in tmp_path.glob("*.pdf")),
            "-o",
            str(tmp_path / "uit.csv"),
            "--jobs",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 30
    while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
        workers = _children(parent.pid)
        time.sleep(0.05)
    assert len(workers) == 2, "the batch never started its two workers"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, f"workers {left} outlived their parent by 5 s"
