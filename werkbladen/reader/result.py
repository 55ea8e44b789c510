"""One input's result as Python (:class:`ExtractResult`) and as the record contract.

The values are plain Python as read; the answer models (Pydantic) are built only when asked for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from werkbladen.errors import READ_STATUSES, Status
from werkbladen.record import Record

if TYPE_CHECKING:
    from pydantic import BaseModel

    from werkbladen.reader.answers import Plan

REPAIRED = (
    "de PDF heeft fouten in de opbouw die bij het lezen zijn hersteld (zie details.pdf_log); "
    "controleer de antwoorden"
)


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
    sha256: str | None = None
    """Of the PDF's bytes, when they could be read."""
    modified: str | None = None
    """The PDF's ``/ModDate``, ISO 8601."""
    plan: Plan | None = field(default=None, repr=False, compare=False)
    _models: dict[str, BaseModel] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when the answers were read (status ``ok`` or ``warnings``)."""
        return self.status in READ_STATUSES

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

    def to_record(self) -> Record:
        """The contract's record: plain JSON-able values, answers in werkboek order."""
        return {
            "file": self.file,
            "source": self.file,
            "sha256": self.sha256,
            "sender": None,
            "sent": None,
            "modified": self.modified,
            "status": self.status,
            "reason": self.reason,
            "werkblad": self.werkblad,
            "content_version": self.content_version,
            "respondent": _jsonable(self.respondent_values or {}),
            "answers": _jsonable(self.answer_values or {}),
            "extras": dict(self.extras),
            "warnings": list(self.warnings),
            "duplicate_of": None,
            "superseded_by": None,
            "conflicts": [],
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
