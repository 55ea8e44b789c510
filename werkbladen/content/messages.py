"""What is wrong with a content file, in Dutch: pydantic's and PyYAML's English made into sentences.

A publisher reads these after ``werkbladen check`` (``file:line: key.path: message``). Pydantic's
common error types become a Dutch sentence that names the key; the content's own checks
(:mod:`werkbladen.content.model`) already speak Dutch. An error type not mapped here keeps
pydantic's text after a Dutch lead, set apart as ``(technische melding: …)`` as the reader's
reasons quote another program's English, so nothing is lost when pydantic adds one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic_core import ErrorDetails

from werkbladen.messages import TECHNICAL, technical

_ID_PATTERN = r"^[a-z0-9]+(_[a-z0-9]+)*$"
"""Opens the part of a message that quotes another program's own (English) words."""

_KINDS = {
    "string_type": "een tekst",
    "int_type": "een geheel getal",
    "int_parsing": "een geheel getal",
    "int_from_float": "een geheel getal",
    "float_type": "een getal",
    "float_parsing": "een getal",
    "bool_type": "true of false",
    "bool_parsing": "true of false",
    "list_type": "een lijst (regels die met - beginnen)",
    "dict_type": "een opsomming van sleutels met hun waarde",
    "model_type": "een opsomming van sleutels met hun waarde",
    "model_attributes_type": "een opsomming van sleutels met hun waarde",
    "url_type": "een webadres",
}


def _key(loc: Sequence[str | int]) -> str:
    """The key a message is about: the last name on the path ("item 3 van items" for a list item)."""
    parts = [str(part) for part in loc]
    if not parts:
        return "het werkboek"
    if parts[-1].isdigit():
        owner = f" van {parts[-2]!r}" if len(parts) > 1 else ""
        return f"item {int(parts[-1]) + 1}{owner}"
    return repr(parts[-1])


def _choices(expected: object) -> str:
    """Pydantic's ``'a', 'b' or 'c'`` as ``'a', 'b' of 'c'``."""
    text = str(expected)
    head, sep, last = text.rpartition(" or ")
    return f"{head} of {last}" if sep else text


def _pattern(key: str, ctx: Mapping[str, Any]) -> str:
    if ctx.get("pattern") == _ID_PATTERN:
        return (
            f"{key} is een id: alleen kleine letters zonder accenten, cijfers en losse liggende "
            "streepjes (_), geen punten of spaties"
        )
    if str(ctx.get("pattern", "")).startswith("^[0-9]+"):
        return f"{key} is een versienummer, zoals 1.2"
    return f"{key} heeft niet de goede vorm ({ctx.get('pattern')})"


def _plural(n: object, one: str, more: str) -> str:
    return f"{n} {one if n == 1 else more}"


_SENTENCES: dict[str, Callable[[str, Mapping[str, Any]], str]] = {
    "missing": lambda key, ctx: f"{key} ontbreekt; deze sleutel is verplicht",
    "extra_forbidden": lambda key, ctx: (
        f"{key} is geen sleutel die hier kan staan (een tikfout, of op de verkeerde plaats ingesprongen?)"
    ),
    "literal_error": lambda key, ctx: f"{key} moet een van deze zijn: {_choices(ctx.get('expected'))}",
    "enum": lambda key, ctx: f"{key} moet een van deze zijn: {_choices(ctx.get('expected'))}",
    "union_tag_invalid": lambda key, ctx: (
        f"onbekend soort blok {ctx.get('tag')!r}; type moet een van deze zijn: "
        f"{_choices(ctx.get('expected_tags'))}"
    ),
    "union_tag_not_found": lambda key, ctx: f"dit blok mist de sleutel {ctx.get('discriminator')}",
    "string_too_short": lambda key, ctx: f"{key} mag niet leeg zijn",
    "string_too_long": lambda key, ctx: (
        f"{key} is te lang: hoogstens {_plural(ctx.get('max_length'), 'teken', 'tekens')}"
    ),
    "too_short": lambda key, ctx: (
        f"{key} moet er minstens {ctx.get('min_length')} hebben, en heeft er {ctx.get('actual_length')}"
    ),
    "too_long": lambda key, ctx: f"{key} mag er hoogstens {ctx.get('max_length')} hebben",
    "string_pattern_mismatch": lambda key, ctx: _pattern(key, ctx),
    "greater_than_equal": lambda key, ctx: f"{key} moet {ctx.get('ge')} of meer zijn",
    "greater_than": lambda key, ctx: f"{key} moet meer dan {ctx.get('gt')} zijn",
    "less_than_equal": lambda key, ctx: f"{key} mag hoogstens {ctx.get('le')} zijn",
    "less_than": lambda key, ctx: f"{key} moet minder dan {ctx.get('lt')} zijn",
    "url_parsing": lambda key, ctx: f"{key} is geen geldig webadres (begin met https://)",
    "url_scheme": lambda key, ctx: f"{key} is geen geldig webadres (begin met https://)",
    "value_error": lambda key, ctx: str(ctx.get("error", "")),
    "assertion_error": lambda key, ctx: str(ctx.get("error", "")),
}


