"""The fast path (:mod:`werkbladen.reader.xref`) reads exactly what the pypdf path reads, or nothing.

A differential test: every PDF we have — the shipped content's built forms, forms filled by
pypdf's writer, by ``werkbladen.filling.prefill`` and by the hostile set's filler, the real-world corpus,
every hostile case, and Hypothesis' mutations of a filled form — is read both ways. Where the
fast path accepts a file, the walk, the identity, the extract record and the raw record must
be identical to pypdf's, and pypdf must have had nothing to say (no repair, no warning). Our own
regular forms must take the fast path; otherwise its speed is lost without any test noticing.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from formkit import field_value
from hostile.make_hostile import CASES, make_all
from hostile.werkblad import fill as hostile_fill
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import CORPUS
from pypdf import PdfWriter
from test_fuzz import BASE

from werkbladen.content.model import Werkboek
from werkbladen.limits import DEFAULT_LIMITS
from werkbladen.reader import PYPDF, info_of, lexer, open_pdf, reading, xref
from werkbladen.reader.extraction import ExtractResult, extract, read_raw
from werkbladen.reader.walker import walk_form

HUGE = {"value_50mb", "fields_100k", "deep_kids_10000"}
"""Hostile cases too slow for pypdf in-process (test_hostile reads them in a child)."""


def same_both_ways(data: bytes) -> bool:
    """Assert that both paths agree where the fast path reads ``data``; True if it did."""
    try:
        form, info = xref.read(data, DEFAULT_LIMITS)
    except lexer.Fallback:
        return False
    with reading(DEFAULT_LIMITS) as log:
        reader = open_pdf(data, None)
        slow = walk_form(reader.root_object, PYPDF, DEFAULT_LIMITS)
        slow_info = info_of(reader)
        messages = list(log)
    assert messages == [], "the fast path read a file that pypdf had to repair"
    assert slow.warnings == []
    assert form == slow
    assert info == slow_info
    result = extract(data)
    assert result.to_record() == extract(data, fast_path=False).to_record()
    assert read_raw(data) == read_raw(data, fast_path=False)
    records_are_the_models(result)
    return True


def records_are_the_models(result: ExtractResult) -> None:
    """A record is written from the values as read; the validated models dump the same."""
    record = result.to_record()
    if result.answer_values is None:  # nothing was read
        assert result.answers is None and result.respondent is None
        assert record["answers"] == {} and record["respondent"] == {}
        return
    assert result.answers is not None and result.respondent is not None
    assert record["answers"] == result.answers.model_dump(mode="json")
    assert record["respondent"] == result.respondent.model_dump(mode="json")
    assert list(record["answers"]) == list(result.answers.model_dump())


def _pypdf_filled(blank: Path, werkboek: Werkboek, template: str) -> bytes:
    """Every field filled by pypdf's writer, with formkit's values (text with PDF string syntax)."""
    values: dict[str, str] = {}
    for spec in werkboek.form_fields(template):
        choice = spec.options[-1][0] if spec.options else ""
        value = field_value(spec.name, spec.kind, choice, escapes=True)
        # pypdf's writer takes a button's state as a name: the checkbox's /Yes, the choice's value
        values[spec.name] = "/Yes" if value is True else f"/{value}" if spec.kind == "choice" else str(value)
    writer = PdfWriter(clone_from=blank)
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def own_forms(built_pdfs: dict[str, Path], werkboek: Werkboek) -> dict[str, bytes]:
    """Our regular forms: blank, filled by pypdf's writer, by werkbladen.fill, by the hostile filler."""
    from werkbladen.filling.prefill import fill

    forms: dict[str, bytes] = {}
    for path in built_pdfs.values():
        template = path.stem.replace("-", "")
        blank = path.read_bytes()
        forms[f"{template}-blank"] = blank
        forms[f"{template}-pypdf"] = _pypdf_filled(path, werkboek, template)
        filled = hostile_fill(blank)
        forms[f"{template}-single"] = filled.single()
        forms[f"{template}-incremental"] = filled.incremental()
        record = extract(forms[f"{template}-single"]).to_record()
        forms[f"{template}-fill"] = fill(blank, record)
    return forms


