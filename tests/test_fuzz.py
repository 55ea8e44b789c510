"""Mutated and truncated werkbladen: ``extract`` always returns one result, never raises, soon.

Hypothesis flips, deletes, inserts and splices bytes of a small filled werkblad, and cuts it
short. The file is our own contract-following form (a few KB), so a hundred examples run in
seconds; the in-process limits (not the batch's kill) are what keep each one short.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from hostile.werkblad import fill, own_blank
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkbladen.content.loader import shipped_werkboek
from werkbladen.reader.extraction import extract

STATUSES = {
    "ok", "warnings", "not_a_werkblad", "no_form", "flattened", "encrypted", "damaged", "unsupported",
    "timeout", "too_large", "error", "recovered", "scanned",
}  # fmt: skip


def _filled() -> bytes:
    specs = [s for s in shipped_werkboek().form_fields("stap2") if s.table is None][:12]
    return fill(own_blank("stap2", specs=specs), {s.name: s.kind for s in specs}).single()


BASE = _filled()


@st.composite
def mutated(draw: Any) -> bytes:
    data = bytearray(BASE)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "delete", "insert", "splice", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "insert":
            data[at:at] = draw(
                st.sampled_from([b"(", b")", b"<<", b">>", b"[", b" 0 R", b"\x00", b"9999999999"])
            )
        elif op == "splice":
            start = draw(st.integers(0, len(BASE) - 1))
            data[at:at] = BASE[start : start + draw(st.integers(1, 400))]
        else:
            data = data[:at]
    return bytes(data)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    database=None,
)
@given(mutated())
def test_mutated_werkblad_gives_one_result(data: bytes) -> None:
    start = time.monotonic()
    result = extract(data)
    assert time.monotonic() - start < 30, "a mutated file must not hang the reader"
    record = result.to_record()
    assert record["status"] in STATUSES
    if record["status"] not in ("ok", "warnings"):
        assert record["reason"] and "\n" not in record["reason"]


@pytest.mark.parametrize("fraction", [i / 20 for i in range(20)])
def test_truncated_werkblad_is_never_a_clean_read(fraction: float) -> None:
    cut = BASE[: int(len(BASE) * fraction)]
    record = extract(cut).to_record()
    assert record["status"] not in ("ok",), record
