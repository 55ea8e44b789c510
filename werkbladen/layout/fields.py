"""Flowables that place AcroForm widgets: text boxes, date boxes, checkboxes and radio groups.

Each widget is created in ``draw`` with ``relative=True``, so ReportLab maps the flowable's
position to page coordinates (only translation is honoured, which is all Platypus uses).
Widgets are added to the page's ``/Annots`` in drawing order, which is the reading order,
so the tab order follows the page. Every call spells out what ReportLab would otherwise
default badly: no ``/MaxLen`` (it sets 100), not required (checkboxes and radios default
to it), a fixed font size, the Print flag.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from werkbladen.content.naming import FieldSpec
from werkbladen.layout import theme
from werkbladen.layout.datecheck import add_date_check
from werkbladen.layout.tagging import marked

PRINT = "print"
HIDDEN = "hidden"
DATE_HINT = "dd-mm-jjjj"
DATE_BOX_WIDTH = 92.0


def text_widget(
    canv: Any, spec: FieldSpec, x: float, y: float, width: float, height: float, *, font_size: float
) -> None:
    """A text field at (x, y) relative to the current origin; multi-line when the spec says so."""
    canv.acroForm.textfield(
        name=spec.name,
        tooltip=spec.tooltip,
        x=x,
        y=y,
        width=width,
        height=height,
        relative=True,
        maxlen=None,
        fieldFlags="multiline" if spec.kind == "multiline" else "",
        annotationFlags=PRINT,
        fontName=theme.FIELD_FONT,
        fontSize=font_size,
        textColor=theme.FIELD_TEXT,
        fillColor=theme.FIELD_FILL,
        borderColor=theme.FIELD_BORDER,
        borderWidth=theme.FIELD_BORDER_WIDTH,
        borderStyle="solid",
    )


class FieldFlowable(Flowable):  # type: ignore[misc]
    """Base of the field flowables: remembers its spec; ``stretch`` lets a table cell fill its row."""

    stretchable = False

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__()
        self.spec = spec
        self.width = 0.0
        self.height = 0.0

    def stretch(self, width: float, height: float) -> None:
        """Take the size of a table cell (only for stretchable boxes)."""
        self.width, self.height = width, height


class TextBox(FieldFlowable):
    """A one-line or multi-line text box as wide as the space it is given."""

    stretchable = True

    def __init__(self, spec: FieldSpec, *, height: float, font_size: float = theme.FIELD_FONT_SIZE) -> None:
        super().__init__(spec)
        self.box_height = height
        self.font_size = font_size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, self.box_height
        return self.width, self.height

    def draw(self) -> None:
        text_widget(self.canv, self.spec, 0, 0, self.width, self.height, font_size=self.font_size)


def box_height(spec: FieldSpec, *, line_height: float = theme.LINE_HEIGHT) -> float:
    """The height of a text box sized to the answer it expects (``lines`` for multi-line)."""
    if spec.kind == "multiline":
        return min(theme.MAX_BOX_HEIGHT, max(1, spec.lines) * line_height + theme.BOX_PADDING)
    return theme.TEXT_BOX_HEIGHT


class DateBox(FieldFlowable):
    """A one-line box for a date, with the expected format printed beside it (or under it)."""

    def __init__(self, spec: FieldSpec, *, font_size: float = theme.FIELD_FONT_SIZE) -> None:
        super().__init__(spec)
        self.font_size = font_size
        self.hint_width = theme.text_width(DATE_HINT, theme.FONT, theme.HINT.fontSize)
        self.beside = True
        self.box_width = DATE_BOX_WIDTH

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.beside = avail_width >= DATE_BOX_WIDTH + 6 + self.hint_width
        self.box_width = DATE_BOX_WIDTH if self.beside else avail_width
        self.width = avail_width
        self.height = theme.TEXT_BOX_HEIGHT + (0 if self.beside else 11)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        y_box = self.height - theme.TEXT_BOX_HEIGHT
        text_widget(
            canv, self.spec, 0, y_box, self.box_width, theme.TEXT_BOX_HEIGHT, font_size=self.font_size
        )
        add_date_check(canv)
        canv.setFont(theme.FONT, theme.HINT.fontSize)
        canv.setFillColor(theme.MUTED)
        with marked(canv, "P", object()):
            if self.beside:
                canv.drawString(self.box_width + 6, y_box + 6.5, DATE_HINT)
            else:
                canv.drawString(0, 1, DATE_HINT)


def checkbox_widget(canv: Any, spec: FieldSpec, x: float, y: float) -> None:
    canv.acroForm.checkbox(
        name=spec.name,
        tooltip=spec.tooltip,
        x=x,
        y=y,
        size=theme.CHECK_SIZE,
        relative=True,
        buttonStyle="check",
        shape="square",
        fieldFlags="",
        annotationFlags=PRINT,
        fillColor=theme.FIELD_FILL,
        borderColor=theme.FIELD_BORDER,
        textColor=theme.FIELD_TEXT,
        borderWidth=theme.FIELD_BORDER_WIDTH,
    )


class CheckBox(FieldFlowable):
    """A checkbox, optionally with a label to its right; centred when it stands alone in a cell."""

    def __init__(self, spec: FieldSpec, *, label: str | None = None, centred: bool = False) -> None:
        super().__init__(spec)
        self.label = label
        self.centred = centred
        self.label_width = theme.text_width(label, theme.FONT, theme.OPTION_LABEL_SIZE) if label else 0.0
        self.x = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        used = theme.CHECK_SIZE + (theme.OPTION_GAP + self.label_width if self.label else 0)
        self.x = max(0.0, (avail_width - used) / 2) if self.centred else 0.0
        self.width, self.height = avail_width, theme.CHECK_SIZE + 2
        return self.width, self.height

    def draw(self) -> None:
        checkbox_widget(self.canv, self.spec, self.x, 1)
        if self.label:
            self.canv.setFont(theme.FONT, theme.OPTION_LABEL_SIZE)
            self.canv.setFillColor(theme.TEXT)
            with marked(self.canv, "P", object()):
                self.canv.drawString(self.x + theme.CHECK_SIZE + theme.OPTION_GAP, 3.5, self.label)


class ChoiceGroup(FieldFlowable):
    """A radio group, one button per option with its label.

    Modes: ``"row"`` puts each label to the right of its button and wraps onto more rows
    when needed; ``"compact"`` prints a short label (the option value) centred above each
    button, for narrow table cells whose scale is explained in a legend under the table.
    """

    def __init__(self, spec: FieldSpec, *, mode: str = "row", centred: bool = False) -> None:
        super().__init__(spec)
        if len(spec.options) < 2:
            raise ValueError(f"choice field {spec.name!r} needs at least two options")
        self.mode = mode
        self.centred = centred
        self.font_size = theme.OPTION_LABEL_SIZE if mode == "row" else theme.OPTION_LABEL_SMALL
        self.labels = [label if mode == "row" else value for value, label in spec.options]
        self.label_widths = [theme.text_width(t, theme.FONT, self.font_size) for t in self.labels]
        self.places: list[tuple[float, float]] = []

    @staticmethod
    def compact_width(spec: FieldSpec) -> float:
        """The width the compact mode needs for ``spec``'s options."""
        slot = max(
            theme.RADIO_SIZE,
            *(theme.text_width(v, theme.FONT, theme.OPTION_LABEL_SMALL) for v, _ in spec.options),
        )
        return len(spec.options) * slot + (len(spec.options) - 1) * 6

    @staticmethod
    def row_width(spec: FieldSpec) -> float:
        """The width one row of buttons with full labels needs."""
        widths = [theme.text_width(label, theme.FONT, theme.OPTION_LABEL_SIZE) for _, label in spec.options]
        return sum(theme.RADIO_SIZE + theme.OPTION_GAP + w for w in widths) + theme.OPTION_SPACING * (
            len(widths) - 1
        )

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        if self.mode == "compact":
            self._wrap_compact(avail_width)
        else:
            self._wrap_rows(avail_width)
        return self.width, self.height

    def _wrap_compact(self, avail_width: float) -> None:
        n = len(self.labels)
        slot = max(theme.RADIO_SIZE, *self.label_widths)
        gap = 6.0
        used = n * slot + (n - 1) * gap
        x0 = max(0.0, (avail_width - used) / 2) if self.centred else 0.0
        self.height = theme.RADIO_SIZE + 12
        self.places = [(x0 + i * (slot + gap) + (slot - theme.RADIO_SIZE) / 2, 1.0) for i in range(n)]

    def _wrap_rows(self, avail_width: float) -> None:
        row_h = theme.RADIO_SIZE + 5
        rows: list[list[tuple[float, int]]] = [[]]
        x = 0.0
        for i, w in enumerate(self.label_widths):
            item = theme.RADIO_SIZE + theme.OPTION_GAP + w
            if rows[-1] and x + item > avail_width:
                rows.append([])
                x = 0.0
            rows[-1].append((x, i))
            x += item + theme.OPTION_SPACING
        self.height = len(rows) * row_h - 5 + 2
        self.places = [(0.0, 0.0)] * len(self.labels)
        for r, row in enumerate(rows):
            used = row[-1][0] + theme.RADIO_SIZE + theme.OPTION_GAP + self.label_widths[row[-1][1]]
            shift = max(0.0, (avail_width - used) / 2) if self.centred else 0.0
            y = self.height - 1 - theme.RADIO_SIZE - r * row_h
            for x_item, i in row:
                self.places[i] = (x_item + shift, y)

    def draw(self) -> None:
        canv = self.canv
        canv.setFont(theme.FONT, self.font_size)
        canv.setFillColor(theme.TEXT)
        size = theme.RADIO_SIZE
        with marked(canv, "P", self):  # the labels, one paragraph read before the buttons
            for label, (x, y) in zip(self.labels, self.places, strict=True):
                if self.mode == "compact":
                    canv.drawCentredString(x + size / 2, size + 4, label)
                else:
                    canv.drawString(x + size + theme.OPTION_GAP, y + 2.5, label)
        for (value, _), (x, y) in zip(self.spec.options, self.places, strict=True):
            canv.acroForm.radio(
                name=self.spec.name,
                value=value,
                tooltip=self.spec.tooltip,
                x=x,
                y=y,
                size=size,
                relative=True,
                buttonStyle="circle",
                shape="circle",
                fieldFlags="radio",
                annotationFlags=PRINT,
                fillColor=theme.FIELD_FILL,
                borderColor=theme.FIELD_BORDER,
                textColor=theme.FIELD_TEXT,
                borderWidth=theme.FIELD_BORDER_WIDTH,
            )


class TemplateStamp(Flowable):  # type: ignore[misc]
    """The hidden, read-only field that names the werkblad and content version.

    Zero-sized in the flow; the widget sits in the page's bottom-left corner, away from
    every other field and text, and carries no Print flag (it is hidden).
    """

    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value
        self.width = self.height = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        from werkbladen.content.naming import TEMPLATE_FIELD

        self.canv.acroForm.textfield(
            name=TEMPLATE_FIELD,
            tooltip="Sjabloon en inhoudsversie van dit werkblad (niet wijzigen)",
            value=self.value,
            x=2,
            y=2,
            width=8,
            height=8,
            relative=False,
            maxlen=None,
            fieldFlags="readOnly",
            annotationFlags=HIDDEN,
            fontName=theme.FIELD_FONT,
            fontSize=6,
            textColor=theme.FIELD_TEXT,
            fillColor=None,
            borderColor=None,
            borderWidth=0,
        )