def test_own_forms_take_the_fast_path_and_agree(own_forms: dict[str, bytes]) -> None:
    refused = [name for name, data in own_forms.items() if not same_both_ways(data)]
    assert refused == []


GOLDEN = Path(__file__).resolve().parent / "golden"


def test_forms_saved_by_real_engines_agree() -> None:
    """The engines' golden files: those saved with a classic xref table are read fast, and alike."""
    paths = sorted(GOLDEN.glob("*.pdf"))
    assert paths
    taken = {p.name.split(".")[1] for p in paths if same_both_ways(p.read_bytes())}
    assert {"mupdf", "pdfium", "pdftk-fdf", "pdftk-xfdf", "pypdf", "werkbladen"} <= taken
    for path in paths:
        records_are_the_models(extract(path))


def test_every_corpus_file_agrees_or_falls_back() -> None:
    paths = sorted(CORPUS.glob("*.pdf"))
    assert paths
    for path in paths:
        same_both_ways(path.read_bytes())
        records_are_the_models(extract(path))


def test_every_hostile_case_agrees_or_falls_back(tmp_path: Path, built_pdfs: dict[str, Path]) -> None:
    paths = make_all(tmp_path, blank=built_pdfs["stap-2.pdf"])
    assert set(paths) == set(CASES)
    taken = []
    for name, path in sorted(paths.items()):
        data = path.read_bytes()
        if name in HUGE:
            continue
        if same_both_ways(data):
            taken.append(name)
        records_are_the_models(extract(data))
    # Damage, odd values, loops, encryption and orphans go to pypdf (same_both_ways proves that
    # whatever the fast path took, pypdf read without a remark); the regular ones are read fast.
    assert {"duplicate_names", "flattened", "no_form", "plain_form", "xfa_only"} <= set(taken)
    assert not {n for n in taken if n.startswith(("cycle_kids", "truncated_", "encrypted_", "objstm_"))}


def test_wrong_xref_offsets_fall_back_and_pypdf_repairs_them(built_pdfs: dict[str, Path]) -> None:
    data = hostile_fill(built_pdfs["stap-2.pdf"].read_bytes()).single()
    head, sep, tail = data.rpartition(b"\nxref\n")
    shifted = re.sub(rb"(?m)^(\d{10})( 00000 n)", lambda m: b"%010d" % (int(m[1]) + 7) + m[2], tail)
    assert shifted != tail
    with pytest.raises(lexer.Fallback):
        xref.read(head + sep + shifted, DEFAULT_LIMITS)
    assert extract(head + sep + shifted).ok


INSERTS = [b"(", b")", b"\\", b"<<", b">>", b"[", b"]", b" /T (x)", b"%", b"#", b"\\777", b" 0 R"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_forms_agree_or_fall_back(data: st.DataObject) -> None:
    """Hypothesis edits a filled form; most edits keep every offset, so the xref stays valid
    and the object scanner itself meets the damage."""
    raw = bytearray(BASE)
    keep_offsets = data.draw(st.integers(0, 3)) > 0  # three in four
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        token = data.draw(st.sampled_from(INSERTS))
        op = data.draw(
            st.sampled_from(["flip", "overwrite"] if keep_offsets else ["delete", "insert", "duplicate"])
        )
        if op == "flip":
            raw[at] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "overwrite":
            raw[at : at + len(token)] = token[: len(raw) - at]
        elif op == "delete":
            del raw[at : at + data.draw(st.integers(1, 8))]
        elif op == "insert":
            raw[at:at] = token
        else:
            raw[at:at] = raw[at : at + data.draw(st.integers(1, 40))]
    same_both_ways(bytes(raw))


def test_pdfdocencoding_table_is_pypdfs() -> None:
    from pypdf._codecs import _pdfdoc_encoding

    assert lexer.pdfdoc_table() == list(_pdfdoc_encoding)


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        (b"(a\\\n\nb)", "ab"),  # pypdf takes two EOL bytes after a backslash
        (b"(a\\\r\nb)", "ab"),
        (b"(\\101\\0611)", "A11"),
        (b"(\\1234\\12)", "S4\n"),
        (b"(a\\\\(b))", "a\\(b)"),
        (b"(\\n\\r\\t\\b\\f)", "\n\r\t\b\f"),
        (b"(x (y) z)", "x (y) z"),
        (b"(\\/\\#\\_\\$)", "/#_$"),
        (b"<4142 43>", "ABC"),
        (b"<414>", "A@"),
        (b"(\\351t\\216)", "ét”"),
        (b"(\xfe\xff\x00\xe9\x20\xac)", "é€"),
    ],
)
def test_strings_decode_as_pypdf_decodes_them(literal: bytes, expected: str) -> None:
    from io import BytesIO

    from pypdf.generic import read_object

    assert str(read_object(BytesIO(literal), None)) == expected  # type: ignore[arg-type]
    assert lexer.text(lexer.string_bytes(literal)) == expected


