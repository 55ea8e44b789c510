"""The record contract: what ``extract`` emits per input, spelled once for every module.

A record is plain JSON: the reader writes it, the batch sends it between processes, the
exporters lay it out, ``fill`` takes it back. Its keys, the respondent block's prefix and the
rule that groups table cells into rows live here and nowhere else. The JSON Schema
(``werkbladen schema``) is generated from the content with these keys (:mod:`.reader.answers`).
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from werkbladen.content.naming import FieldSpec
from werkbladen.errors import READ_STATUSES, Status


class Conflict(TypedDict):
    """Another form of the same organisation that answers some of the same fields differently."""

    source: str
    fields: list[str]


class Record(TypedDict):
    """One input's result: answers by field id, tables as lists of rows, in werkboek order.

    ``file`` is the file on disk that was read (for a member of a zip or an e-mail: the container);
    ``source`` the path a person can follow down to the PDF itself, container and member joined by
    ``/`` (``inbox/mei.zip/ede/stap-2.pdf``, ``inbox/post.mbox/3/stap-2.pdf`` for the third message).
    ``sender`` and ``sent`` come from an e-mail, ``modified`` from the PDF's ``/ModDate`` (ISO 8601).
    A record is current when it was read and has neither ``duplicate_of`` nor ``superseded_by``.

    Status ``recovered``: a printed or flattened form, its answers read from the page
    (:mod:`werkbladen.reader.recover`). ``details.recovered`` maps the PDF field name of every
    value read from the page (respondent fields as ``respondent_naam``, table cells as
    ``stap4_resultaten_r2_indicator``) to its flags, ``from_page`` first and always:
    ``possibly_incomplete`` (the text reaches its box's edge or runs on, clipped, past it),
    ``lost_letters`` (glyphs without a Unicode mapping, kept as U+FFFD, or a ``?`` standing in for
    a letter), ``line_breaks_guessed`` (a multi-line answer whose typed line ends cannot be told
    from wraps at some line), ``overlapping_text`` (letters drawn over letters: a long answer beside
    or above runs on, clipped, under this one, and may be mixed into it), ``unclear_mark`` (a
    half-inked box, or two options marked: read as unanswered). A field left empty on the page
    has no entry. ``details.page_fit`` gives, for the first page and each page with fields (the
    pages a form is recognised and read by), its number, fitted scale and offset and the share of
    the blank's fixed texts found in place.
    """

    file: str | None
    source: str | None
    sha256: str | None
    sender: str | None
    sent: str | None
    modified: str | None
    status: Status
    reason: str | None
    werkblad: str | None
    content_version: str | None
    respondent: dict[str, Any]
    answers: dict[str, Any]
    extras: dict[str, Any]
    warnings: list[str]
    duplicate_of: str | None
    superseded_by: str | None
    conflicts: list[Conflict]
    details: dict[str, Any]


class RawRecord(TypedDict):
    """``extract --raw``: the fields of any AcroForm PDF, fully qualified name → normalised value."""

    file: str | None
    source: str | None
    status: Status
    reason: str | None
    fields: dict[str, Any]
    warnings: list[str]
    details: NotRequired[dict[str, Any]]


AnyRecord = Record | RawRecord
"""What a batch yields: records, or raw records with ``--raw``."""

RECORD_KEYS: tuple[str, ...] = tuple(Record.__annotations__)
"""The keys of a record, in the order it is written."""
PROVENANCE_KEYS: tuple[str, ...] = ("source", "sha256", "sender", "sent", "modified")
"""Where a record's PDF came from: set by the inbox, not by the reader."""
STANDING_KEYS: tuple[str, ...] = ("duplicate_of", "superseded_by", "conflicts")
"""How a record stands among the others: set once the whole batch is in."""


def is_current(record: Record) -> bool:
    """Read, and neither a copy of an earlier file nor replaced by a newer form."""
    return (
        record["status"] in READ_STATUSES
        and not record.get("duplicate_of")
        and not record.get("superseded_by")
    )


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
    return {"file": file, "source": file, "status": status, "reason": reason, "fields": {}, "warnings": []}
