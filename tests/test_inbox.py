"""The coordinator's inbox as it arrives: folders, zips and e-mails in; every form once; nothing lost.

One generated inbox holds every case of issue 10 — subfolders, a ``.PDF``, hidden files and
``__MACOSX``, a cover letter, a Word file, an image, a stored and a deflated zip with nested
folders, an ``.eml`` and an ``.mbox`` with base64 attachments, a duplicate, a resend, a conflict
between a werkboek and a step form, a form without an organisation — and the CLI must account for
each input, in Dutch, with the right standing. Then zip bombs, and the faults: the parent killed,
stopped, or its stdout closed or full.
"""

from __future__ import annotations

import io
import json
import mailbox
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from werkbladen.cli import main
from werkbladen.content.model import Werkboek
from werkbladen.filling.prefill import fill
from werkbladen.inbox import read_inbox
from werkbladen.inbox.gather import Gatherer, Item, Unread, read_list
from werkbladen.inbox.sniff import Kind, describe, kind_of
from werkbladen.inbox.summary import Summary
from werkbladen.limits import DEFAULT_LIMITS, MB, Limits

DOCX_HEAD = b"PK\x03\x04"


def _run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def _text_field(werkboek: Werkboek, werkblad: str) -> str:
    return next(
        f.name
        for f in werkboek.form_fields(werkblad)
        if f.kind in ("text", "multiline") and not f.table and f.name.startswith(f"{werkblad}_")
    )


def _form(blank: Path, organisation: str | None, answers: dict[str, Any]) -> bytes:
    respondent = {"naam": "Ağrı Şahin"} | ({"organisatie": organisation} if organisation else {})
    return fill(blank, {"respondent": respondent, "answers": answers})


