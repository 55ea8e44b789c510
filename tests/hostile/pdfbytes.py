"""Raw PDF assembly for the hostile set: whole files, incremental updates, deflate bombs.

Hostile files need exactly the bytes we say (a cycle, a lying offset, a cut), which no PDF
library writes on purpose, so they are assembled here from object bodies. Everything is
deterministic: the same call gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zlib
from typing import Any

_STARTXREF = re.compile(rb"startxref\s+(\d+)")


def ser(obj: Any) -> bytes:
    """A pypdf generic object as PDF syntax (indirect references as ``n g R``)."""
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


def pdf_string(text: str) -> bytes:
    """A PDF text string: a literal when ASCII, else UTF-16BE with BOM as hex."""
    if text.isascii():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("\r", "\\r")
        return b"(" + escaped.replace("\n", "\\n").encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def stream(data: bytes, extra: bytes = b"", *, flate: bool = False) -> bytes:
    """A stream object body; ``flate`` compresses ``data`` with FlateDecode."""
    if flate:
        data = zlib.compress(data, 9)
        extra = b"/Filter /FlateDecode " + extra
    return b"<< " + extra + b"/Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def build(
    objects: dict[int, bytes],
    root: int,
    info: int | None = None,
    *,
    version: bytes = b"1.7",
) -> bytes:
    """A whole single-revision PDF with a classic xref table over ``objects``."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    size = max(objects) + 1
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    trailer = b"/Size %d /Root %d 0 R" % (size, root)
    if info is not None:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def last_startxref(data: bytes) -> int:
    found = _STARTXREF.findall(data)
    if not found:
        raise ValueError("no startxref in base file")
    return int(found[-1])


def append_update(data: bytes, objects: dict[int, bytes], trailer: bytes) -> bytes:
    """``data`` plus one incremental update that (re)defines ``objects``.

    ``trailer`` holds the update's trailer entries (``/Size``, ``/Root`` …); ``/Prev`` is added.
    """
    prev = last_startxref(data)
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for num in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    out += b"trailer\n<< " + trailer + b" /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (prev, xref)
    return bytes(out)


def append_xref_stream_update(
    data: bytes,
    objects: dict[int, bytes],
    compressed: dict[int, tuple[int, int]],
    xref_num: int,
    trailer: bytes,
) -> bytes:
    """An incremental update with a cross-reference stream (needed to point into an /ObjStm).

    ``compressed`` maps object numbers to (object stream number, index) type-2 entries.
    """
    prev = last_startxref(data)
    out = bytearray(data)
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    offsets[xref_num] = len(out)
    rows: list[tuple[int, bytes]] = [
        (n, bytes([1]) + o.to_bytes(4, "big") + b"\0") for n, o in offsets.items()
    ]
    rows += [(n, bytes([2]) + s.to_bytes(4, "big") + bytes([i])) for n, (s, i) in compressed.items()]
    rows.sort()
    index = b" ".join(b"%d 1" % n for n, _ in rows)
    body = b"".join(r for _, r in rows)
    head = b"/Type /XRef /W [1 4 1] /Index [" + index + b"] " + trailer + b" /Prev %d " % prev
    out += b"%d 0 obj\n" % xref_num + stream(body, head) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_num]
    return bytes(out)


def zero_bomb(size: int) -> bytes:
    """A zlib stream that inflates to ``size`` zero bytes, made in milliseconds.

    Deflating gigabytes would take seconds, so one 16 MiB block is compressed with a full
    flush (which resets the compressor, making the flushed output context-free) and repeated.
    """
    chunk = 16 * 1024 * 1024
    count, rest = divmod(size, chunk)
    comp = zlib.compressobj(9)
    head_and_block = comp.compress(bytes(chunk)) + comp.flush(zlib.Z_FULL_FLUSH)
    header, block = head_and_block[:2], head_and_block[2:]
    parts = [header, block * count]
    tail = zlib.compressobj(9)
    tail_bytes = tail.compress(bytes(rest)) + tail.flush()
    # The tail's own stream: skip its zlib header and its adler32; keep its deflate blocks.
    parts.append(tail_bytes[2:-4])
    adler = (((size % 65521) << 16) | 1) if size else 1
    parts.append(adler.to_bytes(4, "big"))
    return b"".join(parts)
