"""``werkbladen check``: validate the shipped content or a content folder of one's own.

Besides the schema, ``check`` holds the content against the record of published field ids
(``published-ids.json`` beside the YAML): a published id that disappears or changes kind
orphans or misreads the answers in every form already sent out. ``--publish`` is the
deliberate step that adds the current content version to that record, at release.
"""

from __future__ import annotations

from pathlib import Path

import click

from werkbladen.cli.common import fail_on_error
from werkbladen.cli.dutch import DutchCommand


@click.command("check", cls=DutchCommand)
@click.argument("inhoud", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--publish",
    is_flag=True,
    help="Leg de veld-id's van deze inhoudsversie vast in published-ids.json (bij het uitbrengen).",
)
@click.option(
    "--retire",
    "retire",
    multiple=True,
    metavar="VELD",
    help="Met --publish: stel dit gepubliceerde veld bewust niet meer als vraag "
    "(antwoorden erop komen terug als extra's).",
)
def check_command(inhoud: Path | None, publish: bool, retire: tuple[str, ...]) -> None:
    """Controleer de inhoudsmap INHOUD (standaard: de meegeleverde werkbladen) en vat die samen.

    Elke fout komt op een eigen regel, met het bestand en het regelnummer.
    """
    from werkbladen.atomic import write_bytes
    from werkbladen.content.loader import load_werkboek, shipped_folder
    from werkbladen.content.naming import WERKBOEK
    from werkbladen.content.published import PUBLISHED_FILE, Published, problems
    from werkbladen.content.published import publish as published_with
    from werkbladen.errors import ContentError

    if retire and not publish:
        raise click.UsageError("--retire hoort bij --publish")
    folder = inhoud or shipped_folder()
    with fail_on_error():
        werkboek = load_werkboek(folder)
    fields = werkboek.form_fields(WERKBOEK)
    record = werkboek.published
    never = [name for name in retire if not any(name in v for v in record.versions.values())]
    if never:
        raise click.UsageError(f"--retire noemt velden die nooit zijn gepubliceerd: {', '.join(never)}")
    record = Published(record.versions, {**record.retired, **dict.fromkeys(retire, werkboek.version)})
    with fail_on_error():
        found = problems(record, werkboek.version, fields)
        if found:
            raise ContentError("\n".join(f"{folder / PUBLISHED_FILE}: {p}" for p in found))
    scales = werkboek.scale_map
    total = 0
    for werkblad in (werkboek.introduction, *werkboek.werkbladen):
        count = sum(1 for _ in werkblad.fields(scales))
        total += count
        click.echo(f"{werkblad.id:<12} {count:>4} velden  {werkblad.title}")
    if publish:
        updated = published_with(record, werkboek.version, fields)
        with fail_on_error():
            write_bytes(folder / PUBLISHED_FILE, updated.to_json().encode("utf-8"))
        click.echo(
            f"gepubliceerd: inhoudsversie {werkboek.version}, {len(fields)} veld-id's in {PUBLISHED_FILE}"
        )
    elif werkboek.version not in record.versions:
        click.echo(
            f"let op: inhoudsversie {werkboek.version} is nog niet gepubliceerd; "
            "geef `werkbladen check --publish` wanneer u deze versie uitbrengt"
        )
    click.echo(f"in orde: inhoudsversie {werkboek.version}, {total} velden")
