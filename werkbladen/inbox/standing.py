"""One current answer per organisation and werkblad: duplicates, resends and conflicts, marked.

Once every record of a batch is in:

* **duplicate**: the same bytes (``sha256``) as an earlier input; ``duplicate_of`` names the first.
* **superseded**: a resend. Among the read, non-duplicate records of one werkblad whose
  ``respondent.organisatie`` is the same (compared without case, spacing and accents' composed
  form), the newest is current and the others get ``superseded_by``. Newest by, in this order:
  a fillable form before one recovered from its page (``recovered``), then the PDF's modification
  date (``modified``), then the e-mail's date (``sent``), then the file's time
  (``details.file_time``), then the later input. A date that is missing counts as oldest; dates
  without a time zone count as UTC. Forms with no organisation filled in are never merged.
* **conflict**: a step answered by one organisation in a werkboek and in a step form, both
  current, with different answers to the same fields (both filled in; compared without case and
  spacing): each record's ``conflicts`` names the other's source and the fields.

Records wait in a :class:`~werkbladen.export.spool.Spool` (on disk past a few MB) while a compact
summary of each decides, so a batch of any size holds little in memory.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from werkbladen.content.naming import WERKBOEK
from werkbladen.errors import READ_STATUSES, Status
from werkbladen.export.spool import Spool
from werkbladen.record import Conflict, Record, cell_key


@dataclass(slots=True)
class _Seen:
    """What deciding needs of one record."""

    source: str
    sha256: str | None
    group: tuple[str, str] | None
    """(werkblad, organisation) of a read record with an organisation, else None."""
    newness: tuple[Any, ...]


def organisation_key(name: Any) -> str:
    """``gemeenteede`` for ``" Gemeente  Ede"``: how two forms' organisations are compared."""
    if not isinstance(name, str):
        return ""
    return "".join(unicodedata.normalize("NFC", name).casefold().split())


def settle(records: Iterable[Record]) -> Iterator[Record]:
    """The records, in the order given, with ``duplicate_of``, ``superseded_by`` and ``conflicts`` set."""
    with Spool() as spool:
        seen: list[_Seen] = []
        for record in records:
            spool.add(record)
            seen.append(_seen(record, len(seen)))
        duplicate_of = _duplicates(seen)
        superseded_by = _superseded(seen, duplicate_of)
        pairs = _conflict_pairs(seen, duplicate_of, superseded_by)
        conflicts = _conflicts(spool, seen, pairs) if pairs else {}
        for index, record in enumerate(spool):
            record["duplicate_of"] = duplicate_of.get(index)
            record["superseded_by"] = superseded_by.get(index)
            record["conflicts"] = conflicts.get(index, [])
            yield record


def _seen(record: Record, index: int) -> _Seen:
    organisation = organisation_key((record.get("respondent") or {}).get("organisatie"))
    read = record["status"] in READ_STATUSES
    group = (str(record["werkblad"]), organisation) if read and organisation and record["werkblad"] else None
    details = record.get("details") or {}
    newness = (
        record["status"] != Status.RECOVERED,  # read from a printed page: never replaces a fillable form
        _instant(record.get("modified")),
        _instant(record.get("sent")),
        _instant(details.get("file_time")),
        index,
    )
    return _Seen(str(record.get("source") or record.get("file") or ""), record.get("sha256"), group, newness)


_OLDEST = float("-inf")


def _instant(text: Any) -> float:
    """Seconds since the epoch of an ISO 8601 text (UTC when it names no zone); missing is oldest."""
    if not isinstance(text, str) or not text:
        return _OLDEST
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return _OLDEST
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def _duplicates(seen: list[_Seen]) -> dict[int, str]:
    first: dict[str, str] = {}
    out: dict[int, str] = {}
    for index, entry in enumerate(seen):
        if entry.sha256 is None:
            continue
        if entry.sha256 in first:
            out[index] = first[entry.sha256]
        else:
            first[entry.sha256] = entry.source
    return out


def _superseded(seen: list[_Seen], duplicate_of: dict[int, str]) -> dict[int, str]:
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, entry in enumerate(seen):
        if entry.group is not None and index not in duplicate_of:
            groups[entry.group].append(index)
    out: dict[int, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        newest = max(members, key=lambda i: seen[i].newness)
        for index in members:
            if index != newest:
                out[index] = seen[newest].source
    return out


def _conflict_pairs(
    seen: list[_Seen], duplicate_of: dict[int, str], superseded_by: dict[int, str]
) -> list[tuple[int, int]]:
    """(werkboek, step form) pairs of one organisation, both current."""
    werkboeken: dict[str, int] = {}
    steps: dict[str, list[int]] = defaultdict(list)
    for index, entry in enumerate(seen):
        if entry.group is None or index in duplicate_of or index in superseded_by:
            continue
        werkblad, organisation = entry.group
        if werkblad == WERKBOEK:
            werkboeken[organisation] = index
        else:
            steps[organisation].append(index)
    return [(werkboeken[o], s) for o, indices in steps.items() if o in werkboeken for s in indices]


def _conflicts(spool: Spool, seen: list[_Seen], pairs: list[tuple[int, int]]) -> dict[int, list[Conflict]]:
    wanted = {i for pair in pairs for i in pair}
    answers = {i: _cells(r["answers"]) for i, r in enumerate(spool) if i in wanted}
    out: dict[int, list[Conflict]] = defaultdict(list)
    for werkboek, step in pairs:
        theirs = answers[werkboek]
        fields = [
            name
            for name, value in answers[step].items()
            if name in theirs and _compared(value) != _compared(theirs[name])
        ]
        if fields:
            out[werkboek].append({"source": seen[step].source, "fields": fields})
            out[step].append({"source": seen[werkboek].source, "fields": fields})
    return out


def _cells(answers: dict[str, Any]) -> dict[str, Any]:
    """Every filled-in answer by its PDF name, a table's cells one by one."""
    out: dict[str, Any] = {}
    for key, value in answers.items():
        if isinstance(value, list):
            for row in value:
                for column, cell in row.items():
                    if column != "row" and _filled(cell):
                        out[cell_key(key, str(row.get("row")), column)] = cell
        elif _filled(value):
            out[key] = value
    return out


def _filled(value: Any) -> bool:
    return value is not None and value != "" and value is not False


def _compared(value: Any) -> Any:
    return " ".join(value.casefold().split()) if isinstance(value, str) else value
