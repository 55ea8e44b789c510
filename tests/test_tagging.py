"""The werkbladen are tagged PDF (PDF/UA-1 in intent): read back by independent readers of tags.

Three readers that build their own model of the structure tree: PDFium (``FPDF_StructTree_*``, as
Chrome and Edge expose it), pdf.js (``getStructTree``, the tree Firefox hands to screen readers)
and poppler (``pdfinfo -struct-text``, Evince and Okular). Then the Matterhorn Protocol's failure
conditions that a program can decide and that apply to these files (forms, links, tables,
headings, lists; no images, no notes), each checked on every built PDF from the PDF itself, and
the ``pdfua`` checker from PyPI (a subset of the machine-checkable rules; veraPDF, the reference
checker, is Java and in no registry this project reaches).
"""

from __future__ import annotations

import ctypes
import itertools
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import BooleanObject, ContentStream, DictionaryObject, IndirectObject

from werkbladen.content.model import Werkboek

ENGINES = Path(__file__).parent / "engines"
PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI"}
STANDARD_ROLES = {
    *[
        "Document",
        "Part",
        "Sect",
        "Div",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "P",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "Link",
        "Form",
        "TOC",
        "TOCI",
    ],
    *["Figure", "Span", "Reference", "Annot", "Caption", "THead", "TBody"],
}


def _pdfs(built_pdfs: dict[str, Path]) -> Iterator[tuple[str, Path]]:
    yield from sorted(built_pdfs.items())


