"""The documents: werkboek.pdf (cover, introduction, respondent block, all werkbladen) and stap-N.pdf.

Each PDF is laid out once, in one pass, into memory; :func:`build` writes them atomically.
ReportLab's ``invariant`` mode fixes the dates and the document id, so a build is
byte-for-byte reproducible.

Tab order: widgets enter each page's ``/Annots`` and the structure tree in reading order, and
pages say ``/Tabs /S`` (structure order, as PDF/UA asks), so viewers tab in that order either
way. ``/Tabs /R`` (row order) was rejected: it sorts by the top edge, and in a table row a
checkbox centred in its cell sits lower than the answer box to its right, so row order would
visit them right to left. Tagging: :mod:`werkbladen.layout.tagging`.
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    NextPageTemplate,
    PageBreak,
    Table,
    TableStyle,
)

from werkbladen.atomic import write_bytes
from werkbladen.content.model import Section, Werkblad, Werkboek
from werkbladen.content.naming import WERKBOEK, FieldSpec, TemplateId
from werkbladen.errors import WerkbladenError
from werkbladen.gcpause import paused_gc
from werkbladen.layout import theme
from werkbladen.layout.blocks import Context, section_flowables
from werkbladen.layout.fields import DateBox, TemplateStamp, TextBox
from werkbladen.layout.pages import (
    CONTINUED,
    COVER,
    OPENING,
    EnterWerkblad,
    PagedCanvas,
    cover_band,
    page_templates,
    step_band,
)
from werkbladen.layout.para import Para
from werkbladen.layout.tagging import LayoutTags, layout_table, marked
from werkbladen.layout.twocores import run_pair

LANG = "nl-NL"
CREATOR = "werkbladen"
RESPONDENT_TITLE = "Ingevuld door"
RESPONDENT_KEY = "ingevuld_door"
WERKBOEK_FILENAME = "werkboek.pdf"


def step_filename(werkblad: Werkblad) -> str:
    return f"stap-{werkblad.step}.pdf"


class WerkbladDoc(BaseDocTemplate):  # type: ignore[misc]
    """A4 document with the cover, opening and continuation page templates."""

    def __init__(
        self,
        buffer: io.BytesIO,
        werkboek: Werkboek,
        *,
        title: str,
        subject: str,
        first: str,
        werkblad: Werkblad | None,
    ) -> None:
        super().__init__(
            buffer,
            pagesize=theme.PAGE_SIZE,
            leftMargin=theme.MARGIN_LEFT,
            rightMargin=theme.MARGIN_RIGHT,
            topMargin=theme.MARGIN_TOP,
            bottomMargin=theme.MARGIN_BOTTOM,
            title=title,
            author=werkboek.publisher,
            subject=subject,
            creator=CREATOR,
            keywords="",
            lang=LANG,
            invariant=1,
            displayDocTitle=True,
        )
        self.werkboek = werkboek
        self.werkblad = werkblad
        """The werkblad of the page being laid out, for the running header and the footer."""
        self.addPageTemplates(page_templates(first))


def _respondent_block(werkboek: Werkboek, specs: dict[str, FieldSpec], *, heading: bool) -> Table:
    """The respondent's fields, two to a row, each with its label above its box, in a panel."""
    cells: list[list[Any]] = []
    for spec in werkboek.respondent_fields():
        own = specs[spec.name]
        box = DateBox(own) if own.kind == "date" else TextBox(own, height=theme.TEXT_BOX_HEIGHT)
        cells.append([Para(theme.escape(own.tooltip), theme.FIELD_LABEL), box])
    if len(cells) % 2:
        cells.append([])
    half = (theme.FRAME_WIDTH - 2 * 10 - 14) / 2
    rows = [[cells[i], cells[i + 1]] for i in range(0, len(cells), 2)]
    top = [[Para(RESPONDENT_TITLE, theme.PANEL_LABEL, role="H2"), ""]] if heading else []
    table = layout_table(
        [*top, *rows],
        colWidths=[half + 10 + 7, half + 10 + 7],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), theme.PANEL),
                ("BOX", (0, 0), (-1, -1), 0.6, theme.RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 10),
                ("RIGHTPADDING", (0, 0), (0, -1), 7),
                ("LEFTPADDING", (1, 0), (1, -1), 7),
                ("RIGHTPADDING", (1, 0), (1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                *([("SPAN", (0, 0), (1, 0))] if heading else []),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
            ]
        ),
    )
    table.spaceAfter = 14
    return table


