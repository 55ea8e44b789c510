"""An answer from the page: the text inside a field's box, the mark inside a button's.

A text field's value is the characters of the runs whose middle lies in its box (the blank's
rectangle, fitted to the page), each character by its own horizontal centre (one run may cross
two boxes side by side), line by line, top to bottom. A multi-line box wraps long lines, and the
page does not say which line ends were typed: a line end is typed when the next line's first word
would have fitted behind it (the rule every appearance writer wraps by); a taller gap is an
empty line. Where the next word would not have fitted, the page looks the same either way: the
break is guessed (a wrap, unless a sentence ends and the next begins) and flagged. Flags say what
the page cannot vouch for: text that reaches the edge of its box (cut off, or scrolled), letters
without a Unicode mapping or drawn as ``?`` inside a word (pypdf draws a letter its font lacks so),
text drawn over text (a long answer next door running on, clipped, under this one).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from werkbladen.reader.recover.blank import Widget
from werkbladen.reader.recover.fit import Fit
from werkbladen.reader.recover.pagetext import LOST, Box, Char, PageText, Run

FROM_PAGE = "from_page"
POSSIBLY_INCOMPLETE = "possibly_incomplete"
LOST_LETTERS = "lost_letters"
LINE_BREAKS_GUESSED = "line_breaks_guessed"
OVERLAPPING_TEXT = "overlapping_text"
UNCLEAR_MARK = "unclear_mark"
FLAGS = (FROM_PAGE, POSSIBLY_INCOMPLETE, LOST_LETTERS, LINE_BREAKS_GUESSED, OVERLAPPING_TEXT, UNCLEAR_MARK)
"""Every flag of ``details.recovered``, in the order they are listed."""

EDGE = 1.2
"""Points between the text and its box's edge below which the text counts as reaching it."""
_QUESTION_MARK = re.compile(r"\?(?=\w)|(?:^|\s)\?(?=\s|$)")
"""A ``?`` before a letter, or standing alone: pypdf's stand-in for a letter its font cannot draw."""
WELL_INSIDE = 2.0
"""Points a run's rectangle keeps from its box's sides for all of its characters to count as
inside without looking at each: PDFium's rectangle is the union of the run's character boxes
(all but the empty ones, a space's, which lie between their neighbours)."""
MARKED = 0.06
"""The ink a tick or a dot adds to the middle of a button's box, as a share of it, at least."""


@dataclass(slots=True)
class Read:
    """A value read from the page and what is to be said about it."""

    value: str | bool | None
    flags: list[str] = field(default_factory=lambda: [FROM_PAGE])

    def flag(self, name: str) -> None:
        if name not in self.flags:
            self.flags.append(name)


def read_text(page: PageText, runs: list[Run], widget: Widget, fit: Fit) -> Read:
    """The text in ``widget``'s box on ``page``; None when the box is empty."""
    box = fit.box(widget.box)
    x0, y0, x1, y1 = box
    rows = [r for r in runs if y0 <= (r.box[1] + r.box[3]) / 2 <= y1 and r.box[0] < x1 and x0 < r.box[2]]
    chars = [page.chars(r) for r in rows]
    within = [x0 + WELL_INSIDE <= r.box[0] and r.box[2] <= x1 - WELL_INSIDE for r in rows]
    inside = [c if w else _own(c, box) for c, w in zip(chars, within, strict=True)]
    read = Read(None)
    hidden = [[] if w else _hidden(c, box) for c, w in zip(chars, within, strict=True)]
    if any(hidden):  # the rest of the line is in the PDF, clipped from view
        read.flag(POSSIBLY_INCOMPLETE)
        if not widget.multiline:  # scrolled: the one line is the whole answer
            inside = [own + more for own, more in zip(inside, hidden, strict=True)]
    lines = _lines(inside)
    if not lines:
        return Read(None)
    bases = [_base(line) for line in lines]
    heights = [_height(line) for line in lines]
    texts = [_text(line) for line in lines]
    if _overlapping(lines, bases, heights):  # a long answer beside or above runs on, clipped, under this one
        read.flag(OVERLAPPING_TEXT)
    if any(LOST in text for text in texts):
        read.flag(LOST_LETTERS)
    left = min(line[0].box[0] for line in lines)
    right = max(line[-1].box[2] for line in lines)
    bottom = min(min([c.box[1] for c in line]) for line in lines)
    pad = max(0.0, left - box[0])
    full = widget.multiline and bottom - heights[-1] * 1.6 <= box[1]  # no room for one more line
    if right >= box[2] - EDGE or left <= box[0] + EDGE / 2 or full:
        read.flag(POSSIBLY_INCOMPLETE)
    if widget.multiline:
        read.value, guessed = _join(lines, bases, heights, texts, box[2] - pad)
        if guessed:
            read.flag(LINE_BREAKS_GUESSED)
    else:
        read.value = " ".join(texts)
    if _QUESTION_MARK.search(read.value):
        read.flag(LOST_LETTERS)
    return read


def read_button(ink: float, widget: Widget) -> tuple[bool, bool]:
    """Whether ``widget``'s box, inked ``ink`` on the page (:meth:`PageText.inks`), is marked, and
    whether that is clear (not halfway)."""
    added = ink - widget.ink
    return added >= MARKED, not (MARKED / 3 <= added < MARKED * 2)


