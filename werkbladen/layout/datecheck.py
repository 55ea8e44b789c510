"""The date check of date fields: a validate script that refuses only what the extractor cannot read.

Acrobat's ``AFDate_KeystrokeEx("dd-mm-yyyy")`` would refuse ``24 juni 2021``, ``24/6/2021``
and ``2021-06-24``, which :func:`werkbladen.reader.dates.parse_date` reads, and would accept
``31-02-2021`` by rolling it over. So the field carries a script of its own (``/AA /V``, run
when the value is committed) that accepts exactly what ``parse_date`` accepts: the same
patterns, the same month names, a day that is in the calendar. An empty field is fine. What it
refuses it explains in Dutch and leaves the previous value, as Acrobat does for a failed check.

It runs in Acrobat and Firefox (pdf.js); viewers without form scripts (Preview, poppler,
Chrome's PDFium only partly) print the hint "dd-mm-jjjj" beside the box, and the extractor
still keeps any text that is not a date, with a warning. ``tests/test_datecheck.py`` runs this
script in pdf.js's own sandbox against ``parse_date``.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFString

from werkbladen.reader.dates import MONTHS

ALERT = (
    "Dit is geen datum die we kunnen lezen. Schrijf de dag eerst, bijvoorbeeld 24-6-2021, "
    "24-06-21, 24/6/2021, 24 juni 2021 of 2021-06-24."
)

_MONTHS_JS = ",".join(f"{name}:{number}" for name, number in MONTHS.items())

VALIDATE_JS = (
    "(function(){"
    'var t=event.value.replace(/[\\s\\x1c-\\x1f]+/g," ").replace(/^ | $/g,"");'
    'if(t===""||/[^\\x00-\\x7f]/.test(t.replace(/[\\u2019]/g,"")))return;'  # beyond ASCII: not judged
    f"var M={{{_MONTHS_JS}}};"
    "function ok(y,m,d){if(y<1||m<1||m>12||d<1)return false;"
    "var x=new Date(2000,0,1);x.setFullYear(y,m-1,d);"
    "return x.getFullYear()===y&&x.getMonth()===m-1&&x.getDate()===d;}"
    "function yr(s){return s.length===4?+s:2000+ +s;}"
    "var m,g=false;"
    "if((m=/^(\\d{4})-(\\d{2})-(\\d{2})$/.exec(t)))g=ok(+m[1],+m[2],+m[3]);"
    "else if((m=/^(\\d{1,2})([-\\/.])(\\d{1,2})\\2(\\d{4}|\\d{2})$/.exec(t)))g=ok(yr(m[4]),+m[3],+m[1]);"
    "else if((m=/^(\\d{1,2})\\.?\\s+([a-z]+)\\.?,?\\s+(\\d{4}|['\\u2019]\\d{2}|\\d{2})$/i.exec(t))"
    "&&M.hasOwnProperty(m[2].toLowerCase()))"
    'g=ok(yr(m[3].replace(/^[\'\\u2019]/,"")),M[m[2].toLowerCase()],+m[1]);'
    f'if(!g){{app.alert("{ALERT}");event.rc=false;}}'
    "})();"
)
"""The script; ASCII only, and kept in step with ``parse_date`` by its test."""


def add_date_check(canv: Any) -> None:
    """Give the text field just placed on ``canv`` the date check (``/AA /V``)."""
    widget = canv._doc.idToObject[canv.acroForm.fields[-1].name]
    action = PDFDictionary({"S": PDFName("JavaScript"), "JS": PDFString(VALIDATE_JS)})
    widget.dict["AA"] = PDFDictionary({"V": action})
