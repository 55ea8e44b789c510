"""Tagged PDF: the structure tree, the marked content and the artifacts of a werkblad (PDF/UA-1).

ReportLab draws but does not tag, so each drawing site says what it draws: a paragraph,
a heading, a list label, a widget, or an artifact (decoration, header bands, running headers,
footers, page numbers, table backgrounds and rules). :class:`Tagger` turns that into
marked-content sequences (``/P <</MCID n>> BDC … EMC``, ``/Artifact BMC … EMC``) in the page's
content stream and into a structure tree, which :meth:`Tagger.write` adds to the document with
its ``/ParentTree``, ``/StructParents`` on each page and ``/StructParent`` on each annotation.

Every mark names its whole path from the root: the container flowables that draw their
children (table cells, list items, the werkblad's section) push ``(role, key)`` pairs on a
context stack while they draw, and the mark adds its own role. The tree is built by
comparing that path with the elements now open: parts of one table, list or paragraph split
over pages share their keys, so they land in one element, and an element is made only when
content first arrives in it. Widgets and links join the element open when ReportLab adds
their annotation, as object references (``/OBJR``); each widget gets a ``Form`` of its own.

A mark wraps a whole ``drawOn`` (outside the flowable's ``q … Q``) or a few operators inside
one graphics state, so marked content and ``q``/``Q`` nest properly. Drawing order is
reading order, and structure order; pages say ``/Tabs /S``, so tab order follows it too.
Headings never skip a level: a heading deeper than the last one plus one is lifted.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.platypus import ListFlowable, Table
from reportlab.platypus.flowables import LIIndenter
from reportlab.platypus.tables import TableRenderCB

from werkbladen.layout.pdfwrite import WidgetDictionary

Path = list[tuple[str, object, dict[str, Any] | None]]
"""Structure roles from the root down, each with the key that identifies its element."""

DIRECT = {"Lbl", "LBody", "TOCI"}
"""Context roles whose paragraphs are their content, not a ``P`` of their own."""
PAGINATION = "/Artifact <</Type /Pagination>> BDC"
DECORATION = "/Artifact BMC"


@dataclass
class Element:
    """A structure element: its role, attributes and kids (elements, MCIDs, annotation refs)."""

    role: str
    name: str
    parent: Element | None
    attributes: dict[str, Any] | None = None
    kids: list[Element | tuple[int, int] | tuple[int, Any, int]] = field(default_factory=list)
    """Elements, ``(page, mcid)`` and ``(page, annotation ref, struct parent key)``."""
    contents: str = ""
    """For a Link: the text its annotation's ``/Contents`` gets."""


