"""The coordinator's inbox: what arrives (folders, lists, zips, e-mails) to one truthful set of records.

:mod:`.sniff` tells what a file is by its bytes, :mod:`.gather` finds the PDFs in what was named,
:mod:`.standing` marks duplicates, superseded forms and conflicts once every record is in, and
:mod:`.summary` says in one Dutch line what became of every input.
"""

from __future__ import annotations

from typing import Any

__all__ = ["read_inbox"]


def __getattr__(name: str) -> Any:
    """``read_inbox`` on first use: the batch imports :mod:`.gather`, and ``read_inbox`` the batch."""
    if name == "read_inbox":
        from werkbladen.inbox.collect import read_inbox

        return read_inbox
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
