"""``werkbladen schema``: the JSON Schema of one ``werkbladen extract`` JSON record."""

from __future__ import annotations

import json

import click

from werkbladen.cli.common import fail_on_error
from werkbladen.cli.dutch import DutchCommand


@click.command("schema", cls=DutchCommand)
def schema_command() -> None:
    """Toon het JSON-schema (draft 2020-12) van één record van `werkbladen extract`.

    Het schema volgt uit de inhoud: elk veld van de werkbladen met zijn soort antwoord.
    """
    from werkbladen.content.loader import shipped_werkboek
    from werkbladen.reader.answers import json_schema

    with fail_on_error():
        werkboek = shipped_werkboek()
    click.echo(json.dumps(json_schema(werkboek), ensure_ascii=False, indent=2))
