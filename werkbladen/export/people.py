"""The workbook for people: what ``extract … -o name.xlsx`` writes for the coordinator and the working group.

Sheets, in this order (a machine reads the wide layout instead, ``xlsx_layout="machine"``):

* ``overzicht``: a row per input, read or not: organisation, name, werkblad, standing
  (``actueel``, ``dubbel``, ``vervangen …``), status and reason in Dutch, where it came from
  (source, sender, date sent, date saved), what it duplicates, replaces or contradicts, warnings.
* a sheet per step (``stap 1`` …): a row per form that holds the step, the respondent columns
  first, then a column per question headed by a short form of the question (:func:`short_header`;
  the full question and the field name are in the ``codeboek``).
* a sheet per table (``stap 2 netwerken`` …), a row per table row, so that a filter or a pivot
  table can answer "who needs the LEA" or "which results with which indicator". Rows with fixed
  text (a network, a level) are always there, an unticked box reads ``nee``; open rows only when
  something was typed. A table whose rows set their own kind (step 5: a row of names, rows of
  scores, a row of explanations) describes its *columns*: the interventions. It is turned round,
  a row per intervention with a column per bouwsteen, because that is what a coordinator sorts
  and averages ("which interventions score low on which bouwsteen").
* ``onbekende velden``, only when there are any: values the current content does not know (a
  form of another version), a row each, so that nothing a form holds is lost.
* ``codeboek``: per sheet and column its header, the field name(s), the full question, the kind
  and the values.

Cells: scores (a scale of whole numbers) are numbers, dates real dates (a serial number with the
format ``dd-mm-jjjj``; a date that did not parse stays the text as typed), checkboxes ``ja``/``nee``,
everything else text exactly as typed, always a text cell (never a formula; a cell that starts
with ``= + - @`` gets Excel's quote prefix too). Forms that are not current (a duplicate, or
replaced by a newer form) are on the step and table sheets too, but hidden by the sheet's filter
on ``Stand`` = ``actueel``: the joint picture by default, everything one click away.

A form read from its printed page (status ``recovered``: a flattened or scanned-and-printed PDF)
has its cells marked one by one, the value and its type (number, date) kept: the named cell style
``van de pagina gelezen`` (italic on light yellow) and a cell comment with the answer's flags in
Dutch (``mogelijk onvolledig …``), its respondent cells on every sheet too; ``overzicht`` counts
them in the form's note and explains the style in a line below its rows.

Records are read once and written as they come: each sheet keeps its rows in a temporary file
(:class:`~werkbladen.export.workbook.StreamedSheet`), not the records.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from werkbladen import labels
from werkbladen.content.model import EXPLAIN_LABEL, TableBlock, Werkblad, Werkboek
from werkbladen.content.naming import WERKBOEK, FieldSpec, cell_name, field_name
from werkbladen.errors import READ_STATUSES, Status
from werkbladen.export.table import KIND_NAMES, cell_text, values_text
from werkbladen.export.workbook import (
    CODEBOOK_SHEET,
    MARKED_STYLE,
    Cell,
    Fragment,
    Movable,
    StreamedSheet,
    fix,
    write_xlsx,
)
from werkbladen.record import cell_key

OVERVIEW_SHEET = "overzicht"
EXTRAS_SHEET = "onbekende velden"
STANDING_HEADER = "Stand"
SOURCE_HEADER = "Bron"
CODEBOOK_HEADER = ("Blad", "Kolom", "Veld(en)", "Werkblad", "Vraag", "Soort", "Waarden")

SHORT_RESPONDENT = 2
"""The respondent columns (organisation, name) that lead a table's sheet: a row per table row
repeats them, and who answered is what a filter there needs."""
COMPRESSION = 1
"""zlib's fastest level: the workbook repeats who answered on every table row, so it is about half
as much XML again as the wide sheet; level 1 deflates it in a third of the time of the default
level 6, for a file about 45 % larger (3 MB rather than 2 MB for 1,000 werkboeken)."""
HEADER_LIMIT = 60
"""Characters of a question a header shows; the codeboek has the whole question."""

_LIMIT_BY_KIND = {
    "multiline": 50.0,
    "text": 30.0,
    "label": 40.0,
    "own": 40.0,
    "date": 12.0,
    "checkbox": 10.0,
    "choice": 10.0,
}
_SENTENCE_END = re.compile(r"(?<=[?!])\s+|(?<=[^.]\.)\s+")
"""Where a sentence ends: after ``?``, ``!`` or one ``.`` (an ellipsis ``...`` goes on)."""
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True, slots=True)
class PeopleColumn:
    """A column of a people's sheet, and what the codeboek says about it."""

    header: str
    kind: str
    """A field kind, ``label`` (fixed text of the werkblad, or typed in an open row) or ``info``."""
    fields: tuple[str, ...] = ()
    werkblad: str = ""
    question: str = ""
    options: tuple[tuple[str, str], ...] = ()

    @property
    def limit(self) -> float:
        return _LIMIT_BY_KIND.get(self.kind, 30.0)

    def values_text(self) -> str:
        return values_text(self.kind, self.options, "een datum (dd-mm-jjjj), of de tekst zoals ingevuld")


