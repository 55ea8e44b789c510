"""The report's own shipped font (bold Unicode); see README.md and LICENSE beside this file."""

BOLD_FONT_FILE = "DejaVuSans-Bold-subset.ttf"
