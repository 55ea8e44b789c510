"""XLSX: a streamed SpreadsheetML writer in which every cell is text, never a formula.

Why not openpyxl for writing (it is used to read the result back in the tests): measured on
1,000 werkboek records, openpyxl's write-only mode costs about 12 µs per cell (2 s for the
158 fields of the werkboek, 3.5 s for 300), most of it in building a ``Cell`` object and an
XML element per cell; writing the sheet XML directly takes under 2 µs per cell. It also
removes a class of risk: openpyxl turns a string that starts with ``=`` into a formula and
``#N/A`` into an error value unless each cell is patched, while this writer has only one kind
of cell, ``t="inlineStr"`` with the text in ``<is><t>``, so no ``<f>`` element can occur. A cell
whose text starts with ``= + - @``, tab or CR also gets Excel's quote prefix (``quotePrefix``
in its style), so that editing the cell does not turn it into a formula either.

The package holds what Excel needs and nothing more: content types, relationships, the
workbook, a style sheet (normal, bold header, quote prefix, top-aligned, wrapped), core and
app properties, and the sheets. Parts are written with a fixed timestamp, so the same
records give the same bytes.

Text a worksheet cannot hold is repaired by :func:`clean_row`, which returns a warning per
changed cell: control characters XML 1.0 forbids (vertical tab and form feed, Word's line
and page break, become ``\\n``; the others U+FFFD), U+FFFE/U+FFFF and lone surrogates
(U+FFFD), and text over Excel's 32,767 characters per cell (cut).

Two kinds of sheet: :class:`Sheet`, all text, header first and rows streamed after it (the
machine layouts), and :class:`StreamedSheet` for the workbook people read, whose cells are
text, numbers or dates (numbers as ``<v>``, dates as serial numbers with a date format; still
never a formula), whose rows go to a temporary file as they come, whose cells may be marked (the
named style ``van de pagina gelezen`` and a cell comment, with the VML drawing Excel shows comments
in), and whose column widths (measured on the rows), frozen columns and filter are settled when the
workbook is written.
"""

from __future__ import annotations

import datetime
import re
import shutil
import tempfile
import textwrap
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO

from werkbladen.errors import OutputError
from werkbladen.export import spool
from werkbladen.export.table import KIND_NAMES, Column
from werkbladen.messages import number as dutch_number

ANSWERS_SHEET = "antwoorden"
CODEBOOK_SHEET = "codeboek"
CODEBOOK_HEADER = ("kolom", "werkblad", "titel", "vraag", "soort", "waarden")

MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters in one cell."""
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 cannot carry, or UTF-8 cannot encode."""
_BREAKS = re.compile("[\x0b\x0c]")
_ESCAPED_LOOKALIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")
"""Excel reads ``_x0041_`` in a cell as an escaped character; a literal one is escaped as ``_x005F_``."""

_WIDTH_BY_KIND = {"multiline": 40, "text": 24, "date": 12, "checkbox": 10, "choice": 10}
_FIXED_WIDTHS = {
    "file": 32,
    "source": 32,
    "sha256": 20,
    "sender": 24,
    "sent": 20,
    "modified": 20,
    "status": 12,
    "reason": 32,
    "werkblad": 11,
    "content_version": 10,
    "duplicate_of": 24,
    "superseded_by": 24,
    "conflicts": 32,
    "warnings": 60,
}
LONG_WIDTHS = (32.0, 32.0, 11.0, 11.0, 36.0, 60.0, 60.0)
_CODEBOOK_WIDTHS = (32.0, 12.0, 40.0, 60.0, 20.0, 30.0)

# Style indexes into cellXfs of _STYLES.
_BOLD, _QUOTED, _TOP, _WRAP = 1, 2, 3, 4
_HEAD, _WRAP_QUOTED, _DATE, _DATETIME = 5, 6, 7, 8
_MARKED_PLAIN = 14
_MARKED = {_WRAP: 9, _WRAP_QUOTED: 10, _TOP: 11, _DATE: 12, _DATETIME: 13}
"""Each body style of a :class:`StreamedSheet` and its twin in the named style :data:`MARKED_STYLE`."""
MARKED_STYLE = "van de pagina gelezen"
"""The named cell style of an answer read from a printed page: italic on light yellow."""
MARKED_FILL = "FFFFF2CC"

_SERIAL_EPOCH = datetime.datetime(1899, 12, 30)
"""Day 0 of Excel's (and LibreOffice's) 1900 date system, as far as any date after 1 March 1900 sees."""
_FIRST_DATE = datetime.date(1900, 3, 1)

