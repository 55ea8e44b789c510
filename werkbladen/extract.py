"""``extract()``: a filled PDF in, validated answers out, and never an exception for a bad input.

Every input gets exactly one :class:`ExtractResult`: ``ok``, ``warnings`` (read, but look at
what is said), or a named failure with a one-line reason. Only the caller's own mistakes
(a wrong argument type) raise. Time and memory limits need a process boundary and live in
:mod:`werkbladen.batch`; the size, node and depth limits apply here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from werkbladen.errors import (
    FAILED,
    FlattenedError,
    NotAFormError,
    NotAWerkbladError,
    ReadError,
    Status,
    TooLargeError,
    UnsupportedError,
)
from werkbladen.limits import DEFAULT_LIMITS, Limits
from werkbladen.naming import TEMPLATE_FIELD, WERKBOEK, FieldSpec, TemplateId
from werkbladen.reader.precheck import check_bytes, too_large_reason

if TYPE_CHECKING:
    from pydantic import BaseModel

    from werkbladen.answers import Plan
    from werkbladen.model import Werkboek
    from werkbladen.reader import RawField, RawForm

Source = str | os.PathLike[str] | bytes
_LISTED = 10
"""Names listed in one warning line before ``…``."""


@dataclass(frozen=True, slots=True)
class ExtractResult:
    """One input's result. ``answers`` and ``respondent`` are instances of the answer models.

    The values are kept as read (``answer_values``, ``respondent_values``: plain Python, in
    werkboek order) and validated into the answer models on first access, so that a run that
    only writes records (the CLI, a batch) never builds the models.
    """

    file: str | None
    status: Status
    reason: str | None = None
    werkblad: str | None = None
    content_version: str | None = None
    respondent_values: dict[str, Any] | None = None
    answer_values: dict[str, Any] | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    plan: Plan | None = field(default=None, repr=False, compare=False)
    _models: dict[str, BaseModel] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when the answers were read (status ``ok`` or ``warnings``)."""
        return self.status not in FAILED

    @property
    def answers(self) -> BaseModel | None:
        """The answers as an instance of the template's answer model (None for a failure)."""
        return self._model("answers", self.answer_values)

    @property
    def respondent(self) -> BaseModel | None:
        """The respondent block as an instance of the respondent model (None for a failure)."""
        return self._model("respondent", self.respondent_values)

    def _model(self, which: str, values: dict[str, Any] | None) -> BaseModel | None:
        if values is None or self.plan is None:
            return None
        if which not in self._models:
            model = self.plan.answers_model if which == "answers" else self.plan.respondent_model
            self._models[which] = model.model_validate(values)
        return self._models[which]

    def to_record(self) -> dict[str, Any]:
        """The contract's record: plain JSON-able values, answers in werkboek order."""
        return {
            "file": self.file,
            "status": self.status,
            "reason": self.reason,
            "werkblad": self.werkblad,
            "content_version": self.content_version,
            "respondent": _jsonable(self.respondent_values or {}),
            "answers": _jsonable(self.answer_values or {}),
            "extras": dict(self.extras),
            "warnings": list(self.warnings),
            "details": dict(self.details),
        }


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """What ``model_dump(mode="json")`` gives for these values: dates as ISO text, rows as dicts."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, list):
            value = [_jsonable(row) for row in value]
        out[key] = value
    return out


def failure(file: str | None, status: Status, reason: str, **details: Any) -> ExtractResult:
    """A result for an input that could not be read."""
    return ExtractResult(file=file, status=status, reason=reason, details=details)


def extract(
    source: Source,
    *,
    password: str | None = None,
    werkboek: Werkboek | None = None,
    limits: Limits = DEFAULT_LIMITS,
    fast_path: bool = True,
) -> ExtractResult:
    """Read a filled werkblad PDF (a path or its bytes) into validated answers.

    Failures come back as a result with a failure ``status`` and ``reason``, never raised.
    ``werkboek`` defaults to the shipped content; an empty user password opens without asking.
    ``fast_path=False`` reads with pypdf even a regular file (the result is the same; tests
    compare the two).
    """
    file = None if isinstance(source, bytes) else os.fspath(source)
    if werkboek is None:
        from werkbladen.loader import shipped_werkboek

        werkboek = shipped_werkboek()
    log: list[str] = []
    try:
        data = source if isinstance(source, bytes) else _read(Path(os.fspath(source)), limits)
        damage = check_bytes(data, limits)
        fast = None if damage or not fast_path else _lean(data, limits)
        if fast is not None:
            return _interpret(file, fast[0], fast[1], damage, [], werkboek)
        from werkbladen.reader import PYPDF, info_template, open_pdf, reading
        from werkbladen.reader.walker import walk_form

        with reading(limits) as log:
            reader = open_pdf(data, password)
            form = walk_form(reader.root_object, PYPDF, limits)
            info = info_template(reader)
            return _interpret(file, form, info, damage, list(log), werkboek)
    except (Exception, MemoryError, RecursionError) as exc:
        error = _read_error(exc)
        return failure(file, _status(error), str(error), **({"pdf_log": list(log)} if log else {}))


def _lean(data: bytes, limits: Limits) -> tuple[RawForm, str | None] | None:
    """The fast path's reading of a regular file, or None: then pypdf reads it."""
    from werkbladen.reader import lexer, xref

    try:
        return xref.read(data, limits)
    except lexer.Fallback:
        return None


