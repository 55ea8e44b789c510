"""The working group's joint picture, as plain data: what the report shows, before any layout.

From the current records and the content this builds, per step and in the werkblad's order,
each organisation's answer to each question, and the summaries a meeting needs: the network
table counted (``N van M``), the open rows partners added, the results with their indicators,
the scores per intervention and bouwsteen, the approvals. Everything is derived from the
content's structure (a table with a checkbox column is counted, a table of score columns named
by a text row is scored, …), never from its wording, so that a publisher's own content works.

Pure Python and no ReportLab: the tests check the counts here, the layout only draws them.
Answers are untrusted: :func:`plain` makes every one printable text, and nothing here is markup.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from werkbladen import labels
from werkbladen.content.model import (
    EXPLAIN_LABEL,
    Column,
    FieldKind,
    QuestionBlock,
    Row,
    TableBlock,
    Werkblad,
    Werkboek,
)
from werkbladen.content.naming import WERKBOEK
from werkbladen.errors import READ_STATUSES, Status
from werkbladen.labels import status_label
from werkbladen.record import Record, is_current

NO_ANSWER = "geen antwoord"
OPEN = "open"
YES = "ja"
NO_NAME = "organisatie niet ingevuld"

FILLED, PARTLY, MISSING = "ingevuld", "deels", "ontbreekt"
"""The states of a cell of the cover's matrix: every question answered, some (or none), no form."""

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


# ---------------------------------------------------------------- text


def plain(value: str) -> str:
    """Text as it can be printed: line ends as ``\\n``, tabs as spaces, control characters as ``�``.

    A NUL, an escape or a lone surrogate in an answer must not stop the build, nor vanish
    without a trace; U+2028/U+2029 are line breaks to a reader, so they become ``\\n``.
    """
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL.sub("\ufffd", text.replace("\t", "    "))


def name_key(text: str) -> str:
    """How names are compared: without case and without spacing (``Rots & Water`` = ``rots&water``)."""
    return _SPACE.sub("", text).casefold()


def sort_key(text: str) -> tuple[str, str]:
    """Alphabetical as a Dutch reader expects: accents and case do not count, ``’s-`` neither."""
    bare = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in bare if c.isalnum() or c == " ")
    return bare.strip(), text


def dutch_date(day: dt.date) -> str:
    """``24 juni 2021``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def parse_day(value: Any) -> dt.date | None:
    """The calendar day of an ISO 8601 date or timestamp; None for anything else."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def answer_text(value: Any, kind: str, options: Sequence[tuple[str, str]] = ()) -> str | None:
    """The answer as a person reads it, or None when the field was left empty.

    A date as ``dd-mm-jjjj`` (as the form asks for it; a date that did not parse, as typed), a
    choice as its option's label, a ticked checkbox as ``ja``. Values of another type than the
    field's (a record corrected by hand) are shown as they are rather than dropped.
    """
    if value is None or value is False:
        return None
    if value is True:
        return YES
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = plain(value)
    if not text.strip():
        return None
    if kind == FieldKind.DATE and (day := parse_day(text)) and len(text.strip()) == 10:
        return f"{day.day:02d}-{day.month:02d}-{day.year}"
    if kind == FieldKind.CHOICE:
        return dict(options).get(text, text)
    return text.strip("\n")


# ---------------------------------------------------------------- forms


@dataclass(frozen=True)
class Form:
    """One current record: whose it is and which werkbladen it answers."""

    organisation: str
    """As typed (cleaned), or :data:`NO_NAME` with the file."""
    key: str
    """The organisation compared without case and spacing: forms of one organisation share it."""
    source: str
    werkbladen: frozenset[str]
    answers: Mapping[str, Any]
    recovered: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """A form read back from its printed page: per field, how (``details.recovered``)."""

    def value(self, name: str) -> Any:
        return self.answers.get(name)

    def shown(self, name: str, text: str | None) -> str | None:
        """``text``, and, for an answer read from a printed page, what to check it against."""
        flags = self.recovered.get(name)
        if text is None or not flags:
            return text
        return f"{text}\n({'; '.join(labels.RECOVERED_FLAG_LABELS.get(f, f) for f in flags)})"

    def table(self, key: str) -> dict[str, Mapping[str, Any]]:
        """A table's rows by row id; a table that is not a list of rows (hand-edited) is empty."""
        rows = self.answers.get(key)
        if not isinstance(rows, list):
            return {}
        return {str(r.get("row")): r for r in rows if isinstance(r, dict)}


