"""Regenerate the golden records: what ``werkbladen extract`` gives for every form in the tests.

``tests/test_unchanged.py`` runs the same collection with the current code and requires the
result to be identical, field by field (issue 9, item 6: "Nothing changes for users"). The
goldens were first made with the code of commit 45a401d, before the reader refactor.

Regenerate only on purpose, after a change that is *meant* to change what users get (a new
warning, a better reason, a new column), and say so in the commit::

    .venv/bin/python tests/golden/make_records.py          # from the repository root

It runs the CLI of the interpreter that runs it (``python -m werkbladen``), on the inputs of the
checkout it lives in, and writes ``tests/golden/records/records.json.gz``; ``--check`` collects
twice and fails if the two differ (a case that is not deterministic must not be in the goldens).

The inputs, each under a stable name that is also the path the CLI is given (relative, from a
temporary working directory laid out like this), in this order:

- ``corpus/<name>.pdf``: the real-world files, from ``tests/corpus/`` (``paths.CORPUS``);
- ``golden/<name>.pdf``: the forms filled by real engines (``tests/golden/*.pdf``, made by
  ``make_golden.py``);
- ``hostile/<case>.pdf``: the hostile set of ``tests/hostile/make_hostile.py`` (with its two good
  files), made from ``output/werkboek.pdf`` as ``test_hostile.py`` does: the smallest built blank
  with text, multiline, checkbox and radio fields. Its encrypted cases use random AES salts and
  IVs, so their bytes differ every time; their records do not;
- ``output/<name>.pdf``: the shipped blank PDFs.

What is recorded: per input the single-file record (``werkbladen extract FILE``) and the ``--raw``
record; the batch runs over all inputs in that order (``RUNS``: JSON, JSON Lines, CSV in both
dialects, long CSV, XLSX (the people's workbook and ``--layout machine``) as sheet names plus rows
of cell values and cell types, and raw JSON), each
with its output, stderr lines and exit code; the exact stdout of a few single-file runs; and the
SHA-256 of every input whose bytes are reproducible, so a failing test can tell a changed input
apart from a changed extraction.
Every run is given a generous per-file ``--timeout`` (``PER_FILE``), so no status depends on
the machine's load.

This script only runs the public CLI in subprocesses: it imports nothing from ``werkbladen``, so
it (and the test that imports it) survives module moves inside the package.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))
from paths import CORPUS  # noqa: E402  (tests/paths.py: the one place that names it)

GOLDEN = TESTS / "golden"
RECORDS = GOLDEN / "records" / "records.json.gz"
HOSTILE_MAKER = TESTS / "hostile" / "make_hostile.py"
HOSTILE_BLANK = "werkboek.pdf"
"""The blank of ``output/`` the hostile set is made from: the one ``test_hostile.py`` picks."""

KINDS = ("corpus", "golden", "hostile", "output")
JOBS = 2
TIMEOUT = 600
"""Seconds for one CLI run: a safety net for a hang, far above the ~5 s a batch takes."""

PER_FILE = ["--timeout", "120"]
"""Given to every run: a per-file limit six times the default 20 s. ``hostile/fields_100k.pdf``
takes ~3 s alone and is refused as ``too_large`` by its array count, but with the default limit it
came back as ``timeout`` when two collections ran at once on this two-core machine (each batch
~4.5 times slower): a status that depends on the machine's load. With 120 s it is deterministic,
so the case stays in; no record of any input depends on the limit otherwise (none times out)."""

EXCLUDED: dict[str, str] = {}
"""Hostile cases left out, with the reason. None: with ``PER_FILE``, repeated collections of the
same code (one after another, and two at once on two cores) gave the same records every time.
Nothing else depends on time or memory: the bombs are bounded by the decompression limit (not by
the address-space cap), ``value_50mb`` by its size before it is read."""

RANDOM_BYTES = ("encrypted_user_password", "encrypted_owner_only")
"""Hostile cases whose bytes differ every time (AES salts and IVs): no SHA-256 for them."""

RUNS: dict[str, list[str]] = {
    "json": ["-f", "json"],
    "jsonl": ["-f", "jsonl"],
    "csv-excel-nl": ["-f", "csv", "--csv-dialect", "excel-nl"],
    "csv-rfc4180": ["-f", "csv", "--csv-dialect", "rfc4180"],
    "csv-long": ["-f", "csv", "--long"],
    "xlsx": ["-f", "xlsx"],
    "xlsx-machine": ["-f", "xlsx", "--layout", "machine"],
    "raw-json": ["--raw", "-f", "json"],
}
"""The batch runs over all inputs, by name: the arguments after ``extract`` besides the files."""

BATCHES_AT_ONCE = 2
"""Batch runs side by side: one batch keeps two cores only ~1.6 busy (the parent waits on its workers)."""

SUFFIX = {"json": "json", "jsonl": "jsonl", "csv": "csv", "xlsx": "xlsx"}
SINGLE_SAMPLE = (
    "corpus/qpdf__bad-xref.pdf",
    "golden/stap-7.pdfjs.pdf",
    "hostile/encrypted_owner_only.pdf",
    "hostile/fields_missing.pdf",
    "output/werkboek.pdf",
)
"""Inputs whose single-file stdout (with and without ``--raw``) is kept byte for byte: the test
runs these as single files; every other record it takes from the batch JSON run (the generator
checks that a single-file run gives exactly the batch's record, exit code and stderr line)."""


# --- the inputs -----------------------------------------------------------------------------------


def corpus_dir() -> Path:
    """``tests/corpus/``: the real-world files, kept in the repository."""
    return CORPUS


def lay_out(work: Path, python: str, corpus: Path) -> dict[str, dict[str, Any]]:
    """Copy or make every input under ``work`` by its stable name; return them in batch order."""
    for kind, source in (("corpus", corpus), ("golden", GOLDEN), ("output", REPO / "output")):
        pdfs = sorted(source.glob("*.pdf"))
        if not pdfs:
            raise SystemExit(f"make_records: no PDFs in {source}")
        (work / kind).mkdir()
        for pdf in pdfs:
            shutil.copyfile(pdf, work / kind / pdf.name)
    made = subprocess.run(
        [python, str(HOSTILE_MAKER), str(work / "hostile"), str(REPO / "output" / HOSTILE_BLANK)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if made.returncode != 0:
        raise SystemExit(f"make_records: make_hostile.py failed\n{made.stderr}")
    for case in EXCLUDED:
        (work / "hostile" / f"{case}.pdf").unlink()
    inputs = {}
    _RANDOM_SHA256[work] = []
    for kind in KINDS:
        for pdf in sorted((work / kind).glob("*.pdf")):
            os.utime(pdf, (FILE_TIME, FILE_TIME))  # records name the file's time (details.file_time)
            reproducible = not (kind == "hostile" and pdf.stem in RANDOM_BYTES)
            sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
            if not reproducible:
                _RANDOM_SHA256[work].append(sha)
            inputs[f"{kind}/{pdf.name}"] = {"kind": kind, "sha256": sha if reproducible else None}
    return inputs


FILE_TIME = 1_624_528_800
"""2021-06-24T10:00:00Z, the modification time every input is given, so records do not vary."""
_RANDOM_SHA256: dict[Path, list[str]] = {}
"""Per working directory: the SHA-256 of the inputs whose bytes differ every time, shown masked."""


# --- running the CLI ------------------------------------------------------------------------------


def cli(python: str, args: list[str], work: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WERKBLADEN")}
    return subprocess.run(
        [python, "-m", "werkbladen", "extract", *PER_FILE, *args],
        cwd=work,
        env=env,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )


def stable(text: str, work: Path, *, xml: bool = False) -> str:
    """The text with the temporary working directory named ``<work>`` (should it ever appear), and
    the SHA-256 of inputs with random bytes as ``<random>``; escaped as markup in ``xml``."""
    work_name, random_name = ("&lt;work&gt;", "&lt;random&gt;") if xml else ("<work>", "<random>")
    for form in {str(work.resolve()), str(work)}:
        text = text.replace(form, work_name)
    for sha in _RANDOM_SHA256.get(work, ()):
        text = text.replace(sha, random_name)
    return text


def xlsx_content(path: Path) -> dict[str, Any]:
    """Every sheet of an XLSX: names, rows of cell values, and rows of cell types (s, n, f, …).

    Characters that XML 1.0 forbids (control characters such as NUL from an odd field name of
    the hostile set) make the sheet unreadable for openpyxl, and for Excel. Each is read as the
    text ``\\xNN`` instead and counted per part in ``invalid_xml_characters``, so the goldens keep
    both the content and the fact that the file had them.
    """
    from openpyxl import load_workbook

    repaired, counts = _repair_xml(path.read_bytes(), path.parents[1])
    book = load_workbook(io.BytesIO(repaired))
    sheets = []
    for sheet in book.worksheets:
        rows, types = [], []
        for row in sheet.iter_rows():
            rows.append([_cell_value(c.value) for c in row])
            types.append("".join(c.data_type for c in row))
        sheets.append({"name": sheet.title, "rows": rows, "types": types})
    return {"invalid_xml_characters": counts, "sheets": sheets}


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _repair_xml(data: bytes, work: Path) -> tuple[bytes, dict[str, int]]:
    counts: dict[str, int] = {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename.endswith(".xml"):
                text, n = _NOT_XML.subn(lambda m: f"\\x{ord(m.group()):02x}", part.decode("utf-8"))
                if n:
                    counts[info.filename] = n
                part = stable(text, work, xml=True).encode("utf-8")
            dst.writestr(info, part)
    return out.getvalue(), counts


def _cell_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return {"datetime": value.isoformat()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return {"repr": repr(value)}


def batch(python: str, name: str, names: list[str], work: Path) -> dict[str, Any]:
    """One batch run over all inputs: its arguments, output, stderr lines and exit code."""
    args = RUNS[name]
    fmt = args[args.index("-f") + 1]
    out = Path("out") / f"{name}.{SUFFIX[fmt]}"
    (work / "out").mkdir(exist_ok=True)
    run = cli(python, [*args, "--jobs", str(JOBS), "-o", str(out), *names], work)
    result: dict[str, Any] = {
        "args": [*PER_FILE, *args, "--jobs", str(JOBS), "-o", str(out)],
        "exit": run.returncode,
        "stderr": stable(run.stderr.decode("utf-8", "replace"), work).splitlines(),
    }
    written = work / out
    if not written.exists():
        result["output"] = None
    elif fmt == "xlsx":
        result["output"] = xlsx_content(written)
    else:
        result["output"] = stable(written.read_bytes().decode("utf-8"), work)
    written.unlink(missing_ok=True)
    return result


def single(python: str, name: str, work: Path, raw: bool) -> dict[str, Any]:
    run = cli(python, [*(["--raw"] if raw else []), name], work)
    return {
        "stdout": stable(run.stdout.decode("utf-8"), work),
        "stderr": stable(run.stderr.decode("utf-8", "replace"), work).splitlines(),
        "exit": run.returncode,
    }


def by_file(text: str) -> dict[str, Any]:
    return {r["file"]: r for r in json.loads(text)}


def collect(
    python: str = sys.executable, corpus: Path | None = None, all_singles: bool = False
) -> dict[str, Any]:
    """Lay out the inputs and run the CLI of ``python`` over them: the data the goldens hold.

    The records come from the batch JSON runs. With ``all_singles`` (the generator) every input
    is also run on its own, and the single-file record, exit code and stderr line must be the
    batch's exactly, which is what lets the test read them from the batch.
    """
    with tempfile.TemporaryDirectory(prefix="werkbladen-unchanged-") as tmp:
        work = Path(tmp)
        inputs = lay_out(work, python, corpus or corpus_dir())
        names = list(inputs)
        with ThreadPoolExecutor(max_workers=BATCHES_AT_ONCE) as pool:
            futures = {name: pool.submit(batch, python, name, names, work) for name in RUNS}
            runs = {name: future.result() for name, future in futures.items()}
        records = by_file(runs["json"]["output"])
        raw = by_file(runs["raw-json"]["output"])
        if list(records) != names or list(raw) != names:
            raise SystemExit("make_records: the batch did not give one record per input, in order")
        singles = {n: n for n in names} if all_singles else {n: n for n in SINGLE_SAMPLE}
        jobs = [(n, is_raw) for n in singles for is_raw in (False, True)]
        with ThreadPoolExecutor(max_workers=JOBS) as pool:
            done = list(pool.map(lambda job: single(python, job[0], work, job[1]), jobs))
        single_runs = dict(zip(jobs, done, strict=True))
        if all_singles:
            _check_singles(single_runs, records, raw, runs)
        return {
            "inputs": inputs,
            "excluded": EXCLUDED,
            "records": records,
            "raw": raw,
            "single_stdout": {
                f"{'--raw ' if is_raw else ''}{n}": single_runs[(n, is_raw)]
                for n in SINGLE_SAMPLE
                for is_raw in (False, True)
            },
            "runs": runs,
        }


def _alone(record: dict[str, Any]) -> dict[str, Any]:
    """A record without its standing among the others, which a single-file run cannot know."""
    return {k: v for k, v in record.items() if k not in ("duplicate_of", "superseded_by", "conflicts")}


def _check_singles(
    single_runs: dict[tuple[str, bool], dict[str, Any]],
    records: dict[str, Any],
    raw: dict[str, Any],
    runs: dict[str, Any],
) -> None:
    problems = []
    for (name, is_raw), run in single_runs.items():
        want = (raw if is_raw else records)[name]
        batch_stderr = runs["raw-json" if is_raw else "json"]["stderr"]
        lines = [line for line in batch_stderr if line.startswith(f"werkbladen: {name}: ")]
        if _alone(json.loads(run["stdout"])) != _alone(want):
            problems.append(
                f"{'--raw ' if is_raw else ''}{name}: single-file record differs from the batch's"
            )
        if run["exit"] != (0 if want["status"] in ("ok", "warnings") else 1):
            problems.append(f"{name}: exit {run['exit']} for status {want['status']}")
        failures, summary = run["stderr"][:-1], run["stderr"][-1:]
        if failures != lines or not (summary and summary[0].startswith("werkbladen: 1 bestand: ")):
            problems.append(f"{name}: stderr {run['stderr']} against the batch's {lines} and a summary")
    if problems:
        raise SystemExit("make_records: single-file runs differ from the batch:\n" + "\n".join(problems))


# --- the golden file, and comparing -----------------------------------------------------------------


def dump(data: dict[str, Any], path: Path = RECORDS) -> None:
    """Write ``data`` as gzipped JSON, byte-reproducible (no time stamp, no file name)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    with path.open("wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as z:
        z.write(text.encode("utf-8"))


def load(path: Path = RECORDS) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def table(text: str, delimiter: str) -> list[dict[str, str]] | list[list[str]]:
    """CSV text as rows keyed by the header (so a difference names its column)."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter))
    if not rows or len({len(r) for r in rows}) != 1:
        return rows
    header = rows[0]
    return [dict(zip(header, r, strict=True)) for r in rows]


def differences(want: Any, got: Any, where: str = "") -> Iterator[str]:
    """Every difference between two JSON values, as ``path: expected …, got …`` lines."""
    if isinstance(want, dict) and isinstance(got, dict):
        for key in [*want, *(k for k in got if k not in want)]:
            here = f"{where}[{key!r}]"
            if key not in got:
                yield f"{here}: missing (expected {_short(want[key])})"
            elif key not in want:
                yield f"{here}: unexpected {_short(got[key])}"
            else:
                yield from differences(want[key], got[key], here)
        if list(want) != list(got) and set(want) == set(got):
            yield f"{where}: same keys in another order: {_short(list(got))}"
    elif isinstance(want, list) and isinstance(got, list):
        for i in range(max(len(want), len(got))):
            here = f"{where}[{i}]"
            if i >= len(got):
                yield f"{here}: missing (expected {_short(want[i])})"
            elif i >= len(want):
                yield f"{here}: unexpected {_short(got[i])}"
            else:
                yield from differences(want[i], got[i], here)
    elif type(want) is not type(got) or want != got:
        if isinstance(want, str) and isinstance(got, str):
            at = next((i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b), None)
            at = min(len(want), len(got)) if at is None else at
            start = max(0, at - 40)
            yield (
                f"{where}: strings differ at character {at}: expected …{_short(want[start : at + 80])}"
                f", got …{_short(got[start : at + 80])} (lengths {len(want)}, {len(got)})"
            )
        else:
            yield f"{where}: expected {_short(want)}, got {_short(got)}"


def _short(value: Any, limit: int = 300) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=RECORDS, help="where to write the goldens")
    parser.add_argument("--corpus", type=Path, default=None, help="the corpus folder (default: see above)")
    parser.add_argument("--check", action="store_true", help="collect twice; fail if the two differ")
    args = parser.parse_args(argv)
    data = collect(sys.executable, args.corpus, all_singles=True)
    if args.check:
        again = collect(sys.executable, args.corpus, all_singles=True)
        diff = list(differences(data, again))
        if diff:
            print("make_records: two collections differ:\n" + "\n".join(diff[:50]), file=sys.stderr)
            return 1
    dump(data, args.out)
    counts = {k: sum(1 for i in data["inputs"].values() if i["kind"] == k) for k in KINDS}
    print(f"{args.out}: {args.out.stat().st_size:,} bytes; inputs {counts}, excluded {sorted(EXCLUDED)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
