"""Fitting a page to its blank: the scale and offset a print driver applied, from the fixed text.

Print drivers shift a page by a few points and scale it (A4 to Letter, "fit to page"); they do
not rotate it within the page or shear it. So each axis gets its own scale and offset, fitted by
least squares to the fixed texts found on both pages (their left and right edges, their bottoms
and tops), twice: the second fit without the pairs the first fits worse than
:data:`TOLERANCE` (a word a viewer drew a little differently, a line that reflowed). A page fits
when enough of the blank's fixed text is where the fit puts it: that is what tells a printed
werkblad from a PDF that merely quotes its text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from werkbladen.reader.recover.blank import BlankPage
from werkbladen.reader.recover.pagetext import Box, PageText

TOLERANCE = 2.0
"""Points a fixed text may lie off the fitted position and still count as in place."""
MIN_SHARE = 0.5
"""The share of the blank's fixed texts a page must have in place to be taken for that page."""
MIN_ANCHORS = 3


@dataclass(frozen=True, slots=True)
class Fit:
    """Blank coordinates → page coordinates: ``x' = sx·x + dx``, ``y' = sy·y + dy``."""

    sx: float
    dx: float
    sy: float
    dy: float
    share: float
    """The share of the blank's fixed texts found in place."""
    residual: float
    """Root mean square of the in-place pairs, in points."""

    def box(self, box: Box) -> Box:
        x0, y0, x1, y1 = box
        return (
            self.sx * x0 + self.dx,
            self.sy * y0 + self.dy,
            self.sx * x1 + self.dx,
            self.sy * y1 + self.dy,
        )

    @property
    def scale(self) -> float:
        return (abs(self.sx) + abs(self.sy)) / 2


def fit_page(blank: BlankPage, page: PageText) -> Fit | None:
    """The fit of ``page`` to ``blank``, or None when the page is not that page of the blank."""
    if not blank.anchors:
        return None
    counts = Counter(run.text for run in page.runs)
    pairs = [
        (blank.anchors[r.text], r.box) for r in page.runs if counts[r.text] == 1 and r.text in blank.anchors
    ]
    if len(pairs) < MIN_ANCHORS:
        return None
    xs = [(b[0], p[0]) for b, p in pairs] + [(b[2], p[2]) for b, p in pairs]
    ys = [(b[1], p[1]) for b, p in pairs] + [(b[3], p[3]) for b, p in pairs]
    fx, fy = _line(xs), _line(ys)
    if fx is None or fy is None:
        return None
    for _ in range(2):
        limit = TOLERANCE * max(1.0, (abs(fx[0]) + abs(fy[0])) / 2)
        good = [pair for pair, off in zip(pairs, _offs(fx, fy, pairs), strict=True) if off <= limit]
        if len(good) < MIN_ANCHORS:
            return None
        gx = _line([(b[0], p[0]) for b, p in good] + [(b[2], p[2]) for b, p in good])
        gy = _line([(b[1], p[1]) for b, p in good] + [(b[3], p[3]) for b, p in good])
        if gx is None or gy is None:
            return None
        fx, fy = gx, gy
    if not (0.5 <= fx[0] <= 2.0 and 0.5 <= fy[0] <= 2.0 and abs(fx[0] / fy[0] - 1) < 0.1):
        return None  # mirrored, or stretched one way only: not a print of this page
    share = len(good) / len(blank.anchors)
    if share < MIN_SHARE:
        return None
    residual = (sum([off**2 for off in _offs(fx, fy, good)]) / len(good)) ** 0.5
    return Fit(fx[0], fx[1], fy[0], fy[1], share, residual)


def _offs(fx: tuple[float, float], fy: tuple[float, float], pairs: list[tuple[Box, Box]]) -> list[float]:
    """How far each page box lies from where the fit puts its blank box (its worst side)."""
    ax, bx = fx
    ay, by = fy
    return [
        max(
            abs(ax * b[0] + bx - p[0]),
            abs(ax * b[2] + bx - p[2]),
            abs(ay * b[1] + by - p[1]),
            abs(ay * b[3] + by - p[3]),
        )
        for b, p in pairs
    ]


def _line(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Least squares ``v = a·u + b`` (lists summed in order, as generators were: the same floats)."""
    n = len(points)
    us = [u for u, _ in points]
    vs = [v for _, v in points]
    mu = sum(us) / n
    mv = sum(vs) / n
    var = sum([(u - mu) ** 2 for u in us])
    if var < 1.0:
        return None
    a = sum([(u - mu) * (v - mv) for u, v in points]) / var
    return a, mv - a * mu
