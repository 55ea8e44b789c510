"""Write a file so that it is either the old file or the whole new one, never a part.

The new content goes to a temporary file in the same folder (so the rename cannot cross
file systems), is flushed and ``fsync``-ed, and then ``os.replace``-d onto the target, which
is atomic on POSIX and Windows. On Linux that file has no name while it is written
(``O_TMPFILE``): it gets one only when complete, just before the rename, so a process killed
half-way (SIGKILL, a power cut) leaves nothing behind. Elsewhere it is a named temporary file,
which an exception on the way removes. Either way the target is left as it was until the end.
The folder is ``fsync``-ed after the rename where the system allows, so the new name survives a
power cut too.

Paths are guarded: writing onto one of the inputs (by name, symbolic link or hard link) is
refused before anything is written, because a batch that overwrites its own inbox loses data.
A symbolic link as target is followed (the link stays, its target gets the new content); a
target that is not a regular file (``/dev/null``, a named pipe) is written in place, since it
cannot be replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from werkbladen.errors import OutputError
from werkbladen.messages import os_reason

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
                f"{target} wordt niet overschreven: het is een van de invoerbestanden; kies een ander "
                "uitvoerbestand"
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
        raise OutputError(f"{path} is niet te schrijven ({os_reason(exc)})") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{path} is niet te schrijven: het is een map; geef een bestandsnaam")
    if info is not None and not stat.S_ISREG(info.st_mode):
        with _opened(path, "wb") as stream:
            yield stream
        return
    try:
        fd = _unnamed_file(target.parent)
        temp: Path | None = None
        if fd is None:
            fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temp = Path(temp_name)
    except OSError as exc:
        raise OutputError(f"{path} is niet te schrijven ({_why(exc, target.parent)})") from None
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
            _set_mode(stream.fileno(), info)
            if temp is None:
                temp = _name_it(stream.fileno(), target)
        temp.replace(target)
    except BaseException as exc:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
        if isinstance(exc, OSError):
            raise OutputError(f"{path} is niet te schrijven ({_why(exc, target.parent)})") from exc
        raise
    _sync_folder(target.parent)


_PROC_FD = Path("/proc/self/fd")


def _unnamed_file(folder: Path) -> int | None:
    """A file without a name in ``folder`` (Linux ``O_TMPFILE``), or None where there is none."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not _PROC_FD.is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None  # a file system (or kernel) without unnamed files
        raise


def _name_it(fd: int, target: Path) -> Path:
    """Give the finished unnamed file a temporary name beside ``target``, for the atomic rename.

    Through ``linkat(…, AT_SYMLINK_FOLLOW)`` on ``/proc/self/fd/N``, which needs no privilege;
    ``os.link`` calls ``linkat`` (not ``link``, which would link the magic link itself) only when
    given a folder descriptor, hence ``folder``.
    """
    folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for _ in range(100):
            temp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
            try:
                os.link(_PROC_FD / str(fd), temp.name, dst_dir_fd=folder, follow_symlinks=True)
            except FileExistsError:
                continue
            return temp
    finally:
        os.close(folder)
    raise FileExistsError(errno.EEXIST, "geen vrije tijdelijke naam", str(target.parent))


def _why(exc: OSError, folder: Path) -> str:
    """The reason, naming the folder when it is the folder that is missing."""
    if exc.errno == errno.ENOENT and not folder.exists():
        return f"de map {folder} bestaat niet"
    return os_reason(exc)


def write_bytes(path: PathLike, data: bytes, *, inputs: Iterable[PathLike] = ()) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path, inputs=inputs) as stream:
        stream.write(data)


@contextlib.contextmanager
def _opened(path: PathLike, mode: str) -> Iterator[BinaryIO]:
    try:
        stream = Path(path).open(mode)  # noqa: SIM115 - closed below, after the OSError check
    except OSError as exc:
        raise OutputError(f"{path} is niet te schrijven ({os_reason(exc)})") from None
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
