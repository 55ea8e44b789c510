"""The small chart of step 5: how the scores on one bouwsteen are spread, as one stacked bar.

Drawn with ReportLab's own graphics. Low scores are orange and high scores blue (the werkbladen's
accent and primary colours), so a row that is mostly orange stands out at a glance; each segment
is as wide as its share of the scores given, with its count inside when there is room.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.colors import Color, linearlyInterpolatedColor

from werkbladen.layout import theme

BAR_HEIGHT = 11.0
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


def score_bar(counts: Sequence[int], width: float) -> Drawing:
    """A stacked bar of ``counts`` (one per option, lowest first), ``width`` points wide."""
    drawing = Drawing(width, BAR_HEIGHT)
    total = sum(counts)
    drawing.add(Rect(0, 0, width, BAR_HEIGHT, fillColor=None, strokeColor=theme.RULE, strokeWidth=0.4))
    if not total:
        return drawing
    x = 0.0
    for count, colour in zip(counts, score_colours(len(counts)), strict=True):
        if not count:
            continue
        w = width * count / total
        drawing.add(Rect(x, 0, w, BAR_HEIGHT, fillColor=colour, strokeColor=None, strokeWidth=0))
        if w >= 9:
            drawing.add(
                String(
                    x + w / 2,
                    2.8,
                    str(count),
                    fontName=theme.FONT_BOLD,
                    fontSize=7,
                    fillColor=_ink(colour),
                    textAnchor="middle",
                )
            )
        x += w
    return drawing


def legend(labels: Sequence[str], width: float) -> Drawing:
    """A swatch and the label of each option, in a row."""
    drawing = Drawing(width, 12)
    x = 0.0
    for label, colour in zip(labels, score_colours(len(labels)), strict=True):
        drawing.add(Rect(x, 1.5, 9, 9, fillColor=colour, strokeColor=None, strokeWidth=0))
        drawing.add(String(x + 12, 3, label, fontName=theme.FONT, fontSize=8, fillColor=theme.TEXT))
        x += 12 + theme.text_width(label, theme.FONT, 8) + 14
    return drawing