class Tagger:
    """The structure tree of one document, built while its canvas draws."""

    def __init__(self) -> None:
        self._names = itertools.count()
        self.root = Element("Document", "SE0", None)
        next(self._names)
        self._open: list[tuple[object, Element]] = []
        """The elements below the root that the last mark was in, outermost first."""
        self.context: Path = []
        self.base: Path = []
        """The section of the werkblad being drawn."""
        self._page_mcids: dict[int, list[Element]] = {}
        self._page_keys: dict[int, int] = {}
        self._annotation_parents: dict[int, Element] = {}
        self._keys = itertools.count()
        self._last_heading = 0
        self._artifacts = 0
        """How many artifacts are open: what is drawn inside one is not content, whatever it is."""

    # -- building -------------------------------------------------------------------------------

    def _element_at(self, path: Path) -> Element:
        """The element at the end of ``path``, opening what is missing and closing what is not on it."""
        depth = 0
        for (key, _), (_role, want, _attrs) in zip(self._open, path, strict=False):
            if key is not want:
                break
            depth += 1
        del self._open[depth:]
        parent = self._open[-1][1] if self._open else self.root
        for role, key, attributes in path[depth:]:
            element = Element(self._heading(role), f"SE{next(self._names)}", parent, attributes)
            parent.kids.append(element)
            self._open.append((key, element))
            parent = element
        return parent

    def _path(self, role: str | None, key: object, attributes: dict[str, Any] | None = None) -> Path:
        path = [*self.base, *self.context]
        if role is not None and not (path and path[-1][0] in DIRECT):
            path.append((role, key, attributes))
        return path

    def _heading(self, role: str) -> str:
        """``role``, or for a heading that would skip a level, the level after the last heading."""
        if len(role) == 2 and role[0] == "H" and role[1].isdigit():
            level = min(int(role[1]), self._last_heading + 1)
            self._last_heading = level
            return f"H{level}"
        return role

    @contextlib.contextmanager
    def within(self, role: str, key: object, attributes: dict[str, Any] | None = None) -> Iterator[None]:
        """Draw the children of a container (a table cell, a list item) inside its element."""
        self.context.append((role, key, attributes))
        try:
            yield
        finally:
            self.context.pop()

    def section(self, key: object | None) -> None:
        """Everything from here on belongs to the section ``key`` (None: directly to the document)."""
        self.base = [] if key is None else [("Sect", key, None)]

    @contextlib.contextmanager
    def mark(self, canv: Any, role: str | None, key: object, *, link: str | None = None) -> Iterator[None]:
        """Mark what is drawn inside as content of the element ``role``/``key`` (None: of the container).

        ``link``: the content is a link with this text; its annotation joins a ``Link`` element.
        Inside an artifact (a table header repeated on a new page) nothing is marked.
        """
        if self._artifacts:
            yield
            return
        path = self._path(role, key)
        if link is not None:
            path.append(("Link", key, None))
        element = self._element_at(path)
        if link is not None:
            element.contents = link
        page = canv.getPageNumber()
        mcids = self._page_mcids.setdefault(page, [])
        element.kids.append((page, len(mcids)))
        canv._code.append(f"/{element.role} <</MCID {len(mcids)}>> BDC")
        mcids.append(element)
        try:
            yield
        finally:
            canv._code.append("EMC")

    @contextlib.contextmanager
    def artifact(self, canv: Any, kind: str = DECORATION) -> Iterator[None]:
        """Mark what is drawn inside as an artifact (not read aloud, not in the tree)."""
        if self._artifacts:
            yield
            return
        self._artifacts += 1
        canv._code.append(kind)
        try:
            yield
        finally:
            canv._code.append("EMC")
            self._artifacts -= 1

    def annotation(self, canv: Any, annotation: Any, ref: Any) -> None:
        """Place the annotation ReportLab just added (``ref``) in the tree, and give it its key."""
        key = next(self._keys)
        entries = getattr(annotation, "dict", None)
        if entries is not None and str(entries.get("Subtype", "")) == "/Widget":
            element = self._element_at(self._path("Form", object()))
            entries["StructParent"] = key
        elif entries is not None:  # a URI link: a plain dictionary
            element = self._link_element()
            entries["Contents"] = pdfdoc.PDFString(element.contents)
            entries["StructParent"] = key
        else:  # a link to a destination: ReportLab's LinkAnnotation, which permits only its own keys
            element = self._link_element()
            annotation.permitted = (*type(annotation).permitted, "StructParent")
            annotation.otherkw["StructParent"] = key
            annotation.Contents = element.contents
        element.kids.append((canv.getPageNumber(), ref, key))
        self._annotation_parents[key] = element

    def _link_element(self) -> Element:
        element = self._open[-1][1] if self._open else None
        if element is None or element.role != "Link":
            raise ValueError("a link annotation outside a paragraph marked as a link")
        return element

    def page_key(self, page: int) -> int | None:
        """The ``/StructParents`` key of ``page``, or None when nothing on it is tagged."""
        if page not in self._page_mcids:
            return None
        return self._page_keys.setdefault(page, next(self._keys))

    # -- writing --------------------------------------------------------------------------------

    def write(self, document: Any) -> Any:
        """Add the structure tree to ``document``; return the ``/StructTreeRoot`` to put in the catalog."""
        reference = pdfdoc.PDFObjectReference
        root = WidgetDictionary({"Type": pdfdoc.PDFName("StructTreeRoot")})
        root_name = "StructTreeRoot"
        nums: list[Any] = []
        keys: dict[int, Any] = {}
        for page, key in self._page_keys.items():
            keys[key] = pdfdoc.PDFArray([reference(e.name) for e in self._page_mcids[page]])
        for key, element in self._annotation_parents.items():
            keys[key] = reference(element.name)
        for key in sorted(keys):
            nums += [key, keys[key]]
        parent_tree = WidgetDictionary({"Nums": pdfdoc.PDFArray(nums)})
        root["ParentTree"] = document.Reference(parent_tree, "ParentTree")
        root["ParentTreeNextKey"] = next(self._keys)
        root["K"] = reference(self.root.name)
        for element in _walk(self.root):
            document.Reference(_element_dictionary(element, root_name), element.name)
        return document.Reference(root, root_name)


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for kid in element.kids:
        if isinstance(kid, Element):
            yield from _walk(kid)


def _page_ref(page: int) -> Any:
    return pdfdoc.PDFObjectReference(f"Page{page}")


