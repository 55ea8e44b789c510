"""Open an untrusted PDF: checks before pypdf, pypdf's limits tightened, its log captured.

Every failure leaves here as a :class:`~werkbladen.errors.ReadError` subclass with a one-line
reason, whatever pypdf or the standard library raised: callers map ``status`` and never see
a traceback.
"""

from __future__ import annotations

import logging
import struct
import zlib
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import Any

from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import (
    DependencyError,
    EmptyFileError,
    FileNotDecryptedError,
    LimitReachedError,
    PdfReadError,
    PyPdfError,
    WrongPasswordError,
)
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from werkbladen.errors import (
    DamagedError,
    EncryptedError,
    ReadError,
    TooLargeError,
    UnsupportedError,
)
from werkbladen.limits import Limits
from werkbladen.messages import ASK_AGAIN, technical_detail
from werkbladen.reader.normalise import Model


class _LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = " ".join(record.getMessage().split())
        except Exception:
            message = str(record.msg)
        if message not in self.messages and len(self.messages) < 50:
            self.messages.append(message[:200])


@contextmanager
def reading(limits: Limits) -> Iterator[list[str]]:
    """pypdf with tightened limits and its warnings collected, not printed; yields the messages.

    pypdf parses lazily, so everything that touches the reader must run inside this block.
    """
    logger = logging.getLogger("pypdf")
    capture = _LogCapture()
    propagate = logger.propagate
    logger.addHandler(capture)
    logger.propagate = False
    try:
        with apply_configuration(**limits.pypdf_overrides()):
            yield capture.messages
    finally:
        logger.removeHandler(capture)
        logger.propagate = propagate


def open_pdf(data: bytes, password: str | None) -> PdfReader:
    """A reader with the document decrypted; an empty user password opens without asking."""
    reader = PdfReader(BytesIO(data), strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        if password is None:
            raise EncryptedError("de PDF is beveiligd met een wachtwoord; geef dat op met --password")
        if reader.decrypt(password) == PasswordType.NOT_DECRYPTED:
            raise EncryptedError("het wachtwoord klopt niet")
    return reader


def as_read_error(exc: BaseException) -> ReadError:
    """Map whatever reading raised to a ReadError with a one-line reason."""
    if isinstance(exc, ReadError):
        return exc
    detail = technical_detail(exc)
    if isinstance(exc, (WrongPasswordError, FileNotDecryptedError)):
        return EncryptedError(
            f"de PDF is beveiligd met een wachtwoord ({detail}); geef het goede op met --password"
        )
    if isinstance(exc, DependencyError):
        return UnsupportedError(
            f"de PDF is gecodeerd op een manier die deze installatie niet kan lezen ({detail})"
        )
    if isinstance(exc, (MemoryError, RecursionError)) or _wraps(exc, (MemoryError, RecursionError)):
        return TooLargeError(f"het lezen van de PDF ging over de grens voor geheugen of diepte ({detail})")
    if isinstance(exc, LimitReachedError):
        return TooLargeError(f"de PDF is te groot om veilig te lezen ({detail})")
    if isinstance(exc, EmptyFileError):
        return DamagedError("het bestand is leeg")
    if isinstance(exc, (PdfReadError, PyPdfError)):
        return DamagedError(f"de PDF is beschadigd of afgekapt ({detail}); {ASK_AGAIN}")
    if isinstance(
        exc,
        (
            AttributeError,
            ValueError,
            TypeError,
            KeyError,
            IndexError,
            AssertionError,
            ArithmeticError,
            UnicodeError,
            struct.error,
            zlib.error,
            EOFError,
        ),
    ):
        return DamagedError(f"de PDF is niet volgens de regels opgebouwd ({detail}); {ASK_AGAIN}")
    return ReadError(f"onverwachte fout bij het lezen ({detail})")


def _wraps(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    seen = 0
    cause = exc.__cause__ or exc.__context__
    while cause is not None and seen < 10:
        if isinstance(cause, kinds):
            return True
        cause = cause.__cause__ or cause.__context__
        seen += 1
    return False


def _resolve(obj: Any) -> Any:
    """The object behind an indirect reference (pypdf returns NullObject or None for a bad one)."""
    if isinstance(obj, IndirectObject):
        obj = obj.get_object()
    return None if isinstance(obj, NullObject) else obj


_KINDS: tuple[tuple[type, str], ...] = (
    (BooleanObject, "bool"),
    (NumberObject, "int"),
    (FloatObject, "real"),
    (NameObject, "name"),
    (TextStringObject, "text"),
    (ByteStringObject, "bytes"),
    (StreamObject, "stream"),
    (DictionaryObject, "dict"),
    (ArrayObject, "array"),
    (type(None), "null"),
)
_KIND_OF: dict[type, str] = dict(_KINDS)


def _kind(obj: Any) -> str:
    kind = _KIND_OF.get(type(obj))
    if kind is not None:
        return kind
    return next((name for cls, name in _KINDS if isinstance(obj, cls)), "other")


def _key(raw: Any, obj: Any) -> Hashable:
    return (raw.idnum, raw.generation) if isinstance(raw, IndirectObject) else id(obj)


PYPDF = Model(resolve=_resolve, kind=_kind, key=_key, stream_data=lambda stream: stream.get_data())
"""pypdf's object model, for :mod:`.normalise` and :mod:`.walker`."""
