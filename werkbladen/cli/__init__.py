"""The ``werkbladen`` command: thin click commands over the library, one module each.

Command modules import their heavy dependencies inside the command body, so that
``werkbladen extract`` never loads ReportLab and ``werkbladen build`` never loads the reader.
"""

from __future__ import annotations

import click

from werkbladen.cli.check import check


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="werkbladen")
def main() -> None:
    """Fillable PDF werkbladen for the NJi stappenplan, and their answers back as data."""


main.add_command(check)
