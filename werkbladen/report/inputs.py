"""The report's inputs: filled PDFs (read as ``extract`` reads them) and the JSON that ``extract`` wrote.

A coordinator corrects a record in the JSON and reports again, so a JSON or JSON Lines file is
taken as records; it is recognised by its content (it starts with ``{`` or ``[``), not by its
name. Everything else goes to the reader. An input that cannot be used becomes a
:class:`~werkbladen.report.model.Failure` with a Dutch reason, listed at the end of the report;
nothing stops the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, cast

from werkbladen.content.model import Werkboek
from werkbladen.errors import Status
from werkbladen.labels import status_label
from werkbladen.limits import DEFAULT_LIMITS, Limits
from werkbladen.record import RECORD_KEYS, Record
from werkbladen.report.model import Failure

SNIFF = 64
"""Bytes read to tell JSON from a PDF."""
_LIST_DEFAULTS: dict[str, Any] = {
    "respondent": {},
    "answers": {},
    "extras": {},
    "warnings": [],
    "conflicts": [],
    "details": {},
}


def read_pdfs(
    paths: Sequence[str], *, werkboek: Werkboek, limits: Limits, jobs: int | None, password: str | None
) -> Iterator[Record]:
    """One settled record per input found in ``paths``, as ``extract`` reads them (``werkbladen.inbox``)."""
    from werkbladen.inbox.collect import read_inbox

    for record in read_inbox(paths, werkboek=werkboek, limits=limits, jobs=jobs, password=password):
        yield cast(Record, record)


def read_inputs(
    paths: Sequence[str],
    *,
    werkboek: Werkboek,
    limits: Limits = DEFAULT_LIMITS,
    jobs: int | None = None,
    password: str | None = None,
) -> tuple[list[Record], list[Failure]]:
    """The records of every input (PDFs first, in one batch), and the JSON inputs that could not be used."""
    pdfs: list[str] = []
    jsons: list[str] = []
    for path in paths:
        (jsons if _is_json(path) else pdfs).append(path)
    records = (
        list(read_pdfs(pdfs, werkboek=werkboek, limits=limits, jobs=jobs, password=password)) if pdfs else []
    )
    failures: list[Failure] = []
    for path in jsons:
        found, failed = records_from_json(path)
        records.extend(found)
        failures.extend(failed)
    return records, failures


def _is_json(path: str) -> bool:
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(SNIFF)
    except OSError:
        return False  # a folder, or the reader names the problem
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def records_from_json(path: str) -> tuple[list[Record], list[Failure]]:
    """The records in a JSON array, a single JSON record, or JSON Lines; what is not a record, failed."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Failure(path, status_label(Status.ERROR), f"niet te lezen als JSON: {exc}")]
    try:
        document: Any = json.loads(text)
        items = document if isinstance(document, list) else [document]
    except json.JSONDecodeError:
        items = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                reason = f"geen geldige JSON (regel {number}, kolom {exc.colno}: {exc.msg})"
                return [], [Failure(path, status_label(Status.DAMAGED), reason)]
    records: list[Record] = []
    failures: list[Failure] = []
    for number, item in enumerate(items, 1):
        where = path if len(items) == 1 else f"{path} (record {number})"
        record = as_record(item, path)
        if record is None:
            reason = "geen record van werkbladen extract (uitvoer van --raw of ander JSON-bestand)"
            failures.append(Failure(where, status_label(Status.NOT_A_WERKBLAD), reason))
        else:
            records.append(record)
    return records, failures


def as_record(item: Any, path: str) -> Record | None:
    """``item`` as a record with every key of the contract (older extracts lack the newer ones)."""
    if not isinstance(item, dict) or "status" not in item or "fields" in item:
        return None
    if not isinstance(item.get("answers", {}), dict):
        return None
    record: dict[str, Any] = {key: item.get(key) for key in RECORD_KEYS}
    for key, default in _LIST_DEFAULTS.items():
        if not isinstance(record[key], type(default)):
            record[key] = type(default)()
    record["file"] = record["file"] or path
    record["source"] = record["source"] or record["file"]
    return cast(Record, record)
