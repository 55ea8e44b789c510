"""Write extract records as JSON, JSON Lines, CSV or XLSX, to a file (atomically) or to stdout.

Shapes (the same in every format, so a coordinator can switch format without surprises):

* people (XLSX only, the default there): the workbook for the coordinator and the working group,
  sheets per step headed by the questions (:mod:`werkbladen.export.people`).
* wide (the default elsewhere; XLSX with ``xlsx_layout="machine"``): a row per input file.
  JSON/JSONL write the records themselves; CSV and XLSX the record's own keys (``file, source,
  sha256, sender, sent, modified, status, reason, werkblad, content_version, duplicate_of,
  superseded_by, conflicts``; empty where a record predates them), the respondent
  fields, a column per field of the whole werkboek in werkboek order (table cells under
  their cell names), ``extra:<name>`` per unknown field seen, and ``warnings`` (joined with
  `` | ``). A file that could not be read still gets its row.
* long (``long=True``): a row per non-empty answer, columns ``file, source, werkblad, step,
  field, question, answer`` (respondent fields have step ``respondent``, extras an empty step and
  question). JSON writes these rows as an array (always, even one), JSONL one per line; there
  the answer keeps its JSON type (``true``), in CSV/XLSX it is cell text (``ja``).

Records are read once, one at a time, and written as they come (a generator straight from a
batch is fine): JSON, JSON Lines and the long tables keep nothing; the wide CSV/XLSX, whose
``extra:`` columns depend on every record, keep each record only as its row of cell text
(:class:`~werkbladen.export.spool.Spool`: in memory up to a few MB, then a temporary file).

Cell text is described in :mod:`werkbladen.export.table`, the CSV dialects and formula
neutralisation in :mod:`werkbladen.export.delimited`, the XLSX sheets in
:mod:`werkbladen.export.workbook`; each is imported only for its format. When the XLSX or CSV
had to repair a cell, the row's ``warnings`` cell says so and an ``ok`` status becomes ``warnings``.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TextIO, TypeVar, get_args

from werkbladen.atomic import PathLike, atomic_write, ensure_not_input
from werkbladen.errors import OutputError, Status

if TYPE_CHECKING:
    from werkbladen.content.model import Werkboek
    from werkbladen.export.table import Column, Compact, Layout

Format = Literal["json", "jsonl", "csv", "xlsx"]
CsvDialect = Literal["excel-nl", "rfc4180"]
XlsxLayout = Literal["people", "machine"]
FORMATS: tuple[Format, ...] = get_args(Format)
CSV_DIALECTS: tuple[CsvDialect, ...] = get_args(CsvDialect)
XLSX_LAYOUTS: tuple[XlsxLayout, ...] = get_args(XlsxLayout)

_SUFFIXES: dict[str, Format] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".xlsx": "xlsx",
}

RowCleaner = Callable[[list[str | None], Sequence[str]], list[str]]
_T = TypeVar("_T")

__all__ = [
    "CSV_DIALECTS",
    "FORMATS",
    "XLSX_LAYOUTS",
    "CsvDialect",
    "Format",
    "XlsxLayout",
    "format_from_suffix",
    "write_documents",
    "write_records",
]


def format_from_suffix(path: Path) -> Format | None:
    """The format a file name asks for (``.json``, ``.jsonl``/``.ndjson``, ``.csv``, ``.xlsx``), or None."""
    return _SUFFIXES.get(path.suffix.lower())


def write_records(
    records: Iterable[Mapping[str, Any]],
    fmt: Format,
    out: Path | None,
    *,
    werkboek: Werkboek,
    long: bool = False,
    csv_dialect: CsvDialect = "excel-nl",
    neutralise_formulas: bool = True,
    inputs: Collection[PathLike] | None = None,
    xlsx_layout: XlsxLayout = "people",
) -> None:
    """Write ``records`` (extract records) as ``fmt`` to ``out``, or to stdout when ``out`` is None.

    A file is written atomically: it is the old file or the complete new one, never a part.
    ``inputs`` are files ``out`` must not be (default: the records' ``file`` values, which
    reads a ``records`` that is not a sequence into a list first: give ``inputs`` to stream).
    Writing onto an input, XLSX to stdout, or an unknown format or dialect raises
    :class:`WerkbladenError` before a record is read.
    ``neutralise_formulas`` applies to CSV only; XLSX cells are text cells in any case.
    ``xlsx_layout`` is the XLSX's shape without ``long``: ``people``, sheets per step headed by
    the questions (:mod:`werkbladen.export.people`), or ``machine``, the wide table of the CSV.
    """
    if fmt not in FORMATS:
        raise OutputError(f"onbekend uitvoerformaat {fmt!r}; kies uit {', '.join(FORMATS)}")
    if csv_dialect not in CSV_DIALECTS:
        raise OutputError(f"onbekend CSV-dialect {csv_dialect!r}; kies uit {', '.join(CSV_DIALECTS)}")
    if xlsx_layout not in XLSX_LAYOUTS:
        raise OutputError(f"onbekende XLSX-indeling {xlsx_layout!r}; kies uit {', '.join(XLSX_LAYOUTS)}")
    if out is None and fmt == "xlsx":
        raise OutputError(
            "een XLSX kan niet naar de standaarduitvoer; geef een uitvoerbestand dat op .xlsx eindigt"
        )
    if inputs is None:
        if not isinstance(records, Sequence):
            records = list(records)
        inputs = [str(r["file"]) for r in records if r.get("file")]
    if out is not None:
        ensure_not_input(out, inputs)
    if fmt in ("json", "jsonl") and not long:
        write_documents(records, fmt, out, inputs=inputs)
        return

    if fmt == "xlsx" and not long and xlsx_layout == "people":
        from werkbladen.export.people import write_people_xlsx

        assert out is not None
        with atomic_write(out, inputs=inputs) as stream:
            write_people_xlsx(stream, werkboek, records)
        return

    from werkbladen.export.table import Layout

    layout = Layout(werkboek)
    if fmt == "xlsx":
        assert out is not None
        with atomic_write(out, inputs=inputs) as stream:
            _write_xlsx(stream, layout, records, long=long)
    elif fmt == "csv":
        from werkbladen.export import delimited

        with _text_output(out, inputs, delimited.DIALECTS[csv_dialect].encoding, "strict") as stream:
            _write_csv(
                stream, layout, records, long=long, dialect=csv_dialect, neutralise=neutralise_formulas
            )
    else:
        from werkbladen.export import text

        with _text_output(out, inputs, text.ENCODING, text.ENCODE_ERRORS) as stream:
            items = (row for record in records for row in layout.long_rows(record))
            if fmt == "json":
                text.write_json(stream, items, single_as_object=False)
            else:
                text.write_jsonl(stream, items)


def write_documents(
    items: Iterable[Mapping[str, Any]],
    fmt: Literal["json", "jsonl"],
    out: Path | None,
    *,
    inputs: Collection[PathLike] = (),
) -> None:
    """Write ``items`` as they come, as JSON (one alone as the object, else an array) or JSON Lines."""
    from werkbladen.export import text

    with _text_output(out, inputs, text.ENCODING, text.ENCODE_ERRORS) as stream:
        if fmt == "json":
            text.write_json(stream, items, single_as_object=True)
        else:
            text.write_jsonl(stream, items)


def _write_xlsx(
    stream: IO[bytes], layout: Layout, records: Iterable[Mapping[str, Any]], *, long: bool
) -> None:
    from werkbladen.export import workbook
    from werkbladen.export.table import LONG_COLUMNS

    if long:
        extras: set[str] = set()
        answers = workbook.Sheet(
            workbook.ANSWERS_SHEET,
            LONG_COLUMNS,
            _long_table(layout, records, workbook.clean_row, extras),
            workbook.LONG_WIDTHS,
            freeze_first_column=True,
        )
        # The codebook lists the extras too, known only once the answers sheet has been written.
        codebook = workbook.codebook_sheet(_later(lambda: _with_extras(layout, extras)), "veld")
        workbook.write_xlsx(stream, [answers, codebook])
        return
    with _spooled(layout, records) as rows:
        header = layout.header
        answers = workbook.Sheet(
            workbook.ANSWERS_SHEET,
            header,
            _wide_table(layout, rows, workbook.clean_row),
            workbook.column_widths(layout.columns, header),
            freeze_first_column=True,
        )
        workbook.write_xlsx(stream, [answers, workbook.codebook_sheet(layout.codebook)])


def _write_csv(
    stream: TextIO,
    layout: Layout,
    records: Iterable[Mapping[str, Any]],
    *,
    long: bool,
    dialect: CsvDialect,
    neutralise: bool,
) -> None:
    from werkbladen.export import delimited
    from werkbladen.export.table import LONG_COLUMNS

    if long:
        table = _long_table(layout, records, delimited.clean_row, set())
        delimited.write_csv(stream, LONG_COLUMNS, table, dialect=dialect, neutralise_formulas=neutralise)
        return
    with _spooled(layout, records) as rows:
        table = _wide_table(layout, rows, delimited.clean_row)
        delimited.write_csv(stream, layout.header, table, dialect=dialect, neutralise_formulas=neutralise)


@contextmanager
def _spooled(layout: Layout, records: Iterable[Mapping[str, Any]]) -> Iterator[Iterable[Compact]]:
    """Every record's compact row, kept until the last record is in; the layout then knows its extras."""
    from werkbladen.export.spool import Spool

    with Spool() as spool:
        extras: set[str] = set()
        for record in records:
            compact = layout.compact(record)
            if compact[1]:
                extras.update(compact[1])
            spool.add(compact)
        layout.set_extras(extras)
        yield spool


