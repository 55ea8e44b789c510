"""``werkbladen fill``: prefill a blank werkblad from an answers record (as ``extract`` prints it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from werkbladen.atomic import ensure_not_input, write_bytes
from werkbladen.cli.common import fail_on_error
from werkbladen.errors import AnswerError


@click.command("fill")
@click.argument("blank", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("answers", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False), help="The PDF to write."
)
@click.option(
    "--skip-unknown", is_flag=True, help="Leave out answers the blank has no field for, instead of failing."
)
@click.option(
    "--content",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="The content folder BLANK was built from (default: the shipped werkbladen).",
)
@click.option(
    "--need-appearances",
    is_flag=True,
    help="Also ask viewers to redraw the fields themselves (/NeedAppearances); off by default.",
)
def fill_command(
    blank: Path, answers: Path, output: Path, skip_unknown: bool, content: Path | None, need_appearances: bool
) -> None:
    """Fill BLANK with ANSWERS (JSON from `werkbladen extract`, or a part of it; - for stdin)."""
    from werkbladen.content.loader import load_werkboek
    from werkbladen.filling.prefill import fill_form

    with fail_on_error():
        inputs = [blank] if str(answers) == "-" else [blank, answers]
        ensure_not_input(output, inputs)
        werkboek = load_werkboek(content) if content is not None else None
        record = _read_answers(answers)
        result = fill_form(
            blank, record, skip_unknown=skip_unknown, need_appearances=need_appearances, werkboek=werkboek
        )
        write_bytes(output, result.pdf, inputs=inputs)
    for note in result.notes:
        click.echo(f"werkbladen: note: {note}", err=True)
    click.echo(f"{output}: filled {len(result.filled)} field(s) of {result.template}")


def _read_answers(path: Path) -> Any:
    label = "standard input" if str(path) == "-" else str(path)
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswerError(f"{label}: cannot read the answers: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise AnswerError(f"{label}: not valid JSON: {exc.msg} at {where}") from None