def _own(chars: list[Char], box: Box) -> list[Char]:
    """The characters of a run inside ``box``, less the text that flows in from a box to its left.

    A value too long for its cell runs on, clipped from view, over the next cell: those letters
    lie in the next box but are not its answer; they are told by following on without a gap.
    """
    if not chars or (chars[0].box[0] + chars[0].box[2]) / 2 >= box[0]:
        return [c for c in chars if box[0] <= (c.box[0] + c.box[2]) / 2 <= box[2]]
    out: list[Char] = []
    prev: Char | None = None
    flowing = False
    for c in chars:
        centre = (c.box[0] + c.box[2]) / 2
        if centre > box[2]:
            break
        if centre >= box[0]:
            gap = c.box[0] - prev.box[2] if prev is not None else None
            if not out and not flowing and gap is not None and c.text != " " and gap <= _height([c]) * 0.6:
                flowing = True
            elif flowing and (c.text == " " or gap is None or gap > _height([c]) * 0.6 or gap < -0.5):
                flowing = False
            if not flowing and not (c.text == " " and not out):
                out.append(c)
        prev = c
    return out


def _hidden(chars: list[Char], box: Box) -> list[Char]:
    """The characters that carry a one-line box's text on past its right edge, without a gap."""
    out: list[Char] = []
    last = None
    for c in chars:
        if (c.box[0] + c.box[2]) / 2 <= box[2]:
            last = c
            continue
        gap = c.box[0] - last.box[2] if last is not None else 0.0
        if last is None or (c.text != " " and (gap > _height([c]) * 0.6 or gap < -0.5)):
            break
        out.append(c)
        last = c
    return out if last is not None and any(c.text != " " for c in out) else []


def _lines(chars: list[list[Char]]) -> list[list[Char]]:
    """Runs on one baseline joined left to right; lines top to bottom."""
    rows: list[tuple[float, list[list[Char]]]] = []  # a row's baseline is its first run's
    for base, run in sorted(((_base(r), r) for r in chars if r), key=lambda pair: -pair[0]):
        if rows and abs(rows[-1][0] - base) < _height(run) / 2:
            rows[-1][1].append(run)
        else:
            rows.append((base, [run]))
    lines = [_strip(_side_by_side(row)) for _, row in rows]
    return [line for line in lines if line]


def _overlapping(lines: list[list[Char]], bases: list[float], heights: list[float]) -> bool:
    """Letters drawn over letters, or lines closer than a line apart: two texts in one box."""
    for line in lines:
        boxes = [c.box for c in line if c.text != " "]
        for a, b in itertools.pairwise(boxes):
            if b[0] < (a[0] + a[2]) / 2:
                return True
    return any(bases[i - 1] - bases[i] < heights[i] * 0.8 for i in range(1, len(lines)))


def _side_by_side(runs: list[list[Char]]) -> list[Char]:
    """Runs on one baseline, left to right, a space between them where there is a gap."""
    out: list[Char] = []
    for run in sorted(runs, key=lambda r: r[0].box[0]):
        if (
            out
            and out[-1].text != " "
            and run[0].text != " "
            and run[0].box[0] - out[-1].box[2] > _height(run) * 0.42
        ):
            out.append(Char(" ", (out[-1].box[2], out[-1].box[1], run[0].box[0], out[-1].box[1]), False))
        out.extend(run)
    return out


def _strip(row: list[Char]) -> list[Char]:
    start, end = 0, len(row)
    while start < end and row[start].text == " ":
        start += 1
    while end > start and row[end - 1].text == " ":
        end -= 1
    return row[start:end]


_SAMPLE = 12
"""Characters a line's baseline and size are taken from: the median of its first dozen is enough."""


def _base(run: list[Char]) -> float:
    bottoms = sorted([c.box[1] for c in run[:_SAMPLE] if c.text != " "])
    return bottoms[len(bottoms) // 2] if bottoms else run[0].box[1]


def _height(run: list[Char]) -> float:
    heights = sorted([c.box[3] - c.box[1] for c in run[:_SAMPLE] if c.text != " "])
    return max(heights[len(heights) // 2] if heights else 0.0, 4.0)


def _text(line: list[Char]) -> str:
    return "".join([c.text for c in line])


def _join(
    lines: list[list[Char]], bases: list[float], heights: list[float], texts: list[str], limit: float
) -> tuple[str, bool]:
    """Lines of a multi-line box as typed, and whether a line end had to be guessed.

    ``bases``, ``heights`` and ``texts`` are each line's (:func:`_base`, :func:`_height`, its letters).
    """
    gaps = [bases[i - 1] - bases[i] for i in range(1, len(lines))]
    pitch = min(gaps) if gaps else 0.0
    out = texts[0]
    guessed = False
    for i in range(1, len(lines)):
        prev, cur = lines[i - 1], lines[i]
        empty = max(0, round(gaps[i - 1] / pitch) - 1) if pitch else 0
        word = _first_word(cur)
        size = heights[i]
        end = prev[-1].box[2] + size * 0.28 + (word[-1].box[2] - word[0].box[0])
        if empty or end < limit - size * 0.4:  # the word would have fitted: a typed line end
            out += "\n" * (empty + 1) + texts[i]
            continue
        guessed = True
        sentence = prev[-1].text in ".!?:;" and (cur[0].text.isupper() or cur[0].text.isdigit())
        out += ("\n" if sentence else " ") + texts[i]
    return out, guessed


def _first_word(line: list[Char]) -> list[Char]:
    for i, c in enumerate(line):
        if c.text == " ":
            return line[:i] or line[:1]
    return line