def form_of(record: Record, werkboek: Werkboek) -> Form:
    source = str(record.get("source") or record.get("file") or "")
    respondent = record.get("respondent") or {}
    typed = respondent.get("organisatie") if isinstance(respondent, dict) else None
    name = plain(typed).strip() if isinstance(typed, str) else ""
    if not name:
        name = f"{NO_NAME} ({PurePosixPath(source).name or source})"
    werkblad = record.get("werkblad")
    covered = {w.id for w in werkboek.werkbladen} if werkblad == WERKBOEK else {str(werkblad)}
    answers = record.get("answers")
    recovered = (record.get("details") or {}).get("recovered")
    return Form(
        organisation=name,
        key=name_key(name) if typed else f"\0{source}",
        source=source,
        werkbladen=frozenset(covered),
        answers=answers if isinstance(answers, dict) else {},
        recovered=recovered if isinstance(recovered, dict) else {},
    )


@dataclass(frozen=True)
class Contribution:
    """A form that answers a step, under the name it is shown by."""

    who: str
    form: Form


def contributions(forms: Sequence[Form], werkblad: Werkblad) -> list[Contribution]:
    """The forms answering ``werkblad`` in name order; an organisation's second form is named by its file."""
    chosen = [f for f in forms if werkblad.id in f.werkbladen]
    per_key: dict[str, int] = {}
    for f in chosen:
        per_key[f.key] = per_key.get(f.key, 0) + 1
    out = []
    for f in chosen:
        who = f.organisation
        if per_key[f.key] > 1:
            who = f"{who} ({PurePosixPath(f.source).name})"
        out.append(Contribution(who, f))
    return out


# ---------------------------------------------------------------- what the report shows


@dataclass
class Entry:
    """One organisation's answer; ``text`` None where it left the field empty."""

    who: str
    text: str | None


@dataclass
class Heading:
    """A section title of the werkblad, kept so that the questions stay in their context."""

    text: str


@dataclass
class Question:
    text: str
    help: str | None
    entries: list[Entry]


@dataclass
class ShortAnswers:
    """Consecutive short questions (yes/no, dates) as one grid: a row per organisation.

    A choice followed by a date question (approved? — on which date?) shares one column:
    ``ja, 24-06-2021``; a choice left empty reads ``open``.
    """

    headers: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass
class Tally:
    """A fixed row of a checklist: who ticked it, and what they wrote beside it."""

    label: str
    ticked: list[str]
    count: int
    """Organisations that ticked it (an organisation with two forms counts once)."""
    entries: list[Entry]
    """Organisations that ticked it or wrote beside it; text None where they ticked only."""


@dataclass
class Checklist:
    """A table with a checkbox column: each fixed row counted, ``N van M``; then the open rows."""

    caption: str
    check: str
    of: int
    """M: the organisations that returned the step."""
    tallies: list[Tally]
    added: list[Entry]
    """Per organisation that used the open rows: what it added, one row after the other."""


@dataclass
class Entries:
    """A table of open rows only (results and indicators): every filled row, by organisation."""

    caption: str
    headers: list[str]
    rows: list[tuple[str, list[str | None]]]


@dataclass
class ScoreRow:
    label: str
    counts: list[int]
    """How many gave each option of the scale, in the scale's order."""
    median: str | None


@dataclass
class Intervention:
    name: str
    named: bool
    """False for a column scored without a name: it is not grouped with any other."""
    spellings: list[str]
    """The other ways the name was typed (``rots en  water``), so that every answer is in the report."""
    named_by: list[str]
    rows: list[ScoreRow]
    notes: list[tuple[str, list[Entry]]]
    """Per text row (Toelichting): what each organisation that scored it wrote."""


