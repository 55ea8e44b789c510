"""Many inputs in worker processes, each file bounded in time and memory, one record per input.

Why not ``concurrent.futures``: a worker that dies (out of memory, a crash in a C extension,
killed for running too long) breaks the whole ``ProcessPoolExecutor``. Here each worker is a
``Process`` with its own ``Pipe``; the parent enforces the wall-clock limit per file, kills and
replaces a worker that overruns or dies, gives that file a ``timeout``/``too_large``/``error``
record, and goes on. Workers set their own ``RLIMIT_AS`` so a memory bomb raises MemoryError.

One file runs in this process (no worker to fork, no answer models to share): it is bounded by
the same limits, set on this process for the duration of that one read — ``RLIMIT_AS`` lowered
(restored afterwards), and a ``SIGALRM`` timer whose handler raises in the reading code, with an
``RLIMIT_CPU`` backstop for a hang that never returns to the interpreter. Where that is not
possible (not the main thread, no ``setitimer``, a timer already running) the pool is used.

Start method: ``fork`` on Linux (a worker starts in about a millisecond and inherits the loaded
content and the answer models, built once); ``spawn`` elsewhere. The parent has only imported
the reading path (pypdf, pydantic, never ReportLab) and runs no threads, so forking is safe.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, Literal

from werkbladen.errors import Status
from werkbladen.limits import DEFAULT_LIMITS, Limits
from werkbladen.record import AnyRecord, raw_record

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from werkbladen.content.model import Werkboek

Mode = Literal["extract", "raw"]
_Job = tuple[int, str, Mode, "str | None"]
DEFAULT_JOBS = 2
REORDER_WINDOW = 256
"""How far past the oldest unfinished file a batch starts files; bounds the records held for order."""


def default_jobs() -> int:
    """Both cores of a small machine, never more than the machine has."""
    return max(1, min(DEFAULT_JOBS, os.cpu_count() or 1))


def _work(
    path: str, mode: Mode, password: str | None, limits: Limits, werkboek: Werkboek | None
) -> AnyRecord:
    """One file to one record, inside a worker. Tests replace this to make a worker slow or die."""
    if mode == "raw":
        from werkbladen.reader.extraction import read_raw

        return read_raw(path, password=password, limits=limits)
    from werkbladen.reader.extraction import extract

    return extract(path, password=password, werkboek=werkboek, limits=limits).to_record()


def failed_record(path: str, mode: Mode, status: Status, reason: str) -> AnyRecord:
    """The record of a file whose worker did not come back with one."""
    if mode == "raw":
        return raw_record(path, status, reason)
    from werkbladen.reader.result import failure

    return failure(path, status, reason).to_record()


def _set_memory_limit(limit: int) -> None:
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass  # no RLIMIT_AS on this platform: the time limit still bounds the worker


def _die_with_parent(parent: int) -> None:
    """End this worker when the parent dies, however it dies (SIGKILL, a closed terminal).

    Waiting for the pipe to close is not enough: a forked worker holds copies of the parent's pipe
    ends, and a worker busy with a file does not read its pipe. Linux's ``PR_SET_PDEATHSIG`` has
    the kernel kill it; the ``getppid`` check covers a parent that died before the call.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(0)


_PR_SET_PDEATHSIG = 1
"""From <linux/prctl.h>."""


def _worker_main(conn: Connection, limits: Limits, werkboek: Werkboek | None, parent: int) -> None:
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    faulthandler.disable()  # a crash is reported by the parent as the file's status, not as a dump
    _set_memory_limit(limits.memory)
    # What the worker inherited (content, models, modules) lives as long as it does: out of the
    # collector's way, so that its full collections do not walk it for every file (~15% of a file).
    gc.freeze()
    while True:
        try:
            job: _Job | None = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, path, mode, password = job
        try:
            record = _work(path, mode, password, limits, werkboek)
        except MemoryError:
            record = failed_record(
                path, mode, Status.TOO_LARGE, "reading the PDF exceeded the worker's memory limit"
            )
        except BaseException as exc:  # a worker must answer, whatever happened
            text = " ".join(str(exc).split())[:160]
            record = failed_record(
                path, mode, Status.ERROR, f"unexpected error ({type(exc).__name__}: {text})"
            )
        try:
            conn.send((index, record))
        except MemoryError:
            conn.send(
                (index, failed_record(path, mode, Status.TOO_LARGE, "the result exceeded the memory limit"))
            )


