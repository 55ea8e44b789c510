"""``werkbladen fill``: prefill a blank werkblad from an answers record (as ``extract`` prints it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from werkbladen.atomic import ensure_not_input, write_bytes
from werkbladen.cli.common import content_option, fail_on_error
from werkbladen.cli.dutch import DutchCommand
from werkbladen.errors import AnswerError


@click.command("fill", cls=DutchCommand)
@click.argument("blank", metavar="BLANCO", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument(
    "answers", metavar="ANTWOORDEN", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True)
)
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="BESTAND",
    type=click.Path(path_type=Path, dir_okay=False),
    help="De PDF die wordt geschreven.",
)
@click.option(
    "--skip-unknown",
    is_flag=True,
    help="Laat antwoorden waarvoor BLANCO geen veld heeft weg, in plaats van te stoppen.",
)
@content_option("De inhoudsmap waaruit BLANCO is gemaakt (standaard: de meegeleverde werkbladen).")
@click.option(
    "--need-appearances",
    is_flag=True,
    help="Vraag PDF-lezers ook de velden zelf opnieuw te tekenen (/NeedAppearances); standaard uit.",
)
def fill_command(
    blank: Path, answers: Path, output: Path, skip_unknown: bool, content: Path | None, need_appearances: bool
) -> None:
    """Vul het lege werkblad BLANCO in met ANTWOORDEN.

    ANTWOORDEN is JSON zoals `werkbladen extract` die schrijft, of een deel daarvan; - leest de
    standaardinvoer.
    """
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
        click.echo(f"werkbladen: let op: {note}", err=True)
    filled = len(result.filled)
    click.echo(f"{output}: {filled} {'veld' if filled == 1 else 'velden'} ingevuld in {result.template}")


def _read_answers(path: Path) -> Any:
    label = "standaardinvoer" if str(path) == "-" else str(path)
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AnswerError(f"{label}: de antwoorden zijn geen tekst in UTF-8") from None
    except OSError as exc:
        raise AnswerError(f"{label}: de antwoorden zijn niet te lezen: {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"regel {exc.lineno}, kolom {exc.colno}"
        raise AnswerError(f"{label}: geen geldige JSON: de fout zit op {where}") from None
