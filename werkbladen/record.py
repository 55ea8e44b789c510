"""The record contract: what ``extract`` emits per input, spelled once for every module.

A record is plain JSON: the reader writes it, the batch sends it between processes, the
exporters lay it out, ``fill`` takes it back. Its keys, the respondent block's prefix and the
rule that groups table cells into rows live here and nowhere else. The JSON Schema
(``werkbladen schema``) is generated from the content with these keys (:mod:`.reader.answers`).
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from werkbladen.content.naming import FieldSpec
from werkbladen.errors import Status


class Record(TypedDict):
    """One input's result: answers by field id, tables as lists of rows, in werkboek order."""

    file: str | None
    status: Status
    reason: str | None
    werkblad: str | None
    content_version: str | None
    respondent: dict[str, Any]
    answers: dict[str, Any]
    extras: dict[str, Any]
    warnings: list[str]
    details: dict[str, Any]


class RawRecord(TypedDict):
    """``extract --raw``: the fields of any AcroForm PDF, fully qualified name → normalised value."""

    file: str | None
    status: Status
    reason: str | None
    fields: dict[str, Any]
    warnings: list[str]
    details: NotRequired[dict[str, Any]]


AnyRecord = Record | RawRecord
"""What a batch yields: records, or raw records with ``--raw``."""

RECORD_KEYS: tuple[str, ...] = tuple(Record.__annotations__)
"""The keys of a record, in the order it is written."""

RESPONDENT = "respondent"
"""The record key of the "Ingevuld door" block, and the werkblad id its PDF fields are named with."""
RESPONDENT_PREFIX = f"{RESPONDENT}_"


def respondent_key(field_name: str) -> str:
    """``organisatie`` for the PDF field ``respondent_organisatie``."""
    return field_name.removeprefix(RESPONDENT_PREFIX)


def is_respondent(field_name: str) -> bool:
    return field_name.startswith(RESPONDENT_PREFIX)


def table_key(spec: FieldSpec) -> str:
    """``stap4_resultaten`` for the cell ``stap4_resultaten_r2_indicator``: the record key of its table."""
    assert spec.row is not None and spec.column is not None
    return spec.name[: -len(f"_{spec.row}_{spec.column}")]


def cell_key(table: str, row: str, column: str) -> str:
    """The inverse of :func:`table_key`: the PDF name of a table's cell."""
    return f"{table}_{row}_{column}"


def raw_record(file: str | None, status: Status, reason: str | None = None) -> RawRecord:
    """An ``--raw`` record with no fields (yet)."""
    return {"file": file, "status": status, "reason": reason, "fields": {}, "warnings": []}
