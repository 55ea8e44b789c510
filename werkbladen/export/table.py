"""Extract records as rows: the wide table (a row per file) and the long one (a row per answer).

Every spreadsheet format shares this module, so CSV and XLSX can never disagree on columns,
order or cell text. The columns come from the content, not from the records: a column per
field of the whole werkboek in werkboek order, whichever werkblad a file is, so that sheets
from different batches line up. Only the ``extra:`` columns depend on the records.

Cell text, chosen for a Dutch coordinator reading a spreadsheet:

* null, ``""`` → an empty cell;
* checkbox ``true``/``false`` → ``ja``/``nee`` (an unticked box reads ``nee``, not empty);
* choice → the option value (``"3"``, ``"ja"``); the codebook gives value = label;
* date → ISO ``jjjj-mm-dd`` (a ``datetime.date`` too); text → exactly as typed;
* anything else (an extra holding a list, say) → compact JSON.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from werkbladen.content.model import Werkboek
from werkbladen.content.naming import cell_name, field_name
from werkbladen.record import RESPONDENT, cell_key

FIXED_COLUMNS = (
    "file",
    "source",
    "sha256",
    "sender",
    "sent",
    "modified",
    "status",
    "reason",
    "werkblad",
    "content_version",
    "duplicate_of",
    "superseded_by",
    "conflicts",
)
"""A record's own keys, in record order: where it came from, how it was read, how it stands."""
WARNINGS_COLUMN = "warnings"
EXTRA_PREFIX = "extra:"
WARNING_SEPARATOR = " | "

LONG_COLUMNS = ("file", "source", "werkblad", "step", "field", "question", "answer")

_FIXED_DESCRIPTIONS = {
    "file": "Het ingelezen bestand (bij een zip of e-mail: dat bestand)",
    "source": "Het PDF-bestand, met de map, zip of e-mail waarin het zat (inbox/mei.zip/ede/stap-2.pdf)",
    "sha256": "SHA-256 van het PDF-bestand",
    "sender": "Afzender van de e-mail waarin het formulier zat",
    "sent": "Wanneer die e-mail verstuurd is (ISO 8601)",
    "modified": "Wanneer het formulier voor het laatst is opgeslagen, volgens de PDF (ISO 8601)",
    "duplicate_of": "Het eerdere bestand waarvan dit een kopie is",
    "superseded_by": "Het nieuwere formulier van dezelfde organisatie dat dit vervangt",
    "conflicts": (
        "Andere formulieren van dezelfde organisatie die vragen anders beantwoorden: "
        '[{"source": …, "fields": [veld, …]}]'
    ),
    "status": (
        "Resultaat van het inlezen: ok, warnings (gelezen, met waarschuwingen), skipped (geen "
        "werkblad, in een map, zip of e-mail), of waarom het bestand niet gelezen kon worden "
        "(not_a_werkblad, no_form, flattened, encrypted, damaged, unsupported, timeout, too_large, error)"
    ),
    "reason": "Waarom het bestand niet (helemaal) gelezen kon worden",
    "werkblad": "Welk formulier het bestand is: werkboek of een stap (stap1 … stap7)",
    "content_version": "De versie van de inhoud waarmee het formulier gemaakt is",
}

_EXTRA_DESCRIPTION = (
    "Een veld dat deze versie van de werkbladen niet kent (uit een andere versie van het formulier)"
)
_WARNINGS_DESCRIPTION = "Waarschuwingen bij het inlezen en exporteren, gescheiden door |"

KIND_NAMES = {
    "text": "tekst",
    "multiline": "tekst (meerdere regels)",
    "checkbox": "vinkje",
    "choice": "keuze",
    "date": "datum",
}


@dataclass(frozen=True, slots=True)
class Column:
    """One spreadsheet column and what the codebook says about it."""

    name: str
    werkblad: str = ""
    """The werkblad id the field belongs to, ``respondent``, or empty."""
    title: str = ""
    """The werkblad's heading and title, e.g. ``Stap 2: …``."""
    question: str = ""
    kind: str = ""
    options: tuple[tuple[str, str], ...] = ()

    def values_text(self) -> str:
        """The codebook's description of the values a cell can hold."""
        return values_text(self.kind, self.options)


