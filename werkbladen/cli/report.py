"""``werkbladen report``: the working group's joint overview (PDF) of filled werkbladen or extract's JSON.

Exit status (also in ``--help``): 0 when the report was written and every input was read, 1 when
it was written but some input failed (those are listed at the end of the report and on stderr), 2
for a usage error.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from werkbladen.cli.common import (
    ERROR,
    EXIT_FAILED,
    EXIT_USAGE,
    content_option,
    fail_on_error,
    failure_line,
    limits_of,
    reading_options,
)
from werkbladen.cli.dutch import DutchCommand

EXIT_CODES = """\b
Afsluitcodes:
  0  het overzicht is geschreven en alle invoer is gelezen
  1  het overzicht is geschreven, maar sommige invoer was niet te lezen (elk genoemd op stderr)
  2  verkeerd aangeroepen: niets geschreven"""


@click.command("report", cls=DutchCommand, epilog=EXIT_CODES)
@click.argument("inputs", metavar="INVOER...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    metavar="BESTAND",
    type=click.Path(path_type=Path, dir_okay=False),
    help="De PDF die wordt geschreven (overzicht.pdf).",
)
@click.option(
    "--date",
    "date",
    metavar="DATUM",
    type=click.DateTime(formats=["%Y-%m-%d", "%d-%m-%Y"]),
    help="De datum op de voorkant, als jjjj-mm-dd of dd-mm-jjjj (standaard: de nieuwste datum in de "
    "formulieren, zodat dezelfde invoer dezelfde PDF geeft).",
)
@content_option("Een eigen inhoudsmap (standaard: de meegeleverde werkbladen).")
@reading_options
def report_command(
    inputs: tuple[Path, ...],
    out: Path,
    date: dt.datetime | None,
    content: Path | None,
    password: str | None,
    jobs: int | None,
    timeout: float,
    max_size: float,
) -> None:
    """Maak het gezamenlijke overzicht van ingevulde werkbladen als één PDF.

    INVOER is wat `werkbladen extract` leest (PDF's, mappen), of de JSON die `werkbladen extract`
    schreef.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from werkbladen.atomic import ensure_not_input, write_bytes
    from werkbladen.content.loader import load_werkboek, shipped_werkboek
    from werkbladen.report.inputs import read_inputs
    from werkbladen.report.model import overview

    if out.suffix.lower() != ".pdf":
        click.echo(f"{ERROR}{out}: het overzicht is een PDF; geef -o NAAM.pdf", err=True)
        raise SystemExit(EXIT_USAGE)
    with fail_on_error(EXIT_USAGE):
        ensure_not_input(out, inputs)
    with fail_on_error():
        werkboek = load_werkboek(content) if content else shipped_werkboek()
    limits = limits_of(timeout, max_size)
    with fail_on_error():
        records, failures = read_inputs(
            [str(p) for p in inputs], werkboek=werkboek, limits=limits, jobs=jobs, password=password
        )
        view = overview(records, werkboek, date=date.date() if date else None, failures=failures)
        from werkbladen.report.document import render_report  # ReportLab only after the reading workers

        write_bytes(out, render_report(view, werkboek), inputs=inputs)
    for failure in view.failed:
        click.echo(failure_line(failure.source, failure.status, failure.reason), err=True)  # status: a label
    left_out = len(view.duplicates) + len(view.superseded)
    forms = _count(view.current, "formulier", "formulieren")
    organisations = _count(len(view.organisations), "organisatie", "organisaties")
    click.echo(
        f"werkbladen: {out}: {forms} van {organisations}; "
        f"{left_out} weggelaten (dubbel of vervangen), {len(view.failed)} niet te lezen",
        err=True,
    )
    if view.failed:
        raise SystemExit(EXIT_FAILED)


def _count(n: int, one: str, more: str) -> str:
    return f"{n} {one if n == 1 else more}"
