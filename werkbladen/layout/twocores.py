"""Run two independent jobs at once: one in a forked child process, one in this process.

A build renders werkboek.pdf and the seven step PDFs, two halves of about equal cost
that share nothing but the already imported modules and the loaded content. A child made
with ``fork`` after the imports inherits both for free (copy-on-write), so on two cores the
wall time becomes imports + the larger half, not imports + both halves.

Where ``fork`` is missing (Windows), unsafe (macOS system libraries, or other threads that
may hold locks in the child) or not wanted, the jobs run one after the other, in order.
The child never returns into the caller's stack (a test runner, a click command): it leaves
with ``os._exit`` and hands an exception back to the parent, pickled through a pipe.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable

from werkbladen.errors import WerkbladenError


def can_fork() -> bool:
    """True where a forked child can safely run Python code of ours without ``exec``."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def run_pair(here: Callable[[], None], there: Callable[[], None], *, parallel: bool = True) -> None:
    """Run ``here`` in this process and ``there`` in a forked child, and wait for both.

    An exception from ``here`` propagates once the child has finished; otherwise an exception
    from ``there`` is raised here (with the child's traceback as a note). Serially, ``here``
    runs first.
    """
    if not (parallel and can_fork()):
        here()
        there()
        return
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage does not follow it
        os.close(read_fd)
        _child(there, write_fd)
    os.close(write_fd)
    try:
        here()
    finally:
        with os.fdopen(read_fd, "rb") as pipe:
            report = pipe.read()  # EOF when the child exits
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if report:
        raise _unpickled(report)
    if code != 0:
        how = f"is gestopt door signaal {-code}" if code < 0 else f"is geëindigd met code {code}"
        raise WerkbladenError(f"het proces dat de PDF's van de stappen maakte {how}")


def _child(job: Callable[[], None], write_fd: int) -> None:  # pragma: no cover - runs in the child
    status = 1
    try:
        job()
        status = 0
    except BaseException as exc:
        try:
            data = _pickled(exc)
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(data)
        except BaseException:
            pass
    finally:
        os._exit(status)


def _pickled(exc: BaseException) -> bytes:
    note = "in the child process:\n" + "".join(traceback.format_exception(exc)).rstrip()
    try:
        data = pickle.dumps(exc)
        pickle.loads(data)
    except Exception:
        data = pickle.dumps(WerkbladenError(f"{type(exc).__name__}: {exc}"))
    return pickle.dumps((data, note))


def _unpickled(report: bytes) -> BaseException:
    data, note = pickle.loads(report)
    exc: BaseException = pickle.loads(data)
    if not isinstance(exc, WerkbladenError):
        exc.add_note(note)
    return exc
