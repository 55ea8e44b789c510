"""What the engine suite types into every field, and what ``extract`` must give back for it.

Each fillable field gets one *sample*, chosen by its kind, so that every kind meets every kind
of text: Dutch with curly quotes and the euro sign, Turkish and Polish names, CJK, an emoji,
leading and trailing spaces, line breaks, and one 5,000-character answer. A date is typed as a
user types it (dd-mm-jjjj) and must come back as ISO 8601.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkbladen.content.naming import FieldSpec

LONG_ANSWER = "\n".join(
    f"{i:03d} Wij werken samen aan één aanpak: €{i},– voor ‘herstel’ — en perspectief." for i in range(1, 72)
)[:5000].rstrip()
assert 4900 <= len(LONG_ANSWER) <= 5000

TEXT_SAMPLES: dict[str, str] = {
    "dutch": "één reünie, geïnd: € 12,50 ‘ja’ — “nee”",
    "turkish": "Ağrı Şahin ığüşöç İĞÜŞÖÇ",
    "polish": "Łódź Żółć Gęślą jaźń",
    "cjk": "日本語の回答",
    "emoji": "Goed 🙂 gedaan 👍🏽",
    "spaces": "   spaties voor en na   ",
}
MULTILINE_SAMPLES: dict[str, str] = {
    "lines": "Regel één\nRegel twee — ‘quote’\n\n  ingesprongen regel\nlaatste €",
    **TEXT_SAMPLES,
    "long": LONG_ANSWER,
}


@dataclass(frozen=True)
class Entry:
    """One field's typed value, the value ``extract`` must return, and the sample's name."""

    name: str
    kind: str
    sample: str
    typed: str | bool
    expected: str | bool | None


def entries(fields: list[FieldSpec]) -> list[Entry]:
    """A typed value for every field of a form, cycling through the samples of its kind.

    The last checkbox stays unticked, so that both states are read back.
    """
    out: list[Entry] = []
    counters: dict[str, int] = {}
    checkboxes = [f.name for f in fields if f.kind == "checkbox"]
    for spec in fields:
        i = counters.get(spec.kind, 0)
        counters[spec.kind] = i + 1
        if spec.kind == "text":
            sample = list(TEXT_SAMPLES)[i % len(TEXT_SAMPLES)]
            out.append(Entry(spec.name, spec.kind, sample, TEXT_SAMPLES[sample], TEXT_SAMPLES[sample]))
        elif spec.kind == "multiline":
            sample = list(MULTILINE_SAMPLES)[i % len(MULTILINE_SAMPLES)]
            value = MULTILINE_SAMPLES[sample]
            out.append(Entry(spec.name, spec.kind, sample, value, value))
        elif spec.kind == "date":
            day = 1 + i % 28
            out.append(Entry(spec.name, spec.kind, "date", f"{day:02d}-03-2024", f"2024-03-{day:02d}"))
        elif spec.kind == "checkbox":
            ticked = spec.name != checkboxes[-1]
            out.append(Entry(spec.name, spec.kind, "checkbox", ticked, ticked))
        elif spec.kind == "choice":
            value = spec.options[i % len(spec.options)][0]
            out.append(Entry(spec.name, spec.kind, "choice", value, value))
    return out


def flat_answers(record: dict[str, object]) -> dict[str, object]:
    """An extract record as {PDF field name: value}: respondent fields and table cells by name."""
    flat: dict[str, object] = {}
    respondent = record.get("respondent") or {}
    assert isinstance(respondent, dict)
    for key, value in respondent.items():
        flat[f"respondent_{key}"] = value
    answers = record.get("answers") or {}
    assert isinstance(answers, dict)
    for name, value in answers.items():
        if isinstance(value, list):
            for row in value:
                for column, cell in row.items():
                    if column != "row":
                        flat[f"{name}_{row['row']}_{column}"] = cell
        else:
            flat[name] = value
    return flat
