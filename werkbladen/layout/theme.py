"""The house style in one place: page geometry, colours, fonts, paragraph styles, field looks.

Text and form fields use Werkbladen Sans (:mod:`werkbladen.layout.fonts`), embedded: PDF/UA
wants every font embedded, and a field whose font is in the file shows every Latin letter
a partner types. It has Helvetica's metrics. Styles are built once at import and shared by
every document.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from werkbladen.layout import fonts

PAGE_SIZE: tuple[float, float] = A4
PAGE_WIDTH, PAGE_HEIGHT = PAGE_SIZE
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 22 * mm
"""Top margin of a continuation page; the running header sits inside it."""
MARGIN_BOTTOM = 20 * mm
"""Bottom margin; the footer sits inside it."""
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

fonts.register()
FONT = fonts.REGULAR
FONT_BOLD = fonts.BOLD
FONT_ITALIC = fonts.ITALIC

PRIMARY = HexColor("#1B4F72")
"""Deep blue: header bands, table headers, headings."""
PRIMARY_DARK = HexColor("#123750")
ACCENT = HexColor("#E07B24")
"""Orange: step numbers, the label bar of tips."""
TEXT = HexColor("#1F2933")
MUTED = HexColor("#5B6670")
RULE = HexColor("#B7C4CF")
PANEL = HexColor("#EAF2F8")
"""Light blue: the Doel/Resultaat panel and the respondent block."""
TIP = HexColor("#FDF1E6")
"""Light orange: tips and hints."""
TABLE_HEADER = PRIMARY
TABLE_FIXED = HexColor("#F6F8FA")
"""Cells with printed text in a table, set off from the cells one fills in."""
LINK = HexColor("#1A5FB4")
WHITE = HexColor("#FFFFFF")
BAND_SUBTLE = HexColor("#D6E4EF")

FIELD_FONT = fonts.REGULAR
"""Embedded whole in the AcroForm's ``/DR`` (see :mod:`werkbladen.layout.pages`, ``Form``)."""
FIELD_FONT_SIZE = 10
"""A fixed size: auto size (0) draws nothing in some viewers once a value is set."""
FIELD_FONT_SIZE_SMALL = 9
FIELD_FILL = HexColor("#F3F7FB")
FIELD_BORDER = HexColor("#7D95AA")
FIELD_TEXT = HexColor("#000000")
FIELD_BORDER_WIDTH = 0.8

LINE_HEIGHT = 13.0
"""Height of one expected line of answer in a multi-line box (10 pt text)."""
BOX_PADDING = 6.0
TEXT_BOX_HEIGHT = 20.0
"""A one-line box: 10 pt text with room above and below."""
MAX_BOX_HEIGHT = 520.0
"""Cap for a multi-line box so that it and its question always fit one page."""
CHECK_SIZE = 12.0
RADIO_SIZE = 11.0
OPTION_GAP = 4.0
"""Space between a radio button and its label."""
OPTION_SPACING = 14.0
"""Space between one option and the next on a row."""


def _style(name: str, **kw: object) -> ParagraphStyle:
    base: dict[str, object] = {
        "fontName": FONT,
        "fontSize": 10,
        "leading": 14,
        "textColor": TEXT,
        "alignment": TA_LEFT,
    }
    base.update(kw)
    return ParagraphStyle(name, **base)


BODY = _style("body", spaceAfter=6)
LEAD = _style("lead", fontSize=11.5, leading=16, textColor=PRIMARY_DARK, spaceAfter=8)
SUBHEADING = _style("subheading", fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=4, spaceAfter=4)
NOTE = _style("note", fontName=FONT_ITALIC, fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=6)
SECTION = _style(
    "section",
    fontName=FONT_BOLD,
    fontSize=13.5,
    leading=17,
    textColor=PRIMARY,
    spaceBefore=10,
    spaceAfter=4,
)
SECTION_INTRO = _style("section_intro", spaceAfter=8)
QUESTION = _style("question", fontName=FONT_BOLD, fontSize=10, leading=13.5, spaceAfter=3)
HELP = _style("help", fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=3)
CAPTION = _style("caption", fontName=FONT_BOLD, fontSize=10, leading=13.5, spaceAfter=5)
LIST_ITEM = _style("list_item", spaceAfter=2)
TIP_TEXT = _style("tip_text", fontSize=9.5, leading=13)
LINK_ITEM = _style("link_item", fontSize=9.5, leading=13.5, leftIndent=10, firstLineIndent=-10)
PANEL_LABEL = _style(
    "panel_label", fontName=FONT_BOLD, fontSize=10, leading=13, textColor=PRIMARY, spaceAfter=3
)
PANEL_TEXT = _style("panel_text", fontSize=9.5, leading=13)
FIELD_LABEL = _style("field_label", fontName=FONT_BOLD, fontSize=8.5, leading=10.5, textColor=PRIMARY_DARK)
HINT = _style("hint", fontSize=8, leading=10, textColor=MUTED)
CELL = _style("cell", fontSize=8.5, leading=11)
CELL_BOLD = _style("cell_bold", fontName=FONT_BOLD, fontSize=8.5, leading=11)
CELL_HEADER = _style("cell_header", fontName=FONT_BOLD, fontSize=8.5, leading=11, textColor=WHITE)
OPTION_LABEL_SIZE = 8.5
OPTION_LABEL_SMALL = 7.5
BAND_KICKER = _style("band_kicker", fontName=FONT_BOLD, fontSize=12, leading=15, textColor=ACCENT)
BAND_TITLE = _style("band_title", fontName=FONT_BOLD, fontSize=20, leading=24, textColor=WHITE)
BAND_SUBTITLE = _style("band_subtitle", fontSize=11.5, leading=15, textColor=BAND_SUBTLE)
COVER_TITLE = _style("cover_title", fontName=FONT_BOLD, fontSize=30, leading=35, textColor=WHITE)
COVER_SUBTITLE = _style("cover_subtitle", fontSize=14, leading=19, textColor=BAND_SUBTLE)
COVER_META = _style("cover_meta", fontSize=10, leading=14, textColor=BAND_SUBTLE)
TOC_ENTRY = _style("toc_entry", fontSize=11, leading=15)
TOC_HEADING = _style(
    "toc_heading", fontName=FONT_BOLD, fontSize=14, leading=18, textColor=PRIMARY, spaceAfter=8
)
STEP_NUMBER = _style("step_number", fontName=FONT_BOLD, fontSize=12, leading=15, textColor=ACCENT)
STEP_ENTRY = _style("step_entry", fontSize=10.5, leading=15)
FOOTER_SIZE = 8.0
HEADER_SIZE = 8.0


def link_markup(label: str, href: str) -> str:
    """A link as paragraph markup: blue and underlined, so it reads as a link on screen and paper."""
    return f'<a href="{escape(href)}" color="#{LINK.hexval()[2:]}"><u>{escape(label)}</u></a>'


def text_width(text: str, font: str, size: float) -> float:
    """The printed width of ``text`` in points."""
    return float(stringWidth(text, font, size))


def escape(text: str) -> str:
    """Escape text for ReportLab's paragraph markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