def _elements(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every structure element, depth first in tree (reading) order."""
    root = reader.trailer["/Root"]["/StructTreeRoot"]

    def walk(kids: Any) -> Iterator[DictionaryObject]:
        kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
        for kid in kids if isinstance(kids, list) else [kids]:
            node = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(node, DictionaryObject) and "/S" in node:
                yield node
                if "/K" in node:
                    yield from walk(node["/K"])

    yield from walk(root["/K"])


def _objrs(element: DictionaryObject) -> list[Any]:
    kids = element.get("/K", [])
    kids = kids if isinstance(kids, list) else [kids]
    out = []
    for kid in kids:
        kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/OBJR":
            out.append(kid.raw_get("/Obj"))
    return out


# -- PDFium -----------------------------------------------------------------------------------------


def _pdfium_type(raw: Any, element: Any) -> str:
    size = raw.FPDF_StructElement_GetType(element, None, 0)
    buffer = ctypes.create_string_buffer(size)
    raw.FPDF_StructElement_GetType(element, buffer, size)
    return buffer.raw.decode("utf-16-le").rstrip("\x00")


def _pdfium_scope(raw: Any, element: Any) -> str:
    """The element's /Scope attribute as PDFium reads it from its attribute objects; "" if none."""
    for index in range(raw.FPDF_StructElement_GetAttributeCount(element)):
        attribute = raw.FPDF_StructElement_GetAttributeAtIndex(element, index)
        value = raw.FPDF_StructElement_Attr_GetValue(attribute, b"Scope")
        if value:
            buffer, size = ctypes.create_string_buffer(64), ctypes.c_ulong()
            if raw.FPDF_StructElement_Attr_GetStringValue(value, buffer, 64, ctypes.byref(size)):
                return buffer.raw[: size.value].decode("utf-16-le").rstrip("\x00")
    return ""


def _pdfium_pages(path: Path) -> list[list[tuple[str, list[int], str]]]:
    """Per page, PDFium's tree flattened in order: (role, its marked-content ids, its /Scope)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(path))
    pages = []
    try:
        for page in pdf:
            tree = raw.FPDF_StructTree_GetForPage(page.raw)
            flat: list[tuple[str, list[int], str]] = []
            for i in range(raw.FPDF_StructTree_CountChildren(tree)):
                _pdfium_walk(raw, raw.FPDF_StructTree_GetChildAtIndex(tree, i), flat)
            raw.FPDF_StructTree_Close(tree)
            pages.append(flat)
            page.close()
    finally:
        pdf.close()
    return pages


def _pdfium_walk(raw: Any, element: Any, flat: list[tuple[str, list[int], str]]) -> None:
    entry: tuple[str, list[int], str] = (_pdfium_type(raw, element), [], _pdfium_scope(raw, element))
    flat.append(entry)
    for i in range(raw.FPDF_StructElement_CountChildren(element)):
        mcid = raw.FPDF_StructElement_GetChildMarkedContentID(element, i)
        if mcid >= 0:  # the kids in their order: an element's content and its child elements
            flat.append((entry[0], [mcid], entry[2]))
        child = raw.FPDF_StructElement_GetChildAtIndex(element, i)
        if child:
            _pdfium_walk(raw, child, flat)


def _content_mcids(reader: PdfReader) -> list[list[int]]:
    pages = []
    for page in reader.pages:
        data = page["/Contents"].get_object().get_data()  # as written, not as pypdf would rewrite it
        pages.append([int(m) for m in re.findall(rb"<</MCID (\d+)>> BDC", data)])
    return pages


def test_pdfium_reads_every_marked_content_once(built_pdfs: dict[str, Path]) -> None:
    for name, path in _pdfs(built_pdfs):
        expected = _content_mcids(PdfReader(path))
        for number, (flat, marked) in enumerate(zip(_pdfium_pages(path), expected, strict=True), start=1):
            found = [m for _, mcids, _ in flat for m in mcids]
            assert sorted(found) == sorted(marked) == list(range(len(marked))), (name, number)
            assert found == sorted(found), (name, number, "tree order is not content order")
            roles = {role for role, _, _ in flat}
            assert roles <= STANDARD_ROLES, (name, number, roles - STANDARD_ROLES)
            assert flat[0][0] == "Document", (name, number)


def test_pdfium_sees_headings_and_scoped_table_headers(built_pdfs: dict[str, Path]) -> None:
    scopes = set()
    for name, path in _pdfs(built_pdfs):
        flat = [e for page in _pdfium_pages(path) for e in page]
        assert [role for role, _, _ in flat].count("H1") >= 1, name
        headers = [scope for role, _, scope in flat if role == "TH"]
        assert all(scope in ("Column", "Row") for scope in headers), (name, headers)
        scopes |= set(headers)
    assert scopes == {"Column", "Row"}


# -- pdf.js -----------------------------------------------------------------------------------------


def _pdfjs(path: Path) -> dict[str, Any]:
    if shutil.which("node") is None or not (ENGINES / "node_modules" / "pdfjs-dist").is_dir():
        from test_engines import require_engine

        require_engine("pdfjs")
    done = subprocess.run(
        ["node", str(ENGINES / "structtree-pdfjs.mjs"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _leaves(
    node: dict[str, Any], path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    for child in node.get("children", []):
        if "role" in child:
            yield from _leaves(child, (*path, child["role"]))
        else:
            yield path, child


def test_pdfjs_finds_every_widget_in_a_form_element_in_tab_order(built_pdfs: dict[str, Path]) -> None:
    for name, path in _pdfs(built_pdfs):
        for number, page in enumerate(_pdfjs(path)["pages"], start=1):
            leaves = list(_leaves(page["tree"])) if page["tree"] else []
            in_form = [
                leaf["id"] for roles, leaf in leaves if leaf["type"] == "annotation" and roles[-1] == "Form"
            ]
            widgets = [f"pdfjs_internal_id_{w['id']}" for w in page["widgets"]]
            assert in_form == widgets, (name, number)  # every widget, each once, in /Annots = tab order
            contents = [leaf for _, leaf in leaves if leaf["type"] == "content"]
            assert contents, (name, number)


def test_pdfjs_reads_links_and_headings(built_pdfs: dict[str, Path]) -> None:
    pages = _pdfjs(built_pdfs["werkboek.pdf"])["pages"]
    roles = [roles for page in pages if page["tree"] for roles, _ in _leaves(page["tree"])]
    links = [r for r in roles if "Link" in r]
    assert any("TOCI" in r for r in links), "the contents' entries are links in TOC items"
    assert any(r[-1] == "H1" for r in roles) and any(r[-1] == "H2" for r in roles)
    assert any(r[-2:] == ("LI", "LBody") or r[-1] == "Lbl" for r in roles), "lists are L/LI/Lbl/LBody"


# -- poppler ----------------------------------------------------------------------------------------


def test_poppler_reads_the_tree_and_its_text(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    for name, path in _pdfs(built_pdfs):
        text = subprocess.run(
            ["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert text.startswith("Document"), name
        squeezed = re.sub(r"\s+", "", text)
        step = next((w for w in werkboek.steps if name == f"stap-{w.step}.pdf"), None)
        if step is None:
            continue
        assert re.search(r"^\s+H1\b", text, re.M), name
        assert re.sub(r"\s+", "", step.title) in squeezed, name
        for section in step.sections:
            if section.title:
                assert re.sub(r"\s+", "", section.title) in squeezed, (name, section.title)


# -- Matterhorn Protocol: the machine-checkable conditions that apply ----------------------------


def test_matterhorn_01_no_content_outside_tags_or_artifacts(built_pdfs: dict[str, Path]) -> None:
    """01-005: every painting operator is in marked content with an MCID, or in an artifact."""
    for name, path in _pdfs(built_pdfs):
        reader = PdfReader(path)
        for number, page in enumerate(reader.pages, start=1):
            stack: list[bool] = []  # per open sequence: does it make what is inside tagged or artifact?
            q_depth, q_at_open = 0, []
            for operands, operator in ContentStream(page.get_contents(), reader).operations:
                op = operator.decode("latin-1")
                if op in ("BDC", "BMC"):
                    tag = str(operands[0])
                    props = operands[1] if op == "BDC" else {}
                    stack.append(tag == "/Artifact" or (isinstance(props, dict) and "/MCID" in props))
                    q_at_open.append(q_depth)
                elif op == "EMC":
                    stack.pop()
                    assert q_at_open.pop() == q_depth, (name, number, "marked content and q/Q interleave")
                elif op == "q":
                    q_depth += 1
                elif op == "Q":
                    q_depth -= 1
                elif op in PAINTING:
                    assert any(stack), (name, number, op, operands)
            assert not stack, (name, number)


def _fonts(resources: Any, seen: set[int]) -> Iterator[DictionaryObject]:
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject):
        return
    for font in (resources.get("/Font") or DictionaryObject()).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or DictionaryObject()).values():
        ref = xobject.idnum if isinstance(xobject, IndirectObject) else id(xobject)
        if ref not in seen:
            seen.add(ref)
            yield from _fonts(xobject.get_object().get("/Resources"), seen)


def test_matterhorn_31_every_font_embedded(built_pdfs: dict[str, Path]) -> None:
    """31-009 … 31-011: the font program of every font used, in pages, forms and appearances, is embedded."""
    for name, path in _pdfs(built_pdfs):
        reader = PdfReader(path)
        seen: set[int] = set()
        fonts: list[DictionaryObject] = []
        for page in reader.pages:
            fonts += _fonts(page.get("/Resources"), seen)
            for annot in page.get("/Annots", []):
                for appearance in (annot.get_object().get("/AP") or DictionaryObject()).values():
                    appearance = appearance.get_object()
                    states = [appearance] if hasattr(appearance, "get_data") else list(appearance.values())
                    for state in states:
                        fonts += _fonts(state.get_object().get("/Resources"), seen)
        fonts += _fonts(reader.trailer["/Root"]["/AcroForm"].get("/DR"), seen)
        assert fonts, name
        for font in fonts:
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, (name, font.get("/BaseFont"))
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object()), (name, font)


def test_matterhorn_28_widgets_in_form_links_in_link_with_contents(built_pdfs: dict[str, Path]) -> None:
    """28-010 widgets in a Form each, 28-011 links in a Link, with /Contents (28-005? PDF/UA 7.18.5),
    every annotation in the tree by /StructParent and OBJR; 28-008? no: 7.18.3, pages with annotations
    tab in structure order (/Tabs /S)."""
    for name, path in _pdfs(built_pdfs):
        reader = PdfReader(path)
        parents = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
        by_key = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)}
        for number, page in enumerate(reader.pages, start=1):
            annots = page.get("/Annots", [])
            if annots:
                assert page.get("/Tabs") == "/S", (name, number)
            for ref in annots:
                annot = ref.get_object()
                element = by_key[int(annot["/StructParent"])].get_object()
                expected = "/Form" if annot["/Subtype"] == "/Widget" else "/Link"
                assert element["/S"] == expected, (name, number, annot.get("/T"))
                assert any(o.idnum == ref.idnum for o in _objrs(element)), (name, number)
                if expected == "/Link":
                    assert str(annot.get("/Contents", "")).strip(), (name, number)
                else:
                    assert len(element["/K"] if isinstance(element["/K"], list) else [1]) == 1
                    field = (
                        annot if "/TU" in annot else annot["/Parent"].get_object()
                    )  # a radio button's group
                    assert str(field.get("/TU", "")).strip(), (name, number, field.get("/T"))


def test_matterhorn_06_07_11_catalog_and_metadata(built_pdfs: dict[str, Path]) -> None:
    """06-002 PDF/UA identifier in the XMP, 06-003 dc:title, 07-001 DisplayDocTitle, 11-001 Lang,
    01-002 MarkInfo /Marked true."""
    for name, path in _pdfs(built_pdfs):
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        marked = root["/MarkInfo"]["/Marked"]
        assert isinstance(marked, BooleanObject) and bool(marked), name
        assert root["/Lang"] == "nl-NL", name
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]), name
        xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp, name
        title = reader.metadata.title if reader.metadata else None
        assert title and f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in xmp.replace("&amp;", "&"), name


def test_matterhorn_14_headings_do_not_skip_levels(built_pdfs: dict[str, Path]) -> None:
    """14-002 the first heading is H1, 14-003 no level skipped going down."""
    for name, path in _pdfs(built_pdfs):
        levels = [int(e["/S"][2]) for e in _elements(PdfReader(path)) if re.fullmatch(r"/H[1-6]", e["/S"])]
        assert levels and levels[0] == 1, name
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (name, levels)


def test_matterhorn_15_tables_have_scoped_headers(built_pdfs: dict[str, Path]) -> None:
    """15-003: every TH has a /Scope; every Table has header cells; TR only in Table, TH/TD only in TR."""
    tables = 0
    for name, path in _pdfs(built_pdfs):
        for element in _elements(PdfReader(path)):
            role = element["/S"]
            parent = element["/P"].get_object().get("/S")
            if role == "/Table":
                tables += 1
                rows = [k.get_object() for k in element["/K"]]
                assert rows[0].get("/S") == "/TR", name
                first = rows[0]["/K"]
                assert any(c.get_object()["/S"] == "/TH" for c in first), name
            elif role == "/TR":
                assert parent == "/Table", name
            elif role in ("/TH", "/TD"):
                assert parent == "/TR", name
                if role == "/TH":
                    assert element["/A"]["/Scope"] in ("/Column", "/Row"), name
    assert tables >= 8


def test_matterhorn_16_lists_and_13_figures(built_pdfs: dict[str, Path]) -> None:
    """16-001/002: LI only in L, Lbl/LBody only in LI; 13-004: a Figure has /Alt (none is needed:
    every drawing is decoration, an artifact)."""
    for name, path in _pdfs(built_pdfs):
        for element in _elements(PdfReader(path)):
            role, parent = element["/S"], element["/P"].get_object().get("/S")
            if role == "/LI":
                assert parent == "/L", name
            elif role in ("/Lbl", "/LBody"):
                assert parent == "/LI", name
            elif role == "/Figure":
                assert str(element.get("/Alt", "")).strip(), name


def test_pdfua_checker_finds_nothing(built_pdfs: dict[str, Path]) -> None:
    """The ``pdfua`` package (PyPI, on pikepdf; a test dependency): its implemented PDF/UA-1 checks pass."""
    import os
    import sys

    command = Path(sys.executable).parent / "pdfua"
    if not command.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("pdfua is required in CI: pip install -e '.[test]'")
        pytest.skip("pdfua is not installed: pip install -e '.[test]'")
    for name, path in _pdfs(built_pdfs):
        done = subprocess.run([str(command), "check", str(path)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (name, done.stdout[-2000:])