def short_header(question: str, limit: int = HEADER_LIMIT) -> str:
    """A header for ``question``: its first sentence (two when the first is a single word), cut at a word."""
    text = " ".join(question.split())
    sentences = _SENTENCE_END.split(text)
    header = sentences[0]
    if len(sentences) > 1 and len(header.split()) < 3:
        header = f"{header} {sentences[1]}"
    if len(header) > limit:
        cut = header[: limit - 1]
        header = (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(" ,;:") + "…"
    return header


EXPLAINED = f" ({EXPLAIN_LABEL.lower()})"
"""Behind the header of a ja/nee's room to explain: ``Kunnen we dit koppelen… (toelichting)``."""


def _header(spec: FieldSpec) -> str:
    """The short header of a field; a ja/nee's explanation is its question's, marked as such."""
    explained = f" {EXPLAIN_LABEL}"
    if spec.tooltip.endswith(explained):
        question = spec.tooltip.removesuffix(explained)
        return short_header(question, HEADER_LIMIT - len(EXPLAINED)) + EXPLAINED
    return short_header(spec.tooltip)


def _unique(headers: list[str], full: list[str]) -> list[str]:
    """Headers made unique within a sheet: a repeat gets its full question if that is short, or a number."""
    seen: set[str] = set()
    out = []
    for header, question in zip(headers, full, strict=True):
        if header in seen and len(" ".join(question.split())) <= HEADER_LIMIT:
            header = short_header(question, limit=HEADER_LIMIT + 1)
        n = 2
        base = header
        while header in seen:
            header, n = f"{base} ({n})", n + 1
        seen.add(header)
        out.append(header)
    return out


def sheet_name(text: str) -> str:
    """A sheet name Excel accepts: no ``[]:*?/\\``, at most 31 characters."""
    return _FORBIDDEN_IN_SHEET_NAMES.sub(" ", text)[:31].strip()


# ---------------------------------------------------------------- cell values


def _text(value: Any) -> Cell:
    return value if isinstance(value, str) else cell_text(value)


def _checkbox(value: Any) -> Cell:
    if value is True:
        return "ja"
    if value is False:
        return "nee"
    return _text(value)


def _number(value: Any) -> Cell:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return _text(value)


def date_cell(value: Any) -> Cell:
    """A date as a date cell; text that is not an ISO date (a typed ``na de zomer``) stays text."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value if value >= datetime.date(1900, 3, 1) else value.isoformat()
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            return value
        return day if day >= datetime.date(1900, 3, 1) else value
    return _text(value)


def moment_cell(value: Any) -> Cell:
    """An ISO 8601 moment (an e-mail's Date, a PDF's ModDate) as a date-and-time cell, at its clock time."""
    if isinstance(value, str) and len(value) >= 10:
        try:
            moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        if moment.year >= 1901:
            return moment.replace(tzinfo=None)
        return value
    return _text(value)


def _converter(kind: str, options: Sequence[tuple[str, str]]) -> Any:
    if kind == "checkbox":
        return _checkbox
    if kind == "date":
        return date_cell
    if kind == "choice" and options and all(v.isascii() and v.isdigit() for v, _ in options):
        return _number
    return _text


# ---------------------------------------------------------------- the sheets


@dataclass
class _FormSheet:
    """A step or table sheet: the columns after the respondent's, and how a record fills them."""

    name: str
    werkblad: Werkblad
    columns: list[PeopleColumn]
    keys: frozenset[str]
    """The answer keys that put a form on this sheet (the form holds the step, or the table)."""
    table: TableBlock | None = None
    turned: bool = False
    converters: list[Any] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    """For a step sheet: the field name per column."""
    table_columns: list[str] = field(default_factory=list)
    """For a table sheet: the table's column id per sheet column (turned round: the row id)."""
    known: frozenset[tuple[str, str]] = frozenset()
    """For a table sheet: the (row, column) of every cell with a field."""
    planned: list[_PlannedRow] = field(default_factory=list)

    @functools.cached_property
    def allowed(self) -> dict[str, frozenset[str]]:
        """Per row id the keys a row of this table may have: ``row`` and its cells' columns."""
        out: dict[str, set[str]] = {}
        for row, column in self.known:
            out.setdefault(row, {"row"}).add(column)
        return {row: frozenset(columns) for row, columns in out.items()}


def _step_sheet(werkboek: Werkboek, werkblad: Werkblad) -> _FormSheet | None:
    scales = werkboek.scale_map
    specs = [s for s in werkblad.fields(scales) if s.table is None]
    if not specs:
        return None
    headers = _unique([_header(s) for s in specs], [s.tooltip for s in specs])
    columns = [
        PeopleColumn(h, s.kind, (s.name,), werkblad.id, s.tooltip, s.options)
        for h, s in zip(headers, specs, strict=True)
    ]
    sheet = _FormSheet(
        sheet_name(f"stap {werkblad.step}" if werkblad.step else werkblad.id),
        werkblad,
        columns,
        frozenset(s.name for s in werkblad.fields(scales)),
    )
    sheet.fields = [s.name for s in specs]
    sheet.converters = [_converter(s.kind, s.options) for s in specs]
    return sheet


def _table_sheets(werkboek: Werkboek, werkblad: Werkblad) -> Iterator[_FormSheet]:
    scales = werkboek.scale_map
    for block in werkblad.blocks():
        if not isinstance(block, TableBlock):
            continue
        cells = {(row.id, col.id): block.cell_kind(row, col) for row in block.rows for col in block.columns}
        if not any(cells.values()):
            continue  # a table of fixed text only: content, not answers
        key = field_name(werkblad.id, block.id)
        name = sheet_name(f"stap {werkblad.step} {block.id.replace('_', ' ')}")
        caption = block.caption or block.id
        turned = any(row.kind is not None for row in block.rows)
        columns: list[PeopleColumn] = []
        converters = []
        shown: list[str] = []
        if turned:
            instance = [c for c in block.columns if any(cells[r.id, c.id] for r in block.rows)]
            prefix = _common_prefix([c.header for c in instance]) or "Kolom"
            columns.append(
                PeopleColumn(prefix, "label", werkblad=werkblad.id, question=f"{caption}: de kolom")
            )
            converters.append(_text)
            for row in block.rows:
                kinds = [cells[row.id, c.id] for c in instance]
                if not any(kinds):
                    continue
                kind, scale = next(k for k in kinds if k)
                options = tuple((o.value, o.label) for o in scales[scale].options) if scale else ()
                label = next(iter(row.cells.values()), row.id)
                names = tuple(
                    cell_name(werkblad.id, block.id, row.id, c.id) for c in instance if cells[row.id, c.id]
                )
                columns.append(
                    PeopleColumn(label, kind.value, names, werkblad.id, f"{caption}: {label}", options)
                )
                converters.append(_converter(kind.value, options))
                shown.append(row.id)
        else:
            for col in block.columns:
                kinds = [cells[r.id, col.id] for r in block.rows]
                fixed = any(k is None for k in kinds)
                found = next((k for k in kinds if k), None)
                if found is None and not fixed:
                    continue
                scale = found[1] if found and not fixed else None
                options = tuple((o.value, o.label) for o in scales[scale].options) if scale else ()
                names = tuple(
                    cell_name(werkblad.id, block.id, r.id, col.id) for r in block.rows if cells[r.id, col.id]
                )
                column_kind = found[0].value if found and not fixed else ("own" if shown else "label")
                columns.append(
                    PeopleColumn(
                        col.header, column_kind, names, werkblad.id, f"{caption}: {col.header}", options
                    )
                )
                converters.append(_converter(column_kind, options))
                shown.append(col.id)
        headers = _unique([c.header for c in columns], [c.question for c in columns])
        columns = [
            PeopleColumn(h, c.kind, c.fields, c.werkblad, c.question, c.options)
            for h, c in zip(headers, columns, strict=True)
        ]
        known = frozenset((r, c) for (r, c), kind in cells.items() if kind is not None)
        yield _FormSheet(
            name,
            werkblad,
            columns,
            frozenset({key}),
            block,
            turned,
            converters,
            table_columns=shown,
            known=known,
        )


def _common_prefix(headers: Sequence[str]) -> str:
    if len(headers) < 2:
        return ""
    first, last = min(headers), max(headers)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n].rstrip(" 0123456789")


