"""Pages: the header bands, running header and footer, page templates and the canvas.

"pagina X van Y" is made in one pass: each footer draws a form XObject named after its
page, and the canvas defines those forms when it is saved and the total is known.
ReportLab resolves forward references to forms at save time, so no second layout pass.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.acroform import AcroForm
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFInfo, PDFName, PDFPage, PDFStream, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import ActionFlowable, Flowable, Frame, PageTemplate

from werkbladen.content.model import Werkblad, Werkboek
from werkbladen.content.naming import INFO_KEY
from werkbladen.layout import fonts, tagging, theme
from werkbladen.layout.para import Para
from werkbladen.layout.pdfwrite import WidgetDictionary

COVER, OPENING, CONTINUED = "cover", "opening", "continued"
BAND_PAD_TOP = 16.0 * 2.8346
BAND_PAD_BOTTOM = 18.0
BAND_GAP_AFTER = 14.0
FOOTER_Y = theme.MARGIN_BOTTOM - 30
COVER_BAND_SHARE = 0.34
"""The cover band's least height, as a share of the page: room below it for the contents and
the respondent block."""
HEADER_Y = theme.PAGE_HEIGHT - theme.MARGIN_TOP + 26


class TemplateInfo(PDFInfo):  # type: ignore[misc]
    """The document information dictionary, plus the template identity under ``/WerkbladenTemplate``."""

    def __init__(self, identity: str) -> None:
        super().__init__()
        self.identity = identity

    def format(self, document: Any) -> bytes:
        d = {
            "Title": PDFString(self.title),
            "Author": PDFString(self.author),
            "Subject": PDFString(self.subject),
            "Keywords": PDFString(self.keywords),
            "Creator": PDFString(self.creator),
            "Producer": PDFString(self.producer),
            INFO_KEY.lstrip("/"): PDFString(self.identity),
            "Trapped": PDFName(self.trapped),
        }
        from reportlab.pdfbase.pdfdoc import PDFDate

        d["CreationDate"] = d["ModDate"] = PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        result: bytes = PDFDictionary(d).format(document)
        return result


_LONG_NUMBER = re.compile(r"\d*\.\d{4,}")
_PLAIN_UP_TO = 160
"""Streams shorter than this are stored without compression: deflating a hundred bytes saves
less than ``/Filter [ /FlateDecode ]`` costs."""
_EMPTY_TEXT = re.compile(r"/Tx BMC \nq\n[^\n]* re\nW\nn\n0 g\n0 G\nQ\nEMC")


def _slim(stream: str) -> str:
    """An appearance stream with its numbers at most three decimals long (a thousandth of a
    point, or of a colour), and an empty text field's content (a clip, two colours, nothing
    drawn) as just its marked-content pair."""
    stream = _LONG_NUMBER.sub(lambda number: fp_str(round(float(number[0]), 3)), stream)
    return _EMPTY_TEXT.sub("/Tx BMC EMC", stream)


class PlainStream(PDFStream):  # type: ignore[misc]
    """A stream stored as it is (ReportLab writes ``/Filter [ ]`` for an empty list of filters)."""

    def format(self, document: Any) -> bytes:
        dictionary = PDFDictionary(self.dictionary.dict.copy())
        content = document.encrypt.encode(self.content)
        dictionary["Length"] = len(content)
        head: bytes = pdfdoc.format(dictionary, document)
        body: bytes = pdfdoc.format(content, document)
        return head + b"\nstream\n" + body + b"endstream\n"


class Form(AcroForm):  # type: ignore[misc]
    """ReportLab's AcroForm with round radio buttons drawn at their real size, and faster.

    ReportLab 4–5 scale the circle of a round button by ``size / 20`` a second time, so a
    button smaller than 20 pt shows a dot in its lower-left corner (measured: an 11 pt
    button drew a 6 pt circle). Here the circle fills the button, centred.

    ReportLab also recomputes the six appearance streams of every checkbox and radio button,
    and the pressed and rollover colours of each, before finding that identical ones exist;
    streams and colours depend only on the arguments, so they are made once per document.

    Text fields name the embedded Werkbladen Sans (``/Wingdings`` in ``/DR``), not a standard 14
    font: see :func:`werkbladen.layout.fonts.field_font`.

    Every text and choice widget gets an appearance stream of its own. ReportLab gives identical
    ones a single object, and a filler that replaces ``/AP /N`` by object number (pypdf's
    ``update_page_form_field_values``) then shows one answer in every box sharing it (measured:
    the last of four respondent answers in all four boxes). The copies are kept small instead:
    numbers to four decimals, and an empty field's clip, which draws nothing, left out.
    """

    def __init__(self, canv: Any, **kwargs: Any) -> None:
        super().__init__(canv, **kwargs)
        self._ap_cache: dict[tuple[Any, ...], Any] = {}
        self._colour_cache: dict[tuple[Any, ...], tuple[Any, Any, Any]] = {}
        self._field_font_ref: str | None = None
        self._resources: dict[bytes, Any] = {}
        self._text_appearances = 0

    def makeFont(self, fontName: str | None) -> tuple[str, str]:
        if fontName != theme.FIELD_FONT:
            return super().makeFont(fontName)  # type: ignore[no-any-return]
        if self._field_font_ref is None:
            self._field_font_ref = self.getRefStr(fonts.field_font(self.getRef))
            self.fonts[fonts.FIELD_FONT_KEY] = self._field_font_ref
        return self._field_font_ref, fonts.FIELD_FONT_KEY

    def makeStream(self, width: float, height: float, stream: str, **entries: Any) -> Any:
        """ReportLab's appearance stream, smaller: no default ``/Matrix`` or ``/FormType``, no
        optional ``/Type`` (ISO 32000-1 8.10.2), a short stream not deflated, and one shared
        ``/Resources`` object instead of a copy in every stream."""
        stream = _slim(stream)
        form = super().makeStream(width, height, stream, **entries)
        if len(stream) < _PLAIN_UP_TO:
            form.__class__ = PlainStream
        found = form.dictionary.dict
        del found["Matrix"], found["FormType"], found["Type"]
        resources = found.get("Resources")
        if resources is not None:
            key = resources.format(self.canv._doc)
            if key not in self._resources:
                self._resources[key] = self.getRef(resources)
            found["Resources"] = self._resources[key]
        return form

    def txAP(self, *args: Any, **kwargs: Any) -> Any:
        stream = super().txAP(*args, **kwargs)
        self._text_appearances += 1  # ReportLab shares streams whose look-up strings are equal
        stream._af_refstr = f"{stream._af_refstr}\n{self._text_appearances}"
        return stream

    def checkboxAP(self, key: str, value: str, **kwargs: Any) -> Any:
        # types too: 11 and 11.0 are equal keys but print differently in the stream
        cache_key = (key, value, *((k, type(v), v) for k, v in sorted(kwargs.items())))
        try:
            stream = self._ap_cache.get(cache_key)
        except TypeError:  # an unhashable argument (a dash list): not worth a cache
            return super().checkboxAP(key, value, **kwargs)
        if stream is None:
            stream = self._ap_cache[cache_key] = super().checkboxAP(key, value, **kwargs)
        return stream

    def varyColors(self, key: str, t: Any, b: Any, f: Any) -> tuple[Any, Any, Any]:
        cache_key = (key, type(t), t, type(b), b, type(f), f)
        colours = self._colour_cache.get(cache_key)
        if colours is None:
            colours = self._colour_cache[cache_key] = AcroForm.varyColors(key, t, b, f)
        return colours

    @staticmethod
    def circleArcStream(
        size: float, r: float, arcs: tuple[int, ...] = (0, 1, 2, 3), rotated: bool = False
    ) -> str:
        """The circle of radius ``r`` centred in a ``size`` box, as Bézier arcs (ReportLab's, unscaled)."""
        c, rs, h = fp_str(0.55231 * r), fp_str(r), fp_str(size / 2)
        ops = [f"{'0.7071 0.7071 -0.7071 0.7071' if rotated else '1 0 0 1'} {h} {h} cm"]
        starts = {0: f"{rs} 0 m", 1: f"0 {rs} m", 2: f"-{rs} 0 m", 3: f"0 -{rs} m"}
        curves = {
            0: f"{rs} {c} {c} {rs} 0 {rs} c",
            1: f"-{c} {rs} -{rs} {c} -{rs} 0 c",
            2: f"-{rs} -{c} -{c} -{rs} 0 -{rs} c",
            3: f"{c} -{rs} {rs} -{c} {rs} 0 c",
        }
        for arc in (0, 1, 2, 3):
            if arc in arcs:
                if len(ops) == 1:
                    ops.append(starts[arc])
                ops.append(curves[arc])
        return "\n".join(ops)


class PageNumbers:
    """ "pagina X van Y" in a footer: each page draws a form, defined at save when Y is known."""

    def page_number_form(self: Any, x_right: float, y: float) -> None:
        """Draw "pagina X van Y" right-aligned at (x_right, y); the text is filled in at save."""
        self.saveState()
        self.translate(x_right, y)
        self.doForm(f"pagina{self.getPageNumber()}")
        self.restoreState()

    def define_page_numbers(self: Any) -> None:
        """Define each page's number form; call once, at save, before the canvas writes the file."""
        total = self.getPageNumber() - 1
        for n in range(1, total + 1):
            self.beginForm(f"pagina{n}", lowerx=-120, lowery=-4, upperx=2, uppery=12)
            self.setFont(theme.FONT, theme.FOOTER_SIZE)
            self.setFillColor(theme.MUTED)
            self.drawRightString(0, 0, f"pagina {n} van {total}")
            self.endForm()


class PagedCanvas(PageNumbers, Canvas):  # type: ignore[misc]
    """A canvas that carries the template identity, tags what it draws, and knows page numbers
    at save time.

    Page numbers that are not known while a page is drawn ("van Y", the page of a heading
    in the contents) are drawn as form XObjects and defined in :meth:`save`. The structure
    tree (:mod:`werkbladen.layout.tagging`) is written there too.
    """

    def __init__(self, *args: Any, identity: str, **kwargs: Any) -> None:
        kwargs["initialFontName"] = theme.FONT  # not Helvetica, which is not embedded
        kwargs["pdfVersion"] = (1, 7)  # PDF/UA-1 builds on PDF 1.7 (/Tabs /S is 1.5), not ReportLab's 1.4
        super().__init__(*args, **kwargs)
        self._doc.info = TemplateInfo(identity)
        self.destination_pages: dict[str, int] = {}
        self.tags = tagging.Tagger()

    def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1) -> None:
        if type(annotation) is PDFDictionary:  # a widget or link: the quicker serialiser
            annotation.__class__ = WidgetDictionary
        super()._addAnnotation(annotation, name, addtopage)
        self.tags.annotation(self, annotation, self._annotationrefs[-1])

    def _setAnnotations(self, page: Any) -> None:
        super()._setAnnotations(page)
        if not isinstance(page, PDFPage):  # a form XObject
            return
        page.__NoDefault__ = [*page.__NoDefault__, "Tabs", "StructParents"]
        page.Tabs = PDFName("S")  # tab order = structure order
        page.StructParents = self.tags.page_key(self.getPageNumber())

    def destination(self, key: str, top: float) -> None:
        """Make ``key`` a link target at height ``top`` of the current origin, and note its page."""
        self.bookmarkHorizontal(key, 0, top)
        self.destination_pages[key] = self.getPageNumber()

    def page_reference(self, key: str) -> None:
        """Draw the page number of destination ``key``, right-aligned at the current origin."""
        self.doForm(f"pagina_van_{key}")

    @property
    def acroForm(self) -> Form:
        form: Form | None = getattr(self, "AcroForm", None)
        if form is None:
            form = self.AcroForm = self._doc._catalog.AcroForm = Form(self)
        return form

    def save(self) -> None:
        self.define_page_numbers()
        for key, page in self.destination_pages.items():
            self.beginForm(f"pagina_van_{key}", lowerx=-40, lowery=-4, upperx=2, uppery=14)
            self.setFont(theme.FONT, theme.TOC_ENTRY.fontSize)
            self.setFillColor(theme.MUTED)
            self.drawRightString(0, 0, str(page))
            self.endForm()
        tagging.finish(self)
        super().save()


