"""Answers checked against a blank's fields before anything is written.

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
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from pypdf.generic import DictionaryObject

from werkbladen.content.model import Werkboek
from werkbladen.content.naming import WERKBOEK, FieldSpec, TemplateId
from werkbladen.errors import READ_STATUSES, AnswerError
from werkbladen.pdfspec import OFF, FieldFlag, FieldType
from werkbladen.reader.walker import Terminal
from werkbladen.record import RECORD_KEYS, RESPONDENT, RESPONDENT_PREFIX, table_key

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MAX_LISTED = 5


def one_record(answers: object) -> Mapping[str, Any]:
    if isinstance(answers, Sequence) and not isinstance(answers, str | bytes):
        if len(answers) != 1:
            raise AnswerError(
                f"verwacht werden de antwoorden van één formulier, maar dit is een lijst van {len(answers)} "
                "records: vul per record één leeg formulier in"
            )
        answers = answers[0]
    if not isinstance(answers, Mapping):
        raise AnswerError(
            "de antwoorden moeten één record (een object) zijn, zoals `werkbladen extract` het geeft"
        )
    unknown = sorted(str(k) for k in answers if k not in RECORD_KEYS)
    if unknown:
        raise AnswerError(
            f"onbekende sleutel(s) in het record met antwoorden: {_listed(unknown)}; "
            "verwacht werden respondent, answers of extras"
        )
    status = answers.get("status")
    if status is not None and status not in READ_STATUSES:
        raise AnswerError(f"het record heeft status {status!r}: er staan geen antwoorden in om in te vullen")
    for key in ("respondent", "answers", "extras"):
        if answers.get(key) is not None and not isinstance(answers[key], Mapping):
            raise AnswerError(f"{key!r} in de antwoorden moet een object met namen en waarden zijn")
    return answers


@dataclass
class Target:
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


def target_of(terminal: Terminal) -> Target:
    # The walk of pypdf's objects yields pypdf's dictionaries.
    node = cast(DictionaryObject, terminal.node)
    widgets = cast(list[DictionaryObject], terminal.widgets)
    ft, flags = terminal.inherited.ft, terminal.inherited.ff
    states: tuple[str, ...] = ()
    if ft == FieldType.TEXT:
        kind = "text"
    elif ft == FieldType.BUTTON and not flags & FieldFlag.PUSHBUTTON:
        kind = "radio" if flags & FieldFlag.RADIO else "checkbox"
        states = tuple(dict.fromkeys(s for w in widgets for s in on_states(w)))
    else:
        kind = "other"
    return Target(terminal.name, node, widgets, kind, flags, states)


def on_states(widget: DictionaryObject) -> list[str]:
    ap = widget.get("/AP")
    normal = ap.get_object().get("/N") if ap is not None else None
    normal = normal.get_object() if normal is not None else None
    if not isinstance(normal, DictionaryObject):
        return []
    return [str(k)[1:] for k in normal if k != f"/{OFF}"]


def plan_answers(
    record: Mapping[str, Any],
    template: TemplateId,
    fields: Mapping[str, Target],
    werkboek: Werkboek,
    skip_unknown: bool,
    notes: list[str],
) -> list[tuple[Target, str | bool | None]]:
    """Check every answer against the blank and return (field, value) pairs to write."""
    given_werkblad = record.get("werkblad")
    if given_werkblad not in (None, template.werkblad, WERKBOEK) and template.werkblad != WERKBOEK:
        raise AnswerError(
            f"de antwoorden zijn van {given_werkblad!r}, maar het lege formulier is {template.werkblad!r}: "
            "vul het lege formulier van hetzelfde werkblad in, of het werkboek"
        )
    version = record.get("content_version")
    if version is not None and str(version) != template.version:
        notes.append(
            f"de antwoorden zijn van inhoudsversie {version}, het lege formulier van versie "
            f"{template.version}: de velden zijn op naam gekoppeld"
        )
    specs = {s.name: s for s in werkboek.form_fields(WERKBOEK)}
    tables = _tables(specs.values())
    elsewhere = given_werkblad == WERKBOEK and template.werkblad != WERKBOEK
    unknown: list[str] = []
    left_out: list[str] = []
    planned: dict[str, tuple[Target, str | bool | None]] = {}

    def take(name: str, value: Any, source: str) -> None:
        target = fields.get(name)
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
        take(f"{RESPONDENT_PREFIX}{key}", value, RESPONDENT)
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
            f"het lege formulier ({template}) heeft geen veld {_listed(unknown)}: controleer de namen, "
            "of laat ze weg met --skip-unknown (skip_unknown=True)"
        )
    if unknown:
        notes.append(
            f"{len(unknown)} antwoord(en) weggelaten waarvoor het lege formulier geen veld heeft: "
            f"{_listed(unknown)}"
        )
    if left_out:
        notes.append(
            f"{len(left_out)} antwoord(en) weggelaten voor velden die niet op dit lege formulier staan: "
            f"{_listed(left_out)}"
        )
    return list(planned.values())


def _tables(specs: Iterable[FieldSpec]) -> dict[str, dict[tuple[str, str], str]]:
    """``{"stap4_resultaten": {("r2", "indicator"): "stap4_resultaten_r2_indicator", ...}}``."""
    tables: dict[str, dict[tuple[str, str], str]] = {}
    for spec in specs:
        if spec.table and spec.row and spec.column:
            tables.setdefault(table_key(spec), {})[(spec.row, spec.column)] = spec.name
    return tables


def _cells(table: str, rows: list[Any], cells: dict[tuple[str, str], str]) -> Iterator[tuple[str, Any]]:
    row_ids = {r for r, _ in cells}
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping) or not isinstance(row.get("row"), str):
            raise AnswerError(f'{table}[{i}]: elke rij van de tabel moet een object met een "row"-id zijn')
        if row["row"] not in row_ids:
            raise AnswerError(f"{table}: geen rij {row['row']!r}; de rijen zijn {_listed(sorted(row_ids))}")
        for column, value in row.items():
            if column == "row":
                continue
            name = cells.get((row["row"], column))
            if name is None:
                columns = sorted(c for r, c in cells if r == row["row"])
                raise AnswerError(
                    f"{table}, rij {row['row']!r}: geen in te vullen kolom {column!r}; "
                    f"de kolommen zijn {_listed(columns)}"
                )
            yield name, value


def _checked(target: Target, value: Any) -> str | bool | None:
    """``value`` as it is written into ``target``, or an :class:`AnswerError` saying why it cannot be."""
    name = target.name
    if target.flags & FieldFlag.READ_ONLY:
        raise AnswerError(f"{name} is alleen-lezen en kan niet worden ingevuld")
    if target.kind == "text":
        if target.spec is not None and target.spec.kind == "date":
            value = _date_text(name, value)
        if value is not None and not isinstance(value, str):
            raise AnswerError(f"{name} is een tekstveld: geef een tekst of null, geen {_type(value)}")
        max_len = target.node.get("/MaxLen")
        if value is not None and max_len is not None and len(value) > int(max_len):
            raise AnswerError(
                f"{name} kan hoogstens {int(max_len)} tekens bevatten, het antwoord heeft er {len(value)}"
            )
        return value
    if target.kind == "checkbox":
        if value is not None and not isinstance(value, bool):
            raise AnswerError(f"{name} is een aankruisvakje: geef true, false of null, geen {_type(value)}")
        if value and not target.states:
            raise AnswerError(
                f"{name} is een aankruisvakje zonder uiterlijk voor 'aan': het lege formulier is beschadigd"
            )
        return bool(value)
    if target.kind == "radio":
        if value is not None and (not isinstance(value, str) or value not in target.states):
            options = _listed(list(target.states))
            raise AnswerError(f"{name}: {value!r} is geen van de keuzes ({options}) en ook geen null")
        return value
    raise AnswerError(
        f"{name} is geen veld dat werkbladen invult (geen tekstveld, aankruisvakje of keuzeveld)"
    )


def _date_text(name: str, value: Any) -> Any:
    """An ISO date as the form shows dates (``dd-mm-jjjj``); any other text as it is."""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, str) and (match := _ISO_DATE.match(value)):
        year, month, day = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day).strftime("%d-%m-%Y")
        except ValueError:
            raise AnswerError(f"{name}: {value!r} is geen datum die op de kalender bestaat") from None
    return value


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_MAX_LISTED])
    return shown + (f" en nog {len(names) - _MAX_LISTED}" if len(names) > _MAX_LISTED else "")


def _type(value: object) -> str:
    names = {bool: "true of false", int: "getal", float: "getal", list: "lijst", dict: "object"}
    return names.get(type(value), type(value).__name__)