@dataclass
class Scores:
    """A table of score columns named by a text row (step 5): per intervention and row, the scores."""

    caption: str
    options: list[tuple[str, str]]
    interventions: list[Intervention]


@dataclass
class Grid:
    """A table of fixed rows with columns to fill (the measuring plan): per row, per column, the answers."""

    caption: str
    rows: list[tuple[str, list[Question]]]


Item = Heading | Question | ShortAnswers | Checklist | Entries | Scores | Grid


@dataclass
class StepOverview:
    werkblad: Werkblad
    returned: list[str]
    """Who returned the step, as they are named in it."""
    missing: list[str]
    """Organisations (with a form for another step) that did not return this one."""
    items: list[Item]


@dataclass
class Cell:
    state: str
    answered: int
    questions: int


@dataclass
class Failure:
    source: str
    status: str
    """The Dutch label of the status."""
    reason: str


@dataclass
class Overview:
    title: str
    date: dt.date | None
    date_from_records: bool
    organisations: list[str]
    matrix: list[tuple[str, list[Cell]]]
    steps: list[StepOverview]
    read: int
    """Forms read, current or not."""
    current: int
    duplicates: list[tuple[str, str]]
    """(source, the source it repeats)."""
    superseded: list[tuple[str, str]]
    """(source, the source that replaces it)."""
    warned: list[tuple[str, int]]
    """Current forms read with warnings: (source, how many)."""
    failed: list[Failure]
    skipped: list[Failure] = field(default_factory=list)


# ---------------------------------------------------------------- building it


def overview(
    records: Iterable[Record],
    werkboek: Werkboek,
    *,
    date: dt.date | None = None,
    failures: Sequence[Failure] = (),
) -> Overview:
    """The joint picture of ``records``: only current ones, the others counted and listed.

    ``date`` is the date on the cover; without it, the newest date the current records carry
    (sent, modified, or the respondent's own date), so that the same inputs give the same report.
    """
    current: list[Record] = []
    duplicates: list[tuple[str, str]] = []
    superseded: list[tuple[str, str]] = []
    failed = list(failures)
    skipped: list[Failure] = []
    read = 0
    for record in records:
        source = str(record.get("source") or record.get("file") or "")
        status = record.get("status")
        if status in READ_STATUSES:
            read += 1
        if is_current(record):
            current.append(record)
        elif record.get("duplicate_of") and status in READ_STATUSES:
            duplicates.append((source, str(record["duplicate_of"])))
        elif record.get("superseded_by") and status in READ_STATUSES:
            superseded.append((source, str(record["superseded_by"])))
        else:
            entry = Failure(source, status_label(str(status)), plain(str(record.get("reason") or "")))
            (skipped if status == Status.SKIPPED else failed).append(entry)
    forms = sorted(
        (form_of(r, werkboek) for r in current), key=lambda f: (sort_key(f.organisation), f.source)
    )
    steps = [w for w in werkboek.werkbladen if _units(w)]
    names: dict[str, str] = {}
    for f in forms:
        names.setdefault(f.key, f.organisation)
    matrix = [
        (name, [_cell(werkboek, w, [f for f in forms if f.key == key]) for w in steps])
        for key, name in names.items()
    ]
    step_views = []
    for werkblad in steps:
        given = contributions(forms, werkblad)
        keys = {c.form.key for c in given}
        step_views.append(
            StepOverview(
                werkblad=werkblad,
                returned=[c.who for c in given],
                missing=[name for key, name in names.items() if key not in keys],
                items=list(_items(werkboek, werkblad, given)),
            )
        )
    warned = [
        (str(r.get("source") or r.get("file")), len(r.get("warnings") or []))
        for r in current
        if r.get("warnings")
    ]
    found = date or _newest_date(current)
    return Overview(
        title=werkboek.title,
        date=found,
        date_from_records=date is None and found is not None,
        organisations=list(names.values()),
        matrix=matrix,
        steps=step_views,
        read=read,
        current=len(current),
        duplicates=sorted(duplicates),
        superseded=sorted(superseded),
        warned=sorted(warned),
        failed=sorted(failed, key=lambda f: (f.source, f.status, f.reason)),
        skipped=sorted(skipped, key=lambda f: (f.source, f.status, f.reason)),
    )


