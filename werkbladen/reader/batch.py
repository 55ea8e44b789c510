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
import dataclasses
import datetime as dt
import faulthandler
import gc
import itertools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from werkbladen.errors import Status
from werkbladen.inbox.gather import Entry, Item, Origin, Unread
from werkbladen.limits import DEFAULT_LIMITS, Limits
from werkbladen.messages import technical, technical_error
from werkbladen.record import AnyRecord, Record, raw_record

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from werkbladen.content.model import Werkboek

Mode = Literal["extract", "raw"]
Input = str | Entry
"""A path to read as it is, or an entry of the inbox (a PDF to read, or an input already judged)."""
_Job = tuple[int, Item, Mode, "str | None"]
DEFAULT_JOBS = 2
REORDER_WINDOW = 256
"""How far past the oldest unfinished file a batch starts files; bounds the records held for order."""
TOO_MUCH_MEMORY = "het lezen van de PDF kostte meer geheugen dan is toegestaan"
RESULT_TOO_LARGE = "het resultaat kostte meer geheugen dan is toegestaan"
READ_AGAIN = "lees het bestand opnieuw in"


def default_jobs() -> int:
    """Both cores of a small machine, never more than the machine has."""
    return max(1, min(DEFAULT_JOBS, os.cpu_count() or 1))


def _work(
    item: Item, mode: Mode, password: str | None, limits: Limits, werkboek: Werkboek | None
) -> AnyRecord:
    """One PDF to one record, inside a worker. Tests replace this to make a worker slow or die."""
    source = item.origin.file if item.data is None else item.data
    if mode == "raw":
        from werkbladen.reader.extraction import read_raw

        return read_raw(source, password=password, limits=limits)
    from werkbladen.reader.extraction import extract

    return extract(source, password=password, werkboek=werkboek, limits=limits).to_record()


def failed_record(origin: Origin, mode: Mode, status: Status, reason: str) -> AnyRecord:
    """The record of an input that was not read, or whose worker did not come back with one."""
    if mode == "raw":
        record: AnyRecord = raw_record(origin.file, status, reason)
    else:
        from werkbladen.reader.result import failure

        record = failure(origin.file, status, reason).to_record()
    return stamped(record, origin)


_NOT_OURS = frozenset({Status.NOT_A_WERKBLAD, Status.NO_FORM})


def stamped(record: AnyRecord, origin: Origin) -> AnyRecord:
    """The record with where its PDF came from; a PDF found in a container that is no werkblad is skipped."""
    record["file"] = origin.file
    record["source"] = origin.source
    if "sender" in record:
        full = cast("Record", record)
        full["sender"], full["sent"] = origin.sender, origin.sent
        if origin.file_time is not None:
            moment = dt.datetime.fromtimestamp(origin.file_time, dt.UTC).replace(microsecond=0)
            full["details"]["file_time"] = moment.isoformat()
    if origin.found and record["status"] in _NOT_OURS:
        record["status"] = Status.SKIPPED
    return record


def _entry(value: Input) -> Entry:
    return Item(Origin(value, value)) if isinstance(value, str) else value


def _set_memory_limit(limit: int) -> None:
    """Let this (forked) worker grow by ``limit`` beyond what it inherited.

    A worker forked from a large caller (a test runner, a notebook, the report with ReportLab
    loaded) starts with that caller's address space; an absolute cap below it would make every
    file ``too_large``.
    """
    limit += _address_space()
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass  # no RLIMIT_AS on this platform: the time limit still bounds the worker


