"""A walked form to a result: which werkblad, each field matched to the content, values coerced.

Everything is matched by the stable field names; what the content does not know is kept under
``extras`` and what it knows but the PDF lacks reads as empty, each with a warning, so that a form
from another content version is never silently misread. A form of an older *published* version
(``published-ids.json``) reads without those warnings for the fields added since: they are empty
because that version never asked them (listed under ``details.new_since_version``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from werkbladen.content.naming import TEMPLATE_FIELD, WERKBOEK, FieldSpec, TemplateId
from werkbladen.errors import (
    FlattenedError,
    NotAFormError,
    NotAWerkbladError,
    ReadError,
    Status,
    UnsupportedError,
)
from werkbladen.messages import ASK_FORM, fields, kind, listed
from werkbladen.reader.rawform import RawField, RawForm
from werkbladen.reader.result import REPAIRED, ExtractResult
from werkbladen.record import respondent_key

if TYPE_CHECKING:
    from werkbladen.content.model import Werkboek
    from werkbladen.reader.answers import Plan

OTHER_VERSION = "het formulier is van inhoudsversie"
"""How the warning about a form of another content version begins (:mod:`.recover` drops its own)."""


def no_fields(form: RawForm, info: str | None) -> ReadError:
    if form.has_xfa:
        return UnsupportedError(
            "een XFA-formulier (Adobe LiveCycle) zonder AcroForm-velden; de antwoorden zijn niet als "
            "gegevens te lezen"
        )
    template = TemplateId.parse(info) if info else None
    if template is not None:
        return FlattenedError(
            f"werkblad {template.werkblad} (inhoudsversie {template.version}) met de velden platgeslagen in "
            f"de pagina: de antwoorden zijn geen gegevens meer; {ASK_FORM}"
        )
    if form.has_acroform and form.has_page_content:
        return FlattenedError(
            f"het formulier heeft geen invulvelden meer (platgeslagen, of als PDF afgedrukt); {ASK_FORM}"
        )
    return NotAFormError("de PDF heeft geen invulvelden")


def interpret(
    file: str | None, form: RawForm, info: str | None, damage: list[str], log: list[str], werkboek: Werkboek
) -> ExtractResult:
    if not form.fields:
        raise no_fields(form, info)
    from werkbladen.reader import identify
    from werkbladen.reader.answers import plan_for

    steps = _steps(werkboek)
    identity = identify(form, info, lambda: _names_by_step(werkboek, steps))
    template = identity.template
    if template is None:
        raise NotAWerkbladError(
            f"een formulier met {fields(len(form.fields))}, maar geen werkblad: "
            "het heeft geen sjabloon-id van werkbladen"
        )
    if template.werkblad != WERKBOEK and template.werkblad not in steps:
        raise NotAWerkbladError(
            f"het sjabloon {template} noemt werkblad {template.werkblad!r}, dat de huidige inhoud niet heeft"
        )
    plan = plan_for(werkboek, template.werkblad)
    warnings: list[str] = list(identity.warnings)
    details: dict[str, Any] = {}
    released = werkboek.published.fields_of(template.version) if template.version else None
    if template.version and template.version != werkboek.version and released is None:
        warnings.append(
            f"{OTHER_VERSION} {template.version}, de huidige inhoud is versie "
            f"{werkboek.version}; de velden zijn op naam gekoppeld"
        )
    elif template.fingerprint and template.fingerprint != werkboek.fingerprint:
        warnings.append(
            f"het formulier is gemaakt met andere inhoud (versie {template.version}, vingerafdruk "
            f"{template.fingerprint}) dan waarmee het gelezen wordt (versie {werkboek.version}, "
            f"vingerafdruk {werkboek.fingerprint}); de velden zijn op naam gekoppeld (geef de juiste "
            "inhoud met --content)"
        )
    warnings.extend(form.warnings)
    reading = _Reading(form.by_name(), warnings, details)
    answers = reading.answers(plan)
    respondent = {respondent_key(s.name): reading.value(s) for s in plan.respondent}
    extras = reading.extras(plan)
    if released is not None and template.version != werkboek.version:
        # a field this published version never had is empty as expected, not missing
        new = [name for name in reading.missing if name not in released]
        if new:
            details["new_since_version"] = new
            reading.missing = [name for name in reading.missing if name in released]
    if reading.missing:
        one = len(reading.missing) == 1
        warnings.append(
            f"{fields(len(reading.missing))} van {template.werkblad} (inhoudsversie {werkboek.version}) "
            f"{'ontbreekt' if one else 'ontbreken'} in deze PDF en {'telt' if one else 'tellen'} als leeg: "
            f"{listed(reading.missing)}"
        )
        details["missing_fields"] = reading.missing
    if log:
        warnings.append(REPAIRED)
        details["pdf_log"] = log
    _check(plan, answers, respondent)
    status = Status.DAMAGED if damage else (Status.WARNINGS if warnings else Status.OK)
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
    from werkbladen.reader.answers import TablePlan

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
        key = respondent_key(spec.name)
        if key not in respondent or not _fits(spec, respondent[key]):
            bad.append(spec.name)
    if bad or len(answers) != len(plan.entries) or len(respondent) != len(plan.respondent):
        raise ReadError(
            f"de gelezen antwoorden passen niet in het antwoordmodel ({len(bad) or 1} fouten): "
            "een fout in werkbladen zelf; meld het met dit bestand"
        )


def _fits(spec: FieldSpec, value: Any) -> bool:
    if spec.kind == "checkbox":
        return type(value) is bool
    if spec.kind == "choice":
        return value is None or value in {v for v, _ in spec.options}
    if spec.kind == "date":
        return value is None or type(value) in (str, dt.date)
    return value is None or type(value) is str


def _steps(werkboek: Werkboek) -> list[str]:
    from werkbladen.reader.answers import templates

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
        self.warnings.append(f"veld {name!r}: {message}")

    def value(self, spec: FieldSpec) -> Any:
        found = self.fields.get(spec.name)
        if not found:
            self.missing.append(spec.name)
            return False if spec.kind == "checkbox" else None
        if len(found) > 1:
            self.warn(
                spec.name,
                f"komt {len(found)} keer voor; de eerste waarde is gebruikt (alle in details.duplicates)",
            )
            self.details.setdefault("duplicates", {})[spec.name] = [f.value for f in found]
        return _coerce(spec, found[0], lambda m: self.warn(spec.name, m), self.off_plan)

    def answers(self, plan: Plan) -> dict[str, Any]:
        from werkbladen.reader.answers import TablePlan

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
            self.warnings.append(
                f"{fields(len(unknown))} {'staat' if len(unknown) == 1 else 'staan'} niet in de huidige "
                f"inhoud van {plan.template}; bewaard onder extras: {listed(unknown)}"
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
                f"{value!r} is geen keuze van de schaal ({', '.join(v for v, _ in spec.options)}); "
                "bewaard onder extras"
            )
            return None
    elif raw.kind in _TEXT_KINDS and (raw.value is None or isinstance(raw.value, str)):
        if spec.kind == "date" and isinstance(raw.value, str):
            date = parse_date(raw.value)
            if date is None:
                warn(f"{raw.value!r} is geen datum als dd-mm-jjjj; bewaard zoals getypt")
                return raw.value
            return date
        return raw.value
    off_plan[spec.name] = raw.value
    warn(
        f"hoort een {kind(spec.kind)} te zijn, maar is een {kind(raw.kind)}; "
        "de waarde is bewaard onder extras"
    )
    return False if spec.kind == "checkbox" else None
