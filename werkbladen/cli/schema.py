"""``werkbladen schema``: the JSON Schema of one ``werkbladen extract`` JSON record."""

from __future__ import annotations

import json

import click

from werkbladen.cli.common import fail_on_error


@click.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of an extract record, built from the content."""
    from werkbladen.content.loader import shipped_werkboek
    from werkbladen.reader.answers import json_schema

    with fail_on_error():
        werkboek = shipped_werkboek()
    click.echo(json.dumps(json_schema(werkboek), ensure_ascii=False, indent=2))