class _Worker:
    def __init__(self, ctx: Any, limits: Limits, werkboek: Werkboek | None) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_worker_main, args=(child, limits, werkboek, os.getpid()), daemon=True
        )
        self.process.start()
        child.close()
        self.job: _Job | None = None
        self.started = 0.0

    def give(self, job: _Job) -> None:
        self.job = job
        self.started = time.monotonic()
        self.conn.send(job)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(1)
        self.kill()

    def death_reason(self) -> tuple[Status, str]:
        self.process.join(1)
        code = self.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            if -code == signal.SIGKILL:
                return (
                    Status.TOO_LARGE,
                    "the reader was killed (SIGKILL), most likely for running out of memory",
                )
            return Status.ERROR, f"the reader crashed ({name})"
        return Status.ERROR, f"the reader stopped unexpectedly (exit code {code})"


def _context() -> Any:
    import multiprocessing  # not for a single file, which runs in this process

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def run(
    paths: Sequence[str],
    *,
    mode: Mode = "extract",
    password: str | None = None,
    werkboek: Werkboek | None = None,
    limits: Limits = DEFAULT_LIMITS,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[AnyRecord]:
    """One record per path, in input order, as a list (see :func:`iter_records`)."""
    return list(
        iter_records(
            paths,
            mode=mode,
            password=password,
            werkboek=werkboek,
            limits=limits,
            jobs=jobs,
            progress=progress,
        )
    )


def iter_records(
    paths: Sequence[str],
    *,
    mode: Mode = "extract",
    password: str | None = None,
    werkboek: Werkboek | None = None,
    limits: Limits = DEFAULT_LIMITS,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Generator[AnyRecord, None, None]:
    """One record per path, in input order, each yielded as soon as it and those before it are in.

    Only records that came back ahead of an earlier, slower file are held, and no file more
    than :data:`REORDER_WINDOW` places after the oldest unfinished one is started, so a batch
    of any size holds a bounded number of records. ``progress(n)`` is called as each file
    finishes. Closing the iterator early (or an exception in the consumer) stops the workers.
    """
    if not paths:
        return
    if len(paths) == 1 and _can_run_inline():
        record = _run_inline(str(paths[0]), mode, password, limits, werkboek)
        if progress is not None:
            progress(1)
        yield record
        return
    if len(paths) > 1:
        _warm(werkboek if mode == "extract" else None, models=mode == "extract")
    from multiprocessing.connection import wait as wait_for_ready

    ctx = _context()
    count = max(1, min(jobs or default_jobs(), len(paths)))
    window = max(REORDER_WINDOW, 4 * count)
    early: dict[int, AnyRecord] = {}
    """Records in ahead of their turn, by input index."""
    next_out = 0
    pending: deque[_Job] = deque((i, str(p), mode, password) for i, p in enumerate(paths))
    workers = [_Worker(ctx, limits, werkboek) for _ in range(count)]

    def finish(worker: _Worker, record: AnyRecord) -> None:
        assert worker.job is not None
        early[worker.job[0]] = record
        worker.job = None
        if progress is not None:
            progress(1)

    def replace(worker: _Worker) -> None:
        worker.kill()
        workers[workers.index(worker)] = _Worker(ctx, limits, werkboek)

    def dispatch() -> None:
        for worker in list(workers):
            if worker.job is None and pending and pending[0][0] < next_out + window:
                job = pending.popleft()
                try:
                    worker.give(job)
                except OSError:
                    pending.appendleft(job)
                    replace(worker)

    try:
        while pending or any(w.job for w in workers):
            dispatch()
            busy = [w for w in workers if w.job is not None]
            if not busy:
                continue  # every worker had to be replaced before it took a job
            now = time.monotonic()
            wait_for = min(max(0.0, w.started + limits.timeout - now) for w in busy)
            ready = wait_for_ready([w.conn for w in busy], timeout=wait_for)
            for worker in busy:
                assert worker.job is not None
                if worker.conn in ready:
                    try:
                        _index, record = worker.conn.recv()
                    except (EOFError, OSError):
                        status, reason = worker.death_reason()
                        finish(worker, failed_record(worker.job[1], mode, status, reason))
                        replace(worker)
                        continue
                    finish(worker, record)
                elif time.monotonic() - worker.started >= limits.timeout:
                    path = worker.job[1]
                    finish(worker, failed_record(path, mode, Status.TIMEOUT, _timeout_reason(limits)))
                    replace(worker)
            if next_out in early:
                dispatch()  # the workers go on while this generator's consumer writes
                while next_out in early:
                    record = early.pop(next_out)
                    next_out += 1
                    yield record
    finally:
        for worker in workers:
            worker.stop()


class _Timeout(BaseException):
    """Raised by the alarm in the reading code; a BaseException, so no ``except Exception`` eats it."""


def _can_run_inline() -> bool:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    if signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0):
        return False  # somebody else's timer: do not take it over
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


def _run_inline(
    path: str, mode: Mode, password: str | None, limits: Limits, werkboek: Werkboek | None
) -> AnyRecord:
    """One file in this process, bounded in memory and time like a worker, limits undone after."""

    def alarm(_signum: int, _frame: Any) -> None:
        raise _Timeout

    try:
        restore = _lower_limits(limits)
        previous = signal.signal(signal.SIGALRM, alarm)
        try:
            signal.setitimer(signal.ITIMER_REAL, limits.timeout)
            try:
                return _work(path, mode, password, limits, werkboek)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)
            restore()  # before a failure's record is made: that must not meet the lowered limit
    except _Timeout:
        return failed_record(path, mode, Status.TIMEOUT, _timeout_reason(limits))
    except MemoryError:
        return failed_record(path, mode, Status.TOO_LARGE, "reading the PDF exceeded the memory limit")
    except RecursionError as exc:
        text = " ".join(str(exc).split())[:160]
        return failed_record(path, mode, Status.TOO_LARGE, f"reading the PDF nested too deep ({text})")