@dataclass(frozen=True, slots=True)
class _PlannedRow:
    """One sheet row a form's table can give: fixed cells encoded once, then the cells to look up."""

    fixed: Fragment | None
    cells: tuple[tuple[str, str, Any, str | None], ...]
    """(row id, column id, converter, fixed text or None) per cell after ``fixed``."""
    always: bool
    """A row with fixed text (a network, a level) is always there; an open row only when filled."""


def _plan(form: _FormSheet, sheet: StreamedSheet, start: int) -> list[_PlannedRow]:
    """The rows ``form``'s table gives on ``sheet``, its cells from column ``start`` on."""
    table = form.table
    assert table is not None
    planned = []
    if form.turned:
        for col in table.columns:
            if not any(table.cell_kind(r, col) for r in table.rows):
                continue
            attributes = zip(form.table_columns, form.converters[1:], strict=True)
            turned = tuple((row, col.id, convert, None) for row, convert in attributes)
            planned.append(_PlannedRow(sheet.fragment([col.header], start), turned, False))
        return planned
    for row in table.rows:
        columns = list(zip(form.table_columns, form.converters, strict=True))
        lead = 0
        while lead < len(columns) and columns[lead][0] in row.cells:
            lead += 1
        # Of a row's fixed text only what names it (the network, the level) is repeated per form:
        # the rest describes the row in the werkblad and would fill the sheet many times over.
        named = [row.cells[c] if i == 0 else None for i, (c, _) in enumerate(columns[:lead])]
        fixed = sheet.fragment(named, start) if lead else None
        cells: tuple[tuple[str, str, Any, str | None], ...] = tuple(
            (row.id, c, convert, "" if c in row.cells else None) for c, convert in columns[lead:]
        )
        planned.append(_PlannedRow(fixed, cells, bool(row.cells)))
    return planned