def _read_error(exc: BaseException) -> ReadError:
    if isinstance(exc, ReadError):
        return exc
    from werkbladen.reader import as_read_error

    return as_read_error(exc)


def read_raw(
    source: Source, *, password: str | None = None, limits: Limits = DEFAULT_LIMITS, fast_path: bool = True
) -> dict[str, Any]:
    """The fields of any AcroForm PDF: fully qualified name → normalised value, as a record."""
    file = None if isinstance(source, bytes) else os.fspath(source)
    record: dict[str, Any] = {"file": file, "status": "ok", "reason": None, "fields": {}, "warnings": []}
    try:
        data = source if isinstance(source, bytes) else _read(Path(os.fspath(source)), limits)
        damage = check_bytes(data, limits)
        fast = None if damage or not fast_path else _lean(data, limits)
        if fast is not None:
            form, log_lines = fast[0], []
        else:
            from werkbladen.reader import PYPDF, open_pdf, reading
            from werkbladen.reader.walker import walk_form

            with reading(limits) as log:
                form = walk_form(open_pdf(data, password).root_object, PYPDF, limits)
                log_lines = list(log)
    except (Exception, MemoryError, RecursionError) as exc:
        error = _read_error(exc)
        return {**record, "status": _status(error), "reason": str(error)}
    warnings = list(form.warnings)
    details: dict[str, Any] = {}
    for name, fields in form.by_name().items():
        record["fields"][name] = fields[0].value
        if len(fields) > 1:
            warnings.append(f"field {name!r} occurs {len(fields)} times; the first value is used")
            details.setdefault("duplicates", {})[name] = [f.value for f in fields]
    if log_lines:
        warnings.append(_REPAIRED)
        details["pdf_log"] = log_lines
    if damage:
        return {**record, "status": "damaged", "reason": damage[0], "warnings": warnings, "details": details}
    if not form.fields:
        error = _no_fields(form, None)
        return {**record, "status": _status(error), "reason": str(error), "warnings": warnings}
    status = "warnings" if warnings else "ok"
    return {**record, "status": status, "warnings": warnings, **({"details": details} if details else {})}


_REPAIRED = (
    "the PDF has structural errors that were repaired while reading (see details.pdf_log); check the answers"
)


def _read(path: Path, limits: Limits) -> bytes:
    try:
        size = path.stat().st_size
        if size > limits.max_size:
            raise TooLargeError(too_large_reason(size, limits))
        with path.open("rb") as fh:
            return fh.read(limits.max_size + 1)
    except OSError as exc:
        raise ReadError(f"cannot read the file ({exc.strerror or exc})") from None


def _status(error: ReadError) -> Status:
    status: Status = error.status  # type: ignore[assignment]
    return status


def _no_fields(form: RawForm, info: str | None) -> ReadError:
    if form.has_xfa:
        return UnsupportedError(
            "an XFA form (Adobe LiveCycle) without AcroForm fields; it cannot be read as data"
        )
    template = TemplateId.parse(info) if info else None
    if template is not None:
        return FlattenedError(
            f"werkblad {template.werkblad} (content version {template.version}) with its fields flattened "
            "into the page: the answers are no longer data; ask for the filled-in form itself"
        )
    if form.has_acroform and form.has_page_content:
        return FlattenedError(
            "the form has no fields left (flattened, or printed to PDF); ask for the filled-in form itself"
        )
    return NotAFormError("the PDF has no form fields")


