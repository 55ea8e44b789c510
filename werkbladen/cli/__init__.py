"""The ``werkbladen`` command: thin click commands over the library, one module each.

Command modules import their heavy dependencies inside the command body, so that
``werkbladen extract`` never loads ReportLab and ``werkbladen build`` never loads the reader.
"""

from __future__ import annotations

import click

from werkbladen.cli.build import build
from werkbladen.cli.check import check
from werkbladen.cli.extract import extract
from werkbladen.cli.fill import fill
from werkbladen.cli.schema import schema


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="werkbladen")
def main() -> None:
    """Fillable PDF werkbladen for the NJi stappenplan, and their answers back as data."""


main.add_command(build)
main.add_command(check)
main.add_command(extract)
main.add_command(fill)
main.add_command(schema)
