"""The exceptions werkbladen raises, all under one base class.

::

    WerkbladenError
    ├── ContentError        a content file is missing, not YAML, or breaks the schema
    ├── AnswerError         answers given to ``fill`` do not fit the form
    ├── OutputError         the output cannot be written (an input, a folder, a format limit)
    └── ReadError           a PDF cannot be read as a werkblad
        ├── NotAFormError       no AcroForm (or a flattened one)
        │   └── ScannedError    pages that are pictures, without a text layer
        ├── NotAWerkbladError   a form, but not one of ours
        ├── EncryptedError      needs a password, or the password is wrong
        ├── DamagedError        broken or truncated beyond what can be trusted
        ├── UnsupportedError    XFA-only and other forms we cannot read
        └── TooLargeError       over an input or work limit

Every message says what was wrong and, where there is one, what to do about it. The
CLI catches only :class:`WerkbladenError` and turns it into a one-line message.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Exactly one per input. ``ok``, ``warnings`` and ``recovered`` mean the answers were read,
    ``skipped`` that it was not a werkblad found inside a folder, zip or e-mail; the rest name a failure.

    A ``str``: records hold it as it is and JSON, CSV and XLSX write its value.
    """

    OK = "ok"
    WARNINGS = "warnings"
    NOT_A_WERKBLAD = "not_a_werkblad"
    NO_FORM = "no_form"
    FLATTENED = "flattened"
    ENCRYPTED = "encrypted"
    DAMAGED = "damaged"
    UNSUPPORTED = "unsupported"
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    ERROR = "error"
    SKIPPED = "skipped"
    """Found inside a folder, zip or e-mail, and not a werkblad (a cover letter, an image): not a failure."""
    RECOVERED = "recovered"
    """A printed or flattened werkblad: its answers were read from the page (see ``details.recovered``)."""
    SCANNED = "scanned"
    """Pages that are pictures without a text layer (a scan): nothing to read without OCR."""


STATUSES: tuple[Status, ...] = tuple(Status)
READ_STATUSES: frozenset[Status] = frozenset({Status.OK, Status.WARNINGS, Status.RECOVERED})
"""The answers are in the record. ``recovered`` counts: the coordinator has the answers to check,
not a file to chase; that they came from the page is said by the status and ``details.recovered``."""
FAILED: frozenset[Status] = frozenset(STATUSES) - READ_STATUSES - {Status.SKIPPED}


class WerkbladenError(Exception):
    """Base class of every error werkbladen raises on purpose."""


class ContentError(WerkbladenError):
    """A content file is missing, unreadable or invalid; the message names file and place."""


class AnswerError(WerkbladenError):
    """Answers do not fit the form: unknown field, wrong type, or an option not on the scale."""


class OutputError(WerkbladenError):
    """The output cannot be written: it is an input, a folder, unwritable, or over a format's limit."""


class ReadError(WerkbladenError):
    """A PDF could not be read as a werkblad. ``status`` is the batch status it maps to."""

    status: Status = Status.ERROR


class NotAFormError(ReadError):
    status: Status = Status.NO_FORM


class FlattenedError(NotAFormError):
    status: Status = Status.FLATTENED


class ScannedError(NotAFormError):
    status: Status = Status.SCANNED


class NotAWerkbladError(ReadError):
    status: Status = Status.NOT_A_WERKBLAD


class EncryptedError(ReadError):
    status: Status = Status.ENCRYPTED


class DamagedError(ReadError):
    status: Status = Status.DAMAGED


class UnsupportedError(ReadError):
    status: Status = Status.UNSUPPORTED


class TooLargeError(ReadError):
    status: Status = Status.TOO_LARGE
