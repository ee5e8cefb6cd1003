"""Matching form of a text: the shared normalisation plus what evasive promotions need.

``indexing.normalize.normalize_text`` gives the *base* text (NFKC, simplified, whitespace
collapsed); offsets of evidence snippets refer to it, and documents in the store already
carry it. On top of it the analyser matches over:

* the *folded* text: variant characters (噺 -> 新, 鈈 -> 不) and ASCII case folded, one
  character for one, so offsets are unchanged;
* the *squeezed* text: spaces and filler symbols removed (非 法 集 资, 传-销, 资*金*盘), with
  a map back to base offsets. Sentence punctuation is kept so terms do not match across
  clauses.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from indexing.normalize import normalize_text

try:  # the store branch adds a squeeze helper; use it when present (same semantics)
    from indexing.normalize import squeeze as _shared_squeeze  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on merge order
    _shared_squeeze = None

# Filler that promoters insert between characters. Not sentence punctuation (，。！？；：、,
# which NFKC turns into ASCII ,!?;:) so that terms never match across clauses.
NOISE_RE = re.compile(r"[\s\-_*·•~|/\\#@^+=<>'\"`\u3000\u00b7\u2022\u2027\u30fb\.()\[\]{}【】「」『』〈〉《》“”‘’…—～]+")
_ASCII_LOWER = {c: c + 32 for c in range(65, 91)}


def fold_table(variants: dict[str, str]) -> dict[int, int]:
    table = dict(_ASCII_LOWER)
    for a, b in variants.items():
        table[ord(a)] = ord(b)
    return table


@dataclass(slots=True)
class MatchText:
    base: str  # normalize_text(raw): what offsets refer to
    folded: str  # same length as base
    squeezed: str  # folded minus noise
    _starts: list[int] = field(default_factory=list)  # squeezed index where each kept run starts
    _shifts: list[int] = field(default_factory=list)  # base index - squeezed index within that run

    def to_base(self, i: int) -> int:
        """Base offset of squeezed offset ``i``."""
        if not self._starts:
            return i
        k = bisect.bisect_right(self._starts, i) - 1
        return i + (self._shifts[k] if k >= 0 else 0)


def make_match_text(raw: str, table: dict[int, int], already_normalized: bool = False) -> MatchText:
    # variants first too: OpenCC turns some of them into other characters (鈈 -> 钚); ASCII case
    # is folded only in the matching form, so evidence keeps the page's own spelling
    pre = {k: v for k, v in table.items() if k > 127}
    base = raw.translate(pre) if already_normalized else normalize_text(raw.translate(pre))
    folded = base.translate(table)
    starts: list[int] = []
    shifts: list[int] = []
    parts: list[str] = []
    pos = 0  # in folded
    out = 0  # in squeezed
    for m in NOISE_RE.finditer(folded):
        if m.start() > pos:
            starts.append(out)
            shifts.append(pos - out)
            parts.append(folded[pos : m.start()])
            out += m.start() - pos
        pos = m.end()
    if pos < len(folded):
        starts.append(out)
        shifts.append(pos - out)
        parts.append(folded[pos:])
    squeezed = "".join(parts) if starts else ""
    return MatchText(base=base, folded=folded, squeezed=squeezed, _starts=starts, _shifts=shifts)


def squeeze_term(term: str, table: dict[int, int]) -> str:
    """A lexicon term in the form it is matched in (same pipeline as texts)."""
    return NOISE_RE.sub("", normalize_text(term).translate(table))
