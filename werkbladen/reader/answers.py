"""Pydantic answer models derived from the content, and the JSON Schema of an extract record.

One model per PDF template (``werkboek``, ``stap1`` …): a field per question in werkboek order,
typed by kind (text ``str``, checkbox ``bool``, choice the option value from its scale, date
``date`` or the text as typed), and one list per table whose items are the table's rows, told
apart by their ``row`` id. Models are built once per werkboek and cached: a batch validates
thousands of records against the same few classes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, create_model

from werkbladen.content.model import Werkboek
from werkbladen.content.naming import WERKBOEK, FieldSpec
from werkbladen.errors import Status
from werkbladen.record import RECORD_KEYS, is_respondent, respondent_key, table_key

_CONFIG = ConfigDict(extra="forbid", protected_namespaces=(), frozen=True)


@dataclass(frozen=True, slots=True)
class TablePlan:
    """A table's answers: key ``<werkblad>_<table>``, its rows with their fillable cells."""

    key: str
    rows: tuple[tuple[str, tuple[FieldSpec, ...]], ...]


Entry: TypeAlias = FieldSpec | TablePlan


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything the reader needs for one template, computed once; the models on first use."""

    template: str
    version: str
    respondent: tuple[FieldSpec, ...]
    entries: tuple[Entry, ...]
    specs: dict[str, FieldSpec]
    """Every PDF field name of the template (respondent included) → its spec."""
    _models: dict[str, type[BaseModel]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def answers_model(self) -> type[BaseModel]:
        """The Pydantic model of this template's answers (built once, on first use)."""
        if "answers" not in self._models:
            self._models["answers"] = _answers_model(self)
        return self._models["answers"]

    @property
    def respondent_model(self) -> type[BaseModel]:
        """The Pydantic model of the respondent block."""
        if "respondent" not in self._models:
            fields: dict[str, Any] = {respondent_key(s.name): (value_type(s), None) for s in self.respondent}
            self._models["respondent"] = create_model("Respondent", __config__=_CONFIG, **fields)
        return self._models["respondent"]


def value_type(spec: FieldSpec) -> Any:
    """The Python type of one field's answer."""
    if spec.kind == "checkbox":
        return bool
    if spec.kind == "choice":
        values = tuple(value for value, _ in spec.options)
        return Literal[values] | None
    if spec.kind == "date":
        return dt.date | str | None
    return str | None


def _field(spec: FieldSpec) -> Any:
    return (value_type(spec), Field(description=spec.tooltip))


def _entries(specs: list[FieldSpec]) -> tuple[Entry, ...]:
    entries: list[Entry] = []
    tables: dict[str, dict[str, list[FieldSpec]]] = {}
    for spec in specs:
        if spec.table is None:
            entries.append(spec)
            continue
        key = table_key(spec)
        if key not in tables:
            tables[key] = {}
            entries.append(TablePlan(key, ()))
        assert spec.row is not None
        tables[key].setdefault(spec.row, []).append(spec)
    return tuple(
        TablePlan(e.key, tuple((row, tuple(cells)) for row, cells in tables[e.key].items()))
        if isinstance(e, TablePlan)
        else e
        for e in entries
    )


def _model_name(text: str) -> str:
    return "".join(part.capitalize() for part in text.split("_"))


def _table_type(table: TablePlan) -> Any:
    rows = []
    for row_id, cells in table.rows:
        fields: dict[str, Any] = {"row": (Literal[row_id], ...)}
        for spec in cells:
            assert spec.column is not None
            fields[spec.column] = _field(spec)
        rows.append(
            create_model(f"{_model_name(table.key)}{_model_name(row_id)}Row", __config__=_CONFIG, **fields)
        )
    if len(rows) == 1:
        return list[rows[0]]  # type: ignore[valid-type]
    union: Any = Annotated[_union(rows), Field(discriminator="row")]
    return list[union]


def _union(types: list[Any]) -> Any:
    out = types[0]
    for t in types[1:]:
        out = out | t
    return out


