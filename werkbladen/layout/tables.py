"""Content tables: a header row that repeats on every page, printed cells and field cells.

Text boxes in a cell stretch to the full height of their row, so a row whose printed text
runs to four lines gets a four-line answer box rather than a small box and white space.
Radio groups too wide for their column print only the option values above the buttons;
the scale's full labels then appear in a legend above the table, where one reads it first.

Words in cells are hyphenated with the Dutch patterns of Pyphen (``nl_NL``): a column too
narrow for "Onderwijsachterstandenbeleid" breaks it as "Onderwijsachterstanden-/beleid", where
ReportLab alone would cut it anywhere, without a hyphen.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, FrameBreak, KeepTogether, Table, TableStyle

from werkbladen.content.model import Column, FieldKind, Row, Scale, TableBlock
from werkbladen.content.naming import FieldSpec
from werkbladen.layout import theme
from werkbladen.layout.fields import CheckBox, ChoiceGroup, DateBox, FieldFlowable, TextBox
from werkbladen.layout.hyphenate import Hyphenator
from werkbladen.layout.para import Para
from werkbladen.layout.tagging import TableTags

CELL_PAD = 4.0
CELL_LINE_HEIGHT = 12.0
"""One line of answer in a table cell (9 pt text)."""
HYPHENATION_LANG = "nl_NL"
HYPHENATE_FROM = 12
"""Shorter words wrap whole: hyphenating every word that misses the line's end by a little
breaks nearly every line of a narrow cell; Dutch compounds, the words too long for a
column, are longer than this."""
_DUTCH = Hyphenator(HYPHENATION_LANG).prepare()
"""Made once: ReportLab given the language name would load the patterns again for every wrap.
Pyphen's patterns, indexed here (before a build forks) and parsed on demand
(:mod:`werkbladen.layout.hyphenate`)."""


@functools.lru_cache(maxsize=4096)
def dutch_breaks(word: str) -> tuple[tuple[str, str], ...]:
    """The places ReportLab may hyphenate ``word`` at, longest head first: Pyphen's, but
    only between letters and with three letters left for the next line
    ("jeugd(gezond-heids)beleid", never "jeugd(-gezondheids", "gezondheids-)beleid" or "regi-o’s")."""
    return tuple(
        (h, t)
        for h, t in _DUTCH.iterate(word)
        if h[-1].isalpha() and t[0].isalpha() and sum(c.isalpha() for c in t) >= 3
    )


def hyphenated(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` with Dutch hyphenation, and no word ever cut without a hyphen.

    ``splitLongWords`` off: a word with no hyphenation point that fits (a short word in a
    narrow column) overflows a little rather than being cut mid-syllable without a sign.
    """
    return ParagraphStyle(
        f"{style.name}_nl",
        parent=style,
        hyphenationLang=dutch_breaks,
        hyphenationMinWordLength=HYPHENATE_FROM,
        embeddedHyphenation=1,
        splitLongWords=0,
    )


CELL = hyphenated(theme.CELL)
CELL_BOLD = hyphenated(theme.CELL_BOLD)
CELL_HEADER = hyphenated(theme.CELL_HEADER)


class FieldTable(Table):  # type: ignore[misc]
    """A Table whose stretchable field cells fill their whole cell, and that leaves no widow rows.

    A page break that would carry fewer than ``MIN_TAIL`` body rows over to the next page
    moves more rows along with them, so a header never repeats above a lone last row.
    """

    MIN_TAIL = 2

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        parts: list[Any] = super().split(avail_width, avail_height)
        if len(parts) != 2:
            return parts
        head_rows = len(parts[0]._cellvalues)
        tail_rows = len(parts[1]._cellvalues) - self.repeatRows
        keep = head_rows - (self.MIN_TAIL - tail_rows)
        if tail_rows >= self.MIN_TAIL or keep < self.repeatRows + self.MIN_TAIL:
            return parts
        head, tail = super().split(avail_width, sum(self._rowHeights[:keep]) + 0.01)
        # the tail must start on the next page, not in the room the moved rows left behind
        return [head, FrameBreak(), tail]

    def _drawCell(
        self, cellval: Any, cellstyle: Any, pos: tuple[float, float], size: tuple[float, float]
    ) -> None:
        field = _only_field(cellval)
        if field is None or not field.stretchable:
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        (x, y), (w, h) = pos, size
        left, right = cellstyle.leftPadding, cellstyle.rightPadding
        top, bottom = cellstyle.topPadding, cellstyle.bottomPadding
        field.stretch(w - left - right, h - top - bottom)
        field.drawOn(self.canv, x + left, y + bottom)


