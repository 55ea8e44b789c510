"""Where the tests' own data lives: the one definition every test and script imports.

The suite stands on its own: nothing outside the checkout is read. Import as ``from paths import
CORPUS`` (pytest puts ``tests/`` on ``sys.path``; a script inserts it itself).
"""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
#: Real-world PDFs from the qpdf, pdf.js, PDFium and py-pdf test collections (see its README.md).
CORPUS = TESTS / "corpus"
#: The two NJi source texts, the only authority for the Dutch wording (see its README.md).
SEEDS = TESTS / "data" / "seeds"
