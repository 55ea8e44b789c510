"""Shared fixtures: the shipped content, and the PDFs built from it once per test session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from werkbladen.content.loader import shipped_werkboek
from werkbladen.content.model import Werkboek


def pytest_configure(config: pytest.Config) -> None:
    """The blanks the page reader keeps go to a folder of this run, never the user's cache: what
    a test finds there was made by this checkout, and no test leaves anything behind in ``~``."""
    folder = tempfile.mkdtemp(prefix="werkbladen-cache-")
    os.environ["WERKBLADEN_CACHE"] = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(scope="session")
def werkboek() -> Werkboek:
    return shipped_werkboek()


@pytest.fixture(scope="session")
def built_pdfs(tmp_path_factory: pytest.TempPathFactory, werkboek: Werkboek) -> dict[str, Path]:
    """werkboek.pdf and stap-1.pdf … stap-7.pdf, freshly built, by file name."""
    from werkbladen.layout import build

    out = tmp_path_factory.mktemp("built")
    return {p.name: p for p in build(werkboek, out)}