Segment = Sequence[Cell] | Fragment


def _planned_rows(planned: list[_PlannedRow], rows: list[Any]) -> Iterator[tuple[_PlannedRow, list[Cell]]]:
    """The sheet rows a form's table gives (see :func:`_plan`): the plan, and its cells after the fixed."""
    given = {str(r.get("row")): r for r in rows if isinstance(r, Mapping)}
    empty: Mapping[str, Any] = {}
    for plan in planned:
        values = [given.get(row, empty).get(column) for row, column, _, fixed in plan.cells]
        if not plan.always and all(v is None or v is False or v == "" for v in values):
            continue
        cells: list[Cell] = [
            fixed if fixed is not None else convert(value)
            for (_, _, convert, fixed), value in zip(plan.cells, values, strict=True)
        ]
        yield plan, cells


def _table_rows(planned: list[_PlannedRow], rows: list[Any]) -> Iterator[tuple[Segment, ...]]:
    """The segments of the sheet rows one form's table gives (see :func:`_plan`)."""
    for plan, cells in _planned_rows(planned, rows):
        yield (plan.fixed, cells) if plan.fixed else (cells,)


def recovered_note(flags: Sequence[str]) -> str:
    """The comment of a cell read from a printed page: its flags in Dutch, and what to do."""
    text = (
        "; ".join(labels.RECOVERED_FLAG_LABELS.get(str(f), str(f)) for f in flags)
        or (labels.RECOVERED_FLAG_LABELS["from_page"])
    )
    return f"{text[:1].upper()}{text[1:]}. Controleer tegen de PDF."


RECOVERED_LEGEND = (
    f"Cursief op lichtgeel (celstijl “{MARKED_STYLE}”): een antwoord dat van de pagina gelezen is "
    "(een afdruk of platgeslagen PDF, geen formulier); de opmerking bij de cel zegt wat er mogelijk "
    "mis is. Controleer het tegen de PDF."
)
"""The legend line below the rows of ``overzicht`` when any cell is marked so."""


