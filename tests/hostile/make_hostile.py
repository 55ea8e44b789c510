"""The hostile test set: broken, hostile and odd PDFs that ``werkbladen extract`` must survive.

Run ``python tests/hostile/make_hostile.py OUTDIR [BLANK_WERKBLAD.pdf]``, or import and call
:func:`make_all`. Most files are a *filled werkblad, then damaged*: a blank werkblad (the
layout's ``stap-N.pdf``, or :func:`hostile.werkblad.own_blank` without one) is filled
with a distinct value per field, so a test can check that nothing was silently lost. The
damage is appended as an incremental update where that is how it would arrive, or made in
the bytes. Everything is deterministic except the AES files (random salts and IVs).
"""

from __future__ import annotations

import io
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: import the sibling modules as package ``hostile``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "hostile"

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from .pdfbytes import (
    append_update,
    append_xref_stream_update,
    build,
    pdf_string,
    ser,
    stream,
    zero_bomb,
)
from .werkblad import Field, Filled, fill, own_blank

USER_PASSWORD = "geheim"
OWNER_PASSWORD = "eigenaar"
GB = 1 << 30


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    make: Callable[[Filled], bytes]


CASES: dict[str, Case] = {}


def case(name: str, description: str) -> Callable[[Callable[[Filled], bytes]], Callable[[Filled], bytes]]:
    def register(make: Callable[[Filled], bytes]) -> Callable[[Filled], bytes]:
        CASES[name] = Case(name, description, make)
        return make

    return register


class Edit:
    """An incremental update on the filled single-revision werkblad."""

    def __init__(self, filled: Filled) -> None:
        self.filled = filled
        self.base = filled.single()
        self.reader = PdfReader(io.BytesIO(self.base))
        tr = self.reader.trailer
        self.size = int(tr["/Size"])
        self.root = tr.raw_get("/Root").idnum
        self.info = tr.raw_get("/Info").idnum if "/Info" in tr else None
        self.objects: dict[int, bytes] = {}
        root = self.reader.get_object(self.root)
        acro = root.raw_get("/AcroForm")
        self._acro_num = acro.idnum if isinstance(acro, IndirectObject) else None
        self.acro = DictionaryObject(root["/AcroForm"])
        self.acro[NameObject("/Fields")] = ArrayObject(root["/AcroForm"]["/Fields"])
        self.page_num = self.reader.pages[0].indirect_reference.idnum  # type: ignore[union-attr]
        self.page = DictionaryObject(self.reader.get_object(self.page_num))
        self.page[NameObject("/Annots")] = ArrayObject(self.page.get("/Annots", []))
        self._touched: set[str] = set()

    def new(self, body: bytes = b"null") -> int:
        num = self.size
        self.size += 1
        self.objects[num] = body
        return num

    def field(self, kind: str) -> Field:
        """The first filled field of ``kind`` (a real answer to damage or to check)."""
        return self.filled.target(kind)

    def obj(self, num: int) -> DictionaryObject:
        return DictionaryObject(self.reader.get_object(num))

    def add_field(self, num: int, *, annot: bool = True) -> None:
        self.acro["/Fields"].append(IndirectObject(num, 0, self.reader))
        self._touched.add("acro")
        if annot:
            self.add_annot(num)

    def add_annot(self, num: int) -> None:
        self.page["/Annots"].append(IndirectObject(num, 0, self.reader))
        self._touched.add("page")

    def touch_acro(self) -> DictionaryObject:
        self._touched.add("acro")
        return self.acro

    def widget(self, extra: bytes, *, ft: bytes = b"/Tx") -> bytes:
        return (
            b"<< /FT "
            + ft
            + b" /Type /Annot /Subtype /Widget /F 4 /Rect [400 20 560 36] /P %d 0 R " % self.page_num
            + extra
            + b" >>"
        )

    def result(self) -> bytes:
        if "page" in self._touched:
            self.objects[self.page_num] = ser(self.page)
        if "acro" in self._touched:
            if self._acro_num is not None:
                self.objects[self._acro_num] = ser(self.acro)
            else:
                root = self.obj(self.root)
                root[NameObject("/AcroForm")] = self.acro
                self.objects[self.root] = ser(root)
        trailer = b"/Size %d /Root %d 0 R" % (self.size, self.root)
        if self.info is not None:
            trailer += b" /Info %d 0 R" % self.info
        return append_update(self.base, self.objects, trailer)


