"""From what the coordinator names (files, folders, lists, zips, e-mails) to the PDFs in them, lazily.

Everything named or found is accounted for: a PDF becomes an :class:`Item` for the reader; what is
not a PDF, cannot be opened or is over a limit becomes an :class:`Unread` with a status and a Dutch
reason. What is found inside a folder, zip or e-mail and is not a werkblad is ``skipped`` (a cover
letter is no failure); named on the command line it keeps the failure statuses of a PDF. Hidden
files and the clutter of operating systems (``.DS_Store``, ``__MACOSX/``, ``Thumbs.db``, Office's
``~$`` lock files) are passed over and only counted.

Folders are walked in name order, symbolic links followed once (a loop is named, not followed);
zip members and e-mail attachments are read in their own order, zips within zips or e-mails up to
:attr:`Limits.max_nesting` deep. Zips are bounded before and while they unpack (member count,
sizes, compression ratio, total), because a zip's header may lie about all of them.
"""

from __future__ import annotations

import email
import email.policy
import io
import mailbox
import os
import stat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath

from werkbladen.errors import Status
from werkbladen.inbox.sniff import HEAD, Kind, describe, kind_of, office_kind
from werkbladen.limits import MB, Limits
from werkbladen.messages import limit_megabytes, megabytes, os_reason, technical_error


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one input lies: the file on disk, and the path down to it a person can follow."""

    file: str
    source: str
    sender: str | None = None
    sent: str | None = None
    """The e-mail's date, ISO 8601."""
    file_time: float | None = None
    """The file's (or zip member's) modification time, seconds since the epoch."""
    found: bool = False
    """Found inside a folder, zip or e-mail rather than named."""


@dataclass(frozen=True, slots=True)
class Item:
    """A PDF to read: its member bytes, or None when the reader reads ``origin.file`` itself."""

    origin: Origin
    data: bytes | None = None


@dataclass(frozen=True, slots=True)
class Unread:
    """An input that gets its record without being read as a PDF."""

    origin: Origin
    status: Status
    reason: str


Entry = Item | Unread


@dataclass(slots=True)
class Tally:
    """What was passed over without a record."""

    clutter: int = 0


_CLUTTER_NAMES = frozenset(
    {"thumbs.db", "desktop.ini", "__macosx", "$recycle.bin", "system volume information"}
)


def is_clutter(name: str) -> bool:
    """A hidden file or folder, or one an operating system or Office leaves behind."""
    return name.startswith((".", "~$")) or name.lower() in _CLUTTER_NAMES


def read_list(text: str) -> list[str]:
    """The paths of a ``--files-from`` list: one a line (or NUL-separated, as ``find -print0`` writes)."""
    if "\0" in text:
        return [p for p in text.split("\0") if p]
    return [line.rstrip("\r") for line in text.split("\n") if line.rstrip("\r")]