class EnterWerkblad(ActionFlowable):  # type: ignore[misc]
    """Tells the document which werkblad the following pages belong to (for header and footer).

    Placed before the page break that opens the werkblad, so that the new page's
    ``onPage`` already sees it.
    """

    def __init__(self, werkblad: Werkblad | None) -> None:
        super().__init__()
        self.werkblad = werkblad

    def apply(self, doc: Any) -> None:
        doc.werkblad = self.werkblad
        doc.canv.tags.section(self.werkblad.id if self.werkblad else None)


class Band(Flowable):  # type: ignore[misc]
    """The coloured header band at the top of a werkblad's first page, bled to the page edges.

    It also sets the werkblad's destination and outline entry, so the werkboek's list of
    steps and the bookmarks pane jump to it.
    """

    def __init__(
        self,
        *,
        kicker: str | None,
        title: str,
        subtitle: str | None,
        top_line: str,
        key: str,
        outline: str,
        big_number: str | None = None,
        cover: bool = False,
    ) -> None:
        super().__init__()
        self.cover = cover
        self.paras: list[Para] = []
        heading = object()  # the kicker ("Stap 2") and the title are one H1
        if kicker:
            self.paras.append(Para(theme.escape(kicker), theme.BAND_KICKER, role="H1", tag_key=heading))
        self.paras.append(
            Para(
                _no_widow(title),
                theme.COVER_TITLE if cover else theme.BAND_TITLE,
                role="H1",
                tag_key=heading,
            )
        )
        if subtitle:
            self.paras.append(
                Para(_no_widow(subtitle), theme.COVER_SUBTITLE if cover else theme.BAND_SUBTITLE)
            )
        self.top_line = top_line
        self.key = key
        self.outline = outline
        self.big_number = big_number
        self.text_width = theme.FRAME_WIDTH - (70 if big_number else 0)
        self.heights: list[float] = []
        self.spaceAfter = BAND_GAP_AFTER

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.heights = [p.wrap(self.text_width, avail_height)[1] for p in self.paras]
        gaps = 6.0 * (len(self.paras) - 1)
        pad_top = BAND_PAD_TOP * (2.2 if self.cover else 1.0)
        pad_bottom = BAND_PAD_BOTTOM * (3.0 if self.cover else 1.0)
        self.width = avail_width
        self.height = pad_top + sum(self.heights) + gaps + pad_bottom
        if self.cover:
            self.height = max(self.height, theme.PAGE_HEIGHT * COVER_BAND_SHARE)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.destination(self.key, self.height)
        canv.addOutlineEntry(self.outline, self.key, level=0)
        left = -theme.MARGIN_LEFT
        with tagging.artifact(canv):  # the band, the big number and the top line decorate
            canv.saveState()
            canv.setFillColor(theme.PRIMARY)
            canv.rect(left, 0, theme.PAGE_WIDTH, self.height, stroke=0, fill=1)
            canv.setFillColor(theme.ACCENT)
            canv.rect(left, 0, theme.PAGE_WIDTH, 4, stroke=0, fill=1)
            if self.big_number:
                canv.setFillColor(theme.PRIMARY_DARK)
                canv.setFont(theme.FONT_BOLD, 120)
                canv.drawRightString(theme.FRAME_WIDTH + 6, 14, self.big_number)
            canv.setFillColor(theme.BAND_SUBTLE)
            canv.setFont(theme.FONT, 8.5)
            line = self.top_line
            if theme.text_width(line, theme.FONT, 8.5) > theme.FRAME_WIDTH:
                line = line.split(" · ")[0]
            canv.drawString(0, self.height - 11 * 2.8346, line)
            canv.restoreState()
        text_height = sum(self.heights) + 6.0 * (len(self.paras) - 1)
        # on the cover the title block sits low in the band, just above the contents
        y = BAND_PAD_BOTTOM * 3.0 + text_height if self.cover else self.height - BAND_PAD_TOP
        for para, h in zip(self.paras, self.heights, strict=True):
            y -= h
            para.drawOn(canv, 0, y)
            y -= 6