# --- cycles and depth -------------------------------------------------------------------------


@case("cycle_kids_self", "filled werkblad plus a field whose /Kids contains itself")
def _cycle_kids_self(f: Filled) -> bytes:
    e = Edit(f)
    n = e.new()
    e.objects[n] = b"<< /T (lus) /FT /Tx /Kids [%d 0 R] >>" % n
    e.add_field(n, annot=False)
    return e.result()


@case("cycle_kids_ancestor", "filled werkblad plus fields A → B → A through /Kids (and /Parent)")
def _cycle_kids_ancestor(f: Filled) -> bytes:
    e = Edit(f)
    a, b, c = e.new(), e.new(), e.new()
    e.objects[a] = b"<< /T (a) /FT /Tx /Kids [%d 0 R] >>" % b
    e.objects[b] = b"<< /T (b) /Parent %d 0 R /Kids [%d 0 R %d 0 R] >>" % (a, c, a)
    e.objects[c] = e.widget(b"/T (c) /Parent %d 0 R /Kids [%d 0 R] /V (in de lus)" % (b, b))
    e.add_field(a, annot=False)
    e.add_annot(c)
    return e.result()


@case("cycle_parent_loop", "filled werkblad plus a widget (in /Annots) whose /Parent chain loops")
def _cycle_parent_loop(f: Filled) -> bytes:
    e = Edit(f)
    w, p, q = e.new(), e.new(), e.new()
    e.objects[w] = e.widget(b"/Parent %d 0 R /V (ouderlus)" % p)
    e.objects[p] = b"<< /T (p) /Parent %d 0 R /Kids [%d 0 R] >>" % (q, w)
    e.objects[q] = b"<< /T (q) /Parent %d 0 R /Kids [%d 0 R] >>" % (p, p)
    e.add_field(p, annot=False)
    e.add_annot(w)
    return e.result()


@case("deep_kids_10000", "filled werkblad plus a 10,000-deep /Kids chain ending in a text widget")
def _deep_kids(f: Filled) -> bytes:
    e = Edit(f)
    nums = [e.new() for _ in range(10_000)]
    for i, n in enumerate(nums[:-1]):
        parent = b"/Parent %d 0 R " % nums[i - 1] if i else b""
        e.objects[n] = b"<< /T (d%d) " % i + parent + b"/Kids [%d 0 R] >>" % nums[i + 1]
    e.objects[nums[-1]] = e.widget(b"/T (blad) /Parent %d 0 R /V (diep)" % nums[-2])
    e.add_field(nums[0], annot=False)
    e.add_annot(nums[-1])
    return e.result()


# --- bombs --------------------------------------------------------------------------------------


@case("bomb_page_content", "filled werkblad whose page content gains a 2 MB Flate stream inflating to 2 GiB")
def _bomb_content(f: Filled) -> bytes:
    e = Edit(f)
    bomb = e.new(stream(zero_bomb(2 * GB), b"/Filter /FlateDecode "))
    e.page[NameObject("/Contents")] = ArrayObject(
        [e.page.raw_get("/Contents"), IndirectObject(bomb, 0, e.reader)]
    )
    e._touched.add("page")
    return e.result()


def _double_bomb(extra: bytes = b"") -> bytes:
    """A few KB that inflate twice to 2 GiB: [/FlateDecode /FlateDecode]."""
    return stream(zlib.compress(zero_bomb(2 * GB), 9), b"/Filter [/FlateDecode /FlateDecode] " + extra)


@case("bomb_field_value", "filled werkblad plus a text field whose /V is a 4 KB stream inflating to 2 GiB")
def _bomb_value(f: Filled) -> bytes:
    e = Edit(f)
    s = e.new(_double_bomb())
    w = e.new(e.widget(b"/T (bomwaarde) /V %d 0 R" % s))
    e.add_field(w)
    return e.result()


@case("bomb_appearance", "filled werkblad plus a widget whose /AP /N stream inflates to 2 GiB")
def _bomb_ap(f: Filled) -> bytes:
    e = Edit(f)
    s = e.new(_double_bomb(b"/Type /XObject /Subtype /Form /BBox [0 0 9 9] "))
    w = e.new(e.widget(b"/T (bomschijn) /V (x) /AP << /N %d 0 R >>" % s))
    e.add_field(w)
    return e.result()


