"""The one walk of a form's field tree, for pypdf's objects and for the scanner's alike.

pypdf's ``get_fields()`` is not used: one malformed radio kid makes it fail for the whole
file, duplicate names silently keep one value, and it never sees widgets that are on a page
but missing from ``/AcroForm /Fields``. This walk is iterative (no recursion to exhaust),
keeps a set of visited objects (loops end), caps depth and node count, and catches errors per
field: one bad field costs that field and a warning, not the file.

Both object models subclass or are ``dict`` and ``list`` (pypdf's ``DictionaryObject`` and
``ArrayObject`` too), so the walk is written once; a :class:`~.normalise.Model` resolves
references and reads values. In **strict** mode, used by the pypdf-free path, every remark the
lenient walk would make raises :class:`~.lexer.Fallback` instead, and so does whatever the
scanner cannot read exactly as pypdf would (an ``/Opt`` that needs the appearance dictionaries);
the caller then reads the file with pypdf, leniently. The filler (:mod:`werkbladen.filling.prefill`)
walks its blank with the same :class:`Walker`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, NamedTuple, NoReturn

from werkbladen.errors import TooLargeError
from werkbladen.limits import Limits
from werkbladen.messages import technical_error
from werkbladen.pdfspec import WIDGET, FieldFlag, FieldType, Key
from werkbladen.reader.lexer import Fallback
from werkbladen.reader.normalise import Model, Warn
from werkbladen.reader.rawform import RawField, RawForm


class Inherited(NamedTuple):
    """The inheritable field attributes the reader and the filler use (ISO 32000-2, Table 226)."""

    ft: str | None = None
    ff: int = 0
    v: Any = None
    opt: Any = None


class Terminal(NamedTuple):
    """A terminal field: its full name, its dictionary, its widgets and what it inherits."""

    name: str
    node: dict[str, Any]
    widgets: list[dict[str, Any]]
    inherited: Inherited
    source: str = "fields"
    """``fields`` when reached from /AcroForm /Fields, ``annots`` when found only on a page."""


class Walker:
    """Walks ``root`` (the document catalog) once; :meth:`run` hands each terminal field to ``visit``.

    A plain class, like :class:`Inherited` and :class:`Terminal` tuples: a one-file run imports
    this module, and dataclass creation would cost it milliseconds (measured).
    """

    def __init__(self, root: dict[str, Any], model: Model, limits: Limits, strict: bool = False) -> None:
        self.root, self.model, self.limits, self.strict = root, model, limits, strict
        self.warnings: list[str] = []
        self.has_acroform = self.has_xfa = self.has_page_content = False
        self.resolve = self.model.resolve
        self.visited: set[Hashable] = set()
        self.widgets: set[Hashable] = set()
        self.nodes = 0
        self.warn: Warn = fall_back if self.strict else self.warnings.append

    def odd(self, _message: str = "") -> None:
        """Something the lenient walk reads silently but the scanner cannot vouch for."""
        if self.strict:
            raise Fallback

    def count(self) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise TooLargeError(
                f"het formulier heeft meer dan {self.limits.max_nodes} velden en invulvakken, "
                "te veel om veilig te lezen"
            )

    def run(self, visit: Callable[[Terminal], None]) -> None:
        """Every terminal field, from ``/Fields`` in order, then widgets only the pages have.

        ``visit`` runs inside the walk's per-field guard: what it raises costs that field only.
        """
        acro = self.resolve(self.root.get(Key.ACROFORM))
        top: list[Any] = []
        if isinstance(acro, dict):
            self.has_acroform = True
            self.has_xfa = acro.get(Key.XFA) is not None
            fields = self.resolve(acro.get(Key.FIELDS))
            if isinstance(fields, list):
                top = list(fields)
            elif fields is not None:
                self.warn(
                    f"de veldenlijst (/Fields) van het formulier is een {self.model.type_name(fields)}, "
                    "geen lijst; de velden zijn van de pagina's gelezen"
                )
        elif acro is not None:
            self.warn(
                f"het formulier (/AcroForm) is een {self.model.type_name(acro)}, geen woordenboek; "
                "de velden zijn van de pagina's gelezen"
            )
        self._walk_fields(top, visit)
        self._walk_pages(visit)

    def _walk_fields(self, top: list[Any], visit: Callable[[Terminal], None]) -> None:
        stack: list[tuple[Any, str, int, Inherited]] = [(raw, "", 0, Inherited()) for raw in reversed(top)]
        while stack:
            raw, parent, depth, inherited = stack.pop()
            try:
                children, terminal = self._visit(raw, parent, depth, inherited)
                if terminal is not None:
                    visit(terminal)
            except (TooLargeError, Fallback):
                raise
            except Exception as exc:
                where = f"veld {parent!r}" if parent else "het formulier"
                self.warn(f"een veld onder {where} is onleesbaar ({technical_error(exc)}); overgeslagen")
                continue
            stack.extend(reversed(children))

    def _visit(
        self, raw: Any, parent: str, depth: int, inherited: Inherited
    ) -> tuple[list[tuple[Any, str, int, Inherited]], Terminal | None]:
        node = self.resolve(raw)
        if node is None:
            return [], None
        where = f"veld {parent!r}" if parent else "de veldenlijst van het formulier"
        if not isinstance(node, dict):
            kind = self.model.type_name(node)
            self.warn(f"een onderdeel van {where} is een {kind}, geen veld; overgeslagen")
            return [], None
        key = self.model.key(raw, node)
        if key in self.visited:
            self.warn(f"de velden in {where} verwijzen in een kring naar zichzelf; de kring is overgeslagen")
            return [], None
        self.visited.add(key)
        self.count()
        if depth > self.limits.max_depth:
            self.warn(
                f"de velden in {where} zijn dieper genest dan {self.limits.max_depth} niveaus; "
                "de rest is niet gelezen"
            )
            return [], None
        name = _join(parent, self._partial_name(node))
        inh = self._inherit(inherited, node)
        kids = self.resolve(node.get(Key.KIDS))
        field_kids: list[Any] = []
        widget_kids: list[dict[str, Any]] = []
        if isinstance(kids, list):
            for raw_kid in kids:
                kid = self.resolve(raw_kid)
                if not isinstance(kid, dict):
                    continue
                if Key.T in kid:
                    field_kids.append(raw_kid)
                else:
                    self.count()
                    self.widgets.add(self.model.key(raw_kid, kid))
                    widget_kids.append(kid)
        if field_kids:
            return [(raw_kid, name, depth + 1, inh) for raw_kid in field_kids], None
        self.widgets.add(key)
        if not name:
            self.warn("een veld zonder naam (/T) is overgeslagen")
            return [], None
        return [], Terminal(name, node, widget_kids or [node], inh)

    def _walk_pages(self, visit: Callable[[Terminal], None]) -> None:
        """Widgets on the pages that /Fields does not reach: read them too, and say so."""
        orphans: dict[Hashable, tuple[dict[str, Any], list[dict[str, Any]], int]] = {}
        try:
            pages = self._pages()
        except (TooLargeError, Fallback):
            raise
        except Exception as exc:
            self.warn(
                f"de paginaboom is onleesbaar ({technical_error(exc)}); de invulvakken op de pagina's zijn "
                "niet nagekeken"
            )
            return
        key = self.model.key
        for number, page in enumerate(pages, start=1):
            try:
                if not self.has_page_content and page.get(Key.CONTENTS) is not None:
                    self.has_page_content = True
                annots = self.resolve(page.get(Key.ANNOTS))
                if not isinstance(annots, list):
                    continue
                for raw in annots:
                    annot = self.resolve(raw)
                    if not isinstance(annot, dict) or annot.get(Key.SUBTYPE) != WIDGET:
                        continue
                    widget_key = key(raw, annot)
                    if widget_key in self.widgets:
                        continue
                    self.count()
                    self.widgets.add(widget_key)
                    raw_field = raw if Key.T in annot else annot.get(Key.PARENT)
                    node = self.resolve(raw_field)
                    if not isinstance(node, dict):
                        node = annot
                        raw_field = raw
                    field_key = key(raw_field, node)
                    if field_key in self.visited:
                        continue  # a widget its field's /Kids forgot; the field is read already
                    self.odd()  # a widget /Fields does not reach: the lenient walk reports it
                    orphans.setdefault(field_key, (node, [], number))[1].append(annot)
            except (TooLargeError, Fallback):
                raise
            except Exception as exc:
                self.warn(
                    f"de invulvakken op pagina {number} zijn onleesbaar ({technical_error(exc)}); "
                    "overgeslagen"
                )
        for node, widgets, number in orphans.values():
            try:
                name, inh = self._lineage(node)
            except Exception as exc:
                self.warn(
                    f"een invulvak op pagina {number} is onleesbaar ({technical_error(exc)}); overgeslagen"
                )
                continue
            if not name:
                self.warn(f"een invulvak op pagina {number} heeft geen veldnaam; overgeslagen")
                continue
            self.warn(
                f"veld {name!r} staat op pagina {number}, maar niet in de veldenlijst van het formulier; "
                "van de pagina gelezen"
            )
            visit(Terminal(name, node, widgets, inh, source="annots"))

    def _pages(self) -> list[dict[str, Any]]:
        """The page dictionaries in order: an iterative walk of /Pages with a visited set and caps."""
        pages: list[dict[str, Any]] = []
        stack: list[tuple[Any, int]] = [(self.root.get(Key.PAGES), 0)]
        seen: set[Hashable] = set()
        while stack:
            raw, depth = stack.pop()
            node = self.resolve(raw)
            if not isinstance(node, dict):
                continue
            key = self.model.key(raw, node)
            if key in seen or depth > self.limits.max_depth:
                self.warn(
                    "de paginaboom loopt in een kring of is te diep genest; op sommige pagina's zijn de "
                    "invulvakken niet nagekeken"
                )
                continue
            seen.add(key)
            kids = self.resolve(node.get(Key.KIDS))
            if isinstance(kids, list):
                stack.extend((kid, depth + 1) for kid in reversed(kids))
            elif node.get(Key.TYPE) != Key.PAGES:
                pages.append(node)
            if len(pages) > self.limits.max_pages:
                raise TooLargeError(f"meer dan {self.limits.max_pages} pagina's, te veel om veilig te lezen")
        return pages

    def _lineage(self, node: dict[str, Any]) -> tuple[str, Inherited]:
        """Name and inherited attributes of a field reached from a widget, via its /Parent chain."""
        chain: list[dict[str, Any]] = []
        seen: set[int] = set()
        current: Any = node
        while isinstance(current, dict) and id(current) not in seen:
            if len(chain) > self.limits.max_depth:
                raise ValueError("de keten van /Parent is te lang")
            seen.add(id(current))
            chain.append(current)
            current = self.resolve(current.get(Key.PARENT))
        name = ""
        inh = Inherited()
        for item in reversed(chain):
            name = _join(name, self._partial_name(item))
            inh = self._inherit(inh, item)
        return name, inh

    def _partial_name(self, node: dict[str, Any]) -> str | None:
        t = self.resolve(node.get(Key.T))
        if t is None:
            return None
        return self.model.text_value(t, self.odd) or ""

    def _inherit(self, inherited: Inherited, node: dict[str, Any]) -> Inherited:
        kind = self.model.kind
        ft = self.resolve(node.get(Key.FT))
        if ft is not None and kind(ft) != "name":
            self.odd()
        ff = self.resolve(node.get(Key.FF))
        if ff is not None and kind(ff) != "int":
            self.odd()
        return Inherited(
            ft=str(ft) if ft is not None else inherited.ft,
            ff=int(ff) if kind(ff) == "int" else inherited.ff,
            v=node.get(Key.V) if Key.V in node else inherited.v,
            opt=node.get(Key.OPT) if Key.OPT in node else inherited.opt,
        )


def fall_back(_message: str = "") -> NoReturn:
    """The strict walk's answer to anything the lenient one would remark on."""
    raise Fallback