def _doel_resultaat(werkblad: Werkblad) -> list[Any]:
    """The Doel/Resultaat panel: two tinted boxes side by side."""
    cells = []
    for label, text in (
        ("Doel van deze stap", werkblad.doel),
        ("Resultaat na deze stap", werkblad.resultaat),
    ):
        if text:
            cells.append(
                [Para(label, theme.PANEL_LABEL, role="H2"), Para(theme.escape(text), theme.PANEL_TEXT)]
            )
    if not cells:
        return []
    gap = 10.0
    width = (theme.FRAME_WIDTH - gap * (len(cells) - 1)) / len(cells)
    row: list[Any] = []
    widths: list[float] = []
    for i, cell in enumerate(cells):
        if i:
            row.append("")
            widths.append(gap)
        row.append(cell)
        widths.append(width)
    style: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    for i in range(0, len(row), 2):
        style += [
            ("BACKGROUND", (i, 0), (i, 0), theme.PANEL),
            ("LINEABOVE", (i, 0), (i, 0), 2.5, theme.PRIMARY),
            ("LEFTPADDING", (i, 0), (i, 0), 10),
            ("RIGHTPADDING", (i, 0), (i, 0), 10),
            ("TOPPADDING", (i, 0), (i, 0), 8),
            ("BOTTOMPADDING", (i, 0), (i, 0), 10),
        ]
    table = layout_table([row], colWidths=widths, hAlign="LEFT", style=TableStyle(style))
    table.spaceAfter = 14
    return [table]


def _werkblad_story(
    werkblad: Werkblad,
    ctx: Context,
    *,
    first: bool,
    respondent: bool,
    level: int,
    printed_with: tuple[Werkblad, ...] = (),
) -> list[Any]:
    """A werkblad from its band on; ``printed_with`` are werkbladen printed in it (under their titles)."""
    story: list[Any] = [EnterWerkblad(werkblad), NextPageTemplate(OPENING)]
    if not first:
        story.append(PageBreak())
    story.append(step_band(ctx.werkboek, werkblad))
    story.append(NextPageTemplate(CONTINUED))
    if respondent:
        story.append(_respondent_block(ctx.werkboek, ctx.specs, heading=True))
    story.extend(_doel_resultaat(werkblad))
    for guest in printed_with:
        # the guest's title heads its first section, kept with what follows it
        opening, *rest = guest.sections
        if opening.title:
            rest, opening = [opening, *rest], Section(title=guest.title)
        else:
            opening = opening.model_copy(update={"title": guest.title})
        for i, section in enumerate([opening, *rest]):
            story.extend(section_flowables(guest, i, section, ctx, level))
    for i, section in enumerate(werkblad.sections):
        story.extend(section_flowables(werkblad, i, section, ctx, level))
    return story


def _cover(werkboek: Werkboek) -> list[Any]:
    entries = [(RESPONDENT_KEY, RESPONDENT_TITLE), (werkboek.introduction.id, werkboek.introduction.title)]
    for w in werkboek.werkbladen:
        entries.append((w.id, f"Stap {w.step}: {w.title}" if w.step else w.title))
    link = theme.LINK.hexval()[2:]
    rows = [
        [
            Para(f'<a href="#{key}" color="#{link}">{theme.escape(label)}</a>', theme.TOC_ENTRY),
            PageRef(key),
        ]
        for key, label in entries
    ]
    contents = layout_table(
        rows,
        tags=LayoutTags("TOC", "TOCI"),
        colWidths=[theme.FRAME_WIDTH - 40, 40],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, theme.BAND_SUBTLE),
            ]
        ),
    )
    return [cover_band(werkboek), Para("Inhoud", theme.TOC_HEADING, role="H2"), contents]