_EPOCH = (1980, 1, 1, 0, 0, 0)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass
class Sheet:
    """One worksheet: a bold, frozen header row over text rows (None is an empty cell)."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[str | None]]
    widths: Sequence[float]
    freeze_first_column: bool = False
    wrap_columns: frozenset[int] = field(default_factory=frozenset)
    """Columns whose cells wrap (and align top); with any, every body cell aligns top."""
    autofilter: bool = True


def fix(text: str) -> tuple[str, int, int]:
    """``text`` made fit for a worksheet cell, the characters replaced and the characters cut."""
    replaced = cut = 0
    if _ILLEGAL.search(text):
        replaced = len(_ILLEGAL.findall(text))
        text = _ILLEGAL.sub("\ufffd", _BREAKS.sub("\n", text))
    if len(text) > MAX_CELL_TEXT:
        cut = len(text) - MAX_CELL_TEXT
        text = text[:MAX_CELL_TEXT]
    return text, replaced, cut


def repair(text: str) -> tuple[str, str | None]:
    """``text`` made fit for a worksheet cell, and what was changed (None when nothing was)."""
    text, replaced, cut = fix(text)
    problems = []
    if replaced:
        problems.append(f"{replaced} teken(s) vervangen die Excel niet in een cel toelaat")
    if cut:
        problems.append(f"{cut} teken(s) afgekapt boven de {dutch_number(MAX_CELL_TEXT)} per cel van Excel")
    return text, "; ".join(problems) or None


def clean_row(cells: list[str | None], header: Sequence[str]) -> list[str]:
    """Repair ``cells`` in place (see :func:`repair`); one warning per cell that changed."""
    joined = "".join(filter(None, cells))
    if _ILLEGAL.search(joined) is None and len(joined) <= MAX_CELL_TEXT:
        return []
    warnings = []
    for i, cell in enumerate(cells):
        if cell:
            cells[i], problem = repair(cell)
            if problem:
                warnings.append(f"{header[i]}: {problem} in de XLSX")
    return warnings


def column_widths(columns: Sequence[Column], header: Sequence[str]) -> list[float]:
    """Widths in characters: by the fixed column or the field kind, widened to show the header."""
    widths = [float(min(max(_FIXED_WIDTHS.get(name, 0), len(name) + 2, 10), 60)) for name in header]
    for i, column in enumerate(columns):
        widths[i] = max(widths[i], _WIDTH_BY_KIND.get(column.kind, 0))
    return widths


def codebook_sheet(columns: Iterable[Column], first: str = CODEBOOK_HEADER[0]) -> Sheet:
    """The ``codeboek`` sheet: per column its werkblad, question, kind and (value = label) options.

    ``columns`` is read when the sheet is written, so it may be a generator of columns that are
    known only after the rows of an earlier sheet (the ``extra:`` columns of a streamed batch).
    """
    rows = (
        [
            c.name,
            c.werkblad or None,
            c.title or None,
            c.question or None,
            KIND_NAMES.get(c.kind, c.kind) or None,
            c.values_text() or None,
        ]
        for c in columns
    )
    return Sheet(
        CODEBOOK_SHEET,
        (first, *CODEBOOK_HEADER[1:]),
        (_repaired(row) for row in rows),
        _CODEBOOK_WIDTHS,
        wrap_columns=frozenset({3, 5}),
        autofilter=False,
    )


def _repaired(row: list[str | None]) -> list[str | None]:
    clean_row(row, CODEBOOK_HEADER)
    return row


Cell = str | int | float | datetime.date | None
"""A :class:`StreamedSheet` cell: text, a number, a date (a ``datetime`` shows its time too), or empty."""


@dataclass(frozen=True, slots=True, eq=False)
class Fragment:
    """Cells encoded once and written into many rows: a form's respondent block, a table row's fixed text."""

    start: int
    count: int
    xml: str
    """The cells' XML, NUL where the row number goes (NUL cannot occur in a cell: it is repaired)."""
    widths: tuple[int, ...]
    lines: int
    repaired: tuple[tuple[int, int, int], ...]