def _objstm_case(f: Filled, n: int, first: int | None) -> bytes:
    """The AcroForm of the newest revision lives in an /ObjStm with a lying header."""
    e = Edit(f)
    e.touch_acro()
    acro = ser(e.acro)
    objstm, xref = e.new(), e.new()
    acro_num = e._acro_num if e._acro_num is not None else e.new()
    header = b"%d 0 " % acro_num
    first = len(header) if first is None else first
    body = stream(header + acro, b"/Type /ObjStm /N %d /First %d " % (n, first), flate=True)
    root = e.obj(e.root)
    root[NameObject("/AcroForm")] = IndirectObject(acro_num, 0, e.reader)
    objects = {objstm: body, e.root: ser(root)}
    trailer = b"/Size %d /Root %d 0 R" % (e.size, e.root)
    if e.info is not None:
        trailer += b" /Info %d 0 R" % e.info
    return append_xref_stream_update(e.base, objects, {acro_num: (objstm, 0)}, xref, trailer)


@case("objstm_huge_n", "filled werkblad whose AcroForm moved into an /ObjStm claiming /N 2,000,000,000")
def _objstm_n(f: Filled) -> bytes:
    return _objstm_case(f, 2_000_000_000, None)


@case(
    "objstm_first_past_end", "filled werkblad whose AcroForm moved into an /ObjStm with /First past its end"
)
def _objstm_first(f: Filled) -> bytes:
    return _objstm_case(f, 1, 1_000_000_000)


# --- size ---------------------------------------------------------------------------------------


@case("fields_100k", "filled werkblad plus 100,000 extra text fields in /Fields")
def _fields_100k(f: Filled) -> bytes:
    e = Edit(f)
    first = e.size
    for i in range(100_000):
        e.objects[first + i] = b"<< /FT /Tx /T (extra%d) /V (v%d) >>" % (i, i)
    e.size += 100_000
    refs = b" ".join(b"%d 0 R" % n for n in range(first, first + 100_000))
    e.touch_acro()
    fields = ser(e.acro["/Fields"])[1:-1].strip()
    acro = ser(DictionaryObject({k: v for k, v in e.acro.items() if k != "/Fields"}))
    e.objects[e._acro_num or e.new()] = acro[:-2] + b" /Fields [" + fields + b" " + refs + b"] >>"
    e._touched.discard("acro")
    return e.result()


@case("value_50mb", "filled werkblad whose first multiline answer is a 50 MB string")
def _value_50mb(f: Filled) -> bytes:
    e = Edit(f)
    target = e.field("multiline")
    node = e.obj(target.ref)
    body = ser(DictionaryObject({k: v for k, v in node.items() if k != "/V"}))
    e.objects[target.ref] = body[:-2] + b" /V (" + b"lang " * (10 * 1024 * 1024) + b") >>"
    return e.result()


# --- odd values ---------------------------------------------------------------------------------


def _odd_value(f: Filled, value: bytes, extra_objects: Callable[[Edit], None] | None = None) -> bytes:
    e = Edit(f)
    target = f.target("text")
    node = e.obj(target.ref)
    body = ser(DictionaryObject({k: v for k, v in node.items() if k != "/V"}))
    if extra_objects:
        extra_objects(e)
    e.objects[target.ref] = body[:-2] + b" /V " + value.replace(b"@", b"%d" % e.size) + b" >>"
    return e.result()


_ODD_VALUES: dict[str, tuple[str, bytes]] = {
    "v_array": ("/V as an array", b"[(een) (twee) 3]"),
    "v_dict": ("/V as a dictionary", b"<< /Waarde (x) >>"),
    "v_number": ("/V as a number", b"42.5"),
    "v_name": ("/V as a name", b"/Naamwaarde"),
    "v_bool": ("/V as a boolean", b"true"),
    "v_null": ("/V as null", b"null"),
}
for _name, (_desc, _value) in _ODD_VALUES.items():
    case(_name, f"filled werkblad, one text answer replaced by {_desc}")(lambda f, v=_value: _odd_value(f, v))


