"""Load and validate a content folder: ``werkboek.yaml`` plus one YAML file per werkblad.

Validation happens once, here, at the edge. A content error names the file, the place in
it (as a path of keys and the line number) and what is wrong, in Dutch, so that a publisher who
writes werkbladen of their own can fix them without reading Python (pydantic's and PyYAML's
English is put into Dutch sentences by :mod:`werkbladen.content.messages`). Every error of the
folder comes in one run, one line each: a file that does not parse does not hide the
errors of the others.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from werkbladen.content.messages import pydantic_message, read_problem, yaml_problem
from werkbladen.content.model import Werkblad, Werkboek
from werkbladen.content.published import load_published
from werkbladen.errors import ContentError

INDEX_FILE = "werkboek.yaml"
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def shipped_folder() -> Path:
    """The content folder shipped in the package."""
    return Path(str(resources.files("werkbladen") / "content"))


@functools.cache
def shipped_werkboek() -> Werkboek:
    """The werkboek shipped in ``werkbladen/content/``, validated once per process."""
    return load_werkboek(shipped_folder())


def load_werkboek(folder: Path) -> Werkboek:
    """Read and validate the content folder ``folder``; raise :class:`ContentError` with every error."""
    index_path = folder / INDEX_FILE
    index_text = _read_text(index_path)
    index = _parse(index_path, index_text)
    if not isinstance(index, dict):
        raise ContentError(f"{index_path}: dit bestand moet de sleutels van het werkboek noemen (title: …)")
    sources: dict[str, tuple[Path, str]] = {}
    parsed: dict[str, Any] = {}
    errors: list[str] = []
    data = dict(index)
    for key in ("introduction", "werkbladen"):
        names = data.get(key)
        many = isinstance(names, list)
        loaded: list[Any] = []
        for i, name in enumerate(names if isinstance(names, list) else [names]):
            if not isinstance(name, str):
                raise ContentError(f"{index_path}: {key} moet YAML-bestanden in {folder} noemen")
            path = folder / name
            try:
                text = _read_text(path)
                value = _parse(path, text)
            except ContentError as exc:
                errors.append(str(exc))
                loaded.append(None)
                continue
            sources[f"{key}.{i}" if many else key] = (path, text)
            parsed[f"{key}.{i}" if many else key] = value
            loaded.append(value)
        data[key] = loaded if many else loaded[0]
    context = {"scales": _scale_ids(data)}
    if errors:
        # the werkboek cannot be checked whole; check each werkblad that parsed on its own
        for key, value in parsed.items():
            try:
                Werkblad.model_validate(value, context=context)
            except ValidationError as exc:
                errors.extend(_describe(exc, sources[key], {}).splitlines())
        raise ContentError("\n".join(errors))
    try:
        werkboek = Werkboek.model_validate(data, context=context)
    except ValidationError as exc:
        raise ContentError(_describe(exc, (index_path, index_text), sources)) from None
    try:
        return werkboek.with_published(load_published(folder))
    except ValueError as exc:
        raise ContentError(str(exc)) from None


def _scale_ids(data: dict[str, Any]) -> set[str]:
    """The scale ids the index defines, so that a werkblad's unknown scale is named in its own file."""
    scales = data.get("scales")
    items = scales if isinstance(scales, list) else []
    return {s["id"] for s in items if isinstance(s, dict) and isinstance(s.get("id"), str)}


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path}: niet te lezen: {read_problem(exc)}") from None


def _parse(path: Path, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ContentError(_yaml_error(path, exc)) from None


def _yaml_error(path: Path, exc: yaml.YAMLError) -> str:
    """``file:line: geen geldige YAML (kolom N): problem``; PyYAML's own text names ``<unicode string>``."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    what = ", ".join(p for p in parts if p) or " ".join(str(exc).split())
    column = f" (kolom {mark.column + 1})" if mark is not None else ""
    return f"{where}: geen geldige YAML{column}: {yaml_problem(getattr(exc, 'problem', None), what)}"


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree, for line numbers; made only for an error message, as parsing twice costs."""
    node: yaml.Node | None = yaml.compose(text, Loader=_Loader)
    return node


def _describe(
    exc: ValidationError,
    index: tuple[Path, str],
    sources: dict[str, tuple[Path, str]],
) -> str:
    """One line per problem: ``file:line: path.to.key: message`` (the message in Dutch)."""
    nodes: dict[Path, yaml.Node | None] = {}
    lines = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        (path, text), inner = index, loc
        for prefix_len in (2, 1):
            key = ".".join(loc[:prefix_len])
            if key in sources:
                path, text = sources[key]
                inner = loc[prefix_len:]
                break
        if path not in nodes:
            nodes[path] = _compose(text)
        inner = _drop_union_tags(inner)
        at = (error.get("ctx") or {}).get("at")
        if isinstance(at, str):  # an error of the whole that knows its place (a duplicate id)
            inner = [*inner, *at.split(".")]
            for prefix_len in (2, 1):
                key = ".".join(inner[:prefix_len])
                if path == index[0] and key in sources:
                    path, text = sources[key]
                    inner = inner[prefix_len:]
                    break
            if path not in nodes:
                nodes[path] = _compose(text)
        line = _line_of(nodes[path], inner)
        where = f"{path}:{line}" if line else str(path)
        place = ".".join(inner) or "(bovenaan)"
        lines.append(f"{where}: {place}: {pydantic_message(error)}")
    return "\n".join(lines)


def _drop_union_tags(loc: list[str]) -> list[str]:
    """Pydantic puts a block's ``type`` tag into the location after its index; files do not."""
    return [
        part
        for i, part in enumerate(loc)
        if not (i >= 2 and loc[i - 2] == "blocks" and loc[i - 1].isdigit() and part in _BLOCK_TYPES)
    ]


_BLOCK_TYPES = {"text", "list", "tip", "links", "question", "table", "steps"}


def _line_of(node: yaml.Node | None, keys: Sequence[str]) -> int | None:
    """The 1-based line of the deepest node on ``keys`` that the YAML tree has."""
    best = node
    for key in keys:
        child = _child(best, key)
        if child is None:
            break
        best = child
    return best.start_mark.line + 1 if best is not None else None


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                child: yaml.Node = v
                return child
    elif isinstance(node, yaml.SequenceNode) and key.isdigit() and int(key) < len(node.value):
        item: yaml.Node = node.value[int(key)]
        return item
    return None