def build_plan(werkboek: Werkboek, template: str) -> Plan:
    """The plan of one template (``werkboek`` or a werkblad id); its models are built when used."""
    specs = werkboek.form_fields(template)
    respondent = tuple(s for s in specs if is_respondent(s.name))
    fields = [s for s in specs if not is_respondent(s.name)]
    return Plan(
        template=template,
        version=werkboek.version,
        respondent=respondent,
        entries=_entries(fields),
        specs={s.name: s for s in specs},
    )


def _answers_model(plan: Plan) -> type[BaseModel]:
    model_fields: dict[str, Any] = {}
    for entry in plan.entries:
        if isinstance(entry, TablePlan):
            model_fields[entry.key] = (_table_type(entry), Field(description=f"table {entry.key}"))
        else:
            model_fields[entry.name] = _field(entry)
    model: type[BaseModel] = create_model(
        f"{_model_name(plan.template)}Answers",
        __config__=_CONFIG,
        __doc__=f"The answers of {plan.template}, content version {plan.version}.",
        **model_fields,
    )
    return model


_CACHE: dict[int, tuple[Werkboek, dict[str, Plan]]] = {}


def plan_for(werkboek: Werkboek, template: str) -> Plan:
    """:func:`build_plan`, cached per werkboek object and template."""
    held = _CACHE.get(id(werkboek))
    if held is None or held[0] is not werkboek:
        held = _CACHE[id(werkboek)] = (werkboek, {})
    plans = held[1]
    if template not in plans:
        plans[template] = build_plan(werkboek, template)
    return plans[template]


def templates(werkboek: Werkboek) -> list[str]:
    """The template ids that have a PDF: ``werkboek`` and every werkblad with fields."""
    scales = werkboek.scale_map
    return [WERKBOEK] + [w.id for w in werkboek.werkbladen if any(True for _ in w.fields(scales))]


class _NoAnswers(BaseModel):
    """The answers of a record that could not be read: none."""

    model_config = _CONFIG


def record_model(werkboek: Werkboek) -> type[BaseModel]:
    """A model of the whole extract record, for the JSON Schema."""
    answer_models = tuple(plan_for(werkboek, t).answers_model for t in templates(werkboek))
    respondent_model = plan_for(werkboek, WERKBOEK).respondent_model
    model: type[BaseModel] = create_model(
        "ExtractRecord",
        __config__=ConfigDict(extra="forbid", protected_namespaces=()),
        __doc__=f"One input's result of `werkbladen extract` (content version {werkboek.version}).",
        file=(str | None, Field(description="the file on disk that was read (for a member: its container)")),
        source=(str | None, Field(description="the path down to the PDF: container/member, or the file")),
        sha256=(str | None, Field(description="SHA-256 of the PDF's bytes, hex")),
        sender=(str | None, Field(description="the e-mail's From, for an attachment")),
        sent=(str | None, Field(description="the e-mail's Date (ISO 8601), for an attachment")),
        modified=(str | None, Field(description="the PDF's modification date (ISO 8601)")),
        status=(_STATUS_VALUES, Field(description="ok, warnings and recovered mean the answers were read")),
        reason=(str | None, Field(description="why the input failed, one line")),
        werkblad=(str | None, Field(description="the template: werkboek or a werkblad id")),
        content_version=(str | None, Field(description="the content version the form was made from")),
        respondent=(respondent_model, ...),
        answers=(_union([*answer_models, _NoAnswers]), ...),
        extras=(dict[str, Any], Field(description="fields the current content does not know")),
        warnings=(list[str], ...),
        duplicate_of=(str | None, Field(description="the source of an earlier input with the same bytes")),
        superseded_by=(str | None, Field(description="the source of the newer form that replaces this one")),
        conflicts=(list[_Conflict], Field(description="other current forms answering fields differently")),
        details=(dict[str, Any], Field(default_factory=dict)),
    )
    assert tuple(model.model_fields) == RECORD_KEYS, "the schema and werkbladen.record.Record disagree"
    return model


class _Conflict(BaseModel):
    """Another form of the same organisation with other answers to these fields."""

    model_config = ConfigDict(extra="forbid")
    source: str
    fields: list[str]


_STATUS_VALUES: Any = Literal[tuple(s.value for s in Status)]
"""The statuses as a ``Literal``, so that the schema lists them inline as it always has."""


def json_schema(werkboek: Werkboek) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one extract record."""
    schema = record_model(werkboek).model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