@case("v_stream", "filled werkblad, one text answer given as a text stream (legal per ISO 32000)")
def _v_stream(f: Filled) -> bytes:
    e = Edit(f)
    target = f.target("text")
    s = e.new(stream(b"\xfe\xff" + "waarde uit een stroom – ✓".encode("utf-16-be"), flate=True))
    node = e.obj(target.ref)
    node[NameObject("/V")] = IndirectObject(s, 0, e.reader)
    e.objects[target.ref] = ser(node)
    return e.result()


@case(
    "v_ref_self", "filled werkblad, one text answer is a reference to an object that is a reference to itself"
)
def _v_ref_self(f: Filled) -> bytes:
    e = Edit(f)
    target = f.target("text")
    n = e.new()
    e.objects[n] = b"%d 0 R" % n
    node = e.obj(target.ref)
    node[NameObject("/V")] = IndirectObject(n, 0, e.reader)
    e.objects[target.ref] = ser(node)
    return e.result()


@case("v_ref_loop", "filled werkblad, one text answer is a reference into a two-object reference loop")
def _v_ref_loop(f: Filled) -> bytes:
    e = Edit(f)
    target = f.target("text")
    a, b = e.new(), e.new()
    e.objects[a] = b"%d 0 R" % b
    e.objects[b] = b"%d 0 R" % a
    node = e.obj(target.ref)
    node[NameObject("/V")] = IndirectObject(a, 0, e.reader)
    e.objects[target.ref] = ser(node)
    return e.result()


# --- odd names ----------------------------------------------------------------------------------


def _odd_name(f: Filled, t: bytes, value: str) -> bytes:
    e = Edit(f)
    w = e.new(e.widget(b"/T " + t + b" /V " + pdf_string(value)))
    e.add_field(w)
    return e.result()


@case("t_number", "filled werkblad plus a field whose /T is a number")
def _t_number(f: Filled) -> bytes:
    return _odd_name(f, b"12345", "naam is een getal")


@case("t_not_utf8", "filled werkblad plus a field whose /T bytes are neither UTF-8 nor PDFDocEncoding-clean")
def _t_not_utf8(f: Filled) -> bytes:
    return _odd_name(f, b"<C328FF80818F9D>", "naam in rare bytes")


@case("t_bad_surrogate", "filled werkblad plus a field whose /T is UTF-16BE with a lone surrogate")
def _t_bad_surrogate(f: Filled) -> bytes:
    return _odd_name(f, b"<FEFF0061D800006200DC00>", "naam met kapotte surrogaat")


@case("t_periods", "filled werkblad plus a field whose partial name contains periods")
def _t_periods(f: Filled) -> bytes:
    return _odd_name(f, b"(stap1.punt.naam)", "naam met punten")


# --- structure ----------------------------------------------------------------------------------


@case("radio_kid_missing_ap", "filled werkblad whose radio group has a kid without /AP")
def _radio_no_ap(f: Filled) -> bytes:
    e = Edit(f)
    radio = next((x for x in f.fields if x.kind == "radio" and len(x.widgets) > 1), None)
    if radio is not None:
        value = f.values.get(radio.name)
        kid = next(w for w, s in zip(radio.widgets, radio.states, strict=True) if s != value)
        node = e.obj(kid)
        del node["/AP"]
        e.objects[kid] = ser(node)
        return e.result()
    kids = [e.new(), e.new()]
    parent = e.new(b"<< /FT /Btn /Ff %d /T (extra_radio) /V /a /Kids [%d 0 R %d 0 R] >>" % (1 << 15, *kids))
    e.objects[kids[0]] = e.widget(b"/Parent %d 0 R /AS /Off" % parent, ft=b"/Btn")
    e.objects[kids[1]] = e.widget(b"/Parent %d 0 R /AS /a /AP << /N << /a 1 0 R >> >>" % parent, ft=b"/Btn")
    e.add_field(parent, annot=False)
    for k in kids:
        e.add_annot(k)
    return e.result()


@case(
    "widget_outside_fields", "filled werkblad with one answered field dropped from /Fields (still in /Annots)"
)
def _outside(f: Filled) -> bytes:
    e = Edit(f)
    target = e.field("multiline")
    e.touch_acro()
    e.acro[NameObject("/Fields")] = ArrayObject(r for r in e.acro["/Fields"] if r.idnum != target.ref)
    return e.result()


