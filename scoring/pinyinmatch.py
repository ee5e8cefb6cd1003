"""Lexicon terms half spelt in pinyin: "ri返2个点", "拉ren有奖", "chuan销", "bao ben bao xi".

Promoters dodge keyword filters by writing one or more characters of a term in pinyin.
Over a short window around every latin word, the text is read as a sequence of
syllables (hanzi through pypinyin, latin words split into the syllables the lexicon's
terms use) and a term matches when its syllables appear in order. Only windows that
hold at least one latin syllable count: a term written wholly in hanzi is the
automaton's job, and matching homophones of plain hanzi would flag innocent text.
A term spelt wholly in latin needs three syllables or more ("ri fan" may be a name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import lazy_pinyin

_LATIN = re.compile(r"[a-z]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_BREAK = re.compile(r"[,。;!?:\n]")  # sentence punctuation ends a term, as in the automaton
_WINDOW = 8  # characters looked at on each side of a latin word


@dataclass(frozen=True, slots=True)
class Unit:
    syllable: str
    start: int  # offsets in the folded text
    end: int
    latin: bool


@lru_cache(maxsize=32768)
def _char_syllable(ch: str) -> str:
    return lazy_pinyin(ch)[0]


def term_syllables(term: str) -> tuple[str, ...] | None:
    """The syllables of a term written in hanzi; None when it holds anything else."""
    if not term or not all(_HAN.match(ch) for ch in term):
        return None
    return tuple(lazy_pinyin(term))


def split_syllables(word: str, syllables: set[str]) -> list[tuple[str, int]] | None:
    """``word`` cut into known syllables (longest first, with backtracking), as
    (syllable, offset) pairs; None when it is not made of them (an English word)."""
    best: dict[int, list[tuple[str, int]] | None] = {len(word): []}
    for i in range(len(word) - 1, -1, -1):
        best[i] = None
        for n in range(min(6, len(word) - i), 0, -1):
            rest = best.get(i + n)
            if word[i : i + n] in syllables and rest is not None:
                best[i] = [(word[i : i + n], i), *rest]
                break
    return best[0]


class PinyinMatcher:
    def __init__(self, terms: Iterable[tuple[str, object]]) -> None:
        self.by_syllables: dict[tuple[str, ...], object] = {}
        for text, payload in terms:
            syl = term_syllables(text)
            if syl and len(syl) >= 2:
                self.by_syllables.setdefault(syl, payload)
        self.syllables = {s for key in self.by_syllables for s in key}
        # candidate terms by first syllable, longest first: the scan looks at a handful per unit
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in sorted(self.by_syllables, key=len, reverse=True):
            self.by_first.setdefault(key[0], []).append(key)
        self._split_cache: dict[str, list[tuple[str, int]] | None] = {}

    def _split(self, word: str) -> list[tuple[str, int]] | None:
        if word not in self._split_cache:
            if len(self._split_cache) > 10_000:
                self._split_cache.clear()
            self._split_cache[word] = split_syllables(word, self.syllables)
        return self._split_cache[word]

    def _units(self, folded: str, lo: int, hi: int) -> list[Unit | None]:
        """Syllables of folded[lo:hi]; None marks a sentence break."""
        out: list[Unit | None] = []
        pos = lo
        while pos < hi:
            ch = folded[pos]
            m = _LATIN.match(folded, pos)
            if m:
                parts = self._split(m.group())
                if parts is None:
                    out.append(None)  # an English word breaks the run
                else:
                    out += [Unit(s, pos + off, pos + off + len(s), True) for s, off in parts]
                pos = m.end()
                continue
            if _HAN.match(ch):
                out.append(Unit(_char_syllable(ch), pos, pos + 1, False))
            elif _BREAK.match(ch) or ch.isdigit():
                out.append(None)
            pos += 1  # spaces and filler symbols are skipped, like the squeezed text
        return out

    def find(self, folded: str) -> list[tuple[int, int, object]]:
        """(start, end, payload) of every term with at least one syllable in latin."""
        if not self.by_syllables or not _LATIN.search(folded) or not _HAN.search(folded):
            return []
        # Windows around the latin words that could be syllables, merged where they overlap,
        # so that each character is read once however many latin words a page holds.
        spans: list[list[int]] = []
        for m in _LATIN.finditer(folded):
            if self._split(m.group()) is None:
                continue
            lo, hi = max(0, m.start() - _WINDOW), min(len(folded), m.end() + _WINDOW)
            if spans and lo <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], hi)
            else:
                spans.append([lo, hi])
        found: dict[tuple[int, int], object] = {}
        for lo, hi in spans:
            units = self._units(folded, lo, hi)
            for i, first in enumerate(units):
                if first is None:
                    continue
                for key in self.by_first.get(first.syllable, ()):
                    window = units[i : i + len(key)]
                    if len(window) < len(key) or any(u is None or u.syllable != k for u, k in zip(window, key, strict=True)):
                        continue
                    latin = sum(1 for u in window if u.latin)  # type: ignore[union-attr]
                    if latin == 0 or (latin == len(key) and len(key) < 3):
                        continue
                    found[(first.start, window[-1].end)] = self.by_syllables[key]  # type: ignore[union-attr]
                    break
        return [(s, e, p) for (s, e), p in sorted(found.items())]
