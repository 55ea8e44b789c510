"""Every reason and warning a person reads is Dutch (issue 11, item 4); status codes stay identifiers.

The reader, the inbox and the exports say in Dutch what is wrong (``werkbladen/messages.py``).
What a message may quote as it is: a field id or typed value (``'…'``), another program's own
words (``technische melding: …``), an option (``--max-size``), a PDF key (``/Fields``), a record
key (``details.pdf_log``), a list of field names after ``extras:``. Everything else is checked
for English: a message fails when it has one of the English words below or none of the Dutch ones.

The inputs: every real-world corpus file, the goldens' records (corpus, forms filled by real
engines, the hostile set and the shipped blanks, each read and read ``--raw``; the goldens are
what ``test_unchanged.py`` holds the code to), werkbladen with the oddities the reader warns
about, inputs that are no PDF at all, every mapping of an exception to a reason, and the inbox's
judgements of files that are not forms.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from formkit import blank_form, fill
from paths import CORPUS, TESTS

from werkbladen.content.model import Werkboek
from werkbladen.content.naming import TEMPLATE_FIELD, FieldSpec
from werkbladen.limits import Limits
from werkbladen.messages import os_reason
from werkbladen.reader.extraction import extract, read_raw

ENGLISH = re.compile(
    r"\b(the|a|an|not|no|cannot|can't|is not|missing|skipped|unreadable|truncated|damaged|password|"
    r"empty|with|without|which|field|fields|file|files|page|pages|read|reading|kept|found|expected|"
    r"error|unexpected|limit|exceeded|answer|answers|form|blank|has|have|are|were|and|into|from|"
    r"ask|check|instead|unknown|more|than|too|large|could|should|must|give|use|only|value)\b",
    re.IGNORECASE,
)
DUTCH = re.compile(
    r"\b(de|het|een|is|zijn|van|niet|geen|en|met|op|in|te|dat|wordt|meer|dan|of|bij|als|naar|voor|"
    r"veld|velden|bestand|pagina|gelezen|waarde|ontbreekt|overgeslagen|leeg|wachtwoord|keer)\b",
    re.IGNORECASE,
)
_QUOTED = (
    re.compile(r"technische melding: [^)]*"),  # another program's words, set apart
    re.compile(r"(?<!\w)'[^']*'(?!\w)"),  # a field id or a typed value, as repr() quotes it
    re.compile(r'"[^"]*"'),
    re.compile(r"`[^`]*`"),
    re.compile(r"--[\w-]+"),  # an option
    re.compile(r"/\w+"),  # a PDF key or name
    re.compile(r"\bdetails\.\w+"),  # a record key
    re.compile(r"(extras|als leeg|onduidelijk|weggelaten[^:]*): .*$"),  # field names, listed
)


def english(message: str) -> str | None:
    """The English word in ``message`` outside what it quotes, or why it is not Dutch; None if Dutch."""
    bare = message
    for pattern in _QUOTED:
        bare = pattern.sub(" ", bare)
    if found := ENGLISH.search(bare):
        return found.group()
    return None if DUTCH.search(bare) else "no Dutch word"


def _check(messages: Iterator[tuple[str, str]]) -> None:
    bad = [f"{where}: {message!r} ({why})" for where, message in messages if (why := english(message))]
    assert not bad, "English (or no Dutch) in what a person reads:\n" + "\n".join(bad[:40])


def _texts(where: str, record: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if record.get("reason"):
        yield where, record["reason"]
    for warning in record.get("warnings") or []:
        yield where, warning


def test_the_check_tells_the_languages_apart() -> None:
    assert english("not a PDF file (no %PDF- header)")
    assert english("the file is empty")
    assert english("field 'stap1_naam' occurs twice") == "field"
    assert english("veld 'stap1_naam': komt 2 keer voor") is None
    assert english("geen PDF-bestand (de kop %PDF- ontbreekt)") is None
    assert english("de PDF is beschadigd (technische melding: Stream has ended unexpectedly)") is None
    assert english("veld 'the form' staat op pagina's 1 en 2") is None
    assert english("42") == "no Dutch word"


def test_corpus_reasons_and_warnings_are_dutch() -> None:
    def messages() -> Iterator[tuple[str, str]]:
        for path in sorted(CORPUS.glob("*.pdf")):
            yield from _texts(f"extract {path.name}", extract(path).to_record())
            yield from _texts(f"--raw {path.name}", dict(read_raw(path)))

    _check(messages())


def test_golden_records_are_dutch() -> None:
    """The goldens hold the hostile set's reasons, too: test_unchanged.py keeps the code to them."""
    golden = json.loads(gzip.decompress((TESTS / "golden" / "records" / "records.json.gz").read_bytes()))

    def messages() -> Iterator[tuple[str, str]]:
        for kind in ("records", "raw"):
            for name, record in golden[kind].items():
                yield from _texts(f"{kind} {name}", record)

    _check(messages())


