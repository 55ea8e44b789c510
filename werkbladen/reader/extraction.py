"""``extract()``: a filled PDF in, validated answers out, and never an exception for a bad input.

Every input gets exactly one :class:`~.result.ExtractResult`: ``ok``, ``warnings`` (read, but
look at what is said), or a named failure with a one-line reason. Only the caller's own mistakes
(a wrong argument type) raise. Time and memory limits need a process boundary and live in
:mod:`werkbladen.reader.batch`; the size, node and depth limits apply here.

The pipeline: :mod:`.source` (the bytes, checked), then the fast path (:mod:`.xref`) or pypdf
(:mod:`.pdf`), both walked by :mod:`.walker`, then :mod:`.interpret` (which werkblad, which
answers). A PDF without fields goes to :mod:`.recover` first: printed and flattened werkbladen
are read from their pages.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from typing import TYPE_CHECKING, Any

from werkbladen.errors import ReadError, Status
from werkbladen.limits import DEFAULT_LIMITS, Limits
from werkbladen.reader.interpret import interpret, no_fields
from werkbladen.reader.result import REPAIRED, ExtractResult, failure
from werkbladen.reader.source import Source, check_bytes, source_bytes
from werkbladen.record import RawRecord, raw_record

if TYPE_CHECKING:
    from werkbladen.content.model import Werkboek
    from werkbladen.reader.identify import DocInfo
    from werkbladen.reader.rawform import RawForm


def extract(
    source: Source,
    *,
    password: str | None = None,
    werkboek: Werkboek | None = None,
    limits: Limits = DEFAULT_LIMITS,
    fast_path: bool = True,
) -> ExtractResult:
    """Read a filled werkblad PDF (a path or its bytes) into validated answers.

    Failures come back as a result with a failure ``status`` and ``reason``, never raised.
    ``werkboek`` defaults to the shipped content; an empty user password opens without asking.
    ``fast_path=False`` reads with pypdf even a regular file (the result is the same; tests
    compare the two).
    """
    file = None if isinstance(source, bytes) else os.fspath(source)
    if werkboek is None:
        from werkbladen.content.loader import shipped_werkboek

        werkboek = shipped_werkboek()
    log: list[str] = []
    sha256 = None
    try:
        data = source_bytes(source, limits)
        sha256 = hashlib.sha256(data).hexdigest()
        damage = check_bytes(data, limits)
        form, info = _walk(data, password, limits, fast_path and not damage, log)
        if not form.fields and not form.has_xfa:
            from werkbladen.reader.recover import recover

            recovered = recover(file, data, info.template, damage, log, werkboek, password)
            if recovered is not None:
                return dataclasses.replace(recovered, sha256=sha256, modified=info.modified)
        result = interpret(file, form, info.template, damage, log, werkboek)
        return dataclasses.replace(result, sha256=sha256, modified=info.modified)
    except (Exception, MemoryError, RecursionError) as exc:
        error = _read_error(exc)
        result = failure(file, error.status, str(error), **({"pdf_log": log} if log else {}))
        return dataclasses.replace(result, sha256=sha256)


def read_raw(
    source: Source, *, password: str | None = None, limits: Limits = DEFAULT_LIMITS, fast_path: bool = True
) -> RawRecord:
    """The fields of any AcroForm PDF: fully qualified name → normalised value, as a record."""
    record = raw_record(None if isinstance(source, bytes) else os.fspath(source), Status.OK)
    log: list[str] = []
    try:
        data = source_bytes(source, limits)
        damage = check_bytes(data, limits)
        form, _ = _walk(data, password, limits, fast_path and not damage, log)
    except (Exception, MemoryError, RecursionError) as exc:
        error = _read_error(exc)
        record["status"], record["reason"] = error.status, str(error)
        return record
    warnings = record["warnings"] = list(form.warnings)
    details: dict[str, Any] = {}
    for name, fields in form.by_name().items():
        record["fields"][name] = fields[0].value
        if len(fields) > 1:
            warnings.append(f"veld {name!r} komt {len(fields)} keer voor; de eerste waarde is gebruikt")
            details.setdefault("duplicates", {})[name] = [f.value for f in fields]
    if log:
        warnings.append(REPAIRED)
        details["pdf_log"] = log
    if damage:
        record["status"], record["reason"], record["details"] = Status.DAMAGED, damage[0], details
    elif not form.fields:
        error = no_fields(form, None)
        record["status"], record["reason"] = error.status, str(error)
    else:
        record["status"] = Status.WARNINGS if warnings else Status.OK
        if details:
            record["details"] = details
    return record


def _walk(
    data: bytes, password: str | None, limits: Limits, fast_path: bool, log: list[str]
) -> tuple[RawForm, DocInfo]:
    """The form and its document information: the fast path's reading, else pypdf's.

    pypdf's log of repairs goes to ``log``, also when reading fails half-way.
    """
    if fast_path:
        from werkbladen.reader import lexer, xref

        try:
            return xref.read(data, limits)
        except lexer.Fallback:
            pass
    from werkbladen.reader import PYPDF, info_of, open_pdf, reading
    from werkbladen.reader.walker import walk_form

    with reading(limits) as messages:
        try:
            reader = open_pdf(data, password)
            return walk_form(reader.root_object, PYPDF, limits), info_of(reader)
        finally:
            log.extend(messages)


def _read_error(exc: BaseException) -> ReadError:
    if isinstance(exc, ReadError):
        return exc
    from werkbladen.reader import as_read_error

    return as_read_error(exc)


__all__ = ["ExtractResult", "extract", "failure", "read_raw"]
