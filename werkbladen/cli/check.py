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


@click.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--publish",
    is_flag=True,
    help="Record the field ids of this content version in published-ids.json (at release).",
)
@click.option(
    "--retire",
    "retire",
    multiple=True,
    metavar="FIELD",
    help="With --publish: stop asking this published field on purpose (its answers come back as extras).",
)
def check_command(path: Path | None, publish: bool, retire: tuple[str, ...]) -> None:
    """Validate the content in PATH (default: the shipped werkbladen) and summarise it."""
    from werkbladen.atomic import write_bytes
    from werkbladen.content.loader import load_werkboek, shipped_folder
    from werkbladen.content.naming import WERKBOEK
    from werkbladen.content.published import PUBLISHED_FILE, Published, problems
    from werkbladen.content.published import publish as published_with
    from werkbladen.errors import ContentError

    if retire and not publish:
        raise click.UsageError("--retire goes with --publish")
    folder = path or shipped_folder()
    with fail_on_error():
        werkboek = load_werkboek(folder)
    fields = werkboek.form_fields(WERKBOEK)
    record = werkboek.published
    never = [name for name in retire if not any(name in v for v in record.versions.values())]
    if never:
        raise click.UsageError(f"--retire names fields that were never published: {', '.join(never)}")
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
        click.echo(f"{werkblad.id:<12} {count:>4} fields  {werkblad.title}")
    if publish:
        updated = published_with(record, werkboek.version, fields)
        with fail_on_error():
            write_bytes(folder / PUBLISHED_FILE, updated.to_json().encode("utf-8"))
        click.echo(
            f"published: content version {werkboek.version}, {len(fields)} field ids in {PUBLISHED_FILE}"
        )
    elif werkboek.version not in record.versions:
        click.echo(
            f"note: content version {werkboek.version} is not published yet; "
            "run `werkbladen check --publish` when you release it"
        )
    click.echo(f"ok: content version {werkboek.version}, {total} fields")