def _newest_date(records: Sequence[Record]) -> dt.date | None:
    days = []
    for r in records:
        respondent = r.get("respondent") or {}
        for value in (r.get("sent"), r.get("modified"), respondent.get("datum")):
            day = parse_day(value)
            if day is not None:
                days.append(day)
    return max(days, default=None)


def _units(werkblad: Werkblad) -> list[QuestionBlock | TableBlock]:
    """What the matrix counts as a question: each question, and each table with cells to fill."""
    out: list[QuestionBlock | TableBlock] = []
    for block in werkblad.blocks():
        if isinstance(block, QuestionBlock) or (isinstance(block, TableBlock) and _fillable(block)):
            out.append(block)
    return out


def _fillable(table: TableBlock) -> list[tuple[Row, Column]]:
    return [(r, c) for r in table.rows for c in table.columns if table.cell_kind(r, c) is not None]


def _answered(form: Form, werkblad: Werkblad, unit: QuestionBlock | TableBlock) -> bool:
    if isinstance(unit, QuestionBlock):
        fields = [unit.field] if unit.explain is None else [unit.field, unit.explain]
        return any(answer_text(form.value(f"{werkblad.id}_{f.id}"), f.kind) is not None for f in fields)
    rows = form.table(f"{werkblad.id}_{unit.id}")
    return any(
        answer_text(rows.get(r.id, {}).get(c.id), FieldKind.TEXT) is not None for r, c in _fillable(unit)
    )


def _cell(werkboek: Werkboek, werkblad: Werkblad, forms: Sequence[Form]) -> Cell:
    units = _units(werkblad)
    mine = [f for f in forms if werkblad.id in f.werkbladen]
    if not mine:
        return Cell(MISSING, 0, len(units))
    answered = sum(any(_answered(f, werkblad, u) for f in mine) for u in units)
    return Cell(FILLED if answered == len(units) else PARTLY, answered, len(units))


_SHORT = frozenset({FieldKind.CHOICE, FieldKind.DATE, FieldKind.CHECKBOX})


def _items(werkboek: Werkboek, werkblad: Werkblad, given: Sequence[Contribution]) -> Iterable[Item]:
    scales = werkboek.scale_map
    for section in werkblad.sections:
        blocks = [
            b
            for b in section.blocks
            if isinstance(b, QuestionBlock) or (isinstance(b, TableBlock) and _fillable(b))
        ]
        if not blocks:
            continue
        if section.title:
            yield Heading(section.title)
        i = 0
        while i < len(blocks):
            block = blocks[i]
            run = []
            while (
                i < len(blocks)
                and isinstance(b := blocks[i], QuestionBlock)
                and b.field.kind in _SHORT
                and b.explain is None  # a ja/nee with room to explain gets its own question
            ):
                run.append(b)
                i += 1
            if len(run) >= 2:
                yield _short_answers(werkboek, werkblad, run, given)
                continue
            if run:
                block = run[0]
            else:
                i += 1
            if isinstance(block, QuestionBlock):
                spec = block.field
                options = [(o.value, o.label) for o in scales[spec.scale].options] if spec.scale else []
                name = f"{werkblad.id}_{spec.id}"
                yield Question(
                    block.text,
                    block.help,
                    [
                        Entry(
                            c.who,
                            _explained(
                                c,
                                werkblad,
                                block,
                                c.form.shown(name, answer_text(c.form.value(name), spec.kind, options)),
                            ),
                        )
                        for c in given
                    ],
                )
            else:
                yield _table(werkboek, werkblad, block, given)


def _explained(c: Contribution, werkblad: Werkblad, block: QuestionBlock, text: str | None) -> str | None:
    """The answer and, where the question has room to explain and it was used, the explanation."""
    if block.explain is None:
        return text
    explain = f"{werkblad.id}_{block.explain.id}"
    note = c.form.shown(explain, answer_text(c.form.value(explain), block.explain.kind))
    if note is None:
        return text
    return f"{text or NO_CHOICE}\n{EXPLAIN_LABEL}: {note}"


