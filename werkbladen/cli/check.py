"""``werkbladen check``: validate the shipped content or a content folder of one's own."""

from __future__ import annotations

from pathlib import Path

import click

from werkbladen.cli.common import fail_on_error


@click.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
def check_command(path: Path | None) -> None:
    """Validate the content in PATH (default: the shipped werkbladen) and summarise it."""
    from werkbladen.content.loader import load_werkboek, shipped_werkboek

    with fail_on_error():
        werkboek = load_werkboek(path) if path else shipped_werkboek()
    scales = werkboek.scale_map
    total = 0
    for werkblad in (werkboek.introduction, *werkboek.werkbladen):
        count = sum(1 for _ in werkblad.fields(scales))
        total += count
        click.echo(f"{werkblad.id:<12} {count:>4} fields  {werkblad.title}")
    click.echo(f"ok: content version {werkboek.version}, {total} fields")
