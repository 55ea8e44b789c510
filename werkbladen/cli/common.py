"""What every command shares: turning the library's errors into one line and an exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from werkbladen.errors import WerkbladenError

EXIT_FAILED = 1
"""Some input could not be read or written; everything else was still processed."""
EXIT_USAGE = 2
"""The command was called wrongly (click uses 2 for its own usage errors too)."""
EXIT_NOTHING_WRITTEN = 3
"""No output was written (interrupted, not writable, disk full, an internal error): nothing to trust."""


@contextmanager
def fail_on_error(exit_code: int = EXIT_FAILED) -> Iterator[None]:
    """Print a :class:`WerkbladenError` as ``werkbladen: error: …`` (one line per problem) and exit;
    nothing else is caught."""
    try:
        yield
    except WerkbladenError as exc:
        for line in str(exc).splitlines() or [""]:
            click.echo(f"werkbladen: error: {line}", err=True)
        raise SystemExit(exit_code) from None
