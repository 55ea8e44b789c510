"""Regenerate the golden files: stap-7.pdf filled with a few fields by every engine.

Run from the repository root after `npm ci` in tests/engines:
``.venv/bin/python tests/golden/make_golden.py``. The files let a later change in the reader be
tested against real engine output without running the engines; regenerate only on purpose.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "engines"))

from drivers import ENGINES, fill_with  # noqa: E402

from werkbladen.content.loader import shipped_werkboek  # noqa: E402
from werkbladen.layout import build  # noqa: E402

TYPED: dict[str, str | bool] = {
    "respondent_organisatie": "Gemeente Łódź — ‘één’ €",
    "respondent_naam": "  Ağrı Şahin ",
    "respondent_datum": "05-03-2024",
    "stap7_informeren": "Regel één\n  Regel twee 🙂",
    "stap7_goedgekeurd_raad": "ja",
}
EXPECTED: dict[str, object] = {
    "werkblad": "stap7",
    "respondent": {"organisatie": "Gemeente Łódź — ‘één’ €", "naam": "  Ağrı Şahin ", "datum": "2024-03-05"},
    "answers": {"stap7_informeren": "Regel één\n  Regel twee 🙂", "stap7_goedgekeurd_raad": "ja"},
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        blank = next(p for p in build(shipped_werkboek(), Path(tmp)) if p.name == "stap-7.pdf")
        for engine in ENGINES:
            fill_with(engine, blank, TYPED, HERE / f"stap-7.{engine}.pdf")
            for extra in HERE.glob(f"stap-7.{engine}.*"):
                if extra.suffix != ".pdf":
                    extra.unlink()
    (HERE / "expected.json").write_text(
        json.dumps(EXPECTED, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
