"""The werkbladen as an editor reads them against the seed (issue 12, items 4 and 5).

Each test is one defect the issue found, checked on the built PDFs (poppler's text with its
line and word boxes) or on the content: words broken without a hyphen, yes/no questions without
a choice, the seed's numbering, the Doorlopende stap in stap-1.pdf, tooltips, step 5's legend and
matrix, the page heading over the respondent block, the cover title, and the seed's own wording.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from formkit import content_strings
from paths import SEEDS

from werkbladen.content.model import FieldKind, QuestionBlock, TableBlock, TipBlock, Werkboek

XHTML = "{http://www.w3.org/1999/xhtml}"
PUNCTUATION = ",.;:!?"


@cache
def _layout(path: Path) -> ET.Element:
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], check=True, capture_output=True
    ).stdout
    return ET.fromstring(xml)


def _pages(path: Path) -> list[str]:
    """Each page's text, its words in reading order joined by single spaces."""
    return [
        " ".join(w.text or "" for w in page.iter(f"{XHTML}word"))
        for page in _layout(path).iter(f"{XHTML}page")
    ]


def test_no_word_is_broken_without_a_hyphen(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    """A line that ends in a piece of a content word ("Onderwijsachterstanden" + "beleid") is a
    break without a hyphen; a hyphenated break ends in "-". Measured: 3 such breaks before."""
    words = {t.strip(PUNCTUATION + "()") for s in content_strings(werkboek) for t in s.split()}
    broken = []
    hyphenated = 0
    for name, path in sorted(built_pdfs.items()):
        for block in _layout(path).iter(f"{XHTML}block"):
            lines = [[w.text or "" for w in line.iter(f"{XHTML}word")] for line in block.iter(f"{XHTML}line")]
            for this, following in itertools.pairwise(lines):
                if not this or not following:
                    continue
                head, tail = this[-1], following[0]
                if head.endswith("-"):
                    hyphenated += (head + tail).replace("-", "", 1).strip(PUNCTUATION + "()") in words
                    continue
                if head.strip(PUNCTUATION) not in words and (head + tail).strip(PUNCTUATION + "()") in words:
                    broken.append((name, head, tail))
    assert broken == []
    assert hyphenated > 10, "no hyphenated word found: is Pyphen's Dutch hyphenation in use?"


def test_the_long_words_of_the_network_table_are_hyphenated(built_pdfs: dict[str, Path]) -> None:
    text = "\n".join(_pages(built_pdfs["stap-2.pdf"]))
    assert "Onderwijsachterstanden- beleid" in text or "Onderwijsachterstandenbeleid" in text
    assert "jeugd(gezondheids)beleid" in text or re.search(r"jeugd\(gezond- heids\)beleid", text)


def test_yes_no_questions_have_a_choice_and_room_to_explain(werkboek: Werkboek) -> None:
    asked = {
        "stap1": "Hebben we duidelijk welke middelen beschikbaar zijn vanuit de corona-steunpakketten Jeugd?",
        "stap3": "Herkennen wij het beeld vanuit de opgehaalde cijfers?",
        "stap6": "Kunnen we dit koppelen aan reeds geplande periodieke overleggen?",
    }
    for werkblad_id, text in asked.items():
        (block,) = [
            b
            for b in werkboek.werkblad(werkblad_id).blocks()
            if isinstance(b, QuestionBlock) and b.text == text
        ]
        assert block.field.kind is FieldKind.CHOICE and block.field.scale == "ja_nee"  # as step 7
        assert block.explain is not None and block.explain.kind is FieldKind.MULTILINE


def test_the_seeds_numbering_is_printed(built_pdfs: dict[str, Path]) -> None:
    stap3 = " ".join(_pages(built_pdfs["stap-3.pdf"]))
    assert "1. Wat weten we van hoe het gaat" in stap3 and "2. Welke lokale cijfers hebben we?" in stap3
    stap6 = " ".join(_pages(built_pdfs["stap-6.pdf"]))
    for number, start in enumerate(
        ["Herkennen.", "Begrijpen.", "Wat vinden we ervan?", "Welke (verbeter)acties"], 1
    ):
        assert f"{number}. {start}" in stap6


def test_stap_1_prints_the_doorlopende_stap(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    first = _pages(built_pdfs["stap-1.pdf"])[0]
    doorlopend = werkboek.werkblad("doorlopend")
    assert doorlopend.title in first
    assert (
        first.index("Doel van deze stap") < first.index(doorlopend.title) < first.index("Gaandeweg bepalen")
    )
    for other in ("stap-2.pdf", "stap-7.pdf"):
        assert doorlopend.title not in " ".join(_pages(built_pdfs[other]))


def test_tooltips_have_no_doubled_punctuation_or_ids(werkboek: Werkboek) -> None:
    ids = set()
    for werkblad in werkboek.werkbladen:
        for block in werkblad.blocks():
            if isinstance(block, TableBlock):
                ids |= {r.id for r in block.rows} | {c.id for c in block.columns}
    for spec in werkboek.form_fields("werkboek"):
        assert not re.search(r"[?!.:]\s*[:?]", spec.tooltip), spec.tooltip
        assert not any(re.search(rf"\b{re.escape(i)}\b", spec.tooltip) for i in ids if re.search(r"\d", i))
        assert not re.search(r"\([a-z0-9_]+\)$", spec.tooltip), spec.tooltip
    tips = {s.name: s.tooltip for s in werkboek.form_fields("werkboek")}
    assert tips["stap2_netwerken_lea_nodig"] == (
        "Welke netwerken en verbanden hebben we nodig? Lokaal Educatieve Agenda (LEA) — Nodig voor ons plan"
    )
    assert tips["stap4_resultaten_r1_resultaat"].endswith("hanteren we? Rij 1 — Haalbaar resultaat")
    assert tips["stap2_netwerken_eigen1_circuit"].endswith("nodig? Eigen rij 1 — Circuits en netwerken")


def test_step_5_legend_comes_before_a_matrix_on_one_page(
    built_pdfs: dict[str, Path], werkboek: Werkboek
) -> None:
    rows = [r.cells["bouwsteen"] for r in next(
        b for b in werkboek.werkblad("stap5").blocks() if isinstance(b, TableBlock) and b.id == "scores"
    ).rows]  # fmt: skip
    for name in ("stap-5.pdf", "werkboek.pdf"):
        pages = _pages(built_pdfs[name])
        (page,) = [p for p in pages if "Score op de bouwsteen" in p]
        assert page.index("Score op de bouwsteen") < page.index("Naam interventie of activiteit")
        after = page[page.index("Naam interventie of activiteit") :]
        assert all(row in after for row in rows), "the score matrix is split over pages"


def test_the_respondent_block_is_not_under_another_heading(
    built_pdfs: dict[str, Path], werkboek: Werkboek
) -> None:
    """The block sits on the cover, which has no running header (it had the introduction's)."""
    pages = _pages(built_pdfs["werkboek.pdf"])
    (on,) = [i for i, page in enumerate(pages) if "Ingevuld door Vul je gegevens" in page]
    assert on == 0 and pages[on].startswith(werkboek.publisher)
    assert pages[2].startswith(werkboek.introduction.title)  # a continuation page does start so


def test_the_cover_title_leaves_no_word_alone(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    cover = _layout(built_pdfs["werkboek.pdf"]).find(f".//{XHTML}page")
    assert cover is not None
    lines = [" ".join(w.text or "" for w in line.iter(f"{XHTML}word")) for line in cover.iter(f"{XHTML}line")]
    title_lines = [line for line in lines if line and line in werkboek.title]
    assert len(title_lines) >= 2 and all(" " in line for line in title_lines), title_lines


def test_the_seeds_own_wording(built_pdfs: dict[str, Path], werkboek: Werkboek) -> None:
    web = (SEEDS / "000_765c169c71b2c517.txt").read_text(encoding="utf-8")
    text = " ".join(" ".join(_pages(built_pdfs["werkboek.pdf"])).split())
    sentence = (
        "In het werkblad vind je meer informatie en handvatten om deze stap met de werkgroep te gaan zetten."
    )
    assert sentence in web and sentence in text
    assert "Stappenplan voor een samenhangende aanpak corona-steunpakketten jeugd" in text
    assert (
        "De webinars zijn op 24 juni en 8 september." in web
        and "De webinars zijn op 24 juni en 8 september." in text
    )
    assert "organiseren twee webinars" in text and "2021" not in text.split("webinars")[1][:80]
    assert "Hulp nodig? Hulp nodig" not in text
    assert "Welke data verzamelen we, en hoe?" not in text
    tips = [b for w in werkboek.werkbladen for b in w.blocks() if isinstance(b, TipBlock)]
    assert all(not (b.label and b.text.startswith(b.label.rstrip("?"))) for b in tips)
