"""Prefill a blank werkblad from answers: the respondent block per partner, or last round's answers.

``fill(blank, answers)`` takes what ``extract`` emits (a record, a list with one record, or any
subset such as ``{"respondent": {...}}`` or ``{"answers": {...}}``) and returns the filled PDF.
Values are written as viewers write them: text as a PDF text string (UTF-16BE when it is not
PDFDocEncoding, so every character is kept exactly), a checkbox as ``/Yes`` or ``/Off`` on the
field and on each widget's ``/AS``, a choice as the option's name on the radio group's ``/V``
with the chosen widget's ``/AS`` on and every other ``/Off``. Every text widget gets an
appearance stream of its own (see :mod:`werkbladen.filling.appearance`), drawn with an embedded
Unicode font where Helvetica cannot hold the value.

``/NeedAppearances`` is left false (``need_appearances=True`` sets it): measured, it makes
PDFium (Chrome, Edge) and poppler (Evince, Okular) throw our appearances away and draw their
own, and PDFium's own drops ğ and ı and the field borders (docs/engines.md).

The answers are checked first (:mod:`.plan`); nothing is written when one does not fit.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import FileNotDecryptedError, PyPdfError
from pypdf.generic import (
    BooleanObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from werkbladen.content.model import Werkboek
from werkbladen.content.naming import INFO_KEY, TEMPLATE_FIELD, TemplateId
from werkbladen.errors import (
    AnswerError,
    DamagedError,
    EncryptedError,
    NotAFormError,
    NotAWerkbladError,
)
from werkbladen.filling.appearance import UNICODE_NAME, Box, FontResources, text_appearance, with_font
from werkbladen.filling.plan import Target, on_states, one_record, plan_answers, target_of
from werkbladen.limits import DEFAULT_LIMITS
from werkbladen.messages import os_reason, technical_detail
from werkbladen.pdfspec import OFF, FieldFlag
from werkbladen.reader.pdf import PYPDF
from werkbladen.reader.walker import Walker


@dataclass(frozen=True)
class Filled:
    """The filled PDF and what the caller should know about how the answers were taken."""

    pdf: bytes
    template: TemplateId
    filled: tuple[str, ...]
    """The PDF field names that were written, in the order the answers gave them."""
    notes: tuple[str, ...] = ()
    """One line each: answers left out and why, a content version that differs."""


def fill(
    blank: str | os.PathLike[str] | bytes,
    answers: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    skip_unknown: bool = False,
    need_appearances: bool = False,
    werkboek: Werkboek | None = None,
) -> bytes:
    """The PDF ``blank`` filled with ``answers``; see :func:`fill_form` for the rules."""
    return fill_form(
        blank, answers, skip_unknown=skip_unknown, need_appearances=need_appearances, werkboek=werkboek
    ).pdf


def fill_form(
    blank: str | os.PathLike[str] | bytes,
    answers: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    skip_unknown: bool = False,
    need_appearances: bool = False,
    werkboek: Werkboek | None = None,
) -> Filled:
    """Fill ``blank`` with ``answers`` and say what was done.

    ``werkboek`` is the content that knows the tables and date fields (default: the shipped one).
    Raises :class:`AnswerError` for answers that do not fit, and a :class:`ReadError` subclass
    for a blank that cannot be read or is not a werkblad.
    """
    if werkboek is None:
        from werkbladen.content.loader import shipped_werkboek

        werkboek = shipped_werkboek()
    record = one_record(answers)
    writer = _open(blank)
    form = Form(writer)
    template = form.template()
    notes: list[str] = []
    planned = plan_answers(record, template, form.fields, werkboek, skip_unknown, notes)
    fonts = FontResources(writer._add_object, form.dr_fonts())
    for target, value in planned:
        form.write(target, value, fonts)
    if need_appearances:
        form.acroform[NameObject("/NeedAppearances")] = BooleanObject(True)
    else:
        form.acroform.pop("/NeedAppearances", None)
    out = io.BytesIO()
    writer.write(out)
    return Filled(out.getvalue(), template, tuple(t.name for t, _ in planned), tuple(notes))


def _open(blank: str | os.PathLike[str] | bytes) -> PdfWriter:
    source = io.BytesIO(blank) if isinstance(blank, bytes) else Path(blank)
    label = "het lege formulier" if isinstance(blank, bytes) else str(blank)
    protected = f"{label}: beveiligd met een wachtwoord; vul een leeg formulier zonder wachtwoord in"
    try:
        reader = PdfReader(source)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedError(protected)
        return PdfWriter(clone_from=reader)
    except FileNotDecryptedError:
        raise EncryptedError(protected) from None
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise DamagedError(f"{label}: niet te lezen als PDF ({technical_detail(exc)})") from None
    except OSError as exc:
        raise AnswerError(f"{label}: niet te openen ({os_reason(exc)})") from None


@dataclass
class Form:
    writer: PdfWriter
    fields: dict[str, Target] = field(init=False)

    def __post_init__(self) -> None:
        root = self.writer._root_object
        acroform = root.get("/AcroForm")
        if acroform is None or not isinstance(acroform.get_object(), DictionaryObject):
            raise NotAFormError(
                "het lege formulier heeft geen invulvelden: vul een leeg werkblad in dat `werkbladen build` "
                "heeft gemaakt"
            )
        self.acroform: DictionaryObject = acroform.get_object()
        self.fields = {}
        Walker(root, PYPDF, DEFAULT_LIMITS).run(lambda t: self.fields.__setitem__(t.name, target_of(t)))

    def template(self) -> TemplateId:
        target = self.fields.get(TEMPLATE_FIELD)
        text = str(target.node.get("/V", "")) if target else ""
        found = TemplateId.parse(text)
        if found is None:
            info = self.writer.metadata
            raw = info.get(INFO_KEY) if info is not None else None
            found = TemplateId.parse(str(raw)) if raw is not None else None
        if found is None:
            raise NotAWerkbladError(
                "het lege formulier is wel een formulier, maar geen werkblad (de sjabloon-id van werkbladen "
                "ontbreekt): vul een leeg werkblad in dat `werkbladen build` heeft gemaakt"
            )
        return found

    def dr_fonts(self) -> DictionaryObject:
        """The form's default-resources font dictionary, made when the blank has none."""
        dr = _dict(self.acroform, "/DR")
        return _dict(dr, "/Font")

    def write(self, target: Target, value: str | bool | None, fonts: FontResources) -> None:
        if target.kind == "text":
            assert value is None or isinstance(value, str)
            if value is None:
                target.node.pop("/V", None)
            else:
                target.node[NameObject("/V")] = TextStringObject(value)
            for widget in target.widgets:
                box = _box(widget, target, self.acroform)
                stream, font_name = text_appearance(box, value or "", fonts)
                widget[NameObject("/AP")] = DictionaryObject(
                    {NameObject("/N"): self.writer._add_object(stream)}
                )
                if font_name == UNICODE_NAME:
                    # A viewer that regenerates the appearance (poppler with NeedAppearances, any
                    # viewer once the field is edited) then uses a font that has the characters.
                    for holder in {id(widget): widget, id(target.node): target.node}.values():
                        if "/DA" in holder or holder is widget:
                            da = str(holder.get("/DA") or self.acroform.get("/DA", ""))
                            holder[NameObject("/DA")] = TextStringObject(with_font(da, UNICODE_NAME))
            return
        if target.kind == "checkbox":
            chosen = target.states[0] if value is True else None
        else:
            assert value is None or isinstance(value, str)
            chosen = value
        target.node[NameObject("/V")] = NameObject(f"/{chosen}" if chosen else f"/{OFF}")
        for widget in target.widgets:
            on = on_states(widget)
            state = f"/{chosen}" if chosen is not None and chosen in on else f"/{OFF}"
            widget[NameObject("/AS")] = NameObject(state)


