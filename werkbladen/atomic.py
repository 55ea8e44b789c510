"""Write a file so that it is either the old file or the whole new one, never a part.

The new content goes to a temporary file in the same folder (so the rename cannot cross
file systems), is flushed and ``fsync``-ed, and then ``os.replace``-d onto the target, which
is atomic on POSIX and Windows. An exception on the way removes the temporary file and leaves
the target as it was. The folder is ``fsync``-ed after the rename where the system allows, so
the new name survives a power cut too.

Paths are guarded: writing onto one of the inputs (by name, symbolic link or hard link) is
refused before anything is written, because a batch that overwrites its own inbox loses data.
A symbolic link as target is followed (the link stays, its target gets the new content); a
target that is not a regular file (``/dev/null``, a named pipe) is written in place, since it
cannot be replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from werkbladen.errors import OutputError

PathLike = str | os.PathLike[str]


def ensure_not_input(path: PathLike, inputs: Iterable[PathLike]) -> None:
    """Raise :class:`WerkbladenError` when ``path`` is the same file as one of ``inputs``."""
    target = Path(path)
    resolved = target.resolve()
    for source in inputs:
        source_path = Path(source)
        same = source_path.resolve() == resolved
        if not same:
            with contextlib.suppress(OSError):
                same = target.samefile(source_path)
        if same:
            raise OutputError(
                f"refusing to write {target}: it is one of the input files; choose another output file"
            )


@contextlib.contextmanager
def atomic_write(path: PathLike, *, inputs: Iterable[PathLike] = ()) -> Iterator[BinaryIO]:
    """Open a binary stream whose content replaces ``path`` only when the block ends without error.

    Raises :class:`WerkbladenError` for an output that is an input, a folder, or cannot be
    written (the message names the path and the reason). Errors raised inside the block pass
    through unchanged, and the target is left untouched.
    """
    target = Path(os.path.realpath(path))
    ensure_not_input(path, inputs)
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"cannot write {path}: it is a folder; give a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        with _opened(path, "wb") as stream:
            yield stream
        return
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
            _set_mode(stream.fileno(), info)
        temp.replace(target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise
    _sync_folder(target.parent)


def write_bytes(path: PathLike, data: bytes, *, inputs: Iterable[PathLike] = ()) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path, inputs=inputs) as stream:
        stream.write(data)


@contextlib.contextmanager
def _opened(path: PathLike, mode: str) -> Iterator[BinaryIO]:
    try:
        stream = Path(path).open(mode)  # noqa: SIM115 - closed below, after the OSError check
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    with stream:
        yield stream  # type: ignore[misc]


def _set_mode(fd: int, existing: os.stat_result | None) -> None:
    """Give the new file the old file's mode, or what a plain ``open`` would (0666 less umask).

    ``mkstemp`` makes its file 0600, which would hide an export from the other users that the
    folder's permissions meant to share it with.
    """
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Make the rename durable; not every system can open a folder, and that is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
