"""Content blocks to flowables: text, lists, tips, links, questions, tables, the list of steps.

Every field's spec is looked up by the name :mod:`werkbladen.content.naming` makes from the ids in the
content, in the spec list of the PDF being built; a field the model does not list is a bug
and raises ``KeyError`` here rather than producing a PDF the reader cannot match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListItem,
    Spacer,
    TableStyle,
)

from werkbladen.content.model import (
    EXPLAIN_LABEL,
    Block,
    LinksBlock,
    ListBlock,
    QuestionBlock,
    Section,
    StepsBlock,
    TableBlock,
    TextBlock,
    TipBlock,
    Werkblad,
    Werkboek,
)
from werkbladen.content.naming import FieldSpec, cell_name, field_name
from werkbladen.layout import theme
from werkbladen.layout.fields import CheckBox, ChoiceGroup, DateBox, FieldFlowable, TextBox, box_height
from werkbladen.layout.para import Para
from werkbladen.layout.tables import TableStart, table_flowables
from werkbladen.layout.tagging import LayoutTags, TaggedList, layout_table

TEXT_STYLES = {"body": theme.BODY, "lead": theme.LEAD, "subheading": theme.SUBHEADING, "note": theme.NOTE}
CHECKBOX_LABEL = "Ja"
"""Printed beside a question's lone checkbox: ticking it answers the question with yes."""
NUMBERED_QUESTION = ParagraphStyle(
    "numbered_question",
    parent=theme.QUESTION,
    leftIndent=16,
    bulletIndent=0,
    bulletFontName=theme.QUESTION.fontName,  # ReportLab's default, Helvetica, is not embedded
)
"""A question the seed numbers: the number hangs in the margin, as in a numbered list."""


@dataclass(frozen=True)
class Context:
    """What a block needs beyond itself: the werkboek, the PDF's fields, and whether steps are linkable."""

    werkboek: Werkboek
    specs: dict[str, FieldSpec]
    in_werkboek: bool
    """True in werkboek.pdf, where every step has a destination to link to."""

    def spec(self, name: str) -> FieldSpec:
        return self.specs[name]


class SectionHeading(Para):
    """A section title that is also a bookmark and an outline entry under its werkblad."""

    def __init__(self, text: str, key: str, level: int) -> None:
        super().__init__(theme.escape(text), theme.SECTION, role="H2")
        self.key = key
        self.level = level
        self.title = text

    def draw(self) -> None:
        self.canv.destination(self.key, self.height + 6)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level)
        super().draw()


def section_flowables(
    werkblad: Werkblad, index: int, section: Section, ctx: Context, level: int
) -> list[Any]:
    """A section's flowables. Headings, intros, subheadings and notes (which say how to fill
    what follows) are never left at a page's foot: they are kept with the next flowable."""
    out: list[Any] = []
    lead: list[Any] = []
    if section.title:
        lead.append(SectionHeading(section.title, f"{werkblad.id}_sectie_{index + 1}", level))
    if section.intro:
        lead.append(Para(theme.escape(section.intro), theme.SECTION_INTRO))
    for block in section.blocks:
        flowables = block_flowables(werkblad, block, ctx)
        if isinstance(block, TextBlock) and block.style in ("subheading", "note"):
            lead.extend(flowables)
            continue
        if lead:
            flowables[0] = with_lead(lead, flowables[0])
            lead = []
        elif isinstance(block, LinksBlock) and out and type(out[-1]) is KeepTogether:
            # links that follow a question belong to it: never strand them on a page of their own
            out[-1] = KeepTogether([*out[-1]._content, *_unwrap(flowables)])
            continue
        out.extend(flowables)
    out.extend(lead)
    return out


def _unwrap(flowables: list[Any]) -> list[Any]:
    """The flowables with KeepTogether groups opened: a nested group measures as "infinitely"
    tall (ReportLab forces it to split), so the outer group would never fit anywhere."""
    out: list[Any] = []
    for f in flowables:
        out.extend(_unwrap(f._content) if isinstance(f, KeepTogether) else [f])
    return out


def with_lead(lead: list[Any], first: Any) -> Any:
    """``first`` with ``lead`` kept on the same page before it."""
    if isinstance(first, TableStart):
        return first.with_lead(lead)
    if isinstance(first, KeepTogether):
        return KeepTogether([*lead, *_unwrap(first._content)])
    return KeepTogether([*lead, first])


