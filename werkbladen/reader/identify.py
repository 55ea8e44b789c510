"""Which werkblad a filled PDF is, and from which content version.

The hidden template field comes first: viewers keep form fields on every save. The document
information entry is the fallback (some tools rewrite the field tree, others drop /Info).
When both are gone but the field names are ours, the names still tell the werkblad.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from werkbladen.content.naming import INFO_KEY, TEMPLATE_FIELD, WERKBOEK, TemplateId
from werkbladen.pdfspec import Key
from werkbladen.reader.rawform import RawForm

if TYPE_CHECKING:
    from pypdf import PdfReader

    from werkbladen.reader.normalise import Model


@dataclass(frozen=True, slots=True)
class Identity:
    template: TemplateId | None
    source: str
    """``field``, ``info``, ``names`` (guessed from field names) or ``none``."""
    warnings: tuple[str, ...] = ()


class DocInfo(NamedTuple):
    """What the document information dictionary says: our template id, and the last save's date."""

    template: str | None = None
    modified: str | None = None
    """``/ModDate`` as ISO 8601: which of two resends is newer."""


def document_info(info: Any, model: Model, warn: Callable[[str], None]) -> DocInfo:
    """The template text (``warn`` on an odd value) and modification date of a resolved ``/Info``."""
    if not isinstance(info, dict):
        return DocInfo()
    from werkbladen.reader.dates import pdf_date

    return DocInfo(
        model.text_value(info.get(INFO_KEY), warn),
        pdf_date(model.text_value(info.get(Key.MOD_DATE), lambda _: None)),
    )


def info_of(reader: PdfReader) -> DocInfo:
    """The :class:`DocInfo` of a PDF opened with pypdf."""
    from werkbladen.reader.pdf import PYPDF

    return document_info(PYPDF.resolve(reader.trailer.get(Key.INFO)), PYPDF, lambda _: None)


def identify(
    form: RawForm, info: str | None, names_by_werkblad: Callable[[], dict[str, frozenset[str]]]
) -> Identity:
    """The template identity from the field, else /Info, else the field names.

    ``names_by_werkblad`` gives each werkblad's field names; it is called only when both
    identities are gone.
    """
    field_text = next(
        (f.value for f in form.fields if f.name == TEMPLATE_FIELD and isinstance(f.value, str)), None
    )
    from_field = TemplateId.parse(field_text) if field_text else None
    from_info = TemplateId.parse(info) if info else None
    notes: list[str] = []
    if field_text and from_field is None:
        notes.append(f"het sjabloonveld bevat {field_text!r}, en dat is geen sjabloon-id van werkbladen")
    if from_field is not None:
        if from_info is not None and from_info != from_field:
            notes.append(f"het sjabloonveld zegt {from_field}, maar de documentgegevens zeggen {from_info}")
        return Identity(from_field, "field", tuple(notes))
    if from_info is not None:
        notes.append("het sjabloonveld ontbreekt, is leeg of onleesbaar; herkend aan de documentgegevens")
        return Identity(from_info, "info", tuple(notes))
    guessed = _guess(form, names_by_werkblad())
    if guessed is not None:
        notes.append(
            f"de sjabloon-id ontbreekt; herkend als {guessed} aan de veldnamen, inhoudsversie onbekend"
        )
        return Identity(TemplateId(guessed, ""), "names", tuple(notes))
    return Identity(None, "none", tuple(notes))


def _guess(form: RawForm, names_by_werkblad: dict[str, frozenset[str]]) -> str | None:
    """The werkblad whose field names the form mostly has (half of them at least)."""
    present = {f.name for f in form.fields}
    matched = [
        w
        for w, names in names_by_werkblad.items()
        if w != WERKBOEK and names and len(present & names) * 2 >= len(names)
    ]
    if not matched:
        return None
    return matched[0] if len(matched) == 1 else WERKBOEK
