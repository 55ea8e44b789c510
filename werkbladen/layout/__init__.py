"""The layout engine: content to blank fillable A4 PDFs (ReportLab Platypus and AcroForm).

``build(werkboek, out_dir)`` writes werkboek.pdf and stap-1.pdf … stap-7.pdf;
``render_werkboek`` and ``render_step`` return one PDF as bytes.

They are loaded on first use (PEP 562): the report imports ``werkbladen.layout.theme`` and a few
other modules of the layout, and importing the package must not pull in the whole engine (its
tables load Pyphen's Dutch patterns, the slowest import of all).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from werkbladen.layout.document import build, render_step, render_werkboek, step_filename

__all__ = ["build", "render_step", "render_werkboek", "step_filename"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from werkbladen.layout import document

        return getattr(document, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
