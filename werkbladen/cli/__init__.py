"""The ``werkbladen`` command: thin click commands over the library, one module each.

The commands speak Dutch (:mod:`werkbladen.cli.dutch`): their help, their messages and click's
own texts; the codes a program reads (statuses, JSON keys, option and format names) stay as they are.

Each command is ``<name>_command`` in the module of its name (a function named like its module
would hide the module). Command modules import their heavy dependencies inside the command body, so that
``werkbladen extract`` never loads ReportLab and ``werkbladen build`` never loads the reader.
"""

from __future__ import annotations

import click

from werkbladen.cli.build import build_command
from werkbladen.cli.check import check_command
from werkbladen.cli.dutch import DutchGroup
from werkbladen.cli.extract import extract_command
from werkbladen.cli.fill import fill_command
from werkbladen.cli.report import report_command
from werkbladen.cli.schema import schema_command


@click.group("werkbladen", cls=DutchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    package_name="werkbladen", message="%(prog)s, versie %(version)s", help="Toon het versienummer en stop."
)
def main() -> None:
    """Invulbare PDF-werkbladen voor het stappenplan van het NJi, en de antwoorden terug als gegevens.

    Typ 'werkbladen OPDRACHT --help' voor de uitleg bij een opdracht.
    """


main.add_command(build_command)
main.add_command(check_command)
main.add_command(extract_command)
main.add_command(fill_command)
main.add_command(schema_command)
main.add_command(report_command)
