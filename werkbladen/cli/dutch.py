"""Click's own texts in Dutch: "Gebruik:", "Opties", "Fout: …", "Ontbrekend argument …".

Click passes every text of its own through :func:`gettext.gettext` (the stdlib's, under the
process's text domain). The catalogue ``locale/nl/LC_MESSAGES/werkbladen.po`` translates them; it
is compiled to the ``werkbladen.mo`` beside it by ``scripts/compile_messages.py`` (a test holds the
two together). :func:`dutch` points gettext at that catalogue while a command runs, and only then:
importing :mod:`werkbladen.cli` changes nothing, click itself is not touched, and when the command
returns the text domain, its folder and ``LANGUAGE`` are as they were (which matters in a test
process; the real command exits). The commands are :class:`DutchCommand` and :class:`DutchGroup`,
whose ``main`` (what the console script, ``python -m werkbladen`` and click's ``CliRunner`` call)
does this.

The language is Dutch whatever the user's locale says: the werkbladen and everything around them
are Dutch. Texts click makes when the commands are defined (the ``--version`` option's) are given
in Dutch where they are defined.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

DOMAIN = "werkbladen"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGE = "nl"
OPTIONS_METAVAR = "[OPTIES]"
SUBCOMMAND_METAVAR = "OPDRACHT [ARGUMENTEN]..."


@contextmanager
def dutch() -> Iterator[None]:
    """Click's texts from the Dutch catalogue for the duration of the block (nests)."""
    domain = gettext.textdomain()
    folder = gettext.bindtextdomain(DOMAIN)
    language = os.environ.get("LANGUAGE")
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = LANGUAGE  # gettext's first choice of language, before LC_ALL and LANG
    try:
        yield
    finally:
        gettext.textdomain(domain)
        gettext.bindtextdomain(DOMAIN, folder)
        if language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = language


class _SpeaksDutch(click.Command):
    """Click's texts translated while the command runs, ``[OPTIES]`` in its usage line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with dutch():
            return super().main(*args, **kwargs)


class DutchCommand(_SpeaksDutch):
    """A command that speaks Dutch."""


class DutchGroup(_SpeaksDutch, click.Group):
    """The ``werkbladen`` group: speaks Dutch, says ``OPDRACHT`` for its commands, makes Dutch ones."""

    command_class = DutchCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)