def _interpret(
    file: str | None, form: RawForm, info: str | None, damage: list[str], log: list[str], werkboek: Werkboek
) -> ExtractResult:
    if not form.fields:
        raise _no_fields(form, info)
    from werkbladen.answers import RESPONDENT_PREFIX, plan_for
    from werkbladen.reader import identify

    steps = _steps(werkboek)
    identity = identify(form, info, lambda: _names_by_step(werkboek, steps))
    template = identity.template
    if template is None:
        raise NotAWerkbladError(
            f"a form with {len(form.fields)} field{'' if len(form.fields) == 1 else 's'}, "
            "but not a werkblad: it has no werkbladen template id"
        )
    if template.werkblad != WERKBOEK and template.werkblad not in steps:
        raise NotAWerkbladError(
            f"template {template} names werkblad {template.werkblad!r}, "
            "which the current content does not have"
        )
    plan = plan_for(werkboek, template.werkblad)
    warnings: list[str] = list(identity.warnings)
    details: dict[str, Any] = {}
    if template.version and template.version != werkboek.version:
        warnings.append(
            f"the form is from content version {template.version}, the current content is "
            f"{werkboek.version}; fields were matched by name"
        )
    warnings.extend(form.warnings)
    reading = _Reading(form.by_name(), warnings, details)
    answers = reading.answers(plan)
    respondent = {s.name.removeprefix(RESPONDENT_PREFIX): reading.value(s) for s in plan.respondent}
    extras = reading.extras(plan)
    if reading.missing:
        shown = ", ".join(reading.missing[:_LISTED]) + (" …" if len(reading.missing) > _LISTED else "")
        warnings.append(
            f"{len(reading.missing)} fields of {template.werkblad} (content version {werkboek.version}) "
            f"are not in this PDF and read as empty: {shown}"
        )
        details["missing_fields"] = reading.missing
    if log:
        warnings.append(_REPAIRED)
        details["pdf_log"] = log
    _check(plan, answers, respondent)
    status: Status = "damaged" if damage else ("warnings" if warnings else "ok")
    return ExtractResult(
        file=file,
        status=status,
        reason=damage[0] if damage else None,
        werkblad=template.werkblad,
        content_version=template.version or None,
        respondent_values=respondent,
        answer_values=answers,
        extras=extras,
        warnings=tuple(warnings),
        details=details,
        plan=plan,
    )


def _check(plan: Plan, answers: dict[str, Any], respondent: dict[str, Any]) -> None:
    """The answer model's checks, without building it: each value has its field's type.

    ``_coerce`` makes them so; this keeps a mistake there from ever reaching a record.
    """
    from werkbladen.answers import RESPONDENT_PREFIX, TablePlan

    bad: list[str] = []
    for entry in plan.entries:
        if isinstance(entry, TablePlan):
            rows = answers.get(entry.key)
            want = [row for row, _ in entry.rows]
            if not isinstance(rows, list) or [r.get("row") for r in rows] != want:
                bad.append(entry.key)
                continue
            for row, (_, cells) in zip(rows, entry.rows, strict=True):
                if set(row) != {"row", *(c.column for c in cells if c.column)}:
                    bad.append(entry.key)
                bad.extend(c.name for c in cells if c.column and not _fits(c, row.get(c.column)))
        elif entry.name not in answers or not _fits(entry, answers[entry.name]):
            bad.append(entry.name)
    for spec in plan.respondent:
        key = spec.name.removeprefix(RESPONDENT_PREFIX)
        if key not in respondent or not _fits(spec, respondent[key]):
            bad.append(spec.name)
    if bad or len(answers) != len(plan.entries) or len(respondent) != len(plan.respondent):
        raise ReadError(f"the answers do not fit the answer model ({len(bad) or 1} errors)")


def _fits(spec: FieldSpec, value: Any) -> bool:
    if spec.kind == "checkbox":
        return type(value) is bool
    if spec.kind == "choice":
        return value is None or value in {v for v, _ in spec.options}
    if spec.kind == "date":
        return value is None or type(value) in (str, dt.date)
    return value is None or type(value) is str


