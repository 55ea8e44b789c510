"""What a file is, told by its first bytes and never by its name: a PDF, a zip, an e-mail, or else.

A coordinator's inbox holds forms named ``scan.pdf.zip``, Word files renamed ``.pdf`` and e-mails
saved without a suffix. Only what starts like a PDF is handed to the PDF reader; zips and e-mails
are opened for what they hold; everything else is named in Dutch for the ``skipped`` reason.
"""

from __future__ import annotations

import re
from enum import Enum

from werkbladen.reader.source import HEADER_WINDOW

HEAD = 4096
"""Bytes read to tell what a file is."""
_PDF_HEADER = re.compile(rb"%PDF-\d\.\d")
"""The header with its version: a text that only mentions ``%PDF-`` (a record's reason "de kop
%PDF- ontbreekt" in an earlier JSON output, a letter about PDFs) is not taken for a PDF."""


ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
"""A zip's local file header, or the end record of an empty zip."""


class Kind(Enum):
    PDF = "pdf"
    ZIP = "zip"
    EML = "eml"
    MBOX = "mbox"
    OTHER = "other"


_HEADER_LINE = re.compile(rb"[!-9;-~]+:[ \t]")
"""An RFC 5322 header line: a name of printable characters but the colon, then a colon."""
_MAIL_HEADERS = frozenset(
    b"from to cc subject date received return-path message-id mime-version delivered-to "
    b"reply-to sender content-type x-mailer dkim-signature authentication-results".split()
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "een afbeelding (PNG)"),
    (b"\xff\xd8\xff", "een afbeelding (JPEG)"),
    (b"GIF87a", "een afbeelding (GIF)"),
    (b"GIF89a", "een afbeelding (GIF)"),
    (b"II*\x00", "een afbeelding (TIFF)"),
    (b"MM\x00*", "een afbeelding (TIFF)"),
    (b"BM", "een afbeelding (BMP)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "een Office-document in het oude formaat (Word, Excel)"),
    (b"{\\rtf", "een RTF-document"),
    (b"Rar!\x1a\x07", "een RAR-archief (pak het uit en lever de PDF's aan)"),
    (b"7z\xbc\xaf\x27\x1c", "een 7-Zip-archief (pak het uit en lever de PDF's aan)"),
    (b"\x1f\x8b", "een gzip-archief (pak het uit en lever de PDF's aan)"),
)


def kind_of(head: bytes) -> Kind:
    """The kind of a file that starts with ``head`` (at least its first :data:`HEAD` bytes)."""
    if head.startswith(ZIP_MAGIC):  # first: a stored zip holds its PDFs' headers in plain sight
        return Kind.ZIP
    if is_pdf(head):
        return Kind.PDF
    if head.startswith(b"From ") and _mail_headers(head.partition(b"\n")[2]) >= 1:
        return Kind.MBOX
    if _mail_headers(head) >= 2:
        return Kind.EML
    return Kind.OTHER


def is_pdf(head: bytes) -> bool:
    """Whether a file that starts with ``head`` is a PDF: its header within the first kilobyte."""
    return _PDF_HEADER.search(head, 0, HEADER_WINDOW + 8) is not None


def _mail_headers(head: bytes) -> int:
    """How many known e-mail headers open ``head``, counted up to the first line that is none."""
    count = 0
    for line in head.lstrip(b"\r\n").split(b"\n")[:40]:
        if line[:1] in (b" ", b"\t"):
            continue  # a folded header's continuation
        if not _HEADER_LINE.match(line):
            break
        if line.split(b":", 1)[0].lower() in _MAIL_HEADERS:
            count += 1
    return count


def describe(head: bytes) -> str:
    """What a file that is not a PDF, zip or e-mail is, in Dutch, for a ``skipped`` reason."""
    for magic, words in _MAGIC:
        if head.startswith(magic):
            return words
    if not head:
        return "een leeg bestand"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut off at the end of the head
            return "een bestand van onbekende soort"
        text = head[: exc.start].decode("utf-8")
    if text.lstrip().lower().startswith(("<!doctype html", "<html")):
        return "een webpagina (HTML)"
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return "een tekstbestand" if printable >= 0.95 * len(text) else "een bestand van onbekende soort"


def office_kind(names: list[str]) -> str | None:
    """The Dutch name of an Office or OpenDocument file by its zip members, else None (a real zip)."""
    members = set(names)
    if "[Content_Types].xml" in members:
        for folder, words in (
            ("word/", "een Word-document"),
            ("xl/", "een Excel-werkmap"),
            ("ppt/", "een PowerPoint-presentatie"),
        ):
            if any(n.startswith(folder) for n in names):
                return words
        return "een Office-document"
    if "mimetype" in members and "META-INF/manifest.xml" in members:
        return "een OpenDocument-bestand (LibreOffice)"
    return None
