"""The user's cache folder: what is costly to make and cheap to keep between runs.

Only derived data lives there (the blanks the page reader fits flattened forms to), each file
named by a hash of everything it was made from (:func:`code_fingerprint` and the caller's own
inputs), so a stale file is never read and a lost or damaged one is simply made again. Nothing
here may fail a command: a folder that cannot be read or written means working without a cache.

The folder is the platform's: ``%LOCALAPPDATA%\\werkbladen\\Cache`` on Windows,
``~/Library/Caches/werkbladen`` on macOS, ``$XDG_CACHE_HOME/werkbladen`` (``~/.cache/werkbladen``)
elsewhere. The environment variable ``WERKBLADEN_CACHE`` names another folder, or is ``uit``
(or ``off``) for none.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
from importlib import metadata
from pathlib import Path

ENV = "WERKBLADEN_CACHE"
OFF = frozenset({"uit", "off"})
_PACKAGE = Path(__file__).resolve().parent
_MADE_WITH = ("pypdf", "pypdfium2", "pyphen", "reportlab")
"""The libraries whose versions a cached blank depends on: layout, its PDF, and the reading of it."""


def cache_dir() -> Path | None:
    """The cache folder (not necessarily there yet), or None when caching is off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in OFF or not chosen.strip() else Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base, "werkbladen", "Cache") if base else None
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "werkbladen"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg if xdg and Path(xdg).is_absolute() else home / ".cache", "werkbladen")


def read(name: str) -> bytes | None:
    """The cached file ``name``, or None when there is none (or it cannot be read)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Keep ``data`` as ``name``, whole or not at all; a cache that cannot be written is skipped."""
    from werkbladen.atomic import write_bytes
    from werkbladen.errors import WerkbladenError

    folder = cache_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError, WerkbladenError):
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes(folder / name, data)


@functools.cache
def code_fingerprint() -> str:
    """A hash of this installation of werkbladen: every file of the package, and the versions of
    the libraries that lay out and read its PDFs. Any change to either makes new cache names."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    for library in _MADE_WITH:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library}={version}\0".encode())
    return digest.hexdigest()
