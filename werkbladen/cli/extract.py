"""``werkbladen extract``: filled PDFs in, one record per file out (JSON, JSON Lines, CSV, XLSX).

Exit status: 0 when every input was read (``ok`` or ``warnings``), 1 when any input failed
(the others are still written, and each failure gets one line on stderr), 2 for a usage error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

import click

from werkbladen.cli.common import EXIT_FAILED, EXIT_USAGE, fail_on_error

if TYPE_CHECKING:
    from werkbladen.export import CsvDialect, Format

_FORMATS = ("json", "jsonl", "csv", "xlsx")
MB = 1024 * 1024


@click.command()
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
    default=20.0,
    show_default=True,
    help="Seconds per file before it is given up as 'timeout'.",
)
@click.option(
    "--max-size",
    type=click.FloatRange(min=0, min_open=True),
    default=50.0,
    show_default=True,
    help="Largest input in MB.",
)
def extract(
    files: tuple[Path, ...],
    out: Path | None,
    fmt: str | None,
    long: bool,
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
    from werkbladen.batch import run
    from werkbladen.export import format_from_suffix
    from werkbladen.limits import Limits

    if fmt is None:
        fmt = format_from_suffix(out) if out is not None else "json"
        if fmt is None:
            _usage(f"cannot tell the output format from {out}; give -f json|jsonl|csv|xlsx")
    assert fmt is not None
    if fmt == "xlsx" and out is None:
        _usage("XLSX cannot go to standard output; give -o FILE.xlsx")
    if raw and (fmt in ("csv", "xlsx") or long):
        _usage("--raw writes JSON or JSON Lines only (no --long, no CSV/XLSX)")
    if out is not None:
        with fail_on_error(EXIT_USAGE):
            ensure_not_input(out, files)

    limits = Limits(timeout=timeout, max_size=int(max_size * MB))
    werkboek = None
    if not raw:
        from werkbladen.loader import shipped_werkboek

        with fail_on_error():
            werkboek = shipped_werkboek()
    paths = [str(f) for f in files]
    records = _run(run, paths, raw=raw, password=password, werkboek=werkboek, limits=limits, jobs=jobs)

    with fail_on_error():
        if raw:
            _write_raw(records, fmt, out, paths)
        else:
            from werkbladen.export import write_records

            assert werkboek is not None
            write_records(
                records,
                cast("Format", fmt),
                out,
                werkboek=werkboek,
                long=long,
                csv_dialect=cast("CsvDialect", csv_dialect),
                neutralise_formulas=not no_neutralise,
                inputs=paths,
            )
    failed = [r for r in records if r["status"] not in ("ok", "warnings")]
    for record in failed:
        click.echo(f"werkbladen: {record['file']}: {record['status']}: {record['reason']}", err=True)
    if failed:
        raise SystemExit(EXIT_FAILED)


def _usage(message: str) -> NoReturn:
    click.echo(f"werkbladen: error: {message}", err=True)
    raise SystemExit(EXIT_USAGE)


def _run(run: Any, paths: list[str], **kwargs: Any) -> list[dict[str, Any]]:
    mode = "raw" if kwargs.pop("raw") else "extract"
    if not sys.stderr.isatty():
        records: list[dict[str, Any]] = run(paths, mode=mode, **kwargs)
        return records
    with click.progressbar(length=len(paths), label="extract", file=sys.stderr) as bar:
        records = run(paths, mode=mode, progress=bar.update, **kwargs)
    return records


def _write_raw(records: Sequence[dict[str, Any]], fmt: str, out: Path | None, inputs: list[str]) -> None:
    import json

    if fmt == "jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    else:
        data: Any = records[0] if len(records) == 1 else list(records)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    from werkbladen.atomic import write_bytes

    write_bytes(out, text.encode("utf-8"), inputs=inputs)
