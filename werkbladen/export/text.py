"""JSON and JSON Lines: the records as they are, UTF-8, dates as ISO strings.

JSON writes one record as the object itself and several as an array (indent 2); JSON Lines
writes one compact object per line. Both keep non-ASCII text as it is (``ensure_ascii=False``).
A lone surrogate, which UTF-8 cannot encode, is written as its JSON escape ``\\udxxx``, so the
output is always valid JSON and still says exactly what the PDF held.

Both write item by item as the items arrive, so a batch never holds its records: the array is
the bytes ``json.dump`` would write for the whole list (each item indented two more spaces,
which is safe because JSON text holds no raw line break inside a string).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from werkbladen.export.table import json_default

ENCODING = "utf-8"
ENCODE_ERRORS = "backslashreplace"
"""Only lone surrogates can fail to encode; inside a JSON string ``\\ud800`` is a valid escape."""

_NOTHING: Any = object()


def write_json(stream: TextIO, items: Iterable[Mapping[str, Any]], *, single_as_object: bool) -> None:
    """Write ``items`` as one JSON array; one item alone as the object when ``single_as_object``."""
    queue = iter(items)
    first = next(queue, _NOTHING)
    if first is _NOTHING:
        stream.write("[]\n")
        return
    second = next(queue, _NOTHING)
    if second is _NOTHING and single_as_object:
        stream.write(_dumps(first))
        stream.write("\n")
        return
    stream.write("[\n  ")
    stream.write(_dumps(first).replace("\n", "\n  "))
    del first  # written: let it go before the next one comes
    if second is not _NOTHING:
        stream.write(",\n  ")
        stream.write(_dumps(second).replace("\n", "\n  "))
        del second
        for item in queue:
            stream.write(",\n  ")
            stream.write(_dumps(item).replace("\n", "\n  "))
    stream.write("\n]\n")


def write_jsonl(stream: TextIO, items: Iterable[Mapping[str, Any]]) -> None:
    """Write one JSON object per line (``\\n`` inside values is escaped, so lines stay whole)."""
    for item in items:
        stream.write(json.dumps(item, ensure_ascii=False, default=json_default, allow_nan=False))
        stream.write("\n")


def _dumps(item: Any) -> str:
    return json.dumps(item, ensure_ascii=False, indent=2, default=json_default, allow_nan=False)