class PageRef(Flowable):  # type: ignore[misc]
    """The page number of a destination, right-aligned; known only when the canvas is saved."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, theme.TOC_ENTRY.leading

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.translate(self.width, theme.TOC_ENTRY.leading - theme.TOC_ENTRY.fontSize)
        with marked(self.canv, None, self):
            self.canv.page_reference(self.key)
        self.canv.restoreState()


def _werkboek_story(werkboek: Werkboek, ctx: Context, identity: str) -> list[Any]:
    """Cover with contents and the respondent block (a page of its own would be headed by the
    introduction's running header), then the introduction and every werkblad."""
    story: list[Any] = [TemplateStamp(identity), *_cover(werkboek)]
    story.append(RespondentHeading(RESPONDENT_TITLE, RESPONDENT_KEY))
    story.append(
        Para(
            "Vul je gegevens één keer in; ze gelden voor alle werkbladen in dit werkboek.",
            theme.SECTION_INTRO,
        )
    )
    story.append(_respondent_block(werkboek, ctx.specs, heading=False))
    story += _werkblad_story(werkboek.introduction, ctx, first=False, respondent=False, level=1)
    for werkblad in werkboek.werkbladen:
        story += _werkblad_story(werkblad, ctx, first=False, respondent=False, level=1)
    return story


class RespondentHeading(Para):
    """The werkboek's respondent section heading: a destination and a top-level outline entry."""

    def __init__(self, text: str, key: str) -> None:
        super().__init__(theme.escape(text), theme.SECTION, role="H1")
        self.key = key
        self.title = text

    def draw(self) -> None:
        self.canv.destination(self.key, self.height + 6)
        self.canv.addOutlineEntry(self.title, self.key, level=0)
        super().draw()


def _render(
    werkboek: Werkboek,
    template_id: str,
    story: list[Any],
    *,
    title: str,
    subject: str,
    first: str = OPENING,
    werkblad: Werkblad | None = None,
) -> bytes:
    buffer = io.BytesIO()
    doc = WerkbladDoc(buffer, werkboek, title=title, subject=subject, first=first, werkblad=werkblad)
    identity = str(TemplateId(template_id, werkboek.version, werkboek.fingerprint))
    with _no_ascii85():
        doc.build(story, canvasmaker=functools.partial(PagedCanvas, identity=identity))
    return buffer.getvalue()


@contextlib.contextmanager
def _no_ascii85() -> Iterator[None]:
    """Streams compressed but not ASCII85-encoded as well (ReportLab's default): a quarter smaller, faster."""
    was = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = was


def render_werkboek(werkboek: Werkboek) -> bytes:
    """werkboek.pdf: cover and contents, introduction, respondent block, every werkblad."""
    ctx = Context(werkboek, _specs(werkboek, WERKBOEK), in_werkboek=True)
    identity = str(TemplateId(WERKBOEK, werkboek.version, werkboek.fingerprint))
    story = _werkboek_story(werkboek, ctx, identity)
    return _render(werkboek, WERKBOEK, story, title=werkboek.title, subject=werkboek.subtitle, first=COVER)


def render_step(werkboek: Werkboek, werkblad: Werkblad) -> bytes:
    """stap-N.pdf: one step with the respondent block on its first page."""
    ctx = Context(werkboek, _specs(werkboek, werkblad.id), in_werkboek=False)
    identity = str(TemplateId(werkblad.id, werkboek.version, werkboek.fingerprint))
    guests = tuple(werkboek.printed_in(werkblad.id)[:-1])
    story = [
        TemplateStamp(identity),
        *_werkblad_story(werkblad, ctx, first=True, respondent=True, level=0, printed_with=guests),
    ]
    title = f"Stap {werkblad.step}: {werkblad.title}"
    return _render(
        werkboek,
        werkblad.id,
        story,
        title=f"{title} — {werkboek.title}",
        subject=werkboek.subtitle,
        werkblad=werkblad,
    )


def _specs(werkboek: Werkboek, template_id: str) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in werkboek.form_fields(template_id)}


def build(werkboek: Werkboek, out_dir: Path, *, parallel: bool = True) -> list[Path]:
    """Write werkboek.pdf and stap-1.pdf … stap-7.pdf into ``out_dir``; return their paths.

    Each file is replaced atomically: a reader never sees half a PDF, and a file that fails
    keeps its previous version. The step PDFs are rendered in a forked process while this one
    renders the werkboek (see :mod:`werkbladen.layout.twocores`), so a failure in one half
    does not stop the other; ``parallel=False`` renders in this process. The bytes are the
    same either way.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WerkbladenError(f"cannot create the output folder {out_dir}: {exc.strerror or exc}") from None
    werkboek_path = out_dir / WERKBOEK_FILENAME
    steps = [(werkblad, out_dir / step_filename(werkblad)) for werkblad in werkboek.steps]

    def write_werkboek() -> None:
        write_bytes(werkboek_path, render_werkboek(werkboek))

    def write_steps() -> None:
        for werkblad, path in steps:
            write_bytes(path, render_step(werkboek, werkblad))

    with paused_gc():
        run_pair(write_werkboek, write_steps, parallel=parallel)
    return [werkboek_path, *(path for _, path in steps)]
