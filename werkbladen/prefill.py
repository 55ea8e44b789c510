"""Prefill a blank werkblad from answers: the respondent block per partner, or last round's answers.

``fill(blank, answers)`` takes what ``extract`` emits (a record, a list with one record, or any
subset such as ``{"respondent": {...}}`` or ``{"answers": {...}}``) and returns the filled PDF.
Values are written as viewers write them: text as a PDF text string (UTF-16BE when it is not
PDFDocEncoding, so every character is kept exactly), a checkbox as ``/Yes`` or ``/Off`` on the
field and on each widget's ``/AS``, a choice as the option's name on the radio group's ``/V``
with the chosen widget's ``/AS`` on and every other ``/Off``. Every text widget gets an
appearance stream of its own (see :mod:`werkbladen.appearance`), drawn with an embedded
Unicode font where Helvetica cannot hold the value.

``/NeedAppearances`` is left false (``need_appearances=True`` sets it): measured, it makes
PDFium (Chrome, Edge) and poppler (Evince, Okular) throw our appearances away and draw their
own, and PDFium's own drops ğ and ı and the field borders (docs/engines.md).

What is an error (:class:`AnswerError`), decided so that a mistake never passes silently and a
legitimate carry-over never fails:

- a name the blank does not have — unless ``skip_unknown``: then it is left out with a note;
- a value of the wrong type for its field, an option not on the scale, text longer than a
  field's ``/MaxLen``, or an answer for a read-only field such as the template identity;
- answers for one step given to another step's blank.

Not errors, reported as notes: a different content version (fields are matched by their stable
names; that is what carrying answers into a new round needs), answers of a werkboek record
for steps that a step blank does not hold, and ``extras`` the blank does not have (the reader
already warned that the content does not know them).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pypdf import PdfReader, PdfWriter
from pypdf.errors import FileNotDecryptedError, PyPdfError
from pypdf.generic import (
    BooleanObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from werkbladen.appearance import UNICODE_NAME, Box, FontResources, text_appearance, with_font
from werkbladen.errors import (
    READ_STATUSES,
    AnswerError,
    DamagedError,
    EncryptedError,
    NotAFormError,
    NotAWerkbladError,
)
from werkbladen.limits import DEFAULT_LIMITS
from werkbladen.model import Werkboek
from werkbladen.naming import INFO_KEY, TEMPLATE_FIELD, WERKBOEK, FieldSpec, TemplateId
from werkbladen.pdfspec import OFF, FieldFlag, FieldType
from werkbladen.reader.pdf import PYPDF
from werkbladen.reader.walker import Terminal, Walker

RECORD_KEYS = frozenset(
    {
        "file",
        "status",
        "reason",
        "werkblad",
        "content_version",
        "respondent",
        "answers",
        "extras",
        "warnings",
        "details",
    }
)

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MAX_LISTED = 5


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
        from werkbladen.loader import shipped_werkboek

        werkboek = shipped_werkboek()
    record = _one_record(answers)
    writer = _open(blank)
    form = _Form(writer)
    template = form.template()
    notes: list[str] = []
    planned = _plan(record, template, form, werkboek, skip_unknown, notes)
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


def _one_record(answers: object) -> Mapping[str, Any]:
    if isinstance(answers, Sequence) and not isinstance(answers, str | bytes):
        if len(answers) != 1:
            raise AnswerError(
                f"expected answers for one form, got a list of {len(answers)} records: "
                "fill one blank per record"
            )
        answers = answers[0]
    if not isinstance(answers, Mapping):
        raise AnswerError("answers must be a record object as `werkbladen extract` prints it")
    unknown = sorted(str(k) for k in answers if k not in RECORD_KEYS)
    if unknown:
        raise AnswerError(
            f"unknown key(s) in the answers record: {_listed(unknown)}; "
            "expected respondent, answers or extras"
        )
    status = answers.get("status")
    if status is not None and status not in READ_STATUSES:
        raise AnswerError(f"the answers record has status {status!r}: it holds no answers to fill in")
    for key in ("respondent", "answers", "extras"):
        if answers.get(key) is not None and not isinstance(answers[key], Mapping):
            raise AnswerError(f"{key!r} in the answers must be an object of names and values")
    return answers


def _open(blank: str | os.PathLike[str] | bytes) -> PdfWriter:
    source = io.BytesIO(blank) if isinstance(blank, bytes) else Path(blank)
    label = "the blank PDF" if isinstance(blank, bytes) else str(blank)
    try:
        reader = PdfReader(source)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedError(f"{label}: the blank is password-protected; fill an unprotected blank")
        return PdfWriter(clone_from=reader)
    except FileNotDecryptedError:
        raise EncryptedError(f"{label}: the blank is password-protected; fill an unprotected blank") from None
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise DamagedError(f"{label}: cannot read the blank PDF: {exc}") from None
    except OSError as exc:
        raise AnswerError(f"{label}: cannot open the blank: {exc.strerror or exc}") from None


@dataclass
class _Target:
    """A terminal field of the blank: its dictionary, its widgets, and what it holds."""

    name: str
    node: DictionaryObject
    widgets: list[DictionaryObject]
    kind: str
    """``text``, ``checkbox``, ``radio`` or ``other`` (push buttons, list boxes, signatures)."""
    flags: int
    states: tuple[str, ...] = ()
    """On-state names (without the slash) of a checkbox's or a radio group's widgets."""
    spec: FieldSpec | None = None


@dataclass
class _Form:
    writer: PdfWriter
    fields: dict[str, _Target] = field(init=False)

    def __post_init__(self) -> None:
        root = self.writer._root_object
        acroform = root.get("/AcroForm")
        if acroform is None or not isinstance(acroform.get_object(), DictionaryObject):
            raise NotAFormError("the blank has no form: fill a blank werkblad made by `werkbladen build`")
        self.acroform: DictionaryObject = acroform.get_object()
        self.fields = {}
        Walker(root, PYPDF, DEFAULT_LIMITS).run(lambda t: self.fields.__setitem__(t.name, _target(t)))

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
                "the blank is a form but not a werkblad (no werkbladen template identity): "
                "fill a blank made by `werkbladen build`"
            )
        return found

    def dr_fonts(self) -> DictionaryObject:
        """The form's default-resources font dictionary, made when the blank has none."""
        dr = _dict(self.acroform, "/DR")
        return _dict(dr, "/Font")

    def write(self, target: _Target, value: str | bool | None, fonts: FontResources) -> None:
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
            on = _on_states(widget)
            state = f"/{chosen}" if chosen is not None and chosen in on else f"/{OFF}"
            widget[NameObject("/AS")] = NameObject(state)