def _with_extras(layout: Layout, extras: set[str]) -> list[Column]:
    layout.set_extras(extras)
    return layout.field_columns


def _later(make: Callable[[], Iterable[_T]]) -> Iterator[_T]:
    """``make()``'s items, made only when the first is asked for (after the rows that decide them)."""
    yield from make()


def _wide_table(layout: Layout, compacts: Iterable[Compact], clean: RowCleaner) -> Iterator[list[str | None]]:
    from werkbladen.export.table import WARNING_SEPARATOR

    status_at = layout.header.index("status")
    for compact in compacts:
        row, warnings = layout.widen(compact)
        added = clean(row, layout.header)
        warning_cell: list[str | None] = [WARNING_SEPARATOR.join(warnings) or None]
        clean(warning_cell, ("warnings",))
        if added:
            warning_cell[0] = WARNING_SEPARATOR.join(filter(None, [warning_cell[0], *added]))
            if row[status_at] == Status.OK:
                row[status_at] = Status.WARNINGS
        row.extend(warning_cell)
        yield row


def _long_table(
    layout: Layout, records: Iterable[Mapping[str, Any]], clean: RowCleaner, extras: set[str]
) -> Iterator[list[str | None]]:
    """The long rows as cell text. There is no warnings column here: a repaired cell shows U+FFFD."""
    from werkbladen.export.table import LONG_COLUMNS, cell_text

    for record in records:
        for item in layout.long_rows(record, extras):
            row = [
                item["file"],
                item["source"],
                item["werkblad"],
                item["step"],
                item["field"],
                item["question"],
            ]
            row.append(cell_text(item["answer"]))
            clean(row, LONG_COLUMNS)
            yield row


@contextmanager
def _text_output(
    out: Path | None, inputs: Collection[PathLike], encoding: str, errors: str
) -> Iterator[TextIO]:
    """A text stream (``newline=""``: the writers choose line ends) to ``out`` or to stdout.

    Stdout gets the same bytes a file would, in UTF-8 whatever the console's code page.
    """
    if out is not None:
        with atomic_write(out, inputs=inputs) as binary:
            yield from _wrapped(binary, encoding, errors)
        return
    sys.stdout.flush()
    buffer: IO[bytes] | None = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stdout (a test double): it takes str
        if encoding == "utf-8-sig":
            sys.stdout.write("\ufeff")
        yield sys.stdout
        return
    yield from _wrapped(buffer, encoding, errors)
    buffer.flush()


def _wrapped(binary: IO[bytes], encoding: str, errors: str) -> Iterator[TextIO]:
    wrapper = io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline="")
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()