NO_CHOICE = "geen keuze"


def _short_answers(
    werkboek: Werkboek, werkblad: Werkblad, run: Sequence[QuestionBlock], given: Sequence[Contribution]
) -> ShortAnswers:
    scales = werkboek.scale_map
    columns: list[tuple[QuestionBlock, QuestionBlock | None]] = []
    for block in run:
        if block.field.kind == FieldKind.DATE and columns:
            first, date = columns[-1]
            if first.field.kind == FieldKind.CHOICE and date is None:
                columns[-1] = (first, block)
                continue
        columns.append((block, None))

    def shown(c: Contribution, block: QuestionBlock) -> str | None:
        spec = block.field
        options = [(o.value, o.label.lower()) for o in scales[spec.scale].options] if spec.scale else []
        name = f"{werkblad.id}_{spec.id}"
        return c.form.shown(name, answer_text(c.form.value(name), spec.kind, options))

    rows = []
    for c in given:
        cells = []
        for block, date in columns:
            text = shown(c, block)
            if text is None:
                text = OPEN if block.field.kind == FieldKind.CHOICE else NO_ANSWER
            if date is not None and (day := shown(c, date)) is not None:
                text = f"{text}, {day}"
            cells.append(text)
        rows.append((c.who, cells))
    return ShortAnswers([block.text for block, _ in columns], rows)


def _row_label(row: Row, table: TableBlock) -> str:
    for column in table.columns:
        if column.id in row.cells:
            return row.cells[column.id]
    return row.id


def _cell_text(
    rows: Mapping[str, Mapping[str, Any]], table: TableBlock, row: Row, column: Column
) -> str | None:
    kind = table.cell_kind(row, column)
    if kind is None:
        return None
    return answer_text(rows.get(row.id, {}).get(column.id), kind[0])


def _table(werkboek: Werkboek, werkblad: Werkblad, table: TableBlock, given: Sequence[Contribution]) -> Item:
    caption = table.caption or ""
    key = f"{werkblad.id}_{table.id}"
    check = next((c for c in table.columns if c.kind == FieldKind.CHECKBOX), None)
    fixed = [r for r in table.rows if r.cells]
    open_rows = [r for r in table.rows if not r.cells]
    if _score_columns(table):
        return _scores(werkboek, table, key, given)
    if check is not None and fixed:
        return _checklist(table, key, check, fixed, open_rows, given)
    if not fixed:
        return _entries(table, key, given)
    return Grid(
        caption,
        [
            (
                _row_label(row, table),
                [
                    Question(
                        column.header,
                        None,
                        [Entry(c.who, _cell_text(c.form.table(key), table, row, column)) for c in given],
                    )
                    for column in table.columns
                    if table.cell_kind(row, column) is not None
                ],
            )
            for row in table.rows
            if any(table.cell_kind(row, c) is not None for c in table.columns)
        ],
    )


def _open_row_text(rows: Mapping[str, Mapping[str, Any]], table: TableBlock, row: Row) -> str | None:
    lines = []
    for column in table.columns:
        text = _cell_text(rows, table, row, column)
        if text is not None:
            lines.append(f"{column.header}: {text}")
    return "\n".join(lines) or None


def _checklist(
    table: TableBlock,
    key: str,
    check: Column,
    fixed: Sequence[Row],
    open_rows: Sequence[Row],
    given: Sequence[Contribution],
) -> Checklist:
    others = [c for c in table.columns if c is not check]
    tallies = []
    for row in fixed:
        ticked: list[str] = []
        keys: set[str] = set()
        entries = []
        for c in given:
            rows = c.form.table(key)
            tick = rows.get(row.id, {}).get(check.id) is True
            texts = [
                (col.header, t) for col in others if (t := _cell_text(rows, table, row, col)) is not None
            ]
            if tick:
                ticked.append(c.who)
                keys.add(c.form.key)
            if tick or texts:
                if len(texts) == 1:
                    text: str | None = texts[0][1]
                else:
                    text = "\n".join(f"{h}: {t}" for h, t in texts) or None
                entries.append(Entry(c.who, text))
        tallies.append(Tally(_row_label(row, table), ticked, len(keys), entries))
    added = []
    for c in given:
        rows = c.form.table(key)
        filled = [t for r in open_rows if (t := _open_row_text(rows, table, r)) is not None]
        if filled:
            added.append(Entry(c.who, "\n\n".join(filled)))
    return Checklist(
        table.caption or "",
        check.header,
        len({c.form.key for c in given}),
        tallies,
        added,
    )


