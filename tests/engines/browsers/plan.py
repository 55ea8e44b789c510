"""What a person types into which field of the werkbladen in a real browser, and where it is.

``TYPED`` is the answer sheet the browser drivers (``fill_firefox.mjs``, ``fill_chromium.mjs``)
type with the keyboard and click, per PDF: a string for a text field (``\\n`` is the Enter key), true
for a checkbox to tick, the on-state name for a radio group (ja/nee, a score 1-4). ``EXPECTED`` is
what ``werkbladen extract`` must give back for it (a date comes back as ISO 8601).
``python plan.py PDF`` prints the steps for one PDF as JSON: field, kind, value, page index, the
widget's object number (pdf.js names its annotation elements by it) and its /Rect in PDF points.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MULTILINE = "Wij, Ağaoğlu Şükrü en Źdźbło Łódź,\nvragen „één aanpak“ voor € 2.500.\nRomână: ș ț ă — Frysk: ûê"

TYPED: dict[str, dict[str, str | bool]] = {
    "werkboek.pdf": {
        "respondent_organisatie": "Gemeente Súdwest-Fryslân",
        "respondent_naam": "Ağaoğlu Şükrü ıİ",
        "respondent_rol": "Źdźbło Łódź",
        "respondent_gemeente_regio": "„Oost“ – € 12,50",
        "respondent_datum": "14-03-2024",
        "stap1_gezamenlijke_opgave": MULTILINE,
        "stap1_middelen_duidelijk_ja_nee": "ja",
        "stap2_netwerken_lea_nodig": True,
        "stap2_netwerken_lea_wie": "Łukasz Wróbel",
        "stap5_scores_doelgericht_i1": "3",
    },
    "stap-2.pdf": {
        "respondent_organisatie": "Źdźbło Łódź",
        "respondent_naam": "Ağaoğlu Şükrü ıİ",
        "respondent_datum": "2-12-2026",
        "stap2_gezamenlijke_opgave": MULTILINE,
        "stap2_netwerken_lea_nodig": True,
        "stap2_netwerken_lea_wie": "Yusuf El Idrissi € „ja“",
    },
}

DATES = {"14-03-2024": "2024-03-14", "2-12-2026": "2026-12-02"}


def expected(pdf: str) -> dict[str, str | bool]:
    """PDF field name → what ``extract`` gives back (as ``values.flat_answers`` flattens it)."""
    return {
        name: DATES.get(value, value) if isinstance(value, str) else value
        for name, value in TYPED[pdf].items()
    }


def steps(path: Path) -> list[dict[str, object]]:
    """The clicks and typing for ``path``, in the order of the pages."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    wanted = TYPED[path.name]
    out: list[dict[str, object]] = []
    for index, page in enumerate(reader.pages):
        box = page.mediabox
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            parent = annot.get("/Parent")
            name = str(annot.get("/T") or (parent.get_object().get("/T") if parent else ""))
            if name not in wanted:
                continue
            value = wanted[name]
            field_type = annot.get("/FT") or parent.get_object().get("/FT")
            states = [str(s)[1:] for s in annot.get("/AP", {}).get("/N", {}) if s != "/Off"]
            if field_type == "/Btn" and isinstance(value, str):
                if states != [value]:
                    continue
                kind = "radio"
            elif field_type == "/Btn":
                kind = "checkbox"
            else:
                kind = "text"
            out.append(
                {
                    "field": name,
                    "kind": kind,
                    "value": value,
                    "page": index,
                    "id": f"{ref.idnum}R",
                    "rect": [float(v) for v in annot["/Rect"]],
                    "size": [float(box.width), float(box.height)],
                }
            )
    missing = set(wanted) - {s["field"] for s in out}
    if missing:
        raise SystemExit(f"{path}: no widget for {sorted(missing)}")
    return out


if __name__ == "__main__":
    print(json.dumps(steps(Path(sys.argv[1])), ensure_ascii=False, indent=1))
