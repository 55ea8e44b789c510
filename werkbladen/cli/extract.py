"""``werkbladen extract``: filled PDFs in, one record per file out (JSON, JSON Lines, CSV, XLSX).

Exit status: 0 when every input was read (``ok`` or ``warnings``), 1 when any input failed
(the others are still written, and each failure gets one line on stderr), 2 for a usage error.

Records go from the workers to the writer one by one, in input order (JSON, JSON Lines and the
long tables are written as they come; the wide CSV/XLSX keep a compact row per file until the
end); this command keeps only the failures' file, status and reason, for stderr.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NoReturn, cast

import click

from werkbladen.cli.common import EXIT_FAILED, EXIT_USAGE, fail_on_error
from werkbladen.errors import READ_STATUSES
from werkbladen.limits import DEFAULT_LIMITS, MB, Limits
from werkbladen.record import AnyRecord

if TYPE_CHECKING:
    from werkbladen.export import CsvDialect, Format, XlsxLayout

_FORMATS = ("json", "jsonl", "csv", "xlsx")


@click.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Output file (default: stdout).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    help="Output format (default: from OUT's suffix, else json).",
)
@click.option("--long", is_flag=True, help="One row per answer instead of one row per file.")
@click.option(
    "--layout",
    type=click.Choice(["people", "machine"]),
    help="XLSX only. people (default): a sheet per step headed by the questions, an overview, "
    "scores as numbers and dates as dates; machine: one row per file headed by field names, as the CSV.",
)
@click.option(
    "--csv-dialect",
    type=click.Choice(["excel-nl", "rfc4180"]),
    default="excel-nl",
    show_default=True,
    help="excel-nl: semicolons and a BOM, for Dutch Excel; rfc4180: commas, UTF-8.",
)
@click.option("--no-neutralise", is_flag=True, help="Leave cells starting with = + - @ as they are in CSV.")
@click.option("--raw", is_flag=True, help="Dump the fields of any AcroForm PDF (name → value) as JSON.")
@click.option("--password", help="Password for protected PDFs.")
@click.option(
    "--jobs", type=click.IntRange(min=1), help="Worker processes (default: 2, at most the CPU count)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_LIMITS.timeout,
    show_default=True,
    help="Seconds per file before it is given up as 'timeout'.",
)
@click.option(
    "--max-size",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_LIMITS.max_size / MB,
    show_default=True,
    help="Largest input in MB.",
)
def extract_command(
    files: tuple[Path, ...],
    out: Path | None,
    fmt: str | None,
    long: bool,
    layout: str | None,
    csv_dialect: str,
    no_neutralise: bool,
    raw: bool,
    password: str | None,
    jobs: int | None,
    timeout: float,
    max_size: float,
) -> None:
    """Read filled-in werkbladen (FILE...) back into answers."""
    # Pydantic validates only our own content and answers here; looking up plugins for it
    # (a scan of every installed package's entry points) would be a tenth of a one-file run.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from werkbladen.atomic import ensure_not_input
    from werkbladen.export import format_from_suffix
    from werkbladen.reader.batch import iter_records

    if fmt is None:
        fmt = format_from_suffix(out) if out is not None else "json"
        if fmt is None:
            _usage(f"cannot tell the output format from {out}; give -f json|jsonl|csv|xlsx")
    assert fmt is not None
    if fmt == "xlsx" and out is None:
        _usage("XLSX cannot go to standard output; give -o FILE.xlsx")
    if raw and (fmt in ("csv", "xlsx") or long):
        _usage("--raw writes JSON or JSON Lines only (no --long, no CSV/XLSX)")
    if layout == "people" and (fmt != "xlsx" or long):
        _usage("--layout people is a workbook: XLSX without --long")
    if out is not None:
        with fail_on_error(EXIT_USAGE):
            ensure_not_input(out, files)

    limits = Limits(timeout=timeout, max_size=int(max_size * MB))
    werkboek = None
    if not raw:
        from werkbladen.content.loader import shipped_werkboek

        with fail_on_error():
            werkboek = shipped_werkboek()
    paths = [str(f) for f in files]
    failures: list[tuple[str, str, str]] = []
    with fail_on_error(), _progress(len(paths)) as progress:
        records = iter_records(
            paths,
            mode="raw" if raw else "extract",
            password=password,
            werkboek=werkboek,
            limits=limits,
            jobs=jobs,
            progress=progress,
        )
        with contextlib.closing(records):
            watched = _watch(records, failures)
            if raw:
                from werkbladen.export import write_documents

                write_documents(watched, cast("Literal['json', 'jsonl']", fmt), out, inputs=paths)
            else:
                from werkbladen.export import write_records

                assert werkboek is not None
                write_records(
                    watched,
                    cast("Format", fmt),
                    out,
                    werkboek=werkboek,
                    long=long,
                    csv_dialect=cast("CsvDialect", csv_dialect),
                    neutralise_formulas=not no_neutralise,
                    inputs=paths,
                    xlsx_layout=cast("XlsxLayout", layout or "people"),
                )
    for file, status, reason in failures:
        click.echo(f"werkbladen: {file}: {status}: {reason}", err=True)
    if failures:
        raise SystemExit(EXIT_FAILED)


def _usage(message: str) -> NoReturn:
    click.echo(f"werkbladen: error: {message}", err=True)
    raise SystemExit(EXIT_USAGE)


@contextlib.contextmanager
def _progress(length: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr when it is a terminal (its ``update``), else None."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=length, label="extract", file=sys.stderr) as bar:
        yield bar.update


def _watch(records: Iterable[AnyRecord], failures: list[tuple[str, str, str]]) -> Iterator[AnyRecord]:
    """Pass the records on as they come, noting each failure's file, status and reason for stderr."""
    for record in records:
        if record["status"] not in READ_STATUSES:
            failures.append((str(record["file"]), str(record["status"]), str(record["reason"])))
        yield record
