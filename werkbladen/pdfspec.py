"""The PDF names and flag bits the reader and the filler use, each named once (ISO 32000-2).

Like pypdf's ``constants.py``: code says ``FieldFlag.RADIO`` and ``Key.KIDS``, never a bare
``1 << 15`` or ``"/Kids"`` of its own, so that one typo cannot hide in one of several copies.
No imports: both the pypdf-free scanner and the pypdf side use it.
"""

from __future__ import annotations

from enum import IntFlag


class FieldFlag(IntFlag):
    """``/Ff`` bits (Tables 227, 229 and 231; the spec counts bit positions from 1)."""

    READ_ONLY = 1 << 0
    MULTILINE = 1 << 12
    NO_TOGGLE_TO_OFF = 1 << 14
    RADIO = 1 << 15
    PUSHBUTTON = 1 << 16
    COMB = 1 << 24


OFF = "Off"
"""The off-state name of checkboxes and radio buttons (12.7.5.2.3), without its slash."""


class Key:
    """Dictionary keys, with their slash, as both object models spell them."""

    ACROFORM = "/AcroForm"
    ANNOTS = "/Annots"
    AP = "/AP"
    AS = "/AS"
    CONTENTS = "/Contents"
    DA = "/DA"
    ENCRYPT = "/Encrypt"
    FIELDS = "/Fields"
    FF = "/Ff"
    FT = "/FT"
    INFO = "/Info"
    KIDS = "/Kids"
    MAX_LEN = "/MaxLen"
    MOD_DATE = "/ModDate"
    N = "/N"
    OPT = "/Opt"
    PAGES = "/Pages"
    PARENT = "/Parent"
    PREV = "/Prev"
    Q = "/Q"
    ROOT = "/Root"
    SIZE = "/Size"
    SUBTYPE = "/Subtype"
    T = "/T"
    TYPE = "/Type"
    V = "/V"
    XFA = "/XFA"
    XREF_STM = "/XRefStm"


class FieldType:
    """``/FT`` values (Table 226)."""

    BUTTON = "/Btn"
    CHOICE = "/Ch"
    SIGNATURE = "/Sig"
    TEXT = "/Tx"


CATALOG = "/Catalog"
PAGES_TYPE = "/Pages"
WIDGET = "/Widget"