def _no_widow(title: str) -> str:
    """A title as markup whose last two words stay on one line: no "jeugd" alone on the last line."""
    head, _, last = title.rpartition(" ")
    return f"{theme.escape(head)}&nbsp;{theme.escape(last)}" if head else theme.escape(title)


def step_band(werkboek: Werkboek, werkblad: Werkblad) -> Band:
    kicker = f"Stap {werkblad.step}" if werkblad.step else werkblad.kicker
    outline = f"Stap {werkblad.step}: {werkblad.title}" if werkblad.step else werkblad.title
    return Band(
        kicker=kicker,
        title=werkblad.title,
        subtitle=f"Werkblad: {werkblad.werkblad_title}" if werkblad.werkblad_title else None,
        top_line=f"{werkboek.title} · {werkboek.subtitle}",
        key=werkblad.id,
        outline=outline,
        big_number=str(werkblad.step) if werkblad.step else None,
    )


def cover_band(werkboek: Werkboek) -> Band:
    return Band(
        kicker=None,
        title=werkboek.title,
        subtitle=werkboek.subtitle,
        top_line=werkboek.publisher,
        key="omslag",
        outline=werkboek.title,
        cover=True,
    )


def _footer(canv: PagedCanvas, doc: Any) -> None:
    werkblad: Werkblad | None = getattr(doc, "werkblad", None)
    canv.saveState()
    canv.setStrokeColor(theme.RULE)
    canv.setLineWidth(0.5)
    canv.line(theme.MARGIN_LEFT, FOOTER_Y + 11, theme.PAGE_WIDTH - theme.MARGIN_RIGHT, FOOTER_Y + 11)
    canv.setFont(theme.FONT, theme.FOOTER_SIZE)
    canv.setFillColor(theme.MUTED)
    text = doc.werkboek.title
    if werkblad is not None:
        canv.setFont(theme.FONT_BOLD, theme.FOOTER_SIZE)
        canv.drawString(theme.MARGIN_LEFT, FOOTER_Y, werkblad.heading)
        offset = canv.stringWidth(werkblad.heading, theme.FONT_BOLD, theme.FOOTER_SIZE)
        canv.setFont(theme.FONT, theme.FOOTER_SIZE)
        canv.drawString(theme.MARGIN_LEFT + offset, FOOTER_Y, f"  ·  {text}")
    else:
        canv.drawString(theme.MARGIN_LEFT, FOOTER_Y, text)
    canv.restoreState()
    canv.page_number_form(theme.PAGE_WIDTH - theme.MARGIN_RIGHT, FOOTER_Y)


