"""The blanks the page reader fits flattened forms to, kept in the user's cache (werkbladen.cache).

Laying out a werkboek to read a flattened form costs about a second, in every worker of every
batch; a kept blank costs milliseconds. What is kept must be exactly what would be made, must
never be read for other content or other code, and a cache that is damaged, switched off or
unwritable must cost nothing but the time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from werkbladen import cache
from werkbladen.content.loader import shipped_werkboek
from werkbladen.content.model import Werkboek
from werkbladen.layout import render_step
from werkbladen.reader.recover import blank as blanks

TEMPLATE = "stap7"
"""Short, with every kind of widget: text boxes and radio buttons."""
MAKE = blanks._make
"""The layout itself, kept before any test replaces it."""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test, and no blank in memory."""
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(blanks, "_CACHE", {})
    return tmp_path / "cache"


def _made(werkboek: Werkboek) -> blanks.Blank:
    return MAKE(werkboek, TEMPLATE)


def _never(werkboek: Werkboek, template: str) -> blanks.Blank:
    raise AssertionError("the blank was laid out again instead of read from the cache")


def test_a_kept_blank_is_the_blank_made_afresh(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    werkboek = shipped_werkboek()
    first = blanks.blank_for(werkboek, TEMPLATE)
    kept = list(folder.iterdir())
    assert [p.name for p in kept] == [blanks.cache_name(werkboek, TEMPLATE)]
    monkeypatch.setattr(blanks, "_CACHE", {})
    monkeypatch.setattr(blanks, "_make", _never)
    again = blanks.blank_for(werkboek, TEMPLATE)
    assert again == first == _made(werkboek)
    assert any(w.kind == "radio" for page in again.pages for w in page.widgets)
    assert all(page.anchors for page in again.pages)


def test_a_damaged_or_foreign_cache_file_is_made_again(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    werkboek = shipped_werkboek()
    name = blanks.cache_name(werkboek, TEMPLATE)
    good = _made(werkboek)
    folder.mkdir()
    for content in (
        b"\x00\x01 not json",
        b'{"format": 1}',
        json.dumps({"format": 999, "template": TEMPLATE, "version": werkboek.version, "pages": []}).encode(),
        blanks._to_json(good)[:-40],  # cut off: a full disk, a killed process elsewhere
    ):
        (folder / name).write_bytes(content)
        monkeypatch.setattr(blanks, "_CACHE", {})
        assert blanks.blank_for(werkboek, TEMPLATE) == good
        assert blanks._from_json((folder / name).read_bytes(), werkboek, TEMPLATE) == good  # rewritten


def test_other_content_gets_a_blank_of_its_own(folder: Path) -> None:
    werkboek = shipped_werkboek()
    steps = [
        w.model_copy(update={"title": w.title + " (bewerkt)"}) if w.id == TEMPLATE else w
        for w in werkboek.werkbladen
    ]
    edited = werkboek.model_copy(update={"werkbladen": steps})
    assert blanks.cache_name(edited, TEMPLATE) != blanks.cache_name(werkboek, TEMPLATE)
    assert blanks.cache_name(werkboek, "stap5") != blanks.cache_name(werkboek, TEMPLATE)
    assert blanks.cache_name(werkboek.model_copy(), TEMPLATE) == blanks.cache_name(werkboek, TEMPLATE)


def test_a_cache_switched_off_or_unwritable_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    werkboek = shipped_werkboek()
    good = _made(werkboek)
    (tmp_path / "a-file").write_text("no folder")
    for setting in ("uit", "off", "", str(tmp_path / "a-file" / "cache")):
        monkeypatch.setenv(cache.ENV, setting)
        monkeypatch.setattr(blanks, "_CACHE", {})
        assert blanks.blank_for(werkboek, TEMPLATE) == good, setting
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_the_platform_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "werkbladen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    assert cache.cache_dir() == Path.home() / ".cache" / "werkbladen"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cache.cache_dir() == Path.home() / "Library" / "Caches" / "werkbladen"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert cache.cache_dir() == tmp_path / "Local" / "werkbladen" / "Cache"
    monkeypatch.setenv(cache.ENV, str(tmp_path / "own"))
    assert cache.cache_dir() == tmp_path / "own"


def test_a_flattened_form_is_read_without_laying_out_once_the_blank_is_kept(
    folder: Path, tmp_path: Path
) -> None:
    """A fresh process (a batch worker) reads a flattened form without importing ReportLab."""
    pymupdf = pytest.importorskip("pymupdf")
    from werkbladen.filling.prefill import fill_form

    werkboek = shipped_werkboek()
    blank = tmp_path / "stap-7.pdf"
    blank.write_bytes(render_step(werkboek, werkboek.werkblad(TEMPLATE)))
    filled = tmp_path / "filled.pdf"
    filled.write_bytes(fill_form(blank, {"answers": {"respondent_naam": "Łukasz Żółć"}}).pdf)
    doc = pymupdf.open(filled)
    doc.bake()
    flat = tmp_path / "flat.pdf"
    doc.save(flat)
    code = (
        "import sys; from werkbladen.reader.extraction import extract; "
        f"r = extract({str(flat)!r}).to_record(); "
        "print(r['status'], r['respondent']['naam'], 'reportlab' in sys.modules)"
    )
    env = {**os.environ, cache.ENV: str(folder)}
    runs = [
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert runs[0].stdout.split() == ["recovered", "Łukasz", "Żółć", "True"]  # laid out, and kept
    assert runs[1].stdout.split() == ["recovered", "Łukasz", "Żółć", "False"]
    assert len(list(folder.iterdir())) == 1