def _marked_table_rows(
    planned: list[_PlannedRow], rows: list[Any], key: str, marks: Mapping[str, str]
) -> Iterator[tuple[tuple[Segment, ...], dict[int, str]]]:
    """:func:`_table_rows` with each row's marked cells (column → note), for a record read from the page."""
    for plan, cells in _planned_rows(planned, rows):
        start = SHORT_RESPONDENT + (plan.fixed.count if plan.fixed else 0)
        found = {
            start + i: marks[name]
            for i, (row, column, _, fixed) in enumerate(plan.cells)
            if fixed is None and (name := cell_key(key, row, column)) in marks
        }
        yield ((plan.fixed, cells) if plan.fixed else (cells,)), found


def _recovered_flags(record: Mapping[str, Any]) -> dict[str, list[str]]:
    """A recovered record's ``details.recovered``: field name → its flags (``from_page`` first)."""
    details = record.get("details")
    flags = details.get("recovered") if isinstance(details, Mapping) else None
    if not isinstance(flags, Mapping):
        return {}
    return {str(k): [str(f) for f in v] if isinstance(v, list) else [] for k, v in flags.items()}


def _table_extras(sheet: _FormSheet, rows: Any) -> Iterator[tuple[str, Any]]:
    """Cells a form's table holds that the content does not (a row or column of another version)."""
    table = sheet.table
    assert table is not None
    key = next(iter(sheet.keys))
    if not isinstance(rows, list):
        yield key, rows
        return
    known = sheet.known
    allowed = sheet.allowed
    for row in rows:
        if not isinstance(row, Mapping):
            yield key, row
            continue
        row_id = str(row.get("row"))
        if row.keys() <= allowed.get(row_id, frozenset()):
            continue
        for column, value in row.items():
            if column != "row" and (row_id, column) not in known:
                yield cell_key(key, row_id, column), value


# ---------------------------------------------------------------- the workbook


_OVERVIEW = (
    ("Organisatie", "respondent.organisatie", "De organisatie die het formulier invulde", 40.0),
    ("Naam", "respondent.naam", "Wie het formulier invulde", 24.0),
    ("Werkblad", "werkblad", "Welk formulier: het hele werkboek of één stap", 24.0),
    (
        STANDING_HEADER,
        "duplicate_of, superseded_by",
        "actueel; dubbel (een kopie van een eerder bestand); "
        "vervangen door een nieuwere versie; niet gelezen",
        20.0,
    ),
    ("Status", "status", "Wat het inlezen opleverde", 24.0),
    ("Reden", "reason", "Waarom het bestand niet (helemaal) gelezen kon worden", 50.0),
    (SOURCE_HEADER, "source", "Het bestand, met de map, zip of e-mail waarin het zat", 50.0),
    ("Versie", "content_version", "De versie van de werkbladen waarmee het formulier gemaakt is", 8.0),
    ("Afzender", "sender", "Wie de e-mail stuurde", 30.0),
    ("Verzonden", "sent", "Wanneer de e-mail verstuurd is", 17.0),
    ("Opgeslagen", "modified", "Wanneer het formulier voor het laatst is opgeslagen (volgens de PDF)", 17.0),
    ("Dubbel van", "duplicate_of", "Het eerdere, gelijke bestand", 40.0),
    ("Vervangen door", "superseded_by", "Het nieuwere formulier van dezelfde organisatie", 40.0),
    (
        "Verschilt van",
        "conflicts",
        "Andere formulieren van dezelfde organisatie die anders antwoorden, met de vragen",
        50.0,
    ),
    ("Waarschuwingen", "warnings", "Waarschuwingen bij het inlezen en schrijven", 60.0),
)
_TAIL_LIMITS = [20.0, 50.0]
"""The width limits of every step and table sheet's last two columns, ``Stand`` and ``Bron``."""
_OVERVIEW_RESPONDENT = (field_name("respondent", "organisatie"), field_name("respondent", "naam"))
"""The fields of the overview's first two columns."""
_EXTRAS = (
    PeopleColumn("Veld", "text", question="De naam van het veld in de PDF"),
    PeopleColumn("Waarde", "multiline", question="Wat erin stond"),
)


