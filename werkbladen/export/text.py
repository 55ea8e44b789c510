"""JSON and JSON Lines: the records as they are, UTF-8, dates as ISO strings.

JSON writes one record as the object itself and several as an array (indent 2); JSON Lines
writes one compact object per line. Both keep non-ASCII text as it is (``ensure_ascii=False``).
A lone surrogate, which UTF-8 cannot encode, is written as its JSON escape ``\\udxxx``, so the
output is always valid JSON and still says exactly what the PDF held.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from werkbladen.export.table import json_default

ENCODING = "utf-8"
ENCODE_ERRORS = "backslashreplace"
"""Only lone surrogates can fail to encode; inside a JSON string ``\\ud800`` is a valid escape."""


def write_json(stream: TextIO, items: list[Mapping[str, Any]], *, single_as_object: bool) -> None:
    """Write ``items`` as one JSON document; one item alone as the object when ``single_as_object``."""
    document: Any = items[0] if single_as_object and len(items) == 1 else items
    json.dump(document, stream, ensure_ascii=False, indent=2, default=json_default, allow_nan=False)
    stream.write("\n")


def write_jsonl(stream: TextIO, items: Iterable[Mapping[str, Any]]) -> None:
    """Write one JSON object per line (``\\n`` inside values is escaped, so lines stay whole)."""
    for item in items:
        stream.write(json.dumps(item, ensure_ascii=False, default=json_default, allow_nan=False))
        stream.write("\n")
