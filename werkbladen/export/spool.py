"""Rows kept until a table can be written: in memory up to a few MB, beyond that in a temporary file.

A wide table's header needs every record's ``extra:`` names, so its rows can only be written
once the last record is in. Keeping them as pickled bytes (a length, then the pickle) costs
about the text they hold, and past :data:`MEMORY` bytes they go to an unnamed temporary file,
so a batch of any size holds no more than that in memory.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import Any

from werkbladen.errors import OutputError
from werkbladen.messages import os_reason

MEMORY = 4 * 1024 * 1024
"""Bytes kept in memory before the rows move to a temporary file."""
_LENGTH = 4


class Spool:
    """Append rows, then read them back once, in the order they came; close (or ``with``) to discard."""

    def __init__(self, memory: int | None = None) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=max(1, MEMORY if memory is None else memory))  # noqa: SIM115 (closed by close())
        self.count = 0

    def add(self, row: Any) -> None:
        blob = pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._file.write(len(blob).to_bytes(_LENGTH, "little"))
            self._file.write(blob)
        except OSError as exc:
            raise OutputError(
                f"de rijen passen niet in de tijdelijke map {tempfile.gettempdir()}: "
                f"{os_reason(exc)} (wijs met TMPDIR een map met ruimte aan)"
            ) from None
        self.count += 1

    def __iter__(self) -> Iterator[Any]:
        read = self._file.read
        self._file.seek(0)
        for _ in range(self.count):
            yield pickle.loads(read(int.from_bytes(read(_LENGTH), "little")))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