class Gatherer:
    """Turns named paths into entries; one per batch, since it remembers the folders it walked."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.tally = Tally()
        self._folders: set[tuple[int, int]] = set()

    def entries(self, paths: Iterable[str]) -> Iterator[Entry]:
        for path in paths:
            yield from _guarded(self._path(path, found=False), Origin(path, path))

    # --- files and folders -----------------------------------------------------------------------

    def _path(self, path: str, *, found: bool) -> Iterator[Entry]:
        origin = Origin(path, path, found=found)
        try:
            info = Path(path).stat()
        except FileNotFoundError:
            reason = "het bestand bestaat niet"
            if Path(path).is_symlink():
                reason = "een snelkoppeling naar een bestand dat niet (meer) bestaat"
            yield Unread(origin, Status.ERROR, reason)
            return
        except OSError as exc:
            yield Unread(origin, Status.ERROR, f"niet te openen ({os_reason(exc)})")
            return
        if stat.S_ISDIR(info.st_mode):
            yield from self._folder(path, info)
        elif stat.S_ISREG(info.st_mode):
            yield from self._file(replace(origin, file_time=info.st_mtime), info.st_size)
        else:
            yield Unread(origin, Status.SKIPPED if found else Status.ERROR, "geen gewoon bestand")

    def _folder(self, path: str, info: os.stat_result) -> Iterator[Entry]:
        key = (info.st_dev, info.st_ino)
        if key in self._folders:
            yield Unread(
                Origin(path, path, found=True),
                Status.SKIPPED,
                "deze map is al gelezen (een snelkoppeling naar een map die al meedoet)",
            )
            return
        self._folders.add(key)
        try:
            names = sorted(p.name for p in Path(path).iterdir())
        except OSError as exc:
            yield Unread(Origin(path, path), Status.ERROR, f"de map is niet te lezen ({os_reason(exc)})")
            return
        for name in names:
            if is_clutter(name):
                self.tally.clutter += 1
                continue
            yield from self._path(str(Path(path, name)), found=True)

    def _file(self, origin: Origin, size: int) -> Iterator[Entry]:
        try:
            with Path(origin.file).open("rb") as fh:
                head = fh.read(HEAD)
        except OSError as exc:
            yield Unread(origin, Status.ERROR, f"het bestand is niet te lezen ({os_reason(exc)})")
            return
        kind = kind_of(head)
        if kind is Kind.PDF:
            yield Item(origin)
        elif kind is Kind.ZIP:
            yield from _guarded(self._zip(origin, origin.file, depth=1), origin)
        elif kind is Kind.MBOX:
            yield from _guarded(self._mbox(origin, size), origin)
        elif kind is Kind.EML:
            if size > self._mail_limit:
                yield Unread(origin, Status.TOO_LARGE, _too_large("de e-mail", size, self._mail_limit))
                return
            try:
                data = Path(origin.file).read_bytes()
            except OSError as exc:
                yield Unread(origin, Status.ERROR, f"het bestand is niet te lezen ({os_reason(exc)})")
                return
            yield from _guarded(self._bytes(origin, data, depth=0), origin)
        elif origin.found:
            yield self._not_pdf(origin, describe(head))
        else:
            yield Item(origin)  # named: the reader refuses it (unparsed) with today's status and reason

    def _not_pdf(self, origin: Origin, what: str) -> Unread:
        if origin.found:
            return Unread(origin, Status.SKIPPED, f"geen PDF maar {what}")
        return Unread(origin, Status.NOT_A_WERKBLAD, f"geen PDF maar {what}")

    # --- bytes found inside a container ---------------------------------------------------------

    def _bytes(self, origin: Origin, data: bytes, *, depth: int) -> Iterator[Entry]:
        """A member or attachment (or a whole e-mail file), by what its bytes are."""
        kind = kind_of(data[:HEAD])
        if kind is Kind.PDF:
            yield Item(origin, data)
            return
        if kind in (Kind.ZIP, Kind.EML) and depth >= self.limits.max_nesting:
            yield Unread(
                origin,
                Status.TOO_LARGE,
                f"een archief of e-mail {depth} lagen diep; "
                f"dieper dan {self.limits.max_nesting} wordt niet geopend",
            )
        elif kind is Kind.ZIP:
            yield from self._zip(origin, io.BytesIO(data), depth=depth + 1)
        elif kind is Kind.EML:
            yield from self._message(origin, _parse_mail(data), depth=depth + 1)
        elif kind is Kind.MBOX:
            yield self._not_pdf(origin, "een mailbox (mbox); lever die los aan, niet in een archief")
        else:
            yield self._not_pdf(origin, describe(data[:HEAD]))

    def _zip(self, origin: Origin, opened: str | io.BytesIO, *, depth: int) -> Iterator[Entry]:
        limits = self.limits
        try:
            archive = zipfile.ZipFile(opened)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            yield Unread(origin, Status.DAMAGED, f"een beschadigd zip-archief ({os_reason(exc)})")
            return
        with archive:
            infos = archive.infolist()
            office = office_kind([i.filename for i in infos])
            if office is not None:
                yield self._not_pdf(origin, office)
                return
            if len(infos) > limits.max_members:
                yield Unread(
                    origin,
                    Status.TOO_LARGE,
                    f"het zip-archief heeft {len(infos):,} onderdelen, meer dan de grens van "
                    f"{limits.max_members:,}".replace(",", "."),
                )
                return
            unpacked = 0
            for info in infos:
                member = PurePosixPath(info.filename)
                if info.is_dir() or any(is_clutter(part) for part in member.parts):
                    self.tally.clutter += 0 if info.is_dir() else 1
                    continue
                at = replace(
                    origin, source=f"{origin.source}/{info.filename}", found=True, file_time=_zip_time(info)
                )
                problem = _zip_member_problem(info, limits)
                if problem is not None:
                    yield Unread(at, *problem)
                    continue
                if unpacked + info.file_size > limits.max_unpacked:
                    yield Unread(
                        at,
                        Status.TOO_LARGE,
                        "uitgepakt zou het zip-archief meer dan "
                        f"{limit_megabytes(limits.max_unpacked)} MB worden; de rest is niet geopend",
                    )
                    return
                try:
                    with archive.open(info) as stream:
                        data = stream.read(limits.max_size + 1)
                except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
                    yield Unread(at, Status.DAMAGED, f"niet uit te pakken ({os_reason(exc)})")
                    continue
                unpacked += len(data)
                if len(data) > limits.max_size:
                    yield Unread(at, Status.TOO_LARGE, _too_large("uitgepakt", len(data), limits.max_size))
                    continue
                yield from self._bytes(at, data, depth=depth)

    # --- e-mail ------------------------------------------------------------------------------------

    @property
    def _mail_limit(self) -> int:
        """An e-mail carries its attachments base64-encoded: a third larger, and a few of them."""
        return 4 * self.limits.max_size

    def _mbox(self, origin: Origin, size: int) -> Iterator[Entry]:
        if size > self.limits.max_unpacked:
            yield Unread(origin, Status.TOO_LARGE, _too_large("de mailbox", size, self.limits.max_unpacked))
            return
        try:
            box = mailbox.mbox(origin.file, create=False)
            keys = box.keys()
        except (OSError, mailbox.Error) as exc:
            yield Unread(origin, Status.ERROR, f"de mailbox is niet te lezen ({os_reason(exc)})")
            return
        try:
            for number, key in enumerate(keys, start=1):
                at = replace(origin, source=f"{origin.source}/{number}", found=True)
                data = box.get_bytes(key)
                if len(data) > self._mail_limit:
                    yield Unread(at, Status.TOO_LARGE, _too_large("het bericht", len(data), self._mail_limit))
                    continue
                yield from self._message(at, _parse_mail(data), depth=1)
        finally:
            box.close()

    def _message(self, origin: Origin, message: Message, *, depth: int) -> Iterator[Entry]:
        origin = replace(origin, sender=_header(message, "from"), sent=_date(message))
        count = 0
        for number, part in enumerate(_attachments(message), start=1):
            count += 1
            if count > self.limits.max_members:
                yield Unread(origin, Status.TOO_LARGE, f"meer dan {self.limits.max_members} bijlagen")
                return
            name = _filename(part) or f"bijlage {number}"
            at = replace(origin, source=f"{origin.source}/{name}", found=True)
            try:
                payload = part.get_payload(decode=True)
            except Exception as exc:  # the email package raises many kinds for a broken part
                yield Unread(at, Status.DAMAGED, f"de bijlage is niet te decoderen ({os_reason(exc)})")
                continue
            yield from self._bytes(at, payload if isinstance(payload, bytes) else b"", depth=depth)
        if count == 0:
            yield Unread(replace(origin, found=True), Status.SKIPPED, "een e-mail zonder bijlagen")


def _guarded(entries: Iterator[Entry], origin: Origin) -> Iterator[Entry]:
    """The entries of one container, and an ``error`` entry for the container where opening it broke.

    The zip and e-mail packages raise more kinds of exception than they document for a broken
    file; one such file must not end the batch, so what is left of it is named, and the next input
    goes on.
    """
    try:
        yield from entries
    except Exception as exc:
        yield Unread(
            origin,
            Status.ERROR,
            f"kon niet verder worden geopend ({technical_error(exc)})",
        )


def _attachments(message: Message) -> Iterator[Message]:
    """The parts that are files: named, marked as attachment, or a PDF; never the text of the mail."""
    for part in message.walk():
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        if (
            _filename(part)
            or part.get_content_disposition() == "attachment"
            or part.get_content_type() in ("application/pdf", "application/zip", "application/octet-stream")
        ):
            yield part


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # a malformed RFC 2231 parameter
        return None
    return name.replace("/", "_").strip() or None if name else None


def _parse_mail(data: bytes) -> Message:
    return email.message_from_bytes(data, policy=email.policy.default)


def _header(message: Message, name: str) -> str | None:
    try:
        value = message.get(name)
    except Exception:  # a header the policy cannot parse
        return None
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _date(message: Message) -> str | None:
    text = _header(message, "date")
    if not text:
        return None
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _zip_member_problem(info: zipfile.ZipInfo, limits: Limits) -> tuple[Status, str] | None:
    """Why a member is not unpacked, judged by its header (the unpacking checks again)."""
    if info.flag_bits & 0x1:
        return (
            Status.ENCRYPTED,
            "versleuteld in het zip-archief; pak het uit met het wachtwoord en lever het los aan",
        )
    if info.file_size > limits.max_size:
        return Status.TOO_LARGE, _too_large("uitgepakt", info.file_size, limits.max_size)
    if info.file_size > MB and info.file_size > limits.max_ratio * max(1, info.compress_size):
        return (
            Status.TOO_LARGE,
            f"{info.compress_size:,} bytes die uitgepakt {info.file_size:,} bytes worden: "
            "een zip-bom, niet uitgepakt".replace(",", "."),
        )
    return None


def _zip_time(info: zipfile.ZipInfo) -> float | None:
    import datetime as dt

    try:
        return dt.datetime(*info.date_time).timestamp()
    except (ValueError, OverflowError):
        return None


def _too_large(what: str, size: int, limit: int) -> str:
    return f"{what} is {megabytes(size, 1)} MB, meer dan de grens van {limit_megabytes(limit)} MB"