def _element_dictionary(element: Element, root_name: str) -> WidgetDictionary:
    entries: dict[str, Any] = {
        "S": pdfdoc.PDFName(element.role),
        "P": pdfdoc.PDFObjectReference(element.parent.name if element.parent else root_name),
    }
    pages = [kid[0] for kid in element.kids if isinstance(kid, tuple)]
    page = pages[0] if pages else None
    if page is not None:
        entries["Pg"] = _page_ref(page)
    kids: list[Any] = []
    for kid in element.kids:
        if isinstance(kid, Element):
            kids.append(pdfdoc.PDFObjectReference(kid.name))
        elif len(kid) == 2:
            if kid[0] == page:
                kids.append(kid[1])
            else:
                kids.append(
                    WidgetDictionary({"Type": pdfdoc.PDFName("MCR"), "Pg": _page_ref(kid[0]), "MCID": kid[1]})
                )
        else:
            kids.append(
                WidgetDictionary({"Type": pdfdoc.PDFName("OBJR"), "Obj": kid[1], "Pg": _page_ref(kid[0])})
            )
    entries["K"] = kids[0] if len(kids) == 1 else pdfdoc.PDFArray(kids)
    if element.attributes:
        entries["A"] = WidgetDictionary(
            {k: pdfdoc.PDFName(v) if isinstance(v, str) else v for k, v in element.attributes.items()}
        )
    return WidgetDictionary(entries)


def tagger_of(canv: Any) -> Tagger | None:
    """The canvas's tagger (None for a canvas that does not tag, such as a form XObject's)."""
    tagger: Tagger | None = getattr(canv, "tags", None)
    return tagger


@contextlib.contextmanager
def marked(canv: Any, role: str | None, key: object) -> Iterator[None]:
    """:meth:`Tagger.mark` on ``canv``, or nothing on a canvas that does not tag."""
    tagger = tagger_of(canv)
    if tagger is None:
        yield
        return
    with tagger.mark(canv, role, key):
        yield


@contextlib.contextmanager
def artifact(canv: Any, kind: str = DECORATION) -> Iterator[None]:
    """:meth:`Tagger.artifact` on ``canv``, or nothing on a canvas that does not tag."""
    tagger = tagger_of(canv)
    if tagger is None:
        yield
        return
    with tagger.artifact(canv, kind):
        yield


def paginated(on_page: Any) -> Any:
    """An ``onPage`` callback whose drawing (header, footer, page number) is a pagination artifact."""

    def draw(canv: Any, doc: Any) -> None:
        with artifact(canv, PAGINATION):
            on_page(canv, doc)

    return draw


# -- tables -----------------------------------------------------------------------------------


class LayoutTags(TableRenderCB):  # type: ignore[misc]
    """A table that only lays out: backgrounds and rules are artifacts, cells tag their own content.

    ``group``/``row``/``cells``: roles for a table that is a list or contents in disguise
    (``L``/``LI``/``("Lbl", "LBody")``, ``TOC``/``TOCI``).
    """

    def __init__(self, group: str | None = None, row: str | None = None, cells: tuple[str, ...] = ()) -> None:
        self.group, self.row, self.cells = group, row, cells
        self.key = object()
        self._stack: list[contextlib.ExitStack] = []
        self._row_key: object = None

    def startTable(self, table: Table) -> None:
        pass

    def endTable(self, table: Table) -> None:
        pass

    def startBG(self, table: Table) -> None:
        self._enter(table, artifact(table.canv))

    def endBG(self, table: Table) -> None:
        self._exit()

    startLines = startBG
    endLines = endBG

    def startRow(self, table: Table, row: int) -> None:
        self._row_key = id(table._cellvalues[row])

    def endRow(self, table: Table) -> None:
        pass

    def startCell(self, table: Table, row: int, column: int, value: Any, style: Any, *_: Any) -> None:
        stack = contextlib.ExitStack()
        tagger = tagger_of(table.canv)
        if isinstance(value, str) or tagger is None:
            stack.enter_context(artifact(table.canv))
        else:
            for role, key, attributes in self.cell_path(table, row, column):
                stack.enter_context(tagger.within(role, key, attributes))
        self._stack.append(stack)

    def cell_path(self, table: Table, row: int, column: int) -> Path:
        path: Path = []
        if self.group:
            path.append((self.group, self.key, None))
        if self.row:
            path.append((self.row, self._row_key, None))
        if column < len(self.cells):
            path.append((self.cells[column], (self._row_key, column), None))
        return path

    def endCell(self, table: Table) -> None:
        self._stack.pop().close()

    def _enter(self, table: Table, manager: Any) -> None:
        stack = contextlib.ExitStack()
        stack.enter_context(manager)
        self._stack.append(stack)

    def _exit(self) -> None:
        self._stack.pop().close()