class TableStart(KeepTogether):  # type: ignore[misc]
    """Keeps what leads into a table (heading, caption, legend) with its header and first rows.

    A plain KeepTogether would push a whole page-sized table to the next page and leave a
    gap; this one breaks the page only when the lead-in and the first ``FIRST_ROWS`` rows
    do not fit, and otherwise lets the table split with its header repeated. A table that
    fits on a page of its own (at most ``WHOLE_SHARE`` of a page) is never split: its rows
    are read against each other, as in the score matrix of step 5.
    """

    FIRST_ROWS = 2
    WHOLE_SHARE = 0.6

    def __init__(self, lead: list[Flowable], table: Table) -> None:
        super().__init__([*lead, table])
        self.table = table

    def with_lead(self, lead: list[Flowable]) -> TableStart:
        return TableStart([*lead, *self._content[:-1]], self.table)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        content = list(self._content)
        need = 0.0
        for flowable in content[:-1]:
            need += (
                flowable.wrap(avail_width, avail_height)[1]
                + flowable.getSpaceBefore()
                + flowable.getSpaceAfter()
            )
        self.table.wrap(avail_width, avail_height)
        whole = sum(self.table._rowHeights)
        if whole <= self.WHOLE_SHARE * theme.PAGE_HEIGHT:
            need += whole
        else:
            need += sum(self.table._rowHeights[: 1 + self.FIRST_ROWS])
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        if need > avail_height and not at_top:
            return [FrameBreak(), *content]
        return content


def _only_field(cellval: Any) -> FieldFlowable | None:
    if isinstance(cellval, (list, tuple)) and len(cellval) == 1:
        cellval = cellval[0]
    return cellval if isinstance(cellval, FieldFlowable) else None


def table_flowables(
    block: TableBlock,
    werkblad_id: str,
    spec_of: Callable[[str, str, str], FieldSpec],
    scales: dict[str, Scale],
) -> list[Flowable]:
    """The caption, the table and, when needed, the legend of a table block."""
    total = sum(c.width for c in block.columns)
    widths = [theme.FRAME_WIDTH * c.width / total for c in block.columns]
    data: list[list[Any]] = [[Para(theme.escape(c.header), CELL_HEADER) for c in block.columns]]
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), theme.TABLE_HEADER),
        ("GRID", (0, 0), (-1, -1), 0.5, theme.RULE),
        ("LINEBELOW", (0, 0), (-1, 0), 1.0, theme.PRIMARY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]
    legend: dict[str, Scale] = {}
    for r, row in enumerate(block.rows, start=1):
        cells: list[Any] = []
        for c, column in enumerate(block.columns):
            kind = block.cell_kind(row, column)
            if kind is None:
                text_style = CELL_BOLD if c == 0 else CELL
                cells.append(Para(theme.escape(row.cells[column.id]), text_style))
                style.append(("BACKGROUND", (c, r), (c, r), theme.TABLE_FIXED))
                continue
            spec = spec_of(block.id, row.id, column.id)
            flowable, compact = _cell_field(spec, row, column, widths[c] - 2 * CELL_PAD)
            if compact and kind[1] is not None:
                legend[kind[1]] = scales[kind[1]]
            if isinstance(flowable, (CheckBox, ChoiceGroup)):
                style.append(("VALIGN", (c, r), (c, r), "MIDDLE"))
            cells.append(flowable)
        data.append(cells)
    style.append(("FONTNAME", (0, 0), (-1, -1), theme.FONT))
    row_headers = all(block.cell_kind(row, block.columns[0]) is None for row in block.rows)
    table = FieldTable(
        data,
        colWidths=widths,
        repeatRows=1,
        style=TableStyle(style),
        hAlign="LEFT",
        renderCB=TableTags(row_headers=row_headers),
    )
    table.spaceAfter = 12
    lead: list[Flowable] = [Para(theme.escape(block.caption), theme.CAPTION)] if block.caption else []
    for scale in legend.values():
        labels = " · ".join(
            theme.escape(o.label if o.label.startswith(o.value) else f"{o.value} = {o.label}")
            for o in scale.options
        )
        lead.append(Para(f"<b>{theme.escape(scale.label)}</b>: {labels}", theme.NOTE))
    return [TableStart(lead, table)]


def _cell_field(spec: FieldSpec, row: Row, column: Column, inner_width: float) -> tuple[FieldFlowable, bool]:
    """The field flowable of one cell, and whether it uses the compact option labels."""
    kind = FieldKind(spec.kind)
    if kind is FieldKind.CHECKBOX:
        return CheckBox(spec, centred=True), False
    if kind is FieldKind.CHOICE:
        fits_row = ChoiceGroup.row_width(spec) <= inner_width
        if not fits_row and ChoiceGroup.compact_width(spec) <= inner_width:
            return ChoiceGroup(spec, mode="compact", centred=True), True
        return ChoiceGroup(spec, mode="row", centred=True), False
    if kind is FieldKind.DATE:
        return DateBox(spec, font_size=theme.FIELD_FONT_SIZE_SMALL), False
    lines = row.lines if kind is FieldKind.MULTILINE else 1
    height = lines * CELL_LINE_HEIGHT + theme.BOX_PADDING if lines > 1 else 18.0
    return TextBox(spec, height=height, font_size=theme.FIELD_FONT_SIZE_SMALL), False
