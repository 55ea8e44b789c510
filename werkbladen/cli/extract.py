"""``werkbladen extract``: what the coordinator received in, one record per form out.

Inputs are files and folders (walked recursively), ``--files-from`` lists, zips and e-mails
(:mod:`werkbladen.inbox`); records come out in the order found, each with its provenance and
standing (duplicate, superseded, conflicts), as JSON, JSON Lines, CSV or XLSX, written
atomically. Each input that could not be read gets a line on stderr (its status's Dutch label and
the reason), and a closing line says in Dutch what became of every input.

Exit codes (also in ``--help`` and the README): see :data:`EXIT_CODES`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Literal, NoReturn, cast

import click

from werkbladen.cli.common import (
    ERROR,
    EXIT_FAILED,
    EXIT_NOTHING_WRITTEN,
    EXIT_USAGE,
    content_option,
    failure_line,
    limits_of,
    reading_options,
)
from werkbladen.cli.dutch import DutchCommand
from werkbladen.errors import FAILED, ContentError, OutputError, WerkbladenError
from werkbladen.inbox.sniff import HEAD, is_pdf
from werkbladen.labels import status_label
from werkbladen.record import AnyRecord

if TYPE_CHECKING:
    from werkbladen.content.model import Werkboek
    from werkbladen.export import CsvDialect, Format, XlsxLayout

_FORMATS = ("json", "jsonl", "csv", "xlsx")

EXIT_CODES = """\b
Afsluitcodes:
  0  elk gevonden werkblad is gelezen (overgeslagen bestanden zonder formulier tellen niet mee)
  1  de uitvoer is geschreven, maar sommige invoer was niet te lezen (elk genoemd op stderr)
  2  verkeerd aangeroepen: niets gelezen of geschreven
  3  geen uitvoer geschreven (onderbroken, uitvoer niet te schrijven, schijf vol, interne fout)"""


@click.command("extract", cls=DutchCommand, epilog=EXIT_CODES)
@click.argument("inputs", metavar="[INVOER]...", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--files-from",
    "files_from",
    metavar="LIJST",
    help="Lees meer invoer uit LIJST: één pad per regel (of gescheiden door NUL-tekens); - leest de "
    "standaardinvoer.",
)
@click.option(
    "-o",
    "--output",
    "out",
    metavar="BESTAND",
    type=click.Path(path_type=str),
    help="Het uitvoerbestand (standaard: de standaarduitvoer). Een map wordt geweigerd: geef een "
    "bestandsnaam.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    help="Het formaat van de uitvoer (standaard: volgens de extensie van BESTAND, anders json).",
)
@click.option(
    "--latest",
    is_flag=True,
    help="Alleen actuele formulieren: geen dubbele, en geen die later opnieuw zijn gestuurd.",
)
@content_option("Lees de formulieren volgens deze inhoudsmap (zoals gegeven aan `werkbladen build`).")
@click.option("--long", is_flag=True, help="Eén rij per antwoord in plaats van één rij per bestand.")
@click.option(
    "--layout",
    type=click.Choice(["people", "machine"]),
    help="Alleen voor XLSX. people (standaard): een blad per stap met de vragen als kop, een overzicht, "
    "scores als getallen en datums als datums; machine: één rij per bestand met de veldnamen als kop, "
    "zoals de CSV.",
)
@click.option(
    "--csv-dialect",
    type=click.Choice(["excel-nl", "rfc4180"]),
    default="excel-nl",
    show_default=True,
    help="excel-nl: puntkomma's en een BOM, voor Excel in het Nederlands; rfc4180: komma's, UTF-8.",
)
@click.option(
    "--no-neutralise",
    is_flag=True,
    help="Laat cellen die met = + - @ beginnen in de CSV zoals ze zijn.",
)
@click.option(
    "--raw", is_flag=True, help="Geef de velden van elke PDF met een AcroForm (naam → waarde) als JSON."
)
@reading_options
def extract_command(
    inputs: tuple[str, ...],
    files_from: str | None,
    out: str | None,
    fmt: str | None,
    latest: bool,
    content: Path | None,
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
    """Lees ingevulde werkbladen uit INVOER (PDF's, mappen, zips, e-mails) terug als antwoorden."""
    # Pydantic validates only our own content and answers here; looking up plugins for it
    # (a scan of every installed package's entry points) would be a tenth of a one-file run.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    paths = list(inputs) + (_read_list(files_from) if files_from is not None else [])
    if not paths:
        _usage("geen invoer: noem bestanden of mappen, of geef --files-from LIJST")
    output = _output_path(out)
    fmt = _format(fmt, output)
    if raw and (fmt in ("csv", "xlsx") or long or latest):
        _usage("--raw schrijft alleen JSON of JSON Lines (niet met --long, --latest, CSV of XLSX)")
    if layout == "people" and (fmt != "xlsx" or long):
        _usage("--layout people is een werkmap: alleen XLSX, en niet met --long")
    werkboek = None if raw else _werkboek(content)
    limits = limits_of(timeout, max_size)

    from werkbladen.inbox.collect import read_inbox
    from werkbladen.inbox.summary import Summary

    summary = Summary()
    failures: list[str] = []
    with _nothing_written_on_fault(), _progress() as progress:
        records = read_inbox(
            paths,
            mode="raw" if raw else "extract",
            password=password,
            werkboek=werkboek,
            limits=limits,
            jobs=jobs,
            latest=latest,
            progress=progress,
            summary=summary,
        )
        with contextlib.closing(records):
            _write(
                _watch(records, failures),
                fmt,
                output,
                werkboek,
                paths,
                long,
                csv_dialect,
                no_neutralise,
                cast("XlsxLayout", layout or "people"),
            )
    for line in failures:
        click.echo(line, err=True)
    click.echo(f"werkbladen: {summary.line()}", err=True)
    if summary.failed:
        raise SystemExit(EXIT_FAILED)


def _write(
    records: Iterator[AnyRecord],
    fmt: str,
    output: Path | None,
    werkboek: Werkboek | None,
    paths: list[str],
    long: bool,
    csv_dialect: str,
    no_neutralise: bool,
    layout: XlsxLayout,
) -> None:
    if werkboek is None:
        from werkbladen.export import write_documents

        write_documents(records, cast("Literal['json', 'jsonl']", fmt), output, inputs=paths)
        return
    from werkbladen.export import write_records

    write_records(
        records,
        cast("Format", fmt),
        output,
        werkboek=werkboek,
        long=long,
        csv_dialect=cast("CsvDialect", csv_dialect),
        neutralise_formulas=not no_neutralise,
        inputs=paths,
        xlsx_layout=layout,
    )
    _flush_stdout(output)


def _read_list(name: str) -> list[str]:
    """The paths in the list ``name`` (``-``: standard input); names that are not UTF-8 survive."""
    from werkbladen.inbox.gather import read_list

    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        _usage(f"de lijst {name} is niet te lezen: {exc.strerror or exc}")
    return read_list(os.fsdecode(data))


def _output_path(out: str | None) -> Path | None:
    """The output file; a folder (or a name ending in a slash) and a PDF are refused, not overwritten."""
    if out is None or out == "-":
        return None
    path = Path(out)
    if out.endswith(("/", os.sep)) or path.is_dir():
        _usage(f"{out} is een map; geef een bestandsnaam, bijvoorbeeld {path / 'antwoorden.xlsx'}")
    with contextlib.suppress(OSError), path.open("rb") as fh:
        if is_pdf(fh.read(HEAD)):
            _usage(f"{out} wordt niet overschreven: het is een PDF (een formulier?); kies een ander bestand")
    return path


def _format(fmt: str | None, output: Path | None) -> str:
    from werkbladen.export import format_from_suffix

    if fmt is None:
        found = format_from_suffix(output) if output is not None else "json"
        if found is None:
            _usage(f"het formaat van de uitvoer volgt niet uit {output}; geef -f json|jsonl|csv|xlsx")
        fmt = found
    if fmt == "xlsx" and output is None:
        _usage("XLSX kan niet naar de standaarduitvoer; geef -o BESTAND.xlsx")
    return fmt


def _werkboek(content: Path | None) -> Werkboek:
    from werkbladen.content.loader import load_werkboek, shipped_werkboek

    try:
        return load_werkboek(content) if content is not None else shipped_werkboek()
    except ContentError as exc:
        _usage(f"--content {content}: {exc}")


def _usage(message: str) -> NoReturn:
    click.echo(f"{ERROR}{message}", err=True)
    raise SystemExit(EXIT_USAGE)


class _Stopped(BaseException):
    """A signal that ends the run: raised in the main thread, so that ``finally`` blocks clean up."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)


@contextlib.contextmanager
def _nothing_written_on_fault() -> Iterator[None]:
    """Every way the output can fail to appear ends here: one line on stderr, exit code 3.

    SIGTERM and SIGHUP (a closed terminal, ``timeout``) are turned into an exception, so the
    workers are stopped and no partial output is linked in; SIGKILL needs no handling: the
    workers die with this process and the output file has no name until it is complete.
    """

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise _Stopped(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    except (_Stopped, KeyboardInterrupt) as exc:
        _fault(f"onderbroken ({exc or 'Ctrl-C'}); er is geen uitvoer geschreven")
    except OutputError as exc:
        _fault(str(exc))
    except WerkbladenError as exc:
        _fault(f"fout: {exc}")
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            _fault("de standaarduitvoer ging dicht voordat alles was geschreven")
        _fault(f"de uitvoer is niet te schrijven: {exc.strerror or exc}")
    except MemoryError:
        _fault("het geheugen is vol; er is geen uitvoer geschreven")
    except Exception as exc:
        if os.environ.get("WERKBLADEN_DEBUG"):
            raise
        text = " ".join(str(exc).split())[:200]
        _fault(f"interne fout ({type(exc).__name__}: {text}); er is geen uitvoer geschreven")
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _fault(message: str) -> NoReturn:
    with contextlib.suppress(OSError):
        click.echo(f"werkbladen: {message}", err=True)
    _silence_stdout()
    raise SystemExit(EXIT_NOTHING_WRITTEN)


def _flush_stdout(output: Path | None) -> None:
    """Make a full or closed stdout fail here, as a message, not at exit as a traceback."""
    if output is None:
        try:
            sys.stdout.flush()
        except OSError:
            _silence_stdout()
            raise


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[int], None] | None]:
    """A running count on stderr when it is a terminal (the total is known only at the end)."""
    if not sys.stderr.isatty():
        yield None
        return
    done = 0
    shown = 0.0

    def update(count: int) -> None:
        nonlocal done, shown
        done += count
        now = time.monotonic()
        if now - shown >= 0.2:
            shown = now
            click.echo(f"\rwerkbladen: {done:,} gelezen …".replace(",", "."), err=True, nl=False)

    try:
        yield update
    finally:
        if shown:
            click.echo("\r\033[K", err=True, nl=False)


def _watch(records: Iterable[AnyRecord], failures: list[str]) -> Iterator[AnyRecord]:
    """Pass the records on as they come, noting a line for each failure, for stderr."""
    for record in records:
        if record["status"] in FAILED:
            where = record.get("source") or record["file"]
            failures.append(failure_line(where, status_label(record["status"]), record["reason"]))
        yield record