@case("fields_not_array", "filled werkblad whose /AcroForm /Fields is a dictionary, not an array")
def _fields_dict(f: Filled) -> bytes:
    e = Edit(f)
    e.touch_acro()[NameObject("/Fields")] = DictionaryObject({NameObject("/Oeps"): e.acro["/Fields"]})
    return e.result()


@case("fields_missing", "filled werkblad whose /AcroForm has no /Fields at all (widgets only in /Annots)")
def _fields_missing(f: Filled) -> bytes:
    e = Edit(f)
    del e.touch_acro()["/Fields"]
    return e.result()


@case(
    "duplicate_names", "filled werkblad plus a second field with an answered field's name and another value"
)
def _duplicates(f: Filled) -> bytes:
    e = Edit(f)
    target = e.field("text")
    w = e.new(e.widget(b"/T " + pdf_string(target.name) + b" /V " + pdf_string("tweede, andere waarde")))
    e.add_field(w)
    return e.result()


# --- xref, trailer, truncation -----------------------------------------------------------------


@case("xref_offsets_wrong", "filled werkblad whose xref table offsets are all off by 7 bytes")
def _xref_wrong(f: Filled) -> bytes:
    data = f.single()
    head, sep, tail = data.rpartition(b"\nxref\n")
    lines = tail.split(b"\n")
    fixed = [
        b"%010d 00000 n " % (int(x[:10]) + 7) if len(x) == 19 and x.endswith(b" n ") else x for x in lines
    ]
    return head + sep + b"\n".join(fixed)


@case("xref_missing", "filled werkblad without its xref table (trailer and startxref kept)")
def _xref_missing(f: Filled) -> bytes:
    data = f.single()
    start = data.rindex(b"xref\n0 ")
    end = data.index(b"trailer", start)
    return data[:start] + data[end:]


@case("trailer_missing", "filled werkblad without its trailer dictionary")
def _trailer_missing(f: Filled) -> bytes:
    data = f.single()
    start = data.rindex(b"trailer")
    end = data.index(b"startxref", start)
    return data[:start] + data[end:]