def _entries(table: TableBlock, key: str, given: Sequence[Contribution]) -> Entries:
    rows_out: list[tuple[str, list[str | None]]] = []
    for c in given:
        rows = c.form.table(key)
        mine = [[_cell_text(rows, table, r, col) for col in table.columns] for r in table.rows]
        mine = [cells for cells in mine if any(t is not None for t in cells)]
        rows_out.extend((c.who, cells) for cells in mine or [[None] * len(table.columns)])
    return Entries(table.caption or "", [c.header for c in table.columns], rows_out)


def _score_columns(table: TableBlock) -> list[Column]:
    """The columns of a score table: choice cells under a row of text that names them."""
    named = [r for r in table.rows if r.kind == FieldKind.TEXT]
    if not named:
        return []
    return [
        c
        for c in table.columns
        if c.kind == FieldKind.CHOICE and c.scale and table.cell_kind(named[0], c) is not None
    ]


def _median(values: Sequence[str], options: Sequence[tuple[str, str]]) -> str | None:
    if not values:
        return None
    try:
        number = statistics.median(float(v) for v in values)
    except ValueError:
        order = [o for o, _ in options]
        ranked = sorted(order.index(v) for v in values)
        return dict(options)[order[ranked[(len(ranked) - 1) // 2]]]
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _scores(werkboek: Werkboek, table: TableBlock, key: str, given: Sequence[Contribution]) -> Scores:
    slots = _score_columns(table)
    name_row = next(r for r in table.rows if r.kind == FieldKind.TEXT)
    scored = [
        r
        for r in table.rows
        if r is not name_row and (k := table.cell_kind(r, slots[0])) is not None and k[0] == FieldKind.CHOICE
    ]
    notes = [r for r in table.rows if r is not name_row and r not in scored and table.cell_kind(r, slots[0])]
    scale = werkboek.scale_map[slots[0].scale or ""]
    options = [(o.value, o.label) for o in scale.options]
    groups: dict[str, list[tuple[str, str, Contribution, Column]]] = {}
    for c in given:
        rows = c.form.table(key)
        for slot in slots:
            name = _cell_text(rows, table, name_row, slot)
            used = name is not None or any(_cell_text(rows, table, r, slot) for r in (*scored, *notes))
            if not used:
                continue
            if name is None:
                group = f"\0{slot.id}\0{c.who}"
                shown = f"{slot.header} zonder naam, van {c.who}"
            else:
                group = name_key(name)
                shown = name.strip()
            groups.setdefault(group, []).append((shown, c.who, c, slot))
    interventions = []
    for group, members in groups.items():
        typed = [m[0] for m in members]
        name = max(typed, key=lambda t: (typed.count(t), -typed.index(t)))
        score_rows = []
        for row in scored:
            values = [
                str(v) for _, _, c, slot in members if (v := c.form.table(key).get(row.id, {}).get(slot.id))
            ]
            values = [v for v in values if v in dict(options)]
            score_rows.append(
                ScoreRow(
                    _row_label(row, table), [values.count(o) for o, _ in options], _median(values, options)
                )
            )
        note_entries = [
            (
                _row_label(row, table),
                [Entry(who, _cell_text(c.form.table(key), table, row, slot)) for _, who, c, slot in members],
            )
            for row in notes
        ]
        interventions.append(
            Intervention(
                name,
                not group.startswith("\0"),
                [t for t in dict.fromkeys(typed) if t != name],
                list(dict.fromkeys(m[1] for m in members)),
                score_rows,
                note_entries,
            )
        )
    interventions.sort(key=lambda i: (not i.named, sort_key(i.name)))
    return Scores(table.caption or "", options, interventions)