def _steps(werkboek: Werkboek) -> list[str]:
    from werkbladen.answers import templates

    return [t for t in templates(werkboek) if t != WERKBOEK]


def _names_by_step(werkboek: Werkboek, steps: list[str]) -> dict[str, frozenset[str]]:
    """Each step's own field names, to recognise a form whose template identity is gone."""
    respondent = {s.name for s in werkboek.respondent_fields()}
    return {t: frozenset(s.name for s in werkboek.form_fields(t)) - respondent for t in steps}


class _Reading:
    """Matching the PDF's fields to a plan by name; collects warnings, extras and what is missing."""

    def __init__(
        self, fields: dict[str, list[RawField]], warnings: list[str], details: dict[str, Any]
    ) -> None:
        self.fields = fields
        self.warnings = warnings
        self.details = details
        self.missing: list[str] = []
        self.off_plan: dict[str, Any] = {}

    def warn(self, name: str, message: str) -> None:
        self.warnings.append(f"field {name!r}: {message}")

    def value(self, spec: FieldSpec) -> Any:
        found = self.fields.get(spec.name)
        if not found:
            self.missing.append(spec.name)
            return False if spec.kind == "checkbox" else None
        if len(found) > 1:
            self.warn(
                spec.name, f"occurs {len(found)} times; the first value is used (all in details.duplicates)"
            )
            self.details.setdefault("duplicates", {})[spec.name] = [f.value for f in found]
        return _coerce(spec, found[0], lambda m: self.warn(spec.name, m), self.off_plan)

    def answers(self, plan: Plan) -> dict[str, Any]:
        from werkbladen.answers import TablePlan

        out: dict[str, Any] = {}
        for entry in plan.entries:
            if isinstance(entry, TablePlan):
                out[entry.key] = [
                    {"row": row, **{c.column: self.value(c) for c in cells if c.column}}
                    for row, cells in entry.rows
                ]
            else:
                out[entry.name] = self.value(entry)
        return out

    def extras(self, plan: Plan) -> dict[str, Any]:
        extras = dict(self.off_plan)
        unknown = [
            name
            for name, found in self.fields.items()
            if name not in plan.specs and name != TEMPLATE_FIELD and found[0].kind != "pushbutton"
        ]
        for name in unknown:
            extras[name] = self.fields[name][0].value
        if unknown:
            shown = ", ".join(unknown[:_LISTED]) + (" …" if len(unknown) > _LISTED else "")
            self.warnings.append(
                f"{len(unknown)} fields are not in the current content of {plan.template}; "
                f"kept under extras: {shown}"
            )
        return extras


_TEXT_KINDS = frozenset({"text", "choice", "unknown"})
_BUTTONS = frozenset({"checkbox", "radio"})


def _coerce(spec: FieldSpec, raw: RawField, warn: Callable[[str], None], off_plan: dict[str, Any]) -> Any:
    """A raw field's value as the answer type of ``spec``; what does not fit goes to extras."""
    from werkbladen.reader import parse_date

    if spec.kind == "checkbox":
        if raw.kind in _BUTTONS:
            return raw.state is not None
    elif spec.kind == "choice":
        value = raw.state if raw.kind in _BUTTONS else raw.value
        if value is None:
            return None
        if isinstance(value, str):
            if value in {v for v, _ in spec.options}:
                return value
            off_plan[spec.name] = value
            warn(
                f"{value!r} is not on its scale ({', '.join(v for v, _ in spec.options)}); kept under extras"
            )
            return None
    elif raw.kind in _TEXT_KINDS and (raw.value is None or isinstance(raw.value, str)):
        if spec.kind == "date" and isinstance(raw.value, str):
            date = parse_date(raw.value)
            if date is None:
                warn(f"{raw.value!r} is not a date as dd-mm-jjjj; kept as typed")
                return raw.value
            return date
        return raw.value
    off_plan[spec.name] = raw.value
    warn(f"expected a {spec.kind} field, found a {raw.kind} field; its value is kept under extras")
    return False if spec.kind == "checkbox" else None


__all__ = ["ExtractResult", "extract", "failure", "read_raw"]