def block_flowables(werkblad: Werkblad, block: Block, ctx: Context) -> list[Any]:
    if isinstance(block, TextBlock):
        role = "H3" if block.style == "subheading" else "P"
        return [Para(theme.escape(block.text), TEXT_STYLES[block.style], role=role)]
    if isinstance(block, ListBlock):
        return [_list(block.items, block.numbered)]
    if isinstance(block, TipBlock):
        return [tip_box(block)]
    if isinstance(block, LinksBlock):
        return [_links(block)]
    if isinstance(block, QuestionBlock):
        explain = ctx.spec(field_name(werkblad.id, block.explain.id)) if block.explain else None
        return [question(block, ctx.spec(field_name(werkblad.id, block.field.id)), explain)]
    if isinstance(block, TableBlock):

        def spec_of(table: str, row: str, column: str) -> FieldSpec:
            return ctx.spec(cell_name(werkblad.id, table, row, column))

        return table_flowables(block, werkblad.id, spec_of, ctx.werkboek.scale_map)
    if isinstance(block, StepsBlock):
        return [steps_list(ctx.werkboek, linked=ctx.in_werkboek)]
    raise TypeError(f"no layout for block {type(block).__name__}")


def _list(items: list[str], numbered: bool) -> Flowable:
    return TaggedList(
        [ListItem(Para(theme.escape(t), theme.LIST_ITEM)) for t in items],
        bulletType="1" if numbered else "bullet",
        start=None if numbered else "•",
        bulletFontName=theme.FONT_BOLD if numbered else theme.FONT,
        bulletFontSize=10 if numbered else 9,
        bulletColor=theme.ACCENT,
        leftIndent=16,
        bulletDedent=12,
        spaceAfter=6,
    )


def tip_box(block: TipBlock) -> Flowable:
    """A tinted box with a coloured bar and a bold label: Tip, Hulp nodig?, Leestip, Let op."""
    label = (
        f'<font color="#{theme.ACCENT.hexval()[2:]}"><b>{theme.escape(block.label)}</b></font>  '
        if block.label
        else ""
    )
    content: list[Any] = [Para(label + theme.escape(block.text), theme.TIP_TEXT)]
    for link in block.links:
        content.append(Para("› " + theme.link_markup(link.label, str(link.url)), theme.LINK_ITEM))
    return _panel(content, theme.TIP, bar=theme.ACCENT)


def _panel(content: list[Any], fill: Any, bar: Any | None = None) -> Flowable:
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]
    if bar is not None:
        style.append(("LINEBEFORE", (0, 0), (0, -1), 3, bar))
    table = layout_table([[content]], colWidths=[theme.FRAME_WIDTH], style=TableStyle(style), hAlign="LEFT")
    table.spaceBefore = 2
    table.spaceAfter = 12
    return table


def _links(block: LinksBlock) -> Flowable:
    items: list[Any] = []
    if block.intro:
        items.append(Para(theme.escape(block.intro), theme.BODY))
    for link in block.items:
        items.append(Para("› " + theme.link_markup(link.label, str(link.url)), theme.LINK_ITEM))
    items.append(Spacer(1, 8))
    return KeepTogether(items)


def field_flowable(spec: FieldSpec) -> FieldFlowable:
    """The widget flowable for a question's field, sized to the answer it expects."""
    if spec.kind == "checkbox":
        return CheckBox(spec, label=CHECKBOX_LABEL)
    if spec.kind == "choice":
        return ChoiceGroup(spec, mode="row")
    if spec.kind == "date":
        return DateBox(spec)
    return TextBox(spec, height=box_height(spec))


def question(block: QuestionBlock, spec: FieldSpec, explain: FieldSpec | None = None) -> Flowable:
    """The question in bold, its help text, its field and the room to explain: kept on one page."""
    if block.number is None:
        parts: list[Any] = [Para(theme.escape(block.text), theme.QUESTION)]
    else:
        parts = [Para(theme.escape(block.text), NUMBERED_QUESTION, bulletText=f"{block.number}.")]
    if block.help:
        parts.append(Para(theme.escape(block.help), theme.HELP))
    parts.append(Spacer(1, 2))
    parts.append(field_flowable(spec))
    if explain is not None:
        parts.append(Spacer(1, 6))
        parts.append(Para(EXPLAIN_LABEL, theme.FIELD_LABEL))
        parts.append(Spacer(1, 2))
        parts.append(field_flowable(explain))
    parts.append(Spacer(1, 12))
    return KeepTogether(parts)


def steps_list(werkboek: Werkboek, *, linked: bool) -> Flowable:
    """The seven steps, each a link to its first page when the werkboek holds it."""
    rows = []
    for step in werkboek.steps:
        title = theme.escape(step.title)
        if linked:
            title = f'<a href="#{step.id}" color="#{theme.LINK.hexval()[2:]}"><u>{title}</u></a>'
        rows.append(
            [
                Para(f"<b>{step.step}</b>", theme.STEP_NUMBER),
                Para(title, theme.STEP_ENTRY),
            ]
        )
    table = layout_table(
        rows,
        tags=LayoutTags("L", "LI", ("Lbl", "LBody")),
        colWidths=[24, theme.FRAME_WIDTH - 24],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, theme.BAND_SUBTLE),
            ]
        ),
    )
    table.spaceAfter = 10
    return table