class PeopleWorkbook:
    """The sheets for one werkboek; :meth:`add` each record, then :meth:`write`."""

    def __init__(self, werkboek: Werkboek) -> None:
        self.respondent = [
            PeopleColumn(r.label, r.kind.value, (field_name("respondent", r.id),), "respondent", r.label)
            for r in werkboek.respondent
        ]
        self._respondent_ids = [r.id for r in werkboek.respondent]
        self._respondent_fields = [field_name("respondent", r.id) for r in werkboek.respondent]
        self._respondent_converters = [_converter(c.kind, ()) for c in self.respondent]
        self.forms: list[_FormSheet] = []
        for werkblad in werkboek.werkbladen:
            step = _step_sheet(werkboek, werkblad)
            if step:
                self.forms.append(step)
            self.forms.extend(_table_sheets(werkboek, werkblad))
        self._werkblad_names = {WERKBOEK: "werkboek (alle stappen)"}
        self._werkblad_names.update({w.id: w.heading if w.step else w.title for w in werkboek.werkbladen})
        self._known = frozenset().union(*(s.keys for s in self.forms))
        self._headers = {f: c.header for s in self.forms if not s.table for c in s.columns for f in c.fields}
        self._headers.update({next(iter(s.keys)): s.name for s in self.forms if s.table})
        tail = [PeopleColumn(STANDING_HEADER, "info"), PeopleColumn(SOURCE_HEADER, "info")]
        self._tail = tail
        self.overview = StreamedSheet(
            OVERVIEW_SHEET, [h for h, *_ in _OVERVIEW], [w for *_, w in _OVERVIEW], frozen_columns=1
        )
        self.sheets = [self._sheet(s, s.name, s.columns) for s in self.forms]
        for form, sheet in zip(self.forms, self.sheets, strict=True):
            if form.table is not None:
                form.planned = _plan(form, sheet, SHORT_RESPONDENT)
        self.extras = self._sheet(None, EXTRAS_SHEET, _EXTRAS)

    def _lead(self, form: _FormSheet | None) -> list[PeopleColumn]:
        """The respondent columns a sheet starts with: all on a step sheet; who, on the others."""
        return (
            self.respondent if form is not None and form.table is None else self.respondent[:SHORT_RESPONDENT]
        )

    def _sheet(self, form: _FormSheet | None, name: str, columns: Sequence[PeopleColumn]) -> StreamedSheet:
        every = [*self._lead(form), *columns, *self._tail]
        limits = [c.limit for c in every]
        limits[0] = 40.0  # the organisation: frozen, and read on every row
        limits[-2:] = _TAIL_LIMITS
        return StreamedSheet(
            name,
            [c.header for c in every],
            limits,
            frozen_columns=1,
            filter_column=len(every) - 2,
            shown=labels.CURRENT,
        )

    def add(self, record: Mapping[str, Any]) -> None:
        """Write the record's rows: on the step and table sheets when it was read, and on the overview."""
        notes: list[str] = []
        status = record.get("status")
        standing = labels.standing_label(record)
        source = _text(record.get("source") or record.get("file"))
        marks: dict[str, str] | None = None
        flags: dict[str, list[str]] = {}
        if status == Status.RECOVERED:
            flags = _recovered_flags(record)
            marks = {name: recovered_note(how) for name, how in flags.items()}
            if marks:
                self.overview.legend = RECOVERED_LEGEND
        if status in READ_STATUSES:
            notes = self._add_answers(record, standing, source, marks)
        if status == Status.RECOVERED:
            notes.append(self._recovered_note(flags))
        self._add_overview(record, standing, source, notes, marks)

    def _recovered_note(self, flags: Mapping[str, Any]) -> str:
        """For a form read from its printed page: how many answers, and which to check (by header)."""
        headers: dict[str, str] = {
            f: str(c.header)
            for form in self.forms
            if form.table is None
            for f, c in zip(form.fields, form.columns, strict=True)
        }
        doubtful = [
            f"{headers.get(name, name)}: "
            f"{', '.join(labels.RECOVERED_FLAG_LABELS.get(str(x), str(x)) for x in how[1:])}"
            for name, how in flags.items()
            if isinstance(how, list) and len(how) > 1
        ]
        note = f"{len(flags)} antwoorden van de pagina gelezen (een afdruk, geen formulier)"
        return f"{note}; controleer tegen de PDF: {'; '.join(doubtful)}" if doubtful else note

    def _add_answers(
        self, record: Mapping[str, Any], standing: str, source: Cell, marks: Mapping[str, str] | None = None
    ) -> list[str]:
        """Write the record's rows on the step, table and extras sheets; return the repair notes.

        ``marks`` (a recovered record's: field name → note) marks those fields' cells.
        """
        respondent = record.get("respondent")
        if not isinstance(respondent, Mapping):
            respondent = {}
        # The respondent block leads every sheet but the overview: encoded once, written in every row.
        who = [
            convert(respondent.get(rid))
            for rid, convert in zip(self._respondent_ids, self._respondent_converters, strict=True)
        ]
        full, short = self.extras.fragment(who), self.extras.fragment(who[:SHORT_RESPONDENT])
        hidden = standing != labels.CURRENT
        tail: list[Cell] = [standing, source]
        answers = record.get("answers")
        if not isinstance(answers, Mapping):
            answers = {}
        repaired: dict[str, None] = {}  # a repaired respondent cell is in every row: noted once

        moved = Movable(tail, _TAIL_LIMITS)  # the same cells at the end of every sheet

        def put(sheet: StreamedSheet, first: Fragment, rows: Iterable[Sequence[Segment]]) -> None:
            last = moved.at(sheet, len(sheet.header) - 2)
            for column, replaced, cut in sheet.add_rows(rows, first=first, last=last, hidden=hidden):
                repaired[_repair_note(sheet, column, replaced, cut)] = None

        if marks:
            # Read from the page: the rows one by one, their marked cells (the respondent's too) noted.
            lead = {i: marks[f] for i, f in enumerate(self._respondent_fields) if f in marks}

            def put_marked(
                sheet: StreamedSheet,
                form: _FormSheet,
                rows: Iterable[tuple[Sequence[Segment], dict[int, str]]],
            ) -> None:
                count = len(self._lead(form))
                first = who[:count]
                last = moved.at(sheet, len(sheet.header) - 2)
                for segments, found in rows:
                    found.update((i, note) for i, note in lead.items() if i < count)
                    for column, replaced, cut in sheet.add(
                        first, *segments, last, hidden=hidden, marks=found or None
                    ):
                        repaired[_repair_note(sheet, column, replaced, cut)] = None

        extras: list[tuple[str, Any]] = []
        for form, sheet in zip(self.forms, self.sheets, strict=True):
            if form.table is None:
                if any(k in answers for k in form.fields):
                    values = [
                        convert(answers.get(f))
                        for f, convert in zip(form.fields, form.converters, strict=True)
                    ]
                    if marks:
                        start = len(self.respondent)
                        found = {start + i: marks[f] for i, f in enumerate(form.fields) if f in marks}
                        put_marked(sheet, form, [((values,), found)])
                    else:
                        put(sheet, full, [(values,)])
                continue
            key = next(iter(form.keys))
            if key not in answers:
                continue
            rows = answers[key]
            if isinstance(rows, list):
                if marks:
                    put_marked(sheet, form, _marked_table_rows(form.planned, rows, key, marks))
                else:
                    put(sheet, short, _table_rows(form.planned, rows))
            extras.extend(_table_extras(form, rows))
        extras.extend((k, v) for k, v in answers.items() if k not in self._known)
        record_extras = record.get("extras")
        if isinstance(record_extras, Mapping):
            extras.extend((str(k), v) for k, v in record_extras.items())
        for name, value in extras:
            if value is not None and value != "":
                put(self.extras, short, [([name, _text(value)],)])
        return list(repaired)

    def _add_overview(
        self,
        record: Mapping[str, Any],
        standing: str,
        source: Cell,
        notes: list[str],
        marks: Mapping[str, str] | None = None,
    ) -> None:
        respondent = record.get("respondent")
        if not isinstance(respondent, Mapping):
            respondent = {}
        status = str(record.get("status") or "")
        warnings = record.get("warnings") or []
        if not isinstance(warnings, list | tuple):
            warnings = [warnings]
        werkblad = record.get("werkblad")
        cells: list[Cell] = [
            _text(respondent.get("organisatie")),
            _text(respondent.get("naam")),
            self._werkblad_names.get(werkblad, werkblad) if isinstance(werkblad, str) else _text(werkblad),
            standing,
            labels.status_label(status) if status else None,
            _text(record.get("reason")),
            source,
            _text(record.get("content_version")),
            _text(record.get("sender")),
            moment_cell(record.get("sent")),
            moment_cell(record.get("modified")),
            _text(record.get("duplicate_of")),
            _text(record.get("superseded_by")),
            self._conflicts(record.get("conflicts")),
        ]
        for i, cell in enumerate(cells):
            if isinstance(cell, str):
                cells[i], replaced, cut = fix(cell)
                if replaced or cut:
                    notes.append(_repair_note(self.overview, i, replaced, cut))
        if notes and status == Status.OK:
            cells[4] = labels.status_label(Status.WARNINGS)
        cells.append("\n".join([*(str(w) for w in warnings), *notes]) or None)
        found = None
        if marks:  # organisation and name, as read from the page
            found = {i: marks[f] for i, f in enumerate(_OVERVIEW_RESPONDENT) if f in marks}
        self.overview.add(cells, marks=found or None)

    def _conflicts(self, conflicts: Any) -> Cell:
        if not conflicts:
            return None
        if not isinstance(conflicts, list):
            return _text(conflicts)
        lines = []
        for conflict in conflicts:
            if isinstance(conflict, Mapping):
                fields = conflict.get("fields") or []
                named = (
                    "; ".join(self._headers.get(str(f), str(f)) for f in fields)
                    if isinstance(fields, list)
                    else str(fields)
                )
                lines.append(f"{conflict.get('source')}: {named}" if named else str(conflict.get("source")))
            else:
                lines.append(str(_text(conflict)))
        return "\n".join(lines)

    def codebook(self) -> StreamedSheet:
        sheet = StreamedSheet(CODEBOOK_SHEET, CODEBOOK_HEADER, [20.0, 40.0, 40.0, 12.0, 60.0, 16.0, 30.0])
        for header, key, description, _ in _OVERVIEW:
            sheet.add([OVERVIEW_SHEET, header, key, None, description, None, None])
        for form, streamed in zip(self.forms, self.sheets, strict=True):
            every = [*self._lead(form), *form.columns, *self._tail]
            for column, header in zip(every, streamed.header, strict=True):
                sheet.add(_codebook_row(streamed.name, header, column))
        if self.extras.rows > 1:
            for column in _EXTRAS:
                sheet.add([EXTRAS_SHEET, column.header, None, None, column.question, None, None])
        return sheet

    def close(self) -> None:
        for sheet in (self.overview, *self.sheets, self.extras):
            sheet.close()

    def write(self, target: IO[bytes]) -> None:
        sheets = [self.overview, *self.sheets]
        if self.extras.rows > 1:
            sheets.append(self.extras)
        sheets.append(self.codebook())
        write_xlsx(target, sheets, compresslevel=COMPRESSION)


