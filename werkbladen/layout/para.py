"""The paragraph flowable of every text in the layout: ReportLab's, minus repeated line breaking.

Platypus wraps a paragraph again and again at the same width (a table sizing its rows, a
KeepTogether measuring its group, the frame placing it): in a build, 1,052 of 1,678 wraps
were repeats. Line breaking is the costliest part of a wrap and depends only on the width
and the paragraph's fragments, so a repeat at the same width returns the last result.

Every paragraph is also tagged (:mod:`werkbladen.layout.tagging`): a ``P`` unless its ``role``
says otherwise (a heading, or None for the content of the element it is drawn in), and a
paragraph that is a link holds a ``Link`` with the link's annotation. The parts of a paragraph
split over two pages are one element.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus.paragraph import Paragraph

from werkbladen.layout.tagging import tagger_of


class Para(Paragraph):  # type: ignore[misc]
    """A Paragraph that tags itself and reuses its last line breaking when wrapped again at one width."""

    _memo: tuple[float, Any, Any, tuple[float, float]] | None = None

    def __init__(
        self, text: Any, style: Any, *args: Any, role: str | None = "P", tag_key: object = None, **kwargs: Any
    ) -> None:
        super().__init__(text, style, *args, **kwargs)
        self.role = role
        self.tag_key = self if tag_key is None else tag_key
        self.link: str | None = None
        """The link text when the paragraph is a link (all of it, but a leading "› ")."""
        if isinstance(text, str) and "<a " in text:
            self.link = self.getPlainText().removeprefix("› ").strip()

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        parts: list[Any] = super().split(avail_width, avail_height)
        for part in parts:
            if part is not self:
                part.role, part.tag_key, part.link = self.role, self.tag_key, self.link
        return parts

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        tagger = tagger_of(canv)
        if tagger is None:
            super().drawOn(canv, x, y, _sW)
            return
        with tagger.mark(canv, self.role, self.tag_key, link=self.link):
            super().drawOn(canv, x, y, _sW)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        memo = self._memo
        if (
            memo is not None
            and memo[0] == avail_width
            and memo[1] is self.frags
            and memo[2] is self.__dict__.get("blPara")
        ):
            # everything wrap() sets, as it set it for this width
            self.width, self.height = memo[3]
            return memo[3]
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        blpara = self.__dict__.get("blPara")
        # ReportLab replaces ``frags`` by its processed word list while breaking; a split
        # deletes ``blPara``: either way the identity checks above miss and it breaks anew
        self._memo = (avail_width, self.frags, blpara, size) if blpara is not None else None
        return size