def pydantic_message(error: ErrorDetails) -> str:
    """One pydantic error as a Dutch sentence naming its key."""
    kind = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    key = _key(error["loc"])
    if kind in _KINDS:
        return f"{key} moet {_KINDS[kind]} zijn, niet {_shown(error.get('input'))}"
    sentence = _SENTENCES.get(kind)
    if sentence is not None:
        return sentence(key, ctx)
    if kind == "duplicate_field":
        return error["msg"]  # our own, in Dutch already
    return f"{key} klopt niet ({TECHNICAL}{error['msg']})"


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return "een opsomming van sleutels"
    if isinstance(value, list):
        return "een lijst"
    if value is None:
        return "leeg"
    if isinstance(value, bool):
        return str(value).lower()
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


_YAML = {
    "mapping values are not allowed here": (
        "hier kan geen dubbele punt staan: zet een tekst met ': ' erin tussen aanhalingstekens, "
        "of kijk of de regel goed is ingesprongen"
    ),
    "could not find expected ':'": "er ontbreekt een dubbele punt (':') achter een sleutel",
    "found unexpected end of stream": (
        "het bestand houdt onverwacht op (een aanhalingsteken of haakje niet gesloten?)"
    ),
    "found undefined alias": "een verwijzing (*naam) naar iets dat niet bestaat",
    "found unexpected ':'": "een dubbele punt op een onverwachte plaats",
    "did not find expected ',' or ']'": (
        "een [ zonder ] of een ontbrekende komma (begint een tekst met [? zet hem tussen aanhalingstekens)"
    ),
    "did not find expected ',' or '}'": (
        "een { zonder } of een ontbrekende komma (begint een tekst met {? zet hem tussen aanhalingstekens)"
    ),
    "did not find expected key": "de inspringing klopt hier niet",
    "did not find expected '-' indicator": "de inspringing van de lijst klopt hier niet",
}


def yaml_problem(problem: str | None, fallback: str) -> str:
    """PyYAML's problem in Dutch; one not known here after a Dutch lead, in PyYAML's words."""
    if problem is None:
        return f"de opmaak klopt niet ({TECHNICAL}{fallback})"
    if problem in _YAML:
        return _YAML[problem]
    if problem.startswith("found character") and "cannot start any token" in problem:
        return "een teken dat hier niet kan staan (een tab? spring in met spaties)"
    if problem.startswith("expected <block end>"):
        return "de inspringing klopt hier niet"
    if "tab" in problem:
        return "een tab; spring in met spaties"
    return f"de opmaak klopt niet ({TECHNICAL}{fallback})"


def read_problem(exc: OSError | UnicodeDecodeError) -> str:
    """Why a file cannot be read, in Dutch."""
    if isinstance(exc, UnicodeDecodeError):
        return "het is geen tekst in UTF-8 (sla het op als UTF-8)"
    if isinstance(exc, FileNotFoundError):
        return "het bestand bestaat niet"
    if isinstance(exc, IsADirectoryError):
        return "dit is een map, geen bestand"
    if isinstance(exc, PermissionError):
        return "geen toestemming om het te lezen"
    return technical(exc.strerror or str(exc))
