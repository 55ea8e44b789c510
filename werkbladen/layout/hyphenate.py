"""Pyphen's hyphenation, with the patterns read on demand instead of all at start.

``pyphen.Pyphen(lang="nl_NL")`` parses all 16,000 patterns of the Dutch dictionary when it is
made, pattern by pattern in Python: about 0.12 s, the largest single cost of starting a build,
for the few dozen words a build hyphenates (28 distinct words in the shipped content). Here the
file is only indexed when first needed (its patterns' letters, digits removed, in one regular
expression pass: a few milliseconds), and a pattern is parsed when a word contains it.

The answers are Pyphen's own: the same patterns, the same algorithm (Liang's, as in
``pyphen.HyphDict.positions``) and the same margins (two letters at either end), checked word for
word against Pyphen in ``tests/test_layout.py``. A dictionary this shortcut does not cover
(nonstandard hyphenation ``/…=``, ``^^hh`` escapes, spaces or repeated patterns) is handed to
Pyphen whole.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

import pyphen  # type: ignore[import-untyped]

_DIGITS = re.compile(r"\d")
_PARSE = re.compile(r"(\d?)(\D?)")
_IGNORED = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")
"""The lines Pyphen skips (as ``pyphen.ignored``)."""
_IGNORED_LINE = re.compile("^(?:" + "|".join(map(re.escape, _IGNORED)) + ").*$", re.MULTILINE)


class Hyphenator:
    """``pyphen.Pyphen(lang=lang)``'s :meth:`iterate`, the dictionary indexed on first use."""

    def __init__(self, lang: str, left: int = 2, right: int = 2) -> None:
        self.path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
        self.left, self.right = left, right
        self._cache: dict[str, list[int]] = {}
        self._parsed: dict[str, tuple[int, tuple[int, ...]] | None] = {}

    def prepare(self) -> Hyphenator:
        """Index the dictionary now (a build does, before it forks: both halves share the index)."""
        _ = self._patterns
        return self

    @functools.cached_property
    def _patterns(self) -> tuple[dict[str, str], int] | Any:
        """(digit-free pattern → its line, longest pattern), or a whole ``pyphen.Pyphen`` where
        the file uses what this index does not handle."""
        raw = self.path.read_bytes()
        head, _, body = raw.partition(b"\n")
        encoding = head.decode().strip()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        text = body.decode(encoding)
        if any(c in text for c in ("/", "^^", " ", "\t", "\r")):
            return pyphen.Pyphen(filename=self.path, left=self.left, right=self.right)
        lines = text.split("\n")
        keys = _DIGITS.sub("", text).split("\n")
        index = dict(zip(keys, lines, strict=True))
        ignored = _IGNORED_LINE.findall(text)
        for line in ignored:
            index.pop(_DIGITS.sub("", line), None)
        index.pop("", None)
        if len(index) < len(lines) - lines.count("") - len(ignored):
            # a pattern repeated: which one Pyphen keeps depends on their values
            return pyphen.Pyphen(filename=self.path, left=self.left, right=self.right)
        return index, max(map(len, index))

    def _pattern(self, line: str) -> tuple[int, tuple[int, ...]] | None:
        """A pattern line as ``pyphen.HyphDict`` stores it: the offset of its first non-zero value
        and the values up to its last; None when they are all zero (Pyphen skips the line)."""
        if line in self._parsed:
            return self._parsed[line]
        values = tuple(int(digit or "0") for digit, _ in _PARSE.findall(line))
        pattern = None
        if any(values):
            start, end = 0, len(values)
            while not values[start]:
                start += 1
            while not values[end - 1]:
                end -= 1
            pattern = start, values[start:end]
        self._parsed[line] = pattern
        return pattern

    def positions(self, word: str) -> list[int]:
        """Where ``word`` may be hyphenated (as ``pyphen.Pyphen.positions``)."""
        found = self._patterns
        if not isinstance(found, tuple):
            return [int(p) for p in found.positions(word)]
        index, maxlen = found
        lowered = word.lower()
        points = self._cache.get(lowered)
        if points is None:
            pointed = f".{lowered}."
            references = [0] * (len(pointed) + 1)
            for i in range(len(pointed) - 1):
                stop = min(i + maxlen, len(pointed)) + 1
                for j in range(i + 1, stop):
                    line = index.get(pointed[i:j])
                    if line is None:
                        continue
                    pattern = self._pattern(line)
                    if pattern is None:
                        continue
                    offset, values = pattern
                    window = slice(i + offset, i + offset + len(values))
                    references[window] = map(max, values, references[window])
            points = [i - 1 for i, reference in enumerate(references) if reference % 2]
            self._cache[lowered] = points
        right = len(word) - self.right
        return [i for i in points if self.left <= i <= right]

    def iterate(self, word: str) -> Iterator[tuple[str, str]]:
        """Every (head, tail) split of ``word``, the longest head first (as ``pyphen.Pyphen.iterate``)."""
        found = self._patterns
        if not isinstance(found, tuple):
            yield from found.iterate(word)
            return
        for position in reversed(self.positions(word)):
            yield word[:position], word[position:]