def _running_header(canv: PagedCanvas, doc: Any) -> None:
    werkblad: Werkblad | None = getattr(doc, "werkblad", None)
    if werkblad is None:
        return
    canv.saveState()
    canv.setFillColor(theme.PRIMARY)
    canv.rect(0, theme.PAGE_HEIGHT - 8, theme.PAGE_WIDTH, 8, stroke=0, fill=1)
    canv.setFont(theme.FONT_BOLD, theme.HEADER_SIZE)
    label = werkblad.heading if werkblad.step else werkblad.title
    canv.drawString(theme.MARGIN_LEFT, HEADER_Y, label)
    if werkblad.step:
        offset = canv.stringWidth(label, theme.FONT_BOLD, theme.HEADER_SIZE)
        canv.setFont(theme.FONT, theme.HEADER_SIZE)
        canv.setFillColor(theme.MUTED)
        canv.drawString(theme.MARGIN_LEFT + offset, HEADER_Y, f"  ·  {werkblad.title}")
    canv.setStrokeColor(theme.RULE)
    canv.setLineWidth(0.5)
    canv.line(theme.MARGIN_LEFT, HEADER_Y - 6, theme.PAGE_WIDTH - theme.MARGIN_RIGHT, HEADER_Y - 6)
    canv.restoreState()


