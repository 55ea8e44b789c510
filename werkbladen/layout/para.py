"""The paragraph flowable of every text in the layout: ReportLab's, minus repeated line breaking.

Platypus wraps a paragraph again and again at the same width (a table sizing its rows, a
KeepTogether measuring its group, the frame placing it): in a build, 1,052 of 1,678 wraps
were repeats. Line breaking is the costliest part of a wrap and depends only on the width
and the paragraph's fragments, so a repeat at the same width returns the last result.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus.paragraph import Paragraph


class Para(Paragraph):  # type: ignore[misc]
    """A Paragraph that reuses its last line breaking when wrapped again at the same width."""

    _memo: tuple[float, Any, Any, tuple[float, float]] | None = None

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