@pytest.mark.parametrize(
    "literal",
    [b"(\\q)", b"(\\777)", b"(\x00abc)", b"(a\x16b)", b"(\xef\xbb\xbfa)", b"(\xfe\xff\xd8\x00)"],
)
def test_strings_pypdf_reads_otherwise_fall_back(literal: bytes) -> None:
    with pytest.raises(lexer.Fallback):
        lexer.text(lexer.string_bytes(literal))


def _form(widget_extra: bytes) -> bytes:
    """A one-field form whose widget dictionary carries ``widget_extra``."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (naam) /V (Piet) /Rect [0 0 10 10] "
        + widget_extra
        + b" >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_regular_small_form_is_read_fast() -> None:
    assert same_both_ways(_form(b"/MK << /BC [0 0 1] >> /AP << /N << >> >>"))
    assert xref.read(_form(b""), DEFAULT_LIMITS)[0].fields[0].value == "Piet"


@pytest.mark.parametrize(
    "extra",
    [
        b"/MK << /BC [0 0 1] /BC [1 0 0] >>",  # a repeated key inside a skipped value: pypdf warns
        b"/T (ander)",  # a repeated key at the top
        b"/#54U (tip)",  # an escaped name
        b"/MK << /BC [0 0 1 >>",  # unbalanced
        b"/DA (a) b",
    ],
)
def test_irregular_dictionaries_fall_back(extra: bytes) -> None:
    with pytest.raises(lexer.Fallback):
        xref.read(_form(extra), DEFAULT_LIMITS)
    same_both_ways(_form(extra))


def test_opt_is_read_fast_unless_a_button_needs_its_appearances() -> None:
    assert same_both_ways(_form(b"/Opt [(a)]")), "a text field's /Opt is not read at all"
    button = _form(b"/Opt [(ja)]").replace(b"/FT /Tx", b"/FT /Btn").replace(b"/V (Piet)", b"/V /0")
    with pytest.raises(lexer.Fallback):
        xref.read(button, DEFAULT_LIMITS)  # the export value is found through /AP, which is skipped
    assert same_both_ways(button) is False


def test_the_fast_path_never_imports_pypdf(own_forms: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "werkboek.pdf"
    path.write_bytes(own_forms["werkboek-pypdf"])
    code = (
        "import sys\n"
        "from werkbladen import extract\n"
        "assert not {'pydantic', 'yaml', 'pypdf'} & set(sys.modules), 'import werkbladen is not light'\n"
        f"assert extract({str(path)!r}).status == 'ok'\n"
        "assert 'pypdf' not in sys.modules, 'pypdf imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_objects_shared_between_files_are_parsed_once_and_never_confused() -> None:
    """The parse cache keys an object by its bytes up to its first ``endobj``."""
    xref._PARSED.clear()
    plain = _form(b"")
    assert xref.read(plain, DEFAULT_LIMITS)[0].fields[0].value == "Piet"
    cached = len(xref._PARSED)
    assert cached >= 4
    other = plain.replace(b"(Piet)", b"(Jan!)")
    assert xref.read(other, DEFAULT_LIMITS)[0].fields[0].value == "Jan!"
    assert len(xref._PARSED) == cached + 1, "only the changed widget is parsed again"
    assert xref.read(plain, DEFAULT_LIMITS)[0].fields[0].value == "Piet"
    # "endobj" inside a string before the value: equal keys, different objects; never cached
    tricky = plain.replace(b"/T (naam)", b"/TU (x endobj y) /T (naam)")
    for data, value in ((tricky, "Piet"), (tricky.replace(b"(Piet)", b"(Jan!)"), "Jan!")):
        assert read_raw(data)["fields"]["naam"] == value
        same_both_ways(data)


def _read(data: bytes) -> object:
    try:
        return xref.read(data, DEFAULT_LIMITS)
    except lexer.Fallback:
        return "fallback"


def _read_plainly(data: bytes, monkeypatch: pytest.MonkeyPatch) -> object:
    """What the scanner reads with no template and no parse cache: every object read afresh."""

    def guided(self: lexer.Scanner, pos: int, templates: list[lexer.Template]) -> tuple[object, int, None]:
        value, end = self.toplevel(pos)
        return value, end, None

    saved = dict(xref._PARSED)
    xref._PARSED.clear()
    with monkeypatch.context() as patch:
        patch.setattr(lexer.Scanner, "guided", guided)
        try:
            return _read(data)
        finally:
            xref._PARSED.clear()
            xref._PARSED.update(saved)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b"/Ff 4 /Q 1", b"/Ff 4 0 R /Q 1"),  # a number that a reference's rest now follows
        (b"/Q 1 /Ff 4", b"/Q 1 /Ff 4 0 R"),
        (b"/Ff 4\n/Q 1", b"/Ff 4\n\n 0 R /Q 1"),
        (b"/TU (a) /Ff 0", b"/TU (a) /TU (b) /Ff 0"),  # a repeat beside pairs taken over
        (b"/TU (a) /Ff 0", b"/Ff 0 /TU (a) /Ff 0"),
        (b"/MK << /BC [0 0 1] >>", b"/MK << /BC [0 0 1] /BC [1 0 0] >>"),
        (b"/Opt [(a)] /Q 1", b"/Opt [(a) (b)] /Q 1"),
        (b"/Q 1 /DA (x)", b"/Q 1/DA (x)"),
        (b"/Q 1 /DA (x)", b"/Q 12 /DA (x)"),
        (b"/AS /Off /Q 1", b"/AS /Offen /Q 1"),
        (b"/AS /Off /Q 1", b"/AS /Off% a comment\n/Q 1"),
        (b"/Kids [5 0 R] /Q 1", b"/Kids [5 0 R 6 0 R] /Q 1"),
        (b"/Q 1", b"/Q 1 /V (Jan)"),  # /V twice
        (b"/Q 1", b""),
    ],
)
def test_templates_take_over_only_what_reads_the_same(
    before: bytes, after: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An object read after a like one (its template) reads as it reads alone, or falls back alike."""
    xref._TEMPLATES.clear()
    xref._PARSED.clear()
    _read(_form(before))
    assert xref._TEMPLATES, "the widget made a template"
    changed = _form(after)
    assert _read(changed) == _read_plainly(changed, monkeypatch)


WIDGETS = [
    (m.start(), m.end())
    for m in re.finditer(rb"\d+ 0 obj\s*<<.*?endobj", BASE, re.DOTALL)
    if b"/Widget" in m[0] and b"stream" not in m[0]
]
"""Where BASE's widget objects are: what the edits below hit."""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_objects_read_with_templates_read_as_alone(data: st.DataObject) -> None:
    """Hypothesis edits an object of a filled form that the same form, read before, made templates
    of; every offset is kept. Read with those templates, it reads as it reads with none."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        xref._PARSED.clear()
        _read(BASE)
        raw = bytearray(BASE)
        for _ in range(data.draw(st.integers(1, 3))):
            start, end = data.draw(st.sampled_from(WIDGETS))
            at = data.draw(st.integers(start, end - 1))
            if data.draw(st.booleans()):
                raw[at] ^= 1 << data.draw(st.integers(0, 7))
            else:
                token = data.draw(st.sampled_from([*INSERTS, b" 1", b"\n", b" 0", b"/V", b"/Kids"]))
                raw[at : at + len(token)] = token[: len(raw) - at]
        mutated = bytes(raw)
        assert _read(mutated) == _read_plainly(mutated, monkeypatch)
