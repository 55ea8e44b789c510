"""The record of published field ids: which fields each released content version had.

A form sent out on content version 1.0 comes back months later. Its answers are matched to the
current content by field name, so a published name must never disappear or change kind: the
answers in every form already sent out would be orphaned or misread. ``published-ids.json``, kept
beside the content and changed only by the deliberate step ``werkbladen check --publish``, holds
per version each field's name and signature (its kind; for a choice, also its option values).
``werkbladen check`` holds the content against it, and the reader uses it to tell a field that an
older form never had (empty, as expected) from one that went missing.

This module imports nothing heavy: the reader depends on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkbladen.content.naming import FieldSpec

PUBLISHED_FILE = "published-ids.json"
_ABOUT = (
    "Field ids of each published content version (name -> kind; a choice as 'choice:' and its "
    "option values). Written by `werkbladen check --publish`; `werkbladen check` fails when the "
    "content drops or changes one of these ids. Do not edit by hand."
)


def signature(spec: FieldSpec) -> str:
    """What a field's answers mean: its kind, and for a choice the values it can hold."""
    if spec.kind == "choice":
        return "choice:" + ",".join(value for value, _ in spec.options)
    return spec.kind


@dataclass(frozen=True)
class Published:
    """The published versions (in order of publication) and the ids retired on purpose."""

    versions: dict[str, dict[str, str]] = field(default_factory=dict)
    retired: dict[str, str] = field(default_factory=dict)
    """Field name -> the version from which it is no longer asked."""

    def fields_of(self, version: str) -> Mapping[str, str] | None:
        return self.versions.get(version)

    def to_json(self) -> str:
        data = {"about": _ABOUT, "versions": self.versions, "retired": self.retired}
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def load_published(folder: Path) -> Published:
    """The record in ``folder``, or an empty one when the folder has none (nothing published)."""
    path = folder / PUBLISHED_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Published()
    except UnicodeDecodeError:
        raise ValueError(f"{path}: niet te lezen: het is geen tekst in UTF-8") from None
    except OSError as exc:
        raise ValueError(f"{path}: niet te lezen: {exc.strerror or exc}") from None
    try:
        data: Any = json.loads(text)
        versions = {str(v): {str(n): str(s) for n, s in f.items()} for v, f in data["versions"].items()}
        retired = {str(n): str(v) for n, v in data.get("retired", {}).items()}
    except (ValueError, KeyError, AttributeError, TypeError) as exc:
        raise ValueError(
            f"{path}: dit is geen geldige lijst van gepubliceerde veld-id's (technische melding: {exc!r}); "
            "het bestand wordt alleen door `werkbladen check --publish` geschreven"
        ) from None
    return Published(versions, retired)


def _compatible(published: str, current: str) -> bool:
    """A choice may gain options, never lose one; every other kind stays as it was."""
    if published.startswith("choice:") and current.startswith("choice:"):
        return set(published[7:].split(",")) <= set(current[7:].split(","))
    return published == current


def problems(published: Published, version: str, fields: Iterable[FieldSpec]) -> list[str]:
    """Why the content ``fields`` of ``version`` break forms already sent out; empty when they do not."""
    current = {spec.name: signature(spec) for spec in fields}
    out: list[str] = []
    first_seen: dict[str, tuple[str, str]] = {}
    for v, names in published.versions.items():
        for name, sig in names.items():
            first_seen.setdefault(name, (v, sig))
    for name, (v, sig) in first_seen.items():
        if name in published.retired:
            continue
        if name not in current:
            out.append(
                f"veld {name!r} (gepubliceerd in inhoudsversie {v}) is verdwenen: formulieren die al "
                "zijn verstuurd, hebben antwoorden onder deze id; zet het veld terug (verander de tekst, "
                f"nooit de id), of stop er bewust mee met `werkbladen check --publish --retire {name}`"
            )
        elif not _compatible(sig, current[name]):
            out.append(
                f"veld {name!r} is gepubliceerd in inhoudsversie {v} als {sig}, en is nu "
                f"{current[name]}: een antwoord in een formulier dat al is verstuurd, zou iets anders "
                "gaan betekenen; houd de soort zoals die was en geef een nieuwe vraag een nieuwe id"
            )
    same = published.versions.get(version)
    if same is not None and same != current and not out:
        added = sorted(set(current) - set(same))
        gone = sorted(set(same) - set(current))
        changes = ", ".join([*(f"nieuw: {n}" for n in added), *(f"weg: {n}" for n in gone)])
        out.append(
            f"inhoudsversie {version} is gepubliceerd met andere velden ({changes}): "
            "verhoog `version` in werkboek.yaml en geef daarna `werkbladen check --publish`"
        )
    return out


def publish(published: Published, version: str, fields: Iterable[FieldSpec]) -> Published:
    """The record with ``version`` added (or confirmed)."""
    versions = {**published.versions, version: {spec.name: signature(spec) for spec in fields}}
    return Published(versions, dict(published.retired))
