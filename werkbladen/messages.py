"""The few phrases the reasons and warnings share, in Dutch, and Dutch for what others say in English.

A reason or warning is read by a policy officer, not a program: it is Dutch, one line, names the
problem and where there is one what to do. What it quotes stays as it is — a field id, a typed
value (both in ``'…'``), a status code, an option such as ``--max-size``. Text that comes from
pypdf, the standard library or the system is not translated but set apart in a Dutch sentence as
``(technische melding: …)``, so that it still helps whoever has to look further. The common
errors of the operating system are said in Dutch (:func:`os_reason`).

``tests/test_dutch.py`` reads every reason and warning the test inputs give and fails on an
English one.
"""

from __future__ import annotations

import errno

from werkbladen.limits import MB

ASK_AGAIN = "vraag de afzender het bestand opnieuw te sturen"
ASK_FORM = "vraag de afzender het ingevulde formulier zelf te sturen"
TECHNICAL = "technische melding: "
"""Opens the part of a message that quotes another program's own (English) words."""

_OS_ERRORS: dict[int, str] = {
    errno.ENOENT: "het bestand of de map bestaat niet",
    errno.EACCES: "geen toestemming",
    errno.EPERM: "geen toestemming",
    errno.EISDIR: "het is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte die u mag gebruiken is op",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.ELOOP: "een snelkoppeling verwijst (via andere) naar zichzelf",
    errno.EMFILE: "te veel bestanden tegelijk open",
    errno.EIO: "de schijf gaf een leesfout",
    errno.EBUSY: "het bestand is in gebruik",
}


def os_reason(exc: BaseException) -> str:
    """Why the system refused, in Dutch for the common errors; else its own words, marked as such."""
    if isinstance(exc, OSError):
        if exc.errno in _OS_ERRORS:
            return _OS_ERRORS[exc.errno]
        if exc.strerror:
            return technical(exc.strerror)
    return technical(one_line(exc))


def technical(text: str) -> str:
    """Another program's words, set apart: ``technische melding: …``."""
    return TECHNICAL + text


def technical_detail(exc: BaseException) -> str:
    """An exception's own words (its class name when it has none), one line, set apart."""
    return technical(one_line(exc))


def technical_error(exc: BaseException) -> str:
    """An unexpected exception, set apart with its class name: ``technische melding: KeyError: 'x'``."""
    text = one_line(exc, keep_stop=True)
    name = type(exc).__name__
    return technical(f"{name}: {text}" if text != name else name)


def one_line(exc: BaseException, *, keep_stop: bool = False) -> str:
    """An exception's text on one line, at most 160 characters; its class name when it has none."""
    text = " ".join(str(exc).split())[:160]
    if not keep_stop:
        text = text.rstrip(".")
    return text or type(exc).__name__


def megabytes(size: float, digits: int = 2) -> str:
    """``50,40`` for a size in bytes: MB of 1,048,576 bytes, as ``--max-size`` takes them, decimal comma."""
    return f"{size / MB:.{digits}f}".replace(".", ",")


def limit_megabytes(limit: float) -> str:
    """A limit in MB as short as it goes: ``50``, ``0,5``."""
    return f"{limit / MB:g}".replace(".", ",")


def fields(count: int) -> str:
    """``1 veld``, ``3 velden``."""
    return f"{count} {'veld' if count == 1 else 'velden'}"


KINDS: dict[str, str] = {
    "text": "tekstveld",
    "multiline": "tekstvak",
    "date": "datumveld",
    "checkbox": "aankruisvakje",
    "radio": "groep keuzerondjes",
    "choice": "keuzeveld",
    "pushbutton": "knop",
    "signature": "handtekeningveld",
    "unknown": "veld zonder soort",
}
"""A field's kind (content's or the PDF's) as a person calls it."""


def kind(name: str) -> str:
    """The Dutch name of a field kind; an unknown kind as it is."""
    return KINDS.get(name, f"veld van soort {name}")


def listed(names: list[str], limit: int = 10) -> str:
    """The first ``limit`` names, comma-separated, ``…`` when there are more."""
    return ", ".join(names[:limit]) + (" …" if len(names) > limit else "")


def number(count: int) -> str:
    """``1.048.575``: thousands separated by dots, as Dutch writes them."""
    return f"{count:,}".replace(",", ".")