def _address_space() -> int:
    """Bytes of address space this process has mapped now (Linux), else 0."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


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
        index, item, mode, password = job
        try:
            record = _work(item, mode, password, limits, werkboek)
        except MemoryError:
            record = failed_record(item.origin, mode, Status.TOO_LARGE, TOO_MUCH_MEMORY)
        except BaseException as exc:  # a worker must answer, whatever happened
            reason = f"onverwachte fout ({technical_error(exc)})"
            record = failed_record(item.origin, mode, Status.ERROR, reason)
        origin = item.origin
        del job, item  # a member's bytes are not kept while the worker waits for the next file
        try:
            conn.send((index, record))
        except MemoryError:
            conn.send((index, failed_record(origin, mode, Status.TOO_LARGE, RESULT_TOO_LARGE)))


class _Worker:
    def __init__(self, ctx: Any, limits: Limits, werkboek: Werkboek | None) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_worker_main, args=(child, limits, werkboek, os.getpid()), daemon=True
        )
        self.process.start()
        child.close()
        self.job: _Job | None = None
        """What this worker reads now, without the bytes (the worker has them)."""
        self.started = 0.0
        self.killed_before = False
        """The file was given to a worker that was killed from outside: it gets one more try."""

    def give(self, job: _Job) -> None:
        index, item, mode, password = job
        self.job = (index, dataclasses.replace(item, data=None), mode, password)
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

    def killed(self) -> bool:
        """Killed by SIGKILL: by another program or the system's out-of-memory killer, not by the file.

        The worker's own memory limit (``RLIMIT_AS``) turns a file's hunger into MemoryError first.
        """
        self.process.join(1)
        return bool(self.process.exitcode == -signal.SIGKILL)

    def death_reason(self) -> tuple[Status, str]:
        self.process.join(1)
        code = self.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            if -code == signal.SIGKILL:
                return (
                    Status.ERROR,
                    "het lezen is twee keer van buitenaf afgebroken (SIGKILL), door een ander programma of "
                    f"door het systeem bij gebrek aan geheugen; {READ_AGAIN}",
                )
            return Status.ERROR, f"het lezen is vastgelopen ({technical(name)}); {READ_AGAIN}"
        return Status.ERROR, f"het lezen is onverwacht gestopt (afsluitcode {code}); {READ_AGAIN}"


def _context() -> Any:
    import multiprocessing  # not for a single file, which runs in this process

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def run(
    inputs: Iterable[Input],
    *,
    mode: Mode = "extract",
    password: str | None = None,
    werkboek: Werkboek | None = None,
    limits: Limits = DEFAULT_LIMITS,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[AnyRecord]:
    """One record per input, in input order, as a list (see :func:`iter_records`)."""
    return list(
        iter_records(
            inputs,
            mode=mode,
            password=password,
            werkboek=werkboek,
            limits=limits,
            jobs=jobs,
            progress=progress,
        )
    )


def iter_records(
    inputs: Iterable[Input],
    *,
    mode: Mode = "extract",
    password: str | None = None,
    werkboek: Werkboek | None = None,
    limits: Limits = DEFAULT_LIMITS,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Generator[AnyRecord, None, None]:
    """One record per input, in input order, each yielded as soon as it and those before it are in.

    ``inputs`` are paths or inbox entries, taken lazily: no input more than
    :data:`REORDER_WINDOW` places after the oldest unfinished one is taken (so a zip's members
    are unpacked only as workers come free), and only records that came back ahead of an earlier,
    slower file are held, so a batch of any size holds a bounded number of records and bytes.
    ``progress(n)`` is called as each input finishes. Closing the iterator early (or an exception
    in the consumer) stops the workers.
    """
    count = max(1, jobs or default_jobs())
    stream = map(_entry, inputs)
    ahead = list(itertools.islice(stream, max(count, 2)))
    if not ahead:
        return
    if len(ahead) == 1 and isinstance(ahead[0], Item) and _can_run_inline():
        item = ahead[0]
        record = stamped(_run_inline(item, mode, password, limits, werkboek), item.origin)
        if progress is not None:
            progress(1)
        yield record
        return
    readable = sum(isinstance(e, Item) for e in ahead)
    if readable > 1 or len(ahead) > readable:
        _warm(werkboek if mode == "extract" else None, models=mode == "extract")
    yield from _pool(
        itertools.chain(ahead, stream),
        mode,
        password,
        werkboek,
        limits,
        max(1, min(count, len(ahead))),
        progress,
    )


def _pool(
    entries: Iterator[Entry],
    mode: Mode,
    password: str | None,
    werkboek: Werkboek | None,
    limits: Limits,
    count: int,
    progress: Callable[[int], None] | None,
) -> Generator[AnyRecord, None, None]:
    from multiprocessing.connection import wait as wait_for_ready

    ctx = _context()
    window = max(REORDER_WINDOW, 4 * count)
    early: dict[int, AnyRecord] = {}
    """Records in ahead of their turn, by input index."""
    next_out = 0
    numbered = enumerate(entries)
    taken = 0
    """Inputs taken from ``entries`` so far."""
    waiting: list[_Job] = []
    """Jobs taken but not yet given to a worker (back from a worker that could not take them)."""
    exhausted = False
    workers = [_Worker(ctx, limits, werkboek) for _ in range(count)]

    def finish(index: int, record: AnyRecord, origin: Origin) -> None:
        early[index] = stamped(record, origin)
        if progress is not None:
            progress(1)

    def next_job() -> _Job | None:
        """The next input to read; inputs judged already go straight to ``early``."""
        nonlocal taken, exhausted
        if waiting:
            return waiting.pop()
        while not exhausted and taken < next_out + window:
            try:
                index, entry = next(numbered)
            except StopIteration:
                exhausted = True
                return None
            taken += 1
            if isinstance(entry, Unread):
                finish(index, failed_record(entry.origin, mode, entry.status, entry.reason), entry.origin)
                continue
            return (index, entry, mode, password)
        return None

    def replace(worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker(ctx, limits, werkboek)
        workers[workers.index(worker)] = fresh
        return fresh

    def dispatch() -> None:
        for worker in list(workers):
            if worker.job is not None:
                continue
            job = next_job()
            if job is None:
                return
            try:
                worker.give(job)
            except OSError:
                waiting.append(job)
                replace(worker)

    try:
        while True:
            dispatch()
            busy = [w for w in workers if w.job is not None]
            if not busy and not waiting and next_out not in early:
                break  # every input taken is out, and dispatch found no more
            if busy:
                now = time.monotonic()
                wait_for = min(max(0.0, w.started + limits.timeout - now) for w in busy)
                ready = wait_for_ready([w.conn for w in busy], timeout=wait_for)
                for worker in busy:
                    assert worker.job is not None
                    index, item, _, _ = worker.job
                    if worker.conn in ready:
                        try:
                            _index, record = worker.conn.recv()
                        except (EOFError, OSError):
                            if worker.killed() and not worker.killed_before:
                                again = worker.job
                                replace(worker).killed_before = True
                                waiting.append(again)
                                continue
                            status, reason = worker.death_reason()
                            worker.job = None
                            finish(index, failed_record(item.origin, mode, status, reason), item.origin)
                            replace(worker)
                            continue
                        worker.job = None
                        worker.killed_before = False
                        finish(index, record, item.origin)
                    elif time.monotonic() - worker.started >= limits.timeout:
                        worker.job = None
                        reason = _timeout_reason(limits)
                        finish(index, failed_record(item.origin, mode, Status.TIMEOUT, reason), item.origin)
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
    item: Item, mode: Mode, password: str | None, limits: Limits, werkboek: Werkboek | None
) -> AnyRecord:
    """One file in this process, bounded in memory and time like a worker, limits undone after."""

    def alarm(_signum: int, _frame: Any) -> None:
        raise _Timeout

    item = _read_ahead(item, limits)
    try:
        restore = _lower_limits(limits)
        previous = signal.signal(signal.SIGALRM, alarm)
        try:
            signal.setitimer(signal.ITIMER_REAL, limits.timeout)
            try:
                return _work(item, mode, password, limits, werkboek)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)
            restore()  # before a failure's record is made: that must not meet the lowered limit
    except _Timeout:
        return failed_record(item.origin, mode, Status.TIMEOUT, _timeout_reason(limits))
    except MemoryError:
        return failed_record(item.origin, mode, Status.TOO_LARGE, TOO_MUCH_MEMORY)
    except RecursionError as exc:
        text = " ".join(str(exc).split())[:160]
        return failed_record(
            item.origin, mode, Status.TOO_LARGE, f"de PDF is te diep genest om te lezen ({technical(text)})"
        )


def _read_ahead(item: Item, limits: Limits) -> Item:
    """The item with its bytes, read before the timer starts: an alarm inside ``open`` would leak the file.

    Reading a file is bounded by the size limit; what fails here (a missing file) is left to the
    reader, which names it.
    """
    if item.data is not None:
        return item
    from werkbladen.errors import ReadError
    from werkbladen.reader.source import source_bytes

    try:
        return dataclasses.replace(item, data=source_bytes(item.origin.file, limits))
    except ReadError:
        return item


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
        resource.RLIMIT_AS: _address_space() + limits.memory,  # room to grow, as a worker has
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
    seconds = f"{limits.timeout:g}".replace(".", ",")
    return f"het lezen duurde langer dan {seconds} seconden en is gestopt (verhoog de grens met --timeout)"


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
