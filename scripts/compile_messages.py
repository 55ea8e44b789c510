"""Compile the CLI's gettext catalogue (``werkbladen/cli/locale/*/LC_MESSAGES/*.po``) to ``.mo``.

    python scripts/compile_messages.py          # write every .mo beside its .po
    python scripts/compile_messages.py --check  # exit 1 when a .mo is not what its .po compiles to

Pure Python and byte-reproducible (entries sorted, no hash table), so that the committed ``.mo``
can be tested against its ``.po`` without GNU gettext on the machine. It reads the subset of the
PO format the catalogue uses: ``msgid``, ``msgid_plural``, ``msgstr``, ``msgstr[N]``, continued
strings and ``#`` comments; no contexts, no fuzzy entries.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "werkbladen" / "cli" / "locale"


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr; a plural entry as ``singular\\0plural`` -> ``form0\\0form1``, as in a .mo."""
    entries: dict[str, str] = {}
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None

    def flush() -> None:
        if "msgid" not in fields:
            return
        msgid = "".join(fields["msgid"])
        if "msgid_plural" in fields:
            msgid += "\0" + "".join(fields["msgid_plural"])
            forms = sorted(k for k in fields if k.startswith("msgstr["))
            msgstr = "\0".join("".join(fields[k]) for k in forms)
        else:
            msgstr = "".join(fields.get("msgstr", []))
        if msgid in entries:
            raise ValueError(f"msgid {msgid!r} occurs twice")
        entries[msgid] = msgstr
        fields.clear()

    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"line {number}: a string outside an entry")
            current.append(ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid":
            flush()
        if keyword not in ("msgid", "msgid_plural", "msgstr") and not keyword.startswith("msgstr["):
            raise ValueError(f"line {number}: unknown keyword {keyword!r}")
        current = fields.setdefault(keyword, [])
        current.append(ast.literal_eval(rest))
    flush()
    return entries


def compile_mo(entries: dict[str, str]) -> bytes:
    """The GNU .mo bytes of ``entries``: header, two tables of (length, offset), then the strings."""
    keys = sorted(entries)
    ids = [k.encode("utf-8") for k in keys]
    strs = [entries[k].encode("utf-8") for k in keys]
    count = len(keys)
    start = 7 * 4 + 16 * count
    offsets = []
    data = b""
    for value in ids + strs:
        offsets.append((len(value), start + len(data)))
        data += value + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, start)
    tables = b"".join(struct.pack("<2I", length, offset) for length, offset in offsets)
    return header + tables + data


def catalogues() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str]) -> int:
    check = argv == ["--check"]
    stale = []
    for po in catalogues():
        mo = po.with_suffix(".mo")
        data = compile_mo(parse_po(po.read_text(encoding="utf-8")))
        if check:
            if not mo.exists() or mo.read_bytes() != data:
                stale.append(mo)
        else:
            mo.write_bytes(data)
            print(f"{mo.relative_to(ROOT)}  {len(data)} bytes")
    for mo in stale:
        print(f"{mo.relative_to(ROOT)} is not its .po compiled: run python scripts/compile_messages.py")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
