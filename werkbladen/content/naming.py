"""Field id ⇄ PDF field name, and the template identity stamped into every PDF.

This is the one place where names are made. The layout writes fields under these names
and the reader looks them up under the same names. Names are ASCII ``[a-z0-9_]`` with no
periods: a period means hierarchy to PDF readers (ISO 32000-2, 12.7.4.2).

This module imports nothing heavy: the reader (the hot path of a batch) depends on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME_PATTERN = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")

TEMPLATE_FIELD = "werkbladen_template"
"""A hidden, read-only text field whose value identifies the werkblad and content version."""

TEMPLATE_PREFIX = "nji-werkbladen"
WERKBOEK = "werkboek"
"""The template id of the whole werkboek; a step PDF carries its werkblad's id (``stap2``)."""
INFO_KEY = "/WerkbladenTemplate"
"""The same identity in the document information dictionary, for tools that keep it."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One fillable field as both the layout and the reader see it.

    A plain dataclass, not a Pydantic model, so that reading does not pay for validation
    machinery it does not need.
    """

    name: str
    kind: str
    """A :class:`werkbladen.content.model.FieldKind` value."""
    tooltip: str
    options: tuple[tuple[str, str], ...] = ()
    """(value, label) pairs of a choice field's scale."""
    lines: int = 1
    table: str | None = None
    row: str | None = None
    column: str | None = None


def field_name(werkblad_id: str, field_id: str) -> str:
    """The PDF name of a question's field, e.g. ``stap2_leidend_netwerk``."""
    return _checked(f"{werkblad_id}_{field_id}")


def cell_name(werkblad_id: str, table_id: str, row_id: str, column_id: str) -> str:
    """The PDF name of a table cell, e.g. ``stap4_resultaten_r2_indicator``."""
    return _checked(f"{werkblad_id}_{table_id}_{row_id}_{column_id}")


def _checked(name: str) -> str:
    if not NAME_PATTERN.match(name):
        raise ValueError(f"invalid field name {name!r}: use a-z, 0-9 and single underscores")
    return name


@dataclass(frozen=True, slots=True)
class TemplateId:
    """Which werkblad a PDF is (``werkboek`` or a step id), from which content version and content.

    ``nji-werkbladen/stap2/1.1/3f2a9c1d0b7e``: the last part is the content's fingerprint, so that
    a publisher's own content under the same version number is told apart. Forms of content 1.0
    carry no fingerprint (``nji-werkbladen/stap2/1.0``) and are read as before.
    """

    werkblad: str
    version: str
    fingerprint: str = ""

    def __str__(self) -> str:
        text = f"{TEMPLATE_PREFIX}/{self.werkblad}/{self.version}"
        return f"{text}/{self.fingerprint}" if self.fingerprint else text

    @classmethod
    def parse(cls, text: str) -> TemplateId | None:
        """The identity in ``text``, or None when it is not one of ours."""
        parts = text.strip().split("/")
        if len(parts) not in (3, 4) or parts[0] != TEMPLATE_PREFIX or not all(parts[1:]):
            return None
        return cls(werkblad=parts[1], version=parts[2], fingerprint=parts[3] if len(parts) == 4 else "")
