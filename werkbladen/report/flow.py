"""The one flowable for untrusted text: rows of plain-text cells, broken across pages between lines.

ReportLab's Paragraph reads markup (``<a>``, ``<font>``, ``<img>``) and a Table cannot break
inside a row, so a partner's answer of thousands of lines would either be interpreted or stop the
build with a LayoutError. Here every cell is drawn as plain text, line by line: a row taller than
the room left is cut between two lines (never leaving a single line behind), the column headers
come back on the next page, and the first cell (whose answer it is) is repeated with
``(vervolg)``. A row can also span all columns, for the question above its answers; a part never
ends on such a row, so a question always stands above at least its first answer.

Line breaking is the costly part (a report of 100 werkboeken sets some 1.5 million characters),
so a row is laid out once per width and the parts of a split keep their lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from werkbladen.layout import theme
from werkbladen.report.text import Look, wrap

CONTINUED = " (vervolg)"
PADDING = 3.5
MIN_LINES = 2
"""Lines of a row kept together at the foot of a page."""
SHORT_ROOM = 250.0
"""Room below which the foot of a page is left empty rather than hold column headers and one row."""


@dataclass(frozen=True)
class Cell:
    text: str
    look: Look = field(default_factory=Look)
    fill: Color | None = None
    centre: bool = False


@dataclass(frozen=True)
class Span:
    """A row of one cell across all columns (a question, a name above its scores)."""

    cell: Cell
    gap: float = 0.0
    """Extra space above it."""


class _Laid:
    """A row laid out at one width: each cell's lines and font, and the row's height."""

    __slots__ = ("cells", "gap", "height", "span")

    def __init__(self, cells: list[tuple[Cell, str, list[str]]], span: bool, gap: float) -> None:
        self.cells = cells
        self.span = span
        self.gap = gap
        body = max((len(lines) * c.look.leading for c, _, lines in cells), default=0.0)
        self.height = gap + body + 2 * PADDING

    def lines(self) -> int:
        return max((len(lines) for _, _, lines in self.cells), default=0)

    def cut(self, room: float) -> tuple[_Laid, _Laid]:
        """The lines of each cell that fit ``room`` (the padding included), and the rest."""
        first, rest = [], []
        for cell, font, lines in self.cells:
            n = max(0, int((room - self.gap - 2 * PADDING) // cell.look.leading))
            first.append((cell, font, lines[:n]))
            rest.append((cell, font, lines[n:]))
        return _Laid(first, self.span, self.gap), _Laid(rest, self.span, 0.0)


class TextTable(Flowable):  # type: ignore[misc]
    """Plain-text rows in columns of relative ``widths``; see the module docstring."""

    def __init__(
        self,
        widths: Sequence[float],
        rows: Sequence[Sequence[Cell] | Span],
        *,
        header: Sequence[Cell] | None = None,
        rules: bool = True,
        space_after: float = 10.0,
    ) -> None:
        super().__init__()
        self.widths = list(widths)
        self.rows = list(rows)
        self.header = list(header) if header else None
        self.rules = rules
        self.spaceAfter = space_after
        self._laid: tuple[float, _Laid | None, list[_Laid]] | None = None

    # ------------------------------------------------------------ layout

    def _columns(self, width: float) -> list[float]:
        total = sum(self.widths)
        return [width * w / total for w in self.widths]

    def _lay(self, row: Sequence[Cell] | Span, columns: list[float], width: float) -> _Laid:
        cells = [(row.cell, width)] if isinstance(row, Span) else list(zip(row, columns, strict=True))
        laid = []
        for cell, w in cells:
            font = cell.look.font(cell.text)
            laid.append((cell, font, wrap(cell.text, font, cell.look.size, w - 2 * PADDING)))
        return _Laid(laid, isinstance(row, Span), row.gap if isinstance(row, Span) else 0.0)

    def _layout(self, width: float) -> tuple[_Laid | None, list[_Laid]]:
        if self._laid is None or self._laid[0] != width:
            columns = self._columns(width)
            header = self._lay(self.header, columns, width) if self.header else None
            self._laid = (width, header, [self._lay(r, columns, width) for r in self.rows])
        return self._laid[1], self._laid[2]

    @classmethod
    def _part(cls, source: TextTable, width: float, header: _Laid | None, rows: list[_Laid]) -> TextTable:
        part = cls(source.widths, [], header=source.header, rules=source.rules, space_after=source.spaceAfter)
        part._laid = (width, header, rows)
        return part

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        header, rows = self._layout(avail_width)
        self.width = avail_width
        self.height = (header.height if header else 0.0) + sum(r.height for r in rows)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        header, rows = self._layout(avail_width)
        room = avail_height - (header.height if header else 0.0)
        used = 0.0
        for i, row in enumerate(rows):
            if used + row.height <= room:
                used += row.height
                continue
            first, rest = row.cut(room - used)
            keep = first.lines()
            if keep < min(MIN_LINES, row.lines()):
                head, tail = rows[:i], rows[i:]
                while head and head[-1].span:  # a question never ends a page without an answer
                    tail.insert(0, head.pop())
            else:  # a span is cut too: an intervention's name can be longer than a page
                head, tail = [*rows[:i], first], [self._continued(rest, avail_width), *rows[i + 1 :]]
            lonely = header is not None and len(head) < MIN_LINES and avail_height < SHORT_ROOM
            if not head or lonely:  # nor column headers above a single row at the foot of a page
                return []
            return [self._part(self, avail_width, header, head), self._part(self, avail_width, header, tail)]
        return [self]

    def _continued(self, rest: _Laid, width: float) -> _Laid:
        """The rest of a cut row; its first cell, when used up, says whose answer goes on."""
        if rest.span or not rest.cells or rest.cells[0][2]:
            return rest
        cell, font, _ = rest.cells[0]
        text = cell.text.split("\n", 1)[0] + CONTINUED
        look = Look(cell.look.size, cell.look.leading, cell.look.bold, True, theme.MUTED)
        font = look.font(text)
        column = self._columns(width)[0]
        lines = wrap(text, font, look.size, column - 2 * PADDING)
        return _Laid([(Cell(text, look, cell.fill, cell.centre), font, lines), *rest.cells[1:]], False, 0.0)

    # ------------------------------------------------------------ drawing

    def draw(self) -> None:
        header, rows = self._layout(self.width)
        canv = self.canv
        columns = self._columns(self.width)
        top = self.height
        for row in ([header] if header else []) + rows:
            top = self._draw_row(canv, row, columns, top, row is header)

    def _draw_row(self, canv: Any, row: _Laid, columns: list[float], top: float, is_header: bool) -> float:
        height = row.height
        bottom = top - height
        x = 0.0
        widths = [self.width] if row.span else columns
        for (cell, font, lines), w in zip(row.cells, widths, strict=True):
            if cell.fill is not None:
                canv.setFillColor(cell.fill)
                canv.rect(x, bottom, w, height - row.gap, stroke=0, fill=1)
            if lines:
                look = cell.look
                baseline = top - row.gap - PADDING - look.size * 0.82 - (look.leading - look.size) / 2
                centre = w if cell.centre else None
                draw_lines(canv, font, look, x + PADDING, baseline, lines, centre)
            x += w
        if self.rules and not row.span and not is_header:
            canv.setStrokeColor(theme.RULE)
            canv.setLineWidth(0.4)
            canv.line(0, bottom, self.width, bottom)
        return bottom


def draw_lines(
    canv: Any, font: str, look: Look, x: float, baseline: float, lines: list[str], centre: float | None
) -> None:
    """Lines of text from ``(x, baseline)`` down, centred in ``centre`` points when given.

    A report draws some 100,000 lines: for the standard fonts the text operators are written
    directly (what ReportLab's text object writes for them, without its per-line bookkeeping),
    inside ``q … Q`` so that the colour does not leak; the Unicode fonts go through the text object.
    """
    if pdfmetrics.getFont(font)._dynamicFont:
        text = canv.beginText()
        text.setFont(font, look.size, look.leading)
        text.setFillColor(look.colour)
        for line in lines:
            offset = (centre - PADDING * 2 - canv.stringWidth(line, font, look.size)) / 2 if centre else 0.0
            text.setTextOrigin(x + offset, baseline)
            text.textOut(line)
            baseline -= look.leading
        canv.drawText(text)
        return
    name = canv._doc.getInternalFontName(font)
    r, g, b = look.colour.rgb()
    ops = [f"q BT {name} {fp_str(look.size)} Tf {fp_str(look.leading)} TL {fp_str(r, g, b)} rg"]
    if centre is None:
        ops.append(f"1 0 0 1 {fp_str(x, baseline)} Tm")
        ops.extend(f"({escapePDF(line.encode('cp1252'))}) Tj T*" for line in lines)
    else:
        for line in lines:
            offset = (centre - PADDING * 2 - pdfmetrics.stringWidth(line, font, look.size)) / 2
            ops.append(f"1 0 0 1 {fp_str(x + offset, baseline)} Tm ({escapePDF(line.encode('cp1252'))}) Tj")
            baseline -= look.leading
    ops.append("ET Q")
    canv._code.append(" ".join(ops))
