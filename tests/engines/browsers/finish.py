"""Keep one browser save as a golden file: the PDF, a JSON beside it, the README's screenshot.

``python finish.py BROWSER BLANK SAVED LOG SHOTS`` (called by scripts/fill_in_browsers.sh) copies
SAVED to ``tests/golden/browsers/<browser>-<major>-<blank name>``, writes ``….json`` beside it (what
was typed into which field, what ``extract`` must give back, the browser's version, the date, the
blank's SHA-256, what the viewer showed in each field while typing) and, for step 2, the first page's
screenshot scaled down, to ``docs/images/browsers/<browser>-<major>-<blank stem>.png``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from plan import TYPED, expected

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden" / "browsers"
IMAGES = ROOT / "docs" / "images" / "browsers"

HOW = {
    "firefox": "Firefox's built-in PDF viewer (pdf.js), puppeteer-core over WebDriver BiDi, headed under "
    "Xvfb: page-number box, mouse click into each field, keyboard typing, Tab; saved with the viewer's "
    "download button and the native GTK 'Save As' dialog (name typed and confirmed with xdotool)",
    "chromium": "Chromium's built-in PDF viewer (PDFium), playwright-core, headed under Xvfb: page-number "
    "box, mouse click at the field's place on the screen (its /Rect and the viewer's zoom), keyboard "
    "typing, Tab; saved with the viewer's download button and the native GTK 'Save File' dialog (name "
    "typed with xdotool, its Save button clicked)",
}


def main(browser: str, blank: Path, saved: Path, log: Path, shots: Path) -> None:
    lines = [
        json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.startswith("{")
    ]
    version = next(line["version"] for line in lines if "saved" in line).split("/", 1)[1]
    name = f"{browser}-{version.split('.')[0]}-{blank.name}"
    GOLDEN.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(saved, GOLDEN / name)
    meta = {
        "browser": browser,
        "version": version,
        "date": datetime.date.today().isoformat(),
        "blank": f"output/{blank.name}",
        "blank_sha256": hashlib.sha256(blank.read_bytes()).hexdigest(),
        "how": HOW[browser],
        "typed": TYPED[blank.name],
        "expected": expected(blank.name),
        "shown_while_typing": {line["field"]: line["shown"] for line in lines if "shown" in line},
        "driver": f"tests/engines/browsers/fill_{browser}.mjs (scripts/fill_in_browsers.sh)",
    }
    (GOLDEN / f"{Path(name).stem}.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    first = shots / f"{browser}-{blank.stem}-p1.png"
    if first.exists() and blank.name == "stap-2.pdf":  # the README shows step 2
        IMAGES.mkdir(parents=True, exist_ok=True)
        image = Image.open(first).convert("RGB")
        if browser == "chromium":  # the whole screen: keep the page, without the thumbnails
            image = image.crop((300, 140, 1085, 1000))
        image = image.resize((640, round(image.height * 640 / image.width)), Image.LANCZOS)
        image.quantize(colors=64).save(IMAGES / f"{Path(name).stem}.png", optimize=True)
    print(f"golden: tests/golden/browsers/{name}")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]))
