"""Shared fixtures: the shipped content, and the PDFs built from it once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from werkbladen.content.loader import shipped_werkboek
from werkbladen.content.model import Werkboek


@pytest.fixture(scope="session")
def werkboek() -> Werkboek:
    return shipped_werkboek()


@pytest.fixture(scope="session")
def built_pdfs(tmp_path_factory: pytest.TempPathFactory, werkboek: Werkboek) -> dict[str, Path]:
    """werkboek.pdf and stap-1.pdf … stap-7.pdf, freshly built, by file name."""
    from werkbladen.layout import build

    out = tmp_path_factory.mktemp("built")
    return {p.name: p for p in build(werkboek, out)}
