"""What every command shares: turning the library's errors into one line and an exit code."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from werkbladen.errors import WerkbladenError
from werkbladen.limits import DEFAULT_LIMITS, MB, Limits

_F = TypeVar("_F", bound=Callable[..., Any])

EXIT_FAILED = 1
"""Some input could not be read or written; everything else was still processed."""
EXIT_USAGE = 2
"""The command was called wrongly (click uses 2 for its own usage errors too)."""
EXIT_NOTHING_WRITTEN = 3
"""No output was written (interrupted, not writable, disk full, an internal error): nothing to trust."""

ERROR = "werkbladen: fout: "
"""How a line on stderr that says what went wrong begins."""


@contextmanager
def fail_on_error(exit_code: int = EXIT_FAILED) -> Iterator[None]:
    """Print a :class:`WerkbladenError` as ``werkbladen: fout: …`` (one line per problem) and exit;
    nothing else is caught."""
    try:
        yield
    except WerkbladenError as exc:
        for line in str(exc).splitlines() or [""]:
            click.echo(f"{ERROR}{line}", err=True)
        raise SystemExit(exit_code) from None


def content_option(help: str) -> Callable[[_F], _F]:
    """``--content MAP``: the content folder the forms were built from, for every command that reads them."""
    return click.option(
        "--content", metavar="MAP", type=click.Path(path_type=Path, file_okay=False, exists=True), help=help
    )


def reading_options(command: _F) -> _F:
    """``--password``, ``--jobs``, ``--timeout``, ``--max-size``: how every command reading forms reads them.

    The command gets ``password``, ``jobs``, ``timeout`` and ``max_size``; :func:`limits_of` makes
    the :class:`Limits` of the last two.
    """
    options = [
        click.option("--password", metavar="WACHTWOORD", help="Het wachtwoord van beveiligde PDF's."),
        click.option(
            "--jobs",
            type=click.IntRange(min=1),
            metavar="AANTAL",
            help="Hoeveel bestanden tegelijk worden gelezen (standaard: 2, hooguit het aantal processoren).",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=DEFAULT_LIMITS.timeout,
            show_default=True,
            metavar="SECONDEN",
            help="Seconden per bestand; duurt het lezen langer, dan wordt het opgegeven "
            "(lezen duurde te lang).",
        ),
        click.option(
            "--max-size",
            type=click.FloatRange(min=0, min_open=True),
            default=DEFAULT_LIMITS.max_size / MB,
            show_default=True,
            metavar="MB",
            help="Het grootste bestand dat wordt gelezen, in MB.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def failure_line(source: object, label: str, reason: object) -> str:
    """The stderr line of an input that could not be read: its path, its status's Dutch label
    (:func:`werkbladen.labels.status_label`), and why."""
    return f"werkbladen: {source}: {label}: {reason}"


def limits_of(timeout: float, max_size: float) -> Limits:
    return Limits(timeout=timeout, max_size=int(max_size * MB))
