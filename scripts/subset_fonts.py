#!/usr/bin/env python3
"""Remake werkbladen/layout/fonts/*.ttf from Debian's fonts-liberation2 (a tool, not run by the build).

Liberation Sans 2.1.5 (SIL OFL 1.1) is metrically compatible with Helvetica, so the layout
keeps its line breaks. The subsets keep Latin (Basic, Latin-1, Extended-A, ș ț) and the
punctuation the content uses, without hinting or layout tables. A subset is a Modified
Version under the OFL, and "Liberation" is a Reserved Font Name: the subsets are renamed
"Werkbladen Sans". Needs fontTools (``pip install fonttools``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/truetype/liberation2")
TARGET = Path(__file__).resolve().parent.parent / "werkbladen" / "layout" / "fonts"
STYLES = {"Regular": "Regular", "Bold": "Bold", "Italic": "Italic", "BoldItalic": "Bold Italic"}
FAMILY = "Werkbladen Sans"
UNICODES = (
    "U+0020-007E,U+00A0-017F,U+0192,U+0218-021B,U+02C6-02DD,U+2013-2022,U+2026,U+2030,"
    "U+2039-203A,U+2044,U+20AC,U+2122,U+2190-2193,U+2212,U+FB01-FB02"
)


def make(style: str, label: str) -> Path:
    out = TARGET / f"WerkbladenSans-{style}.ttf"
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["FFTM", "GSUB", "GPOS", "GDEF", "kern", "MATH", "DSIG"]
    font = TTFont(SOURCE / f"LiberationSans-{style}.ttf")
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    names = font["name"]
    postscript = f"WerkbladenSans-{style}"
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 4:
            names.setName(f"{FAMILY} {label}", 4, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (3, 6):
            names.setName(postscript, record.nameID, record.platformID, record.platEncID, record.langID)
    font.save(out)
    return out


if __name__ == "__main__":
    for style, label in STYLES.items():
        print(make(style, label), file=sys.stderr)
