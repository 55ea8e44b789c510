"""The Dutch words a person reads for the identifiers a program reads: statuses and a record's standing.

JSON keeps ``ok``, ``not_a_werkblad``, ``superseded_by``; the workbook, the report and the closing
summary show these words instead, all from here so that they say the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkbladen.errors import READ_STATUSES, Status

STATUS_LABELS: dict[Status, str] = {
    Status.OK: "gelezen",
    Status.WARNINGS: "gelezen, met waarschuwingen",
    Status.NOT_A_WERKBLAD: "geen werkblad",
    Status.NO_FORM: "geen formulier",
    Status.FLATTENED: "platgeslagen: geen invulvelden meer",
    Status.ENCRYPTED: "beveiligd met een wachtwoord",
    Status.DAMAGED: "beschadigd",
    Status.UNSUPPORTED: "formulier van een soort die niet te lezen is",
    Status.TIMEOUT: "lezen duurde te lang",
    Status.TOO_LARGE: "te groot",
    Status.ERROR: "onverwachte fout",
    Status.SKIPPED: "overgeslagen",
    Status.RECOVERED: "gelezen van de pagina (afgedrukt of platgeslagen): controleren",
    Status.SCANNED: "gescand: alleen afbeeldingen, geen tekst om te lezen",
}
assert set(STATUS_LABELS) == set(Status), "every status needs its Dutch label"

RECOVERED_FLAG_LABELS: dict[str, str] = {
    "from_page": "van de pagina gelezen",
    "possibly_incomplete": "mogelijk onvolledig (tekst loopt tot de rand van het vak)",
    "lost_letters": "letters onleesbaar in de PDF",
    "line_breaks_guessed": "regeleinden geschat",
    "overlapping_text": "tekst van een ander vak loopt erdoor",
    "unclear_mark": "vinkje of keuze onduidelijk",
}
"""The flags of ``details.recovered`` (a ``recovered`` record's values read from the page), in Dutch."""

CURRENT = "actueel"
DUPLICATE = "dubbel"
SUPERSEDED = "vervangen door een nieuwere versie"
NOT_READ = "niet gelezen"


def status_label(status: str) -> str:
    """The Dutch label of a status code; an unknown code (a newer version's) as it is."""
    try:
        return STATUS_LABELS[Status(status)]
    except ValueError:
        return status


def standing_label(record: Mapping[str, Any]) -> str:
    """``actueel``, ``dubbel``, ``vervangen door een nieuwere versie`` or ``niet gelezen``."""
    if record.get("duplicate_of"):
        return DUPLICATE
    if record.get("superseded_by"):
        return SUPERSEDED
    return CURRENT if record.get("status") in READ_STATUSES else NOT_READ