@case("startxref_garbage", "filled werkblad whose startxref points into the middle of an object")
def _startxref_garbage(f: Filled) -> bytes:
    data = f.single()
    start = data.rindex(b"startxref\n") + len(b"startxref\n")
    end = data.index(b"\n", start)
    return data[:start] + b"%d" % (len(data) // 3) + data[end:]


def _truncate(f: Filled, fraction: float) -> bytes:
    data = f.single()
    return data[: int(len(data) * fraction)]


for _pct in (10, 50, 90):
    case(f"truncated_{_pct}", f"filled werkblad cut at {_pct}% of its bytes")(
        lambda f, p=_pct: _truncate(f, p / 100)
    )


@case("truncated_incremental", "blank werkblad plus its fill as an incremental save, cut inside the update")
def _trunc_incr(f: Filled) -> bytes:
    blank, full = f.blank, f.incremental()
    return full[: len(blank) + (len(full) - len(blank)) // 2]


@case(
    "truncated_incremental_xref", "blank werkblad plus the fill's objects, cut just before the update's xref"
)
def _trunc_incr_xref(f: Filled) -> bytes:
    full = f.incremental()
    return full[: full.rindex(b"xref\n0 1")]


# --- encryption ----------------------------------------------------------------------------------


def _encrypt(f: Filled, user: str, owner: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(f.single()))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@case("encrypted_user_password", f"filled werkblad, AES-256, user password {USER_PASSWORD!r}")
def _enc_user(f: Filled) -> bytes:
    return _encrypt(f, USER_PASSWORD, OWNER_PASSWORD)


@case("encrypted_owner_only", "filled werkblad, AES-256, empty user password and an owner password")
def _enc_owner(f: Filled) -> bytes:
    return _encrypt(f, "", OWNER_PASSWORD)


# --- not (or no longer) a werkblad ---------------------------------------------------------------


@case(
    "flattened",
    "filled werkblad with the form removed (no /AcroForm, no widgets), page content and info kept",
)
def _flattened(f: Filled) -> bytes:
    e = Edit(f)
    root = e.obj(e.root)
    del root["/AcroForm"]
    e.objects[e.root] = ser(root)
    for page in e.reader.pages:
        num = page.indirect_reference.idnum  # type: ignore[union-attr]
        flat = e.obj(num)
        flat.pop("/Annots", None)
        e.objects[num] = ser(flat)
    return e.result()


def _simple(acroform: bytes | None, annots: bytes = b"", extra: dict[int, bytes] | None = None) -> bytes:
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R" + (b" /AcroForm " + acroform if acroform else b"") + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >>"
        + (b" /Annots [" + annots + b"]" if annots else b"")
        + b" >>",
        4: stream(b"BT /F1 12 Tf 72 780 Td (Een gewone PDF) Tj ET"),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        **(extra or {}),
    }
    return build(objs, 1)


@case("plain_form", "an ordinary two-field form that is not a werkblad")
def _plain_form(f: Filled) -> bytes:
    w = b"/Type /Annot /Subtype /Widget /P 3 0 R /DA (/Helv 10 Tf 0 g)"
    return _simple(
        b"<< /Fields [6 0 R 7 0 R] >>",
        b"6 0 R 7 0 R",
        {
            6: b"<< /FT /Tx /T (naam) /V (Jan) /Rect [72 700 300 716] " + w + b" >>",
            7: b"<< /FT /Tx /T (adres) /V (Dorpsstraat 1) /Rect [72 670 300 686] " + w + b" >>",
        },
    )


@case("no_form", "an ordinary PDF without any form")
def _no_form(f: Filled) -> bytes:
    return _simple(None)


@case("xfa_only", "an XFA-only form: /XFA packet, empty /Fields")
def _xfa(f: Filled) -> bytes:
    xdp = (
        b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template xmlns="http://www.xfa.org/schema/xfa-template/3.3/">'
        b'<subform name="form1"><field name="naam"/></subform></template>'
        b'<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><form1><naam>Jan</naam>'
        b"</form1></xfa:data></xfa:datasets></xdp:xdp>"
    )
    return _simple(b"<< /Fields [] /XFA 6 0 R >>", extra={6: stream(xdp, flate=True)})


@case("empty_file", "a file of zero bytes")
def _empty(f: Filled) -> bytes:
    return b""


@case("not_a_pdf", "an HTML page saved with a .pdf name")
def _html(f: Filled) -> bytes:
    return b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>\n"


@case("header_only", "just a PDF header line")
def _header(f: Filled) -> bytes:
    return b"%PDF-1.7\n"


# --- making the set ----------------------------------------------------------------------------


def base_filled(blank: Path | None = None) -> Filled:
    """The filled werkblad every damaged case starts from (own crafted blank without ``blank``)."""
    specs = _specs()
    data = blank.read_bytes() if blank else own_blank("werkboek", specs=specs or None)
    return fill(data, {s.name: s.kind for s in specs})


def _specs() -> list[Any]:
    """The werkboek's fields from the shipped content, when it loads (else none: own default set)."""
    try:
        from werkbladen.content.loader import shipped_werkboek

        return shipped_werkboek().form_fields("werkboek")
    except Exception:
        return []


def make_good(out_dir: Path, filled: Filled) -> dict[str, Path]:
    """Good filled werkbladen (single revision and incremental save), for mixed batches."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {"good_single": filled.single(), "good_incremental": filled.incremental()}
    paths = {}
    for name, data in files.items():
        path = out_dir / f"{name}.pdf"
        path.write_bytes(data)
        paths[name] = path
    return paths


def make_all(out_dir: Path, blank: Path | None = None, filled: Filled | None = None) -> dict[str, Path]:
    """Write every hostile case into ``out_dir`` as ``<name>.pdf``; return them by name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    filled = filled or base_filled(blank)
    paths = {}
    for name, c in CASES.items():
        path = out_dir / f"{name}.pdf"
        path.write_bytes(c.make(filled))
        paths[name] = path
    return paths


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: make_hostile.py OUTDIR [BLANK_WERKBLAD.pdf]", file=sys.stderr)
        return 2
    out = Path(argv[1])
    filled = base_filled(Path(argv[2]) if len(argv) == 3 else None)
    paths = make_all(out, filled=filled)
    paths.update(make_good(out, filled))
    for name, path in paths.items():
        print(f"{path.stat().st_size:>11,}  {name:<28} {CASES[name].description if name in CASES else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
