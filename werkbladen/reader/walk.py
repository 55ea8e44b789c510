"""Every field of an AcroForm, found by walking the PDF objects ourselves.

pypdf's ``get_fields()`` is not used: one malformed radio kid makes it fail for the whole
file, duplicate names silently keep one value, and it never sees widgets that are on a page
but missing from ``/AcroForm /Fields``. This walk is iterative (no recursion to exhaust),
keeps a set of visited objects (loops end), caps depth and node count, and catches errors per
field: one bad field costs that field and a warning, not the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject, TextStringObject

from werkbladen.errors import TooLargeError
from werkbladen.limits import Limits
from werkbladen.reader.fastparse import FastObjects
from werkbladen.reader.normalise import button_state, choice_value, resolve, text_value, type_name
from werkbladen.reader.rawform import RawField, RawForm

# Field flags, ISO 32000-2 Table 229 (buttons) — bit positions are 1-based in the spec.
FF_RADIO = 1 << 15
FF_PUSHBUTTON = 1 << 16


@dataclass(slots=True)
class _Inherited:
    """The inheritable field attributes (ISO 32000-2, 12.7.4.1, Table 226)."""

    ft: str | None = None
    ff: int = 0
    v: Any = None
    opt: Any = None


_Key = tuple[int, int] | int


def _key(raw: Any, obj: Any) -> _Key:
    return (raw.idnum, raw.generation) if isinstance(raw, IndirectObject) else id(obj)


class _Walker:
    def __init__(self, reader: PdfReader, limits: Limits, data: bytes | None) -> None:
        self.reader = reader
        self.resolve: Callable[[Any], Any] = (
            FastObjects(reader, data).resolve if data is not None else resolve
        )
        self.limits = limits
        self.form = RawForm()
        self.visited: set[_Key] = set()
        self.widgets: set[_Key] = set()
        self.nodes = 0

    def warn(self, message: str) -> None:
        self.form.warnings.append(message)

    def count(self) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise TooLargeError(f"more than {self.limits.max_nodes} form fields and widgets")

    def run(self) -> RawForm:
        root = self.reader.root_object
        acro = self.resolve(root.get("/AcroForm"))
        top: list[Any] = []
        if isinstance(acro, DictionaryObject):
            self.form.has_acroform = True
            self.form.has_xfa = acro.get("/XFA") is not None
            fields = self.resolve(acro.get("/Fields"))
            if isinstance(fields, ArrayObject):
                top = list(fields)
            elif fields is not None:
                self.warn(
                    f"the form's /Fields is a {type_name(fields)}, not an array; fields read from the pages"
                )
        elif acro is not None:
            self.warn(f"/AcroForm is a {type_name(acro)}, not a dictionary; fields read from the pages")
        self._walk_fields(top)
        self._walk_pages()
        return self.form

    def _walk_fields(self, top: list[Any]) -> None:
        stack: list[tuple[Any, str, int, _Inherited]] = [(raw, "", 0, _Inherited()) for raw in reversed(top)]
        while stack:
            raw, parent, depth, inherited = stack.pop()
            try:
                children = self._visit(raw, parent, depth, inherited)
            except TooLargeError:
                raise
            except Exception as exc:
                self.warn(f"a field under {parent or 'the form'!r} is unreadable ({_describe(exc)}); skipped")
                continue
            stack.extend(reversed(children))

    def _visit(
        self, raw: Any, parent: str, depth: int, inherited: _Inherited
    ) -> list[tuple[Any, str, int, _Inherited]]:
        node = self.resolve(raw)
        if node is None:
            return []
        where = repr(parent) if parent else "the form's field list"
        if not isinstance(node, DictionaryObject):
            self.warn(f"an entry in {where} is a {type_name(node)}, not a field; skipped")
            return []
        key = _key(raw, node)
        if key in self.visited:
            self.warn(f"the field tree under {where} loops back on itself; the loop is skipped")
            return []
        self.visited.add(key)
        self.count()
        if depth > self.limits.max_depth:
            self.warn(f"the field tree under {where} is nested deeper than {self.limits.max_depth}; cut off")
            return []
        name = _join(parent, _partial_name(node))
        inh = _inherit(inherited, node)
        kids = self.resolve(node.get("/Kids"))
        field_kids: list[Any] = []
        widget_kids: list[DictionaryObject] = []
        if isinstance(kids, ArrayObject):
            for raw_kid in kids:
                kid = self.resolve(raw_kid)
                if not isinstance(kid, DictionaryObject):
                    continue
                if "/T" in kid:
                    field_kids.append(raw_kid)
                else:
                    self.count()
                    self.widgets.add(_key(raw_kid, kid))
                    widget_kids.append(kid)
        if field_kids:
            return [(raw_kid, name, depth + 1, inh) for raw_kid in field_kids]
        self.widgets.add(key)
        if not name:
            self.warn("a field without a name (/T) is skipped")
            return []
        self._add(name, inh, widget_kids or [node], "fields")
        return []

    def _add(self, name: str, inh: _Inherited, widgets: list[DictionaryObject], source: str) -> None:
        notes: list[str] = []
        made = _make_field(name, inh, widgets, source, notes.append)
        self.form.warnings.extend(f"field {name!r}: {n}" for n in notes)
        self.form.fields.append(made)

    def _walk_pages(self) -> None:
        """Widgets on the pages that /Fields does not reach: read them too, and say so."""
        orphans: dict[_Key, tuple[DictionaryObject, list[DictionaryObject], int]] = {}
        try:
            pages = self._pages()
        except TooLargeError:
            raise
        except Exception as exc:
            self.warn(f"the page tree is unreadable ({_describe(exc)}); widgets on pages not checked")
            return
        for number, page in enumerate(pages, start=1):
            try:
                if not self.form.has_page_content and page.get("/Contents") is not None:
                    self.form.has_page_content = True
                annots = self.resolve(page.get("/Annots"))
                if not isinstance(annots, ArrayObject):
                    continue
                for raw in annots:
                    annot = self.resolve(raw)
                    if not isinstance(annot, DictionaryObject) or annot.get("/Subtype") != "/Widget":
                        continue
                    key = _key(raw, annot)
                    if key in self.widgets:
                        continue
                    self.count()
                    self.widgets.add(key)
                    raw_field = raw if "/T" in annot else annot.get("/Parent")
                    node = self.resolve(raw_field)
                    if not isinstance(node, DictionaryObject):
                        node = annot
                        raw_field = raw
                    fkey = _key(raw_field, node)
                    if fkey in self.visited:
                        continue  # a widget its field's /Kids forgot; the field is read already
                    orphans.setdefault(fkey, (node, [], number))[1].append(annot)
            except TooLargeError:
                raise
            except Exception as exc:
                self.warn(f"the widgets on page {number} are unreadable ({_describe(exc)}); skipped")
        for node, widgets, number in orphans.values():
            try:
                name, inh = self._lineage(node)
            except Exception as exc:
                self.warn(f"a widget on page {number} is unreadable ({_describe(exc)}); skipped")
                continue
            if not name:
                self.warn(f"a widget on page {number} has no field name; skipped")
                continue
            self.warn(
                f"field {name!r} is on page {number} but not in the form's field list; read from the page"
            )
            self._add(name, inh, widgets, "annots")

    def _pages(self) -> list[DictionaryObject]:
        """The page dictionaries in order: an iterative walk of /Pages with a visited set and caps."""
        root = self.reader.root_object
        pages: list[DictionaryObject] = []
        stack: list[tuple[Any, int]] = [(root.get("/Pages"), 0)]
        seen: set[_Key] = set()
        while stack:
            raw, depth = stack.pop()
            node = self.resolve(raw)
            if not isinstance(node, DictionaryObject):
                continue
            key = _key(raw, node)
            if key in seen or depth > self.limits.max_depth:
                self.warn("the page tree loops or is nested too deep; some pages are not checked for widgets")
                continue
            seen.add(key)
            kids = self.resolve(node.get("/Kids"))
            if isinstance(kids, ArrayObject):
                stack.extend((kid, depth + 1) for kid in reversed(kids))
            elif node.get("/Type") != "/Pages":
                pages.append(node)
            if len(pages) > self.limits.max_pages:
                raise TooLargeError(f"more than {self.limits.max_pages} pages")
        return pages

    def _lineage(self, node: DictionaryObject) -> tuple[str, _Inherited]:
        """Name and inherited attributes of a field reached from a widget, via its /Parent chain."""
        chain: list[DictionaryObject] = []
        seen: set[int] = set()
        current: Any = node
        while isinstance(current, DictionaryObject) and id(current) not in seen:
            if len(chain) > self.limits.max_depth:
                raise ValueError("the /Parent chain is too deep")
            seen.add(id(current))
            chain.append(current)
            current = self.resolve(current.get("/Parent"))
        name = ""
        inh = _Inherited()
        for item in reversed(chain):
            name = _join(name, _partial_name(item))
            inh = _inherit(inh, item)
        return name, inh


def _partial_name(node: DictionaryObject) -> str | None:
    t = resolve(node.get("/T"))
    if t is None:
        return None
    return text_value(t, lambda _: None) or ""


def _join(parent: str, partial: str | None) -> str:
    if partial is None:
        return parent
    return f"{parent}.{partial}" if parent else partial


def _inherit(inherited: _Inherited, node: DictionaryObject) -> _Inherited:
    ft = resolve(node.get("/FT"))
    ff = resolve(node.get("/Ff"))
    return _Inherited(
        ft=str(ft) if ft is not None else inherited.ft,
        ff=int(ff) if isinstance(ff, NumberObject) else inherited.ff,
        v=node.get("/V") if "/V" in node else inherited.v,
        opt=node.get("/Opt") if "/Opt" in node else inherited.opt,
    )


def _make_field(
    name: str, inh: _Inherited, widgets: list[DictionaryObject], source: str, warn: Callable[[str], None]
) -> RawField:
    if inh.ft == "/Tx":
        return RawField(name, "text", text_value(inh.v, warn), source=source)
    if inh.ft == "/Btn":
        if inh.ff & FF_PUSHBUTTON:
            return RawField(name, "pushbutton", None, source=source)
        state = _export_value(button_state(inh.v, widgets, warn), inh.opt, widgets)
        if inh.ff & FF_RADIO:
            return RawField(name, "radio", state, state=state, source=source)
        return RawField(name, "checkbox", state is not None, state=state, source=source)
    if inh.ft == "/Ch":
        return RawField(name, "choice", choice_value(inh.v, warn), source=source)
    if inh.ft == "/Sig":
        return RawField(name, "signature", resolve(inh.v) is not None, source=source)
    if inh.ft is not None:
        warn(f"unknown field type {inh.ft}")
    return RawField(name, "unknown", text_value(inh.v, warn) if inh.v is not None else None, source=source)


def _export_value(state: str | None, opt: Any, widgets: list[DictionaryObject]) -> str | None:
    """With /Opt, a button's state names may be widget positions: map them to the export value.

    ISO 32000-2, 12.7.5.2.4: ``/Opt`` holds one export value per widget. The widget whose
    appearance has the state says which position is meant, so "/1" is never misread.
    """
    opt = resolve(opt)
    if state is None or not isinstance(opt, ArrayObject):
        return state
    for index, widget in enumerate(widgets):
        ap = resolve(widget.get("/AP"))
        normal = resolve(ap.get("/N")) if isinstance(ap, DictionaryObject) else None
        if isinstance(normal, DictionaryObject) and f"/{state}" in normal and index < len(opt):
            value = resolve(opt[index])
            if isinstance(value, TextStringObject):
                return str(value)
    return state


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def walk_form(reader: PdfReader, limits: Limits, data: bytes | None = None) -> RawForm:
    """All terminal fields of ``reader``'s form, normalised, with a warning for every oddity.

    With the PDF's ``data``, plain objects are parsed by :mod:`.fastparse` (same result, faster).
    """
    return _Walker(reader, limits, data).run()