def _lower_limits(limits: Limits) -> Callable[[], None]:
    """Lower this process's address space and CPU limits for one read; returns their undoing."""
    try:
        import resource
    except ImportError:
        return lambda: None
    saved: list[tuple[int, tuple[int, int]]] = []
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_now = int(used.ru_utime + used.ru_stime)
    wanted = {
        resource.RLIMIT_AS: limits.memory,
        # A backstop only: a hang inside C code, which the alarm cannot interrupt, is killed.
        resource.RLIMIT_CPU: cpu_now + int(limits.timeout) + 10,
    }
    for which, value in wanted.items():
        try:
            soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            if soft == resource.RLIM_INFINITY or value < soft:
                resource.setrlimit(which, (value, hard))
                saved.append((which, (soft, hard)))
        except (ValueError, OSError):
            continue

    def restore() -> None:
        for which, old in saved:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(which, old)

    return restore


def _timeout_reason(limits: Limits) -> str:
    return f"reading took longer than {limits.timeout:g} s and was stopped (raise it with --timeout)"


def _warm(werkboek: Werkboek | None, *, models: bool) -> None:
    """Import the reader and build every answer model before forking, so all workers share them.

    A single file skips this: its one worker builds just the model it needs.
    """
    import werkbladen.reader  # noqa: F401  (pypdf, once, before the fork)

    if not models:
        return
    from werkbladen.reader.answers import plan_for, templates

    if werkboek is None:
        from werkbladen.content.loader import shipped_werkboek

        werkboek = shipped_werkboek()
    for template in templates(werkboek):
        plan_for(werkboek, template)