def _mail(sender: str, date: str, attachments: list[tuple[str, bytes, str]]) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"], message["Date"] = (
        sender,
        "werkgroep@ede.nl",
        "Werkblad",
        date,
    )
    message.set_content("Beste coördinator,\n\nHierbij ons werkblad.\n")
    for name, data, kind in attachments:
        main_type, sub_type = kind.split("/")
        message.add_attachment(data, maintype=main_type, subtype=sub_type, filename=name)
    return message


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory, built_pdfs: dict[str, Path], werkboek: Werkboek) -> Path:
    root = tmp_path_factory.mktemp("inbox")
    step2 = built_pdfs["stap-2.pdf"]
    question = _text_field(werkboek, "stap2")
    ede_old = _form(step2, "Gemeente Ede", {question: "eerste versie"})
    ede_new = _form(step2, " gemeente  EDE ", {question: "tweede versie"})
    boek = _form(built_pdfs["werkboek.pdf"], "GGD Gelderland-Zuid", {question: "in het werkboek"})
    ggd_step = _form(step2, "ggd gelderland-zuid", {question: "los ingevuld"})
    anonymous = _form(built_pdfs["stap-1.pdf"], None, {})
    lodz = _form(built_pdfs["stap-7.pdf"], "Stichting Łódź", {})

    (root / "mei" / "diep").mkdir(parents=True)
    (root / "mei" / "ede.pdf").write_bytes(ede_old)
    (root / "mei" / "diep" / "KOPIE.PDF").write_bytes(ede_old)  # the same bytes again
    (root / "mei" / "anoniem.pdf").write_bytes(anonymous)
    (root / "mei" / "begeleidende brief.txt").write_text("Beste werkgroep, hierbij …", encoding="utf-8")
    (root / "mei" / "notulen.docx").write_bytes(_docx())
    (root / "mei" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (root / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (root / "mei" / "~$notulen.docx").write_bytes(b"lock")

    with zipfile.ZipFile(root / "opgeslagen.zip", "w", zipfile.ZIP_STORED) as z:
        z.writestr("ggd/werkboek.pdf", boek)
        z.writestr("__MACOSX/ggd/._werkboek.pdf", b"\0\5\x16\7")
    with zipfile.ZipFile(root / "ingepakt.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("map/sub/stap-7 Łódź.pdf", lodz)
        z.writestr("map/leesmij.txt", "lees mij")

    newer = _mail("Şükrü Ağaoğlu <jeugd@ede.nl>", "Mon, 28 Jun 2021 09:30:00 +0200", [
        ("stap-2 Ede.pdf", ede_new, "application/pdf"),
        ("toelichting.txt", b"zie bijlage", "text/plain"),
    ])  # fmt: skip
    (root / "bericht.eml").write_bytes(bytes(newer))
    box = mailbox.mbox(root / "post.mbox")
    box.add(
        _mail(
            "GGD <info@ggdgz.nl>",
            "Tue, 29 Jun 2021 11:00:00 +0200",
            [("stap-2.pdf", ggd_step, "application/pdf")],
        )
    )
    box.add(_mail("Iemand <x@y.nl>", "Wed, 30 Jun 2021 11:00:00 +0200", []))
    box.close()
    return root


@pytest.fixture(scope="module")
def extracted(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, dict[str, Any]]]:
    out = tmp_path_factory.mktemp("uit") / "antwoorden.json"
    result = _run("extract", str(inbox), "-o", str(out))
    records = json.loads(out.read_text(encoding="utf-8"))
    by_source = {str(Path(r["source"]).relative_to(inbox)): r for r in records}
    assert len(by_source) == len(records), "every source once"
    return result, by_source


def test_every_input_is_accounted_for(extracted: tuple[Any, dict[str, dict[str, Any]]]) -> None:
    result, records = extracted
    assert {name: r["status"] for name, r in records.items()} == {
        "bericht.eml/stap-2 Ede.pdf": "ok",
        "bericht.eml/toelichting.txt": "skipped",
        "ingepakt.zip/map/leesmij.txt": "skipped",
        "ingepakt.zip/map/sub/stap-7 Łódź.pdf": "ok",
        "mei/anoniem.pdf": "ok",
        "mei/begeleidende brief.txt": "skipped",
        "mei/diep/KOPIE.PDF": "ok",
        "mei/ede.pdf": "ok",
        "mei/logo.png": "skipped",
        "mei/notulen.docx": "skipped",
        "opgeslagen.zip/ggd/werkboek.pdf": "ok",
        "post.mbox/1/stap-2.pdf": "ok",
        "post.mbox/2": "skipped",
    }
    assert records["mei/notulen.docx"]["reason"] == "geen PDF maar een Word-document"
    assert records["mei/logo.png"]["reason"] == "geen PDF maar een afbeelding (PNG)"
    assert records["post.mbox/2"]["reason"] == "een e-mail zonder bijlagen"
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "werkbladen: 13 bestanden: 7 gelezen, 6 overgeslagen; 1 dubbel, "
        "1 vervangen door een nieuwere versie, 1 conflict, 3 verborgen bestanden genegeerd"
    ]


def test_provenance(inbox: Path, extracted: tuple[Any, dict[str, dict[str, Any]]]) -> None:
    _, records = extracted
    mail = records["bericht.eml/stap-2 Ede.pdf"]
    assert mail["file"] == str(inbox / "bericht.eml")
    assert mail["sender"] == "Şükrü Ağaoğlu <jeugd@ede.nl>"
    assert mail["sent"] == "2021-06-28T09:30:00+02:00"
    member = records["ingepakt.zip/map/sub/stap-7 Łódź.pdf"]
    assert member["file"] == str(inbox / "ingepakt.zip") and member["sender"] is None
    assert member["respondent"]["organisatie"] == "Stichting Łódź"
    plain = records["mei/ede.pdf"]
    assert plain["file"] == plain["source"] == str(inbox / "mei" / "ede.pdf")
    assert plain["sha256"] == records["mei/diep/KOPIE.PDF"]["sha256"]
    assert len({r["sha256"] for r in records.values() if r["status"] == "ok"}) == 6  # 7 forms, 1 twice
    assert records["post.mbox/1/stap-2.pdf"]["sender"] == "GGD <info@ggdgz.nl>"


def test_duplicates_resends_and_conflicts(
    inbox: Path, extracted: tuple[Any, dict[str, dict[str, Any]]], werkboek: Werkboek
) -> None:
    _, records = extracted
    question = _text_field(werkboek, "stap2")
    # folders are walked in name order: mei/diep/ comes before mei/ede.pdf
    assert records["mei/ede.pdf"]["duplicate_of"] == str(inbox / "mei" / "diep" / "KOPIE.PDF")
    assert records["mei/ede.pdf"]["superseded_by"] is None  # a duplicate is not a resend as well
    # the resend: the same organisation, told apart without case and spacing; both forms carry the
    # blank's /ModDate, so the e-mail's date (there is one only for the newer) decides
    assert records["mei/diep/KOPIE.PDF"]["superseded_by"] == str(inbox / "bericht.eml" / "stap-2 Ede.pdf")
    assert records["bericht.eml/stap-2 Ede.pdf"]["superseded_by"] is None
    book, step = records["opgeslagen.zip/ggd/werkboek.pdf"], records["post.mbox/1/stap-2.pdf"]
    assert book["conflicts"] == [{"source": step["source"], "fields": [question]}]
    assert step["conflicts"] == [{"source": book["source"], "fields": [question]}]
    assert records["mei/anoniem.pdf"]["superseded_by"] is None  # no organisation: never merged


def test_latest_writes_only_current_records(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "actueel.jsonl"
    assert _run("extract", str(inbox), "--latest", "-o", str(out)).exit_code == 0
    sources = [json.loads(line)["source"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(str(Path(s).relative_to(inbox)) for s in sources) == [
        "bericht.eml/stap-2 Ede.pdf",
        "ingepakt.zip/map/sub/stap-7 Łódź.pdf",
        "mei/anoniem.pdf",
        "opgeslagen.zip/ggd/werkboek.pdf",
        "post.mbox/1/stap-2.pdf",
    ]


def test_files_from_a_list_and_standard_input(inbox: Path, tmp_path: Path) -> None:
    listed = tmp_path / "lijst.txt"
    listed.write_text(f"{inbox / 'mei' / 'ede.pdf'}\n\n{inbox / 'bericht.eml'}\r\n", encoding="utf-8")
    out = tmp_path / "uit.json"
    assert _run("extract", "--files-from", str(listed), "-o", str(out)).exit_code == 0
    assert [r["source"] for r in json.loads(out.read_text(encoding="utf-8"))] == [
        str(inbox / "mei" / "ede.pdf"),
        str(inbox / "bericht.eml" / "stap-2 Ede.pdf"),
        str(inbox / "bericht.eml" / "toelichting.txt"),
    ]
    piped = _run("extract", "--files-from", "-", "-o", str(out), stdin=f"{inbox / 'mei' / 'anoniem.pdf'}\0")
    assert piped.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["source"] == str(inbox / "mei" / "anoniem.pdf")
    assert read_list("a b\r\nc\n\n") == ["a b", "c"] and read_list("a\nb\0c\0") == ["a\nb", "c"]


def test_named_inputs_keep_their_statuses_and_fail_alone(inbox: Path, tmp_path: Path) -> None:
    """A named non-PDF is a failure as before; a missing file and a folder do not stop the batch."""
    out = tmp_path / "uit.json"
    result = _run(
        "extract", str(inbox / "mei" / "begeleidende brief.txt"), str(tmp_path / "weg.pdf"),
        str(inbox / "mei"), "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 1
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [r["status"] for r in records[:2]] == ["not_a_werkblad", "error"]
    assert records[1]["reason"] == "het bestand bestaat niet"
    assert len(records) == 2 + 6
    assert result.stderr.splitlines()[-1] == (
        "werkbladen: 8 bestanden: 3 gelezen, 3 overgeslagen, 2 mislukt; "
        "1 dubbel, 1 verborgen bestand genegeerd"
    )
    assert result.stderr.splitlines()[:-1] == [
        f"werkbladen: {inbox / 'mei' / 'begeleidende brief.txt'}: geen werkblad: "
        "geen PDF-bestand (de kop %PDF- ontbreekt)",
        f"werkbladen: {tmp_path / 'weg.pdf'}: onverwachte fout: het bestand bestaat niet",
    ]


def test_a_symlink_loop_is_named_not_followed(tmp_path: Path, built_pdfs: dict[str, Path]) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "a").mkdir(parents=True)
    shutil.copyfile(built_pdfs["stap-1.pdf"], inbox / "a" / "stap-1.pdf")
    (inbox / "a" / "terug").symlink_to(inbox)
    (inbox / "kapot.pdf").symlink_to(tmp_path / "bestaat-niet.pdf")
    out = tmp_path / "uit.json"
    result = _run("extract", str(inbox), "-o", str(out))
    records = {r["source"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert records[str(inbox / "a" / "terug")]["status"] == "skipped"
    assert (
        records[str(inbox / "kapot.pdf")]["reason"]
        == "een snelkoppeling naar een bestand dat niet (meer) bestaat"
    )
    assert records[str(inbox / "a" / "stap-1.pdf")]["status"] == "ok"
    assert result.exit_code == 1  # the broken link


# --- zips that try to be more than they are --------------------------------------------------------


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _entries(tmp_path: Path, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[Item | Unread]:
    path = tmp_path / "archief.zip"
    path.write_bytes(data)
    return list(Gatherer(limits).entries([str(path)]))


def test_a_compression_bomb_is_not_unpacked(tmp_path: Path) -> None:
    [bomb, huge] = _entries(
        tmp_path,
        _zip({"bom.pdf": b"%PDF-1.7\n" + bytes(40 * MB), "groot.pdf": b"%PDF-1.7\n" + bytes(60 * MB)}),
    )
    assert isinstance(bomb, Unread) and bomb.status == "too_large" and "een zip-bom" in bomb.reason
    assert isinstance(huge, Unread) and huge.reason == "uitgepakt is 60,0 MB, meer dan de grens van 50 MB"


def test_zips_within_zips_stop_at_the_nesting_limit(tmp_path: Path, built_pdfs: dict[str, Path]) -> None:
    data = built_pdfs["stap-1.pdf"].read_bytes()
    for depth in range(4):
        data = _zip({f"laag{depth}.{'pdf' if depth == 0 else 'zip'}": data})
    [entry] = _entries(tmp_path, data)
    assert isinstance(entry, Unread) and entry.status == "too_large" and "lagen diep" in entry.reason
    [ok] = _entries(tmp_path, _zip({"in.zip": _zip({"stap-1.pdf": built_pdfs["stap-1.pdf"].read_bytes()})}))
    assert isinstance(ok, Item) and ok.origin.source.endswith("archief.zip/in.zip/stap-1.pdf")


def test_member_count_total_size_and_encryption_are_bounded(tmp_path: Path) -> None:
    many = _zip({f"{i}.txt": b"x" for i in range(30)})
    [entry] = _entries(tmp_path, many, Limits(max_members=20))
    assert isinstance(entry, Unread) and "30 onderdelen" in entry.reason
    big = _zip({f"{i}.pdf": b"%PDF-1.7\n" + os.urandom(MB) for i in range(5)}, zipfile.ZIP_STORED)
    entries = _entries(tmp_path, big, Limits(max_unpacked=3 * MB))
    assert [type(e).__name__ for e in entries] == ["Item", "Item", "Unread"]
    # a header that lies about the size: zipfile stops at the stated size and the CRC fails
    lying = bytearray(_zip({"a.pdf": b"%PDF-1.7\n" + bytes(4096)}))
    central = lying.rindex(b"PK\x01\x02")
    lying[central + 24 : central + 28] = (100).to_bytes(4, "little")
    [entry] = _entries(tmp_path, bytes(lying))
    assert isinstance(entry, Unread) and entry.status == "damaged"
    encrypted = bytearray(_zip({"geheim.pdf": b"%PDF-1.7\n"}, zipfile.ZIP_STORED))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):
        at = encrypted.index(header) + (6 if header == b"PK\x03\x04" else 8)
        encrypted[at] |= 1
    [entry] = _entries(tmp_path, bytes(encrypted))
    assert isinstance(entry, Unread) and entry.status == "encrypted"


def test_files_are_told_by_their_bytes() -> None:
    assert kind_of(b"PK\x03\x04\x14\x00" + b"%PDF-1.7") is Kind.ZIP  # a stored zip shows a PDF header
    assert kind_of(b"garbage\n%PDF-1.4\n") is Kind.PDF
    assert kind_of(b"From x@y Mon Jun 28 09:30:00 2021\nFrom: x@y\n") is Kind.MBOX
    assert kind_of(b"Received: from a\n\tby b\nFrom: x@y\nSubject: s\n\nbody") is Kind.EML
    assert kind_of(b"Subject: only one header\n\nbody") is Kind.OTHER
    assert (
        describe(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
        == "een Office-document in het oude formaat (Word, Excel)"
    )
    assert describe("Beste werkgroep, één".encode()) == "een tekstbestand"


# --- faults: nothing lost, nothing left behind -----------------------------------------------------


def _cli(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "werkbladen", "extract", *args], env=env, **kwargs)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def slow_inbox(tmp_path_factory: pytest.TempPathFactory, built_pdfs: dict[str, Path]) -> Path:
    """Enough werkboeken that a batch is still busy a second after it starts."""
    folder = tmp_path_factory.mktemp("veel")
    data = built_pdfs["werkboek.pdf"].read_bytes()
    for i in range(400):
        (folder / f"{i:03}.pdf").write_bytes(data + b"%" + str(i).encode())  # distinct bytes
    return folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_batch_leaves_no_worker_and_no_file(slow_inbox: Path, tmp_path: Path, how: int) -> None:
    out_dir = tmp_path / "uit"
    out_dir.mkdir()
    process = _cli(str(slow_inbox), "--jobs", "2", "--timeout", "60", "-o", str(out_dir / "a.xlsx"),
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 30
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(process.pid)
    assert len(workers) == 2, "the batch did not start its workers"
    time.sleep(0.5)
    process.send_signal(how)
    _, stderr = process.communicate(timeout=30)
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{w}").exists() and "Z" not in _state(w) for w in workers):
        assert time.monotonic() < deadline, "a worker outlived its parent by 5 s"
        time.sleep(0.05)
    assert list(out_dir.iterdir()) == []
    if how == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == 3
        assert stderr.decode().splitlines() == [
            f"werkbladen: onderbroken ({signal.Signals(how).name}); er is geen uitvoer geschreven"
        ]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_a_closed_stdout_is_one_line_and_exit_3(built_pdfs: dict[str, Path]) -> None:
    process = _cli(str(built_pdfs["werkboek.pdf"]), str(built_pdfs["stap-1.pdf"]),
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    assert process.stdout is not None
    process.stdout.close()  # like `| head -c 0`
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 3
    assert stderr.decode().splitlines() == [
        "werkbladen: de standaarduitvoer ging dicht voordat alles was geschreven"
    ]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_stdout_is_one_line_and_exit_3(built_pdfs: dict[str, Path]) -> None:
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "werkbladen", "extract", str(built_pdfs["werkboek.pdf"])],
            stdout=full, stderr=subprocess.PIPE, check=False,
        )  # fmt: skip
    assert done.returncode == 3
    assert done.stderr.decode().splitlines() == [
        "werkbladen: de uitvoer is niet te schrijven: No space left on device"
    ]


def test_output_paths_that_are_refused(built_pdfs: dict[str, Path], tmp_path: Path) -> None:
    blank = str(built_pdfs["stap-1.pdf"])
    slash = _run("extract", blank, "-o", f"{tmp_path / 'nieuw'}/")
    assert slash.exit_code == 2 and "is een map; geef een bestandsnaam" in slash.stderr
    assert not (tmp_path / "nieuw").exists()
    assert _run("extract", blank, "-o", str(tmp_path)).exit_code == 2
    onto_pdf = tmp_path / "formulier.json"
    shutil.copyfile(blank, onto_pdf)
    refused = _run("extract", blank, "-o", str(onto_pdf))
    assert refused.exit_code == 2 and "het is een PDF" in refused.stderr
    missing = _run("extract", blank, "-o", str(tmp_path / "geen" / "map" / "uit.json"))
    assert missing.exit_code == 3
    assert missing.stderr.splitlines() == [
        f"werkbladen: {tmp_path / 'geen' / 'map' / 'uit.json'} is niet te schrijven "
        f"(de map {tmp_path / 'geen' / 'map'} bestaat niet)"
    ]
    assert _run("extract", "-o", str(tmp_path / "x.json")).exit_code == 2  # no inputs at all


def test_an_earlier_output_that_quotes_the_pdf_header_is_overwritten(tmp_path: Path) -> None:
    """A second run onto its own JSON: a reason in it names ``%PDF-`` (the header that is missing),
    which made the output look like a PDF and refused it. A text that mentions the header is no PDF;
    in a folder it is skipped, not parsed."""
    letter = tmp_path / "brief.txt"
    letter.write_text("In de bijlage het formulier.\n", encoding="utf-8")
    out = tmp_path / "antwoorden.json"
    first = _run("extract", str(letter), "-o", str(out))
    assert first.exit_code == 1 and "%PDF-" in out.read_text(encoding="utf-8")
    again = _run("extract", str(letter), "-o", str(out))
    assert again.exit_code == 1, again.stderr
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "brief.pdf").write_text("Het formulier; de kop %PDF- staat er niet in.\n", encoding="utf-8")
    shutil.copyfile(out, inbox / "antwoorden.json")
    records = json.loads(_run("extract", str(inbox)).stdout)
    assert [r["status"] for r in records] == ["skipped", "skipped"]


def test_the_exit_codes_are_in_the_help() -> None:
    text = _run("extract", "--help").stdout
    for line in (
        "0  elk gevonden werkblad is gelezen",
        "1  de uitvoer is geschreven",
        "3  geen uitvoer geschreven",
    ):
        assert line in text


# --- the summary and the library function -----------------------------------------------------------


def test_summary_in_dutch() -> None:
    summary = Summary()
    for status, n in (("ok", 1178), ("warnings", 12), ("skipped", 3), ("damaged", 11)):
        for _ in range(n):
            summary.add({"status": status})
    for key, n in (("duplicate_of", 4), ("superseded_by", 6)):
        for _ in range(n):
            summary.add({"status": "ok", key: "x"})
    summary.add({"status": "ok", "conflicts": [{"source": "b"}]})
    summary.add({"status": "ok", "conflicts": [{"source": "a"}]})
    assert summary.line() == (
        "1.216 bestanden: 1.202 gelezen (12 met waarschuwingen), 3 overgeslagen, 11 mislukt; "
        "4 dubbel, 6 vervangen door een nieuwere versie, 1 conflict"
    )
    assert Summary(files=1, read=1).line() == "1 bestand: 1 gelezen"


def test_read_inbox_is_the_library_route(inbox: Path, werkboek: Werkboek) -> None:
    summary = Summary()
    current = list(read_inbox([str(inbox)], werkboek=werkboek, latest=True, summary=summary))
    assert len(current) == 5 and summary.files == 13 and summary.passed_over == 3


# --- forms from one's own content ------------------------------------------------------------------


def test_forms_of_own_content_read_with_content(tmp_path: Path, werkboek: Werkboek) -> None:
    """A publisher adds a question under the same version: --content reads it; without, a warning."""
    from importlib import resources

    content = tmp_path / "eigen"
    shutil.copytree(Path(str(resources.files("werkbladen") / "content")), content)
    step = content / "stap1.yaml"
    step.write_text(
        step.read_text(encoding="utf-8").replace(
            "        field: {id: gezamenlijke_opgave, lines: 6}\n",
            "        field: {id: gezamenlijke_opgave, lines: 6}\n"
            "      - type: question\n"
            "        text: Wie trekt de kar in onze gemeente?\n"
            "        field: {id: trekker}\n",
        ),
        encoding="utf-8",
    )
    built = _run("build", str(content), "-o", str(tmp_path / "pdf"))
    assert built.exit_code == 0, built.output
    form = tmp_path / "ingevuld.pdf"
    form.write_bytes(fill(tmp_path / "pdf" / "stap-1.pdf", {"answers": {"stap1_trekker": "Zoë Öztürk"}}))

    own = json.loads(_run("extract", str(form), "--content", str(content)).stdout)
    assert own["status"] == "ok" and own["answers"]["stap1_trekker"] == "Zoë Öztürk"
    shipped = json.loads(_run("extract", str(form)).stdout)
    assert shipped["status"] == "warnings"
    assert shipped["extras"] == {"stap1_trekker": "Zoë Öztürk"}
    [note] = [w for w in shipped["warnings"] if "andere inhoud" in w]
    assert werkboek.fingerprint in note and own["content_version"] == werkboek.version
    bad = _run("extract", str(form), "--content", str(tmp_path))
    assert bad.exit_code == 2 and f"--content {tmp_path}:" in bad.stderr


def test_a_container_that_breaks_its_parser_does_not_end_the_batch(
    tmp_path: Path, built_pdfs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The zip and e-mail packages raise undocumented exceptions on odd files: named, then on."""
    from werkbladen.inbox import gather

    def broken(names: list[str]) -> str | None:
        raise RuntimeError("zipfile had a bad day")

    monkeypatch.setattr(gather, "office_kind", broken)
    (tmp_path / "a.zip").write_bytes(_zip({"x.pdf": b"%PDF-1.7\n"}))
    entries = list(Gatherer(DEFAULT_LIMITS).entries([str(tmp_path / "a.zip"), str(built_pdfs["stap-1.pdf"])]))
    assert [type(e).__name__ for e in entries] == ["Unread", "Item"]
    assert isinstance(entries[0], Unread) and entries[0].status == "error"
    assert entries[0].reason == (
        "kon niet verder worden geopend (technische melding: RuntimeError: zipfile had a bad day)"
    )


def test_a_form_read_from_its_page_never_replaces_a_fillable_one(
    tmp_path: Path, built_pdfs: dict[str, Path], werkboek: Werkboek
) -> None:
    """The coordinator gets the same organisation's step 2 twice: filled, and later flattened."""
    import pymupdf

    question = _text_field(werkboek, "stap2")
    fillable = _form(built_pdfs["stap-2.pdf"], "Gemeente Ede", {question: "ons antwoord"})
    doc = pymupdf.open(stream=fillable, filetype="pdf")
    doc.bake()  # as PyMuPDF flattens
    flattened = doc.tobytes()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a-ingevuld.pdf").write_bytes(fillable)
    newer = _mail(
        "Ede <jeugd@ede.nl>", "Mon, 28 Jun 2021 09:30:00 +0200", [("b.pdf", flattened, "application/pdf")]
    )
    (tmp_path / "in" / "b-later.eml").write_bytes(bytes(newer))
    records = list(read_inbox([str(tmp_path / "in")], werkboek=werkboek))
    assert [r["status"] for r in records] == ["ok", "recovered"]
    assert records[1]["answers"][question] == "ons antwoord"
    assert records[0]["superseded_by"] is None
    assert records[1]["superseded_by"] == records[0]["source"]
    latest = list(read_inbox([str(tmp_path / "in")], werkboek=werkboek, latest=True))
    assert [r["status"] for r in latest] == ["ok"]
