"""``werkbladen build``: lay out the blank fillable PDFs (werkboek.pdf, stap-1.pdf … stap-7.pdf)."""

from __future__ import annotations

from pathlib import Path

import click

from werkbladen.cli.common import fail_on_error
from werkbladen.cli.dutch import DutchCommand
from werkbladen.gcpause import paused_gc


@click.command("build", cls=DutchCommand)
@click.argument("inhoud", required=False, type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("output"),
    show_default=True,
    metavar="MAP",
    help="De map waarin de PDF's komen (wordt gemaakt als die er nog niet is).",
)
def build_command(inhoud: Path | None, out_dir: Path) -> None:
    """Maak de lege, invulbare PDF's uit de map INHOUD (standaard: de meegeleverde werkbladen)."""
    # The imports below (ReportLab, pydantic) and loading the content make many objects and
    # no garbage cycles worth a collection; the collector only costs time here.
    with paused_gc():
        from werkbladen.content.loader import load_werkboek, shipped_werkboek
        from werkbladen.layout import build as build_pdfs

        with fail_on_error():
            werkboek = load_werkboek(inhoud) if inhoud else shipped_werkboek()
            paths = build_pdfs(werkboek, out_dir)
    for path in paths:
        click.echo(f"{path}  {path.stat().st_size / 1024:.0f} KB")
