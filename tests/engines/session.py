"""One fill per (engine, blank) per test session, shared by the round-trip and the visual tests."""

from __future__ import annotations

import tempfile
from pathlib import Path

from drivers import fill_with
from values import Entry, entries

from werkbladen.content.loader import shipped_werkboek

_FILLED: dict[tuple[str, Path], tuple[Path, list[Entry]]] = {}
_DIR = Path(tempfile.mkdtemp(prefix="werkbladen-engines-"))


def filled(engine: str, blank: Path, template: str) -> tuple[Path, list[Entry]]:
    """``blank`` filled by ``engine`` with the suite's values for ``template``, and those values."""
    key = (engine, blank)
    if key not in _FILLED:
        planned = entries(shipped_werkboek().form_fields(template))
        out = _DIR / f"{engine}-{blank.name}"
        fill_with(engine, blank, {e.name: e.typed for e in planned}, out)
        _FILLED[key] = (out, planned)
    return _FILLED[key]