class TableTags(LayoutTags):
    """A data table: Table/TR/TH/TD, header cells scoped; a header row repeated on a new page is
    an artifact, since its cells are in the tree once already."""

    def __init__(self, *, row_headers: bool, header_rows: int = 1) -> None:
        super().__init__("Table", "TR")
        self.row_headers = row_headers
        self.header_rows = header_rows
        self._headers_drawn = False
        self._repeat = False

    def startRow(self, table: Table, row: int) -> None:
        super().startRow(table, row)
        self._repeat = row < self.header_rows and self._headers_drawn
        if self._repeat:
            self._enter(table, artifact(table.canv, PAGINATION))

    def endRow(self, table: Table) -> None:
        if self._repeat:
            self._exit()
        self._repeat = False

    def startCell(self, table: Table, row: int, column: int, value: Any, style: Any, *rest: Any) -> None:
        if self._repeat:
            self._stack.append(contextlib.ExitStack())
            return
        if row == self.header_rows - 1 and column == len(table._cellvalues[row]) - 1:
            self._headers_drawn = True
        super().startCell(table, row, column, value, style, *rest)

    def cell_path(self, table: Table, row: int, column: int) -> Path:
        path = super().cell_path(table, row, column)
        role, scope = "TD", None
        if row < self.header_rows:
            role, scope = "TH", "Column"
        elif self.row_headers and column == 0:
            role, scope = "TH", "Row"
        attributes = {"O": "Table", "Scope": scope} if scope else None
        return [*path, (role, (self._row_key, column), attributes)]


def layout_table(data: list[list[Any]], *, tags: LayoutTags | None = None, **kwargs: Any) -> Table:
    """A ReportLab Table that lays out and tags as :class:`LayoutTags` (or ``tags``) says."""
    table = Table(data, renderCB=tags or LayoutTags(), **kwargs)
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), _font())])
    return table


def _font() -> str:
    from werkbladen.layout import theme

    return theme.FONT


# -- lists ------------------------------------------------------------------------------------


class TaggedList(ListFlowable):  # type: ignore[misc]
    """A ListFlowable tagged L/LI/Lbl/LBody; items split over pages stay one item."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.key = object()
        super().__init__(*args, **kwargs)

    def _makeLIIndenter(self, flowable: Any, bullet: Any, params: dict[str, Any] | None = None) -> Any:
        item = super()._makeLIIndenter(flowable, bullet, params)
        return TaggedItem.adopt(item, self.key, object())


class TaggedItem(LIIndenter):  # type: ignore[misc]
    """A list item: LI with its bullet as Lbl and its content as LBody."""

    list_key: object = None
    item_key: object = None

    @classmethod
    def adopt(cls, item: LIIndenter, list_key: object, item_key: object) -> TaggedItem:
        # an indenter hands the attributes it does not know on to its flowable: set these on itself
        object.__setattr__(item, "__class__", cls)
        item.__dict__.update(list_key=list_key, item_key=item_key)
        adopted: TaggedItem = item
        return adopted

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        return [
            TaggedItem.adopt(p, self.list_key, self.item_key)
            for p in super().split(avail_width, avail_height)
        ]

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        tagger = tagger_of(canv)
        if tagger is None:
            super().drawOn(canv, x, y, _sW)
            return
        with tagger.within("L", self.list_key), tagger.within("LI", self.item_key):
            if self._bullet:
                with tagger.mark(canv, "Lbl", self.item_key):
                    self._bullet.drawOn(self, canv, x, y, 0)
            with tagger.within("LBody", self.item_key):
                self._flowable.drawOn(
                    canv, x + self._leftIndent, y, max(0, _sW - self._leftIndent - self._rightIndent)
                )


# -- the document -----------------------------------------------------------------------------

PDFUA_PART = 1


def finish(canv: Any) -> None:
    """Write the structure tree, ``/MarkInfo`` and the XMP metadata into the canvas's document."""
    document = canv._doc
    catalog = document.Catalog
    catalog.StructTreeRoot = canv.tags.write(document)
    catalog.MarkInfo = pdfdoc.PDFDictionary({"Marked": "true"})
    info = document.info
    lang = str(getattr(catalog.Lang, "s", catalog.Lang))  # ReportLab keeps it as a PDFString
    metadata = xmp(title=info.title, creator=info.author, description=info.subject, lang=lang)
    catalog.Metadata = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")}),
        metadata,
        filters=None,  # the document has no default filters: XMP stays readable as it is
    )


def xmp(*, title: str, creator: str, description: str, lang: str) -> bytes:
    """The XMP packet: Dublin Core title, creator, description, language, and the PDF/UA identifier."""

    def text(value: str) -> str:
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def alternative(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{text(value)}</rdf:li></rdf:Alt>'

    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:title>{alternative(title)}</dc:title>
<dc:creator><rdf:Seq><rdf:li>{text(creator)}</rdf:li></rdf:Seq></dc:creator>
<dc:description>{alternative(description)}</dc:description>
<dc:language><rdf:Bag><rdf:li>{text(lang)}</rdf:li></rdf:Bag></dc:language>
<pdfuaid:part>{PDFUA_PART}</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")
