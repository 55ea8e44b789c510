"""The exceptions werkbladen raises, all under one base class.

::

    WerkbladenError
    ├── ContentError        a content file is missing, not YAML, or breaks the schema
    ├── AnswerError         answers given to ``fill`` do not fit the form
    ├── OutputError         the output cannot be written (an input, a folder, a format limit)
    └── ReadError           a PDF cannot be read as a werkblad
        ├── NotAFormError       no AcroForm (or a flattened one)
        ├── NotAWerkbladError   a form, but not one of ours
        ├── EncryptedError      needs a password, or the password is wrong
        ├── DamagedError        broken or truncated beyond what can be trusted
        ├── UnsupportedError    XFA-only and other forms we cannot read
        └── TooLargeError       over an input or work limit

Every message says what was wrong and, where there is one, what to do about it. The
CLI catches only :class:`WerkbladenError` and turns it into a one-line message.
"""

from __future__ import annotations

from typing import Literal, TypeAlias, get_args

Status: TypeAlias = Literal[
    "ok",
    "warnings",
    "not_a_werkblad",
    "no_form",
    "flattened",
    "encrypted",
    "damaged",
    "unsupported",
    "timeout",
    "too_large",
    "error",
]
"""Exactly one per input. The first two mean the answers were read; the rest name a failure."""
STATUSES: tuple[Status, ...] = get_args(Status)
READ_STATUSES: frozenset[str] = frozenset({"ok", "warnings"})
FAILED: frozenset[str] = frozenset(STATUSES) - READ_STATUSES


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

    status = "error"


class NotAFormError(ReadError):
    status = "no_form"


class FlattenedError(NotAFormError):
    status = "flattened"


class NotAWerkbladError(ReadError):
    status = "not_a_werkblad"


class EncryptedError(ReadError):
    status = "encrypted"


class DamagedError(ReadError):
    status = "damaged"


class UnsupportedError(ReadError):
    status = "unsupported"


class TooLargeError(ReadError):
    status = "too_large"
