"""Records and filled forms for the report tests, and the report's text as pdftotext reads it.

:func:`record` makes an extract record in JSON (as a coordinator would correct one) from flat PDF
field names; :func:`filled_werkboeken` fills the real werkboek for a list of organisations with
:func:`formkit.random_answers`. :func:`report_text` is the report's text in content-stream order
(``pdftotext -raw``) without the running header and footer, so that an answer broken across two
pages reads as one.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import formkit
from formkit import random_answers

from werkbladen.content.model import Werkboek
from werkbladen.content.naming import FieldSpec
from werkbladen.filling.prefill import fill
from werkbladen.record import RECORD_KEYS, table_key

ORGANISATIES = [
    *formkit.ORGANISATIES,
    "Ağrı Gençlik Derneği",
    "Fundacja Łódź Żółć",
    "Gemeente Ede",
    "Schoolbestuur Ons Middelbaar Onderwijs",
    "Welzijn Leeuwarden",
    "Jeugdhulp Rivierenland",
]
"""Twelve partners; no name is part of another, so a name found in the text is that organisation."""

_PAGE_FURNITURE = re.compile(
    r"^(?:(?:Stap \d+|Gezamenlijk overzicht|Verantwoording)\s+·\s.*|.*pagina \d+ van \d+)$", re.M
)


def specs_by_name(werkboek: Werkboek, template: str = "werkboek") -> dict[str, FieldSpec]:
    return {s.name: s for s in werkboek.form_fields(template)}


def record(
    werkboek: Werkboek,
    organisation: str,
    values: Mapping[str, Any],
    *,
    werkblad: str = "werkboek",
    source: str | None = None,
    **keys: Any,
) -> dict[str, Any]:
    """An extract record of ``werkblad`` with ``values`` by PDF field name (table cells grouped into rows)."""
    answers: dict[str, Any] = {}
    for spec in werkboek.form_fields(werkblad):
        if spec.name.startswith("respondent_"):
            continue
        value = values.get(spec.name, False if spec.kind == "checkbox" else None)
        if spec.table is None:
            answers[spec.name] = value
            continue
        rows = answers.setdefault(table_key(spec), [])
        if not rows or rows[-1]["row"] != spec.row:
            rows.append({"row": spec.row})
        rows[-1][spec.column] = value
    source = source or f"inbox/{organisation}.pdf"
    out: dict[str, Any] = dict.fromkeys(RECORD_KEYS)
    out.update(
        file=source,
        source=source,
        status="ok",
        werkblad=werkblad,
        content_version=werkboek.version,
        respondent={"organisatie": organisation, "naam": "Noëlle de Vries"},
        answers=answers,
        extras={},
        warnings=[],
        conflicts=[],
        details={},
    )
    out.update(keys)
    return out


def filled_werkboeken(blank: bytes, werkboek: Werkboek, folder: Path, names: Sequence[str]) -> list[Path]:
    """A werkboek per organisation, filled with seeded random answers (seed = its place in ``names``)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, name in enumerate(names):
        answers = random_answers(werkboek, 1000 + i)
        answers["respondent"]["organisatie"] = name
        path = folder / f"werkboek-{i:02d}.pdf"
        path.write_bytes(fill(blank, answers, werkboek=werkboek))
        paths.append(path)
    return paths


def raw_text(pdf: Path) -> str:
    """The PDF's text in content-stream order (the order the report draws: a name, then its answer)."""
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def report_text(pdf: Path, names: Sequence[str]) -> str:
    """The report's text, whitespace collapsed, without page headers, footers and ``(vervolg)`` labels."""
    text = flat(_PAGE_FURNITURE.sub("", raw_text(pdf).replace("\f", "\n")))
    for name in names:
        text = text.replace(f"{flat(name)} (vervolg) ", "")
    return text


def flat(text: str) -> str:
    """Whitespace collapsed to single spaces: how a wrapped answer compares with what was typed."""
    return " ".join(text.split())
