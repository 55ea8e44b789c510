"""Dates as Dutch people type them into a form, or None: never a guess.

Accepted, day first as in the Netherlands: ``24-6-2021``, ``24-06-21``, ``24/6/2021``,
``24.06.2021``, ``24 juni 2021``, ``24 jun. 2021``, ``1 juli '21`` and ISO ``2021-06-24``. A
two-digit year is 20yy (these forms are from 2021 on). Anything else — a date without a year, a
month-first date, a day that is not in the calendar (``31-02-2024``), a year that is not four or
two digits — is not read: the caller keeps the text as typed and warns.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3, "maa": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_NUMERIC = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NAMED = re.compile(r"(\d{1,2})\.?\s+([a-z]+)\.?,?\s+(\d{4}|'\d{2}|’\d{2}|\d{2})", re.IGNORECASE)


def parse_date(text: str) -> dt.date | None:
    """The date ``text`` names, or None when it names none for certain."""
    text = " ".join(text.split())
    try:
        if m := _ISO.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC.fullmatch(text):
            return dt.date(_year(m[4]), int(m[3]), int(m[1]))
        if (m := _NAMED.fullmatch(text)) and (month := MONTHS.get(m[2].lower())):
            return dt.date(_year(m[3].lstrip("'’")), month, int(m[1]))
    except ValueError:
        return None
    return None


_PDF_DATE = re.compile(
    r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?"
)


def pdf_date(text: str | None) -> str | None:
    """A PDF date (``D:20210624153000+02'00'``, ISO 32000 7.9.4) as ISO 8601, or None if it is none.

    Fields left out default as the standard says (month and day 1, time 0); without a time zone the
    result has no offset.
    """
    if not text or not (m := _PDF_DATE.match(text.strip())):
        return None
    defaults = (0, 1, 1, 0, 0, 0)
    year, month, day, hour, minute, second = (
        int(g) if g else d for g, d in zip(m.groups()[:6], defaults, strict=True)
    )
    zone: dt.tzinfo | None = None
    if m[7]:
        zone = dt.UTC
    elif m[8]:
        offset = dt.timedelta(hours=int(m[9]), minutes=int(m[10] or 0))
        try:
            zone = dt.timezone(-offset if m[8] == "-" else offset)
        except ValueError:
            return None
    try:
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=zone).isoformat()
    except ValueError:
        return None


def _year(digits: str) -> int:
    return int(digits) if len(digits) == 4 else 2000 + int(digits)
