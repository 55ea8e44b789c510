"""Write extract records as JSON, JSON Lines, CSV or XLSX, to a file (atomically) or to stdout.

Shapes (the same in every format, so a coordinator can switch format without surprises):

* wide (default): a row per input file. JSON/JSONL write the records themselves; CSV and
  XLSX the columns ``file, status, reason, werkblad, content_version``, the respondent
  fields, a column per field of the whole werkboek in werkboek order (table cells under
  their cell names), ``extra:<name>`` per unknown field seen, and ``warnings`` (joined with
  `` | ``). A file that could not be read still gets its row.
* long (``long=True``): a row per non-empty answer, columns ``file, werkblad, step, field,
  question, answer`` (respondent fields have step ``respondent``, extras an empty step and
  question). JSON writes these rows as an array (always, even one), JSONL one per line; there
  the answer keeps its JSON type (``true``), in CSV/XLSX it is cell text (``ja``).

Cell text is described in :mod:`werkbladen.export.table`, the CSV dialects and formula
neutralisation in :mod:`werkbladen.export.delimited`, the XLSX sheets in
:mod:`werkbladen.export.workbook`. When the XLSX or CSV had to repair a cell, the row's
``warnings`` cell says so and an ``ok`` status becomes ``warnings``.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal, TextIO, get_args

from werkbladen.atomic import PathLike, atomic_write, ensure_not_input
from werkbladen.errors import OutputError
from werkbladen.export import delimited, text, workbook
from werkbladen.export.delimited import CsvDialect
from werkbladen.export.table import LONG_COLUMNS, WARNING_SEPARATOR, Layout, cell_text
from werkbladen.model import Werkboek

Format = Literal["json", "jsonl", "csv", "xlsx"]
FORMATS: tuple[Format, ...] = get_args(Format)
CSV_DIALECTS: tuple[CsvDialect, ...] = get_args(CsvDialect)

_SUFFIXES: dict[str, Format] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".xlsx": "xlsx",
}

RowCleaner = Callable[[list[str | None], Sequence[str]], list[str]]

__all__ = ["CSV_DIALECTS", "FORMATS", "CsvDialect", "Format", "format_from_suffix", "write_records"]


def format_from_suffix(path: Path) -> Format | None:
    """The format a file name asks for (``.json``, ``.jsonl``/``.ndjson``, ``.csv``, ``.xlsx``), or None."""
    return _SUFFIXES.get(path.suffix.lower())


def write_records(
    records: Sequence[Mapping[str, Any]],
    fmt: Format,
    out: Path | None,
    *,
    werkboek: Werkboek,
    long: bool = False,
    csv_dialect: CsvDialect = "excel-nl",
    neutralise_formulas: bool = True,
    inputs: Collection[PathLike] | None = None,
) -> None:
    """Write ``records`` (extract records) as ``fmt`` to ``out``, or to stdout when ``out`` is None.

    A file is written atomically: it is the old file or the complete new one, never a part.
    ``inputs`` are files ``out`` must not be (default: the records' ``file`` values); writing
    onto one, XLSX to stdout, or an unknown format or dialect raises :class:`WerkbladenError`.
    ``neutralise_formulas`` applies to CSV only; XLSX cells are text cells in any case.
    """
    if fmt not in FORMATS:
        raise OutputError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if csv_dialect not in CSV_DIALECTS:
        raise OutputError(f"unknown CSV dialect {csv_dialect!r}; choose one of {', '.join(CSV_DIALECTS)}")
    if out is None and fmt == "xlsx":
        raise OutputError("XLSX cannot be written to standard output; give an output file ending in .xlsx")
    if inputs is None:
        inputs = [str(r["file"]) for r in records if r.get("file")]
    if out is not None:
        ensure_not_input(out, inputs)
    layout = Layout(werkboek, records) if long or fmt in ("csv", "xlsx") else None

    if fmt == "xlsx":
        assert out is not None and layout is not None
        header, rows = _table(layout, records, long=long, clean=workbook.clean_row)
        answers = workbook.Sheet(
            workbook.ANSWERS_SHEET,
            header,
            rows,
            workbook.LONG_WIDTHS if long else workbook.column_widths(layout.columns, header),
            freeze_first_column=True,
        )
        codebook = (
            workbook.codebook_sheet(layout.field_columns, "veld")
            if long
            else workbook.codebook_sheet(layout.codebook)
        )
        with atomic_write(out, inputs=inputs) as stream:
            workbook.write_xlsx(stream, [answers, codebook])
        return

    encoding = delimited.DIALECTS[csv_dialect].encoding if fmt == "csv" else text.ENCODING
    errors = text.ENCODE_ERRORS if fmt in ("json", "jsonl") else "strict"
    with _text_output(out, inputs, encoding, errors) as stream:
        if fmt == "csv":
            assert layout is not None
            header, rows = _table(layout, records, long=long, clean=delimited.clean_row)
            delimited.write_csv(
                stream, header, rows, dialect=csv_dialect, neutralise_formulas=neutralise_formulas
            )
        elif layout is not None:
            items = (row for record in records for row in layout.long_rows(record))
            if fmt == "json":
                text.write_json(stream, list(items), single_as_object=False)
            else:
                text.write_jsonl(stream, items)
        elif fmt == "json":
            text.write_json(stream, list(records), single_as_object=True)
        else:
            text.write_jsonl(stream, records)


def _table(
    layout: Layout, records: Sequence[Mapping[str, Any]], *, long: bool, clean: RowCleaner
) -> tuple[list[str], Iterator[list[str | None]]]:
    if long:
        return list(LONG_COLUMNS), _long_table(layout, records, clean)
    return layout.header, _wide_table(layout, records, clean)


def _wide_table(
    layout: Layout, records: Sequence[Mapping[str, Any]], clean: RowCleaner
) -> Iterator[list[str | None]]:
    status_at = layout.header.index("status")
    for record in records:
        row, warnings = layout.wide_row(record)
        added = clean(row, layout.header)
        warning_cell: list[str | None] = [WARNING_SEPARATOR.join(warnings) or None]
        clean(warning_cell, ("warnings",))
        if added:
            warning_cell[0] = WARNING_SEPARATOR.join(filter(None, [warning_cell[0], *added]))
            if row[status_at] == "ok":
                row[status_at] = "warnings"
        row.extend(warning_cell)
        yield row


def _long_table(
    layout: Layout, records: Sequence[Mapping[str, Any]], clean: RowCleaner
) -> Iterator[list[str | None]]:
    """The long rows as cell text. There is no warnings column here: a repaired cell shows U+FFFD."""
    for record in records:
        for item in layout.long_rows(record):
            row = [item["file"], item["werkblad"], item["step"], item["field"], item["question"]]
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
