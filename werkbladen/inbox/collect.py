"""``read_inbox``: everything named, read once, settled: the records ``extract`` and ``report`` share."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator
from typing import TYPE_CHECKING, cast

from werkbladen.inbox.gather import Gatherer
from werkbladen.inbox.standing import settle
from werkbladen.inbox.summary import Summary
from werkbladen.limits import DEFAULT_LIMITS, Limits
from werkbladen.reader.batch import Mode, iter_records
from werkbladen.record import AnyRecord, Record, is_current

if TYPE_CHECKING:
    from werkbladen.content.model import Werkboek


def read_inbox(
    inputs: Iterable[str],
    *,
    werkboek: Werkboek | None = None,
    limits: Limits = DEFAULT_LIMITS,
    jobs: int | None = None,
    password: str | None = None,
    latest: bool = False,
    mode: Mode = "extract",
    progress: Callable[[int], None] | None = None,
    summary: Summary | None = None,
) -> Generator[AnyRecord, None, None]:
    """A record per input found in ``inputs`` (files, folders, zips, e-mails), in the order found.

    Records come out once the whole batch is in (duplicates and resends can only be told then),
    each with its provenance and standing; ``latest`` keeps only the current ones. ``summary``,
    if given, counts every record (also those ``latest`` leaves out) and what was passed over.
    ``--raw`` records (``mode="raw"``) are not settled: they have no organisation to compare.
    """
    gatherer = Gatherer(limits)
    records = iter_records(
        gatherer.entries(inputs),
        mode=mode,
        password=password,
        werkboek=werkboek,
        limits=limits,
        jobs=jobs,
        progress=progress,
    )
    try:
        settled: Iterable[AnyRecord] = records
        if mode == "extract":
            settled = settle(cast("Iterator[Record]", records))
        for record in settled:
            if summary is not None:
                summary.add(record)
            if latest and mode == "extract" and not is_current(cast("Record", record)):
                continue
            yield record
    finally:
        records.close()
        if summary is not None:
            summary.passed_over = gatherer.tally.clutter
