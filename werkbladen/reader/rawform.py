"""What a walk of a form finds: its fields, normalised, and what it noticed. No pypdf here.

Both readers fill these: the pypdf walk (:mod:`.walk`) and the fast path (:mod:`.lean`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class RawField:
    """One terminal field: its fully qualified name, its kind and its value, normalised."""

    name: str
    kind: str
    """text, checkbox, radio, choice, pushbutton, signature or unknown (no /FT)."""
    value: str | bool | list[str] | None
    state: str | None = None
    """Buttons: the selected on-state name (None when off); the value of a radio group."""
    source: str = "fields"
    """``fields`` when reached from /AcroForm /Fields, ``annots`` when found only on a page."""


@dataclass(slots=True)
class RawForm:
    """What the walk found. ``fields`` keeps duplicates, in document order."""

    fields: list[RawField] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    has_acroform: bool = False
    has_xfa: bool = False
    has_page_content: bool = False

    def by_name(self) -> dict[str, list[RawField]]:
        out: dict[str, list[RawField]] = {}
        for f in self.fields:
            out.setdefault(f.name, []).append(f)
        return out


def lines(text: str) -> str:
    """PDFium's ``\\r\\n`` and old Mac ``\\r`` become ``\\n``; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
