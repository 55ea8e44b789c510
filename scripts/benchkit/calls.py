"""Every call the bench makes into ``werkbladen``'s modules, rather than through its command.

The measured children run the ``werkbladen`` command (see :class:`.measure.Tools`); only the
in-process cases (rendering each PDF, reading one file warm), the filling of the werkboeken and
the import-time child's snippet name the package's modules. They are here, and only here, so
that a move inside the package is mended in one place. Each import is inside its function: the
bench's own process loads only what the chosen cases need.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any


def shipped_werkboek() -> Any:
    from werkbladen.content.loader import shipped_werkboek

    return shipped_werkboek()


def renders(werkboek: Any) -> dict[str, Callable[[], bytes]]:
    """Each PDF of the build by file name, rendered in this process (``werkboek.pdf`` first)."""
    from werkbladen.layout import render_step, render_werkboek, step_filename

    out: dict[str, Callable[[], bytes]] = {"werkboek.pdf": lambda: render_werkboek(werkboek)}
    for werkblad in werkboek.werkbladen:
        if werkblad.step is not None:
            out[step_filename(werkblad)] = lambda w=werkblad: render_step(werkboek, w)  # type: ignore[misc]
    return out


def fill(blank: bytes, record: dict[str, Any], werkboek: Any) -> bytes:
    """``blank`` filled with ``record`` (as ``werkbladen fill`` fills it)."""
    from werkbladen.filling.prefill import fill

    return fill(blank, record, werkboek=werkboek)


def extract_reader(werkboek: Any) -> Callable[[Path], Any]:
    """``extract`` with the content given: each call reads a file afresh, to its result."""
    from werkbladen.reader.extraction import extract

    return functools.partial(extract, werkboek=werkboek)


def cli_snippet(args: list[str]) -> str:
    """Python code that runs ``werkbladen ARGS`` in-process (for ``python -X importtime -c``)."""
    return f"import sys; from werkbladen.cli import main; sys.exit(main({args!r}))"


def settle() -> Callable[[Any], Any]:
    """The inbox's settling of a batch (duplicates, resends, conflicts), records in and out."""
    from werkbladen.inbox.standing import settle

    return settle


def write_xlsx_snippet(records_jsonl: str, out: str, layout: str) -> str:
    """Python code that reads extract records from JSON Lines and writes them as XLSX in ``layout``.

    The writer alone, in a fresh process (imports included, as ``extract`` pays them too).
    """
    return (
        "import json; from pathlib import Path; "
        "from werkbladen.content.loader import shipped_werkboek; "
        "from werkbladen.export import write_records; "
        f"records = [json.loads(line) for line in open({records_jsonl!r}, encoding='utf-8')]; "
        f"write_records(records, 'xlsx', Path({out!r}), werkboek=shipped_werkboek(), inputs=[], "
        f"xlsx_layout={layout!r})"
    )