def _on_cover(canv: PagedCanvas, doc: Any) -> None:
    werkboek = doc.werkboek
    canv.saveState()
    canv.setStrokeColor(theme.RULE)
    canv.setLineWidth(0.5)
    canv.line(theme.MARGIN_LEFT, FOOTER_Y + 11, theme.PAGE_WIDTH - theme.MARGIN_RIGHT, FOOTER_Y + 11)
    canv.setFont(theme.FONT_BOLD, theme.FOOTER_SIZE)
    canv.setFillColor(theme.MUTED)
    canv.drawString(theme.MARGIN_LEFT, FOOTER_Y, werkboek.publisher)
    canv.setFont(theme.FONT, theme.FOOTER_SIZE)
    canv.drawRightString(theme.PAGE_WIDTH - theme.MARGIN_RIGHT, FOOTER_Y, f"versie {werkboek.version}")
    canv.restoreState()


def _on_continued(canv: PagedCanvas, doc: Any) -> None:
    _running_header(canv, doc)
    _footer(canv, doc)


def page_templates(first: str) -> list[PageTemplate]:
    """Cover (no header or footer), opening page of a werkblad (band), continuation page.

    ``first`` names the template of the first page (a document starts on its first template).
    """

    def frame(top: float, ident: str) -> Frame:
        return Frame(
            theme.MARGIN_LEFT,
            theme.MARGIN_BOTTOM,
            theme.FRAME_WIDTH,
            theme.PAGE_HEIGHT - theme.MARGIN_BOTTOM - top,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=ident,
        )

    templates = [
        PageTemplate(
            id=OPENING,
            frames=[frame(0, OPENING)],
            onPage=tagging.paginated(_footer),
            pagesize=theme.PAGE_SIZE,
        ),
        PageTemplate(
            id=CONTINUED,
            frames=[frame(theme.MARGIN_TOP, CONTINUED)],
            onPage=tagging.paginated(_on_continued),
            pagesize=theme.PAGE_SIZE,
        ),
        PageTemplate(
            id=COVER, frames=[frame(0, COVER)], onPage=tagging.paginated(_on_cover), pagesize=theme.PAGE_SIZE
        ),
    ]
    return sorted(templates, key=lambda t: t.id != first)
