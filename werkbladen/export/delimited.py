"""CSV in two dialects, with cells that cannot start a formula.

``excel-nl`` (the default) opens correctly by double-click in a Dutch Excel: UTF-8 with a
byte order mark (without it Excel guesses a legacy code page and mangles ë and é), ``;`` as
the list separator (Dutch Windows uses ``,`` as the decimal comma), CRLF line ends and
quotes only where needed. ``rfc4180`` is the standard's CSV for other tools: UTF-8 without
a byte order mark, ``,`` and CRLF. In both, a multi-line answer keeps its ``\\n`` inside a
quoted cell.

Formula injection (OWASP, "CSV Injection"): a spreadsheet runs a cell that starts with
``=``, ``+``, ``-`` or ``@`` as a formula, and tab or carriage return can smuggle one in. The
answers come from outside, so such a cell gets a leading ``'``, which Excel and LibreOffice
read as "this is text". The cost is a visible ``'`` before, for example, a dash-list answer;
``neutralise_formulas=False`` turns this off for tools that read the CSV as data.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from werkbladen.export import CsvDialect

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""OWASP's list of characters that make a spreadsheet cell a formula."""

_SURROGATE = re.compile("[\ud800-\udfff]")
"""Lone surrogates: UTF-8 cannot encode them (a PDF's broken UTF-16 can hold them)."""


@dataclass(frozen=True, slots=True)
class Dialect:
    encoding: str
    delimiter: str


DIALECTS: dict[str, Dialect] = {
    "excel-nl": Dialect(encoding="utf-8-sig", delimiter=";"),
    "rfc4180": Dialect(encoding="utf-8", delimiter=","),
}


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def clean_row(cells: list[str | None], header: Sequence[str]) -> list[str]:
    """Make ``cells`` encodable as UTF-8 in place; one warning per cell that changed."""
    if _SURROGATE.search("".join(filter(None, cells))) is None:
        return []
    warnings = []
    for i, cell in enumerate(cells):
        if cell and _SURROGATE.search(cell):
            cells[i] = _SURROGATE.sub("\ufffd", cell)
            warnings.append(
                f"{header[i]}: een onleesbaar teken (losse UTF-16-surrogaat) vervangen door \ufffd in de CSV"
            )
    return warnings


def write_csv(
    stream: TextIO,
    header: Sequence[str],
    rows: Iterable[Sequence[str | None]],
    *,
    dialect: CsvDialect,
    neutralise_formulas: bool,
) -> None:
    """Write ``header`` and ``rows`` to ``stream``, a text stream opened with ``newline=""``.

    The caller opens the stream with :data:`DIALECTS` ``[dialect].encoding`` (which adds the
    byte order mark for ``excel-nl``). ``None`` is an empty cell.
    """
    writer = csv.writer(
        stream,
        delimiter=DIALECTS[dialect].delimiter,
        quotechar='"',
        doublequote=True,
        lineterminator="\r\n",
        quoting=csv.QUOTE_MINIMAL,
        strict=True,
    )
    if not neutralise_formulas:
        writer.writerow(header)
        writer.writerows(rows)
        return
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([None if cell is None else neutralise(cell) for cell in row])