def _dict(parent: DictionaryObject, key: str) -> DictionaryObject:
    value = parent.get(key)
    value = value.get_object() if value is not None else None
    if not isinstance(value, DictionaryObject):
        value = DictionaryObject()
        parent[NameObject(key)] = value
    return value


def _target(terminal: Terminal) -> _Target:
    # The walk of pypdf's objects yields pypdf's dictionaries.
    node = cast(DictionaryObject, terminal.node)
    widgets = cast(list[DictionaryObject], terminal.widgets)
    ft, flags = terminal.inherited.ft, terminal.inherited.ff
    states: tuple[str, ...] = ()
    if ft == FieldType.TEXT:
        kind = "text"
    elif ft == FieldType.BUTTON and not flags & FieldFlag.PUSHBUTTON:
        kind = "radio" if flags & FieldFlag.RADIO else "checkbox"
        states = tuple(dict.fromkeys(s for w in widgets for s in _on_states(w)))
    else:
        kind = "other"
    return _Target(terminal.name, node, widgets, kind, flags, states)


def _on_states(widget: DictionaryObject) -> list[str]:
    ap = widget.get("/AP")
    normal = ap.get_object().get("/N") if ap is not None else None
    normal = normal.get_object() if normal is not None else None
    if not isinstance(normal, DictionaryObject):
        return []
    return [str(k)[1:] for k in normal if k != f"/{OFF}"]


def _plan(
    record: Mapping[str, Any],
    template: TemplateId,
    form: _Form,
    werkboek: Werkboek,
    skip_unknown: bool,
    notes: list[str],
) -> list[tuple[_Target, str | bool | None]]:
    """Check every answer against the blank and return (field, value) pairs to write."""
    given_werkblad = record.get("werkblad")
    if given_werkblad not in (None, template.werkblad, WERKBOEK) and template.werkblad != WERKBOEK:
        raise AnswerError(
            f"the answers are for {given_werkblad!r} but the blank is {template.werkblad!r}: "
            "fill the blank of the same werkblad, or the werkboek"
        )
    version = record.get("content_version")
    if version is not None and str(version) != template.version:
        notes.append(
            f"answers are from content version {version}, the blank is version {template.version}: "
            "fields were matched by name"
        )
    specs = {s.name: s for s in werkboek.form_fields(WERKBOEK)}
    tables = _tables(specs.values())
    elsewhere = given_werkblad == WERKBOEK and template.werkblad != WERKBOEK
    unknown: list[str] = []
    left_out: list[str] = []
    planned: dict[str, tuple[_Target, str | bool | None]] = {}

    def take(name: str, value: Any, source: str) -> None:
        target = form.fields.get(name)
        if target is None:
            if source == "extras" or (elsewhere and name in specs):
                left_out.append(name)
            else:
                unknown.append(name)
            return
        target.spec = specs.get(name)
        planned[name] = (target, _checked(target, value))

    respondent = record.get("respondent") or {}
    for key, value in respondent.items():
        take(f"respondent_{key}", value, "respondent")
    for name, value in (record.get("answers") or {}).items():
        if isinstance(value, list) and name in tables:
            for cell, cell_value in _cells(name, value, tables[name]):
                take(cell, cell_value, "answers")
        else:
            take(name, value, "answers")
    for name, value in (record.get("extras") or {}).items():
        take(name, value, "extras")
    if unknown and not skip_unknown:
        raise AnswerError(
            f"the blank ({template}) has no field {_listed(unknown)}: check the names, "
            "or use --skip-unknown (skip_unknown=True) to leave them out"
        )
    if unknown:
        notes.append(f"left out {len(unknown)} answer(s) the blank has no field for: {_listed(unknown)}")
    if left_out:
        notes.append(f"left out {len(left_out)} answer(s) for fields not on this blank: {_listed(left_out)}")
    return list(planned.values())