_PUSHBUTTON, _RADIO = int(FieldFlag.PUSHBUTTON), int(FieldFlag.RADIO)
"""As plain ints: ``int & IntFlag`` makes a flag object each time (a microsecond a field)."""


def raw_field(terminal: Terminal, model: Model, warn: Warn, odd: Warn) -> RawField:
    """A terminal field's kind and normalised value; ``warn`` gets what is odd about it.

    ``odd`` is the walker's: what only the strict walk objects to.
    """
    inh, widgets, name, source = terminal.inherited, terminal.widgets, terminal.name, terminal.source
    if inh.ft == FieldType.TEXT:
        return RawField(name, "text", model.text_value(inh.v, warn), source=source)
    if inh.ft == FieldType.BUTTON:
        if inh.ff & _PUSHBUTTON:
            return RawField(name, "pushbutton", None, source=source)
        state = model.button_state(inh.v, widgets, warn)
        if state is not None and model.kind(model.resolve(inh.opt)) == "array":
            odd("export values by widget position: only pypdf's objects have the /AP")
        state = model.export_value(state, inh.opt, widgets)
        if inh.ff & _RADIO:
            return RawField(name, "radio", state, state=state, source=source)
        return RawField(name, "checkbox", state is not None, state=state, source=source)
    if inh.ft == FieldType.CHOICE:
        return RawField(name, "choice", model.choice_value(inh.v, warn), source=source)
    if inh.ft == FieldType.SIGNATURE:
        return RawField(name, "signature", model.resolve(inh.v) is not None, source=source)
    if inh.ft is not None:
        warn(f"onbekende veldsoort {inh.ft}")
    value = model.text_value(inh.v, warn) if inh.v is not None else None
    return RawField(name, "unknown", value, source=source)


def walk_form(root: dict[str, Any], model: Model, limits: Limits, *, strict: bool = False) -> RawForm:
    """All terminal fields of the form under ``root`` (the catalog), normalised, with every oddity said."""
    walker = Walker(root, model, limits, strict)
    form = RawForm(warnings=walker.warnings)

    def add(terminal: Terminal) -> None:
        notes: list[str] = []
        form.fields.append(raw_field(terminal, model, fall_back if strict else notes.append, walker.odd))
        walker.warnings.extend(f"veld {terminal.name!r}: {n}" for n in notes)

    walker.run(add)
    form.has_acroform, form.has_xfa = walker.has_acroform, walker.has_xfa
    form.has_page_content = walker.has_page_content
    return form


def _join(parent: str, partial: str | None) -> str:
    if partial is None:
        return parent
    return f"{parent}.{partial}" if parent else partial