def _dict(parent: DictionaryObject, key: str) -> DictionaryObject:
    value = parent.get(key)
    value = value.get_object() if value is not None else None
    if not isinstance(value, DictionaryObject):
        value = DictionaryObject()
        parent[NameObject(key)] = value
    return value


def _box(widget: DictionaryObject, target: Target, acroform: DictionaryObject) -> Box:
    rect = [float(v) for v in widget.get("/Rect", [0, 0, 0, 0])]
    mk = widget.get("/MK", DictionaryObject()).get_object()
    bs = widget.get("/BS")
    bs = bs.get_object() if bs is not None else DictionaryObject()
    border = widget.get("/Border")
    width = float(bs.get("/W", border[2] if border is not None and len(border) > 2 else 1))
    has_border = "/BC" in mk and len(mk["/BC"]) in (1, 3, 4)
    font_size, colour = _parse_da(str(widget.get("/DA") or target.node.get("/DA") or acroform.get("/DA", "")))
    max_len = target.node.get("/MaxLen")
    comb = int(max_len) if target.flags & FieldFlag.COMB and max_len is not None else 0
    return Box(
        width=abs(rect[2] - rect[0]),
        height=abs(rect[3] - rect[1]),
        border_width=width if has_border else 0.0,
        border_style=str(bs.get("/S", "/S")),
        background=tuple(float(c) for c in mk.get("/BG", ())) if len(mk.get("/BG", ())) in (1, 3, 4) else (),
        border_colour=tuple(float(c) for c in mk["/BC"]) if has_border else (),
        font_size=font_size,
        colour=colour,
        multiline=bool(target.flags & FieldFlag.MULTILINE),
        quadding=int(widget.get("/Q", target.node.get("/Q", acroform.get("/Q", 0)))),
        comb=comb,
    )


_DA_TOKEN = re.compile(r"/[^\s/\[\]()<>]+|[-+]?\d*\.?\d+|[A-Za-z]+")


def _parse_da(da: str) -> tuple[float, str]:
    """Font size (0 = auto) and colour operator of a default-appearance string."""
    size, colour = 0.0, "0 g"
    operands: list[str] = []
    for token in _DA_TOKEN.findall(da):
        if token[0].isalpha():
            if token == "Tf" and operands:
                size = float(operands[-1])
            elif token in ("g", "rg", "k") and len(operands) >= {"g": 1, "rg": 3, "k": 4}[token]:
                count = {"g": 1, "rg": 3, "k": 4}[token]
                colour = " ".join([*operands[-count:], token])
            operands = []
        else:
            operands.append(token)
    return max(size, 0.0), colour


__all__ = ["Filled", "fill", "fill_form"]
