"""An input's bytes, and the checks before any parser sees them: size, the PDF header, a truncated save."""

from __future__ import annotations

import os
import re
from pathlib import Path

from werkbladen.errors import DamagedError, NotAWerkbladError, ReadError, TooLargeError
from werkbladen.limits import Limits
from werkbladen.messages import ASK_AGAIN, limit_megabytes, megabytes, os_reason

Source = str | os.PathLike[str] | bytes
"""A PDF as a path or as its bytes."""

_OBJECT_OR_XREF = re.compile(rb"\d+\s+\d+\s+obj\b|\bxref\b|\btrailer\b|\bstartxref\b")
HEADER_WINDOW = 1024
"""ISO 32000 wants ``%PDF-`` first; viewers accept it within the first kilobyte."""


def check_bytes(data: bytes, limits: Limits) -> list[str]:
    """Refuse what is not a PDF or too large; report a truncated last save. Returns damage notes."""
    if len(data) > limits.max_size:
        raise TooLargeError(too_large_reason(len(data), limits))
    if not data:
        raise DamagedError("het bestand is leeg")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        # A stored zip shows its first PDF's header within the first kilobyte: never read it as one.
        raise NotAWerkbladError(
            "een zip-archief, geen PDF; geef het zip-archief zelf op, dan worden de formulieren erin gelezen"
        )
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        raise NotAWerkbladError("geen PDF-bestand (de kop %PDF- ontbreekt)")
    eof = data.rfind(b"%%EOF")
    if eof < 0:
        return [
            f"het bestand is afgekapt: de eindmarkering %%EOF ontbreekt, dus er kunnen antwoorden "
            f"ontbreken; {ASK_AGAIN}"
        ]
    tail = data[eof + 5 :]
    if _OBJECT_OR_XREF.search(tail):
        return [
            f"het bestand is afgekapt: wat na byte {eof + 5} is opgeslagen is onvolledig, "
            f"dus de laatst opgeslagen antwoorden kunnen ontbreken; {ASK_AGAIN}"
        ]
    return []


def too_large_reason(size: int, limits: Limits) -> str:
    """In the unit ``--max-size`` takes (MB of 1,048,576 bytes), so the two numbers compare."""
    return (
        f"het bestand is {megabytes(size)} MB, meer dan de grens van {limit_megabytes(limits.max_size)} MB "
        "(verhoog die met --max-size)"
    )


def source_bytes(source: Source, limits: Limits) -> bytes:
    """The bytes of ``source``, refused unread when the file is over the size limit."""
    if isinstance(source, bytes):
        return source
    path = Path(os.fspath(source))
    try:
        size = path.stat().st_size
        if size > limits.max_size:
            raise TooLargeError(too_large_reason(size, limits))
        with path.open("rb") as fh:
            return fh.read(limits.max_size + 1)
    except OSError as exc:
        raise ReadError(f"het bestand is niet te lezen ({os_reason(exc)})") from None