class Movable:
    """Cells encoded once for the same columns of many sheets (a form's ``Stand`` and ``Bron``):
    :meth:`at` places them, as a :class:`Fragment`, at a sheet's columns whose limits are ``limits``."""

    __slots__ = ("count", "limits", "lines", "repaired", "widths", "xml")

    def __init__(self, cells: Sequence[Cell], limits: Sequence[float]) -> None:
        if len(cells) > 8:
            raise ValueError("a Movable holds at most 8 cells")
        # Placeholder letters U+0001…: a character no cell can hold (it is repaired), so no text matches.
        widths = [0] * len(cells)
        self.xml, self.lines, repaired = _encode(cells, 0, _PLACEHOLDERS, limits, widths)
        self.count, self.limits, self.widths, self.repaired = (
            len(cells),
            list(limits),
            tuple(widths),
            repaired,
        )

    def at(self, sheet: StreamedSheet, start: int) -> Fragment:
        if sheet.limits[start : start + self.count] != self.limits:
            raise ValueError(f"sheet {sheet.name!r} has other limits at column {start}")
        xml = self.xml
        for k in range(self.count):
            xml = xml.replace(_PLACEHOLDERS[k], sheet._letters[start + k])
        repaired = tuple((i + start, replaced, cut) for i, replaced, cut in self.repaired)
        return Fragment(start, self.count, xml, self.widths, self.lines, repaired)


_PLACEHOLDERS = tuple(chr(k) for k in range(1, 9))