def _codebook_row(sheet: str, header: str, column: PeopleColumn) -> list[Cell]:
    if column.kind == "info":
        question = (
            "actueel, dubbel of vervangen; alleen actuele formulieren staan standaard in beeld (filter)"
            if header == STANDING_HEADER
            else "Het bestand waaruit de rij komt"
        )
        return [sheet, header, None, None, question, None, None]
    kind = {
        "label": "vaste tekst van het werkblad, of ingevuld in een eigen regel",
        "own": "ingevuld in een eigen regel (bij de vaste regels staat het in het werkblad)",
    }.get(column.kind) or KIND_NAMES.get(column.kind)
    return [
        sheet,
        header,
        "\n".join(column.fields) or None,
        column.werkblad or None,
        column.question or None,
        kind,
        column.values_text() or None,
    ]


def _repair_note(sheet: StreamedSheet, column: int, replaced: int, cut: int) -> str:
    problems = []
    if replaced:
        problems.append(f"{replaced} teken(s) vervangen die een werkblad niet kan bevatten")
    if cut:
        problems.append(f"{cut} teken(s) afgekapt boven de 32.767 per cel van Excel")
    return f"{sheet.name}, {sheet.header[column]}: {'; '.join(problems)}"


def write_people_xlsx(target: IO[bytes], werkboek: Werkboek, records: Iterable[Mapping[str, Any]]) -> None:
    """Write the people's workbook of ``records`` to ``target``, record by record."""
    book = PeopleWorkbook(werkboek)
    try:
        for record in records:
            book.add(record)
        book.write(target)
    finally:
        book.close()