def _zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.pdf", data)
    return out.getvalue()


def test_werkbladen_with_oddities_and_non_pdfs_are_dutch(werkboek: Werkboek, tmp_path: Path) -> None:
    stap2 = blank_form(werkboek, "stap2")
    choice = next(s for s in werkboek.form_fields("stap7") if s.kind == "choice")
    old = blank_form(
        werkboek,
        "stap2",
        version="0.9",
        extra=[FieldSpec(name="stap2_oude_vraag", kind="multiline", tooltip="Een oude vraag")],
        drop=[werkboek.form_fields("stap2")[-1].name],
    )
    inputs: dict[str, Any] = {
        "bad date": fill(stap2, {"respondent_datum": "maart 2024"}),
        "off the scale": fill(blank_form(werkboek, "stap7"), {choice.name: "misschien"}),
        "older version": fill(old, {"stap2_oude_vraag": "bewaard"}),
        "identity from info": blank_form(werkboek, "stap3", template_field=False),
        "odd template field": fill(blank_form(werkboek, "stap3"), {TEMPLATE_FIELD: "rommel"}),
        "empty": b"",
        "no pdf": b"Beste mevrouw,\n",
        "a zip": _zip(stap2),
        "no end marker": stap2[: stap2.rfind(b"%%EOF")],
        "cut save": stap2 + b"\n1 0 obj\n<< /Type /Catalog",
        "missing": tmp_path / "bestaat-niet.pdf",
        "a folder": tmp_path,
    }

    def messages() -> Iterator[tuple[str, str]]:
        for name, source in inputs.items():
            record = extract(source, werkboek=werkboek).to_record()
            assert record["reason"] or record["warnings"] or name == "no end marker", name
            yield from _texts(name, record)
            yield from _texts(f"--raw {name}", dict(read_raw(source)))
        big = extract(stap2, werkboek=werkboek, limits=Limits(max_size=1000)).to_record()
        yield from _texts("too large", big)
        assert big["status"] == "too_large"  # the code stays an identifier
        locked = CORPUS / "sample__libreoffice-writer-password.pdf"
        yield from _texts("wrong password", dict(read_raw(locked, password="fout")))

    _check(messages())


def test_every_exception_maps_to_a_dutch_reason() -> None:
    from pypdf.errors import (
        DependencyError,
        EmptyFileError,
        FileNotDecryptedError,
        LimitReachedError,
        PdfReadError,
    )

    from werkbladen.reader.pdf import as_read_error

    raised = [
        FileNotDecryptedError("File has not been decrypted"),
        DependencyError("cryptography is required"),
        MemoryError(),
        RecursionError("maximum recursion depth exceeded"),
        LimitReachedError("Reached maximum array element count"),
        EmptyFileError("Cannot read an empty file"),
        PdfReadError("Stream has ended unexpectedly"),
        KeyError("/Root"),
        OSError("something else"),
    ]
    _check((type(exc).__name__, str(as_read_error(exc))) for exc in raised)


def test_batch_reasons_are_dutch() -> None:
    from werkbladen.reader import batch

    reasons = [batch._timeout_reason(Limits(timeout=0.5)), batch.TOO_MUCH_MEMORY, batch.RESULT_TOO_LARGE]
    _check(("batch", r) for r in reasons)


@pytest.mark.parametrize("code", [errno.ENOENT, errno.EACCES, errno.EISDIR, errno.ENOSPC, errno.EROFS])
def test_common_system_errors_are_said_in_dutch(code: int) -> None:
    reason = os_reason(OSError(code, "English words from the system"))
    assert "English" not in reason and english(f"niet te lezen ({reason})") is None


def test_inbox_judgements_are_dutch(tmp_path: Path) -> None:
    from werkbladen.inbox.gather import Gatherer, Unread
    from werkbladen.limits import DEFAULT_LIMITS

    (tmp_path / "brief.txt").write_text("Beste mevrouw,\n")
    (tmp_path / "kapot.zip").write_bytes(b"PK\x03\x04 kapot")
    (tmp_path / "leeg.pdf").write_bytes(b"")
    (tmp_path / "weg.pdf").symlink_to(tmp_path / "bestaat-niet.pdf")
    entries = list(Gatherer(DEFAULT_LIMITS).entries([str(tmp_path), str(tmp_path / "nergens.pdf")]))
    reasons = [(e.origin.source, e.reason) for e in entries if isinstance(e, Unread)]
    assert len(reasons) >= 4
    _check(iter(reasons))


def test_export_repairs_are_dutch() -> None:
    from werkbladen.export import delimited, workbook

    header = ["warnings"]
    notes = workbook.clean_row(["\x00" + "x" * 40_000], header) + delimited.clean_row(["\ud800"], header)
    assert len(notes) == 2
    _check(("export", n) for n in notes)
