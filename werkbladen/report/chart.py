"""The small chart of step 5: how the scores on each bouwsteen are spread, as stacked bars.

Drawn with ReportLab's own graphics (the canvas; the legend a ``Drawing``). Low scores are orange
and high scores blue (the werkbladen's accent and primary colours), so a row that is mostly orange
stands out at a glance; each segment is as wide as its share of the scores given, with its count
inside when there is room.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.colors import Color, linearlyInterpolatedColor
from reportlab.platypus import Flowable

from werkbladen.layout import theme
from werkbladen.report.flow import draw_lines
from werkbladen.report.text import Look

BAR_HEIGHT = 11.0
HEADER = Look(8.5, 11, bold=True, colour=theme.WHITE)
PLAIN = Look(8.5, 11)
BOLD = Look(8.5, 11, bold=True)
MIDDLE = Color(0.93, 0.93, 0.91)


def score_colours(count: int) -> list[Color]:
    """``count`` colours from the accent (lowest option) through a pale middle to the primary (highest)."""
    out = []
    for i in range(count):
        t = i / (count - 1) if count > 1 else 1.0
        if t <= 0.5:
            out.append(linearlyInterpolatedColor(theme.ACCENT, MIDDLE, 0, 0.5, t))
        else:
            out.append(linearlyInterpolatedColor(MIDDLE, theme.PRIMARY, 0.5, 1, t))
    return out


def _ink(colour: Color) -> Color:
    """White on a dark segment, the text colour on a light one."""
    r, g, b = colour.rgb()
    return theme.WHITE if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else theme.TEXT


class ScoreChart(Flowable):  # type: ignore[misc]
    """The scores of one intervention: a row per bouwsteen with its counts, median and stacked bar.

    Drawn straight on the canvas (the report has a couple of hundred of these; as a Table of
    Drawings they were a third of its layout time).
    """

    ROW = 15.0
    LABEL, COUNT, MEDIAN = 120.0, 34.0, 44.0

    def __init__(self, values: Sequence[str], rows: Sequence[tuple[str, Sequence[int], str]]) -> None:
        super().__init__()
        self.values = list(values)
        self.rows = list(rows)
        self.spaceAfter = 8

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.ROW * (len(self.rows) + 1)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        bar_x = self.LABEL + self.COUNT * len(self.values) + self.MEDIAN
        bar_width = self.width - bar_x - 4
        canv.saveState()
        canv.setFillColor(theme.PRIMARY)
        canv.rect(0, self.height - self.ROW, self.width, self.ROW, stroke=0, fill=1)
        top = self.height
        header = ("Bouwsteen", *self.values, "mediaan", "verdeling")
        rows = [
            (header, None),
            *(((label, *map(_count, counts), median), counts) for label, counts, median in self.rows),
        ]
        canv.setStrokeColor(theme.RULE)
        canv.setLineWidth(0.4)
        for cells, counts in rows:
            baseline = top - self.ROW + 4.5
            x = 4.0
            for i, text in enumerate(cells):
                look = HEADER if counts is None else BOLD if i == len(cells) - 1 else PLAIN
                draw_lines(canv, look.font(text), look, x, baseline, [text], None)
                x += self.LABEL if i == 0 else self.COUNT if i <= len(self.values) else self.MEDIAN
            if counts is not None:
                _bar(canv, bar_x, top - self.ROW + 2, counts, bar_width)
                canv.line(0, top - self.ROW, self.width, top - self.ROW)
            top -= self.ROW
        canv.restoreState()


def _count(n: int) -> str:
    return str(n) if n else "–"


def _bar(canv: Any, x: float, y: float, counts: Sequence[int], width: float) -> None:
    """A stacked bar of ``counts`` (one per option, lowest first), ``width`` points wide."""
    canv.setStrokeColor(theme.RULE)
    canv.rect(x, y, width, BAR_HEIGHT, stroke=1, fill=0)
    total = sum(counts)
    for count, colour in zip(counts, score_colours(len(counts)), strict=True):
        if not count or not total:
            continue
        w = width * count / total
        canv.setFillColor(colour)
        canv.rect(x, y, w, BAR_HEIGHT, stroke=0, fill=1)
        if w >= 9:
            canv.setFillColor(_ink(colour))
            canv.setFont(theme.FONT_BOLD, 7)
            canv.drawCentredString(x + w / 2, y + 2.8, str(count))
        x += w


def legend(labels: Sequence[str], width: float) -> Drawing:
    """A swatch and the label of each option, in a row."""
    drawing = Drawing(width, 12)
    x = 0.0
    for label, colour in zip(labels, score_colours(len(labels)), strict=True):
        drawing.add(Rect(x, 1.5, 9, 9, fillColor=colour, strokeColor=None, strokeWidth=0))
        drawing.add(String(x + 12, 3, label, fontName=theme.FONT, fontSize=8, fillColor=theme.TEXT))
        x += 12 + theme.text_width(label, theme.FONT, 8) + 14
    return drawing
