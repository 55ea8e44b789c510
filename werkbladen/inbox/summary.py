"""The closing line of a batch, in Dutch, on what became of every input.

``1.204 bestanden: 1.190 gelezen (12 met waarschuwingen), 3 overgeslagen, 11 mislukt; 4 dubbel,
6 vervangen door een nieuwere versie, 1 conflict``. Counts are written as Dutch readers write
them (a point between thousands); parts that are zero are left out, but never the first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from werkbladen.errors import FAILED, READ_STATUSES, Status


@dataclass(slots=True)
class Summary:
    files: int = 0
    read: int = 0
    with_warnings: int = 0
    skipped: int = 0
    failed: int = 0
    duplicates: int = 0
    superseded: int = 0
    conflicts: int = 0
    """Pairs of records in conflict (each pair is named in both records)."""
    passed_over: int = 0
    """Hidden files and operating-system clutter, which get no record."""

    def add(self, record: Mapping[str, Any]) -> None:
        self.files += 1
        status = record.get("status")
        if status in READ_STATUSES:
            self.read += 1
            self.with_warnings += status == Status.WARNINGS
        elif status == Status.SKIPPED:
            self.skipped += 1
        elif status in FAILED or status is not None:
            self.failed += 1
        self.duplicates += bool(record.get("duplicate_of"))
        self.superseded += bool(record.get("superseded_by"))
        self.conflicts += len(record.get("conflicts") or ())

    def line(self) -> str:
        read = f"{_n(self.read)} gelezen"
        if self.with_warnings:
            read += f" ({_n(self.with_warnings)} met waarschuwingen)"
        first = [read]
        if self.skipped:
            first.append(f"{_n(self.skipped)} overgeslagen")
        if self.failed:
            first.append(f"{_n(self.failed)} mislukt")
        second = []
        if self.duplicates:
            second.append(f"{_n(self.duplicates)} dubbel")
        if self.superseded:
            second.append(f"{_n(self.superseded)} vervangen door een nieuwere versie")
        pairs = self.conflicts // 2
        if pairs:
            second.append(f"{_n(pairs)} {'conflict' if pairs == 1 else 'conflicten'}")
        if self.passed_over:
            files = "bestand" if self.passed_over == 1 else "bestanden"
            second.append(f"{_n(self.passed_over)} verborgen {files} genegeerd")
        head = f"{_n(self.files)} {'bestand' if self.files == 1 else 'bestanden'}: " + ", ".join(first)
        return head + ("; " + ", ".join(second) if second else "")


def _n(count: int) -> str:
    return f"{count:,}".replace(",", ".")
