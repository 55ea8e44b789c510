"""The content schema: werkboek, werkblad, sections, blocks and field kinds.

The content is the single source of truth. The layout places exactly the fields that
:meth:`Werkblad.fields` yields, and the reader reads back exactly those, so the writer
and the reader cannot drift apart. Field ids are written in the content and never
derived from position or wording: a corrected typo must not orphan answers.
"""

from __future__ import annotations

import enum
import functools
import hashlib
from collections.abc import Iterable, Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, PrivateAttr, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from werkbladen.content.naming import WERKBOEK, FieldSpec, cell_name, field_name
from werkbladen.content.published import Published

Id = Annotated[str, Field(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", max_length=60)]
"""A stable id: ASCII lower case, digits and single underscores, no periods."""

Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt key in a content file must not vanish."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldKind(enum.StrEnum):
    TEXT = "text"
    """One line of text: names, places, short answers."""
    MULTILINE = "multiline"
    """Open answer; the box is ``lines`` lines high and has no maximum length."""
    CHECKBOX = "checkbox"
    CHOICE = "choice"
    """One option from a fixed scale, shown as radio buttons."""
    DATE = "date"
    """A date typed as dd-mm-jjjj; read back as ISO 8601 when it parses."""


def _check_scale(scale: str | None, info: ValidationInfo) -> None:
    """Name an unknown scale where it is used; the loader passes the werkboek's scale ids."""
    known = info.context.get("scales") if isinstance(info.context, dict) else None
    if scale is not None and known is not None and scale not in known:
        raise ValueError(f"onbekende schaal {scale!r}; het werkboek kent {_listed(known)}")


class Option(Strict):
    value: Id
    label: Text


class Scale(Strict):
    """A fixed set of options, named once in the werkboek and shared by fields."""

    id: Id
    label: Text
    options: list[Option] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique_values(self) -> Scale:
        values = [o.value for o in self.options]
        if len(values) != len(set(values)):
            raise ValueError(f"schaal {self.id!r} noemt een optie (value) twee keer")
        return self


class FieldDef(Strict):
    """What a question asks for. ``lines`` sizes a multi-line box to the answer expected."""

    id: Id
    kind: FieldKind = FieldKind.MULTILINE
    lines: int = Field(default=4, ge=1, le=40)
    scale: Id | None = None

    @model_validator(mode="after")
    def _scale_only_for_choice(self) -> FieldDef:
        if (self.kind is FieldKind.CHOICE) != (self.scale is not None):
            raise ValueError("een keuzeveld (kind: choice) heeft een schaal (scale), en alleen een keuzeveld")
        return self

    @model_validator(mode="after")
    def _known_scale(self, info: ValidationInfo) -> FieldDef:
        _check_scale(self.scale, info)
        return self


class Link(Strict):
    label: Text
    url: HttpUrl


class TextBlock(Strict):
    type: Literal["text"]
    text: Text
    style: Literal["body", "lead", "subheading", "note"] = "body"


class ListBlock(Strict):
    type: Literal["list"]
    items: list[Text] = Field(min_length=1)
    numbered: bool = False


class TipBlock(Strict):
    """A tinted box: a tip, a "Hulp nodig?" hint or a "Leestip", with optional links."""

    type: Literal["tip"]
    label: Literal["Tip", "Hulp nodig?", "Leestip", "Let op"] | None = "Tip"
    """None where the text itself opens with the label's words ("Hulp nodig om …?")."""
    text: Text
    links: list[Link] = []


class LinksBlock(Strict):
    type: Literal["links"]
    intro: str | None = None
    items: list[Link] = Field(min_length=1)


EXPLAIN_LABEL = "Toelichting"
"""Printed above a question's ``explain`` box."""


class QuestionBlock(Strict):
    """A question in bold above its field; ``help`` is the smaller text under it.

    ``number`` prints the seed's numbering before the question ("1. Wat weten we …");
    ``explain`` is a second field under the first, for room to explain a ja/nee choice.
    """

    type: Literal["question"]
    text: Text
    number: int | None = Field(default=None, ge=1)
    help: str | None = None
    field: FieldDef
    explain: FieldDef | None = None

    @model_validator(mode="after")
    def _explain_is_text(self) -> QuestionBlock:
        if self.explain is not None and self.explain.kind not in (FieldKind.TEXT, FieldKind.MULTILINE):
            raise ValueError("explain is ruimte om te schrijven: de soort (kind) is text of multiline")
        return self

    @property
    def explain_tooltip(self) -> str:
        return f"{self.text} {EXPLAIN_LABEL}"


class Column(Strict):
    """A table column. ``kind`` is the field kind of its cells that carry no fixed text."""

    id: Id
    header: Text
    kind: FieldKind = FieldKind.MULTILINE
    scale: Id | None = None
    width: float = Field(default=1.0, gt=0)
    """Relative width; the layout shares the text width out in these proportions."""

    @model_validator(mode="after")
    def _known_scale(self, info: ValidationInfo) -> Column:
        _check_scale(self.scale, info)
        return self


class Row(Strict):
    """A table row. Cells given here are fixed text; the others are fields.

    ``kind`` and ``scale`` override the columns' field kind for this row (for example the
    row of intervention names above a matrix of scores). A row with no cells is an open
    row in which every column is fillable, for entries of the user's own.
    """

    id: Id
    cells: dict[Id, Text] = {}
    kind: FieldKind | None = None
    scale: Id | None = None
    lines: int = Field(default=2, ge=1, le=20)

    @model_validator(mode="after")
    def _known_scale(self, info: ValidationInfo) -> Row:
        _check_scale(self.scale, info)
        return self


class TableBlock(Strict):
    type: Literal["table"]
    id: Id
    caption: str | None = None
    """The question the table answers, read out as each cell's tooltip."""
    columns: list[Column] = Field(min_length=1)
    rows: list[Row] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_ids(self) -> TableBlock:
        col_ids = [c.id for c in self.columns]
        if len(col_ids) != len(set(col_ids)):
            raise ValueError(f"tabel {self.id!r} gebruikt een kolom-id twee keer")
        row_ids = [r.id for r in self.rows]
        if len(row_ids) != len(set(row_ids)):
            raise ValueError(f"tabel {self.id!r} gebruikt een rij-id twee keer")
        for row in self.rows:
            unknown = set(row.cells) - set(col_ids)
            if unknown:
                raise ValueError(f"rij {row.id!r} noemt kolommen die de tabel niet heeft: {_listed(unknown)}")
        return self

    def cell_kind(self, row: Row, column: Column) -> tuple[FieldKind, Id | None] | None:
        """The field kind and scale of a cell, or None when the cell is fixed text."""
        if column.id in row.cells:
            return None
        if row.kind is not None:
            return row.kind, row.scale
        return column.kind, column.scale


class StepsBlock(Strict):
    """The list of the seven steps, made from the steps themselves, each linked to its page."""

    type: Literal["steps"]


Block = Annotated[
    TextBlock | ListBlock | TipBlock | LinksBlock | QuestionBlock | TableBlock | StepsBlock,
    Field(discriminator="type"),
]


class Section(Strict):
    title: str | None = None
    intro: str | None = None
    blocks: list[Block] = []


class Werkblad(Strict):
    """One worksheet: a step of the stappenplan, the continuous step, or the introduction."""

    id: Id
    step: int | None = Field(default=None, ge=1, le=7)
    """The step number, or None for the introduction and the continuous step."""
    title: Text
    werkblad_title: str | None = None
    """The worksheet's own title where it differs from the stappenplan's (step 3)."""
    kicker: str | None = None
    """The line above the title of a werkblad that is not a step (a step prints "Stap N")."""
    printed_with: Id | None = None
    """The step whose PDF prints this werkblad too, as the seed prints the Doorlopende stap on step 1's."""
    doel: str | None = None
    resultaat: str | None = None
    sections: list[Section] = Field(min_length=1)

    @property
    def heading(self) -> str:
        return f"Stap {self.step}" if self.step else self.title

    @model_validator(mode="after")
    def _unique_field_names(self) -> Werkblad:
        """Caught here rather than on the werkboek, so that the error names this werkblad's file,
        at the line of the second use (``at``: the path of keys the loader turns into a line)."""
        seen: dict[str, str] = {}
        for name, at in self.field_places():
            if name in seen:
                raise duplicate_field(name, at, seen[name])
            seen[name] = at
        return self

    def field_names(self) -> Iterator[str]:
        """The PDF names of this werkblad's fields in reading order, without resolving scales."""
        return (name for name, _ in self.field_places())

    def field_places(self) -> Iterator[tuple[str, str]]:
        """Each field's PDF name and where the content defines it (``sections.2.blocks.1.field.id``)."""
        for s, section in enumerate(self.sections):
            for b, block in enumerate(section.blocks):
                at = f"sections.{s}.blocks.{b}"
                if isinstance(block, QuestionBlock):
                    yield field_name(self.id, block.field.id), f"{at}.field.id"
                    if block.explain is not None:
                        yield field_name(self.id, block.explain.id), f"{at}.explain.id"
                elif isinstance(block, TableBlock):
                    for r, row in enumerate(block.rows):
                        for column in block.columns:
                            if block.cell_kind(row, column) is not None:
                                yield cell_name(self.id, block.id, row.id, column.id), f"{at}.rows.{r}.id"

    def blocks(self) -> Iterator[Block]:
        for section in self.sections:
            yield from section.blocks

    def fields(self, scales: dict[str, Scale]) -> Iterator[FieldSpec]:
        """Every field of this werkblad in reading order, with its PDF name."""
        for block in self.blocks():
            if isinstance(block, QuestionBlock):
                f = block.field
                yield FieldSpec(
                    name=field_name(self.id, f.id),
                    kind=f.kind.value,
                    tooltip=block.text,
                    options=_options(scales, f.scale),
                    lines=f.lines,
                )
                if block.explain is not None:
                    yield FieldSpec(
                        name=field_name(self.id, block.explain.id),
                        kind=block.explain.kind.value,
                        tooltip=block.explain_tooltip,
                        lines=block.explain.lines,
                    )
            elif isinstance(block, TableBlock):
                yield from _table_fields(self.id, block, scales)


class RespondentField(Strict):
    id: Id
    label: Text
    kind: Literal[FieldKind.TEXT, FieldKind.DATE] = FieldKind.TEXT


class Werkboek(Strict):
    """The whole werkboek: metadata, shared scales, the respondent block and the werkbladen."""

    title: Text
    subtitle: Text
    publisher: Text
    version: Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)*$")]
    """The content version, stamped into every PDF so that old forms still extract."""
    scales: list[Scale] = []
    respondent: list[RespondentField] = Field(min_length=1)
    introduction: Werkblad
    werkbladen: list[Werkblad] = Field(min_length=1)
    _published: Published = PrivateAttr(default_factory=Published)

    @property
    def published(self) -> Published:
        """The field ids of the published content versions (``published-ids.json`` beside the YAML)."""
        return self._published

    def with_published(self, published: Published) -> Werkboek:
        self._published = published
        return self

    @property
    def scale_map(self) -> dict[str, Scale]:
        return {s.id: s for s in self.scales}

    @functools.cached_property
    def fingerprint(self) -> str:
        """12 hex digits of a hash of the whole content: stamped into each PDF's template id."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:12]

    @property
    def steps(self) -> list[Werkblad]:
        return [w for w in self.werkbladen if w.step is not None]

    def werkblad(self, werkblad_id: str) -> Werkblad:
        for w in (self.introduction, *self.werkbladen):
            if w.id == werkblad_id:
                return w
        raise KeyError(werkblad_id)

    def printed_in(self, step_id: str) -> list[Werkblad]:
        """The werkbladen of a step's own PDF, in print order: those printed with it, then the step."""
        return [*(w for w in self.werkbladen if w.printed_with == step_id), self.werkblad(step_id)]

    def respondent_fields(self) -> Iterator[FieldSpec]:
        for r in self.respondent:
            yield FieldSpec(
                name=field_name("respondent", r.id),
                kind=r.kind.value,
                tooltip=r.label,
                options=(),
                lines=1,
            )

    def form_fields(self, werkblad_id: str) -> list[FieldSpec]:
        """The fields of one PDF, in tab order: the respondent block, then the werkblad's fields.

        ``werkblad_id`` is a werkblad's id, or ``"werkboek"`` for the whole werkboek.
        """
        scales = self.scale_map
        chosen = self.werkbladen if werkblad_id == WERKBOEK else self.printed_in(werkblad_id)
        fields = list(self.respondent_fields())
        for werkblad in chosen:
            fields.extend(werkblad.fields(scales))
        return fields

    @model_validator(mode="after")
    def _check_whole(self) -> Werkboek:
        scales = self.scale_map
        ids = [w.id for w in (self.introduction, *self.werkbladen)]
        if len(ids) != len(set(ids)):
            raise ValueError("twee werkbladen hebben dezelfde id")
        step_ids = {w.id for w in self.steps}
        for werkblad in self.werkbladen:
            if werkblad.printed_with is not None and werkblad.printed_with not in step_ids:
                raise ValueError(
                    f"werkblad {werkblad.id!r} heeft printed_with {werkblad.printed_with!r}: dat is geen stap"
                )
        for werkblad in (self.introduction, *self.werkbladen):
            for scale_id in _scale_refs(werkblad):
                if scale_id not in scales:
                    raise ValueError(f"werkblad {werkblad.id!r} gebruikt de onbekende schaal {scale_id!r}")
        seen: dict[str, str] = {f.name: f"respondent.{i}.id" for i, f in enumerate(self.respondent_fields())}
        places = [("introduction", self.introduction)]
        places += [(f"werkbladen.{i}", w) for i, w in enumerate(self.werkbladen)]
        for where, werkblad in places:
            for name, at in werkblad.field_places():
                if name in seen:
                    raise duplicate_field(name, f"{where}.{at}", seen[name])
                seen[name] = f"{where}.{at}"
        return self


def duplicate_field(name: str, at: str, first: str) -> PydanticCustomError:
    """A field name used twice; ``at`` (the second use) lets the loader name its line."""
    return PydanticCustomError(
        "duplicate_field",
        "de veldnaam '{name}' komt twee keer voor (de eerste keer bij {first})",
        {"name": name, "first": first, "at": at},
    )


def _listed(names: Iterable[str]) -> str:
    return ", ".join(repr(n) for n in sorted(names))


def _options(scales: dict[str, Scale], scale_id: str | None) -> tuple[tuple[str, str], ...]:
    if scale_id is None:
        return ()
    return tuple((o.value, o.label) for o in scales[scale_id].options)


def _table_fields(werkblad_id: str, table: TableBlock, scales: dict[str, Scale]) -> Iterator[FieldSpec]:
    open_rows = 0
    for row in table.rows:
        row_label = next(iter(row.cells.values()), None)
        if row_label is None:
            open_rows += 1
            # a person reads the tooltip: a row number, never the row's internal id
            row_label = f"{'Eigen rij' if len(table.rows) > _count_open(table) else 'Rij'} {open_rows}"
        for column in table.columns:
            cell = table.cell_kind(row, column)
            if cell is None:
                continue
            kind, scale = cell
            where = f"{row_label} — {column.header}"
            yield FieldSpec(
                name=cell_name(werkblad_id, table.id, row.id, column.id),
                kind=kind.value,
                tooltip=_after_caption(table.caption, where),
                options=_options(scales, scale),
                lines=row.lines,
                table=table.id,
                row=row.id,
                column=column.id,
            )


def _count_open(table: TableBlock) -> int:
    return sum(1 for row in table.rows if not row.cells)


def _after_caption(caption: str | None, where: str) -> str:
    """``where`` after the table's caption; a caption that ends a sentence takes no colon ("…nodig?:")."""
    if not caption:
        return where
    return f"{caption} {where}" if caption[-1] in "?!.:" else f"{caption}: {where}"


def _scale_refs(werkblad: Werkblad) -> Iterator[str]:
    for block in werkblad.blocks():
        if isinstance(block, QuestionBlock) and block.field.scale:
            yield block.field.scale
        elif isinstance(block, TableBlock):
            yield from (c.scale for c in block.columns if c.scale)
            yield from (r.scale for r in block.rows if r.scale)