def _tables(specs: Iterable[FieldSpec]) -> dict[str, dict[tuple[str, str], str]]:
    """``{"stap4_resultaten": {("r2", "indicator"): "stap4_resultaten_r2_indicator", ...}}``."""
    tables: dict[str, dict[tuple[str, str], str]] = {}
    for spec in specs:
        if spec.table and spec.row and spec.column:
            key = spec.name[: -len(f"_{spec.row}_{spec.column}")]
            tables.setdefault(key, {})[(spec.row, spec.column)] = spec.name
    return tables


def _cells(table: str, rows: list[Any], cells: dict[tuple[str, str], str]) -> Iterator[tuple[str, Any]]:
    row_ids = {r for r, _ in cells}
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping) or not isinstance(row.get("row"), str):
            raise AnswerError(f'{table}[{i}]: each table row must be an object with a "row" id')
        if row["row"] not in row_ids:
            raise AnswerError(f"{table}: no row {row['row']!r}; the rows are {_listed(sorted(row_ids))}")
        for column, value in row.items():
            if column == "row":
                continue
            name = cells.get((row["row"], column))
            if name is None:
                columns = sorted(c for r, c in cells if r == row["row"])
                raise AnswerError(
                    f"{table}, row {row['row']!r}: no fillable column {column!r}; "
                    f"the columns are {_listed(columns)}"
                )
            yield name, value


def _checked(target: _Target, value: Any) -> str | bool | None:
    """``value`` as it is written into ``target``, or an :class:`AnswerError` saying why it cannot be."""
    name = target.name
    if target.flags & FieldFlag.READ_ONLY:
        raise AnswerError(f"{name} is read-only and cannot be filled")
    if target.kind == "text":
        if target.spec is not None and target.spec.kind == "date":
            value = _date_text(name, value)
        if value is not None and not isinstance(value, str):
            raise AnswerError(f"{name} is a text field: give a string or null, not {_type(value)}")
        max_len = target.node.get("/MaxLen")
        if value is not None and max_len is not None and len(value) > int(max_len):
            raise AnswerError(f"{name} holds at most {int(max_len)} characters, the answer has {len(value)}")
        return value
    if target.kind == "checkbox":
        if value is not None and not isinstance(value, bool):
            raise AnswerError(f"{name} is a checkbox: give true, false or null, not {_type(value)}")
        if value and not target.states:
            raise AnswerError(f"{name} is a checkbox without an on-state appearance: the blank is damaged")
        return bool(value)
    if target.kind == "radio":
        if value is not None and (not isinstance(value, str) or value not in target.states):
            options = _listed(list(target.states))
            raise AnswerError(f"{name}: {value!r} is not one of its options ({options}) or null")
        return value
    raise AnswerError(f"{name} is not a field werkbladen fills (not text, checkbox or choice)")


def _date_text(name: str, value: Any) -> Any:
    """An ISO date as the form shows dates (``dd-mm-jjjj``); any other text as it is."""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, str) and (match := _ISO_DATE.match(value)):
        year, month, day = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day).strftime("%d-%m-%Y")
        except ValueError:
            raise AnswerError(f"{name}: {value!r} is not a date in the calendar") from None
    return value


def _box(widget: DictionaryObject, target: _Target, acroform: DictionaryObject) -> Box:
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


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_MAX_LISTED])
    return shown + (f" and {len(names) - _MAX_LISTED} more" if len(names) > _MAX_LISTED else "")


def _type(value: object) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


__all__ = ["Filled", "fill", "fill_form"]
