"""The filled werkboeken the reads are measured on.

They are made once with ``werkbladen``'s fill from the tests' seeded random answers
(:func:`formkit.random_answers`: every field kind, Dutch text, multi-line, nearly blank to full
forms) into a cache folder keyed by the blank's bytes and the generator's source, so that a new
blank or a changed generator makes them afresh, and the same seeds give the same files (and
comparable numbers) from run to run. A batch of N is N hard links to them in a folder per size.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from . import calls
from .measure import REPO

sys.path.insert(0, str(REPO / "tests"))  # for formkit, the tests' form and answer generator


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "werkbladen-bench"


def filled_cache(blank: Path, cache: Path, distinct: int) -> list[Path]:
    """``distinct`` filled werkboeken, made once per blank and generator, and kept in ``cache``."""
    import formkit

    data = blank.read_bytes()
    generator = Path(formkit.__file__).read_bytes()
    key = hashlib.sha256(data + generator).hexdigest()[:16]
    folder = cache / f"filled-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    werkboek = calls.shipped_werkboek()
    paths = []
    for seed in range(distinct):
        path = folder / f"werkboek-{seed:03d}.pdf"
        if not path.exists():
            temp = path.with_suffix(".tmp")
            temp.write_bytes(calls.fill(data, formkit.random_answers(werkboek, seed), werkboek))
            temp.replace(path)
        paths.append(path)
    return paths


def inbox(sources: Sequence[Path], folder: Path, n: int) -> list[str]:
    """``n`` files in ``folder`` (hard links to ``sources`` in turn; copies where links fail)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        target = folder / f"{i:05d}.pdf"
        if not target.exists():
            try:
                os.link(sources[i % len(sources)], target)
            except OSError:
                shutil.copyfile(sources[i % len(sources)], target)
        paths.append(str(target))
    return paths