def values_text(
    kind: str,
    options: Iterable[tuple[str, str]],
    dates: str = "jjjj-mm-dd, of de tekst zoals ingevuld als die geen datum is",
) -> str:
    """What a codebook says of the values a cell of ``kind`` holds; ``dates`` for a date."""
    if kind == "choice":
        return "\n".join(f"{value} = {label}" for value, label in options)
    if kind == "checkbox":
        return "ja = aangevinkt\nnee = niet aangevinkt"
    if kind == "date":
        return dates
    return ""


def cell_text(value: Any) -> str | None:
    """The text of one spreadsheet cell (see the module docstring); None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=json_default, separators=(",", ":"))


def json_default(value: Any) -> Any:
    """``json.dumps`` fallback: dates as ISO strings, any mapping as an object."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


Compact = tuple[list[str | None], dict[str, str | None], list[str]]
"""A record's wide row before the ``extra:`` columns are known: the cell text of every content
column, the text per extra name (None where the record has the name but no value), its warnings."""


class Layout:
    """The columns for a werkboek and a set of records, and where each answer goes.

    Built once per export; :meth:`compact`, :meth:`wide_row` and :meth:`long_rows` then place each
    record's values with dictionary look-ups only. The ``extra:`` columns are the one part that
    depends on every record: give the records up front, or stream them through :meth:`compact`
    and call :meth:`set_extras` with the names seen before :meth:`wide_row` or the header.
    """

    def __init__(self, werkboek: Werkboek, records: Iterable[Mapping[str, Any]] = ()) -> None:
        self.respondent_ids = [r.id for r in werkboek.respondent]
        fields: list[Column] = [Column(name, question=_FIXED_DESCRIPTIONS[name]) for name in FIXED_COLUMNS]
        for spec in werkboek.respondent_fields():
            fields.append(Column(spec.name, RESPONDENT, "", spec.tooltip, spec.kind))
        self._tables: set[str] = set()
        """The keys tables have in a record's answers (``stap4_resultaten``)."""
        self._cells: dict[tuple[str, str, str], int] = {}
        scales = werkboek.scale_map
        for werkblad in werkboek.werkbladen:
            title = f"{werkblad.heading}: {werkblad.title}" if werkblad.step else werkblad.title
            for spec in werkblad.fields(scales):
                fields.append(Column(spec.name, werkblad.id, title, spec.tooltip, spec.kind, spec.options))
                if spec.table is not None and spec.row is not None and spec.column is not None:
                    key = field_name(werkblad.id, spec.table)
                    self._tables.add(key)
                    name = cell_name(werkblad.id, spec.table, spec.row, spec.column)
                    self._cells[key, spec.row, spec.column] = len(fields) - 1
                    assert name == spec.name, (name, spec.name)
        self._fields = {c.name: i for i, c in enumerate(fields) if i >= len(FIXED_COLUMNS)}
        """Field name (respondent fields included) → column index."""
        self._respondent_at = [self._fields[field_name(RESPONDENT, rid)] for rid in self.respondent_ids]
        self._content = fields
        self._first_extra = len(fields)
        self.set_extras({w for record in records for w, _ in self._located(record) if isinstance(w, str)})

    def set_extras(self, names: Iterable[str]) -> None:
        """Make an ``extra:`` column per name (sorted), for the names the records hold."""
        extras = sorted(names)
        self.extras = extras
        fields = self._content
        self.columns = fields + [Column(EXTRA_PREFIX + name, question=_EXTRA_DESCRIPTION) for name in extras]
        """Every column but the last one, ``warnings``."""
        self.header = [c.name for c in self.columns] + [WARNINGS_COLUMN]

    @property
    def field_columns(self) -> list[Column]:
        """The columns that hold answers: respondent, werkboek fields, extras."""
        return self.columns[len(FIXED_COLUMNS) :]

    @property
    def codebook(self) -> list[Column]:
        """Every column of the wide table, ``warnings`` included, for the codebook."""
        return [*self.columns, Column(WARNINGS_COLUMN, question=_WARNINGS_DESCRIPTION)]

    def compact(self, record: Mapping[str, Any]) -> Compact:
        """The record's wide row without the extras columns: what an export keeps per record."""
        row: list[str | None] = [None] * self._first_extra
        for i, name in enumerate(FIXED_COLUMNS):
            value = record.get(name)  # absent in records written before the key existed
            row[i] = cell_text(value) if value != [] else None
        extras: dict[str, str | None] = {}
        for where, value in self._located(record):
            text = cell_text(value)
            if isinstance(where, str):
                if text is not None or where not in extras:
                    extras[where] = text
            elif text is not None:
                row[where] = text
        warnings = record.get("warnings") or []
        return (
            row,
            extras,
            [str(w) for w in warnings] if isinstance(warnings, list | tuple) else [str(warnings)],
        )

    def widen(self, compact: Compact) -> tuple[list[str | None], list[str]]:
        """A compact row's cells for every column but ``warnings``, and its warnings."""
        row, extras, warnings = compact
        if self.extras:
            row = row + [extras.get(name) for name in self.extras]
        return row, warnings

    def wide_row(self, record: Mapping[str, Any]) -> tuple[list[str | None], list[str]]:
        """The record's cells for every column but ``warnings``, and its warnings."""
        return self.widen(self.compact(record))

    def long_rows(
        self, record: Mapping[str, Any], extras: set[str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """One ``LONG_COLUMNS`` row per non-empty answer, in column order; values keep their type.

        Extras come after the content's fields, by name: the order of their columns in the wide
        table whatever other records hold, so a long row needs no other record. The names of
        the record's extras (empty ones too, which make no row) are added to ``extras``.
        """
        placed: list[tuple[int, int | str, Any]] = []
        for where, value in self._located(record):
            if isinstance(where, str):
                if extras is not None:
                    extras.add(where)
                if value is not None and value != "":
                    placed.append((1, where, value))
            elif value is not None and value != "":
                placed.append((0, where, value))
        placed.sort(key=lambda p: (p[0], p[1]))
        file, werkblad = record.get("file"), record.get("werkblad")
        source = record.get("source") or file
        for extra, where, value in placed:
            if extra:
                step, field, question = "", where, ""
            else:
                column = self._content[where]  # type: ignore[index]
                step, field, question = column.werkblad, column.name, column.question
            yield {
                "file": file,
                "source": source,
                "werkblad": werkblad,
                "step": step,
                "field": field,
                "question": question,
                "answer": value,
            }

    def _located(self, record: Mapping[str, Any]) -> Iterator[tuple[int | str, Any]]:
        """Each value with its column index, or with its extra name when no content column holds it.

        Values the reader files under ``answers`` but the content does not know (a table cell of
        an older version, say) become extras too: nothing a record holds is dropped.
        """
        respondent = record.get("respondent")
        if isinstance(respondent, Mapping):
            for rid, i in zip(self.respondent_ids, self._respondent_at, strict=True):
                if rid in respondent:
                    yield i, respondent[rid]
        answers = record.get("answers")
        if isinstance(answers, Mapping):
            for name, value in answers.items():
                if name not in self._tables:
                    at = self._fields.get(name)
                    yield (name if at is None else at), value
                elif not isinstance(value, list):
                    yield name, value
                else:
                    for row in value:
                        if not isinstance(row, Mapping):
                            yield name, row
                            continue
                        row_id = str(row.get("row"))
                        for column, cell in row.items():
                            if column != "row":
                                cell_at = self._cells.get((name, row_id, column))
                                yield (cell_key(name, row_id, column) if cell_at is None else cell_at), cell
        extras = record.get("extras")
        if isinstance(extras, Mapping):
            for name, value in extras.items():
                yield str(name), value