def _encode(
    cells: Sequence[Cell],
    start: int,
    letters: Sequence[str],
    limits: Sequence[float],
    widths: list[int],
    marks: Mapping[int, str] | None = None,
) -> tuple[str, int, list[tuple[int, int, int]]]:
    """The XML of ``cells`` for columns ``start`` on (NUL for the row number), their lines and repairs.

    Widens ``widths`` (the sheet's, by column) in place. A column in ``marks`` gets the twin of its
    style in :data:`MARKED_STYLE` (its value and type stay), an empty one an empty marked cell.
    """
    parts: list[str] = []
    repaired = []
    lines = 1
    for i, value in enumerate(cells, start):
        if value.__class__ is str:
            if not value:
                if marks and i in marks:
                    parts.append(f'<c r="{letters[i]}\x00" s="{_MARKED[_WRAP]}"/>')
                continue
            limit = limits[i]
            n = len(value)
            # The common cell is one line, legal, with nothing to escape: no regex, no split.
            plain = (
                value.isprintable()  # no line break, control character, surrogate or U+FFFE/F
                and n <= MAX_CELL_TEXT
                and "&" not in value
                and "<" not in value
                and ">" not in value
                and "_x" not in value
            )
            paragraphs = None
            if not plain:
                if n > MAX_CELL_TEXT or _ILLEGAL.search(value):
                    value, replaced, cut = fix(value)
                    repaired.append((i, replaced, cut))
                if "\n" in value:
                    paragraphs = value.split("\n")
            if paragraphs is not None:
                # A wrapped cell is as wide as its column's limit: its lines are known now.
                lengths = list(map(len, paragraphs))
                width = max(lengths)
                if width > widths[i] and widths[i] < limit:
                    widths[i] = width
                per_line = max(_per_line(limit), 1)
                found = len(lengths)
                if width > per_line:
                    found += sum((n - 1) // per_line for n in lengths if n > per_line)
                if found > lines:
                    lines = found
            else:
                n = len(value)
                if n > widths[i] and widths[i] < limit:
                    widths[i] = n
                if n > limit - 2:
                    found = -(-n // max(_per_line(limit), 1))
                    if found > lines:
                        lines = found
            text = value if plain else _escape(value)
            # Spaces at either end are kept only with xml:space; elsewhere it is 20 bytes a cell.
            space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
            style = _WRAP_QUOTED if value.startswith(FORMULA_TRIGGERS) else _WRAP
            if marks and i in marks:
                style = _MARKED[style]
            parts.append(
                f'<c r="{letters[i]}\x00" s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
            )
            continue
        if value is None:
            if marks and i in marks:
                parts.append(f'<c r="{letters[i]}\x00" s="{_MARKED[_WRAP]}"/>')
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | datetime.date):
            raise TypeError(f"a StreamedSheet takes text, numbers and dates, not {value!r}")
        if isinstance(value, int | float):
            number = repr(value)
            style, width = _TOP, len(number)
        elif isinstance(value, datetime.datetime):
            number, style, width = repr((value - _SERIAL_EPOCH).total_seconds() / 86400), _DATETIME, 16
        else:
            number, style, width = str((value - _SERIAL_EPOCH.date()).days), _DATE, 10
        if width > widths[i]:
            widths[i] = width
        if marks and i in marks:
            style = _MARKED[style]
        parts.append(f'<c r="{letters[i]}\x00" s="{style}"><v>{number}</v></c>')
    return "".join(parts), lines, repaired


class StreamedSheet:
    """A sheet of typed cells whose rows are kept in a temporary file until the workbook is written.

    Its header row is bold, wraps and is frozen, with the first ``frozen_columns`` columns; every
    body cell aligns top and text wraps. A column is as wide as its longest line (``limits`` caps
    it, the header's longest word widens it). Rows added with ``hidden=True`` start hidden under an
    autofilter that shows only ``shown`` in column ``filter_column``: the filter says why, and
    clearing it shows them.
    """

    def __init__(
        self,
        name: str,
        header: Sequence[str],
        limits: Sequence[float],
        *,
        frozen_columns: int = 1,
        filter_column: int | None = None,
        shown: str = "",
    ) -> None:
        if len(header) > MAX_COLUMNS:
            raise OutputError(
                f"tabblad {name!r} zou {dutch_number(len(header))} kolommen krijgen, meer dan de "
                f"{dutch_number(MAX_COLUMNS)} die Excel toestaat"
            )
        self.name = name
        self.header = [repair(h)[0] for h in header]
        self.limits = list(limits)
        self.frozen_columns = frozen_columns
        self.filter_column = filter_column
        self.shown = shown
        self.rows = 1
        self.hidden = 0
        self._letters = [_letters(i) for i in range(1, len(header) + 1)]
        self._widths = [0] * len(header)
        self._file = tempfile.SpooledTemporaryFile(max_size=max(1, spool.MEMORY))  # noqa: SIM115 (closed by write)
        self._parts: list[str] = []
        self._seen: set[Fragment] = set()
        self.comments: list[tuple[str, str]] = []
        """(cell reference, text) per cell comment, in row order: the marked cells' notes."""
        self.legend: str | None = None
        """A line below the rows, after an empty one, in :data:`MARKED_STYLE` (outside the filter)."""

    def _too_many_rows(self) -> str:
        rows = dutch_number(MAX_ROWS - 1)
        return f"tabblad {self.name!r} heeft meer dan de {rows} rijen die een XLSX-tabblad kan bevatten"

    def fragment(self, cells: Sequence[Cell], start: int = 0) -> Fragment:
        """``cells`` encoded once, for columns ``start`` on, to be written into many rows by :meth:`add`."""
        widths = [0] * len(self._letters)
        xml, lines, repaired = _encode(cells, start, self._letters, self.limits, widths)
        return Fragment(
            start, len(cells), xml, tuple(widths[start : start + len(cells)]), lines, tuple(repaired)
        )

    def add(
        self,
        *segments: Sequence[Cell] | Fragment,
        hidden: bool = False,
        marks: Mapping[int, str] | None = None,
    ) -> list[tuple[int, int, int]]:
        """Append a row of ``segments`` (cells, or fragments made for their columns), left to right.

        ``marks`` (column → note) marks cells of the cell segments (not of fragments) in
        :data:`MARKED_STYLE`, with the note as the cell's comment.
        Returns (column, characters replaced, characters cut) per text cell that had to be repaired.
        """
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise OutputError(self._too_many_rows())
        r = str(self.rows)
        parts: list[str] = []
        repaired: list[tuple[int, int, int]] = []
        lines = 1
        column = 0
        widths = self._widths
        for segment in segments:
            if isinstance(segment, Fragment):
                if segment.start != column:
                    raise ValueError(f"a fragment for column {segment.start} used at column {column}")
                self._widen(segment, column)
                parts.append(segment.xml)
                if segment.lines > lines:
                    lines = segment.lines
                if segment.repaired:
                    repaired.extend(segment.repaired)
                column += segment.count
                continue
            xml, found, fixed = _encode(segment, column, self._letters, self.limits, widths, marks)
            parts.append(xml)
            if found > lines:
                lines = found
            if fixed:
                repaired.extend(fixed)
            column += len(segment)
        if marks:
            self.comments.extend(
                (f"{self._letters[i]}{r}", fix(note)[0]) for i, note in sorted(marks.items())
            )
        self._parts.append(_row_start(r, lines, hidden))
        self._parts.append("".join(parts).replace("\x00", r))
        self._parts.append("</row>")
        if hidden:
            self.hidden += 1
        if len(self._parts) > 2048:
            self._flush()
        return repaired

    def add_rows(
        self,
        rows: Iterable[Sequence[Sequence[Cell] | Fragment]],
        *,
        first: Fragment,
        last: Fragment,
        hidden: bool = False,
    ) -> list[tuple[int, int, int]]:
        """Append rows that all start with ``first`` and end with ``last`` (one form's table rows):
        what :meth:`add` does per row, with the two fragments' widths and repairs taken once."""
        repaired = [*first.repaired, *last.repaired]
        widths = self._widths
        for fragment in (first, last):
            for i, width in enumerate(fragment.widths, start=fragment.start):
                if width > widths[i]:
                    widths[i] = width
        least = max(first.lines, last.lines)
        letters, limits, out = self._letters, self.limits, self._parts
        for segments in rows:
            self.rows += 1
            if self.rows > MAX_ROWS:
                raise OutputError(self._too_many_rows())
            lines = least
            parts = [first.xml]
            column = first.count
            for segment in segments:
                if isinstance(segment, Fragment):
                    self._widen(segment, column)
                    parts.append(segment.xml)
                    lines = max(lines, segment.lines)
                    repaired.extend(segment.repaired)
                    column += segment.count
                    continue
                xml, found, fixed = _encode(segment, column, letters, limits, widths)
                parts.append(xml)
                lines = max(lines, found)
                if fixed:
                    repaired.extend(fixed)
                column += len(segment)
            if column != last.start:
                raise ValueError(f"a fragment for column {last.start} used at column {column}")
            parts.append(last.xml)
            r = str(self.rows)
            out.append(_row_start(r, lines, hidden))
            out.append("".join(parts).replace("\x00", r))
            out.append("</row>")
            if hidden:
                self.hidden += 1
        if len(out) > 2048:
            self._flush()
        return repaired

    def _widen(self, segment: Fragment, column: int) -> None:
        """Widen the columns to a fragment's widths, once: a form's fragments recur row after row."""
        if segment in self._seen:
            return
        if len(self._seen) > 64:
            self._seen.clear()
        self._seen.add(segment)
        widths = self._widths
        for i, width in enumerate(segment.widths, start=column):
            if width > widths[i]:
                widths[i] = width

    def _flush(self) -> None:
        self._file.write("".join(self._parts).encode())
        self._parts.clear()

    def close(self) -> None:
        """Let the rows go (:meth:`write` does, too)."""
        self._parts.clear()
        self._file.close()

    def widths(self) -> list[float]:
        """Each column's width in characters: its longest line within its limit, and the header's words."""
        out = []
        for header, width, limit in zip(self.header, self._widths, self.limits, strict=True):
            word = max((len(w) for w in header.split()), default=0)
            least = max(int(word * 1.15) + 2, min(len(header) + 2, 14), 8)  # the header is bold
            out.append(float(max(least, min(width + 2, limit))))
        return out

    def write(self, stream: IO[bytes], *, selected: bool) -> int:
        """Write the worksheet part to ``stream`` and let the rows go; return the number of the last row."""
        self._flush()
        widths = self.widths()
        split = self.frozen_columns
        top_left = f"{_letters(split + 1)}2"
        pane = "bottomRight" if split else "bottomLeft"
        x_split = f' xSplit="{split}"' if split else ""
        tab = ' tabSelected="1"' if selected else ""
        last = self._letters[-1]
        head = [
            _XML,
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetPr filterMode="{int(bool(self.hidden))}"/>',
            f'<dimension ref="A1:{last}{self.rows + 2 if self.legend else self.rows}"/>'
            f'<sheetViews><sheetView workbookViewId="0"{tab}>',
            f'<pane{x_split} ySplit="1" topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>',
            f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>',
            '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>',
            *(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(widths, 1)),
            "</cols><sheetData>",
            _row_xml(1, self._letters, self.header, default=_HEAD, quoted=_HEAD),
        ]
        header_lines = max(  # one row: wrapped word by word, as it will be
            len(textwrap.wrap(h, _per_line(w), break_on_hyphens=False))
            for h, w in zip(self.header, widths, strict=True)
        )
        head[-1] = head[-1].replace('<row r="1">', _row_start("1", header_lines, False), 1)
        stream.write("".join(head).encode())
        self._file.seek(0)
        shutil.copyfileobj(self._file, stream, 1 << 20)
        self.close()
        tail = []
        if self.legend:
            r = self.rows + 2
            tail.append(
                f'<row r="{r}"><c r="A{r}" s="{_MARKED_PLAIN}" t="inlineStr"><is><t>'
                f"{_escape(fix(self.legend)[0])}</t></is></c></row>"
            )
        tail.append(f'</sheetData><autoFilter ref="A1:{last}{self.rows}">')
        if self.hidden and self.filter_column is not None:
            tail.append(
                f'<filterColumn colId="{self.filter_column}"><filters>'
                f'<filter val="{_attribute(self.shown)}"/></filters></filterColumn>'
            )
        tail.append("</autoFilter>")
        tail.append(
            '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape"/>'
        )
        if self.comments:
            tail.append(f'<legacyDrawing r:id="{_VML_ID}"/>')
        tail.append("</worksheet>")
        stream.write("".join(tail).encode())
        return self.rows


LINE_HEIGHT = 15.0
"""Points per line of 11-point Calibri, Excel's default row height."""
MAX_ROW_HEIGHT = 409.5


def wrapped_lines(text: str, per_line: int) -> int:
    """About the lines ``text`` takes wrapped into lines of ``per_line`` characters (the font is
    proportional and words wrap whole: ``per_line`` is a column's width in digits, made a little less)."""
    per_line = max(per_line, 1)
    if "\n" not in text:
        return -(-len(text) // per_line) or 1
    return sum(-(-len(p) // per_line) or 1 for p in text.split("\n"))


def _per_line(width: float) -> int:
    """Characters of text on a line of a column ``width`` digits wide (letters are narrower than digits)."""
    return int((width - 2) * 1.05)


def _row_start(number: str, lines: int, hidden: bool) -> str:
    """A ``<row>`` tag, as high as its lines: LibreOffice keeps a row at the default height otherwise."""
    if lines <= 1 and not hidden:
        return f'<row r="{number}">'
    attributes = f' r="{number}"'
    if lines > 1:
        attributes += f' ht="{min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT):g}" customHeight="1"'
    if hidden:
        attributes += ' hidden="1"'
    return f"<row{attributes}>"


def write_xlsx(target: IO[bytes], sheets: Sequence[Sheet | StreamedSheet], *, compresslevel: int = 6) -> None:
    """Write ``sheets`` as an XLSX workbook to ``target``, a seekable binary file.

    Raises :class:`WerkbladenError` when a sheet has more rows or columns than Excel allows.
    """
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        filters = []
        titles = []
        commented = []
        block = 1  # the next free block of 1,024 VML shape ids
        for index, sheet in enumerate(sheets, start=1):
            with package.open(_info(f"xl/worksheets/sheet{index}.xml", compresslevel), "w") as stream:
                if isinstance(sheet, StreamedSheet):
                    last_row = sheet.write(stream, selected=index == 1)
                else:
                    last_row = _write_sheet(stream, sheet, selected=index == 1)
            if isinstance(sheet, StreamedSheet) and sheet.comments:
                commented.append(index)
                _put(package, f"xl/worksheets/_rels/sheet{index}.xml.rels", _sheet_rels(index))
                _put(package, f"xl/comments{index}.xml", _comments_xml(sheet.comments))
                _put(package, f"xl/drawings/vmlDrawing{index}.vml", _vml(sheet.comments, block))
                block += -(-len(sheet.comments) // 1023)
            if isinstance(sheet, StreamedSheet):
                # Printed, every page repeats the header row and the frozen columns.
                name = _quoted_sheet(sheet.name)
                columns = f"{name}!$A:${_letters(sheet.frozen_columns)}," if sheet.frozen_columns else ""
                titles.append((index - 1, f"{columns}{name}!$1:$1"))
            if isinstance(sheet, StreamedSheet) or sheet.autofilter:
                filters.append((index - 1, sheet.name, f"$A$1:${_letters(len(sheet.header))}${last_row}"))
        _put(package, "xl/workbook.xml", _workbook_xml(sheets, filters, titles))
        _put(package, "xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        _put(package, "xl/styles.xml", _STYLES)
        _put(package, "docProps/core.xml", _CORE)
        _put(package, "docProps/app.xml", _APP)
        _put(package, "_rels/.rels", _ROOT_RELS)
        _put(package, "[Content_Types].xml", _content_types(len(sheets), commented))


def _write_sheet(stream: IO[bytes], sheet: Sheet, *, selected: bool) -> int:
    """Write one worksheet part; return the number of its last row."""
    width = len(sheet.header)
    if width > MAX_COLUMNS:
        raise OutputError(
            f"de tabel heeft {dutch_number(width)} kolommen, meer dan de {dutch_number(MAX_COLUMNS)} die een "
            "XLSX-tabblad kan bevatten; schrijf CSV"
        )
    letters = [_letters(i) for i in range(1, width + 1)]
    split = 1 if sheet.freeze_first_column else 0
    top_left = "B2" if split else "A2"
    pane = "bottomRight" if split else "bottomLeft"
    tab = ' tabSelected="1"' if selected else ""
    x_split = f' xSplit="{split}"' if split else ""
    head = [
        _XML,
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews>',
        f'<sheetView workbookViewId="0"{tab}>',
        f'<pane{x_split} ySplit="1" topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>',
        f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>',
        '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>',
        *(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(sheet.widths, 1)),
        "</cols><sheetData>",
        # Headers are repaired like cells: an ``extra:`` column is named by whatever a PDF holds.
        _row_xml(1, letters, [repair(h)[0] for h in sheet.header], default=_BOLD, quoted=_BOLD),
    ]
    stream.write("".join(head).encode())
    body_style = _TOP if sheet.wrap_columns else 0
    styles = [_WRAP if i in sheet.wrap_columns else body_style for i in range(width)]
    number = 1
    for row in sheet.rows:
        number += 1
        if number > MAX_ROWS:
            raise OutputError(
                f"de tabel heeft meer dan de {dutch_number(MAX_ROWS - 1)} rijen die een XLSX-tabblad "
                "kan bevatten; schrijf CSV"
            )
        stream.write(_row_xml(number, letters, row, styles=styles if sheet.wrap_columns else None).encode())
    tail = ["</sheetData>"]
    if sheet.autofilter:
        tail.append(f'<autoFilter ref="A1:{letters[-1]}{number}"/>')
    tail.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    tail.append("</worksheet>")
    stream.write("".join(tail).encode())
    return number


def _row_xml(
    number: int,
    letters: Sequence[str],
    cells: Sequence[str | None],
    *,
    default: int = 0,
    quoted: int = _QUOTED,
    styles: Sequence[int] | None = None,
) -> str:
    """One ``<row>``: a text cell per non-empty value, styled, with its reference."""
    r = str(number)
    parts = [f'<row r="{r}">']
    for i, text in enumerate(cells):
        if not text:
            continue
        style = (
            styles[i] if styles is not None else (quoted if text.startswith(FORMULA_TRIGGERS) else default)
        )
        s = f' s="{style}"' if style else ""
        parts.append(f'<c r="{letters[i]}{r}"{s} t="inlineStr"><is><t xml:space="preserve">')
        parts.append(_escape(text))
        parts.append("</t></is></c>")
    parts.append("</row>")
    return "".join(parts)


def _escape(text: str) -> str:
    """XML character data; CR as a reference (a parser would turn it into LF), Excel's ``_x`` escaped."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "_x" in text:
        text = _ESCAPED_LOOKALIKE.sub(r"_x005F_\1", text)
    return text


def _attribute(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def _letters(index: int) -> str:
    """The column letters of the 1-based ``index`` (1 → A, 27 → AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _info(name: str, level: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    if level is not None:  # ZipFile.open takes the level from the ZipInfo, not from the ZipFile
        info._compresslevel = level  # type: ignore[attr-defined]  # public as compress_level from 3.13
    return info


def _put(package: zipfile.ZipFile, name: str, text: str) -> None:
    package.writestr(_info(name), text.encode())


def _workbook_xml(
    sheets: Sequence[Sheet | StreamedSheet],
    filters: Sequence[tuple[int, str, str]],
    titles: Sequence[tuple[int, str]] = (),
) -> str:
    names = "".join(
        f'<sheet name="{_attribute(s.name)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, 1)
    )
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
        f"{_escape(_quoted_sheet(name))}!{ref}</definedName>"
        for index, name, ref in filters
    )
    defined += "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">{_escape(ref)}</definedName>'
        for index, ref in titles
    )
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{names}</sheets>{f'<definedNames>{defined}</definedNames>' if defined else ''}</workbook>"
    )


def _quoted_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    return (
        f'{_XML}<Relationships xmlns="{_PKG_REL}">{sheets}'
        f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
    )


def _content_types(count: int, commented: Sequence[int] = ()) -> str:
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>'
        for i in range(1, count + 1)
    )
    sheets += "".join(
        f'<Override PartName="/xl/comments{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>'
        for i in commented
    )
    vml = (
        '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
        if commented
        else ""
    )
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{vml}'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        f"{sheets}</Types>"
    )


_VML_ID = "rId2"
"""The relationship of a sheet's VML drawing (Excel shows a comment in it); ``rId1`` is the comments."""


def _sheet_rels(index: int) -> str:
    return (
        f'{_XML}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/comments" Target="../comments{index}.xml"/>'
        f'<Relationship Id="{_VML_ID}" Type="{_REL}/vmlDrawing" Target="../drawings/vmlDrawing{index}.vml"/>'
        "</Relationships>"
    )


def _comments_xml(comments: Sequence[tuple[str, str]]) -> str:
    body = "".join(
        f'<comment ref="{ref}" authorId="0"><text><t xml:space="preserve">{_escape(text)}</t></text>'
        "</comment>"
        for ref, text in comments
    )
    return (
        f'{_XML}<comments xmlns="{_MAIN}"><authors><author>werkbladen</author></authors>'
        f"<commentList>{body}</commentList></comments>"
    )


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _column_index(letters: str) -> int:
    """The 0-based index of column ``letters`` (A → 0, AA → 26)."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _vml(comments: Sequence[tuple[str, str]], block: int) -> str:
    """The legacy drawing Excel needs to show ``comments``: a hidden note shape per comment.

    Shape ids are unique in the workbook: this sheet's come from 1,024-id blocks ``block`` on.
    """
    blocks = -(-len(comments) // 1023)
    shapes = []
    for n, (ref, _) in enumerate(comments):
        found = _CELL_REF.fullmatch(ref)
        assert found is not None
        column, row = _column_index(found[1]), int(found[2]) - 1
        shape = (block + n // 1023) * 1024 + 1 + n % 1023
        shapes.append(
            f'<v:shape id="_x0000_s{shape}" type="#_x0000_t202" style="position:absolute;'
            'margin-left:59.25pt;margin-top:1.5pt;width:216pt;height:72pt;z-index:1;visibility:hidden" '
            'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f"<x:Anchor>{column + 1}, 15, {row}, 2, {column + 4}, 15, {row + 5}, 2</x:Anchor>"
            f"<x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{column}</x:Column>"
            "</x:ClientData></v:shape>"
        )
    ids = ",".join(str(b) for b in range(block, block + blocks))
    return (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{ids}"/></o:shapelayout>'
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
        '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        f"{''.join(shapes)}</xml>"
    )


_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

_CORE = (
    f"{_XML}<cp:coreProperties "
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>werkbladen</dc:creator></cp:coreProperties>'
)

_APP = (
    f"{_XML}<Properties "
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>werkbladen</Application></Properties>"
)

_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
_TOP_WRAP = '<alignment vertical="top" wrapText="1"/>'
_MARK_XF = 'fontId="2" fillId="3" borderId="0" xfId="1" applyFont="1" applyFill="1"'
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd\\-mm\\-yyyy"/>'
    '<numFmt numFmtId="165" formatCode="dd\\-mm\\-yyyy\\ hh:mm"/></numFmts>'
    f'<fonts count="3"><font>{_FONT}</font><font><b/>{_FONT}</font><font><i/>{_FONT}</font></fonts>'
    '<fills count="4"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/>'
    "</patternFill></fill>"
    f'<fill><patternFill patternType="solid"><fgColor rgb="{MARKED_FILL}"/><bgColor indexed="64"/>'
    "</patternFill></fill>"
    "</fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color rgb="FF9BB7D4"/></bottom><diagonal/></border>'
    "</borders>"
    '<cellStyleXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '<xf numFmtId="0" fontId="2" fillId="3" borderId="0" applyFont="1" applyFill="1"/></cellStyleXfs>'
    '<cellXfs count="15">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" '
    f'applyBorder="1" applyAlignment="1">{_TOP_WRAP}</xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1" applyAlignment="1">'
    f"{_TOP_WRAP}</xf>"
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    # 9-14: the twins of 4, 6, 3, 7, 8 and 0 in the named style "van de pagina gelezen" (_MARKED)
    f'<xf numFmtId="0" {_MARK_XF} applyAlignment="1">{_TOP_WRAP}</xf>'
    f'<xf numFmtId="0" {_MARK_XF} quotePrefix="1" applyAlignment="1">{_TOP_WRAP}</xf>'
    f'<xf numFmtId="0" {_MARK_XF} applyAlignment="1"><alignment vertical="top"/></xf>'
    f'<xf numFmtId="164" {_MARK_XF} applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>'
    f'<xf numFmtId="165" {_MARK_XF} applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>'
    f'<xf numFmtId="0" {_MARK_XF}/>'
    "</cellXfs>"
    '<cellStyles count="2"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    f'<cellStyle name="{MARKED_STYLE}" xfId="1"/></cellStyles>'
    "</styleSheet>"
)
