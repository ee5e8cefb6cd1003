"""Exact and near-duplicate detection.

Exact: SHA-1 of the normalised text. Near: a 64-bit simhash over character
4-gram shingles (Charikar); two pages whose simhashes differ in at most
``NEAR_BITS`` bits are near-copies (the same promotion re-posted with a new header,
a scheme reborn under a new name).
"""

from __future__ import annotations

import hashlib
import re

NEAR_BITS = 3
_STRIP = re.compile(r"\s+")


def content_hash(text: str) -> str:
    return hashlib.sha1(_STRIP.sub("", text).encode("utf-8")).hexdigest()


def simhash(text: str, k: int = 4) -> int:
    text = _STRIP.sub("", text)
    if not text:
        return 0
    weights = [0] * 64
    shingles = {text[i : i + k] for i in range(max(1, len(text) - k + 1))}
    for sh in shingles:
        h = int.from_bytes(hashlib.blake2b(sh.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    value = 0
    for bit in range(64):
        if weights[bit] > 0:
            value |= 1 << bit
    return value


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


class NearDuplicateIndex:
    """Finds a stored simhash within NEAR_BITS of a new one. Bands of 16 bits: two
    hashes within 3 bits share at least one band exactly (pigeonhole), so lookups
    only compare against candidates from matching bands."""

    def __init__(self) -> None:
        self._bands: list[dict[int, list[tuple[int, str]]]] = [{} for _ in range(4)]

    def add(self, value: int, doc_id: str) -> None:
        for i in range(4):
            self._bands[i].setdefault(value >> (16 * i) & 0xFFFF, []).append((value, doc_id))

    def matches(self, value: int, exclude: str = "") -> list[tuple[str, int]]:
        """(doc id, distance) of every added hash within NEAR_BITS, closest first, then by id."""
        found: dict[str, int] = {}
        for i in range(4):
            for other, doc_id in self._bands[i].get(value >> (16 * i) & 0xFFFF, ()):
                d = hamming(other, value)
                if doc_id != exclude and d <= NEAR_BITS:
                    found[doc_id] = min(d, found.get(doc_id, d))
        return sorted(found.items(), key=lambda kv: (kv[1], kv[0]))

    def find(self, value: int, exclude: str = "") -> str | None:
        """The closest added doc id within NEAR_BITS (ties: the smallest id), or None."""
        m = self.matches(value, exclude)
        return m[0][0] if m else None
