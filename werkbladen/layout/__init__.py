"""The layout engine: content to blank fillable A4 PDFs (ReportLab Platypus and AcroForm).

``build(werkboek, out_dir)`` writes werkboek.pdf and stap-1.pdf … stap-7.pdf;
``render_werkboek`` and ``render_step`` return one PDF as bytes.
"""

from werkbladen.layout.document import build, render_step, render_werkboek, step_filename

__all__ = ["build", "render_step", "render_werkboek", "step_filename"]
